"""The invoice had already in the customer's own name, after the invoice answer: its
correction to the company's details (brief C95), and an invoice asked for an order is the
invoice, not a complaint. Held-out wordings, not lines of the conversation files."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.types import Reply
from tests.handlers.conftest import make_say


def _text(replies: list[Reply]) -> str:
    return " ".join(r.text for r in replies)


@pytest.mark.parametrize(
    ("language", "first", "then", "present", "absent"),
    [
        (
            "en",
            "can the invoice for A-1003 be in my company's name",
            "i've already printed the one in my name, what do i do",
            "1 working day",
            "neighbour",
        ),
        ("zh", "A-1003的发票要开公司的", "已经下好了个人抬头的 咋整", "1 个工作日", "邻居"),
        ("zh", "订单A-1003给我开张发票", "我开了个人的了 怎么办啊", "1 个工作日", "邻居"),
    ],
)
async def test_the_personal_invoice_had_already_is_corrected(
    dispatcher: Dispatcher, language: str, first: str, then: str, present: str, absent: str
) -> None:
    say = make_say(dispatcher, "6101", "Lee", language)
    await say(first)
    text = _text(await say(then))
    assert present in text and absent not in text, text


async def test_downloaded_with_no_invoice_talked_of_is_not_the_correction(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "6102", "Lee", "en")
    text = _text(await say("I already downloaded the personal one, what now"))
    assert "corrected company invoice" not in text, text


@pytest.mark.parametrize("text", ["我要开订单A-1003的发票", "A-1003的发票麻烦开一下"])
async def test_an_invoice_asked_for_an_order_is_no_complaint(
    dispatcher: Dispatcher, text: str
) -> None:
    say = make_say(dispatcher, "6103", "Lee", "zh")
    answer = _text(await say(text))
    assert "发票" in answer and "工单" not in answer, answer
