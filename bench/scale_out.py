"""Scale-out: webhook mode with 1 and then 2 worker processes behind one address, sharing
PostgreSQL and Redis, against the local Bot API stand-in.

A small proxy (here, in this process) takes Telegram's webhook calls on one port and sends
each chat to one worker (by chat id), so a chat's updates stay in order; the Redis per-chat
lock guards the rest. We measure messages answered per second with each worker count and
check that no message was answered or stored twice.

    python bench/scale_out.py --database-url postgresql+asyncpg://... --redis-url redis://...
        [--customers 40] [--messages 10] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import ClientError, ClientSession, web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from e2e_throughput import TEXT, TimedStandIn, reset  # noqa: E402

from crm_memory import Direction, SqlDatabase  # noqa: E402

SECRET = "bench-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def proxy(ports: list[int]) -> tuple[web.AppRunner, int]:
    """One address for Telegram: each chat always goes to the same worker."""
    session = ClientSession()

    async def forward(request: web.Request) -> web.Response:
        body = await request.read()
        chat = json.loads(body)["message"]["chat"]["id"]
        port = ports[chat % len(ports)]
        try:
            async with session.post(
                f"http://127.0.0.1:{port}/hook", data=body, headers=dict(request.headers)
            ) as answer:
                return web.Response(status=answer.status)
        except ClientError:
            return web.Response(status=502)  # the worker is not up yet: Telegram retries

    async def close(_: web.Application) -> None:
        await session.close()

    app = web.Application()
    app.router.add_post("/hook", forward)
    app.on_cleanup.append(close)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, port


class Telegram:
    """Delivers updates to the webhook as Telegram does: one chat's updates in order."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1)

    def update(self, chat: int) -> dict[str, Any]:
        user = {"id": chat, "is_bot": False, "first_name": f"C{chat}", "language_code": "en"}
        return {
            "update_id": next(self._ids),
            "message": {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat, "type": "private", "first_name": f"C{chat}"},
                "from": user,
                "text": TEXT,
            },
        }

    async def send(self, session: ClientSession, updates: list[dict[str, Any]]) -> None:
        for update in updates:
            for _ in range(50):
                async with session.post(
                    self.url,
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                ) as answer:
                    if answer.status == 200:
                        break
                await asyncio.sleep(0.1)  # Telegram retries what was not acknowledged
            else:
                raise RuntimeError(f"update {update['update_id']} never acknowledged")


async def run(workers: int, args: argparse.Namespace) -> dict[str, float]:
    await reset(args.database_url, args.redis_url)
    api = TimedStandIn()
    await api.start()
    ports = [free_port() for _ in range(workers)]
    processes = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMBOT_")}
    for port in ports:
        processes.append(
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=ROOT,
                env={
                    **env,
                    "CRMBOT_TELEGRAM__TOKEN": api.token,
                    "CRMBOT_TELEGRAM__BASE_URL": api.base_url,
                    "CRMBOT_TELEGRAM__MODE": "webhook",
                    "CRMBOT_TELEGRAM__WEBHOOK_URL": "https://bot.example/hook",
                    "CRMBOT_TELEGRAM__WEBHOOK_LISTEN": "127.0.0.1",
                    "CRMBOT_TELEGRAM__WEBHOOK_PORT": str(port),
                    "CRMBOT_WEB__PORT": str(free_port()),  # each worker's health checks
                    "CRMBOT_TELEGRAM__WEBHOOK_SECRET": SECRET,
                    "CRMBOT_STORAGE__DATABASE_URL": args.database_url,
                    "CRMBOT_STORAGE__REDIS_URL": args.redis_url,
                    "CRMBOT_CONVERSATION__FLOOD_LIMIT": "100000",
                    "CRMBOT_LOGGING__LEVEL": "WARNING",
                },
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
        )
    runner, proxy_port = await proxy(ports)
    telegram = Telegram(f"http://127.0.0.1:{proxy_port}/hook")
    try:
        async with ClientSession() as session:
            # Warm up every worker (model load, connections): one chat routed to each.
            warm = [telegram.update(10 + i) for i in range(workers)]
            for _ in range(600):
                try:
                    await telegram.send(session, warm)
                    break
                except (OSError, RuntimeError):  # not listening yet, or 502 for 5 s: starting
                    await asyncio.sleep(0.2)
            await api.wait_for(lambda: api.answered() >= workers, within=120)
            api.pushed.clear()
            api.replied.clear()
            chats = [1000 + c for c in range(args.customers)]
            plan = {chat: [telegram.update(chat) for _ in range(args.messages)] for chat in chats}
            total = args.customers * args.messages
            start = time.perf_counter()
            await asyncio.gather(*(telegram.send(session, ups) for ups in plan.values()))
            await api.wait_for(lambda: api.answered() >= total, within=900)
            seconds = time.perf_counter() - start
            await asyncio.sleep(1.0)  # anything answered twice would arrive now
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            _, err = await process.communicate()
            if process.returncode not in (0, -15):
                print(err.decode()[-1500:], file=sys.stderr)
        await runner.cleanup()
        await api.stop()
    replies = {chat: len(api.replied.get(chat, [])) for chat in chats}
    db = SqlDatabase(args.database_url)
    try:
        stored = []
        for chat in chats:
            from crm_memory import ChannelIdentity

            customer = await db.customers.find(ChannelIdentity("telegram", str(chat)))
            assert customer is not None
            history = await db.messages.history(customer.id, limit=10 * args.messages)
            stored.append(sum(1 for m in history if m.direction is Direction.IN))
    finally:
        await db.dispose()
    return {
        f"workers_{workers}_messages_per_s": round(total / seconds, 1),
        f"workers_{workers}_seconds": round(seconds, 2),
        f"workers_{workers}_chats_answered_other_than_once_per_message": sum(
            1 for n in replies.values() if n != args.messages
        ),
        f"workers_{workers}_chats_stored_other_than_once_per_message": sum(
            1 for n in stored if n != args.messages
        ),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True, help="postgresql+asyncpg://...")
    parser.add_argument("--redis-url", required=True, help="redis://host:port/db")
    parser.add_argument("--customers", type=int, default=40)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    args = parser.parse_args()
    result: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "customers": args.customers,
        "messages_each": args.messages,
    }
    for workers in (1, 2):
        result.update(await run(workers, args))
    result["speedup"] = round(
        result["workers_2_messages_per_s"] / result["workers_1_messages_per_s"], 2
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
