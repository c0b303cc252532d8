"""Venting asked as a question, a replacement turned down in a question, and a promised time
missed (issue #15, brief C47): "为啥老是坏" got the case's bare status, "what kind of service is
this" the contact page, "why would i want a replacement thatll just break too" how
replacements work, and "hi" the day after a missed "by 10:00" only the status again."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from crm_memory import Priority, use_clock
from handlers.cases import CHOICE_NOTE, MISSED_NOTE, PROMISE_NOTE
from handlers.dispatcher import Dispatcher
from handlers.hours import BusinessHours
from handlers.remedy import _DOUBTS_REPLACEMENT
from handlers.turn import Deps
from handlers.types import Reply
from handlers.wording import REPEAT, RHETORICAL
from nlu import BuiltinEngine
from tests.handlers.conftest import Clock, make_say

MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
WEEKDAYS = BusinessHours.parse(["Mon-Fri 09:00-18:00"], "UTC")


def _text(replies: list[Reply]) -> str:
    return " ".join(r.text for r in replies)


@pytest.mark.parametrize(
    "text",
    [
        "why does this always happen to me",
        "why does it keep doing this",
        "what kind of service is this",
        "is this a joke",
        "r u kidding me",
        "为啥老是坏",
        "怎么又坏了",
        "你们就是这么做售后的？",
        "这都第几次了",
        "开什么玩笑",
    ],
)
def test_rhetorical_venting_is_read_as_such(text: str) -> None:
    assert RHETORICAL.search(text), text


@pytest.mark.parametrize(
    "text",
    ["where is my order", "why was my order cancelled", "怎么退货", "什么时候到", "怎么一直没发货"],
)
def test_plain_questions_are_not_venting(text: str) -> None:
    assert not RHETORICAL.search(text), text


@pytest.mark.parametrize(
    ("text", "repeat"),
    [
        ("why does this always happen", True),
        ("怎么又坏了", True),
        ("这都第几次了", True),
        ("what kind of service is this", False),
        ("你们就是这么做售后的？", False),
    ],
)
def test_a_repeat_is_told_from_plain_venting(text: str, repeat: bool) -> None:
    assert bool(REPEAT.search(text)) is repeat, text


@pytest.mark.parametrize(
    ("vent", "zh"),
    [("why does this always happen to me", False), ("为啥老是坏", True), ("这都第几次了", True)],
)
async def test_a_repeat_fault_vented_gets_an_apology_and_the_case_raised(
    dispatcher: Dispatcher, deps: Deps, vent: str, zh: bool
) -> None:
    say = make_say(dispatcher, "4701", "小王" if zh else "Ravi", "zh" if zh else "en")
    await say("订单A-1003的咖啡机坏了 开不了机" if zh else "the coffee machine from A-1003 broke")
    (case,) = await deps.cases.all()
    said = _text(await say(vent))
    assert f"#{case.number}" in said and ("抱歉" if zh else "sorry") in said, said
    (raised,) = await deps.cases.all()
    assert raised.priority.rank >= Priority.HIGH.rank
    notes = await deps.cases.notes(case.number)
    assert any("repeat fault" in n.text for n in notes), notes


@pytest.mark.parametrize(
    ("vent", "zh"), [("what kind of service is this", False), ("你们就是这么做售后的？", True)]
)
async def test_venting_in_a_question_is_no_faq_answer_nor_a_bare_status(
    dispatcher: Dispatcher, deps: Deps, vent: str, zh: bool
) -> None:
    say = make_say(dispatcher, "4702", "小李" if zh else "Mia", "zh" if zh else "en")
    await say("订单A-1003的咖啡机坏了 开不了机" if zh else "the coffee machine from A-1003 broke")
    said = _text(await say(vent))
    sorry = ("抱歉", "对不起") if zh else ("sorry",)
    assert any(w in said for w in sorry) and "#1" in said, said
    assert "support@" not in said and "已创建" not in said and "opened 1" not in said, said


@pytest.mark.parametrize(
    "text",
    [
        "why would i want a replacement thatll just break too",
        "another one? no thanks",
        "a replacement? nah it'll probably break too",
        "a new one? what for",
        "whats the point of a replacement",
        "换了还不是一样坏",
        "还换？算了吧",
        "换新的有啥用",
        "不想再换了",
    ],
)
def test_a_replacement_doubted_is_read_as_turned_down(text: str) -> None:
    assert _DOUBTS_REPLACEMENT.search(text), text


@pytest.mark.parametrize(
    "text",
    ["yes a replacement please", "how long does a replacement take", "换货要多久", "换个新的吧"],
)
def test_a_replacement_wanted_or_asked_about_is_not_turned_down(text: str) -> None:
    assert not _DOUBTS_REPLACEMENT.search(text), text


@pytest.mark.parametrize(
    ("no", "zh"),
    [
        ("why would i want a replacement thatll just break too", False),
        # Two clauses: one answer (it was how replacements work, then a remark).
        ("a replacement? nah it'll probably break too", False),
        ("还换？算了吧", True),
    ],
)
async def test_a_replacement_turned_down_is_the_refund_noted_on_the_case(
    dispatcher: Dispatcher, deps: Deps, no: str, zh: bool
) -> None:
    say = make_say(dispatcher, "4703", "小周" if zh else "Ed", "zh" if zh else "en")
    await say("订单A-1003的咖啡机坏了 开不了机" if zh else "the coffee machine from A-1003 broke")
    said = _text(await say(no))
    assert ("退款" if zh else "refund") in said and "#1" in said, said
    assert "post office" not in said and "邮局" not in said, said
    notes = await deps.cases.notes(1)
    choices = [n.text for n in notes if n.text.startswith(CHOICE_NOTE)]
    assert choices and choices[-1].startswith(f"{CHOICE_NOTE}refund"), notes


@pytest.mark.parametrize("zh", [False, True])
async def test_a_promised_time_missed_is_owned_up_to_the_next_day(
    deps: Deps, engine: BuiltinEngine, zh: bool
) -> None:
    clock = Clock(MONDAY)
    dispatcher = Dispatcher(deps=replace(deps, hours=WEEKDAYS, clock=clock), nlu=engine)
    say = make_say(dispatcher, "4704", "小陈" if zh else "Sam", "zh" if zh else "en")
    with use_clock(clock):
        await say(
            "订单A-1003的咖啡机坏了 开不了机" if zh else "the coffee machine from A-1003 broke"
        )
        await say("好的 谢谢" if zh else "ok thanks")
        notes = await deps.cases.notes(1)
        assert any(n.text.startswith(PROMISE_NOTE) for n in notes), notes
        clock.now += timedelta(hours=28)
        said = _text(await say("在吗" if zh else "hi"))
        clock.now += timedelta(days=1)
        again = _text(await say("在吗" if zh else "hi"))
    assert said.startswith("非常抱歉" if zh else "I'm sorry"), said
    assert "#1" in said and ("10:00" in said), said
    (case,) = await deps.cases.all()
    assert case.priority.rank >= Priority.HIGH.rank
    notes = await deps.cases.notes(1)
    assert sum(n.text.startswith(MISSED_NOTE) for n in notes) == 1, notes
    assert "10:00" not in again, again  # owned up to once


async def test_no_apology_for_a_time_not_yet_passed(deps: Deps, engine: BuiltinEngine) -> None:
    clock = Clock(MONDAY)
    dispatcher = Dispatcher(deps=replace(deps, hours=WEEKDAYS, clock=clock), nlu=engine)
    say = make_say(dispatcher, "4705", "Sam")
    with use_clock(clock):
        await say("the coffee machine from A-1003 broke")
        await say("ok thanks")
        clock.now += timedelta(hours=6)
        said = _text(await say("hi"))
    assert said.startswith("Welcome back"), said


async def test_an_outburst_in_two_clauses_gets_one_apology(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    # "搞什么啊 开什么玩笑" got two apologies, one per clause.
    say = make_say(dispatcher, "4706", "阿强", "zh")
    await say("订单A-1003的咖啡机坏了 开不了机")
    replies = await say("搞什么啊 开什么玩笑")
    said = _text(replies)
    assert len(replies) == 1 and said.count("抱歉") + said.count("对不起") == 1, replies
