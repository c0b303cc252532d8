"""An order number given while a return or a refund is the subject belongs to it: "order
A-1003" after "i want to return my coffee machine" is that order's return, after "where is my
refund" that order's refund; never its bare delivery status (issue #15, brief C55)."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("first", "number", "language", "words"),
    [
        ("i want to return my coffee machine", "order a-1003", "en", ["A-1003", "30 days"]),
        ("can i send back the coffee machine, dont want it", "its A1003", "en", ["A-1003", "30"]),
        ("咖啡机不想要了 想退", "订单号 A-1003", "zh", ["A-1003", "30"]),
    ],
)
async def test_number_after_a_return_is_that_orders_return(
    dispatcher: Dispatcher, first: str, number: str, language: str, words: list[str]
) -> None:
    say = make_say(dispatcher, "5501", "Lou", language)
    await say(first)
    reply = " ".join(r.text for r in await say(number))
    for word in words:
        assert word in reply, reply
    assert "didn't reach you" not in reply and "没有收到" not in reply, reply


@pytest.mark.parametrize(
    ("first", "number", "language", "word"),
    [
        ("where is my refund", "A-1003", "en", "refund"),
        ("still no refund?? its been ages", "order A-1003", "en", "refund"),
        ("我的退款呢 怎么还没到", "单号是A-1003", "zh", "退款"),
    ],
)
async def test_number_after_a_refund_is_that_orders_refund(
    dispatcher: Dispatcher, first: str, number: str, language: str, word: str
) -> None:
    say = make_say(dispatcher, "5502", "Pat", language)
    await say(first)
    reply = " ".join(r.text for r in await say(number))
    assert "A-1003" in reply and word in reply, reply
    assert "didn't reach you" not in reply and "没有收到" not in reply, reply


async def test_number_after_a_status_is_still_its_status(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "5503", "Sam", "en")
    await say("where is my order")
    reply = " ".join(r.text for r in await say("A-1003"))
    assert "delivered" in reply and "30 days" not in reply, reply
