"""Conversation state that keeps serving while Redis is away, with chat owners kept in SQL."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TypeVar

from crm_memory.errors import ChatBusy, StoreUnavailable
from crm_memory.protocols import ChatOwnerStore, ConversationState
from crm_memory.state import MemoryConversationState
from crm_memory.types import ChatOwner

logger = logging.getLogger(__name__)

T = TypeVar("T")


# A pooled connection the server closed or reset (Redis restarted since it was opened):
# stale, not the store away.
_STALE = ("closed by server", "reset by peer", "connection reset", "broken pipe")
STALE_TRIES = 4


def _stale(exc: Exception) -> bool:
    said = str(exc).lower()
    return any(s in said for s in _STALE)


class ResilientConversationState:
    """A ConversationState over another one (Redis) that degrades instead of failing.

    While the primary store raises StoreUnavailable, an in-process stand-in answers: per-chat
    locks are in-process (right for one worker), flood counters start from zero and
    short-lived values written meanwhile are forgotten when the primary is back. The primary
    is tried again every ``retry_every`` seconds. Going away is logged once as a WARNING,
    coming back once as an INFO with how long it was gone.

    Who owns a chat is not short-lived: it is read from and written to ``owners`` (SQL), so
    a Redis restart, the desk in another process and every worker agree.

    Args:
        primary: the shared store (Redis), or the in-process one when there is no Redis.
        owners: where chat owners are kept.
        name: how the primary is called in the log.
        retry_every: seconds between attempts to use the primary while it is away.
        clock: monotonic seconds; tests pass a fake one.
    """

    def __init__(
        self,
        primary: ConversationState,
        *,
        owners: ChatOwnerStore,
        name: str = "Redis",
        retry_every: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._primary = primary
        self._owners = owners
        self._name = name
        self._retry_every = retry_every
        self._clock = clock
        # Locks are always taken in-process too: they keep one worker's chats in order even
        # when the primary comes and goes in the middle of a turn.
        self._local = MemoryConversationState()
        self._fallback = MemoryConversationState()
        self._down_since: float | None = None
        self._next_try = 0.0

    @property
    def degraded(self) -> bool:
        """True while the primary is away and the in-process stand-in answers."""
        return self._down_since is not None

    def _usable(self) -> bool:
        return self._down_since is None or self._clock() >= self._next_try

    def _went_away(self, exc: StoreUnavailable) -> None:
        now = self._clock()
        self._next_try = now + self._retry_every
        if self._down_since is None:
            self._down_since = now
            logger.warning(
                "%s is unavailable (%s): in-process state until it is back", self._name, exc
            )

    def _came_back(self) -> None:
        if self._down_since is None:
            return
        gone = self._clock() - self._down_since
        self._down_since = None
        # What was kept meanwhile was a stand-in; the primary is the reference again.
        self._fallback = MemoryConversationState()
        logger.info("%s is back after %.1f s", self._name, gone)

    async def _call(self, op: Callable[[ConversationState], Awaitable[T]]) -> T:
        if not self._usable():
            return await op(self._fallback)
        try:
            try:
                result = await op(self._primary)
            except ChatBusy:
                raise
            except StoreUnavailable as exc:
                if self._down_since is not None:
                    raise
                result = await self._again(op, exc)
        except ChatBusy:
            raise
        except StoreUnavailable as exc:
            self._went_away(exc)
            return await op(self._fallback)
        self._came_back()
        return result

    async def _again(self, op: Callable[[ConversationState], Awaitable[T]], exc: Exception) -> T:
        """Once more: after a restart the first use of each pooled connection fails. A
        connection the server closed (one from before the restart) may be followed by more
        of them from the same pool, each failing once: those are tried past, up to
        ``STALE_TRIES``, before the primary is called away (a refused or timed-out one is
        tried once, so a real outage is not waited on longer)."""
        tries = STALE_TRIES if _stale(exc) else 1
        for left in range(tries, 0, -1):
            try:
                return await op(self._primary)
            except StoreUnavailable as again:
                if left == 1 or not _stale(again):
                    raise
        raise AssertionError("unreachable")  # the loop returns or raises

    async def owner(self, chat: str) -> ChatOwner:
        return await self._owners.owner(chat)

    async def claim(self, chat: str, owner: ChatOwner, *, force: bool = False) -> bool:
        return await self._owners.claim(chat, owner, force=force)

    async def release(self, chat: str) -> None:
        await self._owners.release(chat)

    @asynccontextmanager
    async def lock(self, chat: str, *, wait: float = 10.0) -> AsyncIterator[None]:
        async with self._local.lock(chat, wait=wait):
            shared: AbstractAsyncContextManager[None] | None = None
            if self._usable():
                try:
                    shared = await self._shared_lock(chat, wait)
                    self._came_back()
                except ChatBusy:
                    raise
                except StoreUnavailable as exc:
                    self._went_away(exc)
            try:
                yield
            finally:
                if shared is not None:
                    try:
                        await shared.__aexit__(None, None, None)
                    except StoreUnavailable as exc:
                        self._went_away(exc)

    async def _shared_lock(self, chat: str, wait: float) -> AbstractAsyncContextManager[None]:
        try:
            return await self._enter_lock(chat, wait)
        except ChatBusy:
            raise
        except StoreUnavailable as exc:
            if self._down_since is not None:
                raise
            return await self._again_lock(chat, wait, exc)

    async def _again_lock(
        self, chat: str, wait: float, exc: Exception
    ) -> AbstractAsyncContextManager[None]:
        """The shared lock tried again as ``_again`` tries a call (stale connections past)."""
        tries = STALE_TRIES if _stale(exc) else 1
        for left in range(tries, 0, -1):
            try:
                return await self._enter_lock(chat, wait)
            except StoreUnavailable as again:
                if left == 1 or not _stale(again):
                    raise
        raise AssertionError("unreachable")  # the loop returns or raises

    async def _enter_lock(self, chat: str, wait: float) -> AbstractAsyncContextManager[None]:
        lock = self._primary.lock(chat, wait=wait)
        await lock.__aenter__()
        return lock

    async def get(self, chat: str, key: str) -> str | None:
        return await self._call(lambda s: s.get(chat, key))

    async def set(self, chat: str, key: str, value: str, *, ttl: float) -> None:
        await self._call(lambda s: s.set(chat, key, value, ttl=ttl))

    async def delete(self, chat: str, key: str) -> None:
        await self._call(lambda s: s.delete(chat, key))

    async def hit(self, counter: str, *, window: float) -> int:
        return await self._call(lambda s: s.hit(counter, window=window))

    async def first_time(self, key: str, *, ttl: float) -> bool:
        return await self._call(lambda s: s.first_time(key, ttl=ttl))

    async def forget_chat(self, chat: str) -> None:
        await self._owners.release(chat)
        await self._fallback.forget_chat(chat)
        await self._call(lambda s: s.forget_chat(chat))

    async def publish(self, topic: str, data: str) -> None:
        await self._call(lambda s: s.publish(topic, data))

    async def subscribe(self, topic: str) -> AsyncIterator[str]:
        # Live updates pause while the primary is away and resume when it is back.
        while True:
            try:
                async for data in self._primary.subscribe(topic):
                    yield data
            except StoreUnavailable as exc:
                self._went_away(exc)
                await asyncio.sleep(self._retry_every)

    async def ping(self) -> None:
        await self._primary.ping()

    async def close(self) -> None:
        await self._primary.close()
