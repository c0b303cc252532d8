"""kill -9 with updates in flight: after a restart every message is answered, none is lost,
and nothing is recorded twice."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from crm_memory import ChannelIdentity, Direction, SqlDatabase
from tests.telegram.conftest import bot_env, start_bot
from tests.telegram.standin import BotApiStandIn

CUSTOMERS = range(1001, 1011)
QUESTIONS = (
    "hello",
    "what are your opening hours",
    "how do I reset my password",
    "how much is shipping",
)


async def _start(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await start_bot(env, "run", output=False)


async def test_kill_9_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    api = BotApiStandIn()
    await api.start()
    env = bot_env(api, tmp_path)
    url = env["CRMBOT_STORAGE__DATABASE_URL"]
    for question in QUESTIONS:
        for user in CUSTOMERS:
            api.customer_says(user, question, name=f"C{user}")
    total = len(QUESTIONS) * len(CUSTOMERS)

    first = await _start(env)
    try:
        await api.wait_for(lambda: len(api.sent) >= 5, within=60)
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    assert len(api.sent) < total, "the crash should come with updates still in flight"

    second = await _start(env)
    try:
        await api.wait_for(
            lambda: all(len(api.to(u)) >= len(QUESTIONS) for u in CUSTOMERS), within=90
        )
    finally:
        second.send_signal(signal.SIGTERM)
        await second.wait()
        await api.stop()
    assert second.returncode == 0

    db = SqlDatabase(url)
    try:
        for user in CUSTOMERS:
            customer = await db.customers.find(ChannelIdentity("telegram", str(user)))
            assert customer is not None
            history = await db.messages.history(customer.id, limit=100)
            inbound = [m.text for m in history if m.direction is Direction.IN]
            outbound = [m for m in history if m.direction is Direction.OUT]
            assert inbound == list(QUESTIONS)  # each stored once, in order
            assert len(outbound) == len(QUESTIONS)  # each answered once
            assert all(m.sent_at is not None for m in outbound)
        assert await db.inbox.pending("telegram") == []
    finally:
        await db.dispose()
