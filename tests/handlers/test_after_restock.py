"""An order placed now for the sold-out product just talked about arrives after its restock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from handlers.catalogue import CsvCatalogue
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import make_say

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday
CSV = """sku,name,name_zh,aliases,price,currency,stock,restock
TS-1,Toaster,烤面包机,toaster|多士炉,29.00,USD,0,2026-12-03
MW-1,Microwave,微波炉,microwave,119.00,USD,0,
KT-1,Kettle,电水壶,kettle|烧水壶,39.00,USD,12,
"""

# (the product question, the order-time question, language, words the answer holds, not)
CASES = [
    # Restock Thursday 3 Dec: standard Mon 7 to Wed 9 Dec, express Fri 4 Dec.
    ("is the toaster in stock", "if i buy it now will it come by friday", "en",
     ["3 Dec", "7 Dec", "9 Dec", "not by"], ["2-4 working days"]),
    ("toaster available?", "if i order today when does it get here", "en",
     ["3 Dec", "4 Dec"], ["not by", "2-4 working days"]),
    ("any microwaves", "if i order one now how long til it arrives", "en",
     ["no restock date"], ["working day"]),
    ("烤面包机有货吗", "那现在下单啥时候到", "zh", ["12月3日", "12月7日"], ["有的"]),
    ("多士炉还有货吗", "今天下单明天能到吗", "zh", ["12月3日", "到不了"], []),
    # In stock: the ordinary delivery times, nothing about a restock.
    ("is the kettle in stock", "if i order now when will it arrive", "en",
     ["working day"], ["sold out"]),
]


@pytest.fixture
def shop(deps: Deps, engine: BuiltinEngine, tmp_path: Path) -> Dispatcher:
    path = tmp_path / "catalogue.csv"
    path.write_text(CSV, encoding="utf-8")
    return Dispatcher(
        deps=replace(deps, catalogue=CsvCatalogue(path), clock=lambda: NOW), nlu=engine
    )


@pytest.mark.parametrize(("first", "then", "language", "words", "absent"), CASES)
async def test_an_order_now_for_a_sold_out_product_counts_from_its_restock(
    shop: Dispatcher, first: str, then: str, language: str, words: list[str], absent: list[str]
) -> None:
    say = make_say(shop, "654", "Mia", language)
    await say(first)
    replies = await say(then)
    text = " ".join(r.text for r in replies)
    for word in words:
        assert word.lower() in text.lower(), text
    for word in absent:
        assert word.lower() not in text.lower(), text
