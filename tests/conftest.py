"""Shared fixtures: a migrated database per backend and conversation state per backend."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.config import DEFAULT_THRESHOLD
from crm_memory import MemoryConversationState, RedisConversationState, SqlDatabase
from crm_memory.sql._models import Base
from handlers.acts import ActReader, shipped_acts
from nlu import BuiltinEngine, load_training_data

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "")

_backends_run: set[str] = set()
_pg_migrated = False


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    ran = ", ".join(sorted(_backends_run)) or "none"
    terminalreporter.write_line(f"contract-test backends run: {ran}")
    if not PG_URL:
        terminalreporter.write_line(
            "PostgreSQL tests skipped: set TEST_DATABASE_URL=postgresql+asyncpg://... (CI does)"
        )
    if not REDIS_URL:
        terminalreporter.write_line(
            "Redis tests skipped: set TEST_REDIS_URL=redis://127.0.0.1:6379/0 (CI does)"
        )


async def _fresh_postgres() -> SqlDatabase:
    global _pg_migrated
    db = SqlDatabase(PG_URL)
    async with db.engine.begin() as conn:
        if not _pg_migrated:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    if not _pg_migrated:
        await db.upgrade()
        _pg_migrated = True
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    async with db.engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return db


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlDatabase]:
    """A migrated, empty database: SQLite always, PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("PostgreSQL: set TEST_DATABASE_URL=postgresql+asyncpg://... to run")
        database = await _fresh_postgres()
    else:
        database = SqlDatabase(f"sqlite+aiosqlite:///{tmp_path / 'crm.db'}")
        await database.upgrade()
    _backends_run.add(request.param)
    yield database
    await database.dispose()


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[SqlDatabase]:
    """A migrated, empty SQLite database (for tests that are not about the backend)."""
    database = SqlDatabase(f"sqlite+aiosqlite:///{tmp_path / 'crm.db'}")
    await database.upgrade()
    yield database
    await database.dispose()


class FakeClock:
    """A monotonic clock tests move by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["memory", "redis"])
async def state(
    request: pytest.FixtureRequest,
) -> AsyncIterator[MemoryConversationState | RedisConversationState]:
    """Conversation state: the in-process stand-in always, Redis when TEST_REDIS_URL is set."""
    if request.param == "redis":
        if not REDIS_URL:
            pytest.skip("Redis: set TEST_REDIS_URL=redis://127.0.0.1:6379/0 to run")
        store: MemoryConversationState | RedisConversationState = RedisConversationState(
            REDIS_URL, prefix=f"test:{uuid.uuid4().hex}:"
        )
    else:
        store = MemoryConversationState()
    _backends_run.add(request.param)
    yield store
    await store.close()


@pytest.fixture(scope="session")
def acts() -> ActReader:
    """The dialogue-act reader of the shipped data, trained before the test, as the bot
    trains it at start: trained on a turn's first use instead, it held the event loop for
    20-30 s on a loaded machine, and chats queued for the one SQLite connection meanwhile
    timed out (pool_timeout, 30 s) in test_chats_side_by_side_each_in_order."""
    reader = shipped_acts()
    _ = reader.engine
    return reader


@pytest.fixture(scope="session")
def engine() -> BuiltinEngine:
    """The built-in engine trained once on the shipped data, at the bot's default threshold."""
    return BuiltinEngine.train(load_training_data(), threshold=DEFAULT_THRESHOLD)
