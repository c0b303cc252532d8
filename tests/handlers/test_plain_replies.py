"""Replies a good agent would give (issue #15, "less robotic"): a short answer without a
robotic tail, what was understood said in our words rather than the customer's message
quoted back, and each part of a reply once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from handlers.dispatcher import Dispatcher
from handlers.hours import BusinessHours
from handlers.turn import Deps
from nlu import BuiltinEngine
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


@pytest.mark.parametrize(
    ("language", "text", "understood", "echo"),
    [
        (
            "en",
            "can you leave my parcel with next door tomorrow, order A-1002, im at work all day",
            "neighbour",
            "im at work all day",
        ),
        ("zh", "订单A-1002明天放门卫就行因为白天家里没人", "放门卫", "白天家里没人"),
    ],
)
async def test_a_delivery_instruction_is_confirmed_in_our_words(
    dispatcher: Dispatcher, language: str, text: str, understood: str, echo: str
) -> None:
    say = make_say(dispatcher, f"1602-{language}", "Ola", language)
    reply = " ".join(r.text for r in await say(text))
    assert understood in reply and "#1" in reply
    assert echo not in reply, reply


@pytest.mark.parametrize(
    ("language", "first", "change", "understood", "replaced", "echo"),
    [
        (
            "en",
            "order A-1002 pls leave it at the door",
            "actually no put it in the parcel locker, my porch gets rained on",
            "locker",
            "instead",
            "rained on",
        ),
        (
            "zh",
            "订单A-1002 放门卫就行",
            "算了 还是放快递柜吧 门卫下班早",
            "快递柜",
            "之前",
            "门卫下班早",
        ),
    ],
)
async def test_a_changed_instruction_is_said_to_replace_the_earlier_one(
    dispatcher: Dispatcher,
    language: str,
    first: str,
    change: str,
    understood: str,
    replaced: str,
    echo: str,
) -> None:
    say = make_say(dispatcher, f"1603-{language}", "Ola", language)
    await say(first)
    reply = " ".join(r.text for r in await say(change))
    assert understood in reply and replaced in reply and "#1" in reply
    assert echo not in reply, reply


# A case opened first, in each language (a faulty item with an order).
_OPENER = {
    "en": "order A-1005 the air fryer stopped heating",
    "zh": "订单A-1005的空气炸锅坏了 插电没反应",
}


@pytest.mark.parametrize(
    ("language", "asked", "wanted"),
    [
        ("en", "is anyone handling my case", ["#1", "Monday 09:00"]),
        ("zh", "周末有人处理吗", ["#1", "周一", "09:00"]),
    ],
)
async def test_nobody_on_it_yet_out_of_hours_says_when_the_team_is_back(
    deps: Deps, engine: BuiltinEngine, language: str, asked: str, wanted: list[str]
) -> None:
    """Friday night: nobody has the case yet, and the team is back on Monday; said once,
    not "in the queue" twice."""
    friday_night = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)
    hours = BusinessHours.parse(["Mon-Fri 09:00-18:00"], "UTC")
    dispatcher = Dispatcher(deps=replace(deps, hours=hours, clock=lambda: friday_night), nlu=engine)
    say = make_say(dispatcher, f"1605-{language}", "Ola", language)
    await say(_OPENER[language])
    replies = await say(asked)
    text = " ".join(r.text for r in replies)
    assert len(replies) == 1, text
    assert all(w in text for w in wanted), text


@pytest.mark.parametrize(
    ("language", "asked", "wanted", "unwanted"),
    [
        ("en", "whats the case number again", ["#1"], ["opened", "minute", "reviews new cases"]),
        ("zh", "工单号是多少来着", ["#1"], ["已创建", "分钟"]),
        ("en", "who is handling my case", ["#1", "Nobody"], ["minute ago"]),
        ("zh", "谁在处理", ["#1", "还没有"], ["分钟"]),
        ("en", "its been 5 days already", ["sorry", "5 days", "#1"], ["minute ago"]),
        ("zh", "都等了一个礼拜了", ["抱歉", "一个礼拜", "#1"], ["已创建", "分钟", "谢谢"]),
    ],
)
async def test_a_case_question_is_answered_as_asked(
    dispatcher: Dispatcher, language: str, asked: str, wanted: list[str], unwanted: list[str]
) -> None:
    say = make_say(dispatcher, f"1604-{language}-{len(asked)}", "Ola", language)
    await say(_OPENER[language])
    reply = " ".join(r.text for r in await say(asked))
    assert all(w in reply for w in wanted), reply
    assert not [u for u in unwanted if u in reply], reply


@pytest.mark.parametrize(
    ("language", "vented", "sorry", "thanks"),
    [
        ("en", "absolutely useless service", ["sorry"], "thank"),
        ("en", "this is ridiculous honestly", ["sorry"], "thank"),
        ("zh", "咋搞的啊 你们", ["抱歉", "对不起"], "谢谢"),
        ("zh", "你们客服是摆设吗", ["抱歉", "对不起"], "谢谢"),
    ],
)
async def test_venting_with_a_case_open_gets_an_apology_not_thanks(
    dispatcher: Dispatcher, language: str, vented: str, sorry: list[str], thanks: str
) -> None:
    say = make_say(dispatcher, f"1605-{language}-{len(vented)}", "Ola", language)
    await say(_OPENER[language])
    reply = " ".join(r.text for r in await say(vented)).lower()
    assert "#1" in reply and any(s in reply for s in sorry), reply
    assert thanks not in reply, reply


@pytest.mark.parametrize(
    ("language", "hurry", "added"),
    [
        ("zh", "那能帮我催一下吗 我要投诉", ["补充到", "已记录到"]),
    ],
)
async def test_a_hurry_with_a_complaint_says_the_case_once(
    dispatcher: Dispatcher, language: str, hurry: str, added: list[str]
) -> None:
    say = make_say(dispatcher, f"1606-{language}", "Ola", language)
    await say(_OPENER[language])
    reply = " ".join(r.text for r in await say(hurry))
    assert "#1" in reply
    assert not [a for a in added if a in reply], reply


@pytest.mark.parametrize(
    ("language", "text", "path"),
    [
        ("en", "order A-1003 ordered a coffee machine got a toaster", "replacement"),
        ("zh", "订单B-2232 我买的背包 寄来的是个鼠标", "换货"),
    ],
)
async def test_a_wrong_item_gets_the_replacement_path(
    dispatcher: Dispatcher, language: str, text: str, path: str
) -> None:
    say = make_say(dispatcher, f"1607-{language}", "Ola", language)
    reply = " ".join(r.text for r in await say(text))
    assert "#1" in reply and path in reply, reply


@pytest.mark.parametrize(
    ("language", "text", "slot"),
    [
        ("en", "what time will order A-1001 arrive", "time slot"),
        ("zh", "订单B-2231 几点能到", "时间段"),
    ],
)
async def test_the_time_of_day_asked_gets_no_time_slot_said(
    dispatcher: Dispatcher, language: str, text: str, slot: str
) -> None:
    say = make_say(dispatcher, f"1608-{language}", "Ola", language)
    reply = " ".join(r.text for r in await say(text))
    assert slot in reply, reply


@pytest.mark.parametrize(
    ("language", "text", "not_charged", "authorisation"),
    [
        ("en", "my card got declined at checkout, whats going on", "nothing is charged", "pending"),
        ("zh", "结账的时候卡被拒了 怎么回事", "不会扣款", "预授权"),
    ],
)
async def test_a_card_declined_at_checkout_is_not_a_pending_charge(
    dispatcher: Dispatcher, language: str, text: str, not_charged: str, authorisation: str
) -> None:
    say = make_say(dispatcher, f"1609-{language}", "Ola", language)
    reply = " ".join(r.text for r in await say(text))
    assert not_charged in reply and authorisation not in reply, reply


@pytest.mark.parametrize(
    ("language", "cross"),
    [("en", "this is ridiculous, get me a real person"), ("zh", "太差了 给我转人工")],
)
async def test_a_person_asked_for_crossly_is_still_a_person(
    dispatcher: Dispatcher, language: str, cross: str
) -> None:
    say = make_say(dispatcher, f"1610-{language}", "Ola", language)
    await say(_OPENER[language])
    reply = " ".join(r.text for r in await say(cross))
    assert ("person from our team" in reply) if language == "en" else ("人工" in reply), reply
