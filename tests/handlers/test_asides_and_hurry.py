"""Asides read as what they add to the last answer, not as a request of their own: "能换吗"
after a wrong item, "need it asap" after a refund, a product told of in a complaint (issue
#15, conv52)."""

from __future__ import annotations

import pytest

from handlers import hurry
from handlers.dispatcher import Dispatcher
from handlers.remedy import asks_swap
from tests.handlers.conftest import Say, make_say


@pytest.mark.parametrize(
    "text", ["能换吗", "可以换货不", "那能换一个吗", "can i swap it", "could you exchange them?"]
)
def test_a_bare_swap_question_is_read_as_one(text: str) -> None:
    assert asks_swap(text)


@pytest.mark.parametrize(
    "text", ["能换个颜色吗", "can i swap it for a L", "能换邮箱吗", "can i change the address"]
)
def test_a_swap_that_names_what_changes_is_not_bare(text: str) -> None:
    assert not asks_swap(text)


@pytest.mark.parametrize(
    "text", ["need the money asap tbh", "急用钱", "挺急的 能快点吗", "im in a bit of a rush here"]
)
def test_urgency_said(text: str) -> None:
    assert hurry.says_urgent(text)


@pytest.mark.parametrize("text", ["能加急吗", "can it go express", "快递到哪了", "thanks"])
def test_no_urgency_or_express_asked(text: str) -> None:
    assert not hurry.says_urgent(text)


async def test_can_i_swap_after_a_wrong_item_is_the_replacement_zh(dispatcher: Dispatcher) -> None:
    chen = make_say(dispatcher, "5201", "陈", "zh")
    await chen("A-1003 发错货了 我买的是咖啡机 收到个烤面包机")
    text = "\n".join(r.text for r in await chen("能换吗"))
    assert "换货" in text
    assert "设置" not in text and "账户" not in text


async def test_a_product_told_in_a_complaint_gets_no_price_tacked_on(
    dispatcher: Dispatcher,
) -> None:
    chen = make_say(dispatcher, "5202", "陈", "zh")
    text = "\n".join(r.text for r in await chen("A-1003 发错货了 我买的是咖啡机 收到个烤面包机"))
    assert "A-1003" in text
    assert "$" not in text and "补货" not in text


async def test_need_it_asap_after_a_refund_answer_is_the_hurry(anna: Say) -> None:
    await anna("how long until i get my refund")
    text = "\n".join(r.text for r in await anna("need the money asap tbh"))
    assert "speed up" in text  # what can be sped up, and by whom
    assert "account" not in text.lower() and "express" not in text.lower()


async def test_urgent_after_a_refund_answer_zh_is_not_the_delivery_times(
    dispatcher: Dispatcher,
) -> None:
    lin = make_say(dispatcher, "5203", "林", "zh")
    await lin("退款多久到账")
    text = "\n".join(r.text for r in await lin("急用钱 能快点吗"))
    assert "急" in text and "退款" in text
    assert "发货" not in text and "加急配送" not in text
