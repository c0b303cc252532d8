"""Errors raised by nlu."""

from __future__ import annotations

from pathlib import Path


class NluError(Exception):
    """Root of every error raised by ``nlu``."""


class DataError(NluError):
    """A training file is malformed: which file, which line, and why."""

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {reason}")


class NluUnavailable(NluError):
    """The NLU server cannot be reached or answered nonsense."""
