"""The customer closes their own case: which words ask for it, and which never do."""

from __future__ import annotations

import pytest

from handlers.cases import asks_to_close

CLOSE = [
    "nvm it just arrived, you can close the case",
    "got it finally so u can close that ticket",
    "please close my complaint, all sorted",
    "i want to withdraw my complaint",
    "the ticket can be closed now thx",
    "all good now, feel free to close it",
    "到了到了 工单可以关掉了 谢谢",
    "问题解决了 帮我关闭工单吧",
    "投诉撤销吧 已经退款了",
    "那个工单关了吧",
]
KEEP = [
    "can u cancel my order A-1004",
    "please don't close the case yet, still nothing",
    "do not close my ticket, the parcel never came",
    "close my account",
    "取消订单",
    "工单先别关 东西还没到",
    "不要关工单",
    "what's my case number",
    "is the shop closed on sunday",
]


@pytest.mark.parametrize("text", CLOSE)
def test_asks_to_close(text: str) -> None:
    assert asks_to_close(text)


@pytest.mark.parametrize("text", KEEP)
def test_does_not_ask_to_close(text: str) -> None:
    assert not asks_to_close(text)
