"""The website widget over a real socket: stored before acknowledged, resent once, refused
when forged, foreign or flooding, answered by the same dispatcher and reached by agents.

The app is served by uvicorn as `run` serves it (bot.app's wiring), and spoken to with the
``websockets`` client, so the socket, the database and the dispatcher share one event loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from websockets.asyncio.client import ClientConnection

from bot.app import Services, Stores, build_web, build_widget, serve_web, widget_config
from bot.config import Settings
from bot.metrics import Metrics
from bot.web.auth import new_token, token_hash
from bot.web.widget import SocketCounts, add_widget_routes
from bot.web_channel import WebChannel, sign, visitor_key
from crm_memory import ChannelIdentity, Direction, Sender, SqlDatabase, StoreUnavailable
from handlers.agents import AgentService
from handlers.desk import Outboxes
from handlers.dispatcher import Dispatcher
from tests.ports import free_port, until_listening

SHOP = "https://shop.example"
SECRET = "a shop's widget secret"


def signed(
    user_id: str, *, at: int | None = None, email: str = "", name: str = ""
) -> dict[str, Any]:
    """The hello of a page the shop signed for ``user_id`` (now, unless ``at``)."""
    signed_at = int(time.time()) if at is None else at
    return {
        "user_id": user_id,
        "signed_at": signed_at,
        "email": email or None,
        "name": name,
        "signature": sign(SECRET, user_id, signed_at, email=email, name=name),
    }


@dataclass
class Widget:
    url: str
    channel: WebChannel
    db: SqlDatabase
    agents: AgentService
    sockets: SocketCounts
    metrics: Metrics

    @property
    def ws(self) -> str:
        return self.url.replace("http://", "ws://") + "/widget/ws"

    async def open(self, hello: dict[str, Any], origin: str = SHOP) -> ClientConnection:
        conn = await websockets.connect(self.ws, origin=origin)  # type: ignore[arg-type]
        await conn.send(json.dumps(hello))
        return conn


async def _next(conn: ClientConnection, kind: str) -> dict[str, Any]:
    """The next frame of ``kind``, skipping others (typing, the bot's earlier replies)."""
    async with asyncio.timeout(10):
        while True:
            frame: dict[str, Any] = json.loads(await conn.recv())
            if frame["type"] == kind:
                return frame


async def _reply(conn: ClientConnection, containing: str) -> dict[str, Any]:
    while True:
        frame = await _next(conn, "message")
        if containing in frame["text"]:
            return frame


@pytest.fixture
async def widget(
    request: pytest.FixtureRequest, dispatcher: Dispatcher, sqlite_db: SqlDatabase, tmp_path: Path
) -> AsyncIterator[Widget]:
    port = free_port()
    settings = Settings(
        web={"enabled": True, "port": port},
        media={"cache_dir": str(tmp_path / "media")},
        widget={
            "enabled": True,
            "allowed_origins": [SHOP],
            "identity_secret": SECRET,
            "visitor_messages_per_minute": 5,
            "max_message_chars": 500,
            # More widget settings from a test's indirect parameter.
            **getattr(request, "param", {}),
        },
    )
    services = Services(
        stores=Stores(db=sqlite_db, state=dispatcher.deps.state), dispatcher=dispatcher
    )
    # Trained before the first visitor writes, as `run` does (open_services), so that the
    # first answer is not late by a training on the event loop on a busy machine.
    _ = dispatcher.deps.acts.engine
    web = build_widget(settings, services)
    outbox = Outboxes({"web": web})
    app, events = build_web(settings, services, outbox=outbox)
    dispatcher.attach_desk(events)
    metrics = Metrics()
    add_widget_routes(app, web, widget_config(settings), metrics=metrics)
    stop = asyncio.Event()
    server = asyncio.create_task(serve_web(settings, app, stop))
    await until_listening(port)
    agents = AgentService(deps=dispatcher.deps, outbox=outbox)
    sockets = app.state.widget_sockets
    yield Widget(f"http://127.0.0.1:{port}", web, sqlite_db, agents, sockets, metrics)
    await web.idle()
    stop.set()
    await server
    await web.close()


async def _inbound(db: SqlDatabase, key: str) -> list[str]:
    customer = await db.customers.find(ChannelIdentity("web", key))
    assert customer is not None
    history = await db.messages.history(customer.id, limit=100)
    return [m.text for m in history if m.direction is Direction.IN]


async def test_a_message_is_stored_before_its_ack_and_answered(widget: Widget) -> None:
    conn = await widget.open({"token": None, "lang": "en"})
    ready = await _next(conn, "ready")
    token = ready["token"]
    assert ready["visitor"] == visitor_key(token) and ready["history"] == []
    await conn.send(
        json.dumps({"type": "message", "client_id": "c1", "text": "where is my order A-1001"})
    )
    ack = await _next(conn, "ack")
    assert ack == {"type": "ack", "client_id": "c1", "fresh": True}
    # Acknowledged means stored: the inbox holds it (answered already, or about to be).
    row = await widget.db.inbox.last_update_id("web")
    assert row is not None
    await widget.channel.idle()  # the turn, however slow the machine: its frames wait
    answer = await _reply(conn, "A-1001")
    assert answer["from"] == "bot" and "DHL" in answer["text"]
    await conn.close()


async def test_a_reply_goes_out_as_recorded_without_reading_the_history_back(
    widget: Widget, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The turn hands the channel each reply's stored row: the frame published is the one
    the history shows (same id, same time), and no reply reads the history again."""
    read_back: list[int] = []
    read = widget.channel._recorded

    async def counted(visitor: Any, record_id: int) -> Any:
        read_back.append(record_id)
        return await read(visitor, record_id)

    monkeypatch.setattr(widget.channel, "_recorded", counted)
    conn = await widget.open({"token": None})
    token = (await _next(conn, "ready"))["token"]
    text = "wheres my order A-1001?? its been a week"
    await conn.send(json.dumps({"type": "message", "client_id": "r1", "text": text}))
    await _next(conn, "ack")
    await widget.channel.idle()  # the turn is done: its frames wait in the socket
    answer = await _reply(conn, "A-1001")
    history = await widget.channel.history(ready_visitor(token))
    (shown,) = [m for m in history if m["id"] == answer["id"]]
    assert {**answer, "buttons": []} == shown and answer["at"]
    assert read_back == []
    await conn.close()


async def test_a_turns_replies_are_published_in_order_and_marked_sent_in_one_write(
    widget: Widget, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A complaint's three replies: all published, then one mark for them all (one
    connection and commit a turn, not one a reply), and nothing left unsent."""
    single: list[int | None] = []
    batches: list[list[int | None]] = []
    dispatcher = widget.channel._dispatcher
    mark_one, mark_many = dispatcher.mark_sent, dispatcher.mark_sent_many

    async def one(reply: Any, *, external_id: str | None = None) -> None:
        single.append(reply.record_id)
        await mark_one(reply, external_id=external_id)

    async def many(sent: Any) -> None:
        batches.append([reply.record_id for reply, _ in sent])
        await mark_many(sent)

    monkeypatch.setattr(dispatcher, "mark_sent", one)
    monkeypatch.setattr(dispatcher, "mark_sent_many", many)
    conn = await widget.open({"token": None, "lang": "en"})
    await _next(conn, "ready")
    text = "my kettle from order A-1002 arrived broken, this is unacceptable"
    await conn.send(json.dumps({"type": "message", "client_id": "m1", "text": text}))
    await _next(conn, "ack")
    await widget.channel.idle()
    published: list[int] = []
    while len(published) < 3:  # sorry + case, what they may choose, who takes it
        frame = await _next(conn, "message")
        if frame["from"] == "bot":
            published.append(frame["id"])
    assert single == [] and batches == [published]
    assert [m for m in await widget.db.messages.unsent() if m.channel == "web"] == []
    await conn.close()


class DownInbox:
    """The inbox while the database is away: nothing can be stored."""

    async def put(self, *args: object, **kwargs: object) -> bool:
        raise StoreUnavailable("the database is away")


async def test_nothing_is_acked_that_was_not_stored(widget: Widget) -> None:
    conn = await widget.open({"token": None})
    token = (await _next(conn, "ready"))["token"]
    inbox = widget.channel._inbox
    widget.channel._inbox = DownInbox()  # type: ignore[assignment]
    frame = {"type": "message", "client_id": "d1", "text": "is my refund coming?"}
    await conn.send(json.dumps(frame))
    refused = await _next(conn, "refused")
    assert refused == {
        "type": "refused",
        "client_id": "d1",
        "reason": "unavailable",
        "detail": "it could not be stored just now; send it again with the same client_id",
    }
    widget.channel._inbox = inbox
    await conn.send(json.dumps(frame))  # the page still has it, and resends it
    assert (await _next(conn, "ack")) == {"type": "ack", "client_id": "d1", "fresh": True}
    await widget.channel.idle()
    assert await _inbound(widget.db, visitor_key(token)) == ["is my refund coming?"]
    await conn.close()


async def test_a_resend_after_a_reconnect_is_recorded_once(widget: Widget) -> None:
    conn = await widget.open({"token": None})
    token = (await _next(conn, "ready"))["token"]
    frame = {"type": "message", "client_id": "same-1", "text": "hello, is anyone there?"}
    await conn.send(json.dumps(frame))
    assert (await _next(conn, "ack"))["fresh"] is True
    await conn.close()  # the network drops before the page saw an answer
    await widget.channel.idle()

    again = await widget.open({"token": token})
    ready = await _next(again, "ready")
    before = len(ready["history"])
    assert [m["client_id"] for m in ready["history"] if m["from"] == "visitor"] == ["same-1"]
    await again.send(json.dumps(frame))  # the page resends what it has no ack for
    assert (await _next(again, "ack")) == {"type": "ack", "client_id": "same-1", "fresh": False}
    await widget.channel.idle()
    assert await _inbound(widget.db, visitor_key(token)) == ["hello, is anyone there?"]
    history = await widget.channel.history(ready_visitor(token))
    assert len(history) == before  # nothing answered twice
    await again.close()


def ready_visitor(token: str) -> Any:
    from bot.web_channel import Visitor

    return Visitor(visitor_key(token))


async def test_a_forged_or_missing_signature_is_refused(widget: Widget) -> None:
    now = int(time.time())
    for signature in ("0" * 64, None, sign("another secret", "shop-7", now), "é" * 64):
        conn = await widget.open({"user_id": "shop-7", "signature": signature, "signed_at": now})
        error = await _next(conn, "error")
        assert error["code"] == "identity"
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await conn.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    async with httpx.AsyncClient(base_url=widget.url) as http:
        refused = await http.post(
            "/widget/api/session", json={"user_id": "shop-7", "signature": "f" * 64}
        )
        assert refused.status_code == 401
    assert await widget.db.customers.find(ChannelIdentity("web", "u:shop-7")) is None


async def test_a_signed_user_is_the_shops_customer(widget: Widget) -> None:
    known = await widget.db.customers.create(display_name="Wei Zhang")
    await widget.db.customers.update(known.id, external_ref="shop-7")  # as `crm import` links
    conn = await widget.open(signed("shop-7"))
    ready = await _next(conn, "ready")
    assert ready["visitor"] == "u:shop-7"
    await conn.send(
        json.dumps({"type": "message", "client_id": "w1", "text": "我的订单A-1002到哪了"})
    )
    await _next(conn, "ack")
    await widget.channel.idle()
    found = await widget.db.customers.find(ChannelIdentity("web", "u:shop-7"))
    assert found is not None and found.id == known.id
    await conn.close()
    # Back after a reconnect, the page knows its own message by its client id (not as
    # "shop-7:w1"), so it is not shown a second time beside the one it still holds.
    again = await widget.open(signed("shop-7"))
    history = (await _next(again, "ready"))["history"]
    assert [m["client_id"] for m in history if m["from"] == "visitor"] == ["w1"]
    await again.close()


async def test_an_expired_or_tampered_signature_is_refused(widget: Widget) -> None:
    day_and_a_bit = int(time.time()) - 24 * 3600 - 60
    stale = widget.open(signed("shop-8", at=day_and_a_bit))
    future = widget.open(signed("shop-8", at=int(time.time()) + 3600))
    # Signed for one e-mail, sent with another: the e-mail is part of what was signed.
    swapped = {**signed("shop-8", email="wei@example.com"), "email": "boss@example.com"}
    unsigned_time = {**signed("shop-8"), "signed_at": None}
    for opening in (stale, future, widget.open(swapped), widget.open(unsigned_time)):
        conn = await opening
        error = await _next(conn, "error")
        assert error["code"] == "identity", error
        await conn.close()
    assert await widget.db.customers.find(ChannelIdentity("web", "u:shop-8")) is None


async def test_a_name_and_email_are_believed_only_when_signed(widget: Widget) -> None:
    # An anonymous page claiming a name and an e-mail: neither is taken.
    anonymous = await widget.open({"token": None, "name": "The Shop Owner", "email": "a@b.c"})
    ready = await _next(anonymous, "ready")
    await anonymous.send(json.dumps({"type": "message", "client_id": "n1", "text": "hi"}))
    await _next(anonymous, "ack")
    await widget.channel.idle()
    await anonymous.close()
    found = await widget.db.customers.find(ChannelIdentity("web", ready["visitor"]))
    assert found is not None and found.display_name != "The Shop Owner"
    assert found.email is None
    # Signed with the user id, they are the customer's, over the HTTP fallback too (headers,
    # the name percent-encoded: header values cannot carry Chinese).
    hello = signed("shop-10", email="wei@example.com", name="张伟")
    headers = {
        "X-Widget-User": "shop-10",
        "X-Widget-Signed-At": str(hello["signed_at"]),
        "X-Widget-Signature": hello["signature"],
        "X-Widget-Email": "wei%40example.com",
        "X-Widget-Name": "%E5%BC%A0%E4%BC%9F",
    }
    async with httpx.AsyncClient(base_url=widget.url, headers={"Origin": SHOP}) as http:
        sent = await http.post(
            "/widget/api/messages", headers=headers, json={"client_id": "s1", "text": "你好"}
        )
        assert sent.status_code == 200, sent.text
        forged = await http.post(
            "/widget/api/messages",
            headers={**headers, "X-Widget-Name": "boss"},
            json={"client_id": "s2", "text": "hi"},
        )
        assert forged.status_code == 401
    await widget.channel.idle()
    customer = await widget.db.customers.find(ChannelIdentity("web", "u:shop-10"))
    assert customer is not None
    assert customer.display_name == "张伟" and customer.email == "wei@example.com"


def test_the_readme_signing_example_makes_the_signature_the_bot_checks() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("```python\nsigned_at = int(time.time())")
    code = readme[start + len("```python\n") : readme.index("```", start + 10)]
    scope: dict[str, Any] = {
        "time": time,
        "hmac": hmac,
        "hashlib": hashlib,
        "SECRET": SECRET,
        "user_id": "4711",
        "email": "wei@example.com",
        "name": "Wei Zhang",
    }
    exec(code, scope)  # the README's own lines
    made = sign(SECRET, "4711", scope["signed_at"], email="wei@example.com", name="Wei Zhang")
    assert scope["signature"] == made


async def test_a_foreign_origin_is_refused(widget: Widget) -> None:
    with pytest.raises(websockets.InvalidStatus) as refused:
        await widget.open({"token": None}, origin="https://evil.example")
    assert refused.value.response.status_code == 403
    async with httpx.AsyncClient(base_url=widget.url) as http:
        evil = await http.post(
            "/widget/api/session", json={}, headers={"Origin": "https://evil.example"}
        )
        assert evil.status_code == 403
        good = await http.post("/widget/api/session", json={}, headers={"Origin": SHOP})
        assert good.status_code == 200
        assert good.headers["access-control-allow-origin"] == SHOP
        preflight = await http.options(
            "/widget/api/messages",
            headers={"Origin": SHOP, "Access-Control-Request-Method": "POST"},
        )
        assert preflight.status_code == 204
        assert "x-widget-token" in preflight.headers["access-control-allow-headers"]


async def test_flooding_and_oversized_messages_are_refused_not_stored(widget: Widget) -> None:
    conn = await widget.open({"token": None})
    token = (await _next(conn, "ready"))["token"]
    await conn.send(json.dumps({"type": "message", "client_id": "big", "text": "x" * 501}))
    assert (await _next(conn, "refused"))["reason"] == "too_long"
    answers = []
    for number in range(7):
        text = f"question number {number}"
        await conn.send(json.dumps({"type": "message", "client_id": f"q{number}", "text": text}))
        answers.append(await _next(conn, "refused" if number >= 5 else "ack"))
    # Five a minute (the oversized one counted nothing): the sixth and seventh wait.
    assert [a["type"] for a in answers] == ["ack"] * 5 + ["refused"] * 2
    assert answers[-1]["reason"] == "rate"
    await widget.channel.idle()
    stored = await _inbound(widget.db, visitor_key(token))
    assert stored == [f"question number {n}" for n in range(5)]
    await conn.close()


async def test_a_binary_frame_is_refused_and_the_socket_goes_on(widget: Widget) -> None:
    conn = await widget.open({"token": None})
    token = (await _next(conn, "ready"))["token"]
    await conn.send(b"\x00\x01 not text")
    assert (await _next(conn, "error"))["code"] == "format"
    await conn.send(json.dumps({"type": "message", "client_id": "b1", "text": "still here?"}))
    await _next(conn, "ack")
    await widget.channel.idle()
    assert await _inbound(widget.db, visitor_key(token)) == ["still here?"]
    await conn.close()


async def test_markup_is_kept_as_the_words_written(widget: Widget) -> None:
    xss = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    conn = await widget.open({"token": None})
    token = (await _next(conn, "ready"))["token"]
    await conn.send(json.dumps({"type": "message", "client_id": "x1", "text": xss}))
    await _next(conn, "ack")
    await widget.channel.idle()
    assert await _inbound(widget.db, visitor_key(token)) == [xss]
    await conn.close()


async def test_an_agent_reaches_the_visitor_live_and_by_name(widget: Widget) -> None:
    conn = await widget.open({"token": None})
    await _next(conn, "ready")
    await conn.send(
        json.dumps({"type": "message", "client_id": "h1", "text": "I want to talk to a human"})
    )
    await _next(conn, "ack")
    await widget.channel.idle()
    case = (await widget.db.cases.all())[0]
    await widget.agents.reply(case.number, "Li", "Hi, Li here. Let me look.")
    said = await _reply(conn, "Li here")
    assert said["from"] == "agent" and said["agent"] == "Li"
    # Buttons go as buttons: the satisfaction survey when the agent closes the case.
    await widget.agents.close(case.number, "Li")
    survey = await _next(conn, "message")
    while not survey["buttons"]:
        survey = await _next(conn, "message")
    payload = survey["buttons"][0]["payload"]
    await conn.send(json.dumps({"type": "button", "client_id": "b1", "payload": payload}))
    assert (await _next(conn, "ack"))["client_id"] == "b1"
    await widget.channel.idle()
    rated = await widget.db.cases.get(case.number)
    assert rated.csat is not None
    await conn.close()


async def test_an_agent_typing_in_the_desk_is_shown_to_the_visitor_by_name(
    widget: Widget,
) -> None:
    token = new_token("crm_")
    await widget.db.accounts.add_token("li", token_hash=token_hash(token), scope="write")
    conn = await widget.open({"token": None})
    await _next(conn, "ready")
    await conn.send(
        json.dumps({"type": "message", "client_id": "t1", "text": "I want to talk to a human"})
    )
    await _next(conn, "ack")
    await widget.channel.idle()
    case = (await widget.db.cases.all())[0]
    async with httpx.AsyncClient(base_url=widget.url) as desk:
        told = await desk.post(
            f"/api/cases/{case.number}/typing", headers={"Authorization": f"Bearer {token}"}
        )
        assert told.status_code == 204, told.text
        missing = await desk.post(
            "/api/cases/999/typing", headers={"Authorization": f"Bearer {token}"}
        )
        assert missing.status_code == 404
    typing = await _next(conn, "typing")
    while typing["from"] != "agent":
        typing = await _next(conn, "typing")
    assert typing == {"type": "typing", "from": "agent", "agent": "api:li"}
    await conn.close()


async def test_a_customer_busy_on_telegram_still_sees_their_last_web_messages(
    widget: Widget,
) -> None:
    conn = await widget.open(signed("shop-9"))
    await _next(conn, "ready")
    await conn.send(json.dumps({"type": "message", "client_id": "m1", "text": "hello from web"}))
    await _next(conn, "ack")
    await widget.channel.idle()
    await conn.close()
    customer = await widget.db.customers.find(ChannelIdentity("web", "u:shop-9"))
    assert customer is not None
    for n in range(130):  # later, a long chat on Telegram (the same customer, linked)
        await widget.db.messages.record(
            customer_id=customer.id,
            channel="telegram",
            direction=Direction.IN,
            sender=Sender.CUSTOMER,
            text=f"telegram {n}",
            external_id=f"9:{n}",
        )
    again = await widget.open(signed("shop-9"))
    history = (await _next(again, "ready"))["history"]
    assert "hello from web" in [m["text"] for m in history]
    assert not any(m["text"].startswith("telegram") for m in history)
    await again.close()


async def test_the_http_fallback_acks_and_long_polls(widget: Widget) -> None:
    async with httpx.AsyncClient(base_url=widget.url, headers={"Origin": SHOP}) as http:
        session = (await http.post("/widget/api/session", json={"lang": "zh"})).json()
        headers = {"X-Widget-Token": session["token"]}
        sent = await http.post(
            "/widget/api/messages",
            json={"client_id": "p1", "text": "A-1003 到了吗"},
            headers=headers,
        )
        assert sent.status_code == 200 and sent.json()["type"] == "ack"
        polled = await http.get(
            "/widget/api/history", params={"wait": 10, "after": 0}, headers=headers
        )
        texts = [m["text"] for m in polled.json()["messages"]]
        assert texts[0] == "A-1003 到了吗"
        again = await http.post(
            "/widget/api/messages",
            json={"client_id": "p1", "text": "A-1003 到了吗"},
            headers=headers,
        )
        assert again.json()["fresh"] is False
        unknown = await http.get("/widget/api/history")
        assert unknown.status_code == 401


async def test_widget_js_is_served_with_its_config(widget: Widget) -> None:
    async with httpx.AsyncClient(base_url=widget.url) as http:
        script = await http.get("/widget.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert '"colour": "#2563eb"' in script.text and SECRET not in script.text
    assert "innerHTML" not in script.text


async def test_the_menu_sends_the_privacy_commands_and_only_those(widget: Widget) -> None:
    conn = await widget.open({"token": None, "lang": "en"})
    await _next(conn, "ready")
    await conn.send(json.dumps({"type": "message", "client_id": "m0", "text": "hi"}))
    await _next(conn, "ack")
    await conn.send(json.dumps({"type": "command", "client_id": "m1", "text": "/mydata"}))
    await _next(conn, "ack")
    said = await _reply(conn, "what we store about you")
    assert said["from"] == "bot"
    await conn.send(json.dumps({"type": "command", "client_id": "m2", "text": "/shutdown"}))
    assert (await _next(conn, "refused"))["reason"] == "format"
    await conn.close()


async def test_a_reply_stored_while_the_socket_subscribed_still_reaches_it(widget: Widget) -> None:
    conn = await widget.open({"token": None})
    token = (await _next(conn, "ready"))["token"]
    await conn.send(json.dumps({"type": "message", "client_id": "s1", "text": "hello"}))
    await _next(conn, "ack")
    await widget.channel.idle()
    await conn.close()
    again = await widget.open({"token": token})
    await _next(again, "ready")
    # Recorded, never published (as when it lands before a Redis subscription takes effect).
    customer = await widget.db.customers.find(ChannelIdentity("web", visitor_key(token)))
    assert customer is not None
    await widget.db.messages.record(
        customer_id=customer.id,
        channel="web",
        direction=Direction.OUT,
        sender=Sender.AGENT,
        agent="Li",
        text="Li here, sorry for the wait",
    )
    said = await _reply(again, "sorry for the wait")
    assert said["agent"] == "Li"
    await again.close()
