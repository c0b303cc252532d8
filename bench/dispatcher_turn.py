"""One turn through the real Dispatcher, without Telegram: time and SQL statements per turn.

N customers each send M messages ("where is my order A-1001"), one at a time, through
``Dispatcher.handle`` and ``mark_sent`` as the channel calls them, on the configured stores
(a fresh SQLite file by default). Counts what reaches the database driver per turn.

    python bench/dispatcher_turn.py [--customers 50] [--messages 8] [--database-url URL]
        [--redis-url URL] [--out FILE]

Before the timed turns, each typical turn (an order inquiry, an FAQ question, a complaint
given to an online agent, a message in a chat an agent owns) is counted once on its own
(``typical``: statements and commits; tests/bot/test_round_trips.py pins the same figures).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _report import machine  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bot.app import build_dispatcher, build_nlu, open_stores  # noqa: E402
from bot.config import load_settings  # noqa: E402
from handlers.dispatcher import Dispatcher  # noqa: E402
from handlers.types import InboundMessage  # noqa: E402
from tests.bot.round_trips import count_typical_turns  # noqa: E402

TEXT = "where is my order A-1001"


async def order_status_turn(dispatcher: Dispatcher, customer: int, number: int) -> None:
    """The measured turn: customer ``customer``'s message ``number`` asking where their order
    is, handled, and each reply marked sent as a channel does."""
    message = InboundMessage(
        channel="telegram",
        user_id=str(1000 + customer),
        text=TEXT,
        display_name=f"Customer {customer}",
        language_code="en",
        message_id=f"{customer}:{number}",
    )
    for reply in await dispatcher.handle(message):
        await dispatcher.mark_sent(reply, external_id=f"{customer}:{number}:reply")


async def measure(
    database_url: str, customers: int, messages: int, redis_url: str = ""
) -> dict[str, Any]:
    os.environ["CRMBOT_STORAGE__DATABASE_URL"] = database_url
    os.environ["CRMBOT_STORAGE__REDIS_URL"] = redis_url
    os.environ["CRMBOT_CONVERSATION__FLOOD_LIMIT"] = "100000"  # every message answered
    settings = load_settings()
    async with open_stores(settings) as stores:
        dispatcher = build_dispatcher(settings, stores, await build_nlu(settings))
        typical = {
            name: {"statements": statements, "commits": commits, "checkouts": checkouts}
            for name, (statements, commits, checkouts, _) in (
                await count_typical_turns(stores, dispatcher)
            ).items()
        }
        counts: collections.Counter[str] = collections.Counter()

        @event.listens_for(stores.db.engine.sync_engine, "before_cursor_execute")
        def statement(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
            counts[sql.split()[0].upper()] += 1
            if "chat_owners" in sql:
                counts["of which chat_owners"] += 1

        @event.listens_for(stores.db.engine.sync_engine, "commit")
        def commit(_conn: Any) -> None:
            counts["COMMIT"] += 1

        async def turn(customer: int, number: int) -> float:
            started = time.perf_counter()
            await order_status_turn(dispatcher, customer, number)
            return (time.perf_counter() - started) * 1000

        for customer in range(customers):  # each customer's first turn creates them
            await turn(customer, 0)
        counts.clear()
        started = time.perf_counter()
        cpu = time.process_time()
        times = [
            await turn(customer, number)
            for number in range(1, messages + 1)
            for customer in range(customers)
        ]
        seconds = time.perf_counter() - started
        # CPU time of this process: on a machine shared with other work, a better guide
        # than the wall clock to what a turn costs (SQLite runs in this process).
        cpu_ms = (time.process_time() - cpu) * 1000
        per_turn = {kind: round(count / len(times), 2) for kind, count in counts.most_common()}
        # What a Redis cache of the owner could save per turn: the owner read from SQL (as
        # every turn does) against one Redis GET (what a cache hit would cost instead).
        owner_ms = await _p50_ms(lambda: stores.state.owner("telegram:1001"))
        redis_ms = (
            await _p50_ms(lambda: stores.state.get("telegram:1001", "owner-probe"))
            if settings.storage.redis_url
            else None
        )
    n = len(times)
    ordered = sorted(times)
    return {
        "turns": n,
        "turns_per_s": round(n / seconds, 1),
        "turn_ms_p50": round(statistics.median(times), 2),
        "turn_ms_p99": round(ordered[min(n - 1, round(0.99 * (n - 1)))], 2),
        "turn_cpu_ms_mean": round(cpu_ms / n, 2),
        "per_turn": per_turn,
        "typical": typical,
        "owner_from_sql_ms_p50": owner_ms,
        "redis_get_ms_p50": redis_ms,
    }


async def _p50_ms(call: Callable[[], Awaitable[object]], times: int = 500) -> float:
    taken = []
    for _ in range(times):
        started = time.perf_counter()
        await call()
        taken.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(taken), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument("--messages", type=int, default=8)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--redis-url", default="", help="default: no Redis (in-process state)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "turn.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{tmp}/turns.db"
        result = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "backend": "postgresql" if "postgresql" in url else "sqlite",
            "redis": bool(args.redis_url),
            **asyncio.run(measure(url, args.customers, args.messages, args.redis_url)),
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
