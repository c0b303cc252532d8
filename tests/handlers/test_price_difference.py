"""How a price difference is settled, and an item added to an order already placed."""

from __future__ import annotations

from crm_memory import ChannelIdentity
from handlers import difference
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def test_price_dropped_then_how_is_the_difference_worked_out(say: Say, deps: Deps) -> None:
    first = _text(await say("i bought the blender last week and now its cheaper on your site"))
    assert "difference" in first and "refund" in first, first
    text = _text(await say("so how is the difference worked out"))
    assert "difference" in text and "$59.00" not in text, text
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is None or list(await deps.cases.for_customer(customer.id)) == []


async def test_chajia_zakan_after_an_exchange(dispatcher: Dispatcher) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    text = _text(await wang("我想把电水壶换成咖啡机 差价怎么算"))
    assert "差价" in text and "补" in text and "现货" not in text, text


async def test_chajia_right_after_two_prices_is_the_gap(dispatcher: Dispatcher) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("电水壶和搅拌机多少钱")
    text = _text(await wang("差价咋算"))
    assert "20" in text, text


async def test_where_is_it_and_can_i_add_something(say: Say) -> None:
    text = _text(await say("where is A-1002 and can i still add something to it"))
    assert "A-1002" in text and "new order" in text and "invoice" not in text.lower(), text


async def test_daonale_hai_neng_jia_dongxi(dispatcher: Dispatcher) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    text = _text(await wang("A-1002到哪了 还能加东西吗"))
    assert "A-1002" in text and "另下一单" in text, text


def test_a_comparison_is_no_price_difference() -> None:
    for text in (
        "whats the difference between them",
        "whats the difference in price anyway",
        "got any cheaper earbuds?",
        "两个有啥区别",
        "i dropped it and it broke",
    ):
        assert not difference.asks_price_difference(text), text
    for text in (
        "do i get the difference back",
        "差价咋算",
        "买完就降价了",
        "do i pay extra if i swap for the dearer one",
    ):
        assert difference.asks_price_difference(text), text
