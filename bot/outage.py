"""Tells once that a store went away and once that it is back, and paces the retries."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)


class Outage:
    """The state of one store as the loops see it: up, or away since when.

    Args:
        store: how the store is named in the log ("the database").
        doing: what waits meanwhile, for the log ("updates are not confirmed").
        first_delay: seconds before the first retry; doubled each time up to ``max_delay``.
        clock: monotonic seconds.
    """

    def __init__(
        self,
        store: str,
        *,
        doing: str,
        first_delay: float = 0.25,
        max_delay: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._doing = doing
        self._first = first_delay
        self._max = max_delay
        self._clock = clock
        self._since: float | None = None
        self._delay = first_delay

    @property
    def away(self) -> bool:
        """True between ``went_away`` and ``came_back``."""
        return self._since is not None

    def went_away(self, reason: BaseException) -> float:
        """Note a failure (logged only the first time); returns seconds to wait before retrying."""
        if self._since is None:
            self._since = self._clock()
            self._delay = self._first
            # One line, no traceback: the reason says which server and how it failed.
            logger.warning(
                "%s is unavailable (%s); %s until it is back", self._store, reason, self._doing
            )
            return self._delay
        self._delay = min(self._delay * 2, self._max)
        return self._delay

    def came_back(self) -> bool:
        """Note a success; True (and one INFO line) when this ends an outage."""
        if self._since is None:
            return False
        gone = self._clock() - self._since
        self._since = None
        logger.info("%s is back after %.1f s", self._store, gone)
        return True
