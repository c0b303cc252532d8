"""Customers with more than one order: the other one asked after with no number gets its number
asked (never a case on the first), orders introduced as theirs get their statuses, a message
about another order has none in play, a new address goes on the other order too when asked
(tried as customers write: "and the other one?" opened a case on the first order, "i have two
orders, ..." too, and "same for the other order" gave a status)."""

from __future__ import annotations

import pytest

from handlers.complaint import deadline_said
from handlers.context import only_asks_to_check, written_address
from handlers.dispatcher import Dispatcher
from handlers.orders import OrderNumbers
from handlers.wording import ANOTHER_ORDER
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "orders", "expected"),
    [
        ("hey i have two orders, 92201 and 92203", ["92201", "92203"], True),
        ("my orders are 92202 and 92203", ["92202", "92203"], True),
        ("我有两个单 92201和92203", ["92201", "92203"], True),
        ("你好 我下了两单 92201 92202", ["92201", "92202"], True),
        ("i have two orders 92201 and 92203, one came broken", ["92201", "92203"], False),
        ("我有两个单 92201还没到", ["92201"], False),
        ("the order is 63020", ["63020"], False),
    ],
)
def test_orders_introduced_are_only_to_check(text: str, orders: list[str], expected: bool) -> None:
    assert only_asks_to_check(text, orders) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how do i return something from a different order", True),
        ("whats the status of my other order", True),
        ("另外一个订单的东西想退", True),
        ("我第二个订单呢", True),
        ("the other one is broken too", False),
        ("where is my order", False),
    ],
)
def test_another_order_is_told_from_the_one_in_play(text: str, expected: bool) -> None:
    assert (ANOTHER_ORDER.search(text) is not None) is expected


def test_an_order_number_ending_a_sentence_is_still_a_candidate() -> None:
    found = OrderNumbers().mentions("its 81460. new address is 14 Elm Rd, Leeds LS6 2AB")
    assert [m.value for m in found] == ["81460"]
    assert OrderNumbers().mentions("that was 12345.50 in total") == []


def test_the_address_said_for_an_order_is_said_back_alone() -> None:
    said = written_address("new address for 81470 is 22 Park Lane, York YO1 7HH")
    assert said == "22 Park Lane, York YO1 7HH"


def test_a_street_number_is_no_deadline() -> None:
    assert deadline_said("我搬家了 两个都寄到新地址 成都市武侯区天府大道20号3栋") is None
    assert deadline_said("搬家要用 20号之前要到") == "20号"


async def test_the_other_one_with_one_order_named_asks_its_number(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "7201", "Priya")
    await say("where is A-1001")
    text = " ".join(r.text for r in await say("and the other one?"))
    assert "order number" in text and "case #" not in text and "A-1001" not in text, text
    text = " ".join(r.text for r in await say("A-1002"))
    assert "A-1002" in text and "case #" not in text, text


async def test_same_address_for_the_other_order(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "7202", "Aisha")
    await say("can you check C-7781 and A-1002 for me")
    first = " ".join(r.text for r in await say("new address for C-7781 is 14 Elm Road, Leeds"))
    assert "C-7781" in first and "14 Elm Road" in first, first
    text = " ".join(r.text for r in await say("same for the other order pls"))
    assert "A-1002" in text and "C-7781" in text and "14 Elm Road" in text, text
    assert "driver" not in text, text
