"""Delivery options answered to the point: a locker asked for by someone who is out gets the
locker (not the neighbour text, a complaint or a return's drop-off), and "and express?" gets
how express works without a line about late orders."""

from __future__ import annotations

import pytest

from handlers.delivery_options import asks, names_option
from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


async def test_at_work_asks_for_a_locker(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2201", "Jo")
    replies = await say("im at work all day so nobody's home, can it go to a parcel locker instead")
    text = " ".join(r.text for r in replies)
    assert "locker" in text and "code" in text, text
    assert "neighbour" not in text and "case #" not in text, text


async def test_zh_not_home_then_locker_is_one_question(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2202", "小吴", "zh")
    replies = await say("白天不在家 能放快递柜不")
    assert len(replies) == 1, [r.text for r in replies]
    assert replies[0].text.startswith("可以") and "取件码" in replies[0].text, replies[0].text
    assert "邻居" not in replies[0].text and "退货" not in replies[0].text, replies[0].text


async def test_express_follow_up_asks_for_no_order(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2203", "Max")
    await say("how long does delivery take")
    (express,) = await say("and express?")
    assert "next working day" in express.text, express.text
    assert "order number" not in express.text, express.text
    zh = make_say(dispatcher, "2204", "小马", "zh")
    (jiaji,) = await zh("加急要多收多少钱啊")
    assert "9.90" in jiaji.text and "订单号" not in jiaji.text, jiaji.text


@pytest.mark.parametrize(
    ("text", "option"),
    [
        ("能放驿站吗 我白天上班没人收", True),
        ("can the courier leave it with my neighbour?", True),
        ("可以放驿站寄回吗", False),  # a return's drop-off
        ("can i drop the return at a locker?", False),
        ("put it in the locker please", False),  # an instruction, not a question
        ("can it go to locker for order 61001?", False),  # the order's instruction
    ],
)
def test_what_asks_for_a_delivery_option(text: str, option: bool) -> None:
    assert asks(text, order_named="61001" in text) is option


@pytest.mark.parametrize(
    ("text", "option"),
    [
        ("要不送到公司行吗", True),
        ("能寄单位吗", True),
        ("could it go to my office instead", True),
        ("can you send it to my work address", True),
        ("发票抬头能改成公司吗", False),  # the invoice's company, not a place
        ("im at work all day", False),  # why nobody is in, not where to
    ],
)
def test_the_workplace_is_a_place_for_the_parcel(text: str, option: bool) -> None:
    assert names_option(text) is option


async def test_zh_a_place_asked_later_goes_on_the_address_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2205", "小周", "zh")
    await say("A-1002的地址要改一下")
    await say("上海市浦东新区世纪大道88号")
    await say("你们周末发货吗")
    text = "\n".join(r.text for r in await say("能放快递柜吗"))
    (case,) = await dispatcher.deps.cases.for_customer(1)
    assert f"#{case.number}" in text and "快递柜" in case.summary, (text, case.summary)
    text = "\n".join(r.text for r in await say("要不送到公司行吗"))
    assert len(await dispatcher.deps.cases.for_customer(1)) == 1
    assert f"#{case.number}" in text and "抬头" not in text, text
