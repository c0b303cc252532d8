"""An error the bot cannot wait out ends `python -m bot run` with status 1 and one clear line."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.telegram.conftest import bot_env, start_bot
from tests.telegram.standin import BotApiStandIn


async def test_a_revoked_token_mid_run_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    api = BotApiStandIn()
    await api.start()
    process = await start_bot(bot_env(api, tmp_path), "run")
    try:
        api.customer_says(42, "hello")
        await api.wait_for(lambda: len(api.to(42)) == 1, within=60)
        api.token = "123:REVOKED"  # every call is now refused with 401, as after a revoke
        output, _ = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await api.stop()
    assert process.returncode == 1
    log = output.decode()
    stopped = [line for line in log.splitlines() if "the bot stopped" in line]
    assert len(stopped) == 1 and "CRITICAL" in stopped[0], log[-2000:]
    assert "Traceback" not in log
