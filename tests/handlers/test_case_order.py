"""An order number for the open case goes on it however late it comes (asked or not, a case
question or a nod in between), in any state, never answered as that order's status; a nod
after "added" is a nod; "when does the right one ship" is the replacement's time."""

from __future__ import annotations

import pytest

from handlers import timing
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from tests.handlers.conftest import make_say

_COMPLAINT = {
    "en": "the coffee machine arrived broken, the tank is cracked",
    "zh": "咖啡机收到就是坏的 水箱裂了",
}
_BETWEEN = {"en": "how long will this take", "zh": "要多久啊"}


def _text(replies: list[object]) -> str:
    return " ".join(getattr(r, "text", "") for r in replies)


@pytest.mark.parametrize(
    ("language", "given", "order"),
    [
        ("en", "A-1003", "A-1003"),  # delivered
        ("en", "order A-1001", "A-1001"),  # shipped
        ("en", "its A-1002", "A-1002"),  # processing
        ("en", "order 77881234", "77881234"),  # unknown to the shop
        ("zh", "订单是A-1003", "A-1003"),
        ("zh", "订单号A-1001", "A-1001"),
        ("zh", "单号 77881234", "77881234"),
    ],
)
async def test_the_number_after_a_case_question_goes_on_the_case(
    dispatcher: Dispatcher, deps: Deps, language: str, given: str, order: str
) -> None:
    say = make_say(dispatcher, "100", "Anna", language)
    await say(_COMPLAINT[language])
    await say(_BETWEEN[language])  # the bot's question for the number is answered over
    replies = _text(await say(given))
    assert "#1" in replies and order in replies, replies
    assert f"order: {order}" in (await deps.cases.get(1)).summary
    for status_words in ("reach you", "being prepared", "JD0146", "签收", "没有找到"):
        assert status_words not in replies, replies


async def test_a_question_about_an_order_is_still_its_status(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    say = make_say(dispatcher, "100", "Anna")
    await say(_COMPLAINT["en"])
    await say(_BETWEEN["en"])
    replies = _text(await say("where is A-1001"))
    assert "JD014600003828" in replies
    assert "order:" not in (await deps.cases.get(1)).summary


@pytest.mark.parametrize(("language", "nod"), [("en", "ok"), ("zh", "好的"), ("zh", "嗯嗯")])
async def test_a_nod_after_the_order_is_added_is_a_nod(
    dispatcher: Dispatcher, language: str, nod: str
) -> None:
    say = make_say(dispatcher, "100", "Anna", language)
    await say(_COMPLAINT[language])
    await say("A-1003")
    replies = _text(await say(nod))
    for go_ahead in ("replacement or a refund", "Replacement or refund", "换货还是退款"):
        assert go_ahead not in replies, replies


@pytest.mark.parametrize(
    "text",
    [
        "when does the right one ship",
        "when will the correct size come",
        "对的那个啥时候发",
        "补寄的什么时候到",
        "再寄一个要多久",
    ],
)
def test_the_one_sent_instead_is_named_as_the_replacement(text: str) -> None:
    assert timing.named(text) is timing.Timed.REPLACEMENT


@pytest.mark.parametrize(
    ("language", "complaint", "asked"),
    [
        ("en", "A-1003 came as the wrong model", "when does the right one ship"),
        ("en", "the coffee machine from A-1003 is broken", "when does it ship"),
        ("zh", "A-1003发错型号了", "对的那个啥时候发"),
    ],
)
async def test_when_it_ships_after_a_delivered_orders_fault_is_the_replacement(
    dispatcher: Dispatcher, language: str, complaint: str, asked: str
) -> None:
    say = make_say(dispatcher, "100", "Anna", language)
    await say(complaint)
    replies = _text(await say(asked))
    assert "#1" in replies and ("2-4" in replies), replies
    assert "reach you" not in replies and "签收" not in replies


async def test_a_replacement_asked_for_with_the_fault_makes_the_new_ones_time_answered(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "100", "Anna", "zh")
    await say("A-1003 咖啡机内胆掉漆了 要换新的")
    replies = _text(await say("新的那个什么时候寄出"))
    assert "#1" in replies and "2-4" in replies, replies
