"""Statements and commits per typical turn, counted where SQLAlchemy hands them to the driver."""

from __future__ import annotations

import collections
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Stores
from crm_memory import ChatOwner
from crm_memory.assignment import AgentStatus
from crm_memory.sql.inline_sqlite import InlineConnection
from handlers.dispatcher import Dispatcher
from handlers.types import InboundMessage


@dataclass(frozen=True, slots=True)
class Typical:
    """A turn to count: what the customer says, after a first "hi" that creates them."""

    name: str
    text: str
    agent_owned: bool = False


TYPICAL = (
    Typical("inquiry with order", "where is my order A-1001"),
    Typical("faq", "how long does shipping take?"),
    # An ordinary fault: a case of normal priority, the team's queue.
    Typical("complaint", "my kettle arrived broken, order A-1002"),
    # A hazard: an urgent case, handed to people and given out to an agent at once.
    Typical("complaint handed to people", "my kettle from order A-1002 started smoking"),
    Typical("agent-owned chat", "hello? are you still there", agent_owned=True),
)


CHECKOUT = "connection check-out"


class RoundTrips:
    """Counts what reaches the database driver: statements by first word, commits, and
    connections checked out of the pool (each costs about as much as a statement).

    On SQLite the count is SQLite's own (its trace of every statement it runs), so the
    statements run on the driver past SQLAlchemy (``crm_memory.sql.hot``) count like the
    others; elsewhere, what SQLAlchemy hands the driver.
    """

    def __init__(self) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        self.log: list[str] = []

    def _count(self, sql: str) -> None:
        word = sql.split()[0].upper()
        if word in ("BEGIN", "ROLLBACK"):  # sqlite3's own around a transaction
            return
        self.counts[word] += 1
        self.log.append(" ".join(sql.split())[:120])

    @contextmanager
    def listening(self, engine: AsyncEngine) -> Iterator[RoundTrips]:
        sync = engine.sync_engine
        traced: list[InlineConnection] = []

        def statement(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
            self._count(sql)

        def commit(_conn: Any) -> None:
            self._count("COMMIT")

        def checkout(dbapi_connection: Any, *_: Any) -> None:
            self.counts[CHECKOUT] += 1
            driver = getattr(dbapi_connection, "driver_connection", None)
            if isinstance(driver, InlineConnection) and driver not in traced:
                driver.trace(self._count)
                traced.append(driver)

        on_driver = engine.dialect.name == "sqlite"
        if not on_driver:
            event.listen(sync, "before_cursor_execute", statement)
            event.listen(sync, "commit", commit)
        event.listen(sync.pool, "checkout", checkout)
        try:
            yield self
        finally:
            if not on_driver:
                event.remove(sync, "before_cursor_execute", statement)
                event.remove(sync, "commit", commit)
            event.remove(sync.pool, "checkout", checkout)
            for driver in traced:
                driver.trace(None)

    @property
    def statements(self) -> int:
        return sum(n for kind, n in self.counts.items() if kind not in ("COMMIT", CHECKOUT))

    @property
    def commits(self) -> int:
        return self.counts["COMMIT"]

    @property
    def checkouts(self) -> int:
        return self.counts[CHECKOUT]

    def clear(self) -> None:
        self.counts.clear()
        self.log.clear()


async def count_typical_turns(
    stores: Stores, dispatcher: Dispatcher
) -> dict[str, tuple[int, int, int, list[str]]]:
    """Each typical turn once, on a fresh customer: name -> (statements, commits,
    connections checked out, log).

    A turn is what the channel does for one message: ``handle``, and ``mark_sent_many`` of
    its replies. Two agents are online, so a complaint's case is given out as in a real team.
    """
    for name in ("ana", "bo"):
        await stores.db.assignment.set_profile(name, status=AgentStatus.ONLINE, capacity=5)
    trips = RoundTrips()
    counted: dict[str, tuple[int, int, int, list[str]]] = {}
    with trips.listening(stores.db.engine):
        for number, typical in enumerate(TYPICAL):
            user = str(900 + number)

            async def turn(text: str, message_id: str, *, user: str = user) -> None:
                replies = await dispatcher.handle(
                    InboundMessage(
                        channel="telegram",
                        user_id=user,
                        text=text,
                        display_name=f"Customer {user}",
                        language_code="en",
                        message_id=message_id,
                    )
                )
                # Delivered, then marked in one write, as the channel does.
                await dispatcher.mark_sent_many(
                    [(reply, f"{message_id}:{n}") for n, reply in enumerate(replies)]
                )

            await turn("hi", f"{user}:1")
            if typical.agent_owned:
                await stores.state.claim(f"telegram:{user}", ChatOwner(agent="ana"), force=True)
            trips.clear()
            await turn(typical.text, f"{user}:2")
            counted[typical.name] = (
                trips.statements,
                trips.commits,
                trips.checkouts,
                list(trips.log),
            )
    return counted
