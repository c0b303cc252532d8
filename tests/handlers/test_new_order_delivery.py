"""When an order not placed yet would arrive: the shipping times, no order number (issue #15)."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.knowledge import asks_new_order_time
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("language", "text", "not_wanted"),
    [
        ("en", "if i order the toaster now when would it come", "order number"),
        (
            "en",
            "hiya, say I buy the blender today, how many days till it gets here?",
            "order number",
        ),
        ("zh", "要是我今天拍下 大概啥时候能收到啊", "订单号"),
        ("zh", "亲 明天下单的话几天到", "订单号"),
    ],
)
async def test_when_a_new_order_would_arrive_gets_the_shipping_times(
    dispatcher: Dispatcher, language: str, text: str, not_wanted: str
) -> None:
    say = make_say(dispatcher, f"1510-{len(text)}-{language}", "Mo", language)
    replies = await say(text)
    joined = " ".join(r.text for r in replies)
    assert "2-4" in joined and not_wanted not in joined


@pytest.mark.parametrize(
    ("language", "text", "region"),
    [
        ("en", "if I order today how long to canada", "Canada"),
        ("zh", "寄新加坡的话下单后几天到", "新加坡"),
    ],
)
async def test_a_served_country_gets_the_times_with_its_name(
    dispatcher: Dispatcher, language: str, text: str, region: str
) -> None:
    say = make_say(dispatcher, f"1511-{language}", "Mo", language)
    joined = " ".join(r.text for r in await say(text))
    assert region in joined and "2-4" in joined


@pytest.mark.parametrize(
    "text",
    [
        "when will my order arrive",
        "how long will the new one take",
        "我的订单什么时候到",
        "A-1001什么时候能到",
        "i ordered last week and it still hasn't come",
    ],
)
def test_an_order_already_placed_is_not_a_new_one(text: str) -> None:
    assert not asks_new_order_time(text)
