"""The SQL database: engine, sessions, migrations, and the stores built on them."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from crm_memory.errors import CrmError, StoreUnavailable
from crm_memory.sql import inline_sqlite
from crm_memory.sql.accounts import SqlAccountStore, SqlAuditLog
from crm_memory.sql.assignment import SqlAssignmentStore
from crm_memory.sql.canned import SqlCannedStore
from crm_memory.sql.hot import HotStatements
from crm_memory.sql.idempotency import SqlIdempotencyStore
from crm_memory.sql.leases import SqlInboxClaims, SqlLeaderLock
from crm_memory.sql.media import SqlMediaStore
from crm_memory.sql.owners import SqlChatOwnerStore
from crm_memory.sql.reports import SqlReports
from crm_memory.sql.stores import (
    SqlCaseStore,
    SqlCustomerStore,
    SqlDeskPostStore,
    SqlFeedbackStore,
    SqlInboxStore,
    SqlMessageStore,
    SqlSurveyStore,
)
from crm_memory.sql.workload import SqlWorkloadStore

if TYPE_CHECKING:
    from alembic.config import Config

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

# Errors that mean "the server is not there or not usable", as opposed to a bug in a query.
_UNAVAILABLE = (OperationalError, InterfaceError, OSError, ConnectionError, TimeoutError)


def alembic_config(url: str) -> Config:
    """An Alembic configuration for our migration chain, pointed at ``url``."""
    # Alembic is imported here, not at module level: it costs half a second of start-up.
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class SqlDatabase:
    """One SQL database holding CRM memory, with a store object per role.

    Args:
        url: SQLAlchemy async URL, ``sqlite+aiosqlite:///data/crm.db`` or
            ``postgresql+asyncpg://user:pass@host/db``.
        conversation_gap: silence after which the next message starts a new conversation.
        pool_size: connections kept open (PostgreSQL).
        pool_timeout: seconds a statement waits for a free connection before the database
            counts as busy (StoreUnavailable: wait and try again).
        hide_parameters: keep query parameters (customers' words, e-mail addresses) out of
            error messages, which end up in logs; False only for DEBUG logging.
    """

    def __init__(
        self,
        url: str,
        *,
        conversation_gap: timedelta = timedelta(minutes=30),
        pool_size: int = 5,
        pool_timeout: float = 30.0,
        hide_parameters: bool = True,
    ) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise CrmError(f"not a database URL: {exc}") from exc
        self.url = url
        self.dialect = parsed.get_backend_name()
        kwargs: dict[str, Any] = {"hide_parameters": hide_parameters}
        if self.dialect == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30}
            if parsed.database and parsed.database != ":memory:":
                # A queue pool (one file, one connection); an in-memory database gets a
                # static pool, which has no queue to time out of and refuses the setting.
                kwargs["pool_timeout"] = pool_timeout
                # One connection: SQLite has one writer at a time, and connections waiting on
                # its lock sleep in its busy handler; queueing for the connection is far
                # cheaper, and it lets chats handled side by side share it in turn.
                kwargs["pool_size"] = 1
                kwargs["max_overflow"] = 0
        else:
            kwargs["pool_size"] = pool_size
            kwargs["pool_timeout"] = pool_timeout
            kwargs["pool_pre_ping"] = True
        try:
            self.engine = create_async_engine(url, **kwargs)
        except (ArgumentError, ImportError) as exc:
            raise CrmError(f"cannot use database URL {parsed!r}: {exc}") from exc
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "do_connect", _inline_sqlite)
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.hot = HotStatements(self.engine.dialect)
        self._hide_parameters = hide_parameters
        self._control: AsyncEngine | None = None
        # Set by an erasure, cleared by the next inbox update marked done (see scrub).
        self.scrub_after_inbox = False
        self.customers = SqlCustomerStore(self)
        self.messages = SqlMessageStore(self, conversation_gap=conversation_gap)
        self.cases = SqlCaseStore(self)
        self.feedback = SqlFeedbackStore(self)
        self.surveys = SqlSurveyStore(self)
        self.inbox = SqlInboxStore(self)
        self.posts = SqlDeskPostStore(self)
        self.owners = SqlChatOwnerStore(self)
        self.reports = SqlReports(self)
        self.accounts = SqlAccountStore(self)
        self.audit = SqlAuditLog(self)
        self.workload = SqlWorkloadStore(self)
        self.idempotency = SqlIdempotencyStore(self)
        self.canned = SqlCannedStore(self)
        self.media = SqlMediaStore(self)
        self.assignment = SqlAssignmentStore(self)

    @property
    def shared(self) -> bool:
        """Several processes can work this database's inbox together (PostgreSQL)."""
        return self.dialect == "postgresql"

    def claims(
        self,
        *,
        lease_seconds: float,
        barriers: Collection[str] = (),
        by_arrival: bool = False,
    ) -> SqlInboxClaims:
        """Per-chat leases on the inbox, for several workers (PostgreSQL only); rows of the
        ``barriers`` chats keep their place among every chat's rows; ``by_arrival``: rows in
        the order stored, not by update id (see SqlInboxClaims)."""
        return SqlInboxClaims(
            self, lease_seconds=lease_seconds, barriers=barriers, by_arrival=by_arrival
        )

    def leader_lock(self, key: int) -> SqlLeaderLock:
        """A lock one process at a time holds, released when it dies (PostgreSQL only)."""
        return SqlLeaderLock(self, key=key)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session whose driver errors surface as StoreUnavailable."""
        async with self._unavailable(), self._sessions() as session:
            yield session

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        """A Core connection for the statements of every turn: no ORM around them (about
        40 % less time a statement, measured); commit explicitly, else it rolls back."""
        async with self._unavailable():
            if self.dialect != "sqlite":
                async with self.engine.connect() as connection:
                    yield connection
                return
            # SQLAlchemy closes a connection in a task of its own, shielded, so that a
            # cancellation cannot cut the close short: a task, a shield and a turn of the loop
            # for every check-out (about half of its cost, measured). SQLite runs on the
            # loop's thread (inline_sqlite) and its close never waits, so nothing can cut it:
            # closed directly.
            connection = await self.engine.connect()
            try:
                yield connection
            finally:
                await connection.close()

    @asynccontextmanager
    async def _unavailable(self) -> AsyncIterator[None]:
        try:
            yield
        except _UNAVAILABLE as exc:
            raise StoreUnavailable(
                f"database {self.dialect} unavailable: {exc}", store="database"
            ) from exc
        except PoolTimeout as exc:
            # Every connection busy for pool_timeout (a burst): wait and try again, as for an
            # outage; the work is kept (the inbox row, the visitor's unacknowledged message).
            raise StoreUnavailable(
                f"database {self.dialect} busy: no free connection: {exc}", store="database"
            ) from exc
        except DBAPIError as exc:
            if exc.connection_invalidated or _server_gone(exc):
                raise StoreUnavailable(
                    f"database connection lost: {exc}", store="database"
                ) from exc
            raise

    @asynccontextmanager
    async def control(self) -> AsyncIterator[AsyncConnection]:
        """A connection of a small pool of its own, for what must not queue behind the turns
        (renewing leases): a pool busy with slow turns must not let a lease expire."""
        if self._control is None:
            self._control = create_async_engine(
                self.engine.url,
                hide_parameters=self._hide_parameters,
                pool_size=1,
                max_overflow=1,
                pool_pre_ping=True,
            )
        async with self._unavailable(), self._control.connect() as connection:
            yield connection

    async def ping(self) -> None:
        """Raise StoreUnavailable unless the database answers."""
        async with self.session() as session:
            await session.execute(text("SELECT 1"))

    async def upgrade(self, revision: str = "head") -> None:
        """Apply the Alembic migration chain up to ``revision``."""
        from alembic import command

        cfg = alembic_config(self.url)

        def run(connection: Connection) -> None:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)

        try:
            async with self.engine.begin() as conn:
                await conn.run_sync(run)
        except _UNAVAILABLE as exc:
            raise StoreUnavailable(
                f"database {self.dialect} unavailable: {exc}", store="database"
            ) from exc

    async def pending_migrations(self) -> bool:
        """True when the schema is behind the newest migration."""
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(alembic_config(self.url)).get_current_head()

        def current(connection: Connection) -> str | None:
            return MigrationContext.configure(connection).get_current_revision()

        async with self.engine.connect() as conn:
            return await conn.run_sync(current) != head

    async def scrub(self, *tables: str) -> bool:
        """Take words just erased out of the database's files, as far as the backend can.

        SQLite (with ``secure_delete``, which zeroes freed space in the database file) copies
        its write-ahead log, which still holds the pages as they were, into the database and
        truncates it. PostgreSQL vacuums ``tables`` so the old row versions are pruned; their
        bytes may stay in free space, the WAL and backups until overwritten (see README).

        Returns:
            False when it could not finish (another process kept reading the SQLite log for
            seconds, or the server went away); the erasure itself is committed either way.
        """
        try:
            if self.dialect == "sqlite":
                return await self._checkpoint()
            async with self.engine.connect() as conn:
                # VACUUM cannot run inside a transaction block.
                auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await auto.exec_driver_sql(f"VACUUM {', '.join(tables)}")
            return True
        except (*_UNAVAILABLE, DBAPIError) as exc:
            logger.warning("could not scrub the database after an erasure: %s", type(exc).__name__)
            return False

    async def _checkpoint(self, *, within: float = 5.0) -> bool:
        deadline = time.monotonic() + within
        wait = 0.01
        while True:
            async with self.engine.connect() as conn:
                auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
                row = (await auto.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
            if row[0] == 0:  # not busy: every frame is in the database, the log is empty
                return True
            if time.monotonic() >= deadline:
                logger.warning("SQLite log not checkpointed: another connection kept reading it")
                return False
            await asyncio.sleep(wait)  # a reader in another process: let it finish
            wait = min(wait * 2, 0.2)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        if self._control is not None:
            await self._control.dispose()
        await self.engine.dispose()


# SQLSTATE classes that mean the server is not usable now, not that the query is wrong:
# connection exceptions (08...), and shutting down or starting up (57P01..57P03).
_GONE_STATES = ("08", "57P01", "57P02", "57P03")


def _server_gone(exc: DBAPIError) -> bool:
    """True for a driver error that says the server is away (PostgreSQL shutting down, say)."""
    cause: BaseException | None = exc.orig
    while cause is not None:
        state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if isinstance(state, str) and state.startswith(_GONE_STATES):
            return True
        if isinstance(cause, OSError | ConnectionError):
            return True
        cause = cause.__cause__
    return False


def _inline_sqlite(dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> Any:
    # The dialect's own URL handling builds the arguments; only the connection differs.
    return dialect.dbapi.connect(*cargs, async_creator_fn=inline_sqlite.connect, **cparams)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (reports, CLI) work while the bot writes; foreign keys make
    # ON DELETE CASCADE erase a customer everywhere, as on PostgreSQL; secure_delete zeroes
    # what a DELETE or an UPDATE frees, so erased words do not linger in free space.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
