"""General questions asked while a case is open: answered, the case named once (issue #15)."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("language", "problem", "question", "bot_word"),
    [
        (
            "en",
            "the coffee machine from A-1003 is leaking everywhere",
            "are you even a real person",
            "bot",
        ),
        ("zh", "A-1003的咖啡机漏水了 没法用", "你是真人吗", "机器人"),
    ],
)
async def test_are_you_a_person_with_a_case_open_is_answered_and_names_the_case(
    dispatcher: Dispatcher,
    language: str,
    problem: str,
    question: str,
    bot_word: str,
) -> None:
    say = make_say(dispatcher, f"1500-{language}", "Ivy", language)
    await say(problem)
    (answer,) = await say(question)
    assert bot_word in answer.text  # the honest answer first...
    assert answer.text.count("#1") == 1  # ...and the case, once, not its status block


@pytest.mark.parametrize(
    ("language", "problem", "status", "kind", "wrong"),
    [
        (
            "en",
            "my headphones from A-1002 won't charge anymore, the left one is dead",
            "what's the status of my case",
            "faulty",
            "payment",
        ),
        ("zh", "A-1002的耳机充不进电了 充电盒灯都不亮", "我的工单现在怎么样了", "故障", "扣款"),
    ],
)
async def test_a_device_that_will_not_charge_is_a_faulty_case_not_a_payment_one(
    dispatcher: Dispatcher, language: str, problem: str, status: str, kind: str, wrong: str
) -> None:
    say = make_say(dispatcher, f"1501-{language}", "Bo", language)
    await say(problem)
    text = " ".join(r.text for r in await say(status))
    assert "#1" in text and kind in text and wrong not in text


@pytest.mark.parametrize(
    ("language", "problem", "question"),
    [
        ("en", "the coffee machine from A-1003 arrived cracked", "how long will the new one take"),
        ("zh", "A-1003的咖啡机收到就裂了", "换的新的要多久能到"),
    ],
)
async def test_how_long_the_new_one_takes_is_the_replacements_shipping_time(
    dispatcher: Dispatcher, language: str, problem: str, question: str
) -> None:
    say = make_say(dispatcher, f"1502-{language}", "Cy", language)
    await say(problem)
    text = " ".join(r.text for r in await say(question))
    assert "2-4" in text and "#1" in text
