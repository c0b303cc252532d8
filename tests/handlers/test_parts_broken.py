"""A broken part asked to be bought, and an old product replaced by buying a new one: wishes to
buy, not complaints (handlers/parts.py, handlers/products.py)."""

from __future__ import annotations

import pytest

from handlers.parts import asks_about, broken_bought
from handlers.products import old_one_named, replaces_old


@pytest.mark.parametrize(
    "text",
    [
        "电饭煲内胆坏了能单买吗",
        "the inner pot cracked, can i buy one separately?",
        "lid broke lol do you sell them on their own",
    ],
)
def test_a_broken_part_bought_outright_is_asked_about(text: str) -> None:
    assert broken_bought(text)
    assert asks_about(text)


@pytest.mark.parametrize(
    "text",
    [
        "the lid broke, can i get a new one",  # a replacement wanted: the case's
        "壶盖坏了",
        "the jug is missing, can i buy one?",  # missing from the order: the case's
        # The product broken, parts asked about apart: a fault for a case, and a question.
        "the vacuum stopped charging last week. and do you sell replacement batteries?",
        "去年买的电水壶不加热了 另外有没有配件单独卖的 比如滤网",
    ],
)
def test_a_broken_part_not_bought_is_not(text: str) -> None:
    assert not asks_about(text)


@pytest.mark.parametrize(
    ("text", "replaces"),
    [
        ("my old kettle finally broke so i need a new one, which do you have", True),
        ("之前的吹风机坏了 想买个新的 有推荐吗", True),
        ("家里的微波炉用了十年坏了 想买个新的", True),
        ("my kettle broke, i need a new one", False),  # one we sold: a replacement
        ("新买的电水壶坏了", False),
    ],
)
def test_an_old_one_replaced_by_buying(text: str, replaces: bool) -> None:
    assert replaces_old(text) is replaces


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("my old hairdryer died, need a new one", "hairdryer"),
        ("my ancient vacuum finally gave up, looking for a new one", "vacuum"),
        ("our old toaster just died, want to buy a new one", "toaster"),
        ("家里的旧电饭煲坏了 想买个新的", "电饭煲"),
        ("旧吹风机坏了 想买个新的", "吹风机"),
        ("之前的吹风机坏了 想买个新的 有推荐吗", "吹风机"),
        # Bought here, or no product named: the shop's complaint, not a new one to buy.
        ("the old one you sent broke i want a new one", None),
        ("你们家的旧电水壶坏了 想买个新的", None),
        ("my kettle broke, i need a new one", None),
        ("依旧坏了 想要新的", None),
    ],
)
def test_the_old_one_named(text: str, named: str | None) -> None:
    assert old_one_named(text) == named
