"""An agent runs a case from the browser while the customer is on Telegram.

Playwright drives Debian's Chromium (``executable_path``) against the desk served by uvicorn,
wired by bot.app exactly as `python -m bot run` with ``web.enabled`` wires it; the customer
writes through the Bot API stand-in.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.app import Services, Stores, build_telegram, build_web, serve_web
from bot.config import Settings
from bot.telegram_channel import TelegramChannel
from bot.web.auth import hash_password
from crm_memory import CaseStatus, Role, SqlDatabase
from handlers.desk import Desks
from handlers.dispatcher import Dispatcher
from tests.browser import launch, needs_chromium
from tests.ports import free_port, until_listening
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_handoff import AGENTS, MARIA

WEI = 4242
PASSWORD = "a long desk password"

pytestmark = needs_chromium


@pytest.fixture
async def desk_url(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> AsyncIterator[tuple[str, TelegramChannel]]:
    port = free_port()
    settings = Settings(
        telegram={"token": api.token, "base_url": api.base_url, "base_file_url": api.base_url},
        agents={"chat_id": AGENTS, "user_ids": [MARIA]},
        web={"enabled": True, "port": port},
    )
    stores = Stores(db=sqlite_db, state=dispatcher.deps.state)
    services = Services(stores=stores, dispatcher=dispatcher)
    channel = build_telegram(settings, services, poll_timeout=0)
    await channel.start()
    deps = dispatcher.deps
    app, events = build_web(settings, services, outbox=channel, eraser=deps.desk)
    assert deps.desk is not None
    dispatcher.attach_desk(Desks(deps.desk, events))
    await sqlite_db.accounts.add_agent(
        "Li", password_hash=hash_password(PASSWORD), role=Role.AGENT
    )
    stop = asyncio.Event()
    server = asyncio.create_task(serve_web(settings, app, stop))
    await until_listening(port)
    yield f"http://127.0.0.1:{port}", channel
    stop.set()
    await server
    await channel.stop()


async def test_agent_runs_a_case_from_the_browser(
    api: BotApiStandIn, desk_url: tuple[str, TelegramChannel], sqlite_db: SqlDatabase
) -> None:
    from playwright.async_api import async_playwright

    url, channel = desk_url
    async with async_playwright() as p:
        browser = await launch(p)
        try:
            # Someone not signed in is sent to the login page and sees no case.
            stranger = await browser.new_page()
            await stranger.goto(f"{url}/desk/cases/1")
            assert stranger.url.endswith("/login")
            assert "Case #" not in await stranger.content()
            await stranger.fill("input[name=name]", "Li")
            await stranger.fill("input[name=password]", "not the password")
            await stranger.click("button[type=submit]")
            assert "Wrong name or password." in await stranger.content()

            page = await browser.new_page()
            await page.goto(f"{url}/desk")
            await page.fill("input[name=name]", "Li")
            await page.fill("input[name=password]", PASSWORD)
            await page.click("button[type=submit]")
            await page.wait_for_url(f"{url}/desk")
            assert "No open cases." in await page.inner_text("#inbox")

            # Wei writes on Telegram and asks for a person: the case appears without a reload.
            api.customer_says(WEI, "my order A-1001 is late", name="Wei")
            api.customer_says(WEI, "I want to talk to a human", name="Wei")
            await channel.poll_once()
            row = page.locator('#inbox tr[data-case="1"]')
            await row.wait_for(timeout=10_000)
            assert "Wei" in await row.inner_text() and "asked for a human" in await row.inner_text()

            await row.locator("a").click()
            await page.wait_for_url(f"{url}/desk/cases/1")
            assert "my order A-1001 is late" in await page.inner_text("#messages")
            assert "A-1001" in await page.inner_text("aside")  # the remembered order number

            await page.fill("#reply textarea", "Hi Wei, Li here: A-1001 left our depot today.")
            await page.click("#reply button")
            await page.wait_for_url(f"{url}/desk/cases/1")
            await api.wait_for(lambda: api.to(WEI)[-1].text.startswith("Hi Wei, Li here"))
            case = await sqlite_db.cases.get(1)
            assert case.owner == "Li" and case.first_response_at is not None

            # Wei answers on Telegram: the conversation in the browser updates live.
            api.customer_says(WEI, "great, thank you!", name="Wei")
            await channel.poll_once()
            await page.locator("#messages", has_text="great, thank you!").wait_for(timeout=10_000)

            await page.click("form[action='/desk/cases/1/close'] button")
            await page.wait_for_url(f"{url}/desk/cases/1")
            assert (await sqlite_db.cases.get(1)).status is CaseStatus.CLOSED
            assert api.to(WEI)[-1].reply_markup is not None  # the 1-5 survey
        finally:
            await browser.close()
