"""When an order arrives, asked with its number; "still nothing" about an order on its way;
another size or colour asked for; being ready to pay beside a request (issue #15, C34)."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.dispatcher import Dispatcher
from handlers.order_arrival import says_still_nothing
from handlers.orders import Order
from handlers.products import wants_exchange
from tests.handlers.conftest import make_say


def test_an_unshipped_order_arrives_standard_delivery_after_its_ship_date() -> None:
    # Ships Friday 2026-11-27: four working days later, over the weekend, is Thursday.
    order = Order(number="X1", status="processing", eta="2026-11-27")
    assert order.arrives_by(4) == date(2026, 12, 3)


def test_a_shipped_order_arrives_by_its_eta_and_a_delivered_one_has_no_day() -> None:
    assert Order(number="X2", status="shipped", eta="2026-11-25").arrives_by(4) == date(
        2026, 11, 25
    )
    assert Order(number="X3", status="delivered", eta="2026-11-20").arrives_by(4) is None


@pytest.mark.parametrize(
    "text",
    [
        "still nothing",
        "nothing yet",
        "still no sign of it",
        "it still hasnt come",
        "还没到",
        "还是没收到啊",
        "咋还没来",
    ],
)
def test_still_nothing(text: str) -> None:
    assert says_still_nothing(text)


@pytest.mark.parametrize(
    "text",
    ["still nothing on my card", "还没到账", "still no refund", "the replacement still hasnt come"],
)
def test_not_the_parcel(text: str) -> None:
    assert not says_still_nothing(text)


@pytest.mark.parametrize(
    "text",
    [
        "can i swap it for a L",
        "exchange it for a bigger one?",
        "its too small",
        "能换个颜色吗",
        "想换一个小一码的",
        "能换一个吗",
        "尺码小了",
    ],
)
def test_wants_exchange(text: str) -> None:
    assert wants_exchange(text)


@pytest.mark.parametrize(
    "text",
    [
        "can i swap my card",
        "换个地址",
        "换个方式付行不行",
        "delivery takes too long",
        "just swap it for a new one",
        "换个新的",
    ],
)
def test_not_an_exchange(text: str) -> None:
    assert not wants_exchange(text)


async def test_when_a_named_late_order_arrives(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "3401", "Ana")
    reply = " ".join(r.text for r in await say("when will A-1005 arrive??"))
    assert "A-1005" in reply and "late" in reply, reply


async def test_when_a_named_unshipped_order_arrives_has_its_day(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "3402", "李", "zh")
    await say("你好")
    reply = " ".join(r.text for r in await say("那C-7781呢 什么时候到"))
    order = await dispatcher.deps.orders.find("C-7781") if dispatcher.deps.orders else None
    assert order is not None and order.arrives_by(4) is not None
    assert "C-7781" in reply and order.arrives_by(4).isoformat() in reply, reply


async def test_still_nothing_about_an_order_on_its_way_gives_where_it_is(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "3403", "Ana")
    await say("where is A-1001")
    await say("ok thanks")
    reply = " ".join(r.text for r in await say("still nothing"))
    assert "A-1001" in reply and "DHL" in reply, reply


async def test_swap_it_is_the_exchange(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "3404", "Ana")
    reply = " ".join(r.text for r in await say("the hoodie is too small, can i swap it for a L"))
    assert "Exchange" in reply, reply


async def test_ready_to_pay_is_part_of_the_express_ask(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "3405", "Ana")
    await say("status of C-7781?")
    asked = "could you ship it next day instead? willing to pay"
    reply = " ".join(r.text for r in await say(asked))
    assert "express" in reply and "Visa" not in reply, reply


@pytest.mark.parametrize(
    ("first", "number", "language", "word"),
    [
        ("any chance u can rush my order? need it asap", "its C-7781", "en", "express"),
        ("加急发货可以吗", "订单号C-7781", "zh", "加急"),
    ],
)
async def test_the_order_after_the_express_answer_gets_express_for_it(
    dispatcher: Dispatcher, first: str, number: str, language: str, word: str
) -> None:
    say = make_say(dispatcher, f"3406{language}", "Ana", language)
    await say(first)
    reply = " ".join(r.text for r in await say(number))
    assert "C-7781" in reply and word in reply, reply


async def test_an_unshipped_orders_status_has_the_day_it_arrives(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "3407", "Ana")
    order = await dispatcher.deps.orders.find("C-7781") if dispatcher.deps.orders else None
    arrives = order.arrives_by(4) if order is not None else None
    assert arrives is not None
    reply = " ".join(r.text for r in await say("where is my order C-7781"))
    assert arrives.isoformat() in reply, reply


async def test_charged_two_times_the_engine_misses_is_the_charge_answer(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "3408", "Ana")
    reply = " ".join(r.text for r in await say("why did i get charged 2 times"))
    assert "order number" in reply, reply
