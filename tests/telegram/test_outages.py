"""The channel's loops with fakes: failing turns retried in order then parked, a database that
goes away and comes back, replies delivered while it could not mark them, and the order the
inbox promises (an agent's action keeps its place, chats run side by side)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.app import Services, Stores, build_telegram
from bot.config import Settings
from bot.telegram_channel import CHANNEL, TelegramChannel
from crm_memory import (
    ChannelIdentity,
    Direction,
    MemoryConversationState,
    Message,
    ResilientConversationState,
    Sender,
    SqlDatabase,
    StoreUnavailable,
)
from crm_memory.sql._models import InboxRow
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import InboundMessage, Reply
from nlu import BuiltinEngine
from tests.ports import free_port, until_listening
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_webhook import _update

ANNA, BORIS = 301, 302
MARIA, AGENTS = 9001, -100500


class FlakyDatabase(SqlDatabase):
    """A real SQLite database whose every statement fails while ``down``, as a stopped
    PostgreSQL server makes them fail (StoreUnavailable, converted where it enters)."""

    down = False

    def _check(self) -> None:
        if self.down:
            raise StoreUnavailable("database postgresql unavailable: connection refused")

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        self._check()
        async with super().session() as session:
            yield session

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        self._check()
        async with super().connection() as connection:
            yield connection


class ScriptedDispatcher(Dispatcher):
    """The real dispatcher, but a text can be made to fail, or each turn to take a while."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failures: dict[str, int] = {}  # text -> times it still fails (-1: always)
        self.pause = 0.0
        self.turns: list[tuple[str, str, float, float]] = []  # (chat, text, start, end)

    async def handle(self, message: InboundMessage) -> list[Reply]:
        left = self.failures.get(message.text, 0)
        if left:
            self.failures[message.text] = left - 1
            raise RuntimeError("the order service answered nonsense")
        start = time.monotonic()
        await asyncio.sleep(self.pause)
        replies = await super().handle(message)
        self.turns.append((message.user_id, message.text, start, time.monotonic()))
        return replies


def _deps(deps: Deps, db: SqlDatabase) -> Deps:
    return replace(
        deps,
        customers=db.customers,
        messages=db.messages,
        cases=db.cases,
        feedback=db.feedback,
        surveys=db.surveys,
        posts=db.posts,
        state=ResilientConversationState(MemoryConversationState(), owners=db.owners),
    )


@pytest.fixture
async def flaky_db(tmp_path: Path) -> AsyncIterator[FlakyDatabase]:
    database = FlakyDatabase(f"sqlite+aiosqlite:///{tmp_path / 'flaky.db'}")
    await database.upgrade()
    yield database
    await database.dispose()


@pytest.fixture
def scripted(deps: Deps, engine: BuiltinEngine, flaky_db: FlakyDatabase) -> ScriptedDispatcher:
    return ScriptedDispatcher(deps=_deps(deps, flaky_db), nlu=engine)


def _channel(
    api: BotApiStandIn, dispatcher: Dispatcher, db: SqlDatabase, **telegram: Any
) -> TelegramChannel:
    """Wired by build_telegram exactly as `python -m bot run` wires it, agents' chat included."""
    settings = Settings(
        telegram={
            "token": api.token,
            "base_url": api.base_url,
            "base_file_url": api.base_url,
            "max_attempts": 3,
            "retry_seconds": 0.05,
            "sent_journal": "",  # kept in memory only, unless a test gives a directory
            **telegram,
        },
        agents={"chat_id": AGENTS, "user_ids": [MARIA]},
    )
    services = Services(stores=Stores(db=db, state=dispatcher.deps.state), dispatcher=dispatcher)
    return build_telegram(settings, services, poll_timeout=0)


@asynccontextmanager
async def running(channel: TelegramChannel) -> AsyncIterator[asyncio.Task[None]]:
    """``channel.run`` in the background, stopped (and checked to be alive) at the end."""
    async with started(channel):
        stop = asyncio.Event()
        loop = asyncio.create_task(channel.run(stop))
        try:
            yield loop
            assert not loop.done(), "the polling loop ended on its own"
        finally:
            stop.set()
            await asyncio.wait_for(loop, 10)


@asynccontextmanager
async def started(channel: TelegramChannel, *, webhook: bool = False) -> AsyncIterator[None]:
    """``channel`` started (and its inbox drained), stopped at the end whatever happens."""
    await channel.start(webhook=webhook)
    try:
        yield
    finally:
        await channel.stop()


@asynccontextmanager
async def serving_webhook(channel: TelegramChannel, port: int) -> AsyncIterator[asyncio.Task[None]]:
    """The channel's webhook server on ``port`` in the background, stopped at the end."""
    stop = asyncio.Event()
    server = asyncio.create_task(
        channel.serve_webhook(
            url="https://bot.example.com/hook",
            listen="127.0.0.1",
            port=port,
            secret=None,
            stop=stop,
        )
    )
    try:
        yield server
    finally:
        stop.set()
        await server


async def _unsent_reply(db: SqlDatabase) -> tuple[int, Message]:
    """A reply the bot recorded for Anna and has not sent yet (as a turn leaves it just before
    sending): Anna's customer id and the stored reply."""
    customer, _ = await db.customers.get_or_create(
        ChannelIdentity(CHANNEL, str(ANNA)), display_name="Anna"
    )
    stored, _ = await db.messages.record(
        customer_id=customer.id,
        channel=CHANNEL,
        direction=Direction.OUT,
        sender=Sender.BOT,
        text="Your parcel left the warehouse.",
    )
    return customer.id, stored


async def _history(db: SqlDatabase, user: int) -> list[tuple[Direction, str, bool]]:
    customer = await db.customers.find(ChannelIdentity(CHANNEL, str(user)))
    assert customer is not None
    return [
        (m.direction, m.text, m.sent_at is not None)
        for m in await db.messages.history(customer.id, limit=100)
    ]


async def test_a_failing_turn_is_retried_in_order_then_parked(
    api: BotApiStandIn,
    scripted: ScriptedDispatcher,
    flaky_db: FlakyDatabase,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    scripted.failures = {"where is my order A-1001?": 2, "boom": -1}
    channel = _channel(api, scripted, flaky_db)
    async with running(channel):
        api.customer_says(ANNA, "where is my order A-1001?")  # fails twice, then answered
        api.customer_says(ANNA, "what are your opening hours?")  # waits for the one before
        api.customer_says(BORIS, "boom", name="Boris")  # fails every time: parked
        api.customer_says(BORIS, "hello", name="Boris")  # answered once boom is parked
        await api.wait_for(lambda: len(api.to(ANNA)) == 2 and len(api.to(BORIS)) == 2, 10)
        anna = [s.text for s in api.to(ANNA)]
        assert "A-1001" in anna[0] and "Monday" in anna[1]  # in the order asked
        boris = [s.text for s in api.to(BORIS)]
        # What Boris is told is true: nothing claims the message was answered or retried.
        assert boris[0] == scripted.apology(InboundMessage(CHANNEL, str(BORIS), "boom"))
        assert boris[1].startswith("Hi Boris")
    (parked,) = await flaky_db.inbox.failed()
    assert parked.attempts == 3 and parked.error is not None
    assert parked.error.startswith("RuntimeError: the order service")
    assert await flaky_db.inbox.pending(CHANNEL) == []
    retries = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(retries) == 4  # A-1001 twice, boom twice; then boom is parked
    assert not any(r.exc_info for r in retries)  # no traceback per retry
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "parked" in errors[0].getMessage()
    assert "boom" not in caplog.text and "A-1001" not in caplog.text  # no customer words
    # `crm inbox retry` makes it pending again: tried again, in order.
    scripted.failures["boom"] = 0
    assert await flaky_db.inbox.retry(CHANNEL, parked.update_id) == 1
    await channel.start()  # a restart drains the inbox
    await channel.stop()
    assert [t for u, t, *_ in scripted.turns if u == str(BORIS)] == ["hello", "boom"]


async def test_erasure_drops_the_customers_parked_and_waiting_updates(
    api: BotApiStandIn, scripted: ScriptedDispatcher, flaky_db: FlakyDatabase
) -> None:
    scripted.failures = {"my zorblax code is 8812": -1}
    channel = _channel(api, scripted, flaky_db)
    async with running(channel):
        api.customer_says(ANNA, "hello")
        api.customer_says(ANNA, "my zorblax code is 8812")  # fails every time: parked
        api.customer_says(BORIS, "hello", name="Boris")
        await api.wait_for(lambda: len(api.to(ANNA)) == 2 and len(api.to(BORIS)) == 1, 10)
    assert len(await flaky_db.inbox.failed()) == 1
    # Stored since, not processed yet (the bot is stopped): theirs too.
    api.customer_says(ANNA, "zorblax? anyone?")
    await channel.app.initialize()
    updates = await channel.app.bot.get_updates(timeout=0)
    await flaky_db.inbox.put_many(
        CHANNEL,
        [(u.update_id, json.dumps(u.to_dict())) for u in updates],
        senders={u.update_id: str(ANNA) for u in updates},
    )
    await channel.app.shutdown()

    anna = await flaky_db.customers.find(ChannelIdentity(CHANNEL, str(ANNA)))
    assert anna is not None
    assert await flaky_db.customers.forget(anna.id)
    assert await flaky_db.inbox.failed() == [] and await flaky_db.inbox.pending(CHANNEL) == []
    async with flaky_db.engine.connect() as conn:
        rows = (await conn.execute(select(InboxRow.payload, InboxRow.sender, InboxRow.error))).all()
    kept = " ".join(f"{p} {s} {e}" for p, s, e in rows)
    assert "zorblax" not in kept and str(ANNA) not in kept and "Anna" not in kept
    # Boris's update is his: the channel noted who sent each while polling.
    assert (None, str(BORIS)) in {(e, s) for _, s, e in rows}


async def test_polling_waits_out_a_database_outage(
    api: BotApiStandIn,
    scripted: ScriptedDispatcher,
    flaky_db: FlakyDatabase,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    channel = _channel(api, scripted, flaky_db)
    async with running(channel):
        api.customer_says(ANNA, "hello")
        await api.wait_for(lambda: len(api.to(ANNA)) == 1)
        flaky_db.down = True
        api.customer_says(ANNA, "what are your opening hours?")
        first_unstored = api.customer_says(BORIS, "hello", name="Boris")
        await asyncio.sleep(1.0)
        # Nothing stored, nothing confirmed: Telegram still holds both updates.
        assert len(api.updates) >= 2 and api.updates[-1]["update_id"] == first_unstored
        assert len(api.to(ANNA)) == 1 and api.to(BORIS) == []
        flaky_db.down = False
        back = time.monotonic()
        await api.wait_for(lambda: len(api.to(ANNA)) == 2 and len(api.to(BORIS)) == 1, 10)
        assert time.monotonic() - back < 5
    history = await _history(flaky_db, ANNA)
    assert [d for d, _, _ in history] == [Direction.IN, Direction.OUT] * 2  # each once
    assert all(sent for d, _, sent in history if d is Direction.OUT)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and warnings[0].startswith("the database is unavailable")
    infos = [r.getMessage() for r in caplog.records if "is back after" in r.getMessage()]
    assert len(infos) == 1
    assert not any(r.exc_info for r in caplog.records)


async def test_a_turn_cut_by_the_outage_is_answered_once_it_is_back(
    api: BotApiStandIn, scripted: ScriptedDispatcher, flaky_db: FlakyDatabase
) -> None:
    channel = _channel(api, scripted, flaky_db)
    async with started(channel):
        api.customer_says(ANNA, "hello")
        api.customer_says(ANNA, "what are your opening hours?")
        original = scripted.handle

        async def cut(message: InboundMessage) -> list[Reply]:
            if "hours" in message.text:
                flaky_db.down = True  # the database goes away in the middle of this turn
            return await original(message)

        scripted.handle = cut  # type: ignore[method-assign]
        with pytest.raises(StoreUnavailable):
            await channel.poll_once()
        assert len(api.to(ANNA)) == 1
        flaky_db.down = False
        scripted.handle = original  # type: ignore[method-assign]
        await channel.recover()
        await channel.drain()
        assert [s.text.startswith("Hi") for s in api.to(ANNA)] == [True, False]
        assert "Monday" in api.to(ANNA)[1].text
        assert await flaky_db.inbox.failed() == []  # an outage is not a failed attempt
        assert await flaky_db.inbox.pending(CHANNEL) == []


async def test_a_reply_delivered_while_the_database_was_away_is_not_sent_twice(
    api: BotApiStandIn, scripted: ScriptedDispatcher, flaky_db: FlakyDatabase
) -> None:
    channel = _channel(api, scripted, flaky_db)
    async with started(channel):
        _, stored = await _unsent_reply(flaky_db)
        flaky_db.down = True
        await channel.send(ANNA, Reply(stored.text, record_id=stored.id))  # delivered
        assert len(api.to(ANNA)) == 1
        flaky_db.down = False
        await channel.resend_unsent()  # still unmarked in the database: not sent again
        assert len(api.to(ANNA)) == 1
        await channel.recover()  # marks it
        assert await flaky_db.messages.unsent() == []
        await channel.resend_unsent()
        assert len(api.to(ANNA)) == 1


async def test_a_reply_delivered_while_the_database_was_away_survives_a_kill_9(
    api: BotApiStandIn, scripted: ScriptedDispatcher, flaky_db: FlakyDatabase, tmp_path: Path
) -> None:
    journal = str(tmp_path / "journal")
    first = _channel(api, scripted, flaky_db, sent_journal=journal)
    async with started(first):
        customer_id, stored = await _unsent_reply(flaky_db)
        flaky_db.down = True
        await first.send(ANNA, Reply(stored.text, record_id=stored.id))  # delivered, not marked
        assert len(api.to(ANNA)) == 1
        # kill -9: the first process is gone with its memory (no stop, no recover); the
        # database comes back and the process manager starts a new one.
        flaky_db.down = False
        async with started(_channel(api, scripted, flaky_db, sent_journal=journal)):
            assert len(api.to(ANNA)) == 1  # not sent again
            history = await flaky_db.messages.history(customer_id)
            (marked,) = [m for m in history if m.id == stored.id]
            assert marked.sent_at is not None
            assert marked.external_id == f"{ANNA}:{api.to(ANNA)[0].message_id}"
            assert list((tmp_path / "journal").iterdir()) == []  # all marked: nothing kept


async def test_a_kill_9_while_the_database_marks_a_delivered_reply_does_not_repeat_it(
    api: BotApiStandIn, scripted: ScriptedDispatcher, flaky_db: FlakyDatabase, tmp_path: Path
) -> None:
    journal = str(tmp_path / "journal")
    first = _channel(api, scripted, flaky_db, sent_journal=journal)
    async with started(first):
        _, stored = await _unsent_reply(flaky_db)

        async def slow_mark(sent: Sequence[tuple[Reply, str | None]]) -> None:
            await asyncio.Event().wait()  # the database has not answered yet

        scripted.mark_sent_many = slow_mark  # type: ignore[method-assign]
        sending = asyncio.create_task(first.send(ANNA, Reply(stored.text, record_id=stored.id)))
        await api.wait_for(lambda: len(api.to(ANNA)) == 1)
        sending.cancel()  # kill -9 here: delivered, never marked
        del scripted.mark_sent_many
        async with started(_channel(api, scripted, flaky_db, sent_journal=journal)):
            assert len(api.to(ANNA)) == 1  # not sent again
            assert await flaky_db.messages.unsent() == []


async def test_a_kill_9_between_a_turns_replies_and_their_one_mark_repeats_none(
    api: BotApiStandIn, scripted: ScriptedDispatcher, flaky_db: FlakyDatabase, tmp_path: Path
) -> None:
    # A turn's replies are marked in one write after the last is delivered: the first waits
    # for the others' delivery and the write, and a kill -9 in between must not send it again.
    journal = str(tmp_path / "journal")
    first = _channel(api, scripted, flaky_db, sent_journal=journal)
    async with started(first):
        customer_id, one = await _unsent_reply(flaky_db)
        two, _ = await flaky_db.messages.record(
            customer_id=customer_id,
            channel=CHANNEL,
            direction=Direction.OUT,
            sender=Sender.BOT,
            text="It should reach you on Friday.",
        )

        async def slow_mark(sent: Sequence[tuple[Reply, str | None]]) -> None:
            await asyncio.Event().wait()  # the database has not answered yet

        scripted.mark_sent_many = slow_mark  # type: ignore[method-assign]
        replies = [Reply(one.text, record_id=one.id), Reply(two.text, record_id=two.id)]
        sending = asyncio.create_task(first.send_all(ANNA, replies))
        await api.wait_for(lambda: len(api.to(ANNA)) == 2)
        await first.resend_unsent()  # this process, meanwhile: both are delivered
        assert len(api.to(ANNA)) == 2
        sending.cancel()  # kill -9 here: delivered, never marked
        del scripted.mark_sent_many
        assert {m.id for m in await flaky_db.messages.unsent()} == {one.id, two.id}
        async with started(_channel(api, scripted, flaky_db, sent_journal=journal)):
            assert len(api.to(ANNA)) == 2  # neither sent again
            assert await flaky_db.messages.unsent() == []


async def test_webhook_answers_503_while_the_database_is_away(
    api: BotApiStandIn, scripted: ScriptedDispatcher, flaky_db: FlakyDatabase
) -> None:
    channel, port = _channel(api, scripted, flaky_db), free_port()
    url = f"http://127.0.0.1:{port}/hook"
    async with started(channel, webhook=True), serving_webhook(channel, port) as server:
        async with httpx.AsyncClient() as client:
            await until_listening(port)
            assert (await client.post(url, json=_update(1, "hello", ANNA))).status_code == 200
            await api.wait_for(lambda: len(api.to(ANNA)) == 1)
            flaky_db.down = True
            update = _update(2, "what are your opening hours?", ANNA)
            assert (await client.post(url, json=update)).status_code == 503
            assert (await client.post(url, json=update)).status_code == 503
            flaky_db.down = False
            assert (await client.post(url, json=update)).status_code == 200  # Telegram retried
            await api.wait_for(lambda: len(api.to(ANNA)) == 2)
            assert (await client.post(url, json=update)).status_code == 200  # a redelivery
            await asyncio.sleep(0.3)
        assert "Monday" in api.to(ANNA)[1].text and len(api.to(ANNA)) == 2
        assert not server.done()


async def test_webhook_drains_what_start_could_not_once_the_database_is_back(
    api: BotApiStandIn, scripted: ScriptedDispatcher, flaky_db: FlakyDatabase
) -> None:
    # Stored by a worker killed before it answered; the next start drains the inbox, and
    # the database goes away in the middle of that turn.
    await flaky_db.inbox.put(
        CHANNEL, 1, json.dumps(_update(1, "what are your opening hours?", ANNA))
    )
    answer = scripted.handle

    async def cut(message: InboundMessage) -> list[Reply]:
        scripted.handle = answer  # type: ignore[method-assign]
        flaky_db.down = True
        raise StoreUnavailable("database postgresql unavailable: connection refused")

    scripted.handle = cut  # type: ignore[method-assign]
    channel = _channel(api, scripted, flaky_db)
    async with started(channel, webhook=True):
        assert channel.database.away and [i.update_id for i in await _pending(flaky_db)] == [1]
        async with serving_webhook(channel, free_port()) as server:
            await asyncio.sleep(0.5)
            assert api.to(ANNA) == []
            flaky_db.down = False  # back; Telegram has nothing new to deliver
            await api.wait_for(lambda: len(api.to(ANNA)) == 1, 10)
            assert "Monday" in api.to(ANNA)[0].text
            for _ in range(100):  # the row is marked done just after the reply is sent
                if not await flaky_db.inbox.pending(CHANNEL):
                    break
                await asyncio.sleep(0.05)
            assert await flaky_db.inbox.pending(CHANNEL) == []
            assert not server.done()


async def _pending(db: FlakyDatabase) -> list[Any]:
    down, db.down = db.down, False
    try:
        return list(await db.inbox.pending(CHANNEL))
    finally:
        db.down = down


async def test_an_agents_close_keeps_its_place_among_customer_messages(
    api: BotApiStandIn, scripted: ScriptedDispatcher, flaky_db: FlakyDatabase
) -> None:
    channel = _channel(api, scripted, flaky_db)
    async with started(channel):
        api.customer_says(ANNA, "I want to talk to a human")
        await channel.poll_once()
        (post,) = api.to(AGENTS)
        api.agent_says(MARIA, AGENTS, "Hi Anna, Maria here.", reply_to=post)
        await channel.poll_once()
        before = len(api.to(ANNA))
        scripted.pause = 0.2  # customers' turns take a while: an overtaking close would win
        # One page: Anna writes, Maria closes the case, Anna writes again.
        api.customer_says(ANNA, "thanks, when will it arrive?")
        api.agent_says(MARIA, AGENTS, "/close", reply_to=post)
        api.customer_says(ANNA, "what are your opening hours?")
        await channel.poll_once()
        # Before the close, the agent owned the chat: the words went to the agents.
        assert "💬 #1 Anna: thanks, when will it arrive?" in [s.text for s in api.to(AGENTS)]
        after = [s.text for s in api.to(ANNA)[before:]]
        # Then the close (its survey), then the bot answers again.
        assert len(after) == 2 and "How satisfied" in after[0] and "Monday" in after[1]


async def test_two_chats_turns_overlap(
    api: BotApiStandIn, scripted: ScriptedDispatcher, flaky_db: FlakyDatabase
) -> None:
    channel = _channel(api, scripted, flaky_db)
    async with started(channel):
        scripted.pause = 0.3
        for text in ("hello", "what are your opening hours?"):
            api.customer_says(ANNA, text)
            api.customer_says(BORIS, text, name="Boris")
        await channel.poll_once()
        anna = [(t, s, e) for u, t, s, e in scripted.turns if u == str(ANNA)]
        boris = [(t, s, e) for u, t, s, e in scripted.turns if u == str(BORIS)]
        assert [t for t, _, _ in anna] == [t for t, _, _ in boris] == [
            "hello",
            "what are your opening hours?",
        ]
        # Each chat in order; the two chats side by side (their first turns overlap).
        assert anna[0][2] <= anna[1][1] and boris[0][2] <= boris[1][1]
        assert anna[0][1] < boris[0][2] and boris[0][1] < anna[0][2]




async def test_a_row_that_is_no_telegram_update_is_parked_and_the_rest_answered(
    api: BotApiStandIn, scripted: ScriptedDispatcher, flaky_db: FlakyDatabase
) -> None:
    # Stored as received (the webhook keeps what it cannot read): reading it must not stop
    # the inbox for every chat behind it, nor end the worker.
    await flaky_db.inbox.put(CHANNEL, 0, json.dumps({"update_id": 0, "message": {"oops": 1}}))
    channel = _channel(api, scripted, flaky_db)
    async with running(channel):
        api.customer_says(ANNA, "what are your opening hours?")
        await api.wait_for(lambda: len(api.to(ANNA)) == 1, 10)
    (parked,) = await flaky_db.inbox.failed()
    assert parked.update_id == 0 and parked.error is not None
    assert parked.error.startswith("unreadable update")
    assert await flaky_db.inbox.pending(CHANNEL) == []
