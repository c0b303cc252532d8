"""Money follow-ups (issue #15): an amount or a way said right after the instalments answer
is paying in parts for it (handlers/pay_ways.py); how the customer paid, said while a refund
is talked about, is where it goes back (handlers/refund_route.py); a charge said to be really
taken, not a hold, opens the payments team's case (handlers/pay_trouble.py); a company detail
asked for after the invoice answer is the company invoice (handlers/invoice.py)."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.pay_trouble import _POSTED
from handlers.pay_ways import amount_said
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("its 280 dollars", (280.0, False)),
        ("total is 199.99", (199.99, False)),
        ("订单大概300刀", (300.0, False)),
        ("总共两百多", (200.0, True)),
        ("一百五左右", (150.0, False)),
        ("差不多两百五吧", (250.0, False)),
        ("200多吧", (200.0, True)),
        ("三百出头", (300.0, True)),
        ("it's two hundred and fifty", (250.0, False)),
        # The number of payments is no amount of money.
        ("can i pay the dishwasher in 3 payments via paypal", None),
        ("贝宝分三期行不行", None),
        ("klarna?", None),
    ],
)
def test_the_amount_said(text: str, said: tuple[float, bool] | None) -> None:
    assert amount_said(text) == said


@pytest.mark.parametrize(
    ("text", "posted"),
    [
        ("its not pending its been taken", True),
        ("no its gone from my account, check it", True),
        ("the money is definitely taken not held", True),
        ("钱已经扣了 不是冻结", True),
        ("都五天了还没退回来 是实扣的", True),
        ("钱真的没了", True),
        ("三天了还在 没释放", True),
        ("ok thanks", False),
        ("will it come back", False),
    ],
)
def test_a_charge_said_to_be_taken(text: str, posted: bool) -> None:
    assert (_POSTED.search(text) is not None) is posted


async def test_an_amount_after_the_instalments_answer(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "6001", "Ben")
    await say("can I pay in instalments")
    (over,) = await say("its 280 dollars")
    assert "$280" in over.text and "93" in over.text and "PayPal" in over.text, over.text
    assert "order number" not in over.text and "can't change" not in over.text, over.text
    (under,) = await say("what if its 150")
    assert "$150" in under.text and "Visa" in under.text, under.text
    assert "Yes" not in under.text, under.text


async def test_chinese_amount_in_words_after_instalments(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "6002", "Li", language="zh")
    await say("能分期吗")
    (reply,) = await say("总共两百多")
    assert "200 多美元" in reply.text and "PayPal" in reply.text, reply.text
    assert "订单号" not in reply.text and "无法修改" not in reply.text, reply.text


async def test_a_way_after_the_instalments_answer(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "6003", "Li", language="zh")
    await say("能分期吗")
    (reply,) = await say("那用花呗呢")
    assert "花呗" in reply.text and "PayPal" in reply.text and "200" in reply.text, reply.text
    say_en = make_say(dispatcher, "6004", "Ben")
    await say_en("do you take apple pay")
    (with_it,) = await say_en("can i do installments with it")
    assert "Apple Pay" in with_it.text and "$200" in with_it.text, with_it.text


async def test_how_it_was_paid_after_a_late_refund(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "6005", "Ben")
    await say("i returned the blender last week, wheres my money")
    replies = await say("it was on my visa")
    text = " ".join(r.text for r in replies)
    assert "card" in text and "2-5" in text, text
    assert "declined" not in text and "We accept" not in text, text


async def test_apple_pay_on_a_cancellation(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "6006", "Ben")
    await say("please cancel order A-1002")
    replies = await say("it was apple pay")  # (refund_when_applepay was no wording: a crash)
    text = " ".join(r.text for r in replies)
    assert "Apple Pay" in text and "2-5" in text, text


async def test_a_charge_really_taken_opens_the_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "6007", "Ben")
    await say("why is there a pending charge on my card")
    replies = await say("its not pending its been taken, $89 on nov 20")
    text = " ".join(r.text for r in replies)
    cases = await dispatcher.deps.cases.for_customer(1)
    assert len(cases) == 1 and "$89" in cases[0].summary, cases
    assert f"#{cases[0].number}" in text and "refunded" in text, text
    assert "7946" not in text, text


async def test_a_company_detail_after_the_invoice(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "6008", "Ben")
    await say("i need a receipt for my order")
    replies = await say("put the company address on it as well")
    text = " ".join(r.text for r in replies)
    assert "VAT number" in text and "Invoice" in text, text
    say_zh = make_say(dispatcher, "6009", "Li", language="zh")
    await say_zh("需要购物凭证报销")
    (reply,) = await say_zh("要写单位的")
    assert "公司" in reply.text and "税号" in reply.text, reply.text


async def test_how_it_was_paid_goes_on_a_late_refunds_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "6010", "Ben")
    await say("i sent back the blender 2 weeks ago and still no refund, please open a case")
    replies = await say("paid with amex")
    text = " ".join(r.text for r in replies)
    (case,) = await dispatcher.deps.cases.for_customer(1)
    assert f"#{case.number}" in text and "card" in text and "2-5" in text, text
    assert "paid with amex" in case.summary, case.summary
