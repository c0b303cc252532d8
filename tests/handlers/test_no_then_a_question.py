"""A no that opens a message with a question after it ("nah dont bother, when will it get
here then", "那算了 分期行不"): the offer is dropped and the question answered, not taken for
a plain "no" ("OK, anything else?")."""

from __future__ import annotations

import pytest

from handlers.declined import then_asks
from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        (
            "nah dont bother, when will it actually get here then",
            "when will it actually get here then",
        ),
        ("ok never mind that, do you ship to canada?", "do you ship to canada?"),
        ("那算了 分期行不", "分期行不"),
        ("好吧 算了 你们周末上班吗", "你们周末上班吗"),
    ],
)
def test_the_question_after_a_no_is_kept(text: str, rest: str) -> None:
    assert then_asks(text) == rest


@pytest.mark.parametrize(
    "text",
    [
        "nvm ill wait",
        "算了",
        "never mind then, ill check with my bank",
        "算了 我再等等",
        "no thanks",
        # A statement with a question word in it is no question of its own.
        "nah no need, just wanted to know whats going on",
    ],
)
def test_a_plain_no_has_no_question_after_it(text: str) -> None:
    assert then_asks(text) is None


@pytest.mark.parametrize(
    ("language", "first", "then", "wanted", "unwanted"),
    [
        (
            "en",
            "where is order A-1005",
            "nah dont bother, when will it actually get here then",
            "A-1005",
            "didn't quite get",
        ),
        ("zh", "你们支持货到付款吗", "那算了 分期行不", "3 期", "如有其他需要"),
    ],
)
async def test_the_question_after_a_no_is_answered(
    dispatcher: Dispatcher, language: str, first: str, then: str, wanted: str, unwanted: str
) -> None:
    say = make_say(dispatcher, f"1701-{language}", "Ola", language)
    await say(first)
    reply = " ".join(r.text for r in await say(then))
    assert wanted in reply and unwanted not in reply, reply
