"""Contract tests for ConversationState: the in-process stand-in and (when set) Redis."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import redis.asyncio as redis

from crm_memory import (
    ChatOwner,
    MemoryConversationState,
    RedisConversationState,
    StoreUnavailable,
    answering,
    use_clock,
)
from tests.conftest import REDIS_URL

State = MemoryConversationState | RedisConversationState


class TestConversationState:
    async def test_owner_defaults_to_bot(self, state: State) -> None:
        assert (await state.owner("telegram:1")).is_bot

    async def test_claim_is_exclusive_until_released(self, state: State) -> None:
        maria = ChatOwner(agent="maria", case_number=7)
        assert await state.claim("telegram:1", maria)
        assert not await state.claim("telegram:1", ChatOwner(agent="tom", case_number=7))
        assert await state.owner("telegram:1") == maria
        assert await state.claim("telegram:1", ChatOwner(agent="tom", case_number=7), force=True)
        assert (await state.owner("telegram:1")).agent == "tom"
        await state.release("telegram:1")
        assert (await state.owner("telegram:1")).is_bot
        assert (await state.owner("telegram:2")).is_bot

    async def test_the_owner_says_since_when(self, state: State) -> None:
        # When the agent took the chat: stamped at the claim (CRM memory's clock), or as given.
        taken = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
        with use_clock(lambda: taken):
            await state.claim("telegram:1", ChatOwner(agent="maria", case_number=7))
        assert (await state.owner("telegram:1")).since == taken
        later = taken + timedelta(hours=3)
        await state.claim("telegram:1", ChatOwner(agent="tom", since=later), force=True)
        assert (await state.owner("telegram:1")).since == later

    async def test_claim_for_bot_is_refused(self, state: State) -> None:
        with pytest.raises(ValueError, match="release"):
            await state.claim("telegram:1", ChatOwner())

    async def test_concurrent_claims_have_one_winner(self, state: State) -> None:
        wins = await asyncio.gather(
            *(state.claim("c", ChatOwner(agent=f"a{i}", case_number=1)) for i in range(10))
        )
        assert sum(wins) == 1

    async def test_values_expire(self, state: State) -> None:
        await state.set("c", "fallbacks", "1", ttl=0.2)
        await state.set("c", "lang", "zh", ttl=60)
        assert await state.get("c", "fallbacks") == "1"
        await asyncio.sleep(0.35)
        assert await state.get("c", "fallbacks") is None
        assert await state.get("c", "lang") == "zh"
        await state.delete("c", "lang")
        assert await state.get("c", "lang") is None

    async def test_hit_counts_within_a_window(self, state: State) -> None:
        counts = [await state.hit("c:flood", window=0.3) for _ in range(3)]
        assert counts == [1, 2, 3]
        await asyncio.sleep(0.45)
        assert await state.hit("c:flood", window=0.3) == 1

    async def test_a_repeated_turn_is_counted_once(self, state: State) -> None:
        """A turn run again for its message (crm_memory.source) gets the count its first run
        got, and the next message counts on from there."""
        with answering(7):
            assert await state.hit("c:flood", window=60) == 1
        with answering(8):
            assert await state.hit("c:flood", window=60) == 2
        with answering(8):  # message 8's turn again, after a crash
            assert await state.hit("c:flood", window=60) == 2
        with answering(9):
            assert await state.hit("c:flood", window=60) == 3
        assert await state.hit("c:flood", window=60) == 4  # outside a turn: every call
        await state.forget_chat("c")
        with answering(8):
            assert await state.hit("c:flood", window=60) == 1

    async def test_first_time_is_idempotency(self, state: State) -> None:
        assert await state.first_time("update:1", ttl=60)
        assert not await state.first_time("update:1", ttl=60)
        assert await state.first_time("update:2", ttl=60)

    async def test_lock_serialises_one_chat(self, state: State) -> None:
        order: list[str] = []

        async def work(name: str) -> None:
            async with state.lock("c"):
                order.append(f"{name}-in")
                await asyncio.sleep(0.05)
                order.append(f"{name}-out")

        await asyncio.gather(work("a"), work("b"))
        assert order in (["a-in", "a-out", "b-in", "b-out"], ["b-in", "b-out", "a-in", "a-out"])

    async def test_lock_times_out(self, state: State) -> None:
        async with state.lock("c", wait=5):
            with pytest.raises(StoreUnavailable, match="locked"):
                async with state.lock("c", wait=0.2):
                    pass

    async def test_publish_reaches_subscribers_of_the_topic(self, state: State) -> None:
        received: list[str] = []
        ready = asyncio.Event()

        async def listen() -> None:
            stream = state.subscribe("desk")
            waiting = asyncio.ensure_future(anext(stream))
            await asyncio.sleep(0.2)  # the subscription is in place
            ready.set()
            received.append(await waiting)
            received.append(await anext(stream))
            await stream.aclose()  # type: ignore[attr-defined]

        task = asyncio.create_task(listen())
        await ready.wait()
        await state.publish("other", "not for us")
        await state.publish("desk", "case:1")
        await state.publish("desk", "case:2")
        await asyncio.wait_for(task, 5)
        assert received == ["case:1", "case:2"]

    async def test_forget_chat_erases_everything(self, state: State) -> None:
        await state.claim("c", ChatOwner(agent="maria", case_number=1))
        await state.set("c", "lang", "en", ttl=60)
        await state.set("other", "lang", "zh", ttl=60)
        await state.hit("c:flood", window=60)
        assert await state.first_time("c:offered", ttl=60)
        await state.forget_chat("c")
        assert (await state.owner("c")).is_bot
        assert await state.get("c", "lang") is None
        assert await state.hit("c:flood", window=60) == 1
        assert await state.first_time("c:offered", ttl=60)
        assert await state.get("other", "lang") == "zh"


async def test_unreachable_redis_raises_store_unavailable() -> None:
    state = RedisConversationState("redis://127.0.0.1:1/0")
    with pytest.raises(StoreUnavailable, match="redis unavailable"):
        await state.ping()
    await state.close()


async def _pattern_subscribers(client: redis.Redis) -> int:
    clients = await client.client_list()
    return sum(1 for c in clients if int(c.get("psub", 0)) > 0 or int(c.get("sub", 0)) > 0)


async def test_a_process_listens_to_redis_through_one_connection() -> None:
    """Many listeners (each visitor's socket, each desk page) of one process share one
    pub/sub connection, and each hears only its own topic, also from another process."""
    if not REDIS_URL:
        pytest.skip("Redis: set TEST_REDIS_URL=redis://127.0.0.1:6379/0 to run")
    prefix = f"test:{uuid.uuid4().hex}:"
    here = RedisConversationState(REDIS_URL, prefix=prefix)
    elsewhere = RedisConversationState(REDIS_URL, prefix=prefix)  # another worker's
    probe = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    before = await _pattern_subscribers(probe)
    streams = [here.subscribe(f"widget:v{i}") for i in range(20)]
    waiting = [asyncio.ensure_future(anext(s)) for s in streams]
    try:
        for _ in range(500):  # each one joined (no round trip after the first)
            if here._topics.listeners == 20:
                break
            await asyncio.sleep(0.01)
        assert await _pattern_subscribers(probe) - before == 1
        await elsewhere.publish("widget:v7", "for seven")
        await elsewhere.publish("widget:v3", "for three")
        await elsewhere.publish("widget:nobody", "for nobody here")
        assert await asyncio.wait_for(waiting[7], 5) == "for seven"
        assert await asyncio.wait_for(waiting[3], 5) == "for three"
        await asyncio.sleep(0.2)
        assert [i for i, w in enumerate(waiting) if w.done()] == [3, 7]
    finally:
        for w in waiting:
            w.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)
        for stream in streams:
            await stream.aclose()  # type: ignore[attr-defined]
        assert here._topics.listeners == 0  # the visitors left: nothing kept for them
        await here.close()
        await elsewhere.close()
        await probe.aclose()


async def test_listeners_hear_again_after_the_pubsub_connection_is_killed() -> None:
    """Redis drops the process's one pub/sub connection (a restart, a proxy, CLIENT KILL):
    its listeners are not left waiting forever; they hear what is published afterwards."""
    if not REDIS_URL:
        pytest.skip("Redis: set TEST_REDIS_URL=redis://127.0.0.1:6379/0 to run")
    prefix = f"test:{uuid.uuid4().hex}:"
    here = RedisConversationState(REDIS_URL, prefix=prefix)
    elsewhere = RedisConversationState(REDIS_URL, prefix=prefix)
    probe = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    heard: list[str] = []

    async def listen() -> None:
        # As ResilientConversationState does: subscribe again after StoreUnavailable.
        while True:
            try:
                async for data in here.subscribe("widget:v1"):
                    heard.append(data)
            except StoreUnavailable:
                await asyncio.sleep(0.1)

    listening = asyncio.create_task(listen())
    try:
        for _ in range(100):
            await elsewhere.publish("widget:v1", "before")
            if heard:
                break
            await asyncio.sleep(0.05)
        assert heard[:1] == ["before"]
        killed = await probe.client_kill_filter(_type="pubsub")
        assert killed >= 1
        for _ in range(100):
            await elsewhere.publish("widget:v1", "after")
            if "after" in heard:
                break
            await asyncio.sleep(0.1)
        assert "after" in heard
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)
        await here.close()
        await elsewhere.close()
        await probe.aclose()
