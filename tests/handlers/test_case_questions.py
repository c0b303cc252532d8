"""Questions asked while a case is open are answered, not filed as case detail; a customer
who will pay another way is acknowledged; one place decides what is a question (issue #15)."""

from __future__ import annotations

import pytest

from crm_memory import ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.questions import is_question
from handlers.turn import Deps
from tests.handlers.conftest import make_say

# (language, the problem that opens a case, a question about it only a person can decide)
FOR_THE_TEAM = [
    (
        "en",
        "the coffee machine from A-1003 came with a cracked drip tray",
        "can i just keep it and get a new tray sent as well",
    ),
    ("zh", "A-1003的咖啡机接水盘裂了", "能不能机器我留着 你们再单独寄个接水盘"),
]


@pytest.mark.parametrize(("language", "problem", "question"), FOR_THE_TEAM)
async def test_a_question_only_the_team_can_answer_is_said_so_and_noted(
    dispatcher: Dispatcher, deps: Deps, language: str, problem: str, question: str
) -> None:
    user = f"1600-{language}"
    say = make_say(dispatcher, user, "Ivy", language)
    await say(problem)
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    assert customer is not None
    (case,) = await deps.cases.for_customer(customer.id)
    replies = await say(question)
    text = " ".join(r.text for r in replies)
    assert f"#{case.number}" in text
    assert ("team" in text) if language == "en" else ("客服" in text), text
    # The question is not put on the case as more detail; it is a note of its own.
    after = await deps.cases.get(case.number)
    assert question not in after.summary, after.summary
    notes = [n.text for n in await deps.cases.notes(case.number)]
    assert any(question in n for n in notes), notes


@pytest.mark.parametrize(
    ("language", "said", "way"),
    [("en", "ok nvm ill try paypal", "PayPal"), ("zh", "算了 我用支付宝试试", "支付宝")],
)
async def test_paying_another_way_after_a_failed_payment_is_acknowledged(
    dispatcher: Dispatcher, deps: Deps, language: str, said: str, way: str
) -> None:
    user = f"1601-{language}"
    say = make_say(dispatcher, user, "Ivy", language)
    await say("my payment failed" if language == "en" else "付款失败了")
    text = " ".join(r.text for r in await say(said))
    assert way in text, text
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    assert customer is not None
    assert await deps.cases.for_customer(customer.id) == []


def test_one_place_decides_what_is_a_question() -> None:
    # Anywhere in the sentence, by default.
    assert is_question("then where is it") and is_question("要是已经发货了呢")
    assert is_question("运费谁出") and is_question("行不行")
    assert not is_question("放门卫") and not is_question("the blue door, flat 3")
    # In its form only: "i can wait" and "the box is open" ask nothing.
    assert is_question("can i get a refund", form=True)
    assert not is_question("the box is open", form=True) and is_question("the box is open")
    # Without auxiliaries: "nah i will wait" turns an offer down; "where" still asks.
    assert not is_question("nah i will wait", auxiliaries=False)
    assert is_question("nah where would i even find it", auxiliaries=False)
