"""Two workers on real PostgreSQL: the first is killed mid-turn, after the turn's case and the
agents' card and before its closing write; the second repeats the turn and writes nothing
twice, sends no second card, and answers the customer once."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.telegram_channel import CHANNEL
from crm_memory import ChannelIdentity, Message, SqlDatabase
from crm_memory.sql.leases import SqlInboxClaims
from crm_memory.sql.stores import SqlMessageStore
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_lease_faults import (
    AGENTS,
    ANNA,
    _replies,
    _store,
    _until,
    _worker,
    pg,
    pytestmark,
    working,
)
from tests.telegram.test_outages import _deps

__all__ = ["pg", "pytestmark"]


class Stalls(SqlMessageStore):
    """The real store; the turn's closing write never comes (the process is about to die)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reached = asyncio.Event()

    async def record_replies(self, **kwargs: Any) -> list[Message]:
        self.reached.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


class NoGoodbye(SqlInboxClaims):
    """The real leases, but a killed process gives none up: they expire."""

    async def expire(self, channel: str, holder: str) -> int:
        return 0


async def test_a_turn_killed_before_its_closing_write_is_repeated_without_doubles(
    api: BotApiStandIn, deps: Deps, engine: BuiltinEngine, pg: SqlDatabase
) -> None:
    stalls = Stalls(pg, conversation_gap=timedelta(minutes=30))
    doomed = _worker(api, pg, replace(_deps(deps, pg), messages=stalls), engine)
    assert doomed.worker is not None
    doomed.worker._claims = NoGoodbye(pg, lease_seconds=1.5)
    await doomed.start(webhook=True)
    run = asyncio.create_task(doomed.worker.run())
    try:
        await _store(pg, 1, ANNA, "I want to talk to a real person please")
        doomed.worker.wake()
        await asyncio.wait_for(stalls.reached.wait(), 30)
        # Its turn opened and handed over a case, and the card went out; then it dies.
        await api.wait_for(lambda: len(api.to(AGENTS)) == 1, 10)
    finally:
        run.cancel()
        await asyncio.gather(run, return_exceptions=True)
        await doomed.stop()
    customer = await pg.customers.find(ChannelIdentity(CHANNEL, str(ANNA)))
    assert customer is not None
    (case,) = await pg.cases.for_customer(customer.id)
    assert api.to(ANNA) == [] and await _replies(pg, ANNA) == []
    other = _worker(api, pg, _deps(deps, pg), engine)
    async with working(other):  # takes the chat once the dead worker's lease expired
        await api.wait_for(lambda: len(api.to(ANNA)) >= 1, 60)
        await _until(lambda: not other.worker or not other.worker.chats, 30)
        await asyncio.sleep(0.3)
    assert [c.number for c in await pg.cases.for_customer(customer.id)] == [case.number]
    assert len(api.to(AGENTS)) == 1  # one card
    (sent,) = api.to(ANNA)  # one answer, the hand-over as the first run gave it
    assert f"#{case.number}" in sent.text
    assert len(await _replies(pg, ANNA)) == 1
    assert await pg.inbox.pending(CHANNEL) == []
