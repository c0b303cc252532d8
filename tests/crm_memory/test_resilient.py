"""ResilientConversationState: serving through a Redis outage, owners from SQL, one log line."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager

import pytest

from crm_memory import (
    ChatBusy,
    ChatOwner,
    MemoryConversationState,
    ResilientConversationState,
    SqlDatabase,
    StoreUnavailable,
)
from tests.conftest import FakeClock


class FlakyState(MemoryConversationState):
    """The in-process state, but every call raises StoreUnavailable while ``down``."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False
        self.calls = 0

    def _check(self) -> None:
        self.calls += 1
        if self.down:
            raise StoreUnavailable("redis unavailable: Connection refused")

    async def get(self, chat: str, key: str) -> str | None:
        self._check()
        return await super().get(chat, key)

    async def set(self, chat: str, key: str, value: str, *, ttl: float) -> None:
        self._check()
        await super().set(chat, key, value, ttl=ttl)

    async def hit(self, counter: str, *, window: float) -> int:
        self._check()
        return await super().hit(counter, window=window)

    async def first_time(self, key: str, *, ttl: float) -> bool:
        self._check()
        return await super().first_time(key, ttl=ttl)

    def lock(self, chat: str, *, wait: float = 10.0) -> AbstractAsyncContextManager[None]:
        self._check()
        return super().lock(chat, wait=wait)

    async def subscribe(self, topic: str) -> AsyncIterator[str]:
        self._check()
        async for data in super().subscribe(topic):
            yield data


@pytest.fixture
def flaky() -> FlakyState:
    return FlakyState()


@pytest.fixture
def resilient(
    flaky: FlakyState, sqlite_db: SqlDatabase, clock: FakeClock
) -> ResilientConversationState:
    return ResilientConversationState(flaky, owners=sqlite_db.owners, clock=clock)


async def test_serves_through_an_outage_and_says_so_once(
    resilient: ResilientConversationState,
    flaky: FlakyState,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="crm_memory.resilient")
    await resilient.set("c", "topic", "before", ttl=60)
    flaky.down = True
    # Short-lived state degrades: the stand-in answers, counters start from zero.
    assert await resilient.get("c", "topic") is None
    await resilient.set("c", "topic", "during", ttl=60)
    assert await resilient.get("c", "topic") == "during"
    assert [await resilient.hit("c:flood", window=10) for _ in range(3)] == [1, 2, 3]
    assert await resilient.first_time("resend:1", ttl=60)
    assert not await resilient.first_time("resend:1", ttl=60)
    async with resilient.lock("c"):
        pass
    assert resilient.degraded
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "Redis is unavailable" in warnings[0].getMessage()
    assert not any(r.exc_info for r in caplog.records)

    flaky.down = False
    clock.now += 12.5
    # Back: the primary is the reference again; what the stand-in held is dropped.
    assert await resilient.get("c", "topic") == "before"
    assert not resilient.degraded
    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert infos == ["Redis is back after 12.5 s"]
    flaky.down = True
    clock.now += 1
    assert await resilient.get("c", "topic") is None  # not the value from the last outage


async def test_tries_the_primary_again_only_after_a_pause(
    resilient: ResilientConversationState, flaky: FlakyState, clock: FakeClock
) -> None:
    flaky.down = True
    await resilient.get("c", "k")
    tried = flaky.calls
    for _ in range(20):
        await resilient.get("c", "k")
    assert flaky.calls == tried  # no server round trip per call while it is away
    clock.now += 1.0
    await resilient.get("c", "k")
    assert flaky.calls == tried + 1


async def test_lock_keeps_one_chat_in_order_while_redis_is_away(
    resilient: ResilientConversationState, flaky: FlakyState
) -> None:
    flaky.down = True
    inside = 0
    most = 0

    async def turn() -> None:
        nonlocal inside, most
        async with resilient.lock("c"):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.01)
            inside -= 1

    await asyncio.gather(*(turn() for _ in range(5)))
    assert most == 1


async def test_a_chat_held_elsewhere_is_not_an_outage(
    sqlite_db: SqlDatabase, clock: FakeClock
) -> None:
    primary = MemoryConversationState()
    resilient = ResilientConversationState(primary, owners=sqlite_db.owners, clock=clock)
    async with primary.lock("c"):  # another worker holds the chat
        with pytest.raises(ChatBusy):
            async with resilient.lock("c", wait=0.05):
                pass
    assert not resilient.degraded


async def test_owner_lives_in_sql_and_survives_an_empty_redis(
    resilient: ResilientConversationState, flaky: FlakyState, sqlite_db: SqlDatabase
) -> None:
    maria = ChatOwner(agent="maria", case_number=4)
    assert await resilient.claim("telegram:9", maria)
    flaky.down = True  # Redis away, then back empty: the owner does not depend on it
    assert await resilient.owner("telegram:9") == maria
    restarted = ResilientConversationState(MemoryConversationState(), owners=sqlite_db.owners)
    assert await restarted.owner("telegram:9") == maria
    await restarted.forget_chat("telegram:9")
    assert (await resilient.owner("telegram:9")).is_bot


async def test_live_updates_resume_after_an_outage(
    sqlite_db: SqlDatabase, flaky: FlakyState
) -> None:
    resilient = ResilientConversationState(flaky, owners=sqlite_db.owners, retry_every=0.01)
    flaky.down = True
    received = resilient.subscribe("desk")
    reader = asyncio.create_task(anext(received))
    await asyncio.sleep(0.05)  # subscribing fails while Redis is away
    flaky.down = False
    for _ in range(100):
        await asyncio.sleep(0.01)
        await flaky.publish("desk", "case 4 updated")
        if reader.done():
            break
    assert reader.result() == "case 4 updated"
    await received.aclose()


class StaleState(FlakyState):
    """A primary back from a restart whose pool still holds ``stale`` connections from
    before it: each fails once, "Connection closed by server", then works."""

    def __init__(self, stale: int) -> None:
        super().__init__()
        self.stale = stale

    def _check(self) -> None:
        if self.stale:
            self.calls += 1
            self.stale -= 1
            raise StoreUnavailable("redis unavailable: Connection closed by server.")
        super()._check()


async def test_stale_connections_after_a_restart_are_no_new_outage(
    sqlite_db: SqlDatabase, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="crm_memory.resilient")
    stale = StaleState(stale=3)
    resilient = ResilientConversationState(stale, owners=sqlite_db.owners, clock=clock)
    # Three pooled connections closed by the restarted server, one after another: tried
    # past, the value set in Redis, no outage said.
    await resilient.set("c", "topic", "kept", ttl=60)
    assert not resilient.degraded
    assert await resilient.get("c", "topic") == "kept"
    assert not [r for r in caplog.records if r.levelno == logging.WARNING]
    stale.stale = 2
    async with resilient.lock("c"):
        pass
    assert not resilient.degraded
    # A store that refuses is away at once (tried twice, as before), not tried four times.
    stale.down, stale.calls = True, 0
    assert await resilient.get("c", "topic") is None
    assert resilient.degraded and stale.calls == 2
