"""A costly pattern searched once per text: the match kept for the turn's next ask."""

from __future__ import annotations

import functools
import re
from typing import Protocol


class Searcher(Protocol):
    """What a reading needs of a pattern: a compiled ``re.Pattern`` or a ``SearchedOnce``."""

    def search(self, text: str, /) -> re.Match[str] | None: ...


class SearchedOnce:
    """A compiled pattern whose ``search`` of a text is kept for the last ``texts`` texts.

    A turn asks the same large pattern about the same words from many readings (``DEFECT``:
    the readings table, ``context.read``, the dispatcher, the handler that answers); the
    regex engine tries every alternative at every word boundary each time. The result is the
    same ``re.Match`` (immutable) or ``None`` the pattern gives, so callers see no difference.
    """

    __slots__ = ("_search", "pattern")

    def __init__(self, pattern: re.Pattern[str], *, texts: int = 32) -> None:
        self.pattern = pattern
        self._search = functools.lru_cache(maxsize=texts)(pattern.search)

    def search(self, text: str, /) -> re.Match[str] | None:
        """``pattern.search(text)``, searched once for a text seen lately."""
        return self._search(text)

    def cache_info(self) -> functools._CacheInfo:
        """How often a search was asked (hits: answered from what was kept; misses: searched)."""
        return self._search.cache_info()

    def cache_clear(self) -> None:
        """Forget the kept results (the benchmark's ``--fresh-text``, tests)."""
        self._search.cache_clear()
