"""The Bot API stand-in and the handlers' fixtures (a real dispatcher on SQLite)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.handlers.conftest import RealClock, deps, dispatcher
from tests.ports import free_port
from tests.telegram.standin import BotApiStandIn

__all__ = ["api", "bot_env", "deps", "dispatcher", "start_bot"]

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
        # `run` always serves its health checks on the web port: one of its own per bot.
        CRMBOT_WEB__PORT=str(free_port()),
        CRMBOT_TELEGRAM__SENT_JOURNAL=str(tmp_path / "sent-journal"),
    )
    env.update(extra)
    return env


async def start_bot(
    env: dict[str, str], *args: str, output: bool = True
) -> asyncio.subprocess.Process:
    """``python -m bot ARGS`` in the repository; its stdout and stderr are read as one, or
    dropped when ``output`` is False."""
    stream = asyncio.subprocess.PIPE if output else asyncio.subprocess.DEVNULL
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env=env,
        stdout=stream,
        stderr=asyncio.subprocess.STDOUT if output else asyncio.subprocess.DEVNULL,
    )


@pytest.fixture
def week_clock() -> RealClock:
    """These tests run on the real clock (the handlers' fixed week is for replies' dates)."""
    return RealClock()
