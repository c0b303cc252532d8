"""An agent in the Telegram agents' group answers a website visitor: the hand-off is the same,
only the customer's channel differs (bot.app wires Telegram and the widget as `run` does)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path

from bot.app import Services, Stores, build_media_cache, build_telegram, build_widget
from bot.config import Settings
from bot.web.pages import checked_page, remember
from bot.web_channel import Upload, Visitor, visitor_key
from crm_memory import ChannelIdentity, SqlDatabase
from handlers.dispatcher import Dispatcher
from tests.bot.test_widget_files import PDF, png
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_handoff import AGENTS, MARIA


async def test_an_agent_in_the_group_reaches_a_website_visitor(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> None:
    settings = Settings(
        telegram={"token": api.token, "base_url": api.base_url, "base_file_url": api.base_url},
        agents={"chat_id": AGENTS, "user_ids": [MARIA]},
        widget={"enabled": True, "allowed_origins": ["https://shop.example"]},
    )
    services = Services(
        stores=Stores(db=sqlite_db, state=dispatcher.deps.state), dispatcher=dispatcher
    )
    web = build_widget(settings, services)
    channel = build_telegram(settings, services, poll_timeout=0, web=web)
    await channel.start()
    visitor = Visitor(visitor_key("a-visitors-token"), name="Lena")
    heard = web.events(visitor)
    listening = asyncio.ensure_future(anext(heard))
    await asyncio.sleep(0)
    # The page the visitor's widget named (bot.web.pages): shown with the hand-off.
    url = "https://shop.example/orders/A-1001"
    page = checked_page(url, "Your order A-1001", allows=lambda o: o == "https://shop.example")
    assert page is not None
    await remember(dispatcher.deps.state, visitor.identity, page)
    try:
        await web.receive(visitor, client_id="1", text="where is my order A-1001?")
        await web.receive(visitor, client_id="2", text="I want to talk to a human")
        await web.idle()
        (post,) = api.to(AGENTS)
        assert f"(web:{visitor.key})" in post.text and "Case #1" in post.text
        assert f"On the website: Your order A-1001 · {url}" in post.text

        api.agent_says(MARIA, AGENTS, "Hi Lena, Maria here. It is with DHL.", reply_to=post)
        await channel.poll_once()
        said: dict[str, object] = {}
        async with asyncio.timeout(10):
            while said.get("text") != "Hi Lena, Maria here. It is with DHL.":
                said = json.loads(await listening)
                listening = asyncio.ensure_future(anext(heard))
        assert said["from"] == "agent" and said["agent"] == "Maria"
        customer = await sqlite_db.customers.find(ChannelIdentity("web", visitor.key))
        assert customer is not None
        history = await sqlite_db.messages.history(customer.id)
        assert history[-1].sent_at is not None  # delivered and marked so
    finally:
        listening.cancel()
        await channel.stop()


async def test_a_visitors_photo_reaches_the_agents_group_as_a_photo(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase, tmp_path: Path
) -> None:
    settings = Settings(
        telegram={"token": api.token, "base_url": api.base_url, "base_file_url": api.base_url},
        agents={"chat_id": AGENTS, "user_ids": [MARIA]},
        widget={"enabled": True, "allowed_origins": ["https://shop.example"]},
        media={"cache_dir": str(tmp_path / "media")},
    )
    # As `run` builds it: one cache for the dispatcher, the desk and the widget.
    dispatcher.deps = replace(dispatcher.deps, media_files=build_media_cache(settings))
    services = Services(
        stores=Stores(db=sqlite_db, state=dispatcher.deps.state), dispatcher=dispatcher
    )
    web = build_widget(settings, services)
    channel = build_telegram(settings, services, poll_timeout=0, web=web)
    await channel.start()
    visitor = Visitor(visitor_key("a-visitors-token"), name="Lena")
    image = png()
    try:
        await web.receive(visitor, client_id="1", text="my kettle arrived broken, I want a human")
        await web.idle()
        await web.receive(
            visitor,
            client_id="2",
            text="the crack",
            upload=Upload(image, "image/png", "crack.png"),
        )
        await web.receive(
            visitor, client_id="3", text="", upload=Upload(PDF, "application/pdf", "receipt.pdf")
        )
        await web.idle()
        uploads = {s.method: s for s in api.to(AGENTS) if s.method in ("sendPhoto", "sendDocument")}
        photo = uploads["sendPhoto"]
        assert api.uploads[photo.message_id] == ("photo", "crack.png", image)
        assert "#1" in photo.text and "Lena" in photo.text and "the crack" in photo.text
        document = uploads["sendDocument"]
        assert api.uploads[document.message_id] == ("document", "receipt.pdf", PDF)
    finally:
        await channel.stop()
