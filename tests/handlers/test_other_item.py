"""An item asked after that is not on the order just given ("the lamp is fine... the charger
tho", "充电器呢"): not on that order, and its order number asked for, never the first order's
status again nor the item's price (issue #15). Held-out wordings."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("language", "first", "turn_to", "present"),
    [
        ("en", "where is A-1001", "kettle's ok, the blender tho", ["Blender", "order number"]),
        ("en", "status of A-1001 please", "how about the toaster", ["Toaster", "order number"]),
        ("zh", "A-1001 到哪了", "水壶还行 那个搅拌机呢", ["搅拌机", "订单号"]),
    ],
)
async def test_an_item_not_on_the_order_asks_for_its_order(
    dispatcher: Dispatcher, language: str, first: str, turn_to: str, present: list[str]
) -> None:
    say = make_say(dispatcher, "5931", "Kim", language)
    await say(first)
    text = " ".join(r.text for r in await say(turn_to))
    for word in present:
        assert word in text, text
    assert "$" not in text, text  # not the product's price
