"""'k well let me know', 'keep me posted', '有消息通知我' with a case open: the team writes here
when there is news (the case named), not "outside what I can help with" (eval11's kind)."""

from __future__ import annotations

import pytest

from handlers.cases import asks_to_be_told
from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("k well let me know", True),
        ("ok keep me updated", True),
        ("行吧 有消息通知我", True),
        ("那等你们消息", True),
        (
            "let me know when the refund for A-1003 goes through and how much it will be exactly",
            False,
        ),
        ("can you let me know the tracking?", False),
        ("when exactly will someone get back to me", False),
        ("那你们啥时候联系我", False),
        ("let me know when you hear something", True),
    ],
)
def test_asking_to_be_told_is_recognised(text: str, expected: bool) -> None:
    assert asks_to_be_told(text) is expected


@pytest.mark.parametrize(
    ("language", "complaint", "notify", "words"),
    [
        ("en", "the kettle from A-1003 leaks, open a case", "fine then, just let me know", "here"),
        ("zh", "A-1003的咖啡机坏了 帮我开个工单", "那我就等你们通知吧", "这里"),
    ],
)
async def test_with_a_case_open_the_team_will_write_here(
    dispatcher: Dispatcher, language: str, complaint: str, notify: str, words: str
) -> None:
    say = make_say(dispatcher, "7801", "Sam", language)
    await say(complaint)
    replies = await say(notify)
    text = " ".join(r.text for r in replies)
    assert "#1" in text and words in text, text
