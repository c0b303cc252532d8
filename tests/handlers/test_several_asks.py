"""Several asks in one message answered in full, and a delivered order's address (brief C28):
"can you ship to Canada and how much" got the countries only; "it was delivered to my old
address" got the account e-mail answer or the address change of an order not shipped yet."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.types import Reply
from tests.handlers.conftest import make_say


def _text(replies: list[Reply]) -> str:
    return " ".join(r.text for r in replies)


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("en", "can you ship to Canada and how much", "Canada"),
        ("en", "do u deliver to germany? how much is it", "Germany"),
        ("zh", "能寄到新加坡吗 要多少钱", "新加坡"),
    ],
)
async def test_a_bare_price_after_a_delivery_question_is_the_delivery_price(
    dispatcher: Dispatcher, language: str, text: str, place: str
) -> None:
    say = make_say(dispatcher, "2851", "Jon", language)
    answer = _text(await say(text))
    assert place in answer and "4.90" in answer, answer


async def test_a_bare_price_after_a_product_is_still_the_products(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2852", "Jon")
    answer = _text(await say("do you have the kettle in black and how much"))
    assert "$39.00" in answer and "4.90" not in answer, answer


@pytest.mark.parametrize(
    ("language", "text", "words", "not_words"),
    [
        ("en", "A-1003 it was delivered to my old address", ["A-1003", "old address", "UPS"],
         ["before it ships", "Account → Settings", "leaves our warehouse"]),
        ("en", "my order A-1003 went to my previous address", ["A-1003", "UPS"],
         ["before it ships", "leaves our warehouse"]),
        ("zh", "A-1003 送到我以前的地址去了", ["A-1003", "旧地址"], ["出库前", "发货前"]),
        ("zh", "A-1003 寄到老地址了 怎么办", ["A-1003", "旧地址"], ["出库前", "发货前"]),
    ],
)  # fmt: skip
async def test_a_delivered_orders_old_address_is_what_can_still_be_done(
    dispatcher: Dispatcher, language: str, text: str, words: list[str], not_words: list[str]
) -> None:
    say = make_say(dispatcher, "2853", "Lou", language)
    answer = _text(await say(text))
    assert all(w in answer for w in words), answer
    assert not any(w in answer for w in not_words), answer
