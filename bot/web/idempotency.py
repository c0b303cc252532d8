"""``Idempotency-Key`` on the desk's and the API's actions: the same request twice does it once."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from fastapi import HTTPException

from crm_memory import InvalidInput
from crm_memory.sql.idempotency import UNFINISHED_AFTER, SqlIdempotencyStore

HEADER = "Idempotency-Key"
MAX_KEY = 200
T = TypeVar("T")


class Once:
    """Runs an action once per (actor, key); a repeat gets ``repeat()``, the result as it is
    now (no response is stored: it would hold customers' words outside erasure's reach).

    A key sent again with a different request is refused (422); a repeat that arrives while
    the first is still being done gets 409, and may be retried. A first request that never
    finished (its process died mid-action) holds its key for ``unfinished_after`` only; then
    the key may be used again, while a finished key keeps answering its repeats.
    """

    def __init__(
        self, store: SqlIdempotencyStore, *, unfinished_after: timedelta = UNFINISHED_AFTER
    ) -> None:
        self._store = store
        self._unfinished_after = unfinished_after

    async def run(
        self,
        *,
        actor: str,
        key: str | None,
        request: str,
        act: Callable[[], Awaitable[T]],
        repeat: Callable[[], Awaitable[T]],
    ) -> T:
        """``act()`` the first time ``actor`` sends ``key`` (or always, without a key)."""
        if key is None:
            return await act()
        if not key or len(key) > MAX_KEY or not key.isascii() or not key.isprintable():
            raise InvalidInput(HEADER, f"1 to {MAX_KEY} printable ASCII characters")
        fingerprint = hashlib.sha256(request.encode("utf-8", "surrogatepass")).hexdigest()
        first = await self._store.claim(
            actor, key, fingerprint, unfinished_after=self._unfinished_after
        )
        if first is None:
            try:
                result = await act()
            except BaseException:
                await self._store.release(actor, key)
                raise
            await self._store.finish(actor, key, 200)
            return result
        if first.request != fingerprint:
            raise InvalidInput(HEADER, "was sent before with a different request")
        if first.status is None:
            wait = max(1, round(self._unfinished_after.total_seconds()))
            raise HTTPException(
                409,
                "a request with this Idempotency-Key is still being done; retry it (a request "
                f"that never finished frees its key after {wait} s)",
            )
        return await repeat()
