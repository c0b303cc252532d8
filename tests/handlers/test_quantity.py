"""How many of a product a message asks for (handlers/quantity.py)."""

from __future__ import annotations

import pytest

from handlers.quantity import count_asked


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("have you got 15 of them in stock", 15),
        ("we'd need four of those", 4),
        ("can i get five?", 5),
        ("i'd like 2 please", 2),
        ("那我拿两个", 2),
        ("有12个现货吗", 12),
        ("我想买三台", 3),
        ("能来十个不", 10),
    ],
)
def test_a_count_of_the_product(text: str, count: int) -> None:
    assert count_asked(text) == count


@pytest.mark.parametrize(
    "text",
    [
        "i need 2 day shipping",
        "i have 2 orders with you",
        "do you have 12 inch pans",
        "i want 3 instalments",
        "要两个月吗",
        "我有两个订单",
        "where is order 88231",
        "the 1.5 l one",
    ],
)
def test_no_count_of_the_product(text: str) -> None:
    assert count_asked(text) is None
