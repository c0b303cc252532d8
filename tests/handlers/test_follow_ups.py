"""Questions customers ask after an answer or beside another: honest answers, no lost part."""

from __future__ import annotations

from crm_memory import Case, CaseKind, ChannelIdentity
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


async def test_asking_if_it_is_a_bot_never_hands_over(anna: Say, deps: Deps) -> None:
    for text in ("你是真人还是机器人", "wait am i talking to a real person or a bot rn"):
        (reply,) = await anna(text)
        assert "bot" in reply.text or "机器人" in reply.text
    assert await _cases(anna, deps) == []


async def test_a_bot_question_right_after_an_offer_is_no_yes(anna: Say, deps: Deps) -> None:
    (offer,) = await anna("will the delivery drivers wait while i test the washing machine")
    assert "human" in [b.payload for b in offer.buttons]  # not known: a person offered
    (reply,) = await anna("hang on, are you a real person?")
    assert "bot" in reply.text
    assert await _cases(anna, deps) == []


async def test_a_follow_up_the_faq_does_not_cover_is_not_guessed(anna: Say) -> None:
    await anna("how do returns work")
    pickup = _text(await anna("do u pick it up from my house or do i have to take it somewhere"))
    assert "collect" in pickup and "Orders → Cancel" not in pickup
    unknown = await anna("and will the driver carry the box down 4 floors for me")
    assert "human" in [b.payload for r in unknown for b in r.buttons]
    assert "30 days" not in _text(unknown) and "Cancel" not in _text(unknown)


async def test_cancel_and_has_it_shipped_in_one_clause(anna: Say, deps: Deps) -> None:
    # One answer says both: not shipped yet, so the cancellation goes to the team on a case.
    (reply,) = await anna("i want to cancel A-1002 it hasnt shipped yet has it")
    (case,) = await _cases(anna, deps)
    assert "A-1002 hasn't shipped yet" in reply.text and f"#{case.number}" in reply.text


async def test_two_questions_in_one_chinese_clause(anna: Say) -> None:
    (reply,) = await anna("帮我看下B-2231到哪了能改地址吗")
    assert "SF1234567890" in reply.text and "改派" in reply.text


async def test_the_new_address_asked_for_goes_to_the_team(anna: Say, deps: Deps) -> None:
    (asked,) = await anna("can i still change the delivery address for C-7781")
    assert "send me the new address" in asked.text
    (passed,) = await anna("its 4 Elm Close, Bristol BS6 5AB")
    (case,) = await _cases(anna, deps)
    assert f"#{case.number}" in passed.text and "C-7781" in passed.text
    assert "4 Elm Close" in case.summary and "order: C-7781" in case.summary
    assert case.kind is CaseKind.INQUIRY and case.escalated_at is not None


async def test_a_double_charge_is_a_payment_case_in_both_languages(deps: Deps, anna: Say) -> None:
    replies = await anna("hey ive been charged twice for order A-1003 can you sort that")
    assert any("payments team" in r.text for r in replies)
    (case,) = await _cases(anna, deps)
    assert "order: A-1003" in case.summary and "payment" in case.reason.lower()


async def test_delivered_but_nothing_at_the_door_is_a_complaint(anna: Say, deps: Deps) -> None:
    replies = await anna("tracking says delivered but theres nothing at my door")
    assert any("order number" in r.text for r in replies)
    assert len(await _cases(anna, deps)) == 1


async def test_shown_delivered_but_never_came_is_a_case_in_chinese(
    deps: Deps, dispatcher: Dispatcher
) -> None:
    say = make_say(dispatcher, "101", "Lin", "zh")
    replies = await say("物流显示已签收了 可是我根本没收到啊")
    assert any("订单号" in r.text for r in replies), replies
    customer = await deps.customers.find(ChannelIdentity("telegram", "101"))
    assert customer is not None and len(await deps.cases.for_customer(customer.id)) == 1


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(anna: Say, deps: Deps) -> list[Case]:
    """Anna's cases (``anna`` is the fixture that writes as her)."""
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))
