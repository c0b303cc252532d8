"""Several workers share one inbox on PostgreSQL: per-chat leases and the poller's lock."""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from crm_memory.errors import CrmError, LeaseLost, StoreUnavailable
from crm_memory.fence import current_fence
from crm_memory.types import Claim, InboxItem

if TYPE_CHECKING:
    from crm_memory.sql.database import SqlDatabase

logger = logging.getLogger(__name__)

# What ends the leader's own connection (and with it the lock): the driver's errors and the
# network's.
_GONE = (SQLAlchemyError, OSError, ConnectionError, TimeoutError)
# TCP keepalives on the leader's connection, seconds: idle, between probes, and probes.
_KEEPALIVES = (
    ("tcp_keepalives_idle", 10),
    ("tcp_keepalives_interval", 5),
    ("tcp_keepalives_count", 3),
)

_PENDING = "processed_at IS NULL AND failed_at IS NULL"

# Every chat with a pending row gets a lease row (free: no holder, already expired). In
# chat order, so that two workers doing this at once wait on each other, never deadlock.
_ENSURE = text(
    f"""
    INSERT INTO inbox_leases (channel, chat, holder, expires_at)
    SELECT DISTINCT channel, chat, CAST(NULL AS VARCHAR), now() FROM inbox
    WHERE channel = :channel AND chat IS NOT NULL AND {_PENDING}
    ORDER BY chat
    ON CONFLICT (channel, chat) DO NOTHING
    """
)


def _ready(row: str, chat: str) -> str:
    """SQL: the inbox row ``row`` (an update id) of ``chat`` is not held back by a barrier: no
    pending row of a barrier chat before it, and, in a barrier chat, no other chat's pending
    row before it (an agent's action keeps its place among the customers' messages)."""
    return f"""NOT EXISTS (
        SELECT 1 FROM inbox q WHERE q.channel = :channel
          AND q.{_PENDING.replace(" AND ", " AND q.")}
          AND q.update_id < {row} AND q.chat <> {chat}
          AND (q.chat = ANY(:barriers) OR {chat} = ANY(:barriers))
    )"""


# Chats with pending rows whose lease is free, ours, or (when stealing) expired, oldest
# first; a lease another worker is taking right now is skipped, not waited for.
_CLAIMABLE = f"""
    SELECT l.chat, l.holder FROM inbox_leases l
    JOIN (
        SELECT chat, min(update_id) AS head, min(received_at) AS arrived FROM inbox
        WHERE channel = :channel AND {_PENDING} GROUP BY chat
    ) p ON p.chat = l.chat
    WHERE l.channel = :channel
      AND (l.holder IS NULL OR l.holder = :holder OR (:steal AND l.expires_at < now()))
      AND NOT (l.chat = ANY(:busy))
      {{ready}}
    ORDER BY {{oldest}}
    LIMIT :limit
    FOR UPDATE OF l SKIP LOCKED
    """
_CLAIMABLE_ALL = text(_CLAIMABLE.format(ready="", oldest="p.head"))
_CLAIMABLE_READY = text(
    _CLAIMABLE.format(ready="AND " + _ready("p.head", "l.chat"), oldest="p.head")
)
# Channels whose ids say nothing of order (the widget's are hashes of the page's client
# ids): chats and rows in the order they were stored.
_CLAIMABLE_ARRIVED = text(_CLAIMABLE.format(ready="", oldest="p.arrived, p.head"))
_TAKE = text(
    """
    UPDATE inbox_leases SET holder = :holder, expires_at = now() + make_interval(secs => :secs),
           generation = generation + 1
    WHERE channel = :channel AND chat = ANY(:chats)
    RETURNING chat, generation
    """
)
# One chat's lease, taken if free, ours, or (when stealing) expired: the previous holder
# and the new generation.
_ENSURE_ONE = text(
    """
    INSERT INTO inbox_leases (channel, chat, holder, expires_at)
    VALUES (:channel, :chat, NULL, now())
    ON CONFLICT (channel, chat) DO NOTHING
    """
)
_TAKE_ONE = text(
    """
    WITH old AS (
        SELECT channel, chat, holder FROM inbox_leases
        WHERE channel = :channel AND chat = :chat
          AND (holder IS NULL OR holder = :holder OR (:steal AND expires_at < now()))
        FOR UPDATE SKIP LOCKED
    )
    UPDATE inbox_leases l SET holder = :holder,
           expires_at = now() + make_interval(secs => :secs), generation = l.generation + 1
    FROM old WHERE l.channel = old.channel AND l.chat = old.chat
    RETURNING old.holder AS previous, l.generation
    """
)
_PENDING_HELD = f"""
    SELECT i.channel, i.update_id, i.payload, i.received_at, i.processed_at, i.attempts,
           i.failed_at, i.error
    FROM inbox i JOIN inbox_leases l ON l.channel = i.channel AND l.chat = i.chat
    WHERE i.channel = :channel AND i.chat = :chat
      AND l.holder = :holder AND l.expires_at > now()
      AND i.{_PENDING.replace(" AND ", " AND i.")}
      {{ready}}
    ORDER BY {{order}}
    LIMIT :limit
    """
_PENDING_ALL = text(_PENDING_HELD.format(ready="", order="i.update_id"))
_PENDING_READY = text(
    _PENDING_HELD.format(ready="AND " + _ready("i.update_id", "i.chat"), order="i.update_id")
)
_PENDING_ARRIVED = text(_PENDING_HELD.format(ready="", order="i.received_at, i.update_id"))
# Renewed while the holder still has it: an expired lease nobody took is ours again (nobody
# else worked the chat meanwhile, so the generation stands).
_RENEW = text(
    """
    UPDATE inbox_leases SET expires_at = now() + make_interval(secs => :secs)
    WHERE channel = :channel AND holder = :holder AND chat = ANY(:chats)
    RETURNING chat
    """
)
_RELEASE = text(
    f"""
    UPDATE inbox_leases SET holder = NULL, expires_at = now()
    WHERE channel = :channel AND chat = :chat AND holder = :holder
      AND NOT EXISTS (
          SELECT 1 FROM inbox WHERE channel = :channel AND chat = :chat AND {_PENDING}
      )
    RETURNING chat
    """
)
_HELD = text(
    """
    SELECT 1 FROM inbox_leases
    WHERE channel = :channel AND chat = :chat AND holder = :holder AND expires_at > now()
    """
)
# The fence: the lease is still this take of it. FOR SHARE: a worker taking it over waits
# until the write that checked it has committed, so no write lands after a take-over.
_FENCE = text(
    """
    SELECT 1 FROM inbox_leases
    WHERE channel = :channel AND chat = :chat AND holder = :holder
      AND generation = :generation AND expires_at > now()
    FOR SHARE
    """
)
# Pending rows stored without their chat (by a worker older than revision 0013, during a
# rolling upgrade): no lease covers them until their chat is filled in.
_ORPHANS = text(
    f"""
    SELECT update_id, payload FROM inbox
    WHERE channel = :channel AND chat IS NULL AND {_PENDING}
    ORDER BY update_id LIMIT :limit
    """
)
_PLACE = text(
    "UPDATE inbox SET chat = :chat WHERE channel = :channel AND update_id = :update_id"
    " AND chat IS NULL"
)


async def check_fence(connection: AsyncConnection) -> None:
    """In the caller's transaction: raise LeaseLost unless the running turn's lease (see
    crm_memory.fence) is still held; nothing to check outside a leased chat."""
    fence = current_fence()
    if fence is None or connection.dialect.name != "postgresql":
        return
    held = await connection.execute(
        _FENCE,
        {
            "channel": fence.channel,
            "chat": fence.chat,
            "holder": fence.holder,
            "generation": fence.generation,
        },
    )
    if held.first() is None:
        raise LeaseLost(f"chat {fence.chat}: the lease of {fence.holder} is lost")


class SqlInboxClaims:
    """InboxClaims on PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED`` over a lease row per
    chat, with an expiry in the database's clock (workers' clocks may differ).

    Args:
        db: a PostgreSQL database (SQLite has one process, and no row locks to skip).
        lease_seconds: how long a lease lasts unless renewed; a dead worker's chats wait this
            long before another worker continues them.
        barriers: chats whose rows keep their place among every chat's (the agents' group):
            such a row waits for every earlier pending row, and every later row waits for it.
        by_arrival: rows in the order they were stored, not by update id (a channel whose
            ids are not in order: the widget's are hashes of the page's client ids); no
            barriers then.
    """

    def __init__(
        self,
        db: SqlDatabase,
        *,
        lease_seconds: float,
        barriers: Collection[str] = (),
        by_arrival: bool = False,
    ) -> None:
        if db.dialect != "postgresql":
            raise CrmError(f"per-chat claims need PostgreSQL, not {db.dialect}")
        if by_arrival and barriers:
            raise ValueError("barriers keep update-id order; not with by_arrival")
        self._db = db
        self.lease_seconds = lease_seconds
        self._barriers = sorted(set(barriers))
        self._claimable = _CLAIMABLE_READY if self._barriers else _CLAIMABLE_ALL
        self._pending = _PENDING_READY if self._barriers else _PENDING_ALL
        if by_arrival:
            self._claimable, self._pending = _CLAIMABLE_ARRIVED, _PENDING_ARRIVED

    async def claim(
        self,
        channel: str,
        holder: str,
        *,
        limit: int,
        busy: Collection[str] = (),
        steal: bool = True,
    ) -> list[Claim]:
        if limit <= 0:
            return []
        async with self._db.connection() as c:
            await c.execute(_ENSURE, {"channel": channel})
            await c.commit()
            rows = (
                await c.execute(
                    self._claimable,
                    {
                        "channel": channel,
                        "holder": holder,
                        "busy": list(busy),
                        "limit": limit,
                        "steal": steal,
                        "barriers": self._barriers,
                    },
                )
            ).all()
            taken: dict[str, int] = {}
            if rows:
                result = await c.execute(
                    _TAKE,
                    {
                        "channel": channel,
                        "holder": holder,
                        "secs": self.lease_seconds,
                        "chats": [r.chat for r in rows],
                    },
                )
                taken = {str(r.chat): int(r.generation) for r in result}
            await c.commit()
        return [
            Claim(
                r.chat,
                taken_from=r.holder if r.holder not in (None, holder) else None,
                generation=taken[str(r.chat)],
            )
            for r in rows
        ]

    async def take(
        self, channel: str, chat: str, holder: str, *, steal: bool = True
    ) -> Claim | None:
        """Lease one chat, whether or not rows of it are pending, if it is free, ours, or (when
        ``steal``) expired; None when another worker holds it."""
        async with self._db.connection() as c:
            where = {"channel": channel, "chat": chat}
            await c.execute(_ENSURE_ONE, where)
            await c.commit()
            row = (
                await c.execute(
                    _TAKE_ONE,
                    {**where, "holder": holder, "steal": steal, "secs": self.lease_seconds},
                )
            ).first()
            await c.commit()
        if row is None:
            return None
        previous = row.previous if row.previous not in (None, holder) else None
        return Claim(chat, taken_from=previous, generation=int(row.generation))

    async def pending(
        self, channel: str, chat: str, holder: str, *, limit: int = 100
    ) -> list[InboxItem]:
        async with self._db.connection() as c:
            rows = await c.execute(
                self._pending,
                {
                    "channel": channel,
                    "chat": chat,
                    "holder": holder,
                    "limit": limit,
                    "barriers": self._barriers,
                },
            )
            return [
                InboxItem(
                    r.channel,
                    r.update_id,
                    r.payload,
                    r.received_at,
                    r.processed_at,
                    attempts=r.attempts,
                    failed_at=r.failed_at,
                    error=r.error,
                )
                for r in rows
            ]

    async def renew(self, channel: str, holder: str, chats: Collection[str]) -> set[str]:
        # On a pool of its own: turns keeping every pooled connection busy must not hold a
        # renewal back until the lease has expired.
        if not chats:
            return set()
        async with self._db.control() as c:
            rows = await c.execute(
                _RENEW,
                {
                    "channel": channel,
                    "holder": holder,
                    "chats": list(chats),
                    "secs": self.lease_seconds,
                },
            )
            held = {str(r.chat) for r in rows}
            await c.commit()
        return held

    async def release(self, channel: str, chat: str, holder: str) -> bool:
        where = {"channel": channel, "chat": chat, "holder": holder}
        async with self._db.connection() as c:
            released = (await c.execute(_RELEASE, where)).first() is not None
            await c.commit()
            if released:
                return True
            # Not released: a row is pending (keep going), unless the lease is gone anyway.
            return (await c.execute(_HELD, where)).first() is None

    async def give_up(self, channel: str, chat: str, holder: str) -> None:
        """End ``holder``'s lease on one chat now, rows pending or not (holder kept: whoever
        claims it next knows whose work it continues)."""
        async with self._db.connection() as c:
            await c.execute(_EXPIRE_ONE, {"channel": channel, "chat": chat, "holder": holder})
            await c.commit()

    async def holders(self, channel: str) -> set[str]:
        async with self._db.connection() as c:
            return {str(h) for h in await c.scalars(_HOLDERS, {"channel": channel})}

    async def expire(self, channel: str, holder: str) -> int:
        async with self._db.connection() as c:
            result = await c.execute(_EXPIRE, {"channel": channel, "holder": holder})
            await c.commit()
            return int(result.rowcount)

    async def orphans(self, channel: str, *, limit: int = 100) -> list[tuple[int, str]]:
        """Pending rows stored without their chat: (update id, payload), oldest first."""
        async with self._db.connection() as c:
            rows = await c.execute(_ORPHANS, {"channel": channel, "limit": limit})
            return [(int(r.update_id), str(r.payload)) for r in rows]

    async def place(self, channel: str, update_id: int, chat: str) -> None:
        """File a row stored without its chat under ``chat``, so that a lease covers it."""
        async with self._db.connection() as c:
            await c.execute(_PLACE, {"channel": channel, "update_id": update_id, "chat": chat})
            await c.commit()


_HOLDERS = text(
    "SELECT DISTINCT holder FROM inbox_leases WHERE channel = :channel AND holder IS NOT NULL"
)
# Expired, holder kept: whoever claims the chat next knows whose work it continues.
_EXPIRE = text(
    """
    UPDATE inbox_leases SET expires_at = now() - interval '1 second'
    WHERE channel = :channel AND holder = :holder
    """
)
_EXPIRE_ONE = text(
    """
    UPDATE inbox_leases SET expires_at = now() - interval '1 second'
    WHERE channel = :channel AND chat = :chat AND holder = :holder
    """
)


class SqlLeaderLock:
    """LeaderLock as a PostgreSQL session-level advisory lock on a connection of its own:
    the server lets it go when that connection ends (the holder died, or its network did).

    Args:
        db: a PostgreSQL database.
        key: the lock's number, the same in every process that competes for it.
    """

    def __init__(self, db: SqlDatabase, *, key: int) -> None:
        if db.dialect != "postgresql":
            raise CrmError(f"advisory locks need PostgreSQL, not {db.dialect}")
        self._db = db
        self._key = key
        self._conn: AsyncConnection | None = None

    async def acquire(self) -> bool:
        if await self.held():
            return True
        try:
            if self._conn is None:
                self._conn = await self._db.engine.connect()
                # The server ends this session, and frees the lock, within about 25 s of
                # the holder's machine vanishing (not after the kernel's two hours).
                for setting, value in _KEEPALIVES:
                    await self._conn.execute(text(f"SET {setting} = {value}"))
            got = bool(
                await self._conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key})
            )
            # The lock belongs to the session, not the transaction: end the transaction so
            # that an idle leader does not hold one open.
            await self._conn.commit()
        except _GONE as exc:
            await self._drop()
            raise StoreUnavailable(f"leader lock: {exc}", store="database") from exc
        return got

    async def held(self) -> bool:
        if self._conn is None:
            return False
        try:
            count = await self._conn.scalar(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND pid = pg_backend_pid()"
                    " AND ((classid::bigint << 32) | objid::bigint) = :k"
                ),
                {"k": self._key},
            )
            await self._conn.commit()
        except _GONE:  # the connection is gone, and the lock with it
            await self._drop()
            return False
        # Not held, the connection is kept: a standby asks again on the same session
        # instead of opening a connection every time.
        return bool(count)

    async def release(self) -> None:
        if self._conn is None:
            return
        try:
            await self._conn.scalar(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
            await self._conn.commit()
        except _GONE:
            logger.debug("advisory unlock failed; the lock ends with its connection")
        await self._drop()

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.invalidate()  # not back to the pool: its session held the lock
            except _GONE:
                logger.debug("closing the leader's connection failed; it is gone already")
