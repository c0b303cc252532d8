"""A problem supposed before it has happened, told apart from one that has."""

from __future__ import annotations

import pytest

from handlers.supposed import Supposed, supposed_of_any


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("what happens if the item is damaged in transit", Supposed.DAMAGED),
        ("in case my parcel shows up crushed, should i still sign for it", Supposed.DAMAGED),
        ("if the glass bowl arrives chipped can i get just a new bowl", Supposed.DAMAGED),
        ("what if you guys send me the wrong size", Supposed.WRONG),
        ("what do i do if my order shows up with bits missing", Supposed.MISSING),
        ("say the motor dies after a year, is that on me?", Supposed.FAULT),
        ("should the vacuum break in the first year is it covered", Supposed.FAULT),
        ("万一路上摔碎了咋办", Supposed.DAMAGED),
        ("那要是发错颜色了呢", Supposed.WRONG),
        ("少了配件的话怎么弄", Supposed.MISSING),
        ("如果用了半年坏了呢", Supposed.FAULT),
    ],
)
def test_a_problem_supposed_is_read_by_its_kind(text: str, kind: Supposed) -> None:
    assert supposed_of_any(text) is kind


@pytest.mark.parametrize(
    "text",
    [
        "my kettle arrived broken, what do i do",  # it happened
        "the jug came cracked, what if i send it back",
        "i want to know if my broken toaster can be swapped",  # tells of one
        "pls check if the damaged one was collected",
        "收到就坏了怎么办",
        "杯子碎了 怎么办",
        "what if the kettle packs in after the warranty?",  # the warranty's own question
        "what if i change my mind",  # nothing wrong supposed
    ],
)
def test_a_problem_told_or_none_supposed_is_not(text: str) -> None:
    assert supposed_of_any(text) is None
