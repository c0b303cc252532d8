"""A country typed with one letter wrong is still that country; other words are not."""

from __future__ import annotations

import pytest

import handlers.dispatcher  # noqa: F401  (imports the handlers in their working order)
from handlers.regions import region_named


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("and austrlia?", "Australia"),
        ("what about germny", "Germany"),
        ("frnace?", "France"),
        ("irelnd?", "Ireland"),
        ("polland", "Poland"),
    ],
)
def test_one_letter_off_is_the_country(text: str, country: str) -> None:
    region = region_named(text)
    assert region is not None and region.en == country


@pytest.mark.parametrize(
    "text",
    [
        "im so hungry",
        "is it child safe",
        "the manual is only in german",
        "a russian plug",
        "the kettle is leaking",
    ],
)
def test_other_words_name_no_country(text: str) -> None:
    assert region_named(text) is None
