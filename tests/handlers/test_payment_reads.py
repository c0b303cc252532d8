"""Payment problems read as they are meant: a payment that will not go through is the
declined answer (not a pending charge), "do u take apple pay" is the ways we take (not a
refund's route), a refund asked with the way paid is that way's refund, and whether a way
is taken comes from the knowledge base's payment-methods answer alone."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.knowledge import KnowledgeBase
from handlers.pay_ways import METHODS_ENTRY, asks_about_one, named, taken
from tests.handlers.conftest import make_say


async def test_a_payment_that_keeps_failing_is_the_declined_answer(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1711", "Priya")
    (failing,) = await say("payment keeps failing at checkout tried my visa 3 times now")
    assert "nothing is charged" in failing.text and "pending" not in failing.text, failing.text
    (methods,) = await say("do u take apple pay")
    assert methods.text.startswith("Yes") and "Apple Pay" in methods.text, methods.text
    assert "refund" not in methods.text.lower(), methods.text


async def test_zh_payment_failing_then_huabei(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1712", "小陈", "zh")
    (failing,) = await say("付款一直失败咋回事啊")
    assert "不会扣款" in failing.text and "预授权" not in failing.text, failing.text
    (wallet,) = await say("用的花呗")
    assert "额度" in wallet.text and "退款" not in wallet.text, wallet.text


async def test_money_taken_is_still_the_pending_charge(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1713", "Sven")
    (answer,) = await say("payment failed but i was charged, whats going on")
    assert "3 working days" in answer.text and "nothing is charged" not in answer.text


async def test_refund_time_with_the_way_paid_is_one_answer(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1714", "小林", "zh")
    replies = await say("退款多久到账 我用的支付宝")
    assert len(replies) == 1, [r.text for r in replies]
    assert "支付宝余额" in replies[0].text and "Visa" not in replies[0].text, replies[0].text


@pytest.mark.parametrize(
    ("name", "is_taken"),
    [
        ("PayPal", True),
        ("Huabei", True),
        ("Visa", True),
        ("Klarna", False),
        ("Cash on delivery", False),
    ],
)
def test_whether_a_way_is_taken_is_the_faqs_to_say(name: str, is_taken: bool) -> None:
    entry = KnowledgeBase.load().entry(METHODS_ENTRY)
    assert entry is not None
    assert taken(name, entry.answer("en")) is is_taken


async def test_a_way_not_taken_lists_the_faqs_ways(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1715", "Hugo")
    await say("my mastercard wont go through")
    (answer,) = await say("fine i'll use klarna")
    assert "Klarna" in answer.text and "Alipay (Huabei too)" in answer.text, answer.text


async def test_one_way_asked_about_gets_a_yes_not_the_list(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1716", "Ola")
    (paypal,) = await say("can i pay with paypal instead")
    assert paypal.text.startswith("Yes") and "PayPal" in paypal.text, paypal.text
    assert "Mastercard" not in paypal.text, paypal.text
    (cod,) = await say("and cash on delivery?")
    assert cod.text.startswith("No") and "cash on delivery" in cod.text, cod.text
    # A no says which ways are taken instead.
    assert "PayPal" in cod.text, cod.text
    (parts,) = await say("can i split the payment into instalments")
    assert parts.text.startswith(("Yes", "You can")) and "$200" in parts.text, parts.text
    assert "Mastercard" not in parts.text, parts.text


async def test_zh_one_way_then_instalments(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1717", "小周", "zh")
    (methods,) = await say("你们支持哪些付款方式")
    assert "美国运通" in methods.text, methods.text  # the list, asked for
    (wechat,) = await say("那微信支付可以不")
    assert wechat.text.startswith("可以") and "美国运通" not in wechat.text, wechat.text
    (parts,) = await say("分期呢")
    assert "200" in parts.text and "美国运通" not in parts.text, parts.text
    (paypal,) = await say("paypal能用吗")
    assert paypal.text.startswith("可以") and "PayPal" in paypal.text, paypal.text


@pytest.mark.parametrize(
    ("text", "ways"),
    [
        ("can i pay with my amex card", ["amex"]),
        ("visa or mastercard?", ["visa", "mastercard"]),
        ("do u take wechat pay", ["wechat pay"]),
        ("paypal能用吗", ["paypal"]),
        ("能用信用卡付吗", ["信用卡"]),
        ("is apple  pay ok", ["apple pay"]),
    ],
)
def test_the_ways_a_question_names(text: str, ways: list[str]) -> None:
    assert named(text) == ways


@pytest.mark.parametrize(
    ("text", "one"),
    [
        ("can i pay with paypal", True),
        ("分期呢", True),
        ("what payment methods do you take besides paypal", False),
        ("支持哪些支付方式", False),
        ("i paid with wechat pay", False),
        ("what about klarna", True),
    ],
)
def test_asked_about_one_way_or_the_list(text: str, one: bool) -> None:
    assert asks_about_one(text) is one


@pytest.mark.parametrize(
    ("text", "language", "figure", "qualifies"),
    [
        ("can i pay the $229 one in instalments", "en", "$229", True),
        ("if my basket is like $120 can i split it into instalments", "en", "$120", False),
        ("买那个229的能分期吗", "zh", "229 美元", True),
        ("150块的东西可以分期付吗", "zh", "150 美元", False),
    ],
)
async def test_instalments_for_the_amount_named(
    dispatcher: Dispatcher, text: str, language: str, figure: str, qualifies: bool
) -> None:
    # The rule starts at an amount: the customer's figure is held against it, said back.
    say = make_say(dispatcher, f"1718{len(text)}", "Ines", language)
    (parts,) = await say(text)
    assert figure in parts.text and "200" in parts.text, parts.text
    yes = parts.text.startswith(("Yes", "You can", "可以")) or "的可以分期" in parts.text
    assert yes is qualifies, parts.text
