"""The money of an open case wanted today ("I want my money back today", "今天就要退"): when
that case's money comes by its own step, that it can't be sped up from here and what can,
never the returns policy (the refund 3-5 days after the item reaches the warehouse)."""

from __future__ import annotations

import pytest

import handlers.dispatcher  # noqa: F401  (imports the handlers in their working order)
from handlers import cases
from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    "text",
    [
        "I want my money back today",
        "just refund me right now",
        "pls i need my refund today",
        "give me my money back asap",
        "今天就要退",
        "马上把钱退给我",
        "现在就退款",
    ],
)
def test_the_money_wanted_now(text: str) -> None:
    assert cases.wants_money_now(text), text


@pytest.mark.parametrize(
    "text",
    [
        "how long will the refund take",  # no now: the case's step asked after
        "the kettle arrived broken today, i want a refund",  # a fault told: a case's matter
        "where is my order today",  # no money
        "今天到了",
    ],
)
def test_not_the_money_wanted_now(text: str) -> None:
    assert not cases.wants_money_now(text), text


@pytest.mark.parametrize(
    ("opener", "wish", "language", "expected", "sooner"),
    [
        ("i was charged twice for order A-1003", "I want my money back today", "en",
         "1 working day", "faster"),
        ("订单A-1003扣了我两次钱", "今天就要退", "zh", "1 个工作日", "加快"),
        ("order A-1005 is late, please open a case", "just refund me right now", "en",
         "2 working days", "faster"),
    ],
)  # fmt: skip
async def test_the_cases_own_time_not_the_returns_policy(
    dispatcher: Dispatcher, opener: str, wish: str, language: str, expected: str, sooner: str
) -> None:
    say = make_say(dispatcher, "9601", "小安" if language == "zh" else "Ana", language)
    await say(opener)
    text = " ".join(r.text for r in await say(wish))
    assert "#1" in text and expected in text and sooner in text, text
    assert "warehouse" not in text and "退回仓库" not in text, text
