"""Idempotency keys of desk and API actions in SQL: a repeated request is answered, not redone."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from crm_memory.sql._models import IdempotencyRow, now
from crm_memory.types import KeyedRequest

if TYPE_CHECKING:
    from crm_memory.sql.database import SqlDatabase

# How long an unfinished first request holds its key, unless the caller says otherwise.
UNFINISHED_AFTER = timedelta(seconds=60)


class SqlIdempotencyStore:
    """Who sent which ``Idempotency-Key`` for which request, kept for ``ttl``.

    Args:
        db: the database.
        ttl: how long a key is remembered; older keys are deleted as new ones come.
    """

    def __init__(self, db: SqlDatabase, *, ttl: timedelta = timedelta(hours=24)) -> None:
        self._db = db
        self.ttl = ttl

    async def claim(
        self,
        actor: str,
        key: str,
        request: str,
        *,
        unfinished_after: timedelta = UNFINISHED_AFTER,
    ) -> KeyedRequest | None:
        """None when this is the first request with ``key`` from ``actor``: do it, then
        ``finish`` (or ``release`` if it failed). Otherwise the request stored first, with
        its status (None while it still runs).

        A first request that is still unfinished after ``unfinished_after`` is taken for dead
        (its process was killed mid-action, so it could neither finish nor release): the key
        is free again, and this request claims it. A finished one is kept for ``ttl``.
        """
        at = now()
        async with self._db.session() as s:
            await s.execute(delete(IdempotencyRow).where(IdempotencyRow.created_at < at - self.ttl))
            await s.execute(
                delete(IdempotencyRow).where(
                    IdempotencyRow.actor == actor,
                    IdempotencyRow.key == key,
                    IdempotencyRow.status.is_(None),
                    IdempotencyRow.created_at < at - unfinished_after,
                )
            )
            s.add(IdempotencyRow(actor=actor, key=key, request=request, created_at=at))
            try:
                await s.commit()
                return None
            except IntegrityError:
                await s.rollback()
            row = await s.get(IdempotencyRow, (actor, key))
            if row is None:  # released in between: the caller may simply try again
                return KeyedRequest(request=request, status=None)
            return KeyedRequest(request=row.request, status=row.status)

    async def finish(self, actor: str, key: str, status: int) -> None:
        """The first request with ``key`` is done; repeats get ``status`` again."""
        async with self._db.session() as s:
            await s.execute(
                update(IdempotencyRow)
                .where(IdempotencyRow.actor == actor, IdempotencyRow.key == key)
                .values(status=status)
            )
            await s.commit()

    async def release(self, actor: str, key: str) -> None:
        """The first request with ``key`` failed and changed nothing: a retry may do it."""
        async with self._db.session() as s:
            await s.execute(
                delete(IdempotencyRow).where(
                    IdempotencyRow.actor == actor, IdempotencyRow.key == key
                )
            )
            await s.commit()

    async def count(self) -> int:
        """How many keys are remembered (for tests and health)."""
        async with self._db.session() as s:
            return int(await s.scalar(select(func.count()).select_from(IdempotencyRow)) or 0)
