"""Agents take over, reply, note, hand back and close; the customer rates; through the
real dispatcher and stores, with a fake outbox and desk."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from crm_memory import (
    CaseKind,
    CaseStatus,
    ChannelIdentity,
    Direction,
    Priority,
    Sender,
    use_clock,
)
from handlers.agents import AgentError, AgentService, display_name
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import ContentKind
from nlu import BuiltinEngine
from tests.handlers.conftest import FakeDesk, FakeOutbox, Say, make_say

ANNA = ChannelIdentity("telegram", "100")


async def test_full_case(
    say: Say, agents: AgentService, outbox: FakeOutbox, desk: FakeDesk, deps: Deps
) -> None:
    await say("I need to talk to a person about order A-1001")
    number = desk.handoffs[0].case.number

    # The agent replies: the case is taken, the bot goes quiet, the words reach Anna.
    case = await agents.reply(number, "Maria", "Hi Anna, I'm Maria. Let me check A-1001.")
    assert case.owner == "Maria" and case.status is CaseStatus.ASSIGNED
    assert case.first_response_at is not None
    assert outbox.delivered[-1] == (ANNA, outbox.delivered[-1][1])
    assert outbox.delivered[-1][1].text.startswith("Hi Anna, I'm Maria")
    assert (await deps.state.owner("telegram:100")).agent == "Maria"

    assert await say("thank you, it's urgent") == []
    assert desk.relayed == [(number, "thank you, it's urgent")]

    await agents.note(number, "Maria", "customer prefers e-mail")
    (note,) = await agents.notes(number)
    assert (note.author, note.text) == ("Maria", "customer prefers e-mail")
    assert "customer prefers e-mail" not in (await deps.cases.get(number)).summary

    closed = await agents.close(number, "Maria")
    assert closed.status is CaseStatus.CLOSED
    assert (await deps.state.owner("telegram:100")).is_bot
    survey = outbox.delivered[-1][1]
    assert f"#{number}" in survey.text
    assert [b.payload for b in survey.buttons] == [f"rate:{number}:{r}" for r in range(1, 6)]

    # Anna rates 2: stored on the case, agents alerted, then her comment is kept.
    (thanks,) = await say(f"rate:{number}:2", ContentKind.BUTTON)
    assert "What went wrong" in thanks.text  # a low rating asks why, not only thanks
    assert (await deps.cases.get(number)).csat == 2
    assert desk.alerts == [f"⚠️ Case #{number} was rated 2/5 by Anna"]
    (noted,) = await say("the wait was far too long")
    assert "comment" in noted.text
    customer = await deps.customers.find(ANNA)
    assert customer is not None
    (rating,) = await deps.surveys.for_customer(customer.id)
    assert (rating.rating, rating.comment) == (2, "the wait was far too long")

    # One survey per case: a second press is ignored quietly.
    assert await say(f"rate:{number}:5", ContentKind.BUTTON) == []

    history = await deps.messages.history(customer.id, limit=100)
    agent_lines = [m for m in history if m.sender is Sender.AGENT]
    assert [(m.direction, m.agent) for m in agent_lines] == [(Direction.OUT, "Maria")]
    delivered = {reply.record_id for _, reply in outbox.delivered}
    assert all(m.sent_at is not None for m in history if m.id in delivered)


async def test_handback_returns_the_chat_to_the_bot(
    say: Say, agents: AgentService, desk: FakeDesk, deps: Deps
) -> None:
    await say("/agent", ContentKind.COMMAND)
    number = desk.handoffs[0].case.number
    await agents.take(number, "Tom")
    assert await say("hello?") == []
    await agents.handback(number, "Tom")
    (answer,) = await say("what are your opening hours")
    assert "Monday" in answer.text
    assert (await deps.cases.get(number)).status is CaseStatus.ASSIGNED


async def test_forged_and_stale_ratings_are_ignored(
    say: Say, agents: AgentService, desk: FakeDesk, dispatcher_with_desk: Dispatcher
) -> None:
    await say("/agent", ContentKind.COMMAND)
    number = desk.handoffs[0].case.number
    # Not closed yet: no rating.
    assert await say(f"rate:{number}:5", ContentKind.BUTTON) == []
    await agents.close(number, "Tom")
    bob = make_say(dispatcher_with_desk, "200", "Bob")
    for forged in (f"rate:{number}:1", "rate:999:5", f"rate:{number}:9", "rate:x:y", "rate:"):
        assert await bob(forged, ContentKind.BUTTON) == []
    assert desk.alerts == []


async def test_agent_errors(say: Say, agents: AgentService, desk: FakeDesk) -> None:
    with pytest.raises(AgentError, match="no case #42"):
        await agents.take(42, "Tom")
    await say("/agent", ContentKind.COMMAND)
    number = desk.handoffs[0].case.number
    with pytest.raises(AgentError, match="nothing to send"):
        await agents.reply(number, "Tom", "  ")
    await agents.close(number, "Tom")
    with pytest.raises(AgentError, match="closed"):
        await agents.reply(number, "Tom", "hello")
    with pytest.raises(AgentError, match="already closed"):
        await agents.close(number, "Tom")


async def test_queue_is_most_urgent_first(agents: AgentService, deps: Deps) -> None:
    customer, _ = await deps.customers.get_or_create(ANNA, display_name="Anna")
    opened = []
    for minute, priority in enumerate(
        (Priority.URGENT, Priority.NORMAL, Priority.NORMAL, Priority.HIGH)
    ):
        with use_clock(lambda minute=minute: _in(minutes=minute)):
            opened.append(
                await deps.cases.open(
                    customer_id=customer.id, kind=CaseKind.COMPLAINT, priority=priority, reason="x"
                )
            )
    urgent, first_normal, second_normal, high = (c.number for c in opened)
    # The urgent case is the oldest (newest-first sorting would put it last); within a
    # priority, the case waiting longest comes first.
    assert [c.number for c in await agents.queue()] == [urgent, high, first_normal, second_normal]


async def test_after_hours_the_customer_hears_when_the_team_is_back(
    deps: Deps, engine: BuiltinEngine, desk: FakeDesk
) -> None:
    from datetime import UTC, datetime

    from handlers.hours import BusinessHours

    sunday = datetime(2026, 11, 29, 11, 0, tzinfo=UTC)
    hours = BusinessHours.parse(["Mon-Fri 09:00-18:00"], "Europe/Berlin")
    closed = Dispatcher(
        deps=replace(deps, desk=desk, hours=hours, clock=lambda: sunday), nlu=engine
    )
    (requested,) = await make_say(closed, "100", "Anna")("/agent", ContentKind.COMMAND)
    assert "#1" in requested.text
    # Not "they'll write to you right here": when they are back.
    assert "back Monday 09:00" in requested.text and "right here" not in requested.text
    assert len(desk.handoffs) == 1  # the case is in the queue all the same


async def test_unanswered_cases_are_brought_up_once(
    say: Say, agents: AgentService, desk: FakeDesk, deps: Deps, dispatcher_with_desk: Dispatcher
) -> None:
    from datetime import timedelta

    await say("/agent", ContentKind.COMMAND)
    number = desk.handoffs[0].case.number
    assert await agents.remind(desk, waiting=timedelta(minutes=10)) == []
    later = AgentService(
        deps=replace(dispatcher_with_desk.deps, clock=lambda: _in(minutes=11)),
        outbox=FakeOutbox(deps),
    )
    assert await later.remind(desk, waiting=timedelta(minutes=10)) == [number]
    assert desk.alerts[-1].startswith(f"⏰ Case #{number} (asked for a human) has waited 1")
    assert await later.remind(desk, waiting=timedelta(minutes=10)) == []
    await agents.reply(number, "Maria", "hello")
    assert await later.unanswered(waiting=timedelta(minutes=10)) == []


def _in(*, minutes: int) -> datetime:
    from datetime import UTC, timedelta

    return datetime.now(UTC) + timedelta(minutes=minutes)


async def test_the_customer_is_told_who_joined_once(
    say: Say, agents: AgentService, outbox: FakeOutbox, desk: FakeDesk
) -> None:
    await say("/agent", ContentKind.COMMAND)
    number = desk.handoffs[0].case.number
    await agents.take(number, "maria")
    (joined,) = [reply for _, reply in outbox.delivered]
    assert "Maria" in joined.text and "joined" in joined.text and f"#{number}" in joined.text
    # The same agent taking it again, or replying, does not announce her twice.
    await agents.take(number, "maria")
    await agents.reply(number, "maria", "Hi Anna, how can I help?")
    assert [r.text for _, r in outbox.delivered][1:] == ["Hi Anna, how can I help?"]
    # Another agent answering takes the case over: the customer hears who it is now.
    await agents.reply(number, "Tom", "Tom here, I'll finish this.")
    assert "Tom" in outbox.delivered[-2][1].text and "joined" in outbox.delivered[-2][1].text


def test_an_agents_name_as_customers_see_it() -> None:
    # The handle an agent acts with, as the customer reads it; a case nobody owns yet says
    # "a colleague" rather than an empty name.
    assert display_name("maria") == "Maria"
    assert display_name("@lena_k") == "Lena_k"
    assert display_name(None) == display_name("  ") == "A colleague"
