"""A change-of-mind return of an order gets that order's return: the window from its delivery
date, how to start it, the free label, when the money comes (an independent run gave the
PayPal refund route to "i want to return the backpack from A-2290 its too small" and the "no
original box" answer to "手表不想要了 能退吗 订单80808")."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from crm_memory import ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.returns import RETURN_DAYS, window_days
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    "text",
    [
        "i want to return the backpack from B-2232 its too small for my laptop",
        "can i send the backpack back? B-2232, changed my mind",
        "dont want the backpack anymore, order B-2232, can i return it",
        "双肩包不想要了 能退吗 订单B-2232",
        "B-2232这个单的包 不喜欢 可以退货吗",
    ],
)
async def test_a_return_of_an_order_gets_its_window_label_and_refund_time(
    dispatcher: Dispatcher, text: str
) -> None:
    zh = any("\u4e00" <= c <= "\u9fff" for c in text)
    say = make_say(dispatcher, "2101", "小安" if zh else "Ana", "zh" if zh else "en")
    reply = " ".join(r.text for r in await say(text))
    if zh:
        assert "B-2232" in reply and "30 天" in reply and "免费" in reply, reply
        assert "3-5 个工作日" in reply and "原包装" not in reply and "工单" not in reply, reply
    else:
        assert "B-2232" in reply and "30 days" in reply and "free" in reply, reply
        assert "3-5 working days" in reply, reply
        assert "PayPal" not in reply and "original box" not in reply and "case #" not in reply


@pytest.mark.parametrize(
    "text",
    [
        # A fault, a parcel never received, an item already sent back: their own paths.
        "the backpack from B-2232 is broken, i want to return it",
        "B-2232 never arrived, just refund me",
        "i returned the backpack from B-2232 last week, where is my money",
        "订单B-2232的包坏了 我要退货",
        # No order named nor in play: the FAQ's policy.
        "how do returns work",
    ],
)
async def test_not_a_change_of_mind_return(dispatcher: Dispatcher, text: str) -> None:
    say = make_say(dispatcher, "2102", "Bo")
    reply = " ".join(r.text for r in await say(text))
    assert "Orders → Return" not in reply or "until" not in reply, reply


async def test_an_order_delivered_long_ago_is_past_the_window(
    deps: Deps, engine: BuiltinEngine
) -> None:
    # A-1003 was delivered 4 days ago in the sample: a clock 40 days on puts it past the window.
    later = replace(deps, clock=lambda: datetime.now(UTC) + timedelta(days=40))
    say = make_say(Dispatcher(deps=later, nlu=engine), "2104", "Di")
    replies = await say("can i still return the coffee machine from A-1003? dont need it")
    text = " ".join(r.text for r in replies)
    assert "A-1003" in text and "sorry" in text.lower() and "30-day" in text, text
    assert any(b.payload == "human" for r in replies for b in r.buttons), replies


def test_the_window_is_the_one_the_shops_policy_states() -> None:
    # A shop that writes "within 14 days" in its returns answer gets a 14-day window.
    assert window_days("You can return any item within 14 days of delivery.") == 14
    assert window_days("商品签收后 15 天内，未使用即可退货。") == 15
    assert window_days("Returns are welcome.") == RETURN_DAYS
    assert window_days(None) == RETURN_DAYS


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("手表不太喜欢 能退不", "30 天内"),
        ("changed my mind about the kettle, can i return it?", "30 days"),
        ("耳机不怎么喜欢 可以退货吗", "30 天内"),
    ],
)
async def test_a_change_of_mind_return_without_an_order_gets_the_policy_and_no_case(
    dispatcher: Dispatcher, deps: Deps, text: str, window: str
) -> None:
    zh = window.endswith("内")
    say = make_say(dispatcher, "2302", "小安" if zh else "Ana", "zh" if zh else "en")
    reply = " ".join(r.text for r in await say(text))
    assert window in reply, reply
    customer = await deps.customers.find(ChannelIdentity("telegram", "2302"))
    assert customer is not None
    assert await deps.cases.for_customer(customer.id) == []


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("it's not broken, it's just way too loud", "30 days"),
        ("nothing wrong with it, just too big for the kitchen", "30 days"),
        ("没坏 就是太吵了", "30 天内"),
        ("质量没问题 就是不喜欢", "30 天内"),
    ],
)
async def test_no_fault_and_a_reason_of_taste_is_a_change_of_mind_return(
    dispatcher: Dispatcher, deps: Deps, text: str, window: str
) -> None:
    zh = window.endswith("内")
    say = make_say(dispatcher, "2303", "小安" if zh else "Ana", "zh" if zh else "en")
    await say("退货政策是什么" if zh else "what's your return policy")
    reply = " ".join(r.text for r in await say(text))
    assert window in reply and "订单号" not in reply and "order number" not in reply, reply
    customer = await deps.customers.find(ChannelIdentity("telegram", "2303"))
    assert customer is not None
    assert await deps.cases.for_customer(customer.id) == []


@pytest.mark.parametrize(
    ("text", "used"),
    [
        ("hmm I did use it once though", "unused"),
        ("we have worn them a couple times tbh", "unused"),
        ("it's been used", "unused"),
        ("用过一次了还能退吗", "未使用"),
        ("已经用了两天了", "未使用"),
    ],
)
async def test_a_used_item_told_after_the_return_rules_gets_the_used_item_answer(
    dispatcher: Dispatcher, text: str, used: str
) -> None:
    zh = used == "未使用"
    say = make_say(dispatcher, "2304", "小安" if zh else "Ana", "zh" if zh else "en")
    await say("怎么退货" if zh else "how do returns work")
    reply = " ".join(r.text for r in await say(text))
    assert used in reply and "can't change that" not in reply, reply
