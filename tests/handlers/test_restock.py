"""Stock and restock questions, and products named the way customers say them (issue #17).

The customers' lines are held-out paraphrases, not sentences from nlu/data (checked below).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest

from handlers.catalogue import SAMPLE_CATALOGUE, CsvCatalogue, HttpCatalogue
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from nlu import BuiltinEngine, load_training_data
from tests.handlers.conftest import make_say

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
CSV = """sku,name,name_zh,aliases,price,currency,stock,restock
TS-1,Toaster,烤面包机,toaster|多士炉,29.00,USD,0,2026-12-05
MW-1,Microwave,微波炉,microwave,119.00,USD,0,
VC-1,Vacuum cleaner,吸尘器,vacuum|hoover,199.00,USD,0,2026-11-01
KT-1,Kettle,电水壶,kettle|烧水的壶|烧水壶,39.00,USD,12,
HP-1,Headphones,无线耳机,headphones|耳机|耳麦,79.00,USD,30,
RC-1,Rice cooker,电饭煲,rice cooker|电饭锅,79.00,USD,5,
AF-1,Air fryer,空气炸锅,air fryer|airfryer|air-fryer,89.00,USD,4,
"""

# (what the customer writes, language, words the answer must hold, words it must not)
RESTOCK = [
    ("toaster coming back anytime soon?", "en", ["toaster", "2026-12-05"], ["no date"]),
    ("any idea when u get more microwaves in", "en", ["microwave", "no date"], ["2026-"]),
    # a restock date already past with nothing in stock: no date we can stand by
    ("vacuum back in stock yet", "en", ["vacuum", "no date"], ["2026-11-01"]),
    ("多士炉啥时候能补货啊", "zh", ["烤面包机", "2026-12-05"], []),
    ("微波炉几时有货", "zh", ["微波炉", "暂无"], ["2026-"]),
]
NAMES = [
    ("how much r the hedphones", "en", ["Headphones", "$79.00"]),
    ("air-fryer price pls", "en", ["Air fryer", "$89.00"]),
    ("do you have a rice cooker", "en", ["Rice cooker", "in stock"]),
    ("请问烧水的壶卖多少", "zh", ["电水壶", "$39.00"]),
    ("电饭锅还有没有货", "zh", ["电饭煲", "现货"]),
    ("耳麦多少钱一个", "zh", ["无线耳机", "$79.00"]),
]


@pytest.fixture
def shop(deps: Deps, engine: BuiltinEngine, tmp_path: Path) -> Dispatcher:
    path = tmp_path / "catalogue.csv"
    path.write_text(CSV, encoding="utf-8")
    return Dispatcher(
        deps=replace(deps, catalogue=CsvCatalogue(path), clock=lambda: NOW), nlu=engine
    )


def test_held_out_lines_are_not_training_data() -> None:
    trained = {" ".join(e.text.lower().split()) for e in load_training_data().examples}
    lines = [t for t, *_ in RESTOCK + NAMES]
    assert not [t for t in lines if " ".join(t.lower().split()) in trained]


@pytest.mark.parametrize(("text", "language", "words", "absent"), RESTOCK)
async def test_a_restock_question_gets_the_stock_and_the_date_from_the_catalogue(
    shop: Dispatcher, text: str, language: str, words: list[str], absent: list[str]
) -> None:
    (reply,) = await make_say(shop, "601", "Kev", language)(text)
    for word in words:
        assert word.lower() in reply.text.lower(), reply.text
    for word in absent:
        assert word.lower() not in reply.text.lower(), reply.text


@pytest.mark.parametrize(("text", "language", "words"), NAMES)
async def test_products_are_found_by_the_names_customers_use(
    shop: Dispatcher, text: str, language: str, words: list[str]
) -> None:
    (reply,) = await make_say(shop, "602", "Priya", language)(text)
    for word in words:
        assert word.lower() in reply.text.lower(), reply.text


async def test_how_much_is_it_after_a_product_is_named(shop: Dispatcher) -> None:
    say = make_say(shop, "603", "Jo", "en")
    await say("is the kettle in stock")
    (reply,) = await say("and how much is it")
    assert "$39.00" in reply.text
    say_zh = make_say(shop, "604", "小林", "zh")
    await say_zh("电饭锅有货吗")
    (reply,) = await say_zh("多少钱")
    assert "$79.00" in reply.text


async def test_typos_are_forgiven_only_for_long_words_and_only_without_an_exact_name() -> None:
    catalogue = CsvCatalogue(SAMPLE_CATALOGUE)
    assert [p.sku for p in await catalogue.search("hedphones")] == ["HP-800"]
    assert [p.sku for p in await catalogue.search("rice coker")] == ["RC-120"]
    assert [p.sku for p in await catalogue.search("blendr")] == ["BL-300"]
    assert [p.sku for p in await catalogue.search("toatser")] == ["TS-200"]  # swapped letters
    # "mous" is one letter from "mouse", but four letters are too few to guess at.
    assert await catalogue.search("mous") == []
    assert await catalogue.search("lawn mower") == []


async def test_chinese_aliases_are_matched_character_by_character() -> None:
    catalogue = CsvCatalogue(SAMPLE_CATALOGUE)
    assert [p.sku for p in await catalogue.search("烧水的壶")] == ["KT-100"]
    assert [p.sku for p in await catalogue.search("耳麦")] == ["HP-800"]
    assert [p.sku for p in await catalogue.search("电饭锅")] == ["RC-120"]


async def test_restock_column_is_optional_and_checked(tmp_path: Path) -> None:
    old = tmp_path / "old.csv"
    old.write_text("sku,name,stock\nX-1,Thing,0\n", encoding="utf-8")
    (thing,) = await CsvCatalogue(old).search("thing")
    assert thing.restock is None
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,name,stock,restock\nX-1,Thing,0,next week\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.csv:2: restock must be a date"):
        CsvCatalogue(bad)


async def test_the_shop_api_gives_the_restock_date() -> None:
    def api(request: httpx.Request) -> httpx.Response:
        body = [
            {"sku": "T", "name": "Toaster", "stock": 0, "restock": "2026-12-05T00:00:00Z"},
            {"sku": "M", "name": "Microwave", "stock": 0, "restock": "soon"},
        ]
        return httpx.Response(200, content=json.dumps(body))

    catalogue = HttpCatalogue(
        "https://shop.example/p?q={query}", timeout=1, transport=httpx.MockTransport(api)
    )
    toaster, microwave = await catalogue.search("toaster")
    assert toaster.restock == date(2026, 12, 5)
    assert microwave.restock is None  # unreadable: no date rather than an error
    await catalogue.close()
