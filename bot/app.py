"""The one place where stores, NLU, handlers and channels are built from settings and wired."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

from bot.config import ConfigError, Settings
from crm_memory import CrmError, SqlDatabase, StoreUnavailable, open_state
from crm_memory.protocols import ConversationState

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Stores:
    """The opened CRM stores."""

    db: SqlDatabase
    state: ConversationState


@asynccontextmanager
async def open_stores(settings: Settings, *, migrate: bool = True) -> AsyncIterator[Stores]:
    """Connect to the database and conversation state, check both answer, migrate.

    Raises:
        ConfigError: when a store is misconfigured or unreachable, naming the key to fix.
    """
    cfg = settings.storage
    try:
        db = SqlDatabase(
            cfg.database_url, conversation_gap=timedelta(minutes=cfg.conversation_gap_minutes)
        )
    except CrmError as exc:
        raise ConfigError("storage.database_url", str(exc), _DB_FIX) from exc
    state = open_state(cfg.redis_url, prefix=cfg.redis_prefix)
    try:
        try:
            await db.ping()
            if migrate:
                await db.upgrade()
        except StoreUnavailable as exc:
            raise ConfigError("storage.database_url", _short(exc), _DB_FIX) from exc
        try:
            await state.ping()
        except StoreUnavailable as exc:
            raise ConfigError(
                "storage.redis_url",
                _short(exc),
                "start Redis, correct CRMBOT_STORAGE__REDIS_URL, or leave it empty for the "
                "in-process stand-in (one worker only)",
            ) from exc
        yield Stores(db=db, state=state)
    finally:
        await state.close()
        await db.dispose()


_DB_FIX = (
    "check the server is running and the URL (CRMBOT_STORAGE__DATABASE_URL), "
    "e.g. postgresql+asyncpg://user:pass@127.0.0.1:5432/crm or sqlite+aiosqlite:///data/crm.db"
)


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:300]
