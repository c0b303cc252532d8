"""The time CRM memory stamps records with: the real clock, or one a test or replay sets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def _real() -> datetime:
    return datetime.now(UTC)


_clock: ContextVar[Clock] = ContextVar("crm_memory_clock", default=_real)


def current_time() -> datetime:
    """Now, in UTC, by the clock in effect."""
    return _clock.get()()


@contextmanager
def use_clock(clock: Clock) -> Iterator[None]:
    """Stamp records with ``clock`` inside the block (and tasks started in it): replaying a
    conversation at a fixed time, or letting days pass in a test."""
    token = _clock.set(clock)
    try:
        yield
    finally:
        _clock.reset(token)
