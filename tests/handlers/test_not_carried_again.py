"""A product we do not carry, asked about again ("how much is it", "那多少钱"): no price
because we don't sell it, and what can be done instead; never the same sentence twice in
a row."""

from __future__ import annotations

import pytest

from handlers.catalogue import product_phrase
from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("language", "first", "then", "price"),
    [
        ("en", "do you sell descaler?", "how much is it", "price"),
        ("zh", "你们卖除垢剂吗", "那多少钱", "价格"),
    ],
)
async def test_price_of_what_we_do_not_sell(
    dispatcher: Dispatcher, language: str, first: str, then: str, price: str
) -> None:
    say = make_say(dispatcher, f"3621-{language}", "Kit", language)
    (missing,) = await say(first)
    (again,) = await say(then)
    assert again.text != missing.text, again.text
    assert price in again.text and "/agent" in again.text, again.text


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("whats the price tho", None),  # about the product in play, not one named "tho"
        ("how much is it then", None),
        ("how much is the kettle tho", "kettle"),
        ("do u guys sell printer ink", "printer ink"),
        # an article is a word of its own, not the start of "them" or "theatre"
        ("need them for the staff room", None),
        ("i need thermal cups", "thermal cups"),
    ],
)
def test_a_word_said_after_is_not_a_product(text: str, phrase: str | None) -> None:
    assert product_phrase(text) == phrase
