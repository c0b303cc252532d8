"""'How long' with a case open: the team's targets (agents.sla) in working time, one status."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from crm_memory import CaseStatus, Priority, use_clock
from handlers.cases import still_nothing, within
from handlers.dispatcher import Dispatcher
from handlers.hours import BusinessHours
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import Clock, make_say

TUESDAY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
WEEKDAYS = BusinessHours.parse(["Mon-Fri 09:00-18:00"], "UTC")


async def test_a_case_with_people_is_timed_by_the_first_reply_target(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(TUESDAY)
    dispatcher = Dispatcher(deps=replace(deps, hours=WEEKDAYS, clock=clock), nlu=engine)
    say = make_say(dispatcher, "350", "Eve")
    with use_clock(clock):
        await say("the kettle from order A-1003 is not what i ordered, wrong model")
        await say("i want to speak to a human")
        clock.now += timedelta(minutes=20)
        (eta,) = await say("how long will this take")
    # Normal priority: a first reply within 60 working minutes of the hand-over at 15:00.
    assert "#1" in eta.text and "1 hour" in eta.text
    assert "today (Tuesday) 16:00" in eta.text


async def test_past_the_target_sorry_and_the_case_raised(deps: Deps, engine: BuiltinEngine) -> None:
    clock = Clock(TUESDAY)
    dispatcher = Dispatcher(deps=replace(deps, hours=WEEKDAYS, clock=clock), nlu=engine)
    say = make_say(dispatcher, "351", "Eve")
    with use_clock(clock):
        await say("the kettle from order A-1003 is not what i ordered, wrong model")
        await say("i want to speak to a human")
        clock.now += timedelta(hours=3, minutes=30)  # 18:30: 3 working hours, team away
        (late,) = await say("how long will this take")
    case = await deps.cases.get(1)
    assert case.priority is Priority.HIGH
    assert "sorry" in late.text.lower() and "high" in late.text
    assert "back tomorrow (Wednesday) 09:00" in late.text
    notes = await deps.cases.notes(1)
    assert any("waited" in n.text for n in notes)


async def test_an_agent_s_case_is_timed_by_the_resolution_target(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(TUESDAY)
    dispatcher = Dispatcher(deps=replace(deps, hours=WEEKDAYS, clock=clock), nlu=engine)
    say = make_say(dispatcher, "352", "Eve")
    with use_clock(clock):
        await say("the kettle from order A-1003 is not what i ordered, wrong model")
        await say("i want to speak to a human")
        assert (await deps.cases.assign(1, "maria")).status is CaseStatus.ASSIGNED
        clock.now += timedelta(hours=1)
        (eta,) = await say("how long will this take")
        (again,) = await say("can i talk to a person")
    assert "Maria" in eta.text and "#1" in eta.text
    # 1440 working minutes (24 h) from Tuesday 15:00 at 9 h a day: Friday 12:00.
    assert "Friday 12:00" in eta.text
    assert "Maria" in again.text and "next" not in again.text


async def test_still_nothing_is_the_status_and_when(deps: Deps, engine: BuiltinEngine) -> None:
    clock = Clock(TUESDAY)
    dispatcher = Dispatcher(deps=replace(deps, hours=WEEKDAYS, clock=clock), nlu=engine)
    say = make_say(dispatcher, "353", "Eve")
    with use_clock(clock):
        await say("the kettle from order A-1003 is not what i ordered, wrong model")
        await say("i want to speak to a human")
        clock.now += timedelta(minutes=10)
        (eta,) = await say("still nothing")
    assert "#1" in eta.text and "today (Tuesday) 16:00" in eta.text
    assert await deps.cases.notes(1) == [] or all(
        "still nothing" not in n.text for n in await deps.cases.notes(1)
    )


@pytest.mark.parametrize(
    "text", ["still nothing arrived", "still no reply", "nothing yet", "还是没消息", "一直没动静"]
)
def test_still_nothing_words(text: str) -> None:
    assert still_nothing(text)


@pytest.mark.parametrize(
    "text",
    ["still works fine", "i have nothing else to add", "pressed it and nothing happened", "没事了"],
)
def test_not_still_nothing(text: str) -> None:
    assert not still_nothing(text)


def test_within() -> None:
    assert within(timedelta(minutes=30), "en") == "30 minutes"
    assert within(timedelta(hours=1), "en") == "1 hour"
    assert within(timedelta(hours=4), "zh") == "4 小时"
