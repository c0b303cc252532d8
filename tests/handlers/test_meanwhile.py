"""With a case open, what to do meanwhile gets advice for the case's situation, and its
priority asked is said as it is set (never raised unasked, never "for the team to decide")."""

from __future__ import annotations

import pytest

from crm_memory import ChannelIdentity, Priority
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from tests.handlers.conftest import make_say

# (language, a parcel shown delivered that never came, what to do asked, a word of the advice)
DELIVERED = [
    ("en", "A-1003 says delivered but nothing came", "should i go ask the neighbours?", "photo"),
    ("zh", "A-1003显示签收了 但我没收到", "那要不要我自己去找找", "签收照片"),
]


@pytest.mark.parametrize(("language", "problem", "question", "advice"), DELIVERED)
async def test_what_to_do_meanwhile_is_advice_for_the_situation(
    dispatcher: Dispatcher, language: str, problem: str, question: str, advice: str
) -> None:
    say = make_say(dispatcher, f"8701-{language}", "Ivy", language)
    await say(problem)
    text = " ".join(r.text for r in await say(question))
    assert advice in text and "#1" in text, text
    assert "decide" not in text and "来决定" not in text, text


@pytest.mark.parametrize(
    ("language", "question", "said"),
    [("en", "is my case marked urgent?", "normal"), ("zh", "我的工单是加急的吗", "普通")],
)
async def test_the_priority_asked_is_said_not_raised(
    dispatcher: Dispatcher, deps: Deps, language: str, question: str, said: str
) -> None:
    user = f"8702-{language}"
    say = make_say(dispatcher, user, "Ivy", language)
    await say("the kettle from A-1001 leaks" if language == "en" else "A-1001的水壶漏水")
    text = " ".join(r.text for r in await say(question))
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    assert customer is not None
    (case,) = await deps.cases.for_customer(customer.id)
    assert said in text, text
    assert case.priority is Priority.NORMAL
