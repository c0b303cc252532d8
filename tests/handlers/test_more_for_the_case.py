"""With a case open: how new the item is goes on the case, a deadline is said back, noted
and makes the case time-sensitive, and leave asked that no answer covers is noted for the
team, not "I'm not sure"."""

from __future__ import annotations

import pytest

from crm_memory import ChannelIdentity, Priority
from handlers.complaint import deadline_said, tells_item_age
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from tests.handlers.conftest import make_say

ANNA = ChannelIdentity("telegram", "100")


@pytest.mark.parametrize(
    "text",
    [
        "its only 2 weeks old",
        "ive barely used it tbh",
        "used it like 3 times",
        "都没用几次",
        "才买了一个礼拜就这样",
        "刚到货就坏了",
    ],
)
def test_the_items_age_is_read(text: str) -> None:
    assert tells_item_age(text)


@pytest.mark.parametrize("text", ["just used the app to pay", "how old is the model", "我要退款"])
def test_other_words_are_not_the_items_age(text: str) -> None:
    assert not tells_item_age(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("i needed it for my daughters birthday on saturday", "Saturday"),
        ("its a gift so i need it by friday", "Friday"),
        ("周六孩子过生日要用的 急", "周六"),
        ("下周一出差前要到", "下周一"),
        ("it was due monday", None),
        ("see you on monday", None),
    ],
)
def test_a_deadline_is_read_only_with_a_need(text: str, day: str | None) -> None:
    assert deadline_said(text) == day


@pytest.mark.parametrize(
    ("detail", "language"), [("its only 2 weeks old", "en"), ("都没用几次", "zh")]
)
async def test_the_items_age_goes_on_the_open_case(
    dispatcher: Dispatcher, deps: Deps, detail: str, language: str
) -> None:
    say = make_say(dispatcher, "100", "Anna", language)
    await say(
        "the blender from A-1003 stopped working" if language == "en" else "A-1003的咖啡机坏了"
    )
    replies = await say(detail)
    assert "#1" in " ".join(r.text for r in replies)
    assert detail in (await deps.cases.get(1)).summary
    customer = await deps.customers.find(ANNA)
    assert customer is not None and len(await deps.cases.for_customer(customer.id)) == 1


@pytest.mark.parametrize(
    ("deadline", "language", "day"),
    [
        ("i needed it for my daughters birthday on saturday", "en", "Saturday"),
        ("周六孩子过生日要用的 急", "zh", "周六"),
    ],
)
async def test_a_deadline_is_said_back_noted_and_makes_the_case_time_sensitive(
    dispatcher: Dispatcher, deps: Deps, deadline: str, language: str, day: str
) -> None:
    say = make_say(dispatcher, "100", "Anna", language)
    await say(
        "the blender from A-1003 stopped working" if language == "en" else "A-1003的咖啡机坏了"
    )
    (reply,) = await say(deadline)
    assert day in reply.text and "#1" in reply.text
    assert "priority" not in reply.text.lower() and "优先级" not in reply.text
    case = await deps.cases.get(1)
    assert case.priority.rank >= Priority.HIGH.rank
    assert any(day in n.text for n in await deps.cases.notes(1))


async def test_leave_no_answer_covers_is_noted_for_the_team(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    say = make_say(dispatcher, "100", "Anna")
    await say("A-1003 wrong item, i ordered a coffee machine and got a kettle")
    question = "can i just keep the kettle and get refunded the difference?"
    replies = await say(question)
    text = " ".join(r.text for r in replies)
    assert "#1" in text and "not sure" not in text
    assert any(question in n.text for n in await deps.cases.notes(1))


@pytest.mark.parametrize(
    ("opener", "language", "said"),
    [
        ("the blender from A-1003 stopped working", "en", None),
        # A leak is an ordinary fault (normal); smoke is a hazard (high, said).
        ("the kettle from A-1003 leaks everywhere", "en", None),
        ("the kettle from A-1003 started smoking", "en", "urgent"),
        ("A-1003的咖啡机不工作了", "zh", None),
        ("A-1003的水壶漏水", "zh", None),
        ("A-1003的水壶漏电", "zh", "加急"),
    ],
)
async def test_a_new_case_says_its_priority_plainly_or_not_at_all(
    dispatcher: Dispatcher, opener: str, language: str, said: str | None
) -> None:
    say = make_say(dispatcher, "100", "Anna", language)
    replies = await say(opener)
    # (A danger's safety advice comes first, as its own reply: the case's is the one with #1.)
    opened = next((r.text for r in replies if "#1" in r.text), "")
    assert "#1" in opened
    assert "priority" not in opened.lower() and "优先级" not in opened
    assert said is None or said in opened
    assert said is not None or ("urgent" not in opened and "加急" not in opened)
