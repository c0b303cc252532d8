"""Comparatives over the catalogue ("anything cheaper?", "最便宜的耳机多少钱", "比这个好一点的")
compare the product's kind by price (an independent run answered them as a plain question
about one product)."""

from __future__ import annotations

import httpx
import pytest

from handlers.catalogue import (
    BETTER,
    CHEAPER,
    CHEAPEST,
    SAMPLE_CATALOGUE,
    CsvCatalogue,
    HttpCatalogue,
    compared,
)
from handlers.dispatcher import Dispatcher
from handlers.products import comparison_asked
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "way"),
    [
        ("anything cheaper?", CHEAPER),
        ("got any cheaper earbuds", CHEAPER),
        ("whats the cheapest kettle", CHEAPEST),
        ("有没有便宜点的", CHEAPER),
        ("最便宜的耳机多少钱", CHEAPEST),
        ("比这个好一点的有吗", BETTER),
        ("is there a better one", BETTER),
        ("how much is the kettle", None),
        # "better" about something else than a product.
        ("i'd feel better if the kettle came today", None),
        ("耳机多少钱", None),
    ],
)
def test_the_comparison_asked(text: str, way: str | None) -> None:
    assert comparison_asked(text) == way


async def test_compared_within_the_category_by_price() -> None:
    catalogue = CsvCatalogue(SAMPLE_CATALOGUE)
    (robot,) = await catalogue.search("robot vacuum")
    alike = await catalogue.alike(robot)
    assert {p.sku for p in alike} == {"VC-700", "RV-710"}
    assert [p.sku for p in compared(robot, alike, CHEAPER)] == ["VC-700"]
    assert compared(robot, alike, BETTER) == []
    assert [p.sku for p in compared(robot, alike, CHEAPEST)] == ["VC-700"]
    (coffee,) = await catalogue.search("coffee machine")
    assert [p.sku for p in compared(coffee, await catalogue.alike(coffee), BETTER)] == ["ES-410"]


async def test_anything_cheaper_after_a_price_names_the_cheaper_one(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1321", "Ada")
    await say("how much r the headphones")
    text = " ".join(r.text for r in await say("anything cheaper?"))
    assert "$49.00" in text and "earbuds" in text.lower(), text


async def test_zh_a_step_up_from_the_product_in_play(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1322", "老钱", "zh")
    await say("咖啡机多少钱")
    text = " ".join(r.text for r in await say("比这个好一点的有吗"))
    assert "$229.00" in text and "意式咖啡机" in text, text


async def test_zh_the_cheapest_of_a_kind(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1323", "小郑", "zh")
    text = " ".join(r.text for r in await say("最便宜的耳机多少钱"))
    assert "$49.00" in text and "$79.00" not in text, text


async def test_the_shop_api_finds_a_products_kind_by_its_category() -> None:
    asked: list[str] = []

    def shop(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.params["q"])
        return httpx.Response(
            200,
            json=[
                {"sku": "V1", "name": "Cordless vacuum", "price": 199, "category": "Vacuums"},
                {"sku": "V2", "name": "Robot vacuum", "price": 279, "category": "vacuums"},
                {"sku": "M1", "name": "Vacuum flask", "price": 20, "category": "bottles"},
            ],
        )

    catalogue = HttpCatalogue(
        "https://shop.example/api/products?q={query}",
        timeout=0.5,
        transport=httpx.MockTransport(shop),
    )
    (robot,) = [p for p in await catalogue.search("robot vacuum") if p.sku == "V2"]
    alike = await catalogue.alike(robot)
    assert asked[-1] == "vacuums"
    assert [p.sku for p in compared(robot, alike, CHEAPER)] == ["V1"]
    await catalogue.close()


async def test_the_cheapest_of_a_kind_is_one_plain_sentence(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2231", "Eve")
    await say("how much are the wireless headphones")
    (cheapest,) = await say("whats the cheapest headphones u have")
    assert cheapest.text.count("Bluetooth earbuds") == 1 and "$49.00" in cheapest.text
    assert "headphones" in cheapest.text and "of its kind" not in cheapest.text, cheapest.text
    assert "$79.00" not in cheapest.text, cheapest.text
    zh = make_say(dispatcher, "2232", "小丁", "zh")
    (zuipianyi,) = await zh("最便宜的耳机多少钱")
    text = zuipianyi.text
    assert text.startswith("耳机") and text.count("蓝牙耳机") == 1, text
