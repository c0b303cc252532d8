"""Webhook mode: Telegram POSTs updates; each is stored before the 200, then answered."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
from sqlalchemy import select

from bot.telegram_channel import CHANNEL
from crm_memory import SqlDatabase
from crm_memory.sql._models import InboxRow
from handlers.dispatcher import Dispatcher
from tests.ports import free_port, until_listening
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_channel import make_channel


def _update(update_id: int, text: str, chat: int = 77) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "text": text,
            "chat": {"id": chat, "type": "private", "first_name": "Li"},
            "from": {"id": chat, "is_bot": False, "first_name": "Li", "language_code": "en"},
        },
    }


async def test_webhook_stores_then_acknowledges_then_answers(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> None:
    channel = make_channel(api, dispatcher, sqlite_db)
    await channel.start(webhook=True)
    port, stop = free_port(), asyncio.Event()
    server = asyncio.create_task(
        channel.serve_webhook(
            url="https://bot.example.com/tg/hook",
            listen="127.0.0.1",
            port=port,
            secret="s3cret",
            stop=stop,
        )
    )
    url = f"http://127.0.0.1:{port}/tg/hook"
    try:
        async with httpx.AsyncClient() as client:
            await until_listening(port)
            header = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            wrong = await client.post(
                url, json=_update(1, "hi"), headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
            )
            assert wrong.status_code == 403
            bad = await client.post(url, content=b"not json", headers=header)
            assert bad.status_code == 400
            assert await sqlite_db.inbox.last_update_id(CHANNEL) is None
            # Another worker behind the same address stored this one and will answer it.
            theirs = json.dumps(_update(4, "hello", chat=88))
            await sqlite_db.inbox.put(CHANNEL, 4, theirs)

            ok = await client.post(url, json=_update(5, "hi"), headers=header)
            assert ok.status_code == 200
            assert await sqlite_db.inbox.last_update_id(CHANNEL) == 5  # stored before the 200
            async with sqlite_db.engine.connect() as conn:
                sender = await conn.scalar(
                    select(InboxRow.sender).where(InboxRow.update_id == 5)
                )
            assert sender == "77"  # whose it is, for an erasure
            again = await client.post(url, json=_update(5, "hi"), headers=header)
            assert again.status_code == 200  # a redelivery is acknowledged, not stored twice
        await api.wait_for(lambda: len(api.to(77)) == 1)
        assert api.to(77)[0].text.startswith("Hi Li")
        (hook,) = [p for m, p in api.calls if m == "setWebhook"]
        assert hook["url"] == "https://bot.example.com/tg/hook"
        assert hook["secret_token"] == "s3cret"
        assert not [m for m, _ in api.calls if m == "getUpdates"]
        # Each worker answers what it received: the other worker's update is left to it.
        for _ in range(100):  # the row is marked done just after the reply is sent
            pending = [i.update_id for i in await sqlite_db.inbox.pending(CHANNEL)]
            if pending == [4]:
                break
            await asyncio.sleep(0.05)
        assert pending == [4]
        assert api.to(88) == []
    finally:
        stop.set()
        await server
        await channel.stop()
    await asyncio.sleep(0.1)
    assert len(api.to(77)) == 1
