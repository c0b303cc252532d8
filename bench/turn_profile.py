"""Where a turn's time goes, by function and by layer: cProfile over turn_instructions.py's turns.

The same turns as ``turn_instructions.py`` ("where is my order A-1001", ``handle`` and
``mark_sent``, 5 customers x 8 messages after two warm-up turns each, fresh SQLite file, the
in-process state), profiled with cProfile instead of counted by callgrind:

    python bench/turn_profile.py [--customers 5] [--messages 8] [--top 25] [--out FILE]

Prints the top functions by inclusive and by own time, and the own time grouped by layer.
A C function (a regex search, ``sqlite3`` execute, ``dict.get``) or a standard-library
helper (``dataclasses.replace``) is counted in the layer of the code that called it, split
by its callers' shares; asyncio, JSON and SQLite's driver calls are layers of their own.
The PTB layer (an update's ``Update.de_json`` and ``to_inbound``) is profiled separately,
as the turn bench does not go through Telegram. cProfile's own overhead inflates cheap
calls, so read the shares, and callgrind's counts for the total.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import turn_instructions  # noqa: E402

Func = tuple[str, int, str]

# First match wins: (path fragment, layer).
_LAYERS = (
    ("/handlers/readings.py", "handlers: readings table"),
    ("/handlers/wording.py", "handlers: wording"),
    ("/handlers/responses.py", "handlers: wording"),
    ("/handlers/dispatcher.py", "handlers: dispatcher"),
    ("/handlers/turn.py", "handlers: dispatcher"),
    ("/handlers/dialogue.py", "handlers: dialogue state"),
    ("/handlers/context.py", "handlers: context readers"),
    ("/handlers/", "handlers: the intents' handlers"),
    ("/nlu/sentiment", "nlu: sentiment"),
    ("/nlu/", "nlu: parse"),
    ("/crm_memory/sql/hot.py", "crm_memory: hot statements"),
    ("/crm_memory/state.py", "crm_memory: conversation state"),
    ("/crm_memory/", "crm_memory: stores"),
    ("/sqlalchemy/", "SQLAlchemy"),
    ("/telegram/", "PTB"),
    ("/bot/", "bot"),
    ("/asyncio/", "asyncio"),
    ("/json/", "JSON"),
    ("/bench/", "bench driver"),
)


def _own_layer(func: Func) -> str | None:
    """The layer a function belongs to by its file, or None for one counted in its caller's."""
    path, _, name = func
    if path == "~":
        if "sqlite3" in name:
            return "SQLite (driver, C)"
        if "greenlet" in name:
            return "SQLAlchemy"
        if "_json" in name or "json" in name:
            return "JSON"
        return None
    for fragment, layer in _LAYERS:
        if fragment in path:
            return layer
    return None


def layers(stats: pstats.Stats) -> dict[str, float]:
    """Own time by layer; a function without a layer of its own is split over its callers'."""
    table = stats.stats  # type: ignore[attr-defined]
    memo: dict[Func, dict[str, float]] = {}

    def shares(func: Func, depth: int = 0) -> dict[str, float]:
        if func in memo:
            return memo[func]
        own = _own_layer(func)
        if own is not None:
            memo[func] = {own: 1.0}
            return memo[func]
        callers = table[func][4] if func in table else {}
        if not callers or depth > 12:  # the top of the stack, or a cycle of helpers
            return {"other": 1.0}
        total = sum(edge[3] for edge in callers.values())
        result: collections.Counter[str] = collections.Counter()
        for caller, edge in callers.items():
            weight = edge[3] / total if total else 1 / len(callers)
            for layer, share in shares(caller, depth + 1).items():
                result[layer] += weight * share
        memo[func] = dict(result)
        return memo[func]

    by_layer: collections.Counter[str] = collections.Counter()
    for func, (_, _, own_time, _, _) in table.items():
        for layer, share in shares(func).items():
            by_layer[layer] += own_time * share
    return dict(by_layer)


def _name(func: Func) -> str:
    path, line, name = func
    if path == "~":
        return name
    short = path.split("/site-packages/")[-1].replace(str(ROOT) + "/", "")
    return f"{short}:{line}({name})"


def _ptb_profile(turns: int) -> cProfile.Profile:
    """An update as the poll reads it, parsed by PTB and converted as the channel does."""
    from telegram import Bot, Update

    from bot.telegram_channel import to_inbound

    bot = Bot("123:abc")
    payload = {
        "update_id": 1,
        "message": {
            "message_id": 7,
            "date": 1_700_000_000,
            "chat": {"id": 1000, "type": "private", "first_name": "Customer"},
            "from": {"id": 1000, "is_bot": False, "first_name": "Customer", "language_code": "en"},
            "text": turn_instructions.TEXT,
        },
    }
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(turns):
        update = Update.de_json(payload, bot)
        assert update is not None and update.message is not None
        to_inbound(update.message)
    profile.disable()
    return profile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=5)
    parser.add_argument("--messages", type=int, default=8)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--out", type=Path, help="write the raw profile (pstats) here")
    args = parser.parse_args()
    profile = cProfile.Profile()
    with tempfile.TemporaryDirectory() as tmp:
        turns = asyncio.run(
            turn_instructions.measure(
                f"sqlite+aiosqlite:///{tmp}/turns.db",
                args.customers,
                args.messages,
                switch=lambda on: profile.enable() if on else profile.disable(),
            )
        )
    if args.out is not None:
        profile.dump_stats(args.out)
    stats = pstats.Stats(profile)
    table = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"{turns} turns, {total / turns * 1000:.2f} ms a turn under cProfile")
    for title, column in (("inclusive", 3), ("own", 2)):
        print(f"\ntop {args.top} by {title} time (ms a turn, share, calls a turn):")
        ranked = sorted(table.items(), key=lambda item: item[1][column], reverse=True)
        for func, row in ranked[: args.top]:
            print(
                f"  {row[column] / turns * 1000:7.3f} {row[column] / total:6.1%}"
                f" {row[1] / turns:7.1f}  {_name(func)}"
            )
    print("\nown time by layer (ms a turn, share):")
    for layer, spent in sorted(layers(stats).items(), key=lambda item: -item[1]):
        print(f"  {spent / turns * 1000:7.3f} {spent / total:6.1%}  {layer}")
    ptb = pstats.Stats(_ptb_profile(turns))
    print(
        f"\nPTB: an update parsed and converted, {ptb.total_tt / turns * 1000:.3f} ms"  # type: ignore[attr-defined]
        " a turn under cProfile (outside the turn above; sending the reply not included)"
    )


if __name__ == "__main__":
    main()
