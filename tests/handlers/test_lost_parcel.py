"""A refund asked for a parcel that never arrived gets its own path: a case with the order,
the carrier checked, refund or resend, and how long (an independent run gave the refund
policy for returns: "after the item reaches our warehouse")."""

from __future__ import annotations

import pytest

from handlers import lost_parcel
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("never got it, i just want my money back", True),
        ("A-1005 never arrived. honestly just refund me", True),
        ("its never gonna arrive is it, refund please", True),
        ("东西都没收到 直接退款吧", True),
        ("一直没收到啊 钱退我吧", True),
        # A refund that has not come, or a return's refund: not a lost parcel.
        ("i never got my refund", False),
        ("还没收到退款", False),
        ("the kettle leaks, i just want my money back", False),
        ("sent it back last week, when do i get my money back", False),
    ],
)
def test_a_refund_for_a_parcel_that_never_came(text: str, expected: bool) -> None:
    assert lost_parcel.asks(text) is expected


async def test_the_lost_parcel_gets_a_case_and_the_carrier_check_not_the_return_policy(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "1331", "Gus")
    text = " ".join(r.text for r in await say("A-1005 never got it, i just want my money back"))
    assert "case #" in text and "A-1005" in text and "DPD" in text, text
    assert "warehouse" not in text and "send it back" not in text, text


async def test_zh_the_order_from_before_goes_on_the_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1332", "小黄", "zh")
    await say("A-1005到哪了")
    text = " ".join(r.text for r in await say("一直没收到啊 钱退我吧"))
    assert "#" in text and "A-1005" in text and "快递公司" in text, text
    assert "入库" not in text and "到仓" not in text, text


async def test_a_refund_asked_later_on_the_case_of_a_parcel_that_never_came(
    dispatcher: Dispatcher,
) -> None:
    # The parcel's case first, the money a message later: no return label for what never came.
    say = make_say(dispatcher, "1333", "Ivy")
    await say("my parcel for order A-1005 never arrived, pls open a case")
    text = " ".join(r.text for r in await say("i just want a refund at this point"))
    assert "DPD" in text and "nothing to send back" in text, text
    assert "return label" not in text and "reaches us" not in text, text
    zh = make_say(dispatcher, "1334", "小周", "zh")
    await zh("A-1005一直没收到 帮我开个工单")
    text = " ".join(r.text for r in await zh("那直接退款吧"))
    assert "快递公司" in text and "不需要您寄回" in text or "不用寄回" in text, text


async def test_a_refund_for_a_faulty_item_on_its_case_is_still_the_return(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "1335", "Jon")
    await say("the kettle from order A-1001 leaks everywhere")
    text = " ".join(r.text for r in await say("i just want a refund at this point"))
    assert "carrier" not in text and "refund" in text, text


# --- brief C28: the lost parcel's refund timing, the courier chased, stale tracking ----------


async def test_a_refund_asked_on_the_open_case_is_the_lost_path_not_a_faulty_items(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "1336", "Cara")
    await say("tracking for A-1005 says delivered but nothing here")
    text = " ".join(r.text for r in await say("just refund me"))
    assert "DPD" in text and "faulty" not in text and "return label" not in text, text


@pytest.mark.parametrize(
    ("language", "opener", "asked", "words", "not_words"),
    [
        ("en", "A-1005 never got it, i just want my money back", "how long for the refund then",
         ["2 working days", "3-5 working days"], ["warehouse", "return label"]),
        ("zh", "A-1005 一直没收到 直接退款吧", "那退款要多久",
         ["2 个工作日", "到账"], ["退回仓库", "退货面单"]),
    ],
)  # fmt: skip
async def test_the_lost_parcels_refund_timing_not_a_returns(
    dispatcher: Dispatcher,
    language: str,
    opener: str,
    asked: str,
    words: list[str],
    not_words: list[str],
) -> None:
    say = make_say(dispatcher, "1337", "Gus", language)
    await say(opener)
    text = " ".join(r.text for r in await say(asked))
    assert all(w in text for w in words) and not any(w in text for w in not_words), text


@pytest.mark.parametrize(
    ("language", "asked", "carrier_word"),
    [
        ("en", "can someone actually chase the courier", "carrier"),
        ("en", "pls chase DPD for me", "carrier"),
        ("zh", "你们能不能催一下快递", "快递公司"),
        ("zh", "帮我联系一下快递公司好吗", "快递公司"),
    ],
)
async def test_chasing_the_courier_is_done_on_the_case(
    dispatcher: Dispatcher, deps: Deps, language: str, asked: str, carrier_word: str
) -> None:
    say = make_say(dispatcher, "1338", "Ivy", language)
    await say(
        "A-1005 says delivered but i never got it"
        if language == "en"
        else "A-1005 显示签收了 但我没收到"
    )
    text = " ".join(r.text for r in await say(asked))
    assert "#1" in text and carrier_word in text and "DPD" in text, text
    case = await deps.cases.get(1)
    assert asked in case.summary
    assert len(await deps.cases.for_customer(case.customer_id)) == 1


async def test_chasing_with_an_order_in_play_and_no_case_opens_one(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    say = make_say(dispatcher, "1339", "Ben")
    await say("where is A-1005")
    text = " ".join(r.text for r in await say("can you chase the courier please"))
    assert "#1" in text and "DPD" in text and "working day" in text, text


@pytest.mark.parametrize(
    "earlier",
    [
        "tracking on A-1005 hasnt updated in a week",
        "A-1005 is stuck at the depot",
        "A-1005 物流一个星期都没更新了",
        "A-1005 一直卡在中转站",
    ],
)
def test_stale_tracking_is_a_parcel_not_coming(earlier: str) -> None:
    assert lost_parcel._never_came(earlier)


async def test_chase_it_after_a_late_status_is_done(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "4510", "Dana")
    await say("where is my order A-1005")
    replies = await say("can you chase it pls")
    text = " ".join(r.text for r in replies)
    assert "#1" in text and "working day" in text, text


@pytest.mark.parametrize(
    ("said", "choice"),
    [
        ("if it turns out lost just refund me", "refund"),
        ("if you cant find it just send me a new one", "replacement"),
        ("要是真丢了就直接退钱", "refund"),
        ("找不到的话就给我重新发一个", "replacement"),
    ],
)
def test_the_choice_should_it_be_lost(said: str, choice: str) -> None:
    # (brief C73) the remedy chosen for a parcel that may be lost, recorded on its case
    assert lost_parcel.choice_if_lost(said) == choice


def test_a_refund_wanted_now_is_no_condition() -> None:
    assert lost_parcel.choice_if_lost("never got it, just refund me") is None
