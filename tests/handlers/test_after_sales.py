"""Follow-ups after an offer or an after-sales answer: details, a "no", the remedy, refunds."""

from __future__ import annotations

from crm_memory import Case, ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say

# --- details added to a delivery instruction or a new address ---------------------------


async def test_details_after_an_instruction_go_on_that_instruction(anna: Say, deps: Deps) -> None:
    await anna("A-1001 pls leave it with my neighbour if im out")
    replies = await anna("the blue door, Mrs Okafor at no. 12. shes retired so always in")
    (case,) = await _cases(deps, "100")
    assert "Okafor" in case.summary and "neighbour" in case.summary
    assert f"#{case.number}" in _text(replies) and "Okafor" in _text(replies)


async def test_chinese_details_after_an_instruction_go_on_it(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    chen = make_say(dispatcher, "300", "陈姐", "zh")
    await chen("C-7781 到了帮我放门卫吧 我白天不在家")
    replies = await chen("南门门卫室 找王师傅 他一般都在")
    (case,) = await _cases(deps, "300")
    assert "王师傅" in case.summary and "王师傅" in _text(replies)


async def test_the_flat_number_after_a_new_address_goes_on_the_address_case(
    anna: Say, deps: Deps
) -> None:
    await anna("can i change the delivery address for C-7781")
    await anna("27 Harcourt Road, Sheffield S10 1DL")
    replies = await anna("oh sorry its flat 3B, the buzzer is broken so ring my mobile")
    (case,) = await _cases(deps, "100")
    assert "Harcourt" in case.summary and "3B" in case.summary
    assert "replacement" not in _text(replies)


async def test_a_question_after_an_instruction_is_answered_not_noted(
    anna: Say, deps: Deps
) -> None:
    await anna("A-1001 pls leave it with my neighbour if im out")
    await anna("when will it arrive?")
    (case,) = await _cases(deps, "100")
    assert "arrive" not in case.summary


async def test_a_question_without_a_question_mark_is_not_noted(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    # "是哪家快递啊" after an instruction asks which carrier; it is no detail for the courier.
    chen = make_say(dispatcher, "300", "陈姐", "zh")
    await chen("C-7781 到了帮我放门卫吧 我白天不在家")
    await chen("是哪家快递啊")
    await chen("谁送的 电话多少")
    (case,) = await _cases(deps, "300")
    assert "哪家快递" not in case.summary and "谁送的" not in case.summary


# --- an offer turned down ------------------------------------------------------------------


async def test_a_no_to_the_late_offer_is_not_offered_again_next_turn(
    anna: Say, deps: Deps
) -> None:
    await anna("wheres A-1005 it was meant to be here days ago")
    no = await anna("never mind then, ill wait a few more days")
    again = await anna("when do u reckon itll turn up then")
    payloads = {b.payload for r in (*no, *again) for b in r.buttons}
    assert not payloads & {"opencase", "human"}
    assert "A-1005" in _text(again) and await _cases(deps, "100") == []


async def test_chinese_no_to_the_late_offer_is_not_offered_again(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    huang = make_say(dispatcher, "301", "老黄", "zh")
    await huang("A-1005咋还没到啊")
    no = await huang("不用了 我自己再等等吧")
    again = await huang("那大概还要几天能到")
    payloads = {b.payload for r in (*no, *again) for b in r.buttons}
    assert not payloads & {"opencase", "human"}
    assert "转人工" not in _text(again) and await _cases(deps, "301") == []


async def test_never_mind_to_the_order_number_for_a_check_is_not_put_on_the_case(
    anna: Say, deps: Deps
) -> None:
    await anna("hi why are there two charges on my card for one order")
    replies = await anna("actually never mind then, it was probably the pending hold")
    cases = await _cases(deps, "100")
    assert all("pending hold" not in c.summary for c in cases)
    assert "order number" not in _text(replies).lower()


# --- the remedy asked for before the choice was given -------------------------------------


async def test_a_replacement_asked_for_with_the_defect_is_recorded(anna: Say, deps: Deps) -> None:
    replies = await anna("the coffee machine from A-1003 leaks, I just want a new one")
    (case,) = await _cases(deps, "100")
    notes = await deps.cases.notes(case.number)
    assert any("replacement" in n.text for n in notes)
    assert "or a full refund" not in _text(replies) and f"#{case.number}" in _text(replies)


async def test_chinese_replacement_asked_for_with_the_defect_is_recorded(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    lin = make_say(dispatcher, "302", "小林", "zh")
    replies = await lin("A-1003的咖啡机不出水了 直接给我换个新的")
    (case,) = await _cases(deps, "302")
    notes = await deps.cases.notes(case.number)
    assert any("replacement" in n.text for n in notes) and "换货" in _text(replies)


# --- how a return goes ------------------------------------------------------------------


async def test_send_it_back_first_is_answered_while_the_case_is_open(
    anna: Say, deps: Deps
) -> None:
    await anna("the coffee machine from A-1003 stopped heating")
    replies = await anna("do i have to send the broken one back first?")
    (case,) = await _cases(deps, "100")
    assert "first" in _text(replies) and "back first" not in case.summary


async def test_chinese_return_postage_question_is_answered(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    zhao = make_say(dispatcher, "303", "赵先生", "zh")
    await zhao("A-1003的咖啡机插上电没反应")
    first = _text(await zhao("要先寄回去吗"))
    postage = _text(await zhao("退货要我自己出运费吗"))
    (case,) = await _cases(deps, "303")
    assert "先" in first and "面单" in first and "免" in postage
    assert "运费" not in case.summary


# --- where the refund goes --------------------------------------------------------------


async def test_huabei_refund_route_then_a_credit_card(dispatcher: Dispatcher) -> None:
    jia = make_say(dispatcher, "304", "佳佳", "zh")
    huabei = _text(await jia("钱退到哪 我是花呗付的"))
    card = _text(await jia("那信用卡付的呢"))
    assert "花呗额度" in huabei and "还没到账" not in huabei
    assert "信用卡" in card and "原路退回" in card


async def test_paypal_refund_route_is_not_a_late_refund(anna: Say) -> None:
    replies = _text(await anna("will the refund go back to my paypal?"))
    assert "PayPal account" in replies and "sorry" not in replies.lower()


async def test_a_refund_that_has_not_come_stays_a_late_refund(dispatcher: Dispatcher) -> None:
    li = make_say(dispatcher, "305", "小李", "zh")
    replies = _text(await li("退款退到哪了 怎么还没到账"))
    assert "花呗额度" not in replies and "零钱" not in replies


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps, user: str) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))
