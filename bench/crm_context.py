"""CRM memory at scale: a customer's context with a million messages stored, ingest, report.

Generates customers and messages with bulk inserts, then times (a) the store's
``context()`` (profile, facts, open cases, last 20 messages, last rating) against the same
four reads written as plain indexed SQL on the same connection pool, (b) ``record()``
one message at a time against a raw bulk insert, and (c) the support lead's report
(``crm report``) over everything and over the last 30 days.

    python bench/crm_context.py [--customers 100000] [--messages 1000000] [--url URL] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _report import percentile
from sqlalchemy import insert, text

from crm_memory import Direction, Sender, SqlDatabase
from crm_memory.sql._models import (
    CaseRow,
    ConversationRow,
    CustomerRow,
    FactRow,
    IdentityRow,
    MessageRow,
    SurveyRow,
)

ROOT = Path(__file__).resolve().parents[1]
WORDS = [
    "where",
    "is",
    "my",
    "order",
    "the",
    "kettle",
    "arrived",
    "broken",
    "please",
    "refund",
    "thanks",
    "delivery",
]


INTENTS = ["greet", "ask_order_status", "ask_delivery", "complaint", "thanks", "nlu_fallback"]


async def generate(db: SqlDatabase, customers: int, messages: int) -> float:
    rng = random.Random(1)
    start = datetime.now(UTC) - timedelta(days=365)
    started = time.perf_counter()
    async with db.engine.begin() as conn:
        for lo in range(0, customers, 10_000):
            ids = range(lo + 1, min(customers, lo + 10_000) + 1)
            await conn.execute(
                insert(CustomerRow),
                [
                    {
                        "id": i,
                        "display_name": f"Customer {i}",
                        "tags": [],
                        "segment": "active",
                        "tier": "standard",
                        "unreachable": False,
                        "created_at": start,
                    }
                    for i in ids
                ],
            )
            await conn.execute(
                insert(IdentityRow),
                [
                    {
                        "customer_id": i,
                        "channel": "telegram",
                        "external_id": str(i),
                        "created_at": start,
                    }
                    for i in ids
                ],
            )
            await conn.execute(
                insert(ConversationRow),
                [
                    {
                        "id": i,
                        "customer_id": i,
                        "channel": "telegram",
                        "started_at": start,
                        "last_message_at": start,
                        "escalated": False,
                    }
                    for i in ids
                ],
            )
            await conn.execute(
                insert(FactRow),
                [
                    {
                        "customer_id": i,
                        "kind": "order_number",
                        "value": f"A-{i}",
                        "learned_at": start,
                    }
                    for i in ids
                ],
            )
            await conn.execute(
                insert(CaseRow),
                [
                    {
                        "customer_id": i,
                        "kind": "complaint",
                        "status": "open",
                        "priority": "normal",
                        "reason": "late",
                        "summary": "",
                        "opened_at": start,
                    }
                    for i in ids
                    if i % 10 == 0
                ],
            )
            await conn.execute(
                insert(SurveyRow),
                [
                    {"customer_id": i, "rating": 1 + i % 5, "created_at": start}
                    for i in ids
                    if i % 5 == 0
                ],
            )
        batch = []
        for n in range(messages):
            cid = rng.randint(1, customers)
            batch.append(
                {
                    "customer_id": cid,
                    "conversation_id": cid,
                    "direction": "in" if n % 2 == 0 else "out",
                    "sender": "customer" if n % 2 == 0 else "bot",
                    "channel": "telegram",
                    "text": " ".join(rng.choices(WORDS, k=8)),
                    "intent": rng.choice(INTENTS) if n % 2 == 0 else None,
                    "created_at": start + timedelta(seconds=n * 30),
                }
            )
            if len(batch) == 20_000:
                await conn.execute(insert(MessageRow), batch)
                batch = []
        if batch:
            await conn.execute(insert(MessageRow), batch)
    return time.perf_counter() - started


HAND_WRITTEN = (
    "SELECT * FROM customers WHERE id = :c",
    "SELECT * FROM facts WHERE customer_id = :c ORDER BY learned_at DESC, id DESC",
    "SELECT * FROM cases WHERE customer_id = :c AND status != 'closed' ORDER BY number DESC",
    "SELECT * FROM messages WHERE customer_id = :c ORDER BY id DESC LIMIT 20",
    "SELECT rating FROM survey_responses WHERE customer_id = :c ORDER BY id DESC LIMIT 1",
)


async def time_context(db: SqlDatabase, customers: int, samples: int) -> dict[str, float]:
    rng = random.Random(2)
    ids = [rng.randint(1, customers) for _ in range(samples)]
    for cid in ids[:50]:  # warm the pool and caches
        await db.customers.context(cid)
    store, raw = [], []
    for cid in ids:
        t = time.perf_counter()
        await db.customers.context(cid, recent=20)
        store.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        async with db.engine.connect() as conn:
            for sql in HAND_WRITTEN:
                (await conn.execute(text(sql), {"c": cid})).all()
        raw.append((time.perf_counter() - t) * 1000)
    return {
        "context_ms_p50": round(statistics.median(store), 3),
        "context_ms_p99": round(percentile(store, 99), 3),
        "hand_sql_ms_p50": round(statistics.median(raw), 3),
        "hand_sql_ms_p99": round(percentile(raw, 99), 3),
        "ratio_p99": round(percentile(store, 99) / percentile(raw, 99), 2),
    }


async def time_ingest(db: SqlDatabase, customers: int, count: int) -> dict[str, float]:
    rng = random.Random(3)
    t = time.perf_counter()
    for n in range(count):
        await db.messages.record(
            customer_id=rng.randint(1, customers),
            channel="telegram",
            direction=Direction.IN,
            sender=Sender.CUSTOMER,
            text="where is my order",
            external_id=f"bench:{n}",
        )
    one_by_one = count / (time.perf_counter() - t)
    rows = [
        {
            "customer_id": rng.randint(1, customers),
            "conversation_id": 1,
            "direction": "in",
            "sender": "customer",
            "channel": "bulk",
            "text": "where is my order",
            "created_at": datetime.now(UTC),
        }
        for _ in range(count)
    ]
    t = time.perf_counter()
    async with db.engine.begin() as conn:
        await conn.execute(insert(MessageRow), rows)
    bulk = count / (time.perf_counter() - t)
    return {"record_per_s": round(one_by_one), "bulk_insert_per_s": round(bulk)}


async def time_report(db: SqlDatabase, runs: int = 5) -> dict[str, float]:
    """The report over everything and over the last 30 days: best and median of ``runs``."""
    result: dict[str, float] = {}
    for name, since in (("all", None), ("30d", datetime.now(UTC) - timedelta(days=30))):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            await db.reports.report(since=since)
            times.append(time.perf_counter() - t)
        result[f"report_{name}_s_median"] = round(statistics.median(times), 3)
        result[f"report_{name}_s_best"] = round(min(times), 3)
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--ingest", type=int, default=2000, help="messages recorded one by one")
    parser.add_argument("--url", default="", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "crm.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite+aiosqlite:///{tmp}/bench.db"
        db = SqlDatabase(url)
        if db.dialect == "postgresql":
            async with db.engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await db.upgrade()
        seconds = await generate(db, args.customers, args.messages)
        if db.dialect == "postgresql":
            async with db.engine.connect() as conn:
                await conn.execute(text("ANALYZE"))
                for table in ("customers", "conversations", "cases"):
                    await conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', "
                            f"'{'number' if table == 'cases' else 'id'}'), "
                            f"(SELECT max({'number' if table == 'cases' else 'id'}) FROM {table}))"
                        )
                    )
                await conn.commit()
        report = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, Python {platform.python_version()}",
            "backend": db.dialect,
            "customers": args.customers,
            "messages": args.messages,
            "generate_seconds": round(seconds, 1),
            **await time_context(db, args.customers, args.samples),
            **await time_ingest(db, args.customers, args.ingest),
            **await time_report(db),
        }
        await db.dispose()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
