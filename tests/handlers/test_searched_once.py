"""A costly pattern searched once per text a turn (handlers/searched.py), not once per reading."""

from __future__ import annotations

import re

import pytest

from handlers import context, greeting, lost_parcel
from handlers.dispatcher import Dispatcher
from handlers.searched import SearchedOnce
from nlu import sentiment

from .conftest import make_say

_TEXTS = (
    "my kettle from A-1001 arrived broken, the lid is cracked",
    "A-1001的水壶坏了 盖子也裂了",
    "where is my order A-1001",
    "我的订单到哪了",
    "ordered headphones got earbuds",
    "",
)


class _Counting:
    """A compiled pattern that counts its searches."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.searched: list[str] = []

    def search(self, text: str, /) -> re.Match[str] | None:
        self.searched.append(text)
        return self.pattern.search(text)


@pytest.mark.parametrize("text", _TEXTS)
def test_the_kept_search_is_the_patterns_own(text: str) -> None:
    kept = SearchedOnce(context.DEFECT.pattern)
    for _ in range(2):
        found, plain = kept.search(text), context.DEFECT.pattern.search(text)
        assert (found and found.span()) == (plain and plain.span())


def test_a_text_is_searched_once_while_kept() -> None:
    counting = _Counting(re.compile(r"broken|坏了"))
    kept = SearchedOnce(counting, texts=2)  # type: ignore[arg-type]  # a stand-in pattern
    for text in ("it is broken", "坏了", "it is broken", "坏了"):
        kept.search(text)
    assert counting.searched == ["it is broken", "坏了"]
    kept.search("a third text")  # the oldest is let go
    kept.search("it is broken")
    assert counting.searched[-2:] == ["a third text", "it is broken"]


@pytest.mark.parametrize(
    "text",
    ["my kettle from A-1001 arrived broken, the lid is cracked", "A-1001的水壶坏了 盖子也裂了"],
)
async def test_a_complaint_turn_searches_defect_once_per_text(
    dispatcher: Dispatcher, text: str
) -> None:
    """The dispatcher, the readings, context.read and the complaint handler all ask DEFECT
    about the message: the regex engine runs once for each text asked about."""
    context.DEFECT.cache_clear()
    replies = await make_say(dispatcher, "100", "Anna")(text)
    info = context.DEFECT.cache_info()
    assert any("#1" in r.text for r in replies)  # the complaint's case, as before
    assert info.hits >= 3  # asked again and again...
    assert info.misses == info.currsize  # ...and every text searched once



# What a turn asks of the same words from several places, kept per text (the inquiry's
# language request three times; a case's reason by each answer naming its kind).
_KEPT = {
    "requested_language": greeting.requested_language,
    "problem_kind": greeting.problem_kind,
    "is_sarcastic": sentiment.is_sarcastic,
    "wants_money": lost_parcel._WANTS_MONEY,
}


@pytest.mark.parametrize(
    ("texts", "asked_again"),
    [
        (("where is my order A-1001",), {"requested_language", "wants_money"}),
        (
            ("A-1001的水壶坏了", "我的问题处理得怎么样了"),
            {"requested_language", "problem_kind", "wants_money"},
        ),
        # (Sarcasm about a wait is read once now, by the reading that answers it: what is
        # asked again of these words is the language asked for.)
        (("wow amazing service, 3 weeks and nothing",), {"requested_language"}),
        (("真是太棒了 又坏了",), {"requested_language", "is_sarcastic", "wants_money"}),
    ],
)
async def test_what_a_turn_asks_again_of_its_words_is_worked_out_once(
    dispatcher: Dispatcher, texts: tuple[str, ...], asked_again: set[str]
) -> None:
    say = make_say(dispatcher, "100", "Anna")
    for kept in _KEPT.values():
        kept.cache_clear()
    for text in texts:
        await say(text)
    infos = {name: kept.cache_info() for name, kept in _KEPT.items()}
    assert {name for name, info in infos.items() if info.hits} >= asked_again
    assert all(info.misses == info.currsize for info in infos.values())
