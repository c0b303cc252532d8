"""How many people a product is for, told as context for a choice (handlers/advice.py)."""

from __future__ import annotations

import pytest

from handlers import advice


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("there's 5 of us", 5),
        ("it's just me and my wife", 2),
        ("just me and the missus", 2),
        ("well its just me tbh", 1),
        ("we're a family of six", 6),
        ("我家五口人", 5),
        ("主要一个人用", 1),
        ("就我跟老婆俩", 2),
        ("家里6个人", 6),
    ],
)
def test_people_counts_the_household(text: str, count: int) -> None:
    assert advice.people(text) == count


@pytest.mark.parametrize(
    "text",
    ["there's 5 of us waiting on order A-1003", "我家五口人 怎么退货", "the 2 of us want a refund"],
)
def test_other_business_is_no_household_for_the_choice(text: str) -> None:
    assert advice._OTHER_BUSINESS.search(text) is not None
