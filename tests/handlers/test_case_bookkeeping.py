"""One case per problem, and the right things noted on it (issue #15)."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import FakeDesk, make_say


@pytest.mark.parametrize(
    ("first", "again", "language", "due"),
    [
        ("i want to talk to a human", "human please", "en", "at the latest"),
        ("get me a real person", "let me talk to a person!!", "en", "at the latest"),
        ("我要转人工", "我要转人工！", "zh", "最晚"),
        ("给我转人工客服", "人工呢 找个真人", "zh", "最晚"),
    ],
)
async def test_a_person_asked_for_again_is_told_by_when(
    dispatcher_with_desk: Dispatcher,
    desk: FakeDesk,
    first: str,
    again: str,
    language: str,
    due: str,
) -> None:
    say = make_say(dispatcher_with_desk, "100", "Sam", language)
    await say(first)
    (reply,) = await say(again)
    number = desk.handoffs[0].case.number
    assert len(desk.handoffs) == 1
    assert f"#{number}" in reply.text and due in reply.text
    assert not any(b.payload == "human" for b in reply.buttons)
    assert "?" not in reply.text and "？" not in reply.text
