"""Long messages: what one costs a turn, and which patterns cost most on long text.

Telegram lets a customer send 4096 characters at once. One process answers every chat, so a
turn whose cost grows with the square of the message's length (a pattern tried from every
position, each try running to the end) stalls every other customer meanwhile. Two figures:

- the CPU of one whole turn (``Dispatcher.handle``, fresh SQLite file, the in-process state)
  for messages of about 24, 1000 and 4000 characters, English and Chinese: the time should
  grow in proportion to the length, not faster;
- every compiled pattern of ``handlers`` and ``nlu`` searched in 4000-character texts (words,
  Chinese, one letter repeated, digits, punctuation): the slowest, with its time.

    python bench/long_message.py [--top 10] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import pkgutil
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _report import machine  # noqa: E402

EN = (
    "hi my order A-1001 has not arrived and the tracking says nothing, the kettle i bought "
    "last week was a gift for my mum, please can someone tell me what is happening, i have "
    "waited so long and nobody answers. "
)
ZH = (
    "你好 我的订单A-1001到现在还没到 物流也不更新 这是给我妈买的礼物 "
    "能不能帮我查一下 等了好久了 一直没人回复 "
)
LONG_TEXTS = {
    "words": (EN * 40)[:4000],
    "chinese": (ZH * 80)[:4000],
    "one letter": "a" * 4000,
    "digits": "1234 " * 800,
    "punctuation": "!!!???" * 667,
}


def _message(text: str, customer: int) -> Any:
    from handlers.types import InboundMessage

    return InboundMessage(
        channel="telegram",
        user_id=str(7000 + customer),
        text=text,
        display_name=f"Customer {customer}",
        language_code="en",
        message_id=f"{customer}:1",
    )


async def turns() -> list[dict[str, Any]]:
    """CPU milliseconds of one turn for each length and language (a new customer each)."""
    os.environ["CRMBOT_STORAGE__DATABASE_URL"] = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/long.db"
    os.environ["CRMBOT_STORAGE__REDIS_URL"] = ""
    os.environ["CRMBOT_CONVERSATION__FLOOD_LIMIT"] = "100000"
    from bot.app import build_dispatcher, build_nlu, open_stores
    from bot.config import load_settings

    settings = load_settings()
    rows: list[dict[str, Any]] = []
    async with open_stores(settings) as stores:
        dispatcher = build_dispatcher(settings, stores, await build_nlu(settings))
        await dispatcher.handle(_message("hello", 0))  # warm: models and first queries
        customer = 1
        for language, unit in (("en", EN), ("zh", ZH)):
            for length in (24, 1000, 4000):
                text = (unit * (length // len(unit) + 1))[:length]
                started = time.process_time()
                await dispatcher.handle(_message(text, customer))
                cpu = (time.process_time() - started) * 1000
                rows.append({"language": language, "characters": length, "cpu_ms": round(cpu, 1)})
                customer += 1
    return rows


def patterns(top: int) -> list[dict[str, Any]]:
    """The ``top`` slowest module-level patterns on the long texts, worst text each."""
    import handlers
    import nlu

    found: dict[int, tuple[str, re.Pattern[str]]] = {}
    for package in (handlers, nlu):
        for module in pkgutil.iter_modules(package.__path__):
            loaded = importlib.import_module(f"{package.__name__}.{module.name}")
            for name, value in vars(loaded).items():
                if isinstance(value, re.Pattern) and id(value) not in found:
                    found[id(value)] = (f"{package.__name__}.{module.name}.{name}", value)
    rows = []
    for label, pattern in found.values():
        worst, worst_text = 0.0, ""
        for kind, text in LONG_TEXTS.items():
            started = time.perf_counter()
            pattern.search(text)
            took = time.perf_counter() - started
            if took > worst:
                worst, worst_text = took, kind
        rows.append({"pattern": label, "ms": round(worst * 1000, 2), "text": worst_text})
    rows.sort(key=lambda row: -row["ms"])
    return [{"patterns_tried": len(rows)}, *rows[:top]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "long.json")
    args = parser.parse_args()
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "turns": asyncio.run(turns()),
        "slowest_patterns": patterns(args.top),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
