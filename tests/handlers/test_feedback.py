"""Feedback: which way it goes comes from the sentiment model; a negative remark during an
open case goes into the case."""

from __future__ import annotations

import pytest

from crm_memory import CaseKind, ChannelIdentity, Priority
from handlers import feedback
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from tests.handlers.conftest import Say, make_say

ANNA = ChannelIdentity("telegram", "100")


async def _anna_id(deps: Deps) -> int:
    customer = await deps.customers.find(ANNA)
    assert customer is not None
    return customer.id


async def test_sarcastic_praise_is_stored_as_negative_feedback(anna: Say, deps: Deps) -> None:
    await anna("hi")
    await anna("oh wonderful, yet another chatbot. just fantastic.")
    (fb,) = await deps.feedback.all()
    assert fb.sentiment < 0


async def test_praise_is_stored_with_the_model_score(anna: Say, deps: Deps) -> None:
    await anna("hi")
    await anna("the new website is so much nicer to use, well done")
    (fb,) = await deps.feedback.all()
    assert fb.sentiment > 0.3


async def test_negative_remark_during_an_open_case_goes_into_the_case(
    anna: Say, deps: Deps
) -> None:
    await anna("hi")
    cid = await _anna_id(deps)
    case = await deps.cases.open(
        customer_id=cid,
        kind=CaseKind.COMPLAINT,
        priority=Priority.NORMAL,
        reason="parcel damaged",
        summary="parcel damaged",
        topic="delivery",
    )
    # The intent classifier reads this as praise (feedback_positive); it is neither praise
    # nor a new topic, so the person on the case reads it there.
    replies = await anna("wow, great service as always. not.")
    assert any(f"#{case.number}" in r.text for r in replies)
    assert "great service as always" in (await deps.cases.get(case.number)).summary
    assert await deps.feedback.all() == []


@pytest.mark.parametrize(
    ("language", "message", "angry_part", "sorry", "thanks"),
    [
        (
            "en",
            "wheres my order A-1001?? also ur app is rubbish, crashed 3 times today, so annoying",
            "ur app is rubbish, crashed 3 times today, so annoying",
            "Sorry about this.",
            "Thank you for telling us",
        ),
        (
            "zh",
            "A-1002到哪了？你们这个app真的太烂了 老是闪退",
            "你们这个app真的太烂了 老是闪退",
            "非常抱歉",
            "谢谢您的反馈",
        ),
    ],
)
async def test_two_requests_one_angry_part_softer_tone_once_feedback_stored_once(
    dispatcher: Dispatcher,
    deps: Deps,
    language: str,
    message: str,
    angry_part: str,
    sorry: str,
    thanks: str,
) -> None:
    # The order question alone is calm; the message is not, so its status comes with an
    # apology, once, and the complaint about the app is stored once, as said.
    (reply,) = await make_say(dispatcher, "100", "Anna", language)(message)
    assert reply.text.count(sorry) == 1 and reply.text.index(sorry) < reply.text.index("A-100")
    assert thanks in reply.text
    (stored,) = await deps.feedback.all()
    assert stored.text == angry_part and stored.sentiment < -0.5


async def test_two_calm_requests_get_no_apology(anna: Say, deps: Deps) -> None:
    (reply,) = await anna("wheres my order A-1001? and do you ship to ireland")
    assert "A-1001" in reply.text and "Sorry" not in reply.text
    assert await deps.feedback.all() == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("the agent Sara sorted my problem so fast, please tell her boss", "Sara"),
        ("Priya on the chat last week was brilliant, so patient", "Priya"),
        ("小张态度特别好 帮我给她点个赞", "小张"),
        ("昨天那个客服小王特别耐心 麻烦帮我表扬一下她", "小王"),
    ],
)
async def test_praise_for_one_of_our_people_is_stored_with_their_name(
    anna: Say, deps: Deps, text: str, name: str
) -> None:
    await anna("hi")
    await anna(text)
    (fb,) = await deps.feedback.all()
    assert name in fb.text
    assert fb.sentiment > 0


@pytest.mark.parametrize(
    "text",
    [
        "arrived today lol but the lid is cracked",
        "got it this morning, super fast! only thing is the jug has a chip in it",
        "到了 挺快的 就是壶盖裂了",
        "快递小哥很给力 但是空气炸锅把手断了",
        "今天到货啦哈哈 可是盖子是坏的",
    ],
)
def test_good_news_then_a_fault_is_a_fault(text: str) -> None:
    assert feedback.fault_after_good_news(text)


@pytest.mark.parametrize(
    "text",
    [
        "the lid is cracked",  # a fault, no good news before it: read as usual
        "great kettle, only the lid is a bit stiff",  # a reservation, no fault
        "水壶挺好用的 就是盖子有点难开",
        "it came. but nothing is broken",
        "收到了 但是不想要了",  # a change of mind, not a fault
        "love it but it arrived late",
    ],
)
def test_good_news_without_a_fault_after_it_is_not(text: str) -> None:
    assert not feedback.fault_after_good_news(text)
