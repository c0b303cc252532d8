"""`python -m bot run` serving Telegram customers through a Bot API at telegram.base_url."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import httpx

from tests.ports import free_port
from tests.telegram.conftest import bot_env, start_bot
from tests.telegram.standin import BotApiStandIn


async def test_run_serves_customers_and_stops_on_sigterm(tmp_path: Path) -> None:
    api = BotApiStandIn()
    await api.start()
    web_port = free_port()
    env = bot_env(
        api,
        tmp_path,
        CRMBOT_AGENTS__CHAT_ID="-100500",
        CRMBOT_AGENTS__USER_IDS="[9001]",
        CRMBOT_WEB__ENABLED="true",
        CRMBOT_WEB__PORT=str(web_port),
    )
    process = await start_bot(env, "run")
    try:
        api.customer_says(42, "hello", name="Wei")
        api.customer_says(42, "我的订单A-1003到哪了", name="Wei", language="zh")
        await api.wait_for(lambda: len(api.to(42)) == 2, within=60)
        assert api.to(42)[0].text.startswith("Hi Wei")
        assert "订单 A-1003" in api.to(42)[1].text
        api.customer_says(42, "/agent", name="Wei")
        await api.wait_for(lambda: len(api.to(-100500)) == 1, within=30)
        assert api.to(-100500)[0].text.startswith("🆘 Case #1")
        api.agent_says(9001, -100500, "您好，我是 Maria", reply_to=api.to(-100500)[0])
        await api.wait_for(lambda: api.to(42)[-1].text == "您好，我是 Maria", within=30)
        # web.enabled: the desk and API are served by the same process.
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{web_port}") as desk:
            assert (await desk.get("/login")).status_code == 200
            assert (await desk.get("/api/cases")).status_code == 401
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 30)
    try:
        # `crm forget` from another process edits the case post through the Bot API too.
        forget = await start_bot(env, "crm", "forget", "telegram:42", "--yes")
        said, _ = await asyncio.wait_for(forget.communicate(), 60)
        assert forget.returncode == 0, said.decode()
        assert "1 of 1 agents' chat post(s) edited" in said.decode()
        assert api.reads_now(-100500)[0] == "[erased]"
    finally:
        await api.stop()
    assert process.returncode == 0, output.decode()[-2000:]
    assert b"Traceback" not in output
    # Logs at the default level name no customer and quote nobody's words.
    log = output.decode()
    for trace in ("Wei", "A-1003", "订单", "Maria", "您好"):
        assert trace not in log, trace
