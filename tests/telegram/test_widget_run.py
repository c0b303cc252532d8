"""`python -m bot run` with the widget on (the desk off): website visitors and Telegram
customers side by side."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

import httpx
import websockets

from tests.ports import free_port
from tests.telegram.conftest import bot_env, start_bot
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_health import model_dir, ready_state

SHOP = "https://shop.example"


async def test_run_serves_the_widget_beside_telegram(tmp_path: Path, model_dir: str) -> None:
    api = BotApiStandIn()
    await api.start()
    web_port = free_port()
    env = bot_env(
        api,
        tmp_path,
        CRMBOT_WEB__PORT=str(web_port),
        CRMBOT_NLU__MODEL_DIR=model_dir,
        CRMBOT_WIDGET__ENABLED="true",
        CRMBOT_WIDGET__ALLOWED_ORIGINS=json.dumps([SHOP]),
    )
    base = f"http://127.0.0.1:{web_port}"
    process = await start_bot(env, "run")
    try:
        await ready_state(f"{base}/readyz", want=200, within=90)
        async with httpx.AsyncClient(base_url=base) as client:
            script = await client.get("/widget.js")
            assert script.status_code == 200 and "crmw-bubble" in script.text
            # The desk is off, yet what the port serves describes itself: the widget's API
            # beside the health checks, for the shop's developers and contract tests.
            spec = (await client.get("/openapi.json")).json()
            paths = set(spec["paths"])
            assert {
                "/widget/api/session",
                "/widget/api/messages",
                "/widget/api/media",
                "/widget/api/media/{media_id}",
                "/widget/api/history",
                "/healthz",
                "/readyz",
            } <= paths, paths
            assert not any(p.startswith("/api/") for p in paths), paths  # no desk API
        url = f"ws://127.0.0.1:{web_port}/widget/ws"
        async with websockets.connect(url, origin=SHOP) as ws:  # type: ignore[arg-type]
            await ws.send(json.dumps({"token": None, "lang": "zh"}))
            assert json.loads(await ws.recv())["type"] == "ready"
            frame = {"type": "message", "client_id": "r1", "text": "我的订单A-1001到哪了"}
            await ws.send(json.dumps(frame))
            async with asyncio.timeout(60):
                while True:
                    said = json.loads(await ws.recv())
                    if said["type"] == "message" and said["from"] == "bot":
                        break
            assert "A-1001" in said["text"]
        api.customer_says(43, "hello", name="Ana")  # Telegram goes on as before
        await api.wait_for(lambda: len(api.to(43)) == 1, within=30)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 30)
        await api.stop()
    assert process.returncode == 0, output.decode()[-2000:]

__all__ = ["model_dir"]  # the fixture, shared with the health tests
