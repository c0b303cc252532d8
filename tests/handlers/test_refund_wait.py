"""A refund waited on: "can you check where it is" is the parcel sent back (not the order's
delivery line), "its been 8 days already" / "都8天了" those days against a refund's usual time
(not an account text nor a bare offer again) (issue #15, brief C55)."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.refund_wait import USUAL_DAYS, days_of, elapsed_said, told_overdue
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("said", "days"),
    [("8 days", 8), ("eight days", 8), ("a week", 7), ("一个礼拜", 7), ("十天", 10), ("两周", 14)],
)
def test_days_of(said: str, days: int) -> None:
    assert days_of(said) == days


def test_hours_are_no_days() -> None:
    assert days_of("5 hours") is None


@pytest.mark.parametrize(
    ("asks", "language", "words", "absent"),
    [
        ("can you check where it is", "en", ["A-1003", "tracking"], "delivered on"),
        ("did you get it back yet?", "en", ["A-1003", "tracking"], "delivered on"),
        ("帮我查一下到哪了", "zh", ["A-1003", "运单号"], "签收"),
    ],
)
async def test_the_parcel_sent_back(
    dispatcher: Dispatcher, asks: str, language: str, words: list[str], absent: str
) -> None:
    say = make_say(dispatcher, "5505", "Pat", language)
    await say("where is my refund" if language == "en" else "我的退款呢 怎么还没到")
    await say("A-1003")
    reply = " ".join(r.text for r in await say(asks))
    for word in words:
        assert word in reply, reply
    assert absent not in reply, reply


@pytest.mark.parametrize(
    ("waited", "language", "word"),
    [
        ("its been 8 days already", "en", "8 days is still within"),
        ("都8天了", "zh", "8 天还在"),
        (f"its been {USUAL_DAYS + 3} days", "en", "longer than a refund"),
    ],
)
async def test_days_waited_against_the_usual_time(
    dispatcher: Dispatcher, waited: str, language: str, word: str
) -> None:
    say = make_say(dispatcher, "5506", "Pat", language)
    await say("where is my refund" if language == "en" else "我的退款呢 怎么还没到")
    await say("A-1003")
    reply = " ".join(r.text for r in await say(waited))
    assert word in reply or word.replace("longer than", "past the usual") in reply, reply
    assert "account" not in reply.lower(), reply


@pytest.mark.parametrize(
    ("asks", "language"),
    [("退到哪 我用支付宝付的", "zh"), ("钱退回哪里", "zh"), ("where does the money go", "en")],
)
async def test_where_the_money_goes_is_no_parcel_sent_back(
    dispatcher: Dispatcher, asks: str, language: str
) -> None:
    # Where the refund goes back (the way paid), not the tracking of a parcel sent back.
    say = make_say(dispatcher, "5507", "Pat", language)
    await say("where is my refund" if language == "en" else "我的退款呢 怎么还没到")
    await say("A-1003")
    reply = " ".join(r.text for r in await say(asks))
    assert "tracking" not in reply and "运单号" not in reply, reply


@pytest.mark.parametrize(
    ("said", "days"),
    [
        ("I cancelled order 51002 two weeks back, still no refund", 14),
        ("posted it back 3 weeks ago, no money so far", 21),
        ("returned it over a month ago and still nothing back", 30),
        ("退货寄走半个月了 退款还没到", 15),
        ("订单51002取消两周了还没退款", 14),
        ("i returned it 5 days ago, when do i get my refund", 5),
    ],
)
def test_a_wait_told_with_the_refund_missing(said: str, days: int) -> None:
    assert told_overdue(said), said
    assert days_of(elapsed_said(said) or "") == days


@pytest.mark.parametrize(
    "said",
    [
        "I ordered 3 weeks ago and still no refund",  # the order's age, not the refund's wait
        "the kettle broke 2 weeks ago, i want a refund",  # a fault
        "how long does a refund take",  # no wait told
    ],
)
def test_no_refund_wait_told(said: str) -> None:
    assert not told_overdue(said), said
