"""Sizes over the catalogue: "is there a bigger one", "有小一点的吗" compare the product's kind by
capacity (they were read as a product named "bigger one" / "小一点", or a question to guess at)."""

from __future__ import annotations

import pytest

from handlers.catalogue import (
    BIGGER,
    SAMPLE_CATALOGUE,
    SMALLER,
    CsvCatalogue,
    Product,
    compared,
    size_of,
)
from handlers.dispatcher import Dispatcher
from handlers.products import comparison_asked
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "way"),
    [
        ("and is there a bigger one", BIGGER),
        ("got one with more capacity?", BIGGER),
        ("anything smaller?", SMALLER),
        ("有大一点的吗", BIGGER),
        ("有没有小号的", SMALLER),
        ("大容量的有吗", BIGGER),
    ],
)
def test_the_size_asked(text: str, way: str) -> None:
    assert comparison_asked(text) == way


def test_a_capacity_is_one_number_in_any_unit() -> None:
    def sized(capacity: str) -> float | None:
        return size_of(Product(sku="X", name="x", capacity=capacity))

    assert sized("1.7 L") == 1700
    assert sized("750 ml") == 750
    assert sized("10000 mAh") == 10000
    assert sized("") is None
    assert sized("2200 W") is None


async def test_compared_within_the_kind_by_capacity() -> None:
    catalogue = CsvCatalogue(SAMPLE_CATALOGUE)
    (espresso,) = await catalogue.search("espresso machine")
    alike = await catalogue.alike(espresso)
    # Espresso 1.8 L, coffee machine 1.25 L.
    assert [p.sku for p in compared(espresso, alike, SMALLER)] == ["CM-400"]
    assert compared(espresso, alike, BIGGER) == []
    (coffee,) = await catalogue.search("coffee machine")
    assert [p.sku for p in compared(coffee, alike, BIGGER)] == ["ES-410"]


@pytest.mark.parametrize(
    ("language", "first", "then", "wanted"),
    [
        ("en", "how much is the espresso machine", "anything smaller?", ["Coffee machine", "$149"]),
        ("en", "do you have the air fryer in stock", "is there a bigger one", ["biggest"]),
        ("zh", "意式咖啡机多少钱", "有小一点的吗", ["咖啡机", "$149"]),
        ("zh", "空气炸锅有货吗", "有大一点的吗", ["最大"]),
    ],
)
async def test_a_size_asked_after_a_product_compares_its_kind(
    dispatcher: Dispatcher, language: str, first: str, then: str, wanted: list[str]
) -> None:
    say = make_say(dispatcher, f"size-{len(then)}-{language}", "Mo", language)
    await say(first)
    text = " ".join(r.text for r in await say(then))
    for word in wanted:
        assert word in text, text
    assert "not sure" not in text and "没有卖" not in text
