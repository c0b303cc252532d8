"""A payment problem followed through (handlers/pay_trouble.py): a wallet that fails gets
its own answer; "was i charged?", "the balance is fine", "can i pay another way" right after
are read inside that problem; a charge taken twice keeps its case (the order and the way paid
said together, "how long", "it's posted, not a hold"), and a charge case says what happens
next."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.pay_trouble import fails, one_request, way_named
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "way"),
    [
        ("hi trying to pay with alipay and it keeps failing??", "alipay"),
        ("支付宝的花呗付不了", "huabei"),
        ("用paypal付款老是报错", "paypal"),
        ("wechatpay wont go through", "wechat"),
        ("用的微信零钱", "wechat"),
        ("apple pay wont go through on my iphone", "applepay"),
        ("my visa got declined", "card"),
        ("信用卡付不了", "card"),
        ("the page keeps loading", None),
    ],
)
def test_the_way_named(text: str, way: str | None) -> None:
    assert way_named(text) == way


@pytest.mark.parametrize(
    ("text", "failed"),
    [
        ("paypal payment failed when i tried to checkout", True),
        ("ive been tryin to pay w wechat pay n it just says payment fialed", True),
        ("huabei keeps getting rejected", True),
        ("微信支付付不了啊 一直提示失败", True),
        ("支付宝一直付不成功", True),
        # Money said taken is a charge to check, not a payment that failed.
        ("payment failed but i was charged", False),
        ("付款失败了但是钱扣了", False),
        ("charged twice on wechat pay", False),
        ("can i pay with alipay", False),
        # A refund that failed is the refund's.
        ("支付宝退款失败了怎么办", False),
    ],
)
def test_a_payment_that_failed(text: str, failed: bool) -> None:
    assert fails(text) is failed


@pytest.mark.parametrize(
    ("text", "one"),
    [
        ("884201这单扣了我两次款 用的支付宝", True),
        ("微信支付付不了啊 一直提示失败", True),
        ("where is my order? also do you take paypal", False),
    ],
)
def test_one_payment_problem_is_one_request(text: str, one: bool) -> None:
    assert one_request(text) is one


async def test_a_wallet_that_fails_then_what_is_asked_next(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2601", "Tom")
    (failed,) = await say("paypal payment failed when i tried to checkout")
    assert "PayPal" in failed.text and "basket" in failed.text, failed.text
    # Not the card's text, nor every wallet's.
    assert "expiry" not in failed.text and "Huabei" not in failed.text, failed.text
    (charged,) = await say("was i charged?")
    assert "not charged" in charged.text and "hold" in charged.text, charged.text
    assert "order number" not in charged.text, charged.text
    (checks,) = await say("balance is fine tho")
    assert "PayPal" in checks.text and "limitation" in checks.text, checks.text
    (other,) = await say("ok can i pay another way then")
    assert "basket" in other.text and "Apple Pay" in other.text, other.text
    cases = await dispatcher.deps.cases.for_customer(1)
    assert not cases


async def test_zh_huabei_fails_credit_is_enough_was_money_taken(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2602", "小林", "zh")
    (failed,) = await say("花呗付款一直失败 怎么回事")
    assert "花呗" in failed.text and "卡号" not in failed.text, failed.text
    (checks,) = await say("额度是够的啊")
    assert "花呗" in checks.text and "风控" in checks.text, checks.text
    (charged,) = await say("那扣钱了吗")
    assert "不会扣" in charged.text and "订单号" not in charged.text, charged.text
    (other,) = await say("换个方式付行不行")
    assert "购物车" in other.text and "支付宝" in other.text, other.text


async def test_a_wallet_named_after_the_card_answer(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2603", "Jo")
    (card,) = await say("my payment keeps failing at checkout")
    assert "bank" in card.text, card.text
    (wallet,) = await say("it was apple pay")
    assert "Wallet app" in wallet.text and "expiry" not in wallet.text, wallet.text


async def test_the_number_and_the_way_paid_go_on_the_charge_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2604", "Priya")
    opened = await say("hey i got charged twice for my order")
    text = "\n".join(r.text for r in opened)
    # What happens next: who checks it, and by when.
    assert "payments team" in text and "1 working day" in text, text
    noted = await say("its A-1003 paid with visa")
    text = "\n".join(r.text for r in noted)
    assert "A-1003" in text and "Refunds go back" not in text, text
    (case,) = await dispatcher.deps.cases.for_customer(1)
    assert "A-1003" in case.summary, case.summary
    when = await say("how long")
    text = "\n".join(r.text for r in when)
    assert "3-5 working days" in text and "2-4 working days" not in text, text


async def test_zh_not_a_hold_the_bank_says_posted_moves_the_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2605", "王女士", "zh")
    await say("A-1003扣了我两次钱")
    (case,) = await dispatcher.deps.cases.for_customer(1)
    replies = await say("不是预授权 银行说已经入账了")
    text = "\n".join(r.text for r in replies)
    assert f"#{case.number}" in text and "原路退回" in text, text
    (after,) = await dispatcher.deps.cases.for_customer(1)
    assert "入账" in after.summary, after.summary
    # Asking after the money is no news for the case.
    asked = await say("多扣的钱入账了吗")
    assert not any("注明" in r.text for r in asked), [r.text for r in asked]


async def test_a_charge_reported_without_an_order_asks_for_it(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2606", "Sam")
    (asked,) = await say("i was double charged")
    # The charge's answer (send the order number), not how long a duplicate takes.
    assert "order number" in asked.text, asked.text
    replies = await say("order number is A-1003, i paid by apple pay")
    text = "\n".join(r.text for r in replies)
    assert "1 working day" in text and "Refunds go back" not in text, text
    (case,) = await dispatcher.deps.cases.for_customer(1)
    assert "A-1003" in case.summary, case.summary


async def test_zh_two_charges_said_as_liang_bi_is_a_payment_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2607", "小周", "zh")
    await say("怎么扣了我两笔钱啊")
    await say("A-1003 信用卡付的")
    replies = await say("几天能退")
    text = "\n".join(r.text for r in replies)
    assert "3-5 个工作日" in text and "已等待" not in text, text


async def test_instalments_with_a_way_the_rule_does_not_name(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2608", "阿杰", "zh")
    (parts,) = await say("花呗分期可以吗")
    assert "分 3 期" in parts.text and "不能分期" in parts.text, parts.text
    assert not parts.text.startswith("可以"), parts.text
    say = make_say(dispatcher, "2609", "Ola")
    (paypal,) = await say("can i pay in instalments with paypal")
    assert paypal.text.startswith(("Yes", "You can")), paypal.text


async def test_zh_credit_left_is_the_wallets_checks(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2610", "老张", "zh")
    await say("花呗付款被拒了")
    (checks,) = await say("我额度还有好几千呢")
    assert "风控" in checks.text and "发票" not in checks.text, checks.text
    (charged,) = await say("会不会扣我钱")
    assert "不会扣" in charged.text, charged.text


async def test_the_way_paid_said_later_goes_on_the_charge_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2611", "Jo")
    await say("you charged me twice for order A-1002")
    (case,) = await dispatcher.deps.cases.for_customer(1)
    text = "\n".join(r.text for r in await say("paid with paypal btw"))
    # Noted on the case and where the extra goes back, not the list of ways to pay.
    assert f"#{case.number}" in text and "PayPal" in text and "Apple Pay" not in text, text
    (case,) = await dispatcher.deps.cases.for_customer(1)
    assert "paypal" in case.summary, case.summary
    when = "\n".join(r.text for r in await say("when do i see the money"))
    assert "3-5 working days" in when and "warehouse" not in when, when


async def test_zh_money_back_on_the_charge_case_is_the_duplicate(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2612", "李先生", "zh")
    await say("A-1002被扣了两次钱")
    for question in ("多扣的啥时候退", "钱什么时候回来"):
        text = "\n".join(r.text for r in await say(question))
        assert "3-5 个工作日" in text and "入库" not in text and "退货" not in text, text


async def test_apple_pay_on_the_charge_case_is_named_not_your_bank(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2613", "Lena")
    await say("you charged me twice for order A-1002")
    text = "\n".join(r.text for r in await say("paid with apple pay btw"))
    # Where the extra goes: Apple Pay's card, never a checkout failure's checks.
    assert "Apple Pay" in text and "your bank" not in text and "checkout" not in text, text


async def test_the_way_paid_on_a_cancellation_is_where_its_refund_goes(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "2614", "Omar")
    await say("pls cancel order A-1002")
    (case,) = await dispatcher.deps.cases.for_customer(1)
    text = "\n".join(r.text for r in await say("i paid w paypal"))
    assert f"#{case.number}" in text and "PayPal" in text and "within a day" in text, text
    assert "checkout" not in text, text
    (case,) = await dispatcher.deps.cases.for_customer(1)
    assert "paypal" in case.summary, case.summary
    assert len(await dispatcher.deps.cases.for_customer(1)) == 1


async def test_zh_wechat_on_a_cancellation_is_its_refund_not_a_failed_payment(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "2615", "王女士", "zh")
    await say("帮我把A-1002取消了")
    text = "\n".join(r.text for r in await say("微信付的"))
    assert "原路退回" in text and "零钱" in text, text
    assert "结账" not in text and "付款失败" not in text, text
