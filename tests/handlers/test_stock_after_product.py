"""A stock question right after a product ("got any left?", "do you still have some?", "还有
没有") is that product's stock, never "we don't carry left"; "有没有贵一点好一点的" is a better
one of its kind (C54)."""

from __future__ import annotations

import pytest

from handlers.catalogue import product_phrase
from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("got any left?", None),
        ("do you still have some?", None),
        ("any more in stock", None),
        ("do you have some in stock", None),
        # "还有没有" names no product "没有": the toaster, named before it, is asked for.
        ("多士炉还有没有", "多士炉"),
        ("有没有贵一点好一点的", None),
        # a product named with a stock word stays named
        ("have you got any toasters left", "toasters"),
        ("do you have the left handed mouse", "left handed mouse"),
        ("洗碗机有货吗", "洗碗机"),
    ],
)
def test_stock_words_are_not_a_product_name(text: str, phrase: str | None) -> None:
    assert product_phrase(text) == phrase


@pytest.mark.parametrize(
    ("language", "first", "then", "words", "absent"),
    [
        ("en", "price of the smart watch", "got any left?", ["9"], ["carry"]),
        ("en", "how much is the dishwasher", "do you still have some?", ["3"], ["carry"]),
        ("zh", "蓝牙耳机多少钱", "有没有贵一点好一点的", ["$79.00"], ["没有卖"]),
    ],
)
async def test_a_stock_follow_up_is_the_product_in_play(
    dispatcher: Dispatcher, language: str, first: str, then: str, words: list[str],
    absent: list[str],
) -> None:
    say = make_say(dispatcher, f"5454-{language}", "Kit", language)
    await say(first)
    text = " ".join(r.text for r in await say(then))
    for word in words:
        assert word in text, text
    for word in absent:
        assert word not in text, text


async def test_a_product_asked_with_you_still_have_none_is_its_stock(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "5455", "小周", "zh")
    text = " ".join(r.text for r in await say("多士炉还有没有"))
    assert "2026-12-05" in text and "没有卖" not in text, text
