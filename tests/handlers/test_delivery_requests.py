"""Delivery requests read as what they ask: a new address written out, store pick-up, a
deadline with its reason, a late parcel in loose words, venting at a date, whether anyone is
there (issue #15, conv61)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers import hours
from handlers.arrival import needed_by
from handlers.complaint import deadline_said, needs_it_by
from handlers.context import ADDRESS_SHAPE
from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import Say, make_say


async def _text(say: Say, message: str) -> str:
    return "\n".join(r.text for r in await say(message))


@pytest.mark.parametrize(
    "text",
    [
        "new address is 14 Elm Road, Leeds LS6 2AB",
        "pls send it to 221b baker st london",
        "27 kings avenue apt 4, manchester",
        "flat 2, 19 hope st",
        "新地址是朝阳区建国路88号3单元",
        "成都武侯区人民南路四段11号",
        "3号楼2单元501",
    ],
)
def test_a_street_address_is_seen_as_one(text: str) -> None:
    assert ADDRESS_SHAPE.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "hi I moved, can order A-1002 go to my new place",
        "it costs 14 dollars",
        "i need 3 more by the way",
        "my order 88231 is late",
        "订单88231到哪了",
        "买了2个",
    ],
)
def test_numbers_that_are_no_address(text: str) -> None:
    assert not ADDRESS_SHAPE.search(text)


async def test_an_address_sent_after_a_status_goes_on_a_case(anna: Say) -> None:
    await anna("where is C-7781")
    text = await _text(anna, "pls send it to 221b baker st london")
    assert "C-7781" in text and "#" in text
    assert "$" not in text and "didn't" not in text


async def test_an_address_in_chinese_after_a_status_goes_on_a_case(dispatcher: Dispatcher) -> None:
    zhou = make_say(dispatcher, "6101", "周", "zh")
    await zhou("C-7781 查一下")
    text = await _text(zhou, "地址写错了 应该是南京市鼓楼区中山路18号1栋502")
    assert "C-7781" in text and "#" in text


async def test_store_pick_up_for_an_order_still_with_us(anna: Say) -> None:
    await anna("where is C-7781")
    text = await _text(anna, "can i collect it myself")
    assert "C-7781" in text and "store" in text
    assert "label" not in text and "Return" not in text


async def test_store_pick_up_too_late_once_shipped(anna: Say) -> None:
    await anna("A-1001 where is it")
    text = await _text(anna, "can i just pick it up from the store")
    assert "A-1001" in text and "DHL" in text and "no longer" in text


async def test_store_pick_up_in_chinese(dispatcher: Dispatcher) -> None:
    wang = make_say(dispatcher, "6102", "王", "zh")
    await wang("A-1002发货没")
    text = await _text(wang, "能不能我自己去店里拿")
    assert "A-1002" in text and "自提" in text and "退货" not in text


async def test_a_late_parcel_without_its_number(anna: Say) -> None:
    text = await _text(anna, "my espresso machine was supposed to come like last week wheres it")
    assert "order number" in text and "sorry" in text.lower()


async def test_a_late_parcel_without_its_number_zh(dispatcher: Dispatcher) -> None:
    li = make_say(dispatcher, "6103", "李", "zh")
    text = await _text(li, "买的咖啡机说好上周到的 人呢")
    assert "订单号" in text and "感谢" not in text


async def test_venting_at_the_date_is_met_with_sorry_and_express(anna: Say) -> None:
    await anna("when will C-7781 arrive")
    text = await _text(anna, "friday?? seriously")
    assert "sorry" in text.lower() and "express" in text and "didn't" not in text


async def test_venting_at_a_shipped_date_zh(dispatcher: Dispatcher) -> None:
    li = make_say(dispatcher, "6104", "李", "zh")
    await li("B-2231到哪了")
    text = await _text(li, "还要到周四？太慢了吧")
    assert "抱歉" in text and "B-2231" in text and "人工" in text


@pytest.mark.parametrize(
    "text",
    [
        "when will someone read this",
        "is anyone even there",
        "anyone gonna read my message or what",
        "how long till somebody answers me",
        "are there any humans there",
        "啥时候有人回",
        "有活人吗",
        "人工什么时候回我",
    ],
)
def test_whether_anyone_is_there(text: str) -> None:
    assert hours.asks_for_anyone(text)


@pytest.mark.parametrize(
    "text", ["买的咖啡机说好上周到的 人呢", "can someone collect the return", "is this in stock"]
)
def test_not_asking_whether_anyone_is_there(text: str) -> None:
    assert not hours.asks_for_anyone(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("麻烦快点 周五之前一定要到 送礼的", "周五"),
        ("pls rush it, guests arriving wednesday", "Wednesday"),
        ("my son's birthday is saturday, please make it quick", "Saturday"),
    ],
)
def test_a_deadline_with_its_reason(text: str, day: str) -> None:
    assert deadline_said(text) == day
    assert needs_it_by(text)


def test_a_deadline_asked_as_a_question_is_not_said() -> None:
    assert not needs_it_by("will it come by saturday? its a birthday present")


@pytest.mark.parametrize(
    "text", ["can u make it urgent, i have 12 people coming thursday", "周四爸妈过来 想早点收到"]
)
def test_a_deadline_given_as_people_coming(text: str) -> None:
    monday = datetime(2026, 11, 23, 10, tzinfo=UTC)
    found = needed_by(monday, UTC, text)
    assert found is not None and found.day == 26


async def test_an_address_for_a_delivered_order_opens_no_case(anna: Say) -> None:
    await anna("where is A-1003")
    text = await _text(anna, "pls send it to 221b baker st london")
    assert "A-1003" in text and "delivered" in text and "#" not in text


# --- merge of C59 and C61: a day asked about, balked at, or needed by --------------------


@pytest.mark.parametrize(
    ("said", "day"),
    [("monday?", "monday"), ("sat?", "saturday"), ("n on saturday??", "saturday")],
)
async def test_another_day_than_the_one_given_is_asked_not_balked_at(
    anna: Say, said: str, day: str
) -> None:
    # The dates given are a Sunday and a Thursday: another day echoed asks whether the
    # courier comes then.
    await anna("when will C-7781 arrive")
    text = await _text(anna, said)
    assert day in text.lower() and "longer than" not in text


async def test_a_delivery_day_asked_in_chinese_is_no_balking(dispatcher: Dispatcher) -> None:
    li = make_say(dispatcher, "6105", "李", "zh")
    await li("周末能送到吗")
    text = await _text(li, "周日也送？")
    assert "周日" in text and "比您希望的要久" not in text


@pytest.mark.parametrize(
    ("language", "said", "word"),
    [
        ("en", "pls rush it, guests arriving wednesday", "express"),
        ("zh", "周三就要 来得及吗 搬新家", "加急"),
        ("zh", "周三爸妈过来 想早点收到", "加急"),
    ],
)
async def test_a_day_needed_by_is_no_question_about_the_couriers_days(
    dispatcher: Dispatcher, language: str, said: str, word: str
) -> None:
    say = make_say(dispatcher, "6106", "Kim", language)
    await say("when will C-7781 arrive" if language == "en" else "C-7781什么时候到")
    text = await _text(say, said)
    assert word in text.lower() and "Monday to Saturday" not in text and "周一至周六" not in text
