"""Who is there: agents see a website visitor typing (rate-limited events on the desk's
stream), and a visitor who asks for a person while the team is off is told in the panel
what happens next (en and zh)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime

from bot.web.events import TOPIC
from bot.web.widget import TYPINGS_PER_MINUTE
from crm_memory import ChannelIdentity
from handlers.hours import BusinessHours
from tests.bot import test_widget
from tests.bot.test_widget import Widget, _next

widget = test_widget.widget  # the same served widget fixture

SUNDAY_NIGHT = datetime(2026, 11, 29, 22, 30, tzinfo=UTC)  # Monday 06:30 in Shanghai
HOURS = BusinessHours.parse(["Mon-Fri 09:00-18:00"], "Asia/Shanghai")


async def _desk_events(widget: Widget, wanted: int, seconds: float) -> list[dict[str, object]]:
    """What the desk's stream carries for ``seconds`` (at most ``wanted`` events)."""
    source = widget.channel.state.subscribe(TOPIC)
    heard: list[dict[str, object]] = []
    try:
        async with asyncio.timeout(seconds):
            async for data in source:
                heard.append(json.loads(data))
                if len(heard) >= wanted:
                    break
    except TimeoutError:
        pass
    finally:
        await source.aclose()  # type: ignore[attr-defined]
    return heard


async def test_agents_see_the_visitor_typing_a_bounded_number_of_times(widget: Widget) -> None:
    conn = await widget.open({"token": None})
    visitor = str((await _next(conn, "ready"))["visitor"])
    # Before they wrote there is no customer (and no case): nothing to show it on.
    listening = asyncio.ensure_future(_desk_events(widget, 1, 1.5))
    await asyncio.sleep(0.1)
    await conn.send(json.dumps({"type": "typing"}))
    assert await listening == []
    await conn.send(json.dumps({"type": "message", "client_id": "t1", "text": "hello"}))
    await _next(conn, "ack")
    await widget.channel.idle()
    customer = await widget.db.customers.find(ChannelIdentity("web", visitor))
    assert customer is not None
    listening = asyncio.ensure_future(_desk_events(widget, 100, 2.0))
    await asyncio.sleep(0.1)
    for _ in range(TYPINGS_PER_MINUTE + 10):  # a page gone wrong, or someone scripting it
        await conn.send(json.dumps({"type": "typing"}))
    await conn.send(json.dumps({"type": "ping"}))
    assert (await _next(conn, "pong")) == {"type": "pong"}  # typing is answered with nothing
    heard = await listening
    typing = [e for e in heard if e["type"] == "typing"]
    # One was spent before the visitor wrote: the rest of the minute's allowance reaches the
    # desk, each naming the customer, so only their case page shows it.
    assert typing and len(typing) == TYPINGS_PER_MINUTE - 1
    assert {e["customer"] for e in typing} == {customer.id}
    await conn.close()


async def test_asking_for_a_person_while_the_team_is_off_says_what_happens_next(
    widget: Widget,
) -> None:
    dispatcher = widget.channel._dispatcher
    dispatcher.deps = replace(dispatcher.deps, hours=HOURS, clock=lambda: SUNDAY_NIGHT)
    for lang, text, back in (
        ("en", "I want to talk to a real person", "Monday 09:00"),
        ("zh", "转人工，我要找真人客服", "周一 09:00"),
    ):
        conn = await widget.open({"token": None, "lang": lang})
        ready = await _next(conn, "ready")
        assert "notice" not in ready
        await conn.send(json.dumps({"type": "message", "client_id": "h1", "text": text}))
        await _next(conn, "ack")
        await widget.channel.idle()
        notice = await _next(conn, "notice")
        customer = await widget.db.customers.find(ChannelIdentity("web", str(ready["visitor"])))
        assert customer is not None
        (case,) = await widget.db.cases.for_customer(customer.id)
        assert notice == {"type": "notice", "code": "team_away", "case": case.number, "back": back}
        await conn.close()
        # Still waiting on the next page: the panel says it again.
        again = await widget.open({"token": ready["token"], "lang": lang})
        assert (await _next(again, "ready"))["notice"] == notice
        await again.close()
        # Once an agent answered, nothing more to say.
        await widget.agents.reply(case.number, "Li", "Li here, early shift.")
        answered = await widget.open({"token": ready["token"], "lang": lang})
        assert "notice" not in await _next(answered, "ready")
        await answered.close()


async def test_in_hours_or_without_hours_there_is_no_notice(widget: Widget) -> None:
    dispatcher = widget.channel._dispatcher
    monday = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai
    for deps in (dispatcher.deps, replace(dispatcher.deps, hours=HOURS, clock=lambda: monday)):
        dispatcher.deps = deps
        conn = await widget.open({"token": None})
        token = (await _next(conn, "ready"))["token"]
        frame = {"type": "message", "client_id": "n1", "text": "I want to talk to a human"}
        await conn.send(json.dumps(frame))
        await _next(conn, "ack")
        await widget.channel.idle()
        await conn.close()
        again = await widget.open({"token": token})
        assert "notice" not in await _next(again, "ready")
        await again.close()
