"""Widget replies through Redis: one worker's open pages listening, another worker publishing.

Opens ``--listeners`` listeners (each a visitor's socket or long poll) in this process on
one RedisConversationState, as a worker holding that many pages does, then publishes
``--events`` replies from a second state (the worker that answered) to random visitors, and
reports: the Redis clients the listeners hold, the time until all of them listen, and the
time from publish to delivery, p50/p99. ``--per-listener`` measures the old way for
comparison (each listener its own pub/sub connection and SUBSCRIBE).

    python bench/widget_pubsub.py --redis redis://127.0.0.1:6379/0 [--listeners 200]
        [--events 2000] [--per-listener]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import redis.asyncio as redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _report import machine, percentile  # noqa: E402

from crm_memory import RedisConversationState, StoreUnavailable  # noqa: E402


async def _old_subscribe(client: redis.Redis, channel: str) -> AsyncIterator[str]:
    """The way before one subscription per process: a pub/sub connection per listener."""
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(channel)
    try:
        while True:
            message = await pubsub.get_message(timeout=30.0)
            if message is not None and message.get("type") == "message":
                yield str(message["data"])
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]


async def _subscribers(probe: redis.Redis) -> int:
    return sum(
        1
        for c in await probe.client_list()
        if int(c.get("psub", 0)) > 0 or int(c.get("sub", 0)) > 0
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--listeners", type=int, default=200)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--per-listener", action="store_true")
    args = parser.parse_args()

    prefix = f"bench:{uuid.uuid4().hex}:"
    here = RedisConversationState(args.redis, prefix=prefix)
    there = RedisConversationState(args.redis, prefix=prefix)
    raw = redis.Redis.from_url(args.redis, decode_responses=True)
    probe = redis.Redis.from_url(args.redis, decode_responses=True)
    before = await _subscribers(probe)
    latencies: list[float] = []
    arrived = 0
    done = asyncio.Event()
    refused: set[str] = set()

    async def listen(topic: str, stream: AsyncIterator[str], ready: asyncio.Event) -> None:
        nonlocal arrived
        first = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(0)
        ready.set()
        try:
            data = await first
        except (redis.RedisError, StoreUnavailable):
            # The old way past the client's pool (100 connections): this page hears nothing.
            refused.add(topic)
            return
        while True:
            latencies.append(time.perf_counter() - float(data))
            arrived += 1
            if arrived >= args.events:
                done.set()
            data = await anext(stream)

    topics = [f"widget:v{i}" for i in range(args.listeners)]
    started = time.perf_counter()
    tasks = []
    for topic in topics:
        stream = (
            _old_subscribe(raw, f"{prefix}topic:{topic}")
            if args.per_listener
            else here.subscribe(topic)
        )
        ready = asyncio.Event()
        tasks.append(asyncio.create_task(listen(topic, stream, ready)))
        await ready.wait()
    # Listening: every listener's subscription is in place (the old way: each confirmed).
    for _ in range(6000):
        joined = args.per_listener or here._topics.listeners >= args.listeners
        wanted = args.listeners - len(refused) if args.per_listener else 1
        if joined and await _subscribers(probe) - before >= wanted:
            break
        await asyncio.sleep(0.01)
    heard = [t for t in topics if t not in refused]
    setup = time.perf_counter() - started
    clients = await _subscribers(probe) - before

    started = time.perf_counter()
    for _ in range(args.events):
        await there.publish(random.choice(heard), repr(time.perf_counter()))
    await asyncio.wait_for(done.wait(), 60)
    elapsed = time.perf_counter() - started

    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for client in (raw, probe):
        await client.aclose()
    await here.close()
    await there.close()
    way = "a connection per listener" if args.per_listener else "one subscription per process"
    print(f"{machine()}; {way}; {args.listeners} listeners, {args.events} events")
    print(
        f"  Redis pub/sub clients held: {clients}; listening after {setup * 1000:.0f} ms; "
        f"listeners refused a connection: {len(refused)}"
    )
    print(
        f"  publish -> delivered: p50 {percentile(latencies, 50) * 1000:.2f} ms, "
        f"p99 {percentile(latencies, 99) * 1000:.2f} ms; {args.events / elapsed:.0f} events/s"
    )


if __name__ == "__main__":
    asyncio.run(main())
