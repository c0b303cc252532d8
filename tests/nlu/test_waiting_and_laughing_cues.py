"""Waiting and silence told flatly, and a laugh opening a complaint, read as unhappy (an
independent run thanked "she was helpful but it all took way too long" and read "lol" /
"haha" / "not a single word" sarcasm as praise)."""

from __future__ import annotations

import pytest

from nlu.sentiment import analyse, is_sarcastic
from nlu.types import SentimentLabel


@pytest.mark.parametrize(
    "text",
    [
        "she was helpful but it all took way too long",
        "not a single word from you guys",
        "yeah and nobody answered my email either",
        "等太久了 而且一开始机器人啥也不懂",
        "等了这么久 一句回复都没有",
    ],
)
def test_waiting_and_silence_told_flatly_are_negative(text: str) -> None:
    assert analyse(text).label is SentimentLabel.NEGATIVE, analyse(text)


@pytest.mark.parametrize(
    "text",
    [
        "lol great, another week of waiting",
        "haha so helpful, not a single word from anyone",
        "哈哈 真棒 又要等一周",
        "lol the box was empty",
    ],
)
def test_a_laugh_opening_a_complaint_is_sarcasm(text: str) -> None:
    assert is_sarcastic(text), text
    assert analyse(text).label is SentimentLabel.NEGATIVE, analyse(text)


@pytest.mark.parametrize(
    "text",
    ["lol thanks so much youre a star", "haha perfect thank you", "哈哈 好的", "lol ok"],
)
def test_a_laugh_with_praise_or_a_yes_stays_friendly(text: str) -> None:
    assert not is_sarcastic(text), text
    assert analyse(text).label is not SentimentLabel.NEGATIVE, analyse(text)
