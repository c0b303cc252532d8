"""Who a widget visitor is: the old signature scheme during a shop's migration, and
anonymous visitors' tokens issued by the server (a page cannot choose one)."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from bot.app import widget_token_key
from bot.config import Settings
from bot.web_channel import (
    LegacySignatureRefused,
    Visitor,
    VisitorTokens,
    WidgetError,
    identify,
    sign,
    sign_legacy,
    visitor_key,
)
from crm_memory import ChannelIdentity
from tests.bot import test_widget
from tests.bot.test_widget import SECRET, SHOP, Widget, _next, signed

widget = test_widget.widget  # the same served widget fixture

LEGACY = [{"legacy_user_id_signatures": True}]
OLD_TOKEN = "Zm9yLXRoZS1vbGQtd2lkZ2V0XzEyMzQ1"  # 32 characters, as tokens were before marks


def old_hello(user_id: str, **extra: Any) -> dict[str, Any]:
    """The hello of a page signed the first way: HMAC-SHA256 of the user id alone."""
    return {"user_id": user_id, "signature": sign_legacy(SECRET, user_id), **extra}


def _metric(widget: Widget, line: str) -> str | None:
    text = widget.metrics.exposition().decode()
    return next((row for row in text.splitlines() if row.startswith(line)), None)


async def _refused(widget: Widget, hello: dict[str, Any]) -> str:
    conn = await widget.open(hello)
    error = await _next(conn, "error")
    assert error["code"] == "identity", error
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await conn.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    return str(error["detail"])


# --- the old signature scheme ------------------------------------------------------------


async def test_an_old_signature_is_refused_by_default_and_says_why(
    widget: Widget, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.web.identity"):
        for _ in range(2):
            detail = await _refused(widget, old_hello("shop-20"))
            assert "old scheme" in detail
    async with httpx.AsyncClient(base_url=widget.url, headers={"Origin": SHOP}) as http:
        headers = {"X-Widget-User": "shop-20", "X-Widget-Signature": sign_legacy(SECRET, "shop-20")}
        sent = await http.post(
            "/widget/api/messages", headers=headers, json={"client_id": "o1", "text": "hi"}
        )
        assert sent.status_code == 401 and "old scheme" in sent.json()["detail"]
    assert await widget.db.customers.find(ChannelIdentity("web", "u:shop-20")) is None
    # The shop's operator is told once which setting bridges the move, and it is counted.
    told = [r for r in caplog.records if "legacy_user_id_signatures" in r.getMessage()]
    assert len(told) == 1
    refused = _metric(widget, 'crmbot_widget_legacy_signatures_total{outcome="refused"}')
    assert refused is not None and refused.endswith(" 3.0")


@pytest.mark.parametrize("widget", LEGACY, indirect=True)
async def test_with_the_setting_an_old_signature_is_believed_for_the_user_id_only(
    widget: Widget, caplog: pytest.LogCaptureFixture
) -> None:
    known = await widget.db.customers.create(display_name="Wei Zhang")
    await widget.db.customers.update(known.id, external_ref="shop-21", email="wei@example.com")
    # The page passes a name and an e-mail beside the old signature: neither was signed.
    claims = {"name": "The Shop Owner", "email": "boss@example.com"}
    with caplog.at_level(logging.WARNING, logger="bot.web.identity"):
        conn = await widget.open(old_hello("shop-21", **claims))
        ready = await _next(conn, "ready")
        assert ready["visitor"] == "u:shop-21"
        await conn.send('{"type": "message", "client_id": "l1", "text": "where is A-1002?"}')
        assert (await _next(conn, "ack"))["fresh"] is True
        await widget.channel.idle()
        await conn.close()
        # A new user with the old signature: created by their user id, not the claims.
        stranger = await widget.open(old_hello("shop-22", **claims))
        await _next(stranger, "ready")
        await stranger.send('{"type": "message", "client_id": "l2", "text": "hello"}')
        await _next(stranger, "ack")
        await widget.channel.idle()
        await stranger.close()
    found = await widget.db.customers.find(ChannelIdentity("web", "u:shop-21"))
    assert found is not None and found.id == known.id
    assert (found.display_name, found.email) == ("Wei Zhang", "wei@example.com")
    created = await widget.db.customers.find(ChannelIdentity("web", "u:shop-22"))
    assert created is not None
    assert (created.display_name, created.email) == ("shop-22", None)
    # Warned once per process, counted: two visitors, two sockets.
    told = [r for r in caplog.records if "legacy_user_id_signatures is on" in r.getMessage()]
    assert len(told) == 1
    accepted = _metric(widget, 'crmbot_widget_legacy_signatures_total{outcome="accepted"}')
    assert accepted is not None and accepted.endswith(" 2.0")
    users = _metric(widget, "crmbot_widget_legacy_signature_users ")
    assert users is not None and users.endswith(" 2.0")
    # The new scheme still works beside it, and is not counted as old.
    current = await widget.open(signed("shop-23", name="张伟"))
    assert (await _next(current, "ready"))["visitor"] == "u:shop-23"
    await current.close()
    accepted = _metric(widget, 'crmbot_widget_legacy_signatures_total{outcome="accepted"}')
    assert accepted is not None and accepted.endswith(" 2.0")


@pytest.mark.parametrize("widget", LEGACY, indirect=True)
async def test_with_the_setting_a_forged_old_signature_is_still_refused(widget: Widget) -> None:
    for signature in (
        sign_legacy("another secret", "shop-24"),
        sign_legacy(SECRET, "shop-25"),  # another user's signature
        "0" * 64,
        "",
    ):
        await _refused(widget, {"user_id": "shop-24", "signature": signature})
    # An old signature with a time added is neither scheme: refused, not believed.
    await _refused(widget, old_hello("shop-24", signed_at=int(time.time())))
    async with httpx.AsyncClient(base_url=widget.url, headers={"Origin": SHOP}) as http:
        forged = await http.post(
            "/widget/api/session",
            json={"user_id": "shop-24", "signature": sign_legacy("guess", "shop-24")},
        )
        assert forged.status_code == 401
    assert await widget.db.customers.find(ChannelIdentity("web", "u:shop-24")) is None
    assert _metric(widget, "crmbot_widget_legacy_signatures_total") is None


def test_identify_believes_the_old_scheme_for_the_user_id_only_when_told() -> None:
    tokens = VisitorTokens("k")

    def old(user_id: str, *, legacy: bool) -> Visitor:
        found = identify(
            token=None,
            user_id=user_id,
            signature=sign_legacy(SECRET, "4711"),
            secret=SECRET,
            tokens=tokens,
            name="Mallory",
            email="mallory@example.com",
            legacy_signatures=legacy,
        )
        assert found.legacy and found.token is None
        return found.visitor

    with pytest.raises(LegacySignatureRefused):
        old("4711", legacy=False)
    assert old("4711", legacy=True) == Visitor("u:4711", user_id="4711")
    with pytest.raises(WidgetError, match="signed_at"):
        old("4712", legacy=True)  # another user's signature


# --- anonymous visitors' tokens ----------------------------------------------------------


async def test_a_token_the_server_did_not_issue_is_replaced_not_believed(widget: Widget) -> None:
    # A page choosing its own token (or guessing a weak one another page chose) gets a
    # visitor of its own, never the one that token would name.
    for chosen in ("a" * 32, "mine", "a" * 32 + "." + "0" * 32):
        conn = await widget.open({"token": chosen})
        ready = await _next(conn, "ready")
        assert ready["token"] != chosen and ready["visitor"] != visitor_key(chosen)
        assert ready["visitor"] == visitor_key(ready["token"])
        await conn.close()
        # The issued token is believed as it is when it comes back.
        again = await widget.open({"token": ready["token"]})
        back = await _next(again, "ready")
        assert (back["token"], back["visitor"]) == (ready["token"], ready["visitor"])
        await again.close()


async def test_a_message_sent_with_a_token_never_issued_is_kept_under_a_new_one(
    widget: Widget,
) -> None:
    chosen = "b" * 32
    async with httpx.AsyncClient(base_url=widget.url, headers={"Origin": SHOP}) as http:
        sent = await http.post(
            "/widget/api/messages",
            headers={"X-Widget-Token": chosen},
            json={"client_id": "t1", "text": "我的快递怎么还没到"},
        )
        assert sent.status_code == 200 and sent.json()["type"] == "ack", sent.text
        token = sent.json()["token"]
        assert token != chosen
        await widget.channel.idle()
        polled = await http.get("/widget/api/history", headers={"X-Widget-Token": token})
        assert "token" not in polled.json()  # believed now: nothing to change
        texts = [m["text"] for m in polled.json()["messages"] if m["from"] == "visitor"]
        assert texts == ["我的快递怎么还没到"]
        # A long poll with an unissued token answers at once with the new token.
        fresh = await http.get(
            "/widget/api/history", params={"wait": 20}, headers={"X-Widget-Token": "c" * 32}
        )
        assert fresh.json()["messages"] == [] and fresh.json()["token"] != "c" * 32
    assert await widget.db.customers.find(ChannelIdentity("web", visitor_key(chosen))) is None


async def test_a_token_from_before_marks_keeps_its_visitor_and_is_marked(widget: Widget) -> None:
    # A visitor who wrote before the upgrade: their browser holds the bare old token.
    before = Visitor(visitor_key(OLD_TOKEN))
    assert await widget.channel.receive(before, client_id="old-1", text="is my parcel lost?")
    await widget.channel.idle()
    conn = await widget.open({"token": OLD_TOKEN})
    ready = await _next(conn, "ready")
    assert ready["visitor"] == before.key
    assert ready["token"].startswith(OLD_TOKEN + ".")
    assert [m["client_id"] for m in ready["history"] if m["from"] == "visitor"] == ["old-1"]
    await conn.close()
    again = await widget.open({"token": ready["token"]})
    assert (await _next(again, "ready"))["token"] == ready["token"]
    await again.close()
    # Over HTTP too (the long-polling fallback), and under another key (another process,
    # a restart without widget.token_secret) a visitor who wrote keeps their conversation.
    other = VisitorTokens("another process's key").mark(OLD_TOKEN)
    async with httpx.AsyncClient(base_url=widget.url, headers={"Origin": SHOP}) as http:
        for token in (OLD_TOKEN, other):
            session = (await http.post("/widget/api/session", json={"token": token})).json()
            assert session["visitor"] == before.key and session["token"] == ready["token"]


def test_tokens_are_marked_by_the_servers_key_only() -> None:
    ours, theirs = VisitorTokens("ours"), VisitorTokens("theirs")
    token = ours.issue()
    nonce, _, mark = token.partition(".")
    assert ours.marked(token) and not theirs.marked(token)
    assert not ours.marked(nonce) and not ours.marked(nonce + "." + "0" * 32)
    assert ours.mark(nonce) == token and len(mark) == 32
    assert visitor_key(token) == visitor_key(nonce) == visitor_key(theirs.mark(nonce))


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_readme_node_example_makes_the_signature_the_bot_checks() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("```js\nconst signedAt")
    code = readme[start + len("```js\n") : readme.index("```", start + 10)]
    given = {"userId": "4711", "email": "wei@example.com", "name": "张伟", "SECRET": SECRET}
    script = "".join(f"const {k} = {json.dumps(v)};\n" for k, v in given.items())
    script += code + "console.log(JSON.stringify([signedAt, signature]));\n"
    ran = subprocess.run(
        ["node", "-e", script], capture_output=True, text=True, timeout=60, check=True
    )
    signed_at, signature = json.loads(ran.stdout)
    assert signature == sign(SECRET, "4711", signed_at, email="wei@example.com", name="张伟")


def test_processes_sharing_the_shops_secret_mark_tokens_alike() -> None:
    # Two processes serving the widget (`run` workers): a token one issued is the other's.
    first, second = (widget_token_key(Settings(widget={"identity_secret": "s"})) for _ in "ab")
    assert first is not None and first == second and "s" not in (first, second)
    assert VisitorTokens(second).marked(VisitorTokens(first).issue())
    both = Settings(widget={"identity_secret": "s", "token_secret": "t"})
    assert widget_token_key(both) == "t"
    assert widget_token_key(Settings()) is None  # a random key in each process
