"""Acknowledgements and small talk around a case (issue #15): "cool", "行 我等着", "ok thx" in a
Chinese chat, "when are you back", "改地址弄好了没" are answered as such, never filed on the case
as news, never a fallback or the returns answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from crm_memory import use_clock
from handlers.agents import AgentService
from handlers.cases import asks_if_done, asks_to_hurry
from handlers.dispatcher import Dispatcher, written_language
from handlers.hours import BusinessHours, asks_team_hours
from handlers.resigned import is_resigned
from handlers.turn import Deps
from handlers.types import Reply
from nlu import BuiltinEngine
from tests.handlers.conftest import Clock, FakeDesk, make_say, rated_case

TUESDAY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
FRIDAY_NIGHT = datetime(2026, 11, 27, 19, 30, tzinfo=UTC)
WEEKDAYS = BusinessHours.parse(["Mon-Fri 09:00-18:00"], "UTC")


def _text(replies: list[Reply]) -> str:
    return " ".join(r.text for r in replies)


async def test_a_one_word_nod_with_a_case_is_thanks_and_when_they_hear(
    deps: Deps, engine: BuiltinEngine
) -> None:
    # "cool" was read as out of scope ("That's outside what I can help with").
    clock = Clock(TUESDAY)
    dispatcher = Dispatcher(deps=replace(deps, hours=WEEKDAYS, clock=clock), nlu=engine)
    say = make_say(dispatcher, "4101", "Ivy")
    with use_clock(clock):
        await say("the toaster from order A-1003 only heats on one side")
        (case,) = await deps.cases.all()
        said = _text(await say("cool"))
    assert f"#{case.number}" in said and "at the latest" in said, said
    assert "outside" not in said and "added" not in said, said
    (same,) = await deps.cases.all()
    assert same.summary == case.summary


async def test_a_sour_nod_takes_the_wait_seriously(deps: Deps, engine: BuiltinEngine) -> None:
    # "行 我等着" got "好的👌 还有其他需要帮忙的吗？".
    clock = Clock(TUESDAY)
    dispatcher = Dispatcher(deps=replace(deps, hours=WEEKDAYS, clock=clock), nlu=engine)
    say = make_say(dispatcher, "4102", "老李", "zh")
    with use_clock(clock):
        await say("A-1003的咖啡机坏了 开不了机")
        said = _text(await say("行 我等着"))
    assert "#1" in said and "抱歉" in said and "前" in said, said
    assert "👌" not in said and "还有" not in said, said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("行 我等着", True),
        ("那我等着吧", True),
        ("ok fine", True),
        ("ok i guess ill wait", True),
        ("我等下发你订单号", False),
        ("我等了三天了", False),
        ("行", False),
    ],
)
def test_sour_nods(text: str, expected: bool) -> None:
    assert is_resigned(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ok thx", None),
        ("kk", None),
        ("okay thanks!", None),
        ("lol ok", None),
        ("ok thanks a lot for the help", "en"),
        ("where is my order", "en"),
        ("好的", "zh"),
    ],
)
def test_chat_shorthand_tells_no_language(text: str, expected: str | None) -> None:
    assert written_language(text) == expected


async def test_ok_thx_in_a_chinese_chat_is_answered_in_chinese(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "4103", "小林", "zh")
    await say("A-1003的咖啡机坏了 开不了机")
    said = _text(await say("ok thx"))
    assert "#1" in said and any("\u4e00" <= c <= "\u9fff" for c in said), said
    (customer,) = await dispatcher.deps.customers.all_customers()
    assert customer.language == "zh"


@pytest.mark.parametrize(
    "text",
    [
        "when are you back",
        "wen r u guys back online",
        "are you open tomorrow",
        "r u open on sunday",
        "what time do you close",
        "你们啥时候上班",
        "客服几点回来",
        "明天有人吗",
    ],
)
def test_asks_team_hours(text: str) -> None:
    assert asks_team_hours(text)


@pytest.mark.parametrize(
    "text",
    [
        "when will my refund be back",
        "when is the kettle back in stock",
        "when will someone get back to me",
        "when can i send it back",
        "明天有人送货吗",
        "钱什么时候退回来",
        "你们周末送货吗 我平时上班",
    ],
)
def test_not_team_hours(text: str) -> None:
    assert not asks_team_hours(text)


async def test_when_are_you_back_is_the_hours_not_returns(
    deps: Deps, engine: BuiltinEngine
) -> None:
    clock = Clock(FRIDAY_NIGHT)
    dispatcher = Dispatcher(deps=replace(deps, hours=WEEKDAYS, clock=clock), nlu=engine)
    say = make_say(dispatcher, "4104", "Ivy")
    with use_clock(clock):
        said = _text(await say("when are you back"))
    assert "Monday" in said and "return" not in said.lower(), said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("did the address change go through", True),
        ("has it been sorted yet??", True),
        ("did u change it", True),
        ("改地址弄好了没", True),
        ("加急弄了没", True),
        ("地址改了吗", True),
        ("did my payment go through", False),
        ("能加急吗", False),
        ("the address is changed to 5 high st", False),
    ],
)
def test_asks_if_done(text: str, expected: bool) -> None:
    assert asks_if_done(text) is expected


def test_asking_if_the_hurry_was_done_is_no_new_hurry() -> None:
    assert asks_to_hurry("帮我加急一下")
    assert not asks_to_hurry("加急弄了没")


async def test_back_next_day_asking_if_it_went_through(
    deps: Deps, engine: BuiltinEngine
) -> None:
    # "did the address change go through" was answered with the account-settings text.
    clock = Clock(TUESDAY)
    dispatcher = Dispatcher(deps=replace(deps, hours=WEEKDAYS, clock=clock), nlu=engine)
    say = make_say(dispatcher, "4105", "Ivy")
    with use_clock(clock):
        await say("can i change the delivery address on A-1002")
        await say("Flat 3, 45 Mill Lane, York YO1 7HH")
        (case,) = await deps.cases.all()
        clock.now += timedelta(days=1)
        said = _text(await say("did the address change go through"))
    assert said.startswith("Welcome back"), said
    assert f"#{case.number}" in said and "address" in said, said
    (same,) = await deps.cases.all()
    assert same.summary == case.summary


@pytest.mark.parametrize(("text", "zh"), [("ok", False), ("kk", False), ("好的", True)])
async def test_a_nod_after_the_rating_is_no_comment(
    dispatcher_with_desk: Dispatcher, agents: AgentService, desk: FakeDesk, text: str, zh: bool
) -> None:
    # "ok" after a 5-star rating was stored and "passed on to the team" as a comment.
    say = await rated_case(dispatcher_with_desk, agents, desk, "4106", zh=zh, stars=5)
    said = _text(await say(text))
    (customer,) = await dispatcher_with_desk.deps.customers.all_customers()
    (survey,) = await dispatcher_with_desk.deps.surveys.for_customer(customer.id)
    assert not survey.comment, (survey, said)
    assert "passed" not in said and "转达" not in said, said
