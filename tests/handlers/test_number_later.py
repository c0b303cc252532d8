"""The words of an order number promised for later, and of an address said back."""

from __future__ import annotations

import pytest

from handlers import number_later
from handlers.context import states_address, written_address


@pytest.mark.parametrize(
    "text",
    [
        "just a sec, looking for the number",
        "hang on, digging up the order no",
        "gimme a sec to dig up the order no",
        "单号稍等一下",
        "等我翻翻单号",
        "稍等 我找找单号",
    ],
)
def test_a_number_promised_for_a_moment(text: str) -> None:
    moment = number_later._MOMENT.search(text) or number_later._LOOKING.search(text)
    assert moment is not None and number_later._NUMBER.search(text) is not None
    assert number_later._NOT_A_PROMISE.search(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "hold on dont cancel it",
        "i can't find the number",
        "帮我找一下单号",
        "等下 不要取消",
        "i already gave you the number",
    ],
)
def test_no_promise(text: str) -> None:
    assert number_later._NOT_A_PROMISE.search(text) is not None


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("new address is 31 Ash Grove, Leeds LS2 7QT", "31 Ash Grove, Leeds LS2 7QT"),
        ("ship it to 14 Baker Street London instead", "14 Baker Street London"),
        ("the address should be Rose Cottage, Mill Lane", "Rose Cottage, Mill Lane"),
        ("its 77 queen st apt 4 now", "77 queen st apt 4"),
        ("地址改成 解放路35号", "解放路35号"),
        ("改到 朝阳区建国路88号吧", "朝阳区建国路88号"),
    ],
)
def test_the_address_said_back(text: str, address: str) -> None:
    assert written_address(text) == address


def test_an_address_stated_in_words() -> None:
    assert states_address("the address should be Rose Cottage, Mill Lane")
    assert states_address("新地址是 浦东新区世纪大道100号")
    assert not states_address("my address is wrong")
    assert not states_address("the address is the same")
