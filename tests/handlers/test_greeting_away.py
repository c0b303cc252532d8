"""A hello out of the team's hours ("hello is anyone there" on a Sunday evening, "在吗 有人
吗") says it is the assistant, when the team is back, and what it can do now."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from handlers.dispatcher import Dispatcher
from handlers.hours import BusinessHours
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import make_say

SUNDAY_EVENING = datetime(2026, 11, 29, 19, 40, tzinfo=UTC)
WEEKDAYS = BusinessHours.parse(["Mon-Fri 09:00-18:00"], "UTC")


async def test_hello_out_of_hours_says_when_the_team_is_back(
    deps: Deps, engine: BuiltinEngine
) -> None:
    away = replace(deps, hours=WEEKDAYS, clock=lambda: SUNDAY_EVENING)
    say = make_say(Dispatcher(deps=away, nlu=engine), "1731", "Kate")
    (hello,) = await say("hello is anyone there")
    assert "assistant" in hello.text and "back Monday 09:00" in hello.text, hello.text
    assert "orders" in hello.text, hello.text


async def test_zh_hello_out_of_hours(deps: Deps, engine: BuiltinEngine) -> None:
    away = replace(deps, hours=WEEKDAYS, clock=lambda: SUNDAY_EVENING)
    say = make_say(Dispatcher(deps=away, nlu=engine), "1732", "小郑", "zh")
    (hello,) = await say("在吗 有人吗")
    assert "智能助手" in hello.text and "周一 09:00回来" in hello.text, hello.text


async def test_hello_in_hours_is_the_usual_welcome(deps: Deps, engine: BuiltinEngine) -> None:
    monday = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    open_now = replace(deps, hours=WEEKDAYS, clock=lambda: monday)
    say = make_say(Dispatcher(deps=open_now, nlu=engine), "1733", "Kate")
    (hello,) = await say("hello is anyone there")
    assert "assistant" in hello.text and "back Monday" not in hello.text, hello.text
