"""Praise beside trouble in one message ("in transit for 8 days now. great job guys, really",
"51001又晚了 真棒") is sarcasm, split from the trouble it follows (brief C73)."""

from __future__ import annotations

import pytest

from handlers.sarcasm import praise_with_trouble, split_praise, story_and_praise


@pytest.mark.parametrize(
    ("said", "parts"),
    [
        ("51001又晚了 真棒", ("51001又晚了", "真棒")),
        (
            "great service guys, 51001 in transit for 8 days now",
            ("51001 in transit for 8 days now", "great service guys"),
        ),
    ],
)
def test_the_praise_split_from_the_trouble(said: str, parts: tuple[str, str]) -> None:
    assert split_praise(said) == parts


def test_a_story_and_its_praise() -> None:
    parts = ["lovely", "still stuck in transit", "great job"]
    assert story_and_praise(parts) == ("still stuck in transit", "lovely")


@pytest.mark.parametrize(
    "said", ["where is 51001, thanks", "51005 arrived quickly, great service", "great, thanks"]
)
def test_praise_without_trouble_is_praise(said: str) -> None:
    assert not praise_with_trouble(said)
