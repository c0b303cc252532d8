"""Another colour or size for an order: what it is changed to, read from the customer's words
(brief C73), never an address, an e-mail nor express."""

from __future__ import annotations

import pytest

from handlers.order_change import change_asked


@pytest.mark.parametrize(
    ("said", "change"),
    [
        ("can I change order 51004 to white?", "white"),
        ("can you make it size L instead", "size L"),
        ("make it the black one", "black"),
        ("订单51004能改成白色的吗", "白色"),
        ("能换个大一码的吗", "大一码"),
    ],
)
def test_the_change_asked(said: str, change: str) -> None:
    assert change_asked(said) == change


@pytest.mark.parametrize(
    "said",
    [
        "change my address to 5 high st",
        "switch it to express",
        "make it quick please",
        "换成新的吧 这个坏了",
    ],
)
def test_no_change_of_colour_or_size(said: str) -> None:
    assert change_asked(said) is None
