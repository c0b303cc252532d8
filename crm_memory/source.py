"""The inbound message a turn answers: every write of the turn is idempotent on it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(slots=True)
class Source:
    """One run of a customer's turn, answering the stored message ``message_id``.

    A turn may run twice for one message (a worker killed, or its lease lost, after some of
    the turn's writes and before its closing write). The stores stamp what a turn writes
    with the message (``source_message_id``) and, run again, find it there instead of
    writing it twice: a case opened, a line added to a case, feedback, a rating, a post in
    the agents' chat. ``repeat`` calls of one kind are told apart by their order in the run
    (the second line this message adds to case 7 is another line than the first).

    While it runs again, the turn is shown the world as it was before its message: a case
    the message opened is hidden from its reads until this run opens it again, so the
    handlers take the same path and say the same thing as the first time.
    """

    message_id: int
    # Cases this run opened (or found opened by an earlier run of it): visible again.
    opened: set[int] = field(default_factory=set)
    # Per (kind, key): how many writes of that kind this run has made so far.
    counts: Counter[tuple[str, int | str | None]] = field(default_factory=Counter)

    def next(self, kind: str, key: int | str | None = None) -> int:
        """The ordinal (1, 2, ...) of this run's next write of ``kind`` about ``key``."""
        self.counts[kind, key] += 1
        return self.counts[kind, key]

    def hides(self, case_number: int, source_message_id: int | None) -> bool:
        """True for a case an earlier run of this turn opened and this run has not yet."""
        return source_message_id == self.message_id and case_number not in self.opened


_current: ContextVar[Source | None] = ContextVar("crm_memory_source", default=None)


def current_source() -> Source | None:
    """The turn being run, None outside a customer's turn (agents, the desk, the CLI)."""
    return _current.get()


@contextmanager
def answering(message_id: int) -> Iterator[Source]:
    """Run the block as one run of the turn that answers stored message ``message_id``."""
    source = Source(message_id)
    token = _current.set(source)
    try:
        yield source
    finally:
        _current.reset(token)
