"""End to end: the real bot (`python -m bot run`) against the local Bot API stand-in, beside
a bare python-telegram-bot echo bot against the same stand-in, in one run.

N customers each send M messages, all at once; we measure messages answered per second and,
per message, the time from the update being available to its reply arriving at the stand-in.
With ``--rates 30,45,60`` the bot alone also gets new messages at each fixed rate for
``--duration`` seconds (customers in turn), and the reply latency p50/p99 at each rate.

    python bench/e2e_throughput.py [--customers 50] [--messages 10] [--database-url URL]
        [--redis-url URL] [--rates 30,45,60] [--duration 60] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _report import machine, percentile  # noqa: E402

from tests.ports import free_port  # noqa: E402
from tests.telegram.standin import BotApiStandIn  # noqa: E402

TEXT = "where is my order A-1001"


async def reset(database_url: str, redis_url: str = "") -> None:
    """Empty a PostgreSQL database (schema dropped, migrations applied) and the Redis db."""
    from sqlalchemy import text

    from crm_memory import SqlDatabase

    db = SqlDatabase(database_url)
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await db.upgrade()
    await db.dispose()
    if redis_url:
        import redis.asyncio as redis

        client = redis.Redis.from_url(redis_url)
        await client.flushdb()
        await client.aclose()


class TimedStandIn(BotApiStandIn):
    """The stand-in, noting when each update was pushed and each reply arrived, per chat."""

    def __init__(self) -> None:
        super().__init__()
        self.pushed: dict[int, list[float]] = {}
        self.replied: dict[int, list[float]] = {}

    def push(self, update: dict[str, Any]) -> int:
        chat = update["message"]["chat"]["id"]
        self.pushed.setdefault(chat, []).append(time.perf_counter())
        return super().push(update)

    async def _api_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        self.replied.setdefault(int(p["chat_id"]), []).append(time.perf_counter())
        return await super()._api_sendMessage(p)

    def answered(self) -> int:
        return sum(len(v) for v in self.replied.values())


async def run_once(
    name: str,
    command: list[str],
    env: dict[str, str],
    api: TimedStandIn,
    customers: int,
    messages: int,
    warmup: float,
    rates: tuple[float, ...] = (),
    duration: float = 60.0,
) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        # Warm up: one message, answered, so start-up (model load, migrations) is not timed.
        api.customer_says(1, TEXT, name="Warm")
        await api.wait_for(lambda: api.answered() >= 1, within=120)
        await asyncio.sleep(warmup)
        api.pushed.clear()
        api.replied.clear()
        start = time.perf_counter()
        cpu = _cpu_seconds(process.pid)
        for _ in range(messages):
            for c in range(customers):
                api.customer_says(1000 + c, TEXT, name=f"Customer {c}")
        total = customers * messages
        await api.wait_for(lambda: api.answered() >= total, within=600)
        seconds = time.perf_counter() - start
        cpu = _cpu_seconds(process.pid) - cpu
        burst = _latencies(api)
        steady = {rate: await _steady(api, rate, duration, customers) for rate in rates}
    finally:
        process.terminate()
        _, err = await process.communicate()
    if process.returncode not in (0, -15):
        print(err.decode()[-2000:], file=sys.stderr)
    return {
        f"{name}_messages_per_s": round(total / seconds, 1),
        f"{name}_seconds": round(seconds, 2),
        f"{name}_latency_ms_p50": round(statistics.median(burst), 1),
        f"{name}_latency_ms_p99": round(percentile(burst, 99), 1),
        # CPU per message of the bot's process in the burst: on a shared machine a better
        # guide than the wall clock to what each bot would do with a core of its own.
        f"{name}_cpu_ms_per_message": round(cpu * 1000 / total, 2),
        **({f"{name}_steady": list(steady.values())} if steady else {}),
    }


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _latencies(api: TimedStandIn) -> list[float]:
    """Per message, ms from its update being available to its reply (one reply each)."""
    return [
        (reply - pushed) * 1000
        for chat, pushes in api.pushed.items()
        for pushed, reply in zip(pushes, api.replied.get(chat, []), strict=False)
    ]


async def _steady(
    api: TimedStandIn, rate: float, duration: float, customers: int
) -> dict[str, Any]:
    """New messages at ``rate`` a second for ``duration`` s, customers in turn (each new for
    this rate); then up to 60 s for the last answers. Latency p50/p99 of the replies."""
    api.pushed.clear()
    api.replied.clear()
    total = int(rate * duration)
    start = time.perf_counter()
    base = 100_000 + int(rate * 1000)
    for n in range(total):
        # On a schedule, not after a sleep: a late push does not delay the ones after it.
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        api.customer_says(base + n % customers, TEXT, name=f"Steady {n % customers}")
    sent_for = time.perf_counter() - start
    with contextlib.suppress(AssertionError):  # saturated: the figures say how far behind
        await api.wait_for(lambda: api.answered() >= total, within=60)
    latencies = _latencies(api)
    # Not answered within the minute after: counted at what they waited so far (a floor).
    gave_up = time.perf_counter()
    latencies += [
        (gave_up - pushed) * 1000
        for chat, pushes in api.pushed.items()
        for pushed in pushes[len(api.replied.get(chat, [])) :]
    ]
    return {
        "rate_per_s": rate,
        "sent": total,
        "sent_over_s": round(sent_for, 2),
        "answered": api.answered(),
        "latency_ms_p50": round(statistics.median(latencies), 1) if latencies else None,
        "latency_ms_p99": round(percentile(latencies, 99), 1) if latencies else None,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument(
        "--database-url", default="", help="a PostgreSQL it may wipe (default: a fresh SQLite file)"
    )
    parser.add_argument("--redis-url", default="", help="default: the in-process stand-in")
    parser.add_argument(
        "--rates", default="", help="steady rates for the bot alone, e.g. 30,45,60 (default none)"
    )
    parser.add_argument("--duration", type=float, default=60.0, help="seconds at each rate")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "e2e.json")
    args = parser.parse_args()
    rates = tuple(float(r) for r in args.rates.split(",") if r.strip())
    result: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "customers": args.customers,
        "messages_each": args.messages,
    }
    with tempfile.TemporaryDirectory() as tmp:
        echo_api = TimedStandIn()
        await echo_api.start()
        try:
            env = {k: v for k, v in os.environ.items() if not k.startswith("CRMBOT_")}
            result.update(
                await run_once(
                    "echo",
                    [sys.executable, "bench/echo_bot.py", echo_api.token, echo_api.base_url],
                    env,
                    echo_api,
                    args.customers,
                    args.messages,
                    warmup=0.5,
                )
            )
        finally:
            await echo_api.stop()
        api = TimedStandIn()
        await api.start()
        try:
            database = args.database_url or f"sqlite+aiosqlite:///{tmp}/e2e.db"
            if args.database_url:  # a PostgreSQL it may wipe: start from an empty one
                await reset(args.database_url, args.redis_url)
            env.update(
                CRMBOT_TELEGRAM__TOKEN=api.token,
                CRMBOT_TELEGRAM__BASE_URL=api.base_url,
                CRMBOT_TELEGRAM__POLL_TIMEOUT="1",
                CRMBOT_STORAGE__DATABASE_URL=database,
                CRMBOT_STORAGE__REDIS_URL=args.redis_url,
                # Every message answered: the flood limit is for people, not for a benchmark.
                CRMBOT_CONVERSATION__FLOOD_LIMIT="100000",
                CRMBOT_LOGGING__LEVEL="WARNING",
                CRMBOT_WEB__PORT=str(free_port()),  # the bot's health checks, off 8080
            )
            result["backend"] = "postgresql" if "postgresql" in database else "sqlite"
            result["state"] = "redis" if args.redis_url else "in-process"
            result.update(
                await run_once(
                    "bot",
                    [sys.executable, "-m", "bot", "run"],
                    env,
                    api,
                    args.customers,
                    args.messages,
                    warmup=1.0,
                    rates=rates,
                    duration=args.duration,
                )
            )
        finally:
            await api.stop()
    result["ratio"] = round(result["bot_messages_per_s"] / result["echo_messages_per_s"], 3)
    result["cpu_ratio"] = round(
        result["echo_cpu_ms_per_message"] / result["bot_cpu_ms_per_message"], 3
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
