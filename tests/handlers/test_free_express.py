"""A faster delivery asked for free (a goodwill upgrade, brief C95): what the terms allow and
a person, never the free-delivery threshold. Held-out wordings."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.inquiry import asks_free_express
from handlers.types import Reply
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "free"),
    [
        ("any chance of a free upgrade to express? it's already 3 days late", True),
        ("can you waive the express fee since you messed up", True),
        ("make it next day delivery without charging me pls", True),
        ("都延误了 加急能不能不收费", True),
        ("给我免费换成顺丰吧 太慢了", True),
        ("is delivery free?", False),
        ("顺丰是免费的吗", False),
        ("how much is express", False),
        ("can i get it faster", False),
    ],
)
def test_a_free_upgrade_in_the_customers_words(text: str, free: bool) -> None:
    assert asks_free_express(text) is free


def _text(replies: list[Reply]) -> str:
    return " ".join(r.text for r in replies)


async def test_a_shipped_late_order_cannot_go_faster_free_or_paid(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "6301", "Ola", "en")
    await say("where's A-1005??")
    text = _text(await say("any chance of a free upgrade to express? its already late"))
    assert "A-1005" in text and "can't be upgraded" in text, text
    assert "free on orders over" not in text, text
