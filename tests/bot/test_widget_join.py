"""An anonymous visitor who signs in: their chat, case and facts join the customer's, once;
a forged sign-in moves nothing; the next person on the same browser gets none of it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

import httpx
import pytest
import websockets

from bot.web_channel import visitor_key
from crm_memory import ChannelIdentity, Direction
from tests.bot import test_widget
from tests.bot.test_widget import SHOP, Widget, _next, _reply, signed

widget = test_widget.widget  # the same served widget fixture


async def _anonymous_chat(widget: Widget, *texts: str) -> str:
    """An anonymous visitor who wrote ``texts`` (each answered); their token."""
    conn = await widget.open({"token": None, "lang": "en"})
    token = str((await _next(conn, "ready"))["token"])
    for n, text in enumerate(texts):
        await conn.send(json.dumps({"type": "message", "client_id": f"a{n}", "text": text}))
        await _next(conn, "ack")
        await widget.channel.idle()
    await conn.close()
    return token


async def _inbound(widget: Widget, key: str) -> list[str]:
    customer = await widget.db.customers.find(ChannelIdentity("web", key))
    if customer is None:
        return []
    history = await widget.db.messages.history(customer.id, limit=100)
    return [m.text for m in history if m.direction is Direction.IN]


async def _sign_in(widget: Widget, user_id: str, token: str | None) -> dict[str, Any]:
    conn = await widget.open({**signed(user_id), "visitor_token": token})
    ready = await _next(conn, "ready")
    await conn.close()
    return ready


async def test_signing_in_joins_the_anonymous_chat_case_and_facts_once(widget: Widget) -> None:
    token = await _anonymous_chat(
        widget,
        "my email is wei.zhang@example.com, order A-1002",
        "I want to talk to a human",
    )
    anonymous = await widget.db.customers.find(ChannelIdentity("web", visitor_key(token)))
    assert anonymous is not None
    cases = await widget.db.cases.for_customer(anonymous.id)
    facts = await widget.db.customers.facts(anonymous.id)
    assert cases and facts
    ready = await _sign_in(widget, "shop-40", token)
    assert ready["joined"] is True
    # The signed-in panel shows what they wrote before, by the page's own client ids.
    mine = [m for m in ready["history"] if m["from"] == "visitor"]
    assert [m["client_id"] for m in mine] == ["a0", "a1"]
    customer = await widget.db.customers.find(ChannelIdentity("web", "u:shop-40"))
    assert customer is not None
    assert [c.number for c in await widget.db.cases.for_customer(customer.id)] == [
        c.number for c in cases
    ]
    assert {f.value for f in await widget.db.customers.facts(customer.id)} >= {
        f.value for f in facts
    }
    # Agents see one customer: the anonymous one is gone, its token reaches no one.
    assert await widget.db.customers.find(ChannelIdentity("web", visitor_key(token))) is None
    assert [c.id for c in await widget.db.customers.all_customers()] == [customer.id]
    # Once: a second tab sending the same token changes nothing.
    again = await _sign_in(widget, "shop-40", token)
    assert again["joined"] is True
    assert len(again["history"]) == len(ready["history"])
    assert len(await _inbound(widget, "u:shop-40")) == 2


async def test_a_forged_sign_in_moves_nothing(widget: Widget) -> None:
    token = await _anonymous_chat(widget, "where is my order A-1001")
    now = int(time.time())
    forged = {"user_id": "shop-41", "signed_at": now, "signature": "0" * 64}
    conn = await widget.open({**forged, "visitor_token": token})
    assert (await _next(conn, "error"))["code"] == "identity"
    with pytest.raises(websockets.ConnectionClosed):
        await conn.recv()
    async with httpx.AsyncClient(base_url=widget.url, headers={"Origin": SHOP}) as http:
        refused = await http.post("/widget/api/session", json={**forged, "visitor_token": token})
        assert refused.status_code == 401
    assert await _inbound(widget, visitor_key(token)) == ["where is my order A-1001"]
    assert await widget.db.customers.find(ChannelIdentity("web", "u:shop-41")) is None


async def test_the_next_person_on_the_same_browser_gets_nothing_of_the_first(
    widget: Widget,
) -> None:
    token = await _anonymous_chat(widget, "I need to change my delivery address")
    assert (await _sign_in(widget, "shop-42", token))["joined"] is True
    # Another person on the same computer, with the same token (a tab left open): as an
    # anonymous visitor they see nothing of the first one's chat ...
    conn = await widget.open({"token": token})
    assert (await _next(conn, "ready"))["history"] == []
    await conn.close()
    # ... and signing in as themselves carries nothing of it over.
    other = await _sign_in(widget, "shop-43", token)
    assert other["joined"] is True and other["history"] == []
    assert await _inbound(widget, "u:shop-43") == []
    assert await _inbound(widget, "u:shop-42") == ["I need to change my delivery address"]


async def test_the_http_fallback_joins_too(widget: Widget) -> None:
    token = await _anonymous_chat(widget, "do you ship to Taiwan?")
    async with httpx.AsyncClient(base_url=widget.url, headers={"Origin": SHOP}) as http:
        session = await http.post(
            "/widget/api/session", json={**signed("shop-44"), "visitor_token": token}
        )
        assert session.status_code == 200 and session.json()["joined"] is True
        texts = [m["text"] for m in session.json()["history"] if m["from"] == "visitor"]
        assert texts == ["do you ship to Taiwan?"]


async def test_a_message_still_being_answered_defers_the_join(widget: Widget) -> None:
    token = await _anonymous_chat(widget, "hello")
    key = visitor_key(token)
    payload = {"visitor": key, "client_id": "late", "text": "are you there?", "kind": "text"}
    await widget.db.inbox.put("web", 424242, json.dumps(payload), sender=key)
    ready = await _sign_in(widget, "shop-45", token)
    assert ready["joined"] is None and ready["history"] == []
    assert await _inbound(widget, key) == ["hello"]
    await widget.db.inbox.done("web", 424242)
    assert (await _sign_in(widget, "shop-45", token))["joined"] is True
    assert await _inbound(widget, "u:shop-45") == ["hello"]


async def test_the_agent_on_the_anonymous_chat_keeps_answering_the_customer(
    widget: Widget,
) -> None:
    token = await _anonymous_chat(widget, "I want to talk to a human")
    (case,) = await widget.db.cases.all()
    await widget.agents.take(case.number, "Li")
    conn = await widget.open({**signed("shop-46"), "visitor_token": token})
    assert (await _next(conn, "ready"))["joined"] is True
    owner = await widget.channel._dispatcher.deps.state.owner("web:u:shop-46")
    assert (owner.agent, owner.case_number) == ("Li", case.number)
    await widget.agents.reply(case.number, "Li", "Hi, Li here. Still with you.")
    said = await _reply(conn, "Still with you")
    assert said["from"] == "agent"
    await conn.close()


async def test_without_a_token_or_signed_in_nothing_is_said(widget: Widget) -> None:
    ready = await _sign_in(widget, "shop-47", None)
    assert "joined" not in ready
    conn = await widget.open({"token": None, "visitor_token": "x" * 40})
    assert "joined" not in await _next(conn, "ready")
    await conn.close()


async def test_a_question_asked_before_signing_in_is_answered_after_it(widget: Widget) -> None:
    """The bot asked the anonymous visitor for their order number; they sign in (the shop's
    page after its log-in) and give it: it is the answer to that question, not a new chat."""
    conn = await widget.open({"token": None, "lang": "en"})
    token = str((await _next(conn, "ready"))["token"])
    await conn.send(
        json.dumps({"type": "message", "client_id": "q0", "text": "my kettle arrived cracked"})
    )
    asked = await _reply(conn, "case #")
    number = asked["text"].split("case #")[1].split()[0]
    await widget.channel.idle()
    await conn.close()
    conn = await widget.open({**signed("shop-48"), "visitor_token": token})
    assert (await _next(conn, "ready"))["joined"] is True
    await conn.send(json.dumps({"type": "message", "client_id": "q1", "text": "A-1002"}))
    # Before, the question was left behind with the anonymous chat: "A-1002" alone was read
    # as "where is my order" and the case never got its order.
    answer = await _next(conn, "message")
    assert f"order A-1002 to case #{number}" in answer["text"], answer["text"]
    await conn.close()


async def test_a_rating_offered_before_signing_in_is_not_offered_again(widget: Widget) -> None:
    """The anonymous visitor was offered the one-tap rating of the bot; signed in, a second
    "thanks" gets a plain answer, not the same five buttons again."""
    conn = await widget.open({"token": None, "lang": "en"})
    token = str((await _next(conn, "ready"))["token"])
    for n, text in enumerate(("what are your opening hours?", "thanks!")):
        await conn.send(json.dumps({"type": "message", "client_id": f"r{n}", "text": text}))
        await _next(conn, "ack")
        await widget.channel.idle()
    offered = []
    while not offered:
        offered = [b["payload"] for b in (await _next(conn, "message"))["buttons"]]
    assert offered[0].startswith("botrate:")
    await conn.close()
    conn = await widget.open({**signed("shop-49"), "visitor_token": token})
    assert (await _next(conn, "ready"))["joined"] is True
    await conn.send(json.dumps({"type": "message", "client_id": "r2", "text": "thank you"}))
    await _next(conn, "ack")
    await widget.channel.idle()
    answers = [await _next(conn, "message")]
    with contextlib.suppress(TimeoutError):  # the turn's replies, however many there are
        while True:
            async with asyncio.timeout(1.5):
                answers.append(await _next(conn, "message"))
    assert "Happy to help" in answers[0]["text"] or "welcome" in answers[0]["text"]
    assert [b for a in answers for b in a["buttons"]] == [], answers
    await conn.close()
