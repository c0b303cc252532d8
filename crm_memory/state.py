"""Short-lived state shared between bot workers: in Redis, or in-process for one worker."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

import redis.asyncio as redis
from redis.asyncio.client import PubSub
from redis.exceptions import LockError, RedisError

from crm_memory.clock import current_time
from crm_memory.errors import ChatBusy, StoreUnavailable
from crm_memory.source import current_source
from crm_memory.types import ChatOwner

logger = logging.getLogger(__name__)


def _encode_owner(owner: ChatOwner) -> str:
    since = (owner.since or current_time()).isoformat()
    return json.dumps({"agent": owner.agent, "case": owner.case_number, "since": since})


def _decode_owner(raw: str | bytes | None) -> ChatOwner:
    if raw is None:
        return ChatOwner()
    data = json.loads(raw)
    since = datetime.fromisoformat(data["since"]) if data.get("since") else None
    return ChatOwner(agent=data.get("agent"), case_number=data.get("case"), since=since)


@dataclass(slots=True)
class _Entry:
    value: str
    expires: float


SWEEP_SECONDS = 60.0


def _hit_by(counter: str, message_id: int) -> str:
    """Beside a counter: the count it gave the turn answering ``message_id`` (the counter's
    name first, so that erasing a chat's counters erases these too)."""
    return f"{counter}:by:{message_id}"


# KEYS[1] the counter, KEYS[2] the count it gave this message; ARGV[1] the window, ms. A
# repeated turn (crm_memory.source) gets the count its first run got: its message is
# counted once, and it takes the same path as the first time.
_HIT_ONCE = """
local seen = redis.call('GET', KEYS[2])
if seen then return tonumber(seen) end
local count = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1], 'NX')
redis.call('SET', KEYS[2], count, 'PX', ARGV[1])
return count
"""


class MemoryConversationState:
    """In-process stand-in for Redis: right for one worker, lost on restart.

    Args:
        clock: monotonic seconds; tests pass a fake one to move time.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._owners: dict[str, ChatOwner] = {}
        self._values: dict[tuple[str, str], _Entry] = {}
        self._counters: dict[str, _Entry] = {}
        self._keys: dict[str, float] = {}
        # The message whose turn set a key (crm_memory.source): its repeated turn asks again.
        self._key_source: dict[str, int] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._subscribers: dict[str, set[asyncio.Queue[str]]] = {}
        # Expired counters and values are swept at most once a minute: a counter per website
        # visitor (rate limits) must not outlive the visitor in a long-running process.
        self._next_sweep = clock() + SWEEP_SECONDS

    def _sweep(self, at: float) -> None:
        if at < self._next_sweep:
            return
        self._next_sweep = at + SWEEP_SECONDS
        self._counters = {k: e for k, e in self._counters.items() if e.expires > at}
        self._values = {k: e for k, e in self._values.items() if e.expires > at}
        self._keys = {k: t for k, t in self._keys.items() if t > at}
        self._key_source = {k: m for k, m in self._key_source.items() if k in self._keys}

    async def owner(self, chat: str) -> ChatOwner:
        return self._owners.get(chat, ChatOwner())

    async def claim(self, chat: str, owner: ChatOwner, *, force: bool = False) -> bool:
        if owner.is_bot:
            raise ValueError("claim a chat for an agent; use release() to give it to the bot")
        if chat in self._owners and not force:
            return False
        self._owners[chat] = owner if owner.since else replace(owner, since=current_time())
        return True

    async def release(self, chat: str) -> None:
        self._owners.pop(chat, None)

    @asynccontextmanager
    async def lock(self, chat: str, *, wait: float = 10.0) -> AsyncIterator[None]:
        lock = self._locks.setdefault(chat, asyncio.Lock())
        try:
            async with asyncio.timeout(wait):
                await lock.acquire()
        except TimeoutError as exc:
            raise ChatBusy(f"chat {chat} stayed locked for {wait}s", store="state") from exc
        try:
            yield
        finally:
            lock.release()
            if not lock.locked() and self._locks.get(chat) is lock:
                del self._locks[chat]

    async def get(self, chat: str, key: str) -> str | None:
        entry = self._values.get((chat, key))
        if entry is None:
            return None
        if entry.expires <= self._clock():
            del self._values[(chat, key)]
            return None
        return entry.value

    async def set(self, chat: str, key: str, value: str, *, ttl: float) -> None:
        at = self._clock()
        self._sweep(at)
        self._values[(chat, key)] = _Entry(value, at + ttl)

    async def delete(self, chat: str, key: str) -> None:
        self._values.pop((chat, key), None)

    async def hit(self, counter: str, *, window: float) -> int:
        at = self._clock()
        self._sweep(at)
        source = current_source()
        seen = self._counters.get(_hit_by(counter, source.message_id)) if source else None
        if seen is not None and seen.expires > at:
            return int(seen.value)  # a repeated turn: its message was counted already
        entry = self._counters.get(counter)
        if entry is None or entry.expires <= at:
            entry = _Entry("0", at + window)
            self._counters[counter] = entry
        entry.value = str(int(entry.value) + 1)
        if source is not None:
            self._counters[_hit_by(counter, source.message_id)] = _Entry(entry.value, at + window)
        return int(entry.value)

    async def first_time(self, key: str, *, ttl: float) -> bool:
        at = self._clock()
        source = current_source()
        first = source is not None and source.next("once", key) == 1
        if self._keys.get(key, 0.0) > at:
            return first and source is not None and self._key_source.get(key) == source.message_id
        self._keys[key] = at + ttl
        if source is not None:
            self._key_source[key] = source.message_id
        else:
            self._key_source.pop(key, None)
        if len(self._keys) > 100_000:  # keep the stand-in bounded on a long run
            self._keys = {k: t for k, t in self._keys.items() if t > at}
            self._key_source = {k: m for k, m in self._key_source.items() if k in self._keys}
        return True

    async def forget_chat(self, chat: str) -> None:
        self._owners.pop(chat, None)
        for key in [k for k in self._values if k[0] == chat]:
            del self._values[key]
        for counter in [c for c in self._counters if c.startswith(f"{chat}:")]:
            del self._counters[counter]
        for once in [k for k in self._keys if k.startswith(f"{chat}:")]:
            del self._keys[once]

    async def publish(self, topic: str, data: str) -> None:
        for queue in self._subscribers.get(topic, set()):
            queue.put_nowait(data)

    async def subscribe(self, topic: str) -> AsyncIterator[str]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        self._subscribers.setdefault(topic, set()).add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            # The last listener gone (the visitor left): the topic goes too.
            listeners = self._subscribers.get(topic)
            if listeners is not None:
                listeners.discard(queue)
                if not listeners:
                    del self._subscribers[topic]

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        return None


class RedisConversationState:
    """Conversation state in Redis, shared by every bot worker.

    Args:
        url: ``redis://host:port/db``.
        prefix: prepended to every key, so several bots can share one Redis.
    """

    def __init__(self, url: str, *, prefix: str = "crmbot:") -> None:
        self._redis = redis.Redis.from_url(
            url, decode_responses=True, socket_connect_timeout=3, socket_timeout=5
        )
        self._p = prefix
        self._topics = _Topics(self._redis, f"{prefix}topic:")
        self._hit_once = self._redis.register_script(_HIT_ONCE)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except RedisError as exc:
            raise StoreUnavailable(f"redis unavailable: {exc}", store="state") from exc

    def _owner_key(self, chat: str) -> str:
        return f"{self._p}owner:{chat}"

    def _value_key(self, chat: str, key: str) -> str:
        return f"{self._p}state:{chat}:{key}"

    async def owner(self, chat: str) -> ChatOwner:
        with self._guard():
            return _decode_owner(await self._redis.get(self._owner_key(chat)))

    async def claim(self, chat: str, owner: ChatOwner, *, force: bool = False) -> bool:
        if owner.is_bot:
            raise ValueError("claim a chat for an agent; use release() to give it to the bot")
        with self._guard():
            done = await self._redis.set(self._owner_key(chat), _encode_owner(owner), nx=not force)
            return bool(done)

    async def release(self, chat: str) -> None:
        with self._guard():
            await self._redis.delete(self._owner_key(chat))

    @asynccontextmanager
    async def lock(self, chat: str, *, wait: float = 10.0) -> AsyncIterator[None]:
        # The lock expires on its own after `wait`, so a crashed worker cannot wedge a chat.
        lock = self._redis.lock(
            f"{self._p}lock:{chat}", timeout=wait, blocking_timeout=wait, sleep=0.005
        )
        with self._guard():
            acquired = await lock.acquire()
        if not acquired:
            raise ChatBusy(f"chat {chat} stayed locked for {wait}s", store="state")
        try:
            yield
        finally:
            try:
                await lock.release()
            except LockError:
                logger.warning("lock on chat %s expired before release", chat)
            except RedisError as exc:
                raise StoreUnavailable(f"redis unavailable: {exc}", store="state") from exc

    async def get(self, chat: str, key: str) -> str | None:
        with self._guard():
            value = await self._redis.get(self._value_key(chat, key))
            return None if value is None else str(value)

    async def set(self, chat: str, key: str, value: str, *, ttl: float) -> None:
        with self._guard():
            await self._redis.set(self._value_key(chat, key), value, px=max(1, int(ttl * 1000)))

    async def delete(self, chat: str, key: str) -> None:
        with self._guard():
            await self._redis.delete(self._value_key(chat, key))

    async def hit(self, counter: str, *, window: float) -> int:
        key = f"{self._p}hit:{counter}"
        window_ms = max(1, int(window * 1000))
        source = current_source()
        with self._guard():
            if source is not None:
                # In one step: the counter and, beside it, what it said to this message.
                by = f"{self._p}hit:{_hit_by(counter, source.message_id)}"
                return int(await self._hit_once(keys=[key, by], args=[window_ms]))
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(key)
                pipe.pexpire(key, window_ms, nx=True)
                count, _ = await pipe.execute()
            return int(count)

    async def first_time(self, key: str, *, ttl: float) -> bool:
        source = current_source()
        # The key holds the message whose turn set it: that turn, run again, is let through
        # once more (its earlier run was cut before the turn's closing write).
        mark = str(source.message_id) if source is not None else "1"
        first = source is not None and source.next("once", key) == 1
        with self._guard():
            done = await self._redis.set(
                f"{self._p}once:{key}", mark, nx=True, px=max(1, int(ttl * 1000))
            )
            if done or not first:
                return bool(done)
            return bool(await self._redis.get(f"{self._p}once:{key}") == mark)

    async def forget_chat(self, chat: str) -> None:
        with self._guard():
            keys = [self._owner_key(chat)]
            async for key in self._redis.scan_iter(match=f"{self._p}state:{chat}:*"):
                keys.append(key)
            for kind in ("hit", "once"):
                async for key in self._redis.scan_iter(match=f"{self._p}{kind}:{chat}:*"):
                    keys.append(key)
            await self._redis.delete(*keys)

    async def publish(self, topic: str, data: str) -> None:
        with self._guard():
            await self._redis.publish(f"{self._p}topic:{topic}", data)

    async def subscribe(self, topic: str) -> AsyncIterator[str]:
        # Through the process's one subscription (see _Topics), not a connection per
        # listener: a worker with 500 visitors' sockets holds one pub/sub connection.
        queue = await self._topics.join(topic)
        try:
            while True:
                data = await queue.get()
                if data is None:
                    raise StoreUnavailable("redis unavailable: pub/sub lost", store="state")
                yield data
        finally:
            self._topics.leave(topic, queue)

    async def ping(self) -> None:
        with self._guard():
            await self._redis.ping()

    async def close(self) -> None:
        await self._topics.close()
        await self._redis.aclose()


def _glob_escaped(text: str) -> str:
    """``text`` matched literally in a Redis glob pattern."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


class _Topics:
    """One process's pub/sub: a single pattern subscription to every topic on its own
    connection, fanned out to this process's listeners by topic.

    A connection per listener (each visitor's socket, each desk page) would cost Redis a
    client per open page, and each would subscribe only after its own round trip. Here the
    subscription is confirmed once, when the first listener joins; a listener that joins
    later hears everything published after ``join`` returns. When the connection fails (and
    redis-py's own retries did not restore it), every listener is told (None), and the next
    ``join`` subscribes afresh.
    """

    def __init__(self, redis_client: redis.Redis, prefix: str) -> None:
        self._redis = redis_client
        self._channel_prefix = prefix
        self._pattern = _glob_escaped(prefix) + "*"
        self._queues: dict[str, set[asyncio.Queue[str | None]]] = {}
        self._reader: asyncio.Task[None] | None = None
        self._starting = asyncio.Lock()

    async def join(self, topic: str) -> asyncio.Queue[str | None]:
        """A queue of what is published on ``topic`` from now on.

        Raises:
            StoreUnavailable: Redis cannot be reached.
        """
        async with self._starting:
            if self._reader is None or self._reader.done():
                await self._start()
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._queues.setdefault(topic, set()).add(queue)
        return queue

    def leave(self, topic: str, queue: asyncio.Queue[str | None]) -> None:
        listeners = self._queues.get(topic)
        if listeners is not None:
            listeners.discard(queue)
            if not listeners:  # the visitor left: nothing kept for them
                del self._queues[topic]

    @property
    def listeners(self) -> int:
        """Queues joined now (tests, metrics)."""
        return sum(len(q) for q in self._queues.values())

    async def _start(self) -> None:
        pubsub = self._redis.pubsub()
        try:
            with _redis_guard():
                await pubsub.psubscribe(self._pattern)
                # Confirmed before anyone is told they listen: what is published after
                # `join` returns is heard.
                async with asyncio.timeout(10):
                    while True:
                        message = await pubsub.get_message(timeout=5.0)
                        if message is not None and message.get("type") == "psubscribe":
                            break
        except BaseException:
            await pubsub.aclose()  # type: ignore[no-untyped-call, unused-ignore]
            raise
        self._reader = asyncio.create_task(self._read(pubsub))

    async def _read(self, pubsub: PubSub) -> None:
        failed = True
        try:
            while True:
                message = await pubsub.get_message(timeout=30.0)
                if message is None or message.get("type") != "pmessage":
                    continue
                topic = str(message["channel"]).removeprefix(self._channel_prefix)
                for queue in self._queues.get(topic, ()):
                    queue.put_nowait(str(message["data"]))
        except asyncio.CancelledError:
            failed = False  # closed
            raise
        except (RedisError, OSError) as exc:
            logger.warning("Redis pub/sub connection lost (%s); listeners resubscribe", exc)
        finally:
            if failed:  # however the reading ended: no listener waits for it forever
                for listeners in self._queues.values():
                    for queue in listeners:
                        queue.put_nowait(None)
                self._queues.clear()
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call, unused-ignore]

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
            self._reader = None


@contextmanager
def _redis_guard() -> Iterator[None]:
    try:
        yield
    except (RedisError, OSError, TimeoutError) as exc:
        raise StoreUnavailable(f"redis unavailable: {exc}", store="state") from exc


def open_state(
    url: str | None, *, prefix: str = "crmbot:"
) -> MemoryConversationState | RedisConversationState:
    """Redis when a URL is given, else the in-process stand-in."""
    if url:
        return RedisConversationState(url, prefix=prefix)
    return MemoryConversationState()
