"""Instructions per turn, counted by valgrind: a figure the machine's load does not move.

Run under callgrind with instrumentation off; the script turns it on (``callgrind_control``)
only around the measured turns, the same turn as ``dispatcher_turn.py`` ("where is my order
A-1001", ``handle`` and ``mark_sent``), on a fresh SQLite file with the in-process state:

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.out \\
        python bench/turn_instructions.py [--customers 5] [--messages 4]

It prints the turns counted; the instructions are callgrind's ``totals`` in the out file
(``python bench/turn_instructions.py --read /tmp/cg.out --turns N`` divides them).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dispatcher_turn import order_status_turn  # noqa: E402

from bot.app import build_dispatcher, build_nlu, open_stores  # noqa: E402
from bot.config import load_settings  # noqa: E402


def _instrument(on: bool) -> None:
    """Callgrind's instrumentation on or off for this process (it answers between calls)."""
    control = subprocess.Popen(
        ["callgrind_control", "-i", "on" if on else "off", str(os.getpid())],
        stdout=subprocess.DEVNULL,
    )
    while control.poll() is None:
        time.sleep(0.05)  # in Python, so valgrind's scheduler sees the request


async def measure(database_url: str, customers: int, messages: int) -> int:
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
        _instrument(True)
        for number in range(2, messages + 2):
            for customer in range(customers):
                await turn(customer, number)
        _instrument(False)
    return customers * messages


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
    args = parser.parse_args()
    if args.read is not None:
        total = _totals(args.read)
        print(f"{total} instructions, {total / args.turns:,.0f} a turn over {args.turns} turns")
        return
    with tempfile.TemporaryDirectory() as tmp:
        turns = asyncio.run(
            measure(f"sqlite+aiosqlite:///{tmp}/turns.db", args.customers, args.messages)
        )
    print(f"turns counted: {turns}")


if __name__ == "__main__":
    main()
