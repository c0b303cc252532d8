"""A refund asked for a parcel that never arrived gets its own path: a case with the order,
the carrier checked, refund or resend, and how long (an independent run gave the refund
policy for returns: "after the item reaches our warehouse")."""

from __future__ import annotations

import pytest

from handlers import lost_parcel
from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("never got it, i just want my money back", True),
        ("A-1005 never arrived. honestly just refund me", True),
        ("its never gonna arrive is it, refund please", True),
        ("东西都没收到 直接退款吧", True),
        ("一直没收到啊 钱退我吧", True),
        # A refund that has not come, or a return's refund: not a lost parcel.
        ("i never got my refund", False),
        ("还没收到退款", False),
        ("the kettle leaks, i just want my money back", False),
        ("sent it back last week, when do i get my money back", False),
    ],
)
def test_a_refund_for_a_parcel_that_never_came(text: str, expected: bool) -> None:
    assert lost_parcel.asks(text) is expected


async def test_the_lost_parcel_gets_a_case_and_the_carrier_check_not_the_return_policy(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "1331", "Gus")
    text = " ".join(r.text for r in await say("A-1005 never got it, i just want my money back"))
    assert "case #" in text and "A-1005" in text and "DPD" in text, text
    assert "warehouse" not in text and "send it back" not in text, text


async def test_zh_the_order_from_before_goes_on_the_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1332", "小黄", "zh")
    await say("A-1005到哪了")
    text = " ".join(r.text for r in await say("一直没收到啊 钱退我吧"))
    assert "#" in text and "A-1005" in text and "快递公司" in text, text
    assert "入库" not in text and "到仓" not in text, text


async def test_a_refund_asked_later_on_the_case_of_a_parcel_that_never_came(
    dispatcher: Dispatcher,
) -> None:
    # The parcel's case first, the money a message later: no return label for what never came.
    say = make_say(dispatcher, "1333", "Ivy")
    await say("my parcel for order A-1005 never arrived, pls open a case")
    text = " ".join(r.text for r in await say("i just want a refund at this point"))
    assert "DPD" in text and "nothing to send back" in text, text
    assert "return label" not in text and "reaches us" not in text, text
    zh = make_say(dispatcher, "1334", "小周", "zh")
    await zh("A-1005一直没收到 帮我开个工单")
    text = " ".join(r.text for r in await zh("那直接退款吧"))
    assert "快递公司" in text and "不需要您寄回" in text or "不用寄回" in text, text


async def test_a_refund_for_a_faulty_item_on_its_case_is_still_the_return(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "1335", "Jon")
    await say("the kettle from order A-1001 leaks everywhere")
    text = " ".join(r.text for r in await say("i just want a refund at this point"))
    assert "carrier" not in text and "refund" in text, text
