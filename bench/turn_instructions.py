"""Instructions per turn, counted by valgrind: a figure the machine's load does not move.

Run under callgrind with instrumentation off; the script turns it on (``callgrind_control``)
only around the measured turns, the same turn as ``dispatcher_turn.py`` ("where is my order
A-1001", ``handle`` and ``mark_sent``), on a fresh SQLite file with the in-process state:

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.out \\
        python bench/turn_instructions.py [--customers 5] [--messages 4]

It prints the turns counted; the instructions are callgrind's ``totals`` in the out file
(``python bench/turn_instructions.py --read /tmp/cg.out --turns N`` divides them).

Every turn sends the same text, so whatever is kept for a text (the n-grams, a pattern's
search: ``functools.lru_cache`` with a ``maxsize``) is found again from one turn to the
next, as it would not be for customers' different words. ``--fresh-text`` forgets those
after every turn (their ``cache_clear``), as if each turn's text were new: the figure to
quote for such a cache, the plain run's for comparison with earlier passes.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dispatcher_turn import TEXT, order_status_turn  # noqa: E402

from bot.app import build_dispatcher, build_nlu, open_stores  # noqa: E402
from bot.config import load_settings  # noqa: E402
from handlers.searched import SearchedOnce  # noqa: E402


def _instrument(on: bool) -> None:
    """Callgrind's instrumentation on or off for this process (it answers between calls).

    Checked: on a loaded machine callgrind_control can give up before valgrind answered,
    and the count then covers something else (found with four runs side by side).
    """
    control = subprocess.Popen(
        ["callgrind_control", "-i", "on" if on else "off", str(os.getpid())],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    while control.poll() is None:
        time.sleep(0.05)  # in Python, so valgrind's scheduler sees the request
    answer = control.stdout.read() if control.stdout is not None else b""
    if control.returncode != 0 or b"OK." not in answer:
        raise SystemExit(f"callgrind did not switch instrumentation: {answer!r}")


async def measure(
    database_url: str,
    customers: int,
    messages: int,
    switch: Callable[[bool], None] = _instrument,
    *,
    fresh_text: bool = False,
) -> int:
    """Run the turns, ``switch(True)`` before the measured ones and ``switch(False)`` after
    (callgrind's instrumentation by default; ``turn_profile.py`` passes cProfile's)."""
    os.environ["CRMBOT_STORAGE__DATABASE_URL"] = database_url
    os.environ["CRMBOT_STORAGE__REDIS_URL"] = ""
    os.environ["CRMBOT_CONVERSATION__FLOOD_LIMIT"] = "100000"
    settings = load_settings()
    async with open_stores(settings) as stores:
        dispatcher = build_dispatcher(settings, stores, await build_nlu(settings))

        def turn(customer: int, number: int) -> Awaitable[None]:
            return order_status_turn(dispatcher, customer, number)

        for number in range(2):  # the first turn creates the customer; the second warms up
            for customer in range(customers):
                await turn(customer, number)
        forget = _text_caches() if fresh_text else []  # found before, not counted
        switch(True)
        for number in range(2, messages + 2):
            for customer in range(customers):
                await turn(customer, number)
                for clear in forget:
                    clear()
        switch(False)
    return customers * messages


# The type of functools.lru_cache's wrappers (not public): what --fresh-text clears.
_LRU_CACHE = type(functools.lru_cache(maxsize=2)(len))


def _text_caches() -> list[Callable[[], None]]:
    """The ``cache_clear`` of every bounded ``lru_cache`` of our packages and of every
    ``SearchedOnce`` pattern: what is kept for a text (maxsize 1, or none: a file loaded
    once, a model trained once; not a text)."""
    found = []
    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] not in ("handlers", "nlu", "crm_memory", "bot"):
            continue
        for value in vars(module).values():
            kept = isinstance(value, SearchedOnce) and value.cache_clear not in found
            if kept or (
                isinstance(value, _LRU_CACHE) and (value.cache_parameters()["maxsize"] or 0) > 1
            ):
                found.append(value.cache_clear)
    return found


__all__ = ["TEXT", "measure"]


def _totals(path: Path) -> int:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise SystemExit(f"no totals in {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=5)
    parser.add_argument("--messages", type=int, default=4)
    parser.add_argument("--read", type=Path, help="a callgrind out file to divide")
    parser.add_argument("--turns", type=int, default=0)
    parser.add_argument(
        "--fresh-text", action="store_true", help="forget what was kept for a text every turn"
    )
    args = parser.parse_args()
    if args.read is not None:
        total = _totals(args.read)
        print(f"{total} instructions, {total / args.turns:,.0f} a turn over {args.turns} turns")
        return
    with tempfile.TemporaryDirectory() as tmp:
        turns = asyncio.run(
            measure(
                f"sqlite+aiosqlite:///{tmp}/turns.db",
                args.customers,
                args.messages,
                fresh_text=args.fresh_text,
            )
        )
    print(f"turns counted: {turns}")


if __name__ == "__main__":
    main()
