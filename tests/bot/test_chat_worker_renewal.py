"""A lane that ends while a lease renewal is in flight must not leave its chat marked busy.

Fakes stand in for the inbox claims (the real ones run in tests/telegram/test_lease_faults.py
on PostgreSQL): the race is between the worker's own tasks, not the database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from bot.outage import Outage
from bot.shared_inbox import ChatWorker
from crm_memory.types import Claim, InboxItem


class SlowRenewals:
    """Claims whose renewal answers only after the chat's lane has finished."""

    def __init__(self) -> None:
        self.rows: dict[str, list[int]] = {"c1": [1]}
        self.claimed = 0

    async def sweep(self, *args: Any, **kwargs: Any) -> int:
        return 0

    async def claim(
        self, channel: str, holder: str, *, limit: int, busy: Iterable[str] = (), steal: bool = True
    ) -> list[Claim]:
        busy = set(busy)
        out = [
            Claim(chat, generation=1)
            for chat, rows in self.rows.items()
            if rows and chat not in busy
        ]
        self.claimed += len(out)
        return out[:limit]

    async def pending(
        self, channel: str, chat: str, holder: str, limit: int = 100
    ) -> list[InboxItem]:
        return [
            InboxItem(channel=channel, update_id=r, payload="{}", received_at=datetime.now(UTC))
            for r in self.rows.get(chat, [])
        ]

    async def release(self, channel: str, chat: str, holder: str) -> bool:
        await asyncio.sleep(0.05)
        return True

    async def renew(self, channel: str, holder: str, chats: Iterable[str]) -> set[str]:
        await asyncio.sleep(0.2)  # the answer arrives after the lane ended
        return set(chats)

    async def expire(self, *args: Any, **kwargs: Any) -> int:
        return 0

    async def holders(self, *args: Any) -> set[str]:
        return set()

    async def orphans(self, *args: Any, **kwargs: Any) -> list[str]:
        return []


async def test_a_chat_whose_lane_ended_during_a_renewal_is_claimed_again() -> None:
    claims = SlowRenewals()

    async def turn(item: InboxItem) -> int:
        claims.rows["c1"] = [r for r in claims.rows["c1"] if r != item.update_id]
        await asyncio.sleep(0.25)  # the turn spans the start of a renewal
        return 0

    async def nothing(*args: Any) -> None:
        return None

    worker = ChatWorker(
        channel="t",
        claims=claims,  # type: ignore[arg-type]
        holder="w1",
        turn=turn,
        take_over=nothing,
        recover=nothing,
        database=Outage("db", doing="answering"),
        lease_seconds=0.9,
        poll_seconds=0.1,
        max_chats=4,
    )
    task = asyncio.create_task(worker.run())
    try:
        for _ in range(100):
            await asyncio.sleep(0.02)
            if claims.rows["c1"] == [] and not worker.chats:
                break
        await asyncio.sleep(0.6)  # a renewal started during the turn has answered by now
        claims.rows["c1"] = [2]  # the customer writes again
        worker.wake()
        for _ in range(100):
            await asyncio.sleep(0.02)
            if claims.rows["c1"] == []:
                break
        assert claims.rows["c1"] == [], "the chat's new message was never claimed"
        assert claims.claimed == 2
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
