"""Customers asking about their case: an estimate from the hours, the case in their language."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from crm_memory import use_clock
from handlers.dispatcher import Dispatcher
from handlers.hours import BusinessHours
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import Clock, make_say

TUESDAY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
WEEKDAYS = BusinessHours.parse(["Mon-Fri 09:00-18:00"], "UTC")


async def test_how_much_longer_is_an_estimate_from_the_hours(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(TUESDAY)
    dispatcher = Dispatcher(deps=replace(deps, hours=WEEKDAYS, clock=clock), nlu=engine)
    say = make_say(dispatcher, "300", "Eve")
    with use_clock(clock):
        await say("the kettle from order A-1003 is not what i ordered, wrong model")
        clock.now += timedelta(hours=2)
        (status,) = await say("any update on my case?")
        (eta,) = await say("how much longer?")
    # One working day (9 h) from Tuesday 15:00: 3 h today, 6 h tomorrow -> Wednesday 15:00.
    assert "tomorrow (Wednesday) 15:00" in eta.text and "2 hours" in eta.text
    assert eta.text != status.text


async def test_an_overdue_case_gets_an_apology_and_a_person(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(TUESDAY)
    dispatcher = Dispatcher(deps=replace(deps, hours=WEEKDAYS, clock=clock), nlu=engine)
    say = make_say(dispatcher, "301", "Eve")
    with use_clock(clock):
        await say("the kettle from order A-1003 is not what i ordered, wrong model")
        clock.now += timedelta(days=2)
        (eta,) = await say("how much longer will this take")
    assert "sorry" in eta.text.lower() and "human" in [b.payload for b in eta.buttons]


async def test_a_chinese_reply_names_the_case_in_chinese(deps: Deps, engine: BuiltinEngine) -> None:
    say = make_say(Dispatcher(deps=deps, nlu=engine), "302", "Kevin")
    await say("the coffee machine from A-1003 arrived with a cracked lid")
    (status,) = await say("我的工单现在怎么样了")
    assert "#1" in status.text and "订单 A-1003" in status.text
    assert not any(word in status.text for word in ("cracked", "arrived", "coffee"))


async def test_opening_hours_come_from_the_configuration(deps: Deps, engine: BuiltinEngine) -> None:
    hours = BusinessHours.parse(["Mon-Fri 08:00-20:00"], "Europe/London")
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    dispatcher = Dispatcher(deps=replace(deps, hours=hours, clock=lambda: saturday), nlu=engine)
    (answer,) = await make_say(dispatcher, "303", "Ruth")("what are your opening hours")
    assert "Monday to Friday 08:00-20:00" in answer.text
    assert "Saturday and Sunday" in answer.text and "back Monday 08:00" in answer.text
    assert "9:00-18:00" not in answer.text  # not the FAQ's fixed text
