"""Escalation triggers, each recorded as the case's reason, and the handoff agents see."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from crm_memory import CaseStatus, ChannelIdentity, ChatOwner, Customer
from handlers.dispatcher import Dispatcher
from handlers.hours import BusinessHours
from handlers.turn import Deps
from handlers.types import ContentKind
from nlu import BuiltinEngine
from tests.handlers.conftest import FakeDesk, Say, make_say


async def test_asking_for_a_human(say: Say, desk: FakeDesk, deps: Deps) -> None:
    await say("where is my order A-1001?")
    (reply,) = await say("I want to talk to a real person")
    (handoff,) = desk.handoffs
    assert handoff.reason == "asked for a human"
    assert f"#{handoff.case.number}" in reply.text
    assert handoff.identity == ChannelIdentity("telegram", "100")
    assert handoff.recent[0] == "customer: where is my order A-1001?"
    assert any(line.startswith("bot: Order A-1001") for line in handoff.recent)
    assert len(handoff.sentiment_trend) == 2
    case = await deps.cases.get(handoff.case.number)
    assert case.escalation_reason == "asked for a human" and case.escalated_at is not None
    # Asking again points to the same case; the desk is not told twice.
    (again,) = await say("/agent", ContentKind.COMMAND)
    assert f"#{handoff.case.number}" in again.text and "already" in again.text
    assert len(desk.handoffs) == 1


async def test_a_person_not_needed_after_all_closes_the_hand_over(
    say: Say, desk: FakeDesk, deps: Deps
) -> None:
    await say("can i talk to a real person pls")
    (handoff,) = desk.handoffs
    (reply,) = await say("actually nvm i figured it out")
    case = await deps.cases.get(handoff.case.number)
    assert case.status is CaseStatus.CLOSED and f"#{case.number}" in reply.text, reply.text
    notes = await deps.cases.notes(case.number)
    assert any("no longer needs a person" in n.text for n in notes)


async def test_a_problem_case_stays_open_when_the_person_is_not_needed(
    dispatcher: Dispatcher, deps: Deps
) -> None:
    wang = make_say(dispatcher, "300", "小王", "zh")
    await wang("订单A-1003的咖啡机坏了 开不了机")
    await wang("给我转人工")
    (reply,) = await wang("算了 不用了")
    (case,) = await deps.cases.for_customer((await _customer(deps, "300")).id)
    assert case.status is not CaseStatus.CLOSED and f"#{case.number}" in reply.text, reply.text


async def _customer(deps: Deps, user: str) -> Customer:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    assert customer is not None
    return customer


async def test_two_misses_then_yes(say: Say, desk: FakeDesk) -> None:
    await say("qwzx vbnm")
    await say("blorp zzz")
    await say("human", ContentKind.BUTTON)
    assert desk.handoffs[0].reason == "not understood twice"


async def test_high_priority_complaint(say: Say, desk: FakeDesk) -> None:
    await say("I will call my lawyer, order A-1001 arrived broken")
    (handoff,) = desk.handoffs
    assert handoff.reason == "high-priority complaint"
    assert handoff.case.kind.value == "complaint"


async def test_vip_complaint(say: Say, desk: FakeDesk, deps: Deps) -> None:
    await say("hello")
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is not None
    await deps.customers.update(customer.id, tier="gold")
    await say("I want to make a complaint about the colour of order A-1001")
    # Gold also raises the priority to high; the hand-off still says why: a VIP.
    assert [h.reason for h in desk.handoffs] == ["VIP complaint"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("i want to talk to a real person, my coffee machine stopped working order A-1001", "en"),
        ("get me a human pls, the kettle i got leaks", "en"),
        ("我要找人工 咖啡机不出水了 订单A-1001", "zh"),
        ("给我转人工客服 买的电水壶漏水", "zh"),
    ],
)
async def test_a_complaint_that_asks_for_a_person_is_handed_over(
    deps: Deps, engine: BuiltinEngine, desk: FakeDesk, text: str, language: str
) -> None:
    # The person asked for in the complaint's own message is not dropped: the case is
    # opened and handed over, and out of hours the customer hears when the team is back.
    sunday = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    hours = BusinessHours.parse(["Mon-Fri 09:00-18:00"], "Europe/London")
    closed = Dispatcher(
        deps=replace(deps, desk=desk, hours=hours, clock=lambda: sunday), nlu=engine
    )
    replies = await make_say(closed, "100", "Sam", language)(text)
    (handoff,) = desk.handoffs
    # Said crossly it may be high priority, a reason to hand over of its own.
    assert handoff.reason in ("asked for a human", "high-priority complaint")
    assert handoff.case.kind.value == "complaint"
    assert ("Monday 09:00" if language == "en" else "周一 09:00") in replies[-1].text
    # The problem is a complaint all the same: the apology and the remedy path come first.
    said = " ".join(r.text for r in replies)
    assert ("replacement" if language == "en" else "换货") in said


async def test_normal_complaint_stays_with_the_bot(say: Say, desk: FakeDesk) -> None:
    await say("I want to make a complaint about order A-1001, the colour is a bit off")
    assert desk.handoffs == []


async def test_strongly_negative_sentiment(say: Say, desk: FakeDesk) -> None:
    replies = await say("what are your opening hours?? this is ridiculous, terrible, awful!!!")
    (handoff,) = desk.handoffs
    assert handoff.reason == "strongly negative sentiment"
    assert "Monday" in replies[0].text  # the question is still answered
    assert "take over" in replies[-1].text
    assert handoff.sentiment_trend[-1] <= -0.7


async def test_customer_messages_are_relayed_while_an_agent_owns_the_chat(
    say: Say, desk: FakeDesk, deps: Deps
) -> None:
    await deps.state.claim("telegram:100", ChatOwner(agent="maria", case_number=3))
    assert await say("are you there?") == []
    assert await say("", ContentKind.PHOTO) == []
    assert desk.relayed == [(3, "are you there?"), (3, "[photo]")]


async def test_a_person_asked_for_after_an_answer_gets_its_subject_noted(
    say: Say, desk: FakeDesk, deps: Deps
) -> None:
    await say("forgot my password, how do i reset it")
    await say("still nothing")
    (reply,) = await say("can i talk to someone now then")
    (handoff,) = desk.handoffs
    assert f"#{handoff.case.number}" in reply.text
    notes = [n.text for n in await deps.cases.notes(handoff.case.number)]
    assert any("email-not-received" in n for n in notes), notes
