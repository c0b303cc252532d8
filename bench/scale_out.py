"""Scale-out: webhook mode with 1, 2 and 4 worker processes behind Debian's nginx
(deploy/nginx.conf, round robin), sharing PostgreSQL and Redis, against the local Bot API
stand-in.

nginx spreads Telegram's webhook calls over the workers with no regard to the chat; every
worker stores what it receives and the workers take the inbox's work chat by chat under
leases. We measure messages answered per second and each message's reply latency (from its
webhook call to its reply reaching the stand-in) with each worker count, and check that no
message was answered or stored twice.

    python bench/scale_out.py --database-url postgresql+asyncpg://... --redis-url redis://...
        [--customers 40] [--messages 10] [--workers 1,2,4] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import ClientSession

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _report import machine, percentile  # noqa: E402
from e2e_throughput import TEXT, TimedStandIn, reset  # noqa: E402

from crm_memory import ChannelIdentity, Direction, SqlDatabase  # noqa: E402
from tests.ports import free_port, until_listening  # noqa: E402
from tests.telegram.deployment import HOOK_PATH, Nginx, nginx_binary, site_for  # noqa: E402

SECRET = "bench-secret"


class Telegram:
    """Delivers updates to the webhook as Telegram does: one chat's updates in order."""

    def __init__(self, url: str, api: TimedStandIn) -> None:
        self.url = url
        self.api = api
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
            chat = update["message"]["chat"]["id"]
            # Its latency runs from Telegram's first try.
            self.api.pushed.setdefault(chat, []).append(time.perf_counter())
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
    webs = [free_port() for _ in range(workers)]
    processes = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMBOT_")}
    for port, web_port in zip(ports, webs, strict=True):
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
                    "CRMBOT_TELEGRAM__WEBHOOK_URL": f"https://bot.example{HOOK_PATH}",
                    "CRMBOT_TELEGRAM__WEBHOOK_LISTEN": "127.0.0.1",
                    "CRMBOT_TELEGRAM__WEBHOOK_PORT": str(port),
                    "CRMBOT_WEB__PORT": str(web_port),  # each worker's health checks
                    "CRMBOT_TELEGRAM__WEBHOOK_SECRET": SECRET,
                    "CRMBOT_STORAGE__DATABASE_URL": args.database_url,
                    "CRMBOT_STORAGE__REDIS_URL": args.redis_url,
                    "CRMBOT_CONVERSATION__FLOOD_LIMIT": "100000",
                    "CRMBOT_LOGGING__LEVEL": "WARNING",
                    "CRMBOT_SCALE__CLAIMS": args.claims,
                },
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
        )
    nginx = Nginx(Path(tempfile.mkdtemp(prefix="crmbot-nginx-")))
    front = free_port()
    nginx.start(site_for(ports, webs, front), front)
    telegram = Telegram(f"http://127.0.0.1:{front}{HOOK_PATH}", api)
    try:
        async with ClientSession() as session:
            # Warm up: every worker listening (model loaded, connected), a few chats answered.
            for port in ports:
                await until_listening(port, within=300.0, every=0.2)
            warm = [telegram.update(10 + i) for i in range(2 * workers)]
            await asyncio.gather(*(telegram.send(session, [u]) for u in warm))
            await api.wait_for(lambda: api.answered() >= 2 * workers, within=120)
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
        nginx.stop()
        await api.stop()
    replies = {chat: len(api.replied.get(chat, [])) for chat in chats}
    latencies = [
        (reply - pushed) * 1000
        for chat in chats
        for pushed, reply in zip(api.pushed.get(chat, []), api.replied.get(chat, []), strict=False)
    ]
    db = SqlDatabase(args.database_url)
    try:
        stored = []
        for chat in chats:
            customer = await db.customers.find(ChannelIdentity("telegram", str(chat)))
            assert customer is not None
            history = await db.messages.history(customer.id, limit=10 * args.messages)
            stored.append(sum(1 for m in history if m.direction is Direction.IN))
    finally:
        await db.dispose()
    return {
        f"workers_{workers}_messages_per_s": round(total / seconds, 1),
        f"workers_{workers}_seconds": round(seconds, 2),
        f"workers_{workers}_latency_ms_p50": round(percentile(latencies, 50), 1),
        f"workers_{workers}_latency_ms_p99": round(percentile(latencies, 99), 1),
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
    parser.add_argument("--workers", default="1,2,4", help="worker counts to run, in order")
    parser.add_argument(
        "--claims",
        choices=("auto", "off"),
        default="auto",
        help="off: each worker answers what it received (the path before per-chat claims)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    args = parser.parse_args()
    if nginx_binary() is None:
        parser.error("needs Debian's nginx (apt-get install nginx)")
    counts = [int(n) for n in args.workers.split(",")]
    result: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "customers": args.customers,
        "messages_each": args.messages,
        "claims": args.claims,
    }
    for workers in counts:
        result.update(await run(workers, args))
    for workers in counts[1:]:
        result[f"speedup_{workers}"] = round(
            result[f"workers_{workers}_messages_per_s"]
            / result[f"workers_{counts[0]}_messages_per_s"],
            2,
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
