"""A corrected order number replaces the wrong one: in the answer and on the open case."""

from __future__ import annotations

import pytest

from crm_memory import ChannelIdentity
from handlers import corrected
from handlers.orders import OrderNumbers
from handlers.turn import Deps
from nlu import Entity, ParseResult
from tests.handlers.conftest import Say


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("where is A77-3301", "A77-3301"),
        ("帮我看看X2026-5531到哪了", "X2026-5531"),
        ("no wait sorry wrong one its W-20391", "W-20391"),
        ("单号发错了 是这个 JD884422", "JD884422"),
        ("order a77-3301 pls", "A77-3301"),
    ],
)
def test_letter_digit_numbers_are_read_whole(text: str, number: str) -> None:
    for expected in (False, True):
        found = [m.value for m in OrderNumbers().mentions(text, expected=expected)]
        assert found == [number], (text, expected, found)


def test_a_prefixed_number_is_never_cut_to_its_digits_when_one_was_asked_for() -> None:
    assert [m.value for m in OrderNumbers().mentions("X2026-5531", expected=True)] == ["X2026-5531"]
    # A date is still no order number.
    assert OrderNumbers().mentions("it came on 2026-11-20", expected=True) == []


@pytest.mark.parametrize(
    "text",
    [
        "no wait sorry wrong one its W-20391",
        "sorry typo B-3301",
        "i mean 88231",
        "oops A-1005",
        "my bad its 88321",
        "不好意思 是X2026-5531",
        "打错了 应该是 20261101778",
        "单号发错了 是这个 JD884422",
        "啊写错了 是A77-3310",
    ],
)
def test_corrections_in_their_many_wordings(text: str) -> None:
    numbers = [m.value for m in OrderNumbers().mentions(text, expected=True)]
    assert corrected.corrects(text, numbers), text


@pytest.mark.parametrize(
    "text",
    [
        "sorry one more thing, where is my other order A-1009, has it been delivered",
        "不好意思再问一下 另外那个订单A-1009什么时候能到啊 等好久了",
        "where is A-1009",
        "i mean A-1009 hasnt come either and its been weeks, what is going on",
        "it should be here by now, A-1009 was due monday",
        "你们发错货了 订单A-1009收到的是黑色",
    ],
)
def test_an_apology_with_a_question_of_its_own_is_no_correction(text: str) -> None:
    numbers = [m.value for m in OrderNumbers().mentions(text)]
    assert not corrected.corrects(text, numbers), text


def test_the_number_called_wrong_leaves_the_message() -> None:
    text = "oops it's A-1005 not A-1003"
    entities = tuple(
        Entity("order_number", m.value, m.start, m.end, text[m.start : m.end], source="orders")
        for m in OrderNumbers().mentions(text)
    )
    parse = ParseResult(
        text=text,
        intent="ask_order_status",
        confidence=0.9,
        ranking=(),
        entities=entities,
        sentiment=0.0,
        language="en",
    )
    assert [e.value for e in corrected.with_corrected_order(parse).orders] == ["A-1005"]


async def test_status_of_the_corrected_order(anna: Say) -> None:
    await anna("where is my order A-1002")
    text = " ".join(r.text for r in await anna("no wait sorry wrong one its A-1001"))
    assert "A-1001" in text and "JD014600003828" in text, text
    assert "A-1002" not in text, text


@pytest.mark.parametrize(
    ("first", "correction", "right"),
    [
        (
            "my coffee machine from order A-1005 arrived broken",
            "hang on, wrong order. the other one",
            "A-1003",
        ),
        ("订单A-1005的咖啡机收到就是坏的", "不对 是另一个订单", "A-1003"),
        ("the coffee machine from A-1005 is broken", "sorry not that order", "its A-1003"),
    ],
)
async def test_the_case_order_said_wrong_is_replaced_by_the_number_sent_next(
    anna: Say, deps: Deps, first: str, correction: str, right: str
) -> None:
    await anna(first)
    asked = " ".join(r.text for r in await anna(correction))
    assert "A-1005" in asked, asked  # the wrong one named, its replacement asked for
    await anna(right)
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is not None
    (case,) = await deps.cases.for_customer(customer.id)
    assert "order: A-1003" in case.summary.splitlines(), case.summary
    assert "order: A-1005" not in case.summary.splitlines(), case.summary


@pytest.mark.parametrize(
    ("first", "correction"),
    [
        (
            "my coffee machine from order A-1005 arrived broken, i want to complain",
            "sorry typo A-1003",
        ),
        ("订单A-1005的咖啡机收到就是坏的 我要投诉", "单号发错了 是这个 A-1003"),
    ],
)
async def test_the_case_order_is_replaced(
    anna: Say, deps: Deps, first: str, correction: str
) -> None:
    await anna(first)
    text = " ".join(r.text for r in await anna(correction))
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is not None
    (case,) = await deps.cases.for_customer(customer.id)
    assert "order: A-1003" in case.summary.splitlines(), case.summary
    assert "order: A-1005" not in case.summary.splitlines(), case.summary
    assert f"#{case.number}" in text and "A-1003" in text, text


@pytest.mark.parametrize(
    ("ask", "correction"),
    [
        ("can u send A-1001 express", "sorry wrong one its A-1002"),
        ("A-1001能加急吗", "打错了 应该是A-1002"),
    ],
)
async def test_express_is_answered_again_for_the_corrected_order(
    anna: Say, ask: str, correction: str
) -> None:
    # A-1001 has shipped (the carrier sets the pace); A-1002 has not: it can still go express.
    await anna(ask)
    text = " ".join(r.text for r in await anna(correction))
    assert "A-1002" in text and ("express" in text.lower() or "加急" in text), text
    assert "A-1001" not in text, text


@pytest.mark.parametrize(
    ("ask", "correction"),
    [
        ("i want to return my order A-1002 i dont need it anymore", "oops wrong one, A-1003"),
        ("A-1002不想要了 能退吗", "不好意思 写错了 是A-1003"),
    ],
)
async def test_a_return_is_answered_again_for_the_corrected_order(
    anna: Say, ask: str, correction: str
) -> None:
    # A-1002 has not shipped (nothing to send back); A-1003 was delivered: its 30-day window.
    await anna(ask)
    text = " ".join(r.text for r in await anna(correction))
    assert "A-1003" in text and ("return" in text.lower() or "退" in text), text
    assert "30" in text and "A-1002" not in text, text  # the 30-day window of a delivered one


@pytest.mark.parametrize(
    ("ask", "correction"),
    [
        ("where is my order A-1001", "oops, 1003 not 1001"),
        ("我的订单A-1001到哪了", "写错了 是1003"),
        ("can you check A-1001", "sorry i meant 1003"),
    ],
)
async def test_a_number_corrected_without_its_prefix_takes_the_shops_prefix(
    anna: Say, ask: str, correction: str
) -> None:
    await anna(ask)
    text = " ".join(r.text for r in await anna(correction))
    assert "A-1003" in text and "A-1001" not in text, text


async def test_a_bare_number_the_shop_does_not_know_is_no_order(anna: Say) -> None:
    # A-1009 is no order of the shop's: not taken for one.
    await anna("where is my order A-1001")
    text = " ".join(r.text for r in await anna("oops 1009"))
    assert "A-1009" not in text, text


async def test_the_case_order_corrected_without_its_prefix(anna: Say, deps: Deps) -> None:
    await anna("订单A-1005的空气炸锅坏了")
    text = " ".join(r.text for r in await anna("打错了 应该是1003不是1005"))
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is not None
    (case,) = await deps.cases.for_customer(customer.id)
    assert "order: A-1003" in case.summary.splitlines(), case.summary
    assert "order: A-1005" not in case.summary.splitlines(), case.summary
    assert f"#{case.number}" in text, text
