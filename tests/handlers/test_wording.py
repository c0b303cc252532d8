"""The shared readings of handlers/wording.py: one "when / how long" for every behaviour."""

from __future__ import annotations

import pytest

from handlers.wording import ASKS_WHEN


@pytest.mark.parametrize(
    "text",
    [
        "how long will this take",
        "hw long",
        "how lng till i hear",
        "hw lng??",
        "howlong",
        "how much longer",
        "how many days for the refund",
        "how many more working days",
        "when will someone get back to me",
        "whn do i get it",
        "多久",
        "多久有人回",
        "要等多久啊",
        "多长时间能处理好",
        "几天能到",
        "到底要几天",
        "什么时候有结果",
        "啥时候能好",
        "啥时到",
        "哪天发货",
        "多少天能退",
    ],
)
def test_asks_when(text: str) -> None:
    assert ASKS_WHEN.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "前几天买的水壶坏了",  # days past, a statement
        "等了好几天了",
        "几天了还没人理",
        "it was along the way",
        "it belongs to my wife",
        "somehow longer than the old one",
        "how to return it",
        "我在香港 Hong Kong",
    ],
)
def test_not_asking_when(text: str) -> None:
    assert ASKS_WHEN.search(text) is None
