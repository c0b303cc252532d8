"""Held-out Chinese: questions about the delivery crew and "I work" said as context.

With each Chinese character a word token, 师傅 (every one of them in a complaint) and the
question 不 pulled "will the courier carry it up" towards complaints, and 上班 (only ever the
shop's hours) made a customer's "I work weekdays" an opening-hours question. None of these
sentences is in nlu/data.
"""

from __future__ import annotations

import pytest

from nlu import FALLBACK, BuiltinEngine, load_training_data

CREW_QUESTIONS = [
    "快递小哥能给送到楼上吗 我住七楼",
    "安装师傅跟着送货一起来不",
    "电视送到了管安装吗",
    "搬上楼要加钱不",
    "师傅能帮我把旧冰箱拉走吗",
]
# A clause that only says when the customer works: words for the request beside it.
WORK_CONTEXT = ["我下午要上班", "我平常要上班", "我在工厂上班", "我周一到周五都上班"]
# The shop's own hours are still asked with 上班.
SHOP_HOURS = ["你们过年上班吗", "客服明天上班不"]
CREW_COMPLAINTS = ["安装师傅迟到了两个小时"]


def test_held_out_sentences_are_not_training_data() -> None:
    trained = {" ".join(e.text.split()) for e in load_training_data().examples}
    held_out = CREW_QUESTIONS + WORK_CONTEXT + SHOP_HOURS + CREW_COMPLAINTS
    assert not [t for t in held_out if " ".join(t.split()) in trained]


@pytest.mark.parametrize("text", CREW_QUESTIONS)
def test_a_question_about_the_delivery_crew_is_a_delivery_question(
    engine: BuiltinEngine, text: str
) -> None:
    assert engine.parse_sync(text).intent == "ask_delivery"


@pytest.mark.parametrize("text", WORK_CONTEXT)
def test_when_the_customer_works_is_no_request(engine: BuiltinEngine, text: str) -> None:
    result = engine.parse_sync(text)
    assert result.intent == FALLBACK, (result.intent, result.confidence)


@pytest.mark.parametrize("text", SHOP_HOURS)
def test_the_shops_hours_are_still_opening_hours(engine: BuiltinEngine, text: str) -> None:
    assert engine.parse_sync(text).intent == "ask_opening_hours"


@pytest.mark.parametrize("text", CREW_COMPLAINTS)
def test_a_complaint_about_the_crew_stays_a_complaint(engine: BuiltinEngine, text: str) -> None:
    assert engine.parse_sync(text).intent == "complaint"
