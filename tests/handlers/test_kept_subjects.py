"""Follow-ups that keep their subject, the question asked answered, where a late parcel is,
and the order in play used instead of asked for again (issue #15, conv20)."""

from __future__ import annotations

from crm_memory import Case, ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps, user: str) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))


# --- the order in play: express and the courier, not "send me your order number" ---------


async def test_express_is_answered_for_the_order_in_play(anna: Say) -> None:
    await anna("has A-1002 shipped yet")
    replies = await anna("and can u send it express")
    text = _text(replies)
    # Not shipped: it can still go express, at the FAQ's price, by a person.
    assert "A-1002" in text and "$9.90" in text and "order number" not in text
    assert "human" in [b.payload for r in replies for b in r.buttons]


async def test_express_paid_for_a_late_order_in_chinese(dispatcher: Dispatcher) -> None:
    lin = make_say(dispatcher, "101", "Lin", "zh")
    await lin("A-1005到哪了")
    text = _text(await lin("我明明付了加急的钱 咋还这么慢"))
    assert "A-1005" in text and "DPD" in text and "订单号" not in text


async def test_which_courier_after_two_orders_names_both(anna: Say) -> None:
    await anna("where are A-1001 and B-2231")
    text = _text(await anna("oh btw which courier do you guys use"))
    assert "DHL" in text and "SF Express" in text
    assert "passed it on" not in text and "telling us" not in text  # "oh" is no remark


async def test_which_courier_after_two_orders_in_chinese(dispatcher: Dispatcher) -> None:
    lin = make_say(dispatcher, "101", "Lin", "zh")
    await lin("A-1001 B-2231 这两单到哪了")
    text = _text(await lin("哦对了 你们用啥快递"))
    assert "DHL" in text and "SF Express" in text and "订单号" not in text


# --- where a late parcel is, on its case --------------------------------------------------


async def test_the_order_given_to_a_late_parcel_case_says_where_it_is(
    anna: Say, deps: Deps
) -> None:
    await anna("my parcel is super late and nobody tells me anything, open a case")
    text = _text(await anna("A-1005"))
    (case,) = await _cases(deps, "100")
    assert "A-1005" in case.summary
    assert "DPD" in text and "3 days late" in text and "2 working days" in text


async def test_a_case_opened_for_a_lost_parcel_says_where_it_is_in_chinese(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    lin = make_say(dispatcher, "101", "Lin", "zh")
    text = _text(await lin("快递一个星期没动了 订单A-1005 是不是丢了"))
    assert len(await _cases(deps, "101")) == 1
    assert "DPD" in text and "延误 3 天" in text and "补发" in text


# --- "how long / how much / when" on the subject of the last turns ------------------------


async def test_when_the_money_of_a_double_charge_comes_back(anna: Say) -> None:
    await anna("hi my card got debited 2 times for A-1003 wtf")
    text = _text(await anna("so when do i see that money agian"))
    assert "3-5 working days" in text and "has waited" not in text


async def test_when_the_money_of_a_double_charge_comes_back_in_chinese(
    dispatcher: Dispatcher,
) -> None:
    lin = make_say(dispatcher, "101", "Lin", "zh")
    await lin("订单A-1003扣了两次钱")
    text = _text(await lin("钱啥时候退回来"))
    assert "3-5" in text and "入库" not in text and "退货" not in text


async def test_how_much_extra_after_the_express_answer(anna: Say) -> None:
    await anna("can i get it faster? like express or something")
    text = _text(await anna("how much extra is that"))
    assert "$9.90" in text and "charge" not in text


async def test_how_long_till_the_right_one_after_a_wrong_item(anna: Say) -> None:
    await anna("got the wrong thing in order A-1003, i ordered a coffee machine and got a toaster")
    text = _text(await anna("ok how long till you send the right one"))
    assert "replacement" in text and "working days" in text and "charge" not in text


# --- the question asked, answered -----------------------------------------------------------


async def test_tell_me_when_its_coming_on_a_late_parcel_case(anna: Say) -> None:
    await anna("where is A-1005")
    await anna("yes open a case")
    text = _text(await anna("whatever just tell me when its coming"))
    assert "A-1005" in text and "DPD" in text and "the team writes" not in text


async def test_tell_me_when_it_comes_on_a_late_parcel_case_in_chinese(
    dispatcher: Dispatcher,
) -> None:
    lin = make_say(dispatcher, "101", "Lin", "zh")
    await lin("A-1005这单咋还没到")
    await lin("开个工单吧")
    text = _text(await lin("随便吧 你就告诉我啥时候能到"))
    assert "A-1005" in text and "DPD" in text and "已等待" not in text


async def test_a_payment_failing_at_checkout_is_answered_not_thanked(anna: Say, deps: Deps) -> None:
    text = _text(
        await anna("payment keeps failing at checkout my card is fine tho i used it yesterday")
    )
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is not None
    assert list(await deps.feedback.for_customer(customer.id)) == []
    assert "bank" in text
