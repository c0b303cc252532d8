"""The Bot API stand-in and the handlers' fixtures (a real dispatcher on SQLite)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.handlers.conftest import deps, dispatcher
from tests.telegram.standin import BotApiStandIn

__all__ = ["api", "bot_env", "deps", "dispatcher"]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def api() -> AsyncIterator[BotApiStandIn]:
    standin = BotApiStandIn()
    await standin.start()
    yield standin
    await standin.stop()


def bot_env(api: BotApiStandIn, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment for `python -m bot run` against the stand-in, with its own database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMBOT_")}
    env.update(
        CRMBOT_TELEGRAM__TOKEN=api.token,
        CRMBOT_TELEGRAM__BASE_URL=api.base_url,
        CRMBOT_TELEGRAM__POLL_TIMEOUT="1",
        CRMBOT_STORAGE__DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'crm.db'}",
        CRMBOT_NLU__MODEL_DIR=str(tmp_path / "model"),
        **extra,
    )
    return env
