"""A short follow-up that names only an attribute is about the subject in play (issue #15,
brief C49): its cost after returns / an exchange / express, the delivery days after a
delivery answer, "and?" / "然后呢" as the next step of the same subject, and a swap asked
as an exchange rather than the product's colours."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.next_step import asks
from handlers.pair import priced
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


def _zh(dispatcher: Dispatcher) -> Say:
    return make_say(dispatcher, "491", "小林", "zh")


@pytest.mark.parametrize(
    "text",
    ["and?", "so?", "and then?", "ok and", "then what", "然后呢", "然后呢？", "那然后呢", "接着呢"],
)
def test_a_bare_continuation_asks_what_next(text: str) -> None:
    assert asks(text)


@pytest.mark.parametrize(
    "text", ["and the lamp?", "so where is it", "然后呢 运费谁出", "and sundays?"]
)
def test_a_continuation_with_a_subject_of_its_own_is_not_bare(text: str) -> None:
    assert not asks(text)


async def test_and_after_returns_is_its_next_step(anna: Say) -> None:
    await anna("how do i return an item")
    reply = _text(await anna("and?"))
    assert "Next step" in reply


async def test_chinese_ranhou_ne_after_an_exchange_is_its_next_step(dispatcher: Dispatcher) -> None:
    lin = _zh(dispatcher)
    await lin("可以换个颜色吗")
    reply = _text(await lin("然后呢"))
    assert "下一步" in reply


async def test_pay_extra_after_an_exchange_is_the_free_return(anna: Say) -> None:
    await anna("i want to exchange it for a bigger size")
    reply = _text(await anna("do i have to pay extra"))
    assert "free" in reply and "4.90" not in reply and "duplicate" not in reply


async def test_chinese_ewai_fuqian_after_express_is_the_express_fee(dispatcher: Dispatcher) -> None:
    lin = _zh(dispatcher)
    await lin("能加急吗 急用")
    reply = _text(await lin("要额外付钱吗"))
    assert "9.90" in reply


async def test_that_free_after_a_swap_is_the_free_return(anna: Say) -> None:
    reply = _text(await anna("can i swap my keyboard for another colour"))
    assert "Exchange" in reply
    reply = _text(await anna("that free?"))
    assert "free" in reply and "4.90" not in reply


async def test_sundays_after_delivery_times_are_delivery_days(anna: Say) -> None:
    await anna("how long does delivery take")
    reply = _text(await anna("and sundays?"))
    assert "Sunday" in reply and "9:00" not in reply


@pytest.mark.parametrize(
    "text", ["and if i order now, by wednesday?", "could it be here by tuesday"]
)
async def test_a_working_day_after_delivery_times_is_read_afresh(anna: Say, text: str) -> None:
    # Whether it arrives by that day (the by-a-day answer names it), not Sunday delivery.
    await anna("how long does delivery take")
    reply = _text(await anna(text))
    assert "no Sunday delivery" not in reply


# --- two products in play -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how much is the kettle and the blender", ("kettle", "blender")),
        ("电水壶和搅拌机多少钱", ("电水壶", "搅拌机")),
        ("烤面包机跟水壶分别啥价", ("烤面包机", "水壶")),
        ("do you have the air fryer in black and how much is the kettle", None),
        ("i want to return the kettle and the blender", None),
    ],
)
def test_two_products_priced_in_one_question(text: str, expected: tuple[str, str] | None) -> None:
    assert priced(text) == expected


async def test_the_difference_between_them_after_two_prices(anna: Say) -> None:
    reply = _text(await anna("how much is the kettle and the blender"))
    assert "$39.00" in reply and "$59.00" in reply
    reply = _text(await anna("whats the difference between them"))
    assert "kettle" in reply and "Blender" in reply and "$20.00" in reply
    assert "warranty" not in reply


async def test_shipping_and_returns_priced_is_no_product_pair(anna: Say) -> None:
    reply = _text(await anna("how much is shipping and returns"))
    assert "in stock" not in reply


async def test_chinese_chajia_after_two_prices(dispatcher: Dispatcher) -> None:
    lin = _zh(dispatcher)
    reply = _text(await lin("电水壶和搅拌机多少钱"))
    assert "$39.00" in reply and "$59.00" in reply
    reply = _text(await lin("差价咋算"))
    assert "$20.00" in reply


# --- the other item of two orders -----------------------------------------------------------


async def test_one_item_fine_the_other_tho_is_the_other_order(anna: Say) -> None:
    await anna("where are my orders A-1002 and C-7781")
    reply = _text(await anna("the headphones one is fine, the keyboard tho"))
    assert "C-7781" in reply and "A-1002" not in reply


async def test_chinese_erji_meiwenti_jianpan_ne(dispatcher: Dispatcher) -> None:
    lin = _zh(dispatcher)
    await lin("A-1002 和 C-7781 到哪了")
    reply = _text(await lin("耳机那单没问题 键盘那个呢"))
    assert "C-7781" in reply and "A-1002" not in reply
