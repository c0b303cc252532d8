"""The turn's hottest statements, run on the database driver without SQLAlchemy's per-call work.

Every message marks its customer seen, touches its conversation and inserts itself; every
turn reads the chat's owner; every answered turn reads the customer's activity and recent
messages, annotates the message and inserts its replies; every reply is marked sent.
Through SQLAlchemy each of these pays its execution path (cache-key lookup, bind
processors, execution context, result set-up: about 0.1 ms a statement here) on top of
what the database does, which for these indexed single-row statements is a few
microseconds on SQLite. This module is the one place they are run past it, once per
dialect:

- **SQLite** (``inline_sqlite``): on the ``sqlite3`` connection itself, with the same busy
  retry as the rest of the driver.
- **PostgreSQL** (asyncpg): ``exec_driver_sql`` with the SQL prepared once: no compile,
  no cache key; asyncpg's own prepared-statement cache does the rest, and SQLAlchemy keeps
  its error handling (a lost connection is invalidated and becomes ``StoreUnavailable``).

The turn's reads with many columns or subqueries (the customer found and marked seen, the
context's activity counts, the chat's owner) are not written out again: ``first`` compiles
their SQLAlchemy definition once per dialect and reads each column with its type's own
result processor (JSON, booleans, timestamps), so the one definition serves both paths.

Always on a connection from ``SqlDatabase.connection()``, inside SQLAlchemy's transaction
(``begin`` first): the caller's ``commit`` commits these statements with the rest, a
rollback drops them, and driver errors arrive as SQLAlchemy's (``IntegrityError`` for a
redelivered message, ``OperationalError`` for a database that is away). Values are written
exactly as SQLAlchemy writes them (its own bind processor for timestamps): SQLite compares
timestamps as text, so the format must not differ by a character.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.expression import ReturnsRows

from crm_memory.sql._models import MessageRow, UtcDateTime
from crm_memory.sql.inline_sqlite import InlineConnection
from crm_memory.types import Direction, Message, Sender

_MESSAGE_COLUMNS = (
    "customer_id",
    "conversation_id",
    "direction",
    "sender",
    "agent",
    "channel",
    "external_id",
    "text",
    "intent",
    "confidence",
    "created_at",
)

# Written with ``?``; PostgreSQL's ``$1``, ``$2``... are numbered from them once.
_TOUCH_CURRENT = (
    "UPDATE conversations SET last_message_at = ? WHERE id = ("
    "SELECT id FROM conversations WHERE customer_id = ? AND last_message_at >= ? "
    "ORDER BY last_message_at DESC LIMIT 1) RETURNING id"
)
_NEW_MESSAGE = (
    f"INSERT INTO messages ({', '.join(_MESSAGE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _MESSAGE_COLUMNS)}) RETURNING id"
)
_RECENT = (
    f"SELECT id, {', '.join(_MESSAGE_COLUMNS)}, sent_at FROM messages WHERE customer_id = ? "
    "ORDER BY id DESC LIMIT ?"
)
_ANNOTATE = "UPDATE messages SET intent = ?, confidence = ? WHERE id = ?"
_ADD_FACT = "INSERT INTO facts (customer_id, kind, value, learned_at) VALUES (?, ?, ?, ?)"
_SENT = "UPDATE messages SET sent_at = ? WHERE id = ?"
_SENT_AS = "UPDATE messages SET sent_at = ?, external_id = ? WHERE id = ?"


_NEW_MESSAGES = insert(MessageRow).returning(MessageRow.id, sort_by_parameter_order=True)


def _sent_many(count: int) -> str:
    """Marks for ``count`` replies in one statement (an id without an external id keeps
    the one it has)."""
    cases = " ".join("WHEN ? THEN ?" for _ in range(count))
    ids = ", ".join("?" for _ in range(count))
    return (
        f"UPDATE messages SET sent_at = ?, external_id = COALESCE(CASE id {cases} END, "
        f"external_id) WHERE id IN ({ids})"
    )


def _numbered(sql: str) -> str:
    """``?`` placeholders as PostgreSQL's ``$1``, ``$2``... (none of these has a literal ?)."""
    parts = sql.split("?")
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], 1)) + parts[-1]


class HotStatements:
    """The turn's hot statements for one database's dialect (built once, by ``SqlDatabase``)."""

    def __init__(self, dialect: Dialect) -> None:
        self._sqlite = dialect.name == "sqlite"
        self._dialect = dialect
        # SQLAlchemy statements run here (``first``), by the statement object's identity.
        self._prepared: dict[int, _Prepared] = {}
        # The dialect's own implementation of the type: its processor writes SQLite's text
        # form (the generic type's would leave sqlite3 to add a '+00:00' of its own).
        processor = UtcDateTime().dialect_impl(dialect).bind_processor(dialect)
        self._stamp = processor if processor is not None else _same
        read = UtcDateTime().dialect_impl(dialect).result_processor(dialect, None)
        self._read_stamp: Callable[[Any], Any] = read if read is not None else _same
        self._sql = {
            name: sql if self._sqlite else _numbered(sql)
            for name, sql in (
                ("touch", _TOUCH_CURRENT),
                ("message", _NEW_MESSAGE),
                ("recent", _RECENT),
                ("annotate", _ANNOTATE),
                ("fact", _ADD_FACT),
                ("sent", _SENT),
                ("sent_as", _SENT_AS),
            )
        }

    async def touch_conversation(
        self, s: AsyncConnection, *, customer_id: int, after: datetime, at: datetime
    ) -> int | None:
        """The customer's conversation with a message at or after ``after``, touched at
        ``at``: its id, or None (a new conversation is due)."""
        row = await self._one(s, "touch", (self._stamp(at), customer_id, self._stamp(after)))
        return None if row is None else int(row[0])

    async def insert_message(self, s: AsyncConnection, values: dict[str, Any]) -> int:
        """A message row (the keys of ``_MESSAGE_COLUMNS``): its id."""
        params = tuple(
            self._stamp(values[c]) if c == "created_at" else values[c] for c in _MESSAGE_COLUMNS
        )
        row = await self._one(s, "message", params)
        assert row is not None  # an INSERT ... RETURNING returns its row or raises
        return int(row[0])

    async def recent_messages(
        self, s: AsyncConnection, *, customer_id: int, limit: int
    ) -> list[Message]:
        """The customer's last ``limit`` messages, newest first (the turn's context): rows
        made into messages here, without SQLAlchemy's result set-up for each."""
        rows, _ = await self._fetch(s, self._sql["recent"], (customer_id, limit), many=True)
        stamp = self._read_stamp
        return [
            Message(
                id=row[0],
                customer_id=row[1],
                conversation_id=row[2],
                direction=Direction(row[3]),
                sender=Sender(row[4]),
                agent=row[5],
                channel=row[6],
                external_id=row[7],
                text=row[8],
                intent=row[9],
                confidence=row[10],
                created_at=stamp(row[11]),
                sent_at=None if row[12] is None else stamp(row[12]),
            )
            for row in rows
        ]

    async def insert_messages(
        self, s: AsyncConnection, rows: Sequence[dict[str, Any]]
    ) -> list[int]:
        """Several message rows (a turn's replies): their ids, in order. SQLite runs one
        ``INSERT`` each (as SQLAlchemy did: its ordered ``RETURNING`` for many rows needs a
        sentinel column there); PostgreSQL keeps SQLAlchemy's one statement for them all,
        which orders the ids it returns."""
        if self._sqlite or len(rows) == 1:
            return [await self.insert_message(s, row) for row in rows]
        return list((await s.execute(_NEW_MESSAGES, list(rows))).scalars())

    async def annotate(
        self, s: AsyncConnection, *, message_id: int, intent: str, confidence: float
    ) -> None:
        """The customer's message with what the NLU read in it."""
        await self._run(s, "annotate", (intent, confidence, message_id))

    async def add_facts(
        self,
        s: AsyncConnection,
        *,
        customer_id: int,
        facts: Sequence[tuple[str, str]],
        at: datetime,
    ) -> None:
        """Facts not known before (the caller read the known ones), as (kind, value): one
        ``executemany``."""
        rows = [(customer_id, kind, value, self._stamp(at)) for kind, value in facts]
        if not rows:
            return
        if not self._sqlite:
            await s.exec_driver_sql(self._sql["fact"], rows)
            return
        driver = await self._driver(s)
        try:
            await driver.execute_now(self._sql["fact"], rows, many=True)
        except sqlite3.Error as exc:
            raise _translated(self._sql["fact"], rows, exc) from exc

    async def mark_sent(
        self, s: AsyncConnection, *, message_id: int, at: datetime, external_id: str | None
    ) -> None:
        """A reply delivered at ``at`` (as ``external_id`` on the channel, when it says)."""
        if external_id is None:
            await self._run(s, "sent", (self._stamp(at), message_id))
        else:
            await self._run(s, "sent_as", (self._stamp(at), external_id, message_id))

    async def mark_sent_many(
        self, s: AsyncConnection, *, sent: Sequence[tuple[int, str | None]], at: datetime
    ) -> None:
        """Several replies delivered at ``at``, as (message id, external id or None): one
        ``UPDATE``, its ``CASE`` giving each its id on the channel."""
        if len(sent) == 1:
            (message_id, external_id), = sent
            await self.mark_sent(s, message_id=message_id, at=at, external_id=external_id)
            return
        name = f"sent_{len(sent)}"
        if name not in self._sql:
            sql = _sent_many(len(sent))
            self._sql[name] = sql if self._sqlite else _numbered(sql)
        params: list[Any] = [self._stamp(at)]
        for message_id, external_id in sent:
            params += [message_id, external_id]
        params += [message_id for message_id, _ in sent]
        await self._run(s, name, tuple(params))

    async def first(
        self, s: AsyncConnection, statement: ReturnsRows, params: dict[str, Any]
    ) -> tuple[Any, ...] | None:
        """The first row of ``statement`` (a ``SELECT`` or an ``UPDATE … RETURNING`` defined
        with SQLAlchemy, compiled here once) with ``params`` for its required bind
        parameters: its values typed as SQLAlchemy types them (JSON, booleans, timestamps),
        or None."""
        prepared = self._prepare(statement)
        found, description = await self._fetch(
            s, prepared.sql, prepared.parameters(params), many=False
        )
        return prepared.typed(found[0], description) if found else None

    async def rows(
        self, s: AsyncConnection, statement: ReturnsRows, params: dict[str, Any]
    ) -> list[Any]:
        """Every row of ``statement`` (a ``SELECT`` defined with SQLAlchemy, compiled here
        once) with ``params``, typed as ``first`` types them, each readable by its columns'
        names as SQLAlchemy's rows are (``row.kind``)."""
        prepared = self._prepare(statement)
        found, description = await self._fetch(
            s, prepared.sql, prepared.parameters(params), many=True
        )
        return [prepared.named(row, description) for row in found]

    async def write(
        self, s: AsyncConnection, statement: ReturnsRows, params: dict[str, Any]
    ) -> int:
        """Run ``statement`` (an ``UPDATE`` or ``INSERT`` without ``RETURNING``, defined
        with SQLAlchemy, compiled here once) with ``params``: the rows it wrote."""
        prepared = self._prepare(statement)
        values = prepared.parameters(params)
        if not self._sqlite:
            result = await s.exec_driver_sql(prepared.sql, values)
            return int(result.rowcount)
        cursor = await self._sqlite_run(s, prepared.sql, values)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def _prepare(self, statement: ReturnsRows) -> _Prepared:
        prepared = self._prepared.get(id(statement))
        if prepared is None:
            prepared = self._prepared[id(statement)] = _Prepared(statement, self._dialect)
        return prepared

    async def _one(self, s: AsyncConnection, name: str, params: tuple[Any, ...]) -> Any:
        found, _ = await self._fetch(s, self._sql[name], params, many=False)
        return found[0] if found else None

    async def _fetch(
        self, s: AsyncConnection, sql: str, params: tuple[Any, ...], *, many: bool
    ) -> tuple[Sequence[Any], Any]:
        """The rows of ``sql`` (every one, or only the first) and the driver's description
        of their columns (None for a statement that returns none): the one place a hot
        read meets each dialect's driver."""
        if not self._sqlite:
            result = await s.exec_driver_sql(sql, params)
            description = result.cursor.description if result.returns_rows else None
            if many:
                return result.all(), description
            row = result.first()
            return ([] if row is None else [row]), description
        cursor = await self._sqlite_run(s, sql, params)
        try:
            if many:
                return cursor.fetchall(), cursor.description
            row = cursor.fetchone()
            return ([] if row is None else [row]), cursor.description
        finally:
            cursor.close()

    async def _run(self, s: AsyncConnection, name: str, params: tuple[Any, ...]) -> None:
        if not self._sqlite:
            await s.exec_driver_sql(self._sql[name], params)
            return
        (await self._sqlite_run(s, self._sql[name], params)).close()

    async def _sqlite_run(
        self, s: AsyncConnection, sql: str, params: tuple[Any, ...]
    ) -> sqlite3.Cursor:
        driver = await self._driver(s)
        try:
            return await driver.execute_now(sql, params)
        except sqlite3.Error as exc:
            raise _translated(sql, params, exc) from exc

    @staticmethod
    async def _driver(s: AsyncConnection) -> InlineConnection:
        if not s.in_transaction():
            # SQLAlchemy's transaction, so that the caller's commit reaches the driver;
            # sqlite3 itself begins when the first write runs.
            await s.begin()
        # Begun, the connection is checked out and the sync Connection holds it: read there,
        # not through get_raw_connection, which spawns a greenlet for the same attribute (in
        # case it must reconnect) on every statement. A connection invalidated or closed
        # takes that path, to reconnect or raise as SQLAlchemy does.
        sync = s.sync_connection
        if sync is not None and not sync.invalidated and not sync.closed:
            raw = sync.connection
        else:
            raw = await s.get_raw_connection()
        driver = raw.driver_connection
        assert isinstance(driver, InlineConnection)
        return driver


class _Prepared:
    """A SQLAlchemy statement compiled once for a dialect: its SQL; its parameters in the
    driver's order, constants filled in and each written by its type's bind processor; and
    its result columns read by their types' result processors, as SQLAlchemy reads them."""

    def __init__(self, statement: ReturnsRows, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self._statement = statement  # kept alive: it is known here by its id
        self._dialect = dialect
        order = compiled.positiontup
        assert order is not None  # both dialects' paramstyles are positional
        slots: list[tuple[str | None, Any, Callable[[Any], Any] | None]] = []
        for name in order:
            bind = compiled.binds[name]
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required:
                slots.append((name, None, processor))
            else:  # a constant of the statement (a status, a limit)
                value = bind.effective_value
                slots.append((None, processor(value) if processor else value, None))
        self._slots = tuple(slots)
        self._types = [column.type for column in statement.exported_columns]
        # Made on the first row, from the driver's description of the result (asyncpg's
        # numeric types need their type code), as SQLAlchemy makes them.
        self._readers: list[Callable[[Any], Any] | None] | None = None
        self._keys = tuple(str(column.key) for column in statement.exported_columns)
        self._row: Callable[..., Any] | None = None

    def parameters(self, params: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(
            value if name is None else processor(params[name]) if processor else params[name]
            for name, value, processor in self._slots
        )

    def typed(self, row: Sequence[Any], description: Any) -> tuple[Any, ...]:
        readers = self._readers
        if readers is None:
            dialect = self._dialect
            readers = self._readers = [
                kind.dialect_impl(dialect).result_processor(dialect, column[1])
                for kind, column in zip(self._types, description, strict=True)
            ]
        return tuple(
            value if read is None else read(value)
            for value, read in zip(row, readers, strict=True)
        )


    def named(self, row: Sequence[Any], description: Any) -> Any:
        """The row typed, its values readable by their columns' names."""
        if self._row is None:
            kind: Any = namedtuple("Row", self._keys)  # type: ignore[misc]
            self._row = kind._make
        return self._row(self.typed(row, description))


def _translated(sql: str, params: Any, exc: sqlite3.Error) -> StatementError:
    """As SQLAlchemy would have raised it: IntegrityError, OperationalError..., with the
    parameters (customers' words) kept out of the message."""
    return DBAPIError.instance(sql, params, exc, sqlite3.Error, hide_parameters=True)


def _same(value: Any) -> Any:
    return value
