"""Replies delivered while the database could not mark them sent, kept on disk until it can."""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

SUFFIX = ".sent"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


class SentJournal:
    """One file per process in ``directory``: a line per delivered, unmarked reply.

    Memory alone loses these when the process is killed (kill -9, OOM) during a database
    outage, and the next start would send them again (they look unsent in the database).
    A line holds the record id and the Telegram message that delivered it, so the next
    start marks it instead. Files of processes that are gone are taken over; a live
    process's file is left to it, so workers on one machine can share the directory.

    Args:
        directory: where the files live; made when first needed.
        pid: this process (tests pretend to be another one).
    """

    def __init__(self, directory: Path, *, pid: int | None = None) -> None:
        self._dir = directory
        self._pid = os.getpid() if pid is None else pid
        self._own = directory / f"{self._pid}{SUFFIX}"

    def add(self, record_id: int, external_id: str | None) -> None:
        """Note one delivered reply, on disk (flushed and synced) before returning."""
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            with self._own.open("a", encoding="ascii") as file:
                file.write(f"{record_id} {external_id or '-'}\n")
                file.flush()
                os.fsync(file.fileno())
        except OSError as exc:
            # Memory still has it: only a crash before the database is back would resend it.
            logger.warning("cannot keep the unmarked reply %s on disk: %s", record_id, exc)

    def take_over(self) -> dict[int, str | None]:
        """This process's entries and those of processes that are gone (moved into ours)."""
        entries: dict[int, str | None] = {}
        if not self._dir.is_dir():
            return entries
        for path in sorted(self._dir.glob(f"*{SUFFIX}")):
            try:
                pid = int(path.stem)
            except ValueError:
                continue
            if pid != self._pid and _alive(pid):
                continue
            entries.update(_read(path))
        if entries:
            logger.info("%d replies delivered before a crash are to be marked sent", len(entries))
            lines = "".join(f"{r} {e or '-'}\n" for r, e in entries.items())
            tmp = self._own.with_suffix(".tmp")
            tmp.write_text(lines, encoding="ascii")
            os.replace(tmp, self._own)
        for path in self._dir.glob(f"*{SUFFIX}"):
            if path != self._own and path.stem.isdigit() and not _alive(int(path.stem)):
                path.unlink(missing_ok=True)
        return entries

    def clear(self) -> None:
        """Everything noted is marked in the database now."""
        with contextlib.suppress(FileNotFoundError):
            self._own.unlink()


def _read(path: Path) -> dict[int, str | None]:
    entries: dict[int, str | None] = {}
    # The last piece lacks its newline when the crash cut the line short: dropped.
    for line in path.read_text(encoding="ascii", errors="replace").split("\n")[:-1]:
        record, _, external = line.partition(" ")
        if record.isdigit() and external:
            entries[int(record)] = None if external == "-" else external
    return entries
