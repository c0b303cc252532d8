"""A clause that only gives context, or says what is wanted done about the problem told,
adds no answer of its own (brief C95): one answer for one request. Held-out wordings, not
lines of the conversation files."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.types import Reply
from tests.handlers.conftest import make_say


def _text(replies: list[Reply]) -> str:
    return " ".join(r.text for r in replies)


@pytest.mark.parametrize(
    ("language", "text", "present", "absent"),
    [
        (
            "en",
            "coffee machine from A-1003 came without the filter. can u send one pls",
            "#",
            ["together", "was delivered on"],
        ),
        (
            "en",
            "got the blender a while ago and it arrived fine. is there a warranty on it?",
            "warranty",
            ["sorry about this", "order number"],
        ),
        ("zh", "我已经下单付款了 优惠码还能补上吗", "优惠", ["未使用", "已经用过"]),
        ("zh", "订单A-1003的咖啡机缺了个滤网 能给我补发一个吗", "#", ["合并", "签收"]),
    ],
)
async def test_one_request_one_answer(
    dispatcher: Dispatcher, language: str, text: str, present: str, absent: list[str]
) -> None:
    say = make_say(dispatcher, "6201", "Sam", language)
    answer = _text(await say(text))
    assert present in answer, answer
    for words in absent:
        assert words not in answer, answer


async def test_a_fact_then_a_question_of_another_topic_are_both_answered(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "6202", "Sam", "en")
    answer = _text(await say("wheres my order A-1001 also can i pay by installments"))
    assert "A-1001" in answer and "instalments" in answer, answer
