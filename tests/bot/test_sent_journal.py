"""The journal of delivered, unmarked replies: kept per process, taken over from the dead."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.sent_journal import SentJournal


def test_entries_of_a_dead_process_are_taken_over_and_cleared(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # gone: its journal is an orphan now
    dead = SentJournal(tmp_path, pid=child.pid)
    dead.add(7, "501:1000")
    dead.add(8, None)
    with (tmp_path / f"{child.pid}.sent").open("a") as file:
        file.write("9 501:10")  # the crash cut this line short: not trusted

    me = SentJournal(tmp_path)
    assert me.take_over() == {7: "501:1000", 8: None}
    # Moved into this process's file: a second crash before marking keeps them.
    assert [p.name for p in tmp_path.iterdir()] == [f"{os.getpid()}.sent"]
    assert SentJournal(tmp_path).take_over() == {7: "501:1000", 8: None}
    me.clear()
    assert list(tmp_path.iterdir()) == []
    assert me.take_over() == {}


def test_a_live_process_keeps_its_own_entries(tmp_path: Path) -> None:
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as child:
        try:
            SentJournal(tmp_path, pid=child.pid).add(3, "1:2")
            assert SentJournal(tmp_path).take_over() == {}  # a worker beside us: its own
            assert (tmp_path / f"{child.pid}.sent").exists()
        finally:
            child.kill()


def test_a_journal_that_cannot_be_written_does_not_stop_the_reply(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    journal = SentJournal(blocked / "journal")
    with caplog.at_level(logging.WARNING, logger="bot.sent_journal"):
        journal.add(1, "1:1")  # logged, not raised
    (warning,) = [r for r in caplog.records if r.name == "bot.sent_journal"]
    assert warning.levelno == logging.WARNING
    assert "cannot keep the unmarked reply 1 on disk" in warning.getMessage()
    assert "1:1" not in warning.getMessage()  # what was sent where stays out of the log
    journal.settled(1)  # the reply is marked later: settling it does not raise either
    assert blocked.read_text() == "not a directory"


def test_the_file_empties_once_every_noted_reply_is_settled(tmp_path: Path) -> None:
    journal = SentJournal(tmp_path)
    journal.add(1, "9:1", sync=False)
    journal.add(2, "9:2", sync=False)
    journal.settled(1)
    # Settled lines stay until the file empties (no rewrite per reply); the channel marks
    # only those still unsent in the database.
    assert SentJournal(tmp_path).take_over() == {1: "9:1", 2: "9:2"}
    journal.settled(2)
    assert list(tmp_path.iterdir()) == []
