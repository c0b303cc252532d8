"""SQLite through aiosqlite's interface, run on the event loop's own thread.

aiosqlite sends every call (open a cursor, execute, fetch, close, commit) to a worker thread
and wakes the event loop for each answer: measured here, 0.38 ms for a one-row ``SELECT``
and 1.6 ms for an ``UPDATE`` with its commit, against 0.005 ms and 0.03 ms for the same
calls made directly. A turn of the bot makes about twenty such calls, so the hops were most
of its time. The statements the stores run are indexed lookups and single-row writes that
take microseconds, so they run here directly instead.

What must not happen on the event loop is SQLite's busy handler, which sleeps while another
connection (another process) holds the write lock: connections are opened with no busy
timeout, and a "database is locked" answer is retried after an ``asyncio.sleep`` with
backoff until the configured ``timeout`` has passed, so the loop keeps serving meanwhile.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
_FIRST_WAIT = 0.001
_LONGEST_WAIT = 0.05


def _busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _BUSY_CODES
    return "locked" in str(exc) or "busy" in str(exc)


async def connect(database: str, **kwargs: Any) -> InlineConnection:
    """Open a connection; its ``timeout`` is how long to keep retrying while it is locked.

    Takes the arguments ``sqlite3.connect`` (and so ``aiosqlite.connect``) takes, as
    SQLAlchemy's dialect builds them from the URL.
    """
    busy_timeout = float(kwargs.pop("timeout", 5.0))
    kwargs.pop("check_same_thread", None)
    kwargs.pop("iter_chunk_size", None)
    # No busy handler: it would sleep on the event loop. Retried in _retry instead.
    conn = sqlite3.connect(database, timeout=0, check_same_thread=False, **kwargs)
    return InlineConnection(conn, busy_timeout=busy_timeout)


class _RunNow:
    """Stands in for aiosqlite's queue of calls to its thread: runs the call at once."""

    def put_nowait(self, item: tuple[asyncio.Future[Any], Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as exc:  # handed to the awaiting caller, as aiosqlite does
            future.set_exception(exc)


class InlineConnection:
    """The parts of ``aiosqlite.Connection`` that SQLAlchemy's aiosqlite dialect uses."""

    def __init__(self, conn: sqlite3.Connection, *, busy_timeout: float) -> None:
        self._conn = conn
        # SQLAlchemy checks this attribute to tell an open connection from a closed one.
        self._connection: sqlite3.Connection | None = conn
        self._tx = _RunNow()
        self._busy_timeout = busy_timeout

    async def _retry(self, call: Callable[..., T], *args: Any) -> T:
        deadline: float | None = None
        wait = _FIRST_WAIT
        while True:
            try:
                return call(*args)
            except sqlite3.OperationalError as exc:
                if not _busy(exc):
                    raise
                now = time.monotonic()
                if deadline is None:
                    deadline = now + self._busy_timeout
                if now >= deadline:
                    raise
                await asyncio.sleep(min(wait, deadline - now))
                wait = min(wait * 2, _LONGEST_WAIT)

    async def execute_now(
        self, sql: str, parameters: Sequence[Any], *, many: bool = False
    ) -> sqlite3.Cursor:
        """A statement on the ``sqlite3`` connection itself, past SQLAlchemy (the turn's hot
        writes, ``crm_memory.sql.hot``), retried while the database is locked; ``many``:
        ``parameters`` is a sequence of rows (``executemany``)."""
        if many:
            return await self._retry(self._conn.executemany, sql, parameters)
        return await self._retry(self._conn.execute, sql, parameters)

    def trace(self, callback: Callable[[str], object] | None) -> None:
        """Every statement SQLite runs on this connection, to ``callback`` (None: stop)."""
        self._conn.set_trace_callback(callback)

    def cursor(self) -> InlineCursor:
        return InlineCursor(self, self._conn.cursor())

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    async def commit(self) -> None:
        # A COMMIT refused with "database is locked" leaves the transaction open: retry it.
        await self._retry(self._conn.commit)

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        """Close at once (SQLAlchemy's terminate)."""
        if self._connection is not None:
            self._connection = None
            self._conn.close()


class InlineCursor:
    """The parts of ``aiosqlite.Cursor`` that SQLAlchemy uses, over a ``sqlite3.Cursor``."""

    def __init__(self, connection: InlineConnection, cursor: sqlite3.Cursor) -> None:
        self._connection = connection
        self._cursor = cursor

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> Any:
        await self._connection._retry(self._cursor.execute, sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> Any:
        rows = list(parameters)  # a retry must see every row again
        await self._connection._retry(self._cursor.executemany, sql, rows)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value
