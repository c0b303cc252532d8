"""An offer put off ("let me think about it", "嗯我再想想"), left to the bot ("whatever",
"哪个快选哪个") or waited out: a short fitting reply, or the option chosen, never a case blind."""

from __future__ import annotations

from crm_memory import Case, ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


async def test_let_me_think_about_it_leaves_the_offer_open_without_a_case(
    anna: Say, deps: Deps
) -> None:
    (late,) = await anna("A-1005 was due days ago where is it")
    assert "late" in late.text
    (reply,) = await anna("hmm ok let me think about it")
    assert await _cases(deps, "100") == []
    assert "just say" in reply.text.lower() and "#" not in reply.text
    assert not reply.buttons  # no yes/no again: the offer is there when they want it


async def test_chinese_zaixiangxiang_leaves_the_offer_open(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("A-1005咋还没到啊")
    (reply,) = await wang("嗯我再想想")
    assert await _cases(deps, "200") == []
    assert "随时" in reply.text and "没太明白" not in reply.text


async def test_waiting_it_out_after_putting_it_off_is_no_case(anna: Say, deps: Deps) -> None:
    await anna("A-1005 still not here")
    await anna("let me think about it")
    reply = _text(await anna("whatever, i'll just wait"))
    assert await _cases(deps, "100") == []
    assert "didn't" not in reply and "#" not in reply


async def test_whatever_with_nothing_offered_is_a_short_reply(anna: Say, deps: Deps) -> None:
    await anna("whats your returns policy")
    (reply,) = await anna("whatever")
    assert await _cases(deps, "100") == []
    assert not reply.buttons and "didn't" not in reply.text and "30 days" not in reply.text


async def test_whatever_to_a_case_or_a_person_takes_the_case(anna: Say, deps: Deps) -> None:
    (late,) = await anna("hi wheres A-1005")
    assert "late" in late.text
    replies = await anna("whatever")
    (case,) = await _cases(deps, "100")
    assert f"#{case.number}" in _text(replies) and "A-1005" in case.summary
    assert case.escalated_at is None  # the first thing offered: the case, not a person


async def test_suibian_to_a_case_or_a_person_takes_the_case(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("A-1005到底什么时候到 都过了好几天了")
    await wang("随便")
    (case,) = await _cases(deps, "200")
    assert "A-1005" in case.summary


async def test_whichever_is_quicker_brings_in_a_person(anna: Say, deps: Deps) -> None:
    await anna("A-1005 hasnt arrived")
    await anna("whichever is quicker")
    (case,) = await _cases(deps, "100")
    assert case.escalated_at is not None


async def test_nage_kuai_xuan_nage_brings_in_a_person(dispatcher: Dispatcher, deps: Deps) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("A-1005怎么还没到")
    await wang("哪个快选哪个")
    (case,) = await _cases(deps, "200")
    assert case.escalated_at is not None


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps, user: str) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))
