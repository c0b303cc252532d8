"""A chat an agent owns: quiet while the agent is at work, one holding reply when the customer
has heard from no one for a while, and the chat back with the bot when the agent has been
away for long (handlers/owned_chat.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from crm_memory import CaseStatus, ChatOwner
from handlers.agents import AgentService
from handlers.dispatcher import Dispatcher
from handlers.hours import BusinessHours
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import FakeDesk, FakeOutbox, Say, WeekClock, make_say

CHAT = "telegram:100"


@pytest.fixture
def with_hours(deps: Deps, engine: BuiltinEngine, desk: FakeDesk) -> Dispatcher:
    hours = BusinessHours.parse(["Mon-Fri 09:00-18:00"], "UTC")
    return Dispatcher(deps=replace(deps, desk=desk, hours=hours), nlu=engine)


async def _taken(say: Say, desk: FakeDesk, agents: AgentService, zh: bool = False) -> int:
    """Anna's case handed to a person, and Mia taking the chat."""
    await say(
        "我的订单A-1002一直没到 转人工" if zh else "my order A-1002 never came, get me a person"
    )
    number = desk.handoffs[-1].case.number
    await agents.take(number, "mia")
    return number


async def test_quiet_at_first_then_one_holding_reply_per_quiet_spell(
    say: Say, desk: FakeDesk, agents: AgentService, week_clock: WeekClock
) -> None:
    number = await _taken(say, desk, agents)
    # Just taken: the agent is on it; the bot says nothing, the agent sees the message.
    assert await say("hello?") == []
    assert desk.relayed[-1] == (number, "hello?")
    week_clock.start += timedelta(minutes=25)
    (held,) = await say("anyone there??")
    assert "Mia" in held.text and f"#{number}" in held.text
    assert held.record_id is not None  # in the history, like every reply
    assert desk.relayed[-1] == (number, "anyone there??")
    assert any(f"#{number}" in a and "mia" in a for a in desk.alerts)
    # Once per quiet spell: not again right after, however often they write.
    assert await say("i have been waiting") == []
    assert await say("?") == []
    week_clock.start += timedelta(minutes=25)
    assert len(await say("still nothing")) == 1


async def test_the_agents_words_restart_the_wait(
    say: Say, desk: FakeDesk, agents: AgentService, week_clock: WeekClock
) -> None:
    number = await _taken(say, desk, agents)
    week_clock.start += timedelta(hours=30)  # taken long ago, but the agent writes now
    await agents.reply(number, "mia", "Hi Anna, I'm checking with the courier now.")
    week_clock.start += timedelta(minutes=5)
    assert await say("ok thanks") == []


async def test_out_of_hours_the_holding_reply_says_when_the_team_is_back(
    with_hours: Dispatcher, outbox: FakeOutbox, desk: FakeDesk, week_clock: WeekClock
) -> None:
    say = make_say(with_hours, "100", "安娜", "zh")
    number = await _taken(say, desk, AgentService(deps=with_hours.deps, outbox=outbox), zh=True)
    week_clock.start += timedelta(hours=10)  # Monday 10:00 -> 20:00, the team left at 18:00
    (held,) = await say("人呢")
    assert f"#{number}" in held.text and "Mia" in held.text
    assert "周二 09:00" in held.text


async def test_after_a_long_silence_the_bot_answers_again_and_the_agent_can_take_it_back(
    say: Say, desk: FakeDesk, agents: AgentService, week_clock: WeekClock, deps: Deps
) -> None:
    number = await _taken(say, desk, agents)
    week_clock.start += timedelta(days=7)
    replies = await say("hello?? any update on my case")
    assert replies, "a week later the customer is answered, not left in silence"
    text = "\n".join(r.text for r in replies)
    assert f"#{number}" in text and "Mia" in text
    assert "hasn't written back" in replies[-1].text
    assert (await agents.case(number)).status is CaseStatus.ASSIGNED  # still with Mia
    assert any("any update on my case" in a and "7 days" in a for a in desk.alerts)
    assert (await deps.state.owner(CHAT)).is_bot
    # The bot has the chat now: the next message is answered as usual.
    assert await say("what are your opening hours")
    # Mia's reply takes the chat back; the bot is quiet again.
    await agents.reply(number, "mia", "Sorry for the wait, Anna: a new parcel goes out today.")
    assert (await deps.state.owner(CHAT)).agent == "mia"
    assert await say("great thanks") == []


async def test_zero_turns_the_holding_reply_and_the_return_off(
    deps: Deps, engine: BuiltinEngine, desk: FakeDesk, week_clock: WeekClock
) -> None:
    off = Dispatcher(
        deps=replace(deps, desk=desk, holding_after=timedelta(0), return_to_bot_after=timedelta(0)),
        nlu=engine,
    )
    say = make_say(off, "100", "Anna")
    await say("my order A-1002 never came, get me a person")
    number = desk.handoffs[-1].case.number
    await deps.state.claim(CHAT, ChatOwner(agent="mia", case_number=number))
    week_clock.start += timedelta(days=30)
    assert await say("hello??") == []
