"""Replies delivered while the database could not mark them sent, kept on disk until it can."""

from __future__ import annotations

import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

SUFFIX = ".sent"
# Lines after which a journal that never empties is rewritten with only the open entries.
COMPACT_AFTER = 1000


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


class SentJournal:
    """One file per process in ``directory``: a line per delivered reply not yet marked sent.

    Between Telegram's answer and the database's, and for as long as the database is away,
    a delivered reply looks unsent in the database; a process killed then (kill -9, OOM)
    would have the next start send it again. A line holds the record id and the Telegram
    message that delivered it, so the next start marks it instead. The file empties
    whenever every noted reply is marked. Files of processes that are gone are taken over; a live
    process's file is left to it, so workers on one machine can share the directory.

    Args:
        directory: where the files live; made when first needed.
        pid: this process (tests pretend to be another one).
    """

    def __init__(self, directory: Path, *, pid: int | None = None) -> None:
        self._dir = directory
        self._pid = os.getpid() if pid is None else pid
        self._own = directory / f"{self._pid}{SUFFIX}"
        # Noted and not yet settled (marked in the database), and lines in our file.
        self._open: dict[int, str | None] = {}
        self._lines = 0

    def add(self, record_id: int, external_id: str | None, *, sync: bool = True) -> None:
        """Note one delivered reply on disk before returning.

        Args:
            sync: also fsync, so that it survives the machine going down, not only the
                process (a write the kernel holds survives kill -9).
        """
        self._open[record_id] = external_id
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            with self._own.open("a", encoding="ascii") as file:
                file.write(f"{record_id} {external_id or '-'}\n")
                if sync:
                    file.flush()
                    os.fsync(file.fileno())
            self._lines += 1
        except OSError as exc:
            # Memory still has it: only a crash before the database is back would resend it.
            logger.warning("cannot keep the unmarked reply %s on disk: %s", record_id, exc)

    def settled(self, record_id: int) -> None:
        """The reply is marked sent in the database: its line is no longer needed."""
        self._open.pop(record_id, None)
        if not self._open:
            self.clear()
        elif self._lines > COMPACT_AFTER:  # busy without a pause: rewrite what is open
            self._rewrite(self._open)

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
            self._open.update(entries)
            self._rewrite(self._open)
        for path in self._dir.glob(f"*{SUFFIX}"):
            if path != self._own and path.stem.isdigit() and not _alive(int(path.stem)):
                path.unlink(missing_ok=True)
        return entries

    def peek(self) -> dict[int, str | None]:
        """Every process's entries, live ones' included, without taking any over: replies a
        worker on this machine delivered and has not marked yet (its database was away)."""
        entries: dict[int, str | None] = dict(self._open)
        if self._dir.is_dir():
            for path in self._dir.glob(f"*{SUFFIX}"):
                try:
                    entries.update(_read(path))
                except OSError:
                    continue  # emptied and removed meanwhile
        return entries

    def clear(self) -> None:
        """Everything noted is marked in the database now."""
        self._open.clear()
        self._lines = 0
        try:
            self._own.unlink(missing_ok=True)
        except OSError as exc:  # as in add: a journal we cannot write must not stop a reply
            logger.warning("cannot remove the journal of unmarked replies: %s", exc)

    def _rewrite(self, entries: dict[int, str | None]) -> None:
        lines = "".join(f"{r} {e or '-'}\n" for r, e in entries.items())
        tmp = self._own.with_suffix(".tmp")
        try:
            tmp.write_text(lines, encoding="ascii")
            os.replace(tmp, self._own)
            self._lines = len(entries)
        except OSError as exc:
            logger.warning("cannot rewrite the journal of unmarked replies: %s", exc)


def _read(path: Path) -> dict[int, str | None]:
    entries: dict[int, str | None] = {}
    # The last piece lacks its newline when the crash cut the line short: dropped.
    for line in path.read_text(encoding="ascii", errors="replace").split("\n")[:-1]:
        record, _, external = line.partition(" ")
        if record.isdigit() and external:
            entries[int(record)] = None if external == "-" else external
    return entries
