"""The desk as its own process: `python -m bot web` and `python -m bot run` on one database,
no Redis; what an agent does in the desk is what the bot does, because the owner is in SQL."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import httpx

from bot.web.auth import new_token, token_hash
from crm_memory import ChannelIdentity, Direction, SqlDatabase
from tests.ports import free_port
from tests.telegram.conftest import bot_env, start_bot
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_health import ready_state

ANNA = 501


async def _recorded(url: str, text: str, *, within: float = 30.0) -> None:
    """Wait until the bot has recorded ``text`` from Anna and finished its turn (inbox done)."""
    db = SqlDatabase(url)
    try:
        deadline = asyncio.get_running_loop().time() + within
        while True:
            customer = await db.customers.find(ChannelIdentity("telegram", str(ANNA)))
            if customer is not None:
                history = await db.messages.history(customer.id, limit=100)
                said = [m.text for m in history if m.direction is Direction.IN]
                if text in said and not await db.inbox.pending("telegram"):
                    return
            assert asyncio.get_running_loop().time() < deadline, f"{text!r} never recorded"
            await asyncio.sleep(0.2)
    finally:
        await db.dispose()


async def test_a_take_in_the_desk_process_silences_the_bot_process_and_handback_undoes_it(
    tmp_path: Path,
) -> None:
    api = BotApiStandIn()
    await api.start()
    bot_port, desk_port = free_port(), free_port()
    # One SQLite file, no Redis: the two processes share nothing but the database.
    env = bot_env(api, tmp_path, CRMBOT_WEB__PORT=str(bot_port))
    url = env["CRMBOT_STORAGE__DATABASE_URL"]
    bot = await start_bot(env, "run")
    desk: asyncio.subprocess.Process | None = None
    try:
        # Up to 5 min: the first start trains the NLU model, slow on a loaded machine.
        await ready_state(f"http://127.0.0.1:{bot_port}/readyz", want=200, within=300)
        # The desk starts once the bot has trained the model both load.
        desk = await start_bot({**env, "CRMBOT_WEB__PORT": str(desk_port)}, "web")
        api.customer_says(ANNA, "I want to talk to a human", name="Anna")
        await api.wait_for(lambda: len(api.to(ANNA)) == 1, within=60)
        await _recorded(url, "I want to talk to a human")

        token = new_token("crm_")
        db = SqlDatabase(url)
        try:
            await db.accounts.add_token("Maria", token_hash=token_hash(token), scope="write")
        finally:
            await db.dispose()
        await ready_state(f"http://127.0.0.1:{desk_port}/readyz", want=200, within=120)
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{desk_port}",
            headers={"authorization": f"Bearer {token}"},
            timeout=30,
        ) as desk_api:
            (case,) = (await desk_api.get("/api/cases")).json()
            number = case["number"]
            taken = await desk_api.post(f"/api/cases/{number}/take")
            assert taken.status_code == 200 and taken.json()["owner"] == "api:Maria", taken.text

            # The bot process records the customer's words and stays quiet: an agent has them.
            before = len(api.to(ANNA))
            api.customer_says(ANNA, "what are your opening hours", name="Anna")
            await _recorded(url, "what are your opening hours")
            await asyncio.sleep(1.0)  # a reply the bot wrongly sent would arrive by now
            assert len(api.to(ANNA)) == before, [m.text for m in api.to(ANNA)[before:]]

            handed = await desk_api.post(f"/api/cases/{number}/handback")
            assert handed.status_code == 200, handed.text
            # The desk process tells the customer the bot is back (through the Bot API).
            await api.wait_for(lambda: len(api.to(ANNA)) == before + 1, within=30)

            api.customer_says(ANNA, "how much is shipping", name="Anna")
            await api.wait_for(lambda: len(api.to(ANNA)) == before + 2, within=60)
            assert "delivery" in api.to(ANNA)[-1].text.lower(), api.to(ANNA)[-1].text
    finally:
        outputs = []
        for process in (bot, desk):
            if process is None:
                continue
            process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), 30)
            outputs.append(output.decode(errors="replace"))
        await api.stop()
    assert bot.returncode == 0, outputs[0][-2000:]
    assert desk is not None and desk.returncode == 0, outputs[-1][-2000:]
