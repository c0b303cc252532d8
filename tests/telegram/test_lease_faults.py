"""Leases under faults, with workers in this process on real PostgreSQL: a worker that cannot
prove its lease neither writes nor sends, a take-over does not repeat what a live worker
delivered, a start resends only under a chat's lease, a stop finishes the turn in hand and
gives the chats up at once, rows stored without their chat are answered, and the agents'
group keeps its place among customers' rows."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.app import Services, Stores, build_telegram
from bot.config import Settings
from bot.sent_journal import SentJournal
from bot.telegram_channel import CHANNEL, TelegramChannel
from crm_memory import (
    ChannelIdentity,
    Direction,
    Fence,
    LeaseLost,
    Message,
    Sender,
    SqlDatabase,
    StoreUnavailable,
    fenced,
)
from crm_memory.sql.leases import SqlInboxClaims
from crm_memory.sql.stores import SqlMessageStore
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.conftest import PG_URL, _fresh_postgres
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_outages import _deps
from tests.telegram.test_webhook import _update

pytestmark = pytest.mark.skipif(
    not PG_URL, reason="leases need PostgreSQL: set TEST_DATABASE_URL (CI does)"
)

ANNA, BORIS = 301, 302
MARIA, AGENTS = 9001, -100500
LEASE = 1.5


@pytest.fixture
async def pg() -> AsyncIterator[SqlDatabase]:
    database = await _fresh_postgres()
    yield database
    await database.dispose()


class SlowReplies(SqlMessageStore):
    """The real store, but the turn's closing write starts late (a long GC pause, a stalled
    process): the worker's lease runs out meanwhile."""

    delay = 0.0

    async def record_replies(self, **kwargs: Any) -> list[Message]:
        await asyncio.sleep(self.delay)
        return await super().record_replies(**kwargs)


class NoRenewals(SqlInboxClaims):
    """The real leases, but renewing fails (this worker's database connection is cut)."""

    async def renew(self, channel: str, holder: str, chats: Any) -> set[str]:
        raise StoreUnavailable("database postgresql unavailable: connection refused")


def _worker(
    api: BotApiStandIn,
    db: SqlDatabase,
    deps: Deps,
    engine: BuiltinEngine,
    *,
    lease: float = LEASE,
    **telegram: Any,
) -> TelegramChannel:
    """A worker as `python -m bot run` wires it on PostgreSQL, with its own conversation
    state (another process's memory)."""
    settings = Settings(
        telegram={
            "token": api.token,
            "base_url": api.base_url,
            "base_file_url": api.base_url,
            "max_attempts": 3,
            "retry_seconds": 0.05,
            "sent_journal": "",
            **telegram,
        },
        agents={"chat_id": AGENTS, "user_ids": [MARIA]},
        scale={"lease_seconds": lease, "poll_seconds": 0.05},
    )
    dispatcher = Dispatcher(deps=deps, nlu=engine)
    services = Services(stores=Stores(db=db, state=deps.state), dispatcher=dispatcher)
    channel = build_telegram(settings, services, poll_timeout=0)
    assert channel.worker is not None
    return channel


@asynccontextmanager
async def working(channel: TelegramChannel) -> AsyncIterator[asyncio.Task[None]]:
    """The channel started and its chat worker running, stopped at the end."""
    assert channel.worker is not None
    await channel.start(webhook=True)
    task = asyncio.create_task(channel.worker.run())
    try:
        yield task
    finally:
        channel.worker.stop()
        await asyncio.wait_for(asyncio.gather(task, return_exceptions=True), 20)
        await channel.stop()


async def _store(db: SqlDatabase, update_id: int, chat: int, words: str) -> None:
    payload = json.dumps(_update(update_id, words, chat))
    await db.inbox.put(CHANNEL, update_id, payload, sender=str(chat), chat=str(chat))


async def _replies(db: SqlDatabase, user: int) -> list[Message]:
    customer = await db.customers.find(ChannelIdentity(CHANNEL, str(user)))
    assert customer is not None
    return [m for m in await db.messages.history(customer.id) if m.direction is Direction.OUT]


async def _until(predicate: Any, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def _recorded_reply(db: SqlDatabase, user: int, words: str) -> Message:
    """A reply recorded for ``user`` and not sent (as a turn leaves it before sending)."""
    customer, _ = await db.customers.get_or_create(
        ChannelIdentity(CHANNEL, str(user)), display_name=f"C{user}"
    )
    stored, _ = await db.messages.record(
        customer_id=customer.id,
        channel=CHANNEL,
        direction=Direction.OUT,
        sender=Sender.BOT,
        text=words,
    )
    # Older than two leases: what a start would resend (newer ones may be on their way).
    async with db.engine.begin() as conn:
        await conn.execute(
            text("UPDATE messages SET created_at = created_at - interval '1 minute' WHERE id = :i"),
            {"i": stored.id},
        )
    return stored


async def _lease(db: SqlDatabase, chat: int, holder: str, *, seconds: float = 600) -> None:
    """``holder`` (another worker, alive) holds the chat's lease."""
    await db.claims(lease_seconds=seconds).take(CHANNEL, str(chat), holder)


# 1. A worker goes on after losing its lease -------------------------------------------------


async def test_a_worker_that_cannot_prove_its_lease_neither_writes_nor_sends(
    api: BotApiStandIn, deps: Deps, engine: BuiltinEngine, pg: SqlDatabase
) -> None:
    slow = SlowReplies(pg, conversation_gap=timedelta(minutes=30))
    slow.delay = 2.5 * LEASE
    stalled = _worker(api, pg, replace(_deps(deps, pg), messages=slow), engine)
    assert stalled.worker is not None
    stalled.worker._claims = NoRenewals(pg, lease_seconds=LEASE)
    other = _worker(api, pg, _deps(deps, pg), engine)
    async with working(stalled):
        await _store(pg, 1, ANNA, "what are your opening hours?")
        stalled.worker.wake()
        await _until(lambda: str(ANNA) in stalled.worker.chats)  # its turn is under way
        await asyncio.sleep(LEASE)
        # Renewals failed for a whole lease: it no longer counts the chat as its own.
        assert not stalled.worker.holds(str(ANNA))
        async with working(other):  # takes the chat over once the lease has expired
            await api.wait_for(lambda: len(api.to(ANNA)) >= 1, 60)
            # The stalled worker's closing write comes meanwhile: refused, nothing sent.
            await _until(lambda: str(ANNA) not in stalled.worker.chats, 60)
            await asyncio.sleep(0.3)
    assert len(api.to(ANNA)) == 1
    assert len(await _replies(pg, ANNA)) == 1  # one answer recorded, not two
    assert await pg.inbox.pending(CHANNEL) == []


async def test_the_closing_write_and_done_check_the_lease_in_their_transaction(
    pg: SqlDatabase,
) -> None:
    await _store(pg, 1, ANNA, "hi")
    claims = pg.claims(lease_seconds=30)
    (mine,) = await claims.claim(CHANNEL, "w1", limit=5)
    customer, _ = await pg.customers.get_or_create(
        ChannelIdentity(CHANNEL, str(ANNA)), display_name="Anna"
    )
    stored, _ = await pg.messages.record(
        customer_id=customer.id,
        channel=CHANNEL,
        direction=Direction.IN,
        sender=Sender.CUSTOMER,
        text="hi",
        external_id="301:1",
    )
    stale = Fence(CHANNEL, str(ANNA), "w1", mine.generation)
    # Lost and taken back: the same holder, another take of the lease.
    await claims.give_up(CHANNEL, str(ANNA), "w1")
    again = await claims.take(CHANNEL, str(ANNA), "w1")
    assert again is not None and again.generation == mine.generation + 1
    with fenced(stale):
        with pytest.raises(LeaseLost):
            await pg.messages.record_replies(
                customer_id=customer.id,
                channel=CHANNEL,
                conversation_id=stored.conversation_id,
                texts=["We open at nine."],
            )
        with pytest.raises(LeaseLost):
            await pg.inbox.done(CHANNEL, 1)
    assert await _replies(pg, ANNA) == []
    assert [i.update_id for i in await pg.inbox.pending(CHANNEL)] == [1]
    with fenced(Fence(CHANNEL, str(ANNA), "w1", again.generation)):
        await pg.messages.record_replies(
            customer_id=customer.id,
            channel=CHANNEL,
            conversation_id=stored.conversation_id,
            texts=["We open at nine."],
        )
        await pg.inbox.done(CHANNEL, 1)
    assert len(await _replies(pg, ANNA)) == 1 and await pg.inbox.pending(CHANNEL) == []


# 2. Take-over resends what a live worker delivered and could not mark -----------------------


async def test_a_take_over_does_not_resend_what_a_live_worker_delivered(
    api: BotApiStandIn, deps: Deps, engine: BuiltinEngine, pg: SqlDatabase, tmp_path: Path
) -> None:
    journals = tmp_path / "sent"
    delivered = await _recorded_reply(pg, ANNA, "Your parcel left the warehouse.")
    await _store(pg, 1, ANNA, "thanks")
    # A live worker on this machine (our parent process stands in for it) delivered the reply,
    # then lost the database before marking it, and its lease expired meanwhile.
    SentJournal(journals, pid=os.getppid()).add(delivered.id, f"{ANNA}:4242")
    await _lease(pg, ANNA, "live-worker", seconds=600)
    await pg.claims(lease_seconds=LEASE).expire(CHANNEL, "live-worker")
    taker = _worker(api, pg, _deps(deps, pg), engine, sent_journal=str(journals))
    async with working(taker):
        await api.wait_for(lambda: len(api.to(ANNA)) >= 1, 60)  # "thanks" is answered
        await _until(lambda: not taker.worker or not taker.worker.chats)
    texts = [s.text for s in api.to(ANNA)]
    assert "Your parcel left the warehouse." not in texts
    marked = {m.id: m for m in await _replies(pg, ANNA)}[delivered.id]
    assert marked.sent_at is not None  # marked as the live worker delivered it


class FlakyClaims(SqlInboxClaims):
    """The real leases, but claiming fails while ``down`` (this worker's database outage)."""

    down = False
    answered = 0

    async def claim(self, channel: str, holder: str, **kwargs: Any) -> Any:
        if self.down:
            raise StoreUnavailable("database postgresql unavailable: connection refused")
        self.answered += 1
        return await super().claim(channel, holder, **kwargs)


async def test_after_an_outage_a_live_workers_lease_is_left_to_it_for_a_lease(
    api: BotApiStandIn, deps: Deps, engine: BuiltinEngine, pg: SqlDatabase
) -> None:
    await _store(pg, 1, ANNA, "hello")
    # Another worker held Anna's chat; the outage outlasted its lease.
    await _lease(pg, ANNA, "live-worker")
    await pg.claims(lease_seconds=LEASE).expire(CHANNEL, "live-worker")
    back = _worker(api, pg, _deps(deps, pg), engine)
    assert back.worker is not None
    flaky = FlakyClaims(pg, lease_seconds=LEASE, barriers=[str(AGENTS)])
    flaky.down = True
    back.worker._claims = flaky
    async with working(back):
        await asyncio.sleep(0.3)  # its claims fail: the database is away for it too
        flaky.down = False
        await _until(lambda: flaky.answered > 0)  # back, and claiming again
        await asyncio.sleep(LEASE / 2)
        assert str(ANNA) not in back.worker.chats and api.to(ANNA) == []
        # The live worker reaches the database too, and renews its own lease.
        assert await pg.claims(lease_seconds=600).renew(CHANNEL, "live-worker", {str(ANNA)})
        await asyncio.sleep(LEASE)
        assert str(ANNA) not in back.worker.chats and api.to(ANNA) == []


# 3. Every start resends other workers' unsent replies ---------------------------------------


async def test_a_start_resends_only_under_the_chats_lease(
    api: BotApiStandIn, deps: Deps, engine: BuiltinEngine, pg: SqlDatabase
) -> None:
    held = await _recorded_reply(pg, ANNA, "Your parcel left the warehouse.")
    free = await _recorded_reply(pg, BORIS, "Your refund is on its way.")
    await _lease(pg, ANNA, "live-worker", seconds=600)  # Anna's chat is another's to settle
    starting = _worker(api, pg, _deps(deps, pg), engine)
    async with working(starting):
        await api.wait_for(lambda: len(api.to(BORIS)) == 1, 10)
        await asyncio.sleep(0.3)
    assert [s.text for s in api.to(BORIS)] == [free.text]
    assert api.to(ANNA) == []
    unsent = {m.id for m in await pg.messages.unsent()}
    assert held.id in unsent and free.id not in unsent
    # Boris's lease was taken for the resend and given back: free for anyone.
    assert await pg.claims(lease_seconds=LEASE).take(CHANNEL, str(BORIS), "next") is not None


# 4. SIGTERM cuts a turn mid-send ------------------------------------------------------------


async def test_a_stop_finishes_the_turn_in_hand_and_gives_the_chats_up_at_once(
    api: BotApiStandIn, deps: Deps, engine: BuiltinEngine, pg: SqlDatabase
) -> None:
    slow = SlowReplies(pg, conversation_gap=timedelta(minutes=30))
    slow.delay = 0.8
    stopping = _worker(api, pg, replace(_deps(deps, pg), messages=slow), engine)
    assert stopping.worker is not None
    long_lease = pg.claims(lease_seconds=600)
    stopping.worker._claims = long_lease  # only giving up can free the chat soon
    await _store(pg, 1, ANNA, "what are your opening hours?")
    await _store(pg, 2, ANNA, "do you ship to canada")
    async with working(stopping):
        await _until(lambda: str(ANNA) in stopping.worker.chats)
        await asyncio.sleep(0.2)  # the first turn is under way
        started = time.monotonic()
    # `working` stopped it: the turn in hand finished and its reply went out, whole.
    assert time.monotonic() - started < 5
    assert len(api.to(ANNA)) == 1
    assert all(m.sent_at is not None for m in await _replies(pg, ANNA))
    assert [i.update_id for i in await pg.inbox.pending(CHANNEL)] == [2]
    # Another worker continues the chat now, not after the 600 s lease.
    (claim,) = await long_lease.claim(CHANNEL, "next", limit=5)
    assert claim.chat == str(ANNA) and claim.taken_from == stopping.worker.holder


# 5. Pre-0013 inbox rows with chat NULL --------------------------------------------------------


async def test_a_row_stored_without_its_chat_is_answered(
    api: BotApiStandIn, deps: Deps, engine: BuiltinEngine, pg: SqlDatabase
) -> None:
    # Written the old way: by a worker from before revision 0013 (no chat column filled in).
    async with pg.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO inbox (channel, update_id, payload, received_at, attempts, sender)"
                " VALUES (:c, 1, :p, now(), 0, :s)"
            ),
            {"c": CHANNEL, "p": json.dumps(_update(1, "hello", ANNA)), "s": str(ANNA)},
        )
        await conn.execute(
            text(
                "INSERT INTO inbox (channel, update_id, payload, received_at, attempts)"
                " VALUES (:c, 2, 'not json', now(), 0)"
            ),
            {"c": CHANNEL},
        )
    worker = _worker(api, pg, _deps(deps, pg), engine)
    async with working(worker):
        await api.wait_for(lambda: len(api.to(ANNA)) == 1, 10)
        for _ in range(200):
            if not await pg.inbox.pending(CHANNEL):
                break
            await asyncio.sleep(0.05)
    assert await pg.inbox.pending(CHANNEL) == []
    (parked,) = await pg.inbox.failed(CHANNEL)
    assert parked.update_id == 2  # unreadable: parked with its reason, not lost


# 7. The agents' group keeps its place -------------------------------------------------------


async def test_a_customers_row_after_an_agents_row_waits_for_it(pg: SqlDatabase) -> None:
    agents = str(AGENTS)
    for update_id, chat in ((1, str(ANNA)), (2, agents), (3, str(ANNA)), (4, str(BORIS))):
        await pg.inbox.put(CHANNEL, update_id, "{}", chat=chat)
    claims = pg.claims(lease_seconds=30, barriers=[agents])
    # Anna's first row is before the agent's: hers; Boris's is behind it: he waits.
    claimed = await claims.claim(CHANNEL, "w1", limit=10)
    assert [c.chat for c in claimed] == [str(ANNA)]
    assert [i.update_id for i in await claims.pending(CHANNEL, str(ANNA), "w1")] == [1]
    await pg.inbox.done(CHANNEL, 1)
    # Anna's next row waits behind the agent's; the agent's row is next for anyone.
    assert await claims.pending(CHANNEL, str(ANNA), "w1") == []
    assert [c.chat for c in await claims.claim(CHANNEL, "w2", limit=10)] == [agents]
    assert [i.update_id for i in await claims.pending(CHANNEL, agents, "w2")] == [2]
    await pg.inbox.done(CHANNEL, 2)
    assert [i.update_id for i in await claims.pending(CHANNEL, str(ANNA), "w1")] == [3]
    assert [c.chat for c in await claims.claim(CHANNEL, "w2", limit=10)] == [str(BORIS)]


# 8. After an outage a worker goes on with its chats at once -------------------------------


class Outage:
    """The whole database away for this worker for ``seconds``, from the turn's closing write
    on (its claims, renewals, its recovery check and the turn itself fail meanwhile)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = False
        self.down = False
        self.back_at = 0.0

    def check(self) -> None:
        if self.down:
            raise StoreUnavailable("database postgresql unavailable: connection refused")

    async def begin(self) -> None:
        if self.started:
            return
        self.started = self.down = True
        await asyncio.sleep(0)
        asyncio.get_running_loop().call_later(self.seconds, self._end)

    def _end(self) -> None:
        self.down = False
        self.back_at = time.monotonic()


class OutageClaims(SqlInboxClaims):
    outage: Outage

    async def claim(self, channel: str, holder: str, **kwargs: Any) -> Any:
        self.outage.check()
        return await super().claim(channel, holder, **kwargs)

    async def pending(self, *args: Any, **kwargs: Any) -> Any:
        self.outage.check()
        return await super().pending(*args, **kwargs)

    async def renew(self, *args: Any, **kwargs: Any) -> Any:
        self.outage.check()
        return await super().renew(*args, **kwargs)

    async def release(self, *args: Any, **kwargs: Any) -> Any:
        self.outage.check()
        return await super().release(*args, **kwargs)


class OutageReplies(SqlMessageStore):
    """The real store; the database goes away as the first turn's closing write starts."""

    outage: Outage

    async def record_replies(self, **kwargs: Any) -> list[Message]:
        await self.outage.begin()
        self.outage.check()
        return await super().record_replies(**kwargs)


async def test_a_lane_cut_by_an_outage_goes_on_once_the_database_is_back_not_after_its_lease(
    api: BotApiStandIn, deps: Deps, engine: BuiltinEngine, pg: SqlDatabase
) -> None:
    """The lane ends on StoreUnavailable with the lease still in the database; the worker
    takes its own chat up again as soon as the database answers: the row cut mid-turn and
    the one that came meanwhile are answered (once each) well before the lease would have
    expired."""
    lease = 12.0
    outage = Outage(1.0)
    replies = OutageReplies(pg, conversation_gap=timedelta(minutes=30))
    replies.outage = outage
    channel = _worker(api, pg, replace(_deps(deps, pg), messages=replies), engine, lease=lease)
    worker = channel.worker
    assert worker is not None
    claims = OutageClaims(pg, lease_seconds=lease, barriers=[str(AGENTS)])
    claims.outage = outage
    worker._claims = claims
    recover = worker._recover

    async def recover_when_back() -> None:
        outage.check()
        await recover()

    worker._recover = recover_when_back
    async with working(channel):
        await _store(pg, 1, ANNA, "what are your opening hours?")
        worker.wake()
        await _until(lambda: outage.down)  # the turn is cut at its closing write
        await _store(pg, 2, ANNA, "and how much is shipping?")  # stored by another worker
        await _until(lambda: not outage.down)
        # Generous for a loaded machine, and still well inside the lease taken before the
        # outage (which a worker waiting for its own lease to expire would sit out).
        await api.wait_for(lambda: len(api.to(ANNA)) >= 2, lease / 2)
        await _until(lambda: not worker.chats, lease / 2)
        took = time.monotonic() - outage.back_at
    assert took < lease / 2
    assert len(api.to(ANNA)) == 2
    assert len(await _replies(pg, ANNA)) == 2  # one answer each, none twice
    assert await pg.inbox.pending(CHANNEL) == []
