"""SQLite on the event loop's thread: a lock held elsewhere is waited out without blocking."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest

from crm_memory import ChannelIdentity, SqlDatabase
from crm_memory.sql import inline_sqlite


async def _ticks_while(work: asyncio.Future[object] | asyncio.Task[object]) -> int:
    """How often a 10 ms timer fired while ``work`` ran: 0 means the loop was blocked."""
    ticks = 0
    while not work.done():
        await asyncio.sleep(0.01)
        ticks += 1
    return ticks


async def test_a_write_waits_for_another_process_lock_without_blocking_the_loop(
    sqlite_db: SqlDatabase, tmp_path: Path
) -> None:
    path = sqlite_db.url.split("///", 1)[1]
    other = sqlite3.connect(path, isolation_level=None)  # as another process would
    other.execute("BEGIN IMMEDIATE")  # holds the write lock
    write = asyncio.ensure_future(
        sqlite_db.customers.get_or_create(ChannelIdentity("telegram", "7"), display_name="Li")
    )
    await asyncio.sleep(0.3)
    assert not write.done()  # waiting for the lock
    ticks = asyncio.ensure_future(_ticks_while(write))
    await asyncio.sleep(0.1)
    other.execute("COMMIT")
    customer, created = await asyncio.wait_for(write, 5)
    assert created and customer.display_name == "Li"
    assert await ticks >= 5  # the loop kept serving while the write waited
    other.close()


async def test_a_lock_held_past_the_timeout_is_an_error(tmp_path: Path) -> None:
    path = str(tmp_path / "locked.db")
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (v INTEGER)")
    setup.execute("BEGIN IMMEDIATE")
    connection = await inline_sqlite.connect(path, timeout=0.2)
    cursor = connection.cursor()
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        await cursor.execute("INSERT INTO t VALUES (1)")
    assert 0.2 <= time.monotonic() - started < 2
    setup.execute("COMMIT")
    await cursor.execute("INSERT INTO t VALUES (?)", (2,))
    await connection.commit()
    await cursor.execute("SELECT v FROM t")
    assert await cursor.fetchall() == [(2,)]
    await connection.close()
    setup.close()
