"""A cancellation taken back: its case closed, the order goes ahead, then asked after."""

from __future__ import annotations

from crm_memory import Case, CaseStatus, ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps, user: str) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))


async def test_dont_cancel_it_closes_the_cancellation_and_the_order_goes_ahead(
    say: Say, deps: Deps
) -> None:
    await say("pls cancel my order A-1002")
    text = _text(await say("actually wait dont cancel it, i'll keep it"))
    (case,) = await _cases(deps, "100")
    assert case.status is CaseStatus.CLOSED
    assert f"#{case.number}" in text and "A-1002" in text and "won't be cancelled" in text
    notes = await deps.cases.notes(case.number)
    assert any("withdrawn" in n.text for n in notes)
    # Then "is it still coming?" is that order, not the delivery FAQ or a product.
    status = _text(await say("so is it still coming?"))
    assert "A-1002" in status and "cancel" not in status.lower()


async def test_chinese_suanle_bu_quxiao_le(dispatcher: Dispatcher, deps: Deps) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("帮我把A-1002取消了")
    text = _text(await wang("算了 还是不取消了"))
    (case,) = await _cases(deps, "200")
    assert case.status is CaseStatus.CLOSED and "A-1002" in text and "撤回" in text
    assert "A-1002" in _text(await wang("那还能按时到吗"))


async def test_keep_it_without_a_cancellation_is_no_withdrawal(say: Say) -> None:
    await say("where is A-1002")
    text = _text(await say("changed my mind, keep the order"))
    assert "won't be cancelled" not in text and "withdrawn" not in text


async def test_still_cancel_it_is_no_withdrawal(say: Say, deps: Deps) -> None:
    await say("cancel A-1002 please")
    await say("no, do cancel it, i don't want it")
    (case,) = await _cases(deps, "100")
    assert case.status is not CaseStatus.CLOSED


async def test_wait_no_dont_right_after_the_cancel_takes_it_back(say: Say, deps: Deps) -> None:
    await say("pls cancel my order A-1002")
    text = _text(await say("wait no dont"))
    (case,) = await _cases(deps, "100")
    assert case.status is CaseStatus.CLOSED and "A-1002" in text, text


async def test_a_bare_no_with_no_cancellation_just_taken_is_no_withdrawal(
    say: Say, deps: Deps
) -> None:
    await say("pls cancel my order A-1002")
    await say("whats your returns policy")
    text = _text(await say("nah dont"))
    (case,) = await _cases(deps, "100")
    assert case.status is not CaseStatus.CLOSED and "won't be cancelled" not in text, text


async def test_nvm_and_a_question_takes_it_back_and_answers(say: Say, deps: Deps) -> None:
    await say("i need to cancel order A-1002")
    text = _text(await say("actually nvm, can i change it to express instead?"))
    (case,) = await _cases(deps, "100")
    assert case.status is CaseStatus.CLOSED, text
    assert "won't be cancelled" in text and "express" in text.lower(), text


async def test_cancel_after_all_reopens_the_same_case(dispatcher: Dispatcher, deps: Deps) -> None:
    wang = make_say(dispatcher, "201", "小王", "zh")
    await wang("帮我把A-1002取消了")
    await wang("等等 别取消了")
    text = _text(await wang("还是取消吧"))
    (case,) = await _cases(deps, "201")
    assert case.status is not CaseStatus.CLOSED and f"#{case.number}" in text, text
    notes = await deps.cases.notes(case.number)
    assert any("again" in n.text for n in notes)


async def test_a_request_instead_of_cancelling_takes_it_back_then_answers(
    say: Say, deps: Deps
) -> None:
    await say("cancel order A-1002 please")
    text = _text(await say("could i put a phone case on it instead of cancelling?"))
    (case,) = await _cases(deps, "100")
    assert case.status is CaseStatus.CLOSED, text
    assert "won't be cancelled" in text and "new order" in text, text
