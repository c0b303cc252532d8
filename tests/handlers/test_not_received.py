"""'I never got it' after a parcel shown as delivered: which words say so, which never do."""

from __future__ import annotations

import pytest

from handlers.context import says_not_received

SAYS = [
    "but i never got it?? nothing at my door",
    "it says delivered but i didnt receive anything",
    "havent received it yet",
    "it still hasnt arrived",
    "nothing on my doorstep",
    "我压根没收到啊 怎么就签收了",
    "不是我签的",
    "显示签收了但我没有收到",
    "快递柜里也找不到包裹",
]
DOES_NOT = [
    "yes got it thanks",
    "i havent received my refund",
    "didn't get the confirmation email",
    "还没收到退款",
    "发票没收到",
    "收到了 谢谢",
    "where is my order",
]


@pytest.mark.parametrize("text", SAYS)
def test_says_not_received(text: str) -> None:
    assert says_not_received(text)


@pytest.mark.parametrize("text", DOES_NOT)
def test_does_not_say_not_received(text: str) -> None:
    assert not says_not_received(text)
