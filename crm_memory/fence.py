"""The chat lease a turn runs under: its closing writes commit only while that lease holds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Fence:
    """A lease as it was when this worker took it: ``generation`` grows with every take, so a
    lease lost and taken again (by anyone) is a different fence."""

    channel: str
    chat: str
    holder: str
    generation: int


# Set by the worker around a chat's turns; the stores that write a turn's results check it
# in the same transaction (a context variable: the handlers in between need not know).
_current: ContextVar[Fence | None] = ContextVar("crm_memory_fence", default=None)


def current_fence() -> Fence | None:
    """The lease the running turn holds, None outside a leased chat (one process, SQLite)."""
    return _current.get()


@contextmanager
def fenced(fence: Fence | None) -> Iterator[None]:
    """Run the block's turns under ``fence`` (None: unfenced)."""
    token = _current.set(fence)
    try:
        yield
    finally:
        _current.reset(token)
