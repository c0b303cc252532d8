"""Plain statements of a stalled parcel, checks back, asks to be told, waits and sarcasm."""

from __future__ import annotations

import pytest

from handlers.cases import asks_if_told
from handlers.complaint import asks_about_the_wait
from handlers.order_arrival import stalled
from handlers.questions import checks_back
from handlers.sarcasm import praise_about_wait, praise_for_no_help


@pytest.mark.parametrize(
    "text",
    [
        "tracking hasn't updated in four days",
        "my package is stuck at the depot",
        "app says out for delivery since monday and nothing",
        "物流停在转运中心好几天了 一直没更新",
        "包裹一直卡在转运中心",
        "快递三天没动了",
    ],
)
def test_a_stalled_parcel_is_said(text: str) -> None:
    assert stalled(text)


@pytest.mark.parametrize("text", ["the lid is stuck", "my order is not what i expected"])
def test_other_things_are_no_stalled_parcel(text: str) -> None:
    assert not stalled(text)


@pytest.mark.parametrize(
    "text",
    [
        "so the order isn't cancelled yet, right?",
        "so its definitely cancelled now?",
        "so the refund is happening then?",
        "意思是已经取消了是吧",
        "所以没取消成功？",
    ],
)
def test_checks_back(text: str) -> None:
    assert checks_back(text)


@pytest.mark.parametrize("text", ["cancel my order", "i want a refund", "帮我取消订单"])
def test_requests_are_no_checks(text: str) -> None:
    assert not checks_back(text)


@pytest.mark.parametrize(
    "text",
    [
        "will i receive an e-mail once its done",
        "do i get a confirmation?",
        "will you email me",
        "will i be notified when there's news?",
        "到时候会有短信提醒吗",
        "会发邮件给我吗",
        "有没有邮件通知啊",
    ],
)
def test_asks_if_told(text: str) -> None:
    assert asks_if_told(text)


@pytest.mark.parametrize(
    "text", ["what's your email address", "i didn't get the reset email", "客服邮箱多少"]
)
def test_the_shop_address_is_not_asked_if_told(text: str) -> None:
    assert not asks_if_told(text)


@pytest.mark.parametrize(
    "text", ["why's it taking so long now", "why is this so slow", "咋这么慢啊", "为啥要等这么久"]
)
def test_a_why_about_the_wait(text: str) -> None:
    assert asks_about_the_wait(text)


@pytest.mark.parametrize("text", ["why is it late", "为什么还没到", "why did it break"])
def test_a_why_about_the_fault(text: str) -> None:
    assert not asks_about_the_wait(text)


def test_sarcastic_thanks_about_waiting() -> None:
    assert praise_about_wait("oh brilliant, yet another 'please be patient'. so useful")
    assert praise_about_wait("真是太谢谢你们了 又让人干等")
    assert praise_for_no_help("wow thanks a lot for nothing")
    assert not praise_about_wait("thanks, i'll wait")
