"""Tone words do not decide the act: an attribute asked before buying, praise with a
reservation, speed praised after bad news, a withdrawal said with a wait and a request."""

from __future__ import annotations

import pytest

from handlers import cancel, sarcasm
from handlers.attributes import asks_before_buying
from handlers.feedback import praise_with_reservation
from handlers.questions import is_question
from handlers.sarcasm import praises_speed, waits_said


@pytest.mark.parametrize(
    "text",
    [
        "is the blender noisy?",
        "thinking of getting the blender, is it loud?",
        "空气炸锅噪音大不大",
        "搅拌机声音大吗",
    ],
)
def test_how_loud_asked_before_buying(text: str) -> None:
    assert asks_before_buying(text)


@pytest.mark.parametrize(
    "text",
    [
        "my blender is really noisy",
        "is it normal that its this noisy?",
        "我的搅拌机噪音好大",
        "空气炸锅噪音大吗 收到就这样",
    ],
)
def test_a_noisy_one_of_their_own_is_a_fault(text: str) -> None:
    assert not asks_before_buying(text)


@pytest.mark.parametrize("text", ["大不大", "吵不吵啊", "好不好用"])
def test_a_not_a_is_a_chinese_question(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "headphones are great, only the case feels a bit cheap",
        "really happy with the service, delivery was a day late but no big deal",
        "耳机很好 就是盒子有点廉价",
        "服务不错 虽然晚到了一天 没事",
    ],
)
def test_praise_with_a_small_reservation(text: str) -> None:
    assert praise_with_reservation(text)


@pytest.mark.parametrize(
    "text",
    [
        "great blender but the jug arrived cracked",
        "love it, but when will the lid ship?",
        "great thanks",
        "耳机很好",
    ],
)
def test_no_reservation_or_more_than_one(text: str) -> None:
    assert not praise_with_reservation(text)


@pytest.mark.parametrize("text", ["哇 好快啊 真棒", "lightning fast as always", "速度真快 神速"])
def test_speed_praised_alone(text: str) -> None:
    assert praises_speed(text)


@pytest.mark.parametrize(
    "text", ["wow that was fast, thanks for sorting the refund", "great thanks"]
)
def test_speed_with_more_said_or_no_speed(text: str) -> None:
    assert not praises_speed(text)


def test_another_week_is_a_wait_complained_of() -> None:
    assert waits_said("oh great, another week")
    assert waits_said("太棒了 又要等一周")
    assert not waits_said("ok a few more days then")
    assert sarcasm.praise_about_wait("oh great, another week")


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("forget it, I'll wait, but chase the courier for me", "chase the courier for me"),
        ("算了 再等等 帮我催一下快递", "帮我催一下快递"),
    ],
)
def test_a_withdrawal_with_a_wait_then_a_request(text: str, rest: str) -> None:
    split = cancel._withdrawal_then(text)
    assert split is not None and split[1] == rest
