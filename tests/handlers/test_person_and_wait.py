"""A person asked for with the reason in one message, and the wait till the team is back."""

from __future__ import annotations

import pytest

from handlers.escalation import person_and_reason
from handlers.hours import reacts_to_wait


@pytest.mark.parametrize(
    ("text", "ask", "reason"),
    [
        ("i need to talk to someone, still no refund after 2 weeks", "i need to talk to someone",
         "still no refund after 2 weeks"),
        ("get me a real person i sent it back 3 weeks ago and no money yet",
         "get me a real person", "i sent it back 3 weeks ago and no money yet"),
        ("still no refund, get me a human", "get me a human", "still no refund"),
        ("转人工 退货寄回去半个月了钱还没退", "转人工", "退货寄回去半个月了钱还没退"),
        ("我要人工客服 64230显示签收了但是我根本没收到", "我要人工客服",
         "64230显示签收了但是我根本没收到"),
    ],
)
def test_a_person_and_the_reason_are_two_parts(text: str, ask: str, reason: str) -> None:
    assert person_and_reason(text) == (ask, reason)


@pytest.mark.parametrize(
    "text",
    [
        "can i talk to a real person please",
        "this is ridiculous, get me a person",
        "转人工",
        "给我转人工 谢谢",
        "where is my order",
    ],
)
def test_a_person_alone_or_said_crossly_has_no_reason(text: str) -> None:
    assert person_and_reason(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "great so nobody till monday",
        "monday?? are you serious",
        "wow so i just wait all weekend",
        "周一?? 那我这两天咋办",
        "要等到周一啊 服了",
        "周一才有人啊",
    ],
)
def test_the_wait_taken_badly(text: str) -> None:
    assert reacts_to_wait(text)


@pytest.mark.parametrize(
    "text",
    [
        "ok monday then",
        "are you open on sunday?",
        "你们周六上班吗",
        "when are you back",
        "周一几点上班",
    ],
)
def test_the_hours_asked_or_taken_calmly(text: str) -> None:
    assert not reacts_to_wait(text)
