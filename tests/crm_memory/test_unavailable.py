"""Which driver errors mean "the database is away" (wait it out) and which are bugs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from crm_memory import SqlDatabase, StoreUnavailable


class DriverError(Exception):
    """What SQLAlchemy's asyncpg adapter raises: the server's SQLSTATE on ``sqlstate``."""

    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def _error(message: str, sqlstate: str | None) -> DBAPIError:
    return DBAPIError("SELECT 1", {}, DriverError(message, sqlstate))


@pytest.mark.parametrize(
    ("message", "sqlstate"),
    [
        ("the database system is shutting down", "57P01"),
        ("the database system is starting up", "57P03"),
        ("connection failure", "08006"),
    ],
)
async def test_a_server_going_away_is_unavailable(
    sqlite_db: SqlDatabase, message: str, sqlstate: str
) -> None:
    with pytest.raises(StoreUnavailable, match=message):
        async with sqlite_db.connection():
            raise _error(message, sqlstate)


async def test_a_wrong_query_is_not_an_outage(sqlite_db: SqlDatabase) -> None:
    with pytest.raises(DBAPIError):
        async with sqlite_db.connection():
            raise _error('column "nope" does not exist', "42703")


async def test_a_pool_with_no_free_connection_is_unavailable(tmp_path: Path) -> None:
    # SQLite keeps one connection; a turn that waits longer than the pool's timeout for it
    # (a burst of visitors) is told the database is busy, to wait and try again, instead of
    # failing with SQLAlchemy's own TimeoutError (which cut widget sockets under load).
    db = SqlDatabase(f"sqlite+aiosqlite:///{tmp_path / 'busy.db'}", pool_timeout=0.2)
    try:
        async with db.connection():
            with pytest.raises(StoreUnavailable, match="busy"):
                async with db.connection() as second:
                    await second.execute(text("SELECT 1"))
    finally:
        await db.engine.dispose()
