"""Dropping it right after a case was opened ("never mind then", "forget it", "那算了"): the
case just opened is withdrawn and said so, never left standing with "sorry you have to wait";
a no to what the bot offered, a remedy after "算了", or an older case stay as they were."""

from __future__ import annotations

from crm_memory import Case, CaseStatus, ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


async def test_never_mind_then_withdraws_the_case_just_opened(anna: Say, deps: Deps) -> None:
    await anna("the coffee machine from A-1003 arrived with a cracked water tank")
    reply = _text(await anna("never mind then"))
    (case,) = await _cases(deps, "100")
    assert case.status is CaseStatus.CLOSED
    assert f"#{case.number}" in reply and "nothing more" in reply.lower()
    assert "waiting" not in reply.lower()


async def test_na_suan_le_withdraws_the_case_just_opened(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("A-1003的咖啡机水箱裂了")
    reply = _text(await wang("那算了"))
    (case,) = await _cases(deps, "200")
    assert case.status is CaseStatus.CLOSED
    assert "撤销" in reply or "关闭" in reply


async def test_suan_le_with_a_remedy_is_the_remedy_not_a_withdrawal(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("A-1003的咖啡机水箱裂了")
    await wang("算了 直接给我退款吧")
    (case,) = await _cases(deps, "200")
    assert case.status is not CaseStatus.CLOSED


async def test_forget_it_after_another_answer_does_not_withdraw(anna: Say, deps: Deps) -> None:
    await anna("the coffee machine from A-1003 arrived with a cracked water tank")
    await anna("what are your opening hours")
    await anna("forget it")
    (case,) = await _cases(deps, "100")
    assert case.status is not CaseStatus.CLOSED


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps, user: str) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))
