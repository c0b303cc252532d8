"""Statements, commits and connection check-outs per typical turn, pinned: a new round trip
in the hot path fails here."""

from __future__ import annotations

from pathlib import Path

from bot.app import build_deps, open_stores
from bot.config import Settings
from handlers.dispatcher import Dispatcher
from nlu import BuiltinEngine
from tests.bot.round_trips import count_typical_turns

# name -> (statements, commits, connections checked out) for one message, `handle` and
# `mark_sent` of each reply. Lower is welcome (update the figures); higher needs a reason in
# BENCHMARKS.md.
EXPECTED = {
    # The last CSAT read with the activity counts (perf2): one statement fewer in each.
    # The customer looked up on the connection that records their message (perf3): one
    # check-out fewer in each (6, 6, 17, 3 before).
    "inquiry with order": (15, 4, 5),  # 22, 4 before; the 4th commit: the order, a new fact
    "faq": (14, 3, 5),  # 20, 4 before
    "complaint": (36, 9, 16),  # 53, 11 before; 3 replies each marked sent; +1: room check (mend2)
    "agent-owned chat": (5, 1, 2),  # 7, 1 before
}


async def test_a_typical_turn_costs_no_more_round_trips_than_pinned(
    tmp_path: Path, engine: BuiltinEngine
) -> None:
    settings = Settings.model_validate(
        {
            "storage": {"database_url": f"sqlite+aiosqlite:///{tmp_path / 'crm.db'}"},
            "conversation": {"flood_limit": 1000},
        }
    )
    async with open_stores(settings) as stores:
        dispatcher = Dispatcher(deps=build_deps(settings, stores), nlu=engine)
        counted = await count_typical_turns(stores, dispatcher)
    figures = {name: figures for name, (*figures, _) in counted.items()}
    logs = "\n".join(f"{name}:\n  " + "\n  ".join(log) for name, (*_, log) in counted.items())
    assert figures == {name: list(expected) for name, expected in EXPECTED.items()}, logs
