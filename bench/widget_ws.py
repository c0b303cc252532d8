"""The website widget under load: N concurrent visitors over WebSocket, each chatting a while.

Starts the web port in this process as `run` wires it (SQLite in a temporary folder, the
in-process state, the built-in NLU model from its cache), then opens ``--visitors`` sockets
from one origin (arriving over 10 s, all staying connected); each visitor sends
``--messages`` messages (English and Chinese, as people write them) one after another,
waiting for the bot's answer to each. Reports the messages per second answered, and per
message the time to the ack (stored) and to the first answer, p50/p99. The visitors run in
a child process, so that their work does not delay the server's event loop.

    python bench/widget_ws.py [--visitors 200] [--messages 5] [--url DATABASE_URL] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _report import machine, percentile  # noqa: E402

from bot.app import build_web, build_widget, open_services, serve_web, widget_config  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.web.widget import add_widget_routes  # noqa: E402
from handlers.desk import Outboxes  # noqa: E402
from tests.ports import free_port, until_listening  # noqa: E402

ORIGIN = "https://shop.example"
RAMP = 10.0  # seconds over which the visitors arrive
THINK = 2.0  # at most this many seconds between a visitor's answer and their next message
SAYINGS = [
    "hi there",
    "where is my order A-1001??",
    "my parcel A-1002 hasnt arrived yet, any news",
    "how long does delivery take to berlin",
    "do u sell kettles and how much r they",
    "can i return the coffee machine i bought last week",
    "你好",
    "我的订单A-1003到哪了",
    "快递几天能到啊",
    "退货怎么弄 东西坏了",
    "有没有卖电水壶的 多少钱",
    "thanks, that helps",
]


async def visitor(
    url: str, number: int, messages: int, acks: list[float], replies: list[float]
) -> int:
    """One visitor's chat; returns how many of their messages got an answer."""
    rng = random.Random(number)
    answered = 0
    # Visitors arrive over the first RAMP seconds, not in one instant; all stay connected.
    await asyncio.sleep(rng.uniform(0, RAMP))
    async with websockets.connect(
        url,
        origin=ORIGIN,  # type: ignore[arg-type]
        open_timeout=120,
        ping_interval=None,  # a loaded 2-core machine: no client-side keep-alive verdicts
    ) as ws:
        await ws.send(json.dumps({"token": None, "lang": "en"}))
        while json.loads(await ws.recv())["type"] != "ready":
            pass
        for n in range(messages):
            client_id = f"{number}-{n}"
            started = time.perf_counter()
            text = rng.choice(SAYINGS)
            await ws.send(json.dumps({"type": "message", "client_id": client_id, "text": text}))
            acked = False
            async with asyncio.timeout(300):
                while True:
                    frame = json.loads(await ws.recv())
                    if frame["type"] == "ack" and frame["client_id"] == client_id:
                        acks.append(time.perf_counter() - started)
                        acked = True
                    elif frame["type"] == "refused":
                        raise RuntimeError(f"refused: {frame}")
                    elif frame["type"] == "message" and frame["from"] == "bot" and acked:
                        replies.append(time.perf_counter() - started)
                        answered += 1
                        break
            # The visitor reads the answer (and any second reply) before writing again.
            await asyncio.sleep(rng.uniform(0.5, THINK))
    return answered


async def main(visitors: int, messages: int, url: str | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        settings = Settings(
            storage={"database_url": url or f"sqlite+aiosqlite:///{tmp}/crm.db"},
            nlu={"model_dir": str(ROOT / "data" / "nlu-model")},
            web={"enabled": True, "port": port},
            conversation={"flood_limit": 1000},
            widget={
                "enabled": True,
                "allowed_origins": [ORIGIN],
                # One machine plays every visitor: one address, so its limits are lifted
                # (messages a minute, and open sockets: 50 an address would cut 150 off).
                "address_messages_per_minute": 1_000_000,
                "sockets_per_address": max(visitors, 50),
            },
        )
        async with open_services(settings) as services:
            web = build_widget(settings, services)
            app, _ = build_web(settings, services, outbox=Outboxes({"web": web}))
            add_widget_routes(app, web, widget_config(settings))
            stop = asyncio.Event()
            server = asyncio.create_task(serve_web(settings, app, stop))
            await until_listening(port)
            socket_url = f"ws://127.0.0.1:{port}/widget/ws"
            child = await asyncio.create_subprocess_exec(
                sys.executable,
                __file__,
                "--play",
                socket_url,
                "--visitors",
                str(visitors),
                "--messages",
                str(messages),
                stdout=asyncio.subprocess.PIPE,
            )
            output, _ = await child.communicate()
            played = json.loads(output)
            await web.idle()
            stop.set()
            await server
            await web.close()
    acks, replies, elapsed = played["acks"], played["replies"], played["seconds"]
    answered = played["answered"]
    result: dict[str, object] = {
        "failed_visitors": played["failed_visitors"],
        "failures": played["failures"],
        "visitors": visitors,
        "arrival_ramp_s": RAMP,
        "think_s": [0.5, THINK],
        "messages_each": messages,
        "answered": answered,
        "seconds": round(elapsed, 2),
        "messages_per_second": round(answered / elapsed, 1),
        "ack_p50_ms": round(percentile(acks, 50) * 1000, 1),
        "ack_p99_ms": round(percentile(acks, 99) * 1000, 1),
        "reply_p50_ms": round(percentile(replies, 50) * 1000, 1),
        "reply_p99_ms": round(percentile(replies, 99) * 1000, 1),
        "database": (url or "sqlite").split(":")[0],
        "machine": machine(),
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }
    return result


async def play(url: str, visitors: int, messages: int) -> dict[str, object]:
    """The visitors' side (the child process): every chat at once, and what it measured."""
    acks: list[float] = []
    replies: list[float] = []
    started = time.perf_counter()
    results = await asyncio.gather(
        *(visitor(url, v, messages, acks, replies) for v in range(visitors)),
        return_exceptions=True,
    )
    answered = [r for r in results if isinstance(r, int)]
    failed = [f"{type(r).__name__}: {r}"[:200] for r in results if isinstance(r, BaseException)]
    return {
        "failed_visitors": len(failed),
        "failures": sorted(set(failed))[:5],
        "acks": acks,
        "replies": replies,
        "answered": sum(answered),
        "seconds": time.perf_counter() - started,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "widget_ws.json")
    parser.add_argument("--url", help="a database URL (default: SQLite in a temporary folder)")
    parser.add_argument("--play", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.play:
        print(json.dumps(asyncio.run(play(args.play, args.visitors, args.messages))))  # noqa: T201
        sys.exit(0)
    figures = asyncio.run(main(args.visitors, args.messages, args.url))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))  # noqa: T201
