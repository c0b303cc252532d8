"""Replies a good agent would give (issue #15, "less robotic"): a short answer without a
robotic tail, what was understood said in our words rather than the customer's message
quoted back, and each part of a reply once."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say

# The tails and framings a repeated answer used to carry.
_TAILS = (
    "In short",
    "Briefly",
    "doesn't fit",
    "what's different",
    "简单说",
    "简要来说",
    "哪里不符合",
    "情况如果不同",
)


@pytest.mark.parametrize(
    ("language", "first", "again", "fact"),
    [
        ("en", "how long do refunds take", "sorry how long did u say refunds take again", "3-5"),
        ("zh", "退款要多久", "那退款几天能到账啊", "3-5"),
    ],
)
async def test_a_question_asked_again_is_answered_plainly(
    dispatcher: Dispatcher, language: str, first: str, again: str, fact: str
) -> None:
    say = make_say(dispatcher, f"1601-{language}", "Ola", language)
    await say(first)
    text = " ".join(r.text for r in await say(again))
    assert fact in text
    assert not [tail for tail in _TAILS if tail in text], text
