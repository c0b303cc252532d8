"""Polling with two processes on PostgreSQL: one polls (an advisory lock elects it), both
answer from the inbox; when the poller is killed -9 the other polls, and nothing is lost,
doubled or answered out of order."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PG_URL, REDIS_URL, _fresh_postgres
from tests.ports import free_port
from tests.telegram.conftest import bot_env
from tests.telegram.deployment import ROOT
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_scale_out import CHATS, each_answered_once_in_order, settled

pytestmark = pytest.mark.skipif(
    not (PG_URL and REDIS_URL),
    reason="several pollers: set TEST_DATABASE_URL and TEST_REDIS_URL (CI does)",
)

POLLS = "this process polls Telegram now"


async def _poller(logs: list[Path], within: float = 300.0) -> int:
    """Which process says it polls (its index), once one does."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        saying = [i for i, log in enumerate(logs) if POLLS in log.read_text(errors="replace")]
        if saying:
            assert len(saying) == 1, "two processes polled at once"
            return saying[0]
        await asyncio.sleep(0.2)
    raise AssertionError("no process polls")


async def test_one_of_two_processes_polls_both_answer_and_the_other_polls_after_a_kill_9(
    tmp_path: Path,
) -> None:
    db = await _fresh_postgres()
    import redis.asyncio as redis

    client = redis.Redis.from_url(REDIS_URL)
    await client.flushdb()
    await client.aclose()
    api = BotApiStandIn()
    await api.start()
    env = bot_env(
        api,
        tmp_path,
        CRMBOT_STORAGE__DATABASE_URL=PG_URL,
        CRMBOT_STORAGE__REDIS_URL=REDIS_URL,
        CRMBOT_NLU__MODEL_DIR="data/nlu-model",  # the one `make install` trained
        CRMBOT_CONVERSATION__FLOOD_LIMIT="100000",
        CRMBOT_SCALE__LEASE_SECONDS="3",
        CRMBOT_LOGGING__LEVEL="INFO",
    )
    logs = [tmp_path / "bot0.log", tmp_path / "bot1.log"]
    processes = []
    for log in logs:
        own = {**env, "CRMBOT_WEB__PORT": str(free_port())}  # each its own health checks
        with log.open("wb") as out:  # the child keeps its own copy of the descriptor
            processes.append(
                await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", stdout=out, stderr=out, env=own, cwd=ROOT
                )
            )
    try:
        first = await _poller(logs)
        await asyncio.sleep(1.0)
        assert all(p.returncode is None for p in processes), [
            log.read_text()[-2000:] for log in logs
        ]
        half = 3
        for step in range(half):  # the customers write at once, each in order
            for chat, lines in CHATS.items():
                api.customer_says(chat, lines[step], name=f"C{chat}")
        await api.wait_for(lambda: len(api.sent) >= 4, within=60)
        processes[first].send_signal(signal.SIGKILL)  # the poller, mid-stream
        await processes[first].wait()
        for step in range(half, max(len(lines) for lines in CHATS.values())):
            for chat, lines in CHATS.items():
                if step < len(lines):
                    api.customer_says(chat, lines[step], name=f"C{chat}")
        await settled(db, sum(len(lines) for lines in CHATS.values()), within=120)
        await asyncio.sleep(1.5)  # a reply sent twice would arrive now
        other = 1 - first
        assert POLLS in logs[other].read_text(errors="replace"), "nobody took over polling"
        assert processes[other].returncode is None, logs[other].read_text()[-3000:]
        await each_answered_once_in_order(db, api)
    finally:
        for process in processes:
            if process.returncode is None:
                process.terminate()
        for process in processes:
            await process.wait()
        await api.stop()
        await db.dispose()

