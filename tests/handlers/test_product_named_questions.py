"""A question the knowledge base answers is answered when it names the product it is about
(issue #15): "mailed the blender back on monday when is the refund coming" is the refund's
timing, not "I'm not sure, shall I bring a person?" because the FAQ has no word "blender"."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [
        ("mailed the blender back on monday when is the refund coming", "en", "working days"),
        ("returned the espresso machine a week ago, when do i get my money", "en", "working days"),
        ("意式咖啡机已经寄回去了 钱什么时候到", "zh", "工作日"),
    ],
)
async def test_a_refund_question_naming_the_product_is_answered(
    dispatcher: Dispatcher, text: str, language: str, words: str
) -> None:
    say = make_say(dispatcher, "5201", "Sam", language)
    said = " ".join(r.text for r in await say(text))
    assert words in said, said
    assert "not sure" not in said and "不太确定" not in said, said
    assert "Huabei" not in said and "花呗" not in said, said
