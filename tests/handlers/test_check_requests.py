"""Asking for orders to be looked up is a status question, not a complaint, until something is
said to be wrong; an order named with "what's up" ("A-8830怎么回事") goes with the clause after
it (tried as customers write: a case was opened for "pls look into A-1001 and A-1003", and the
returns policy answered "A-8830怎么回事 还没到")."""

from __future__ import annotations

import pytest

from handlers.context import only_asks_to_check
from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "orders", "expected"),
    [
        ("pls look into A-1001 and A-1003", ["A-1001", "A-1003"], True),
        ("could you check on order 88231 please thanks", ["88231"], True),
        ("帮我查一下A-1002和A-1003", ["A-1002", "A-1003"], True),
        ("pls look into A-1001 its broken", ["A-1001"], False),
        ("check A-1001, the lid is cracked", ["A-1001"], False),
        ("A-1001 还没到 帮我查一下", ["A-1001"], False),
        ("look into it", [], False),
    ],
)
def test_only_a_check_is_told_from_a_problem(text: str, orders: list[str], expected: bool) -> None:
    assert only_asks_to_check(text, orders) is expected


async def test_two_orders_to_look_into_get_their_statuses_not_a_case(
    dispatcher: Dispatcher,
) -> None:
    replies = await make_say(dispatcher, "7701", "Tomasz")("pls look into A-1001 and A-1003")
    text = " ".join(r.text for r in replies)
    assert "A-1001" in text and "A-1003" in text and "DHL" in text, text
    assert "case #" not in text, text


async def test_an_order_with_whats_up_goes_with_the_clause_after_it(dispatcher: Dispatcher) -> None:
    replies = await make_say(dispatcher, "7702", "小林", "zh")("A-1001怎么回事 还没到")
    text = " ".join(r.text for r in replies)
    assert "A-1001" in text, text
    assert "退货" not in text and "30 天" not in text and "支付" not in text, text
