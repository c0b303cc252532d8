"""How long a newcomer waits: from starting the console chat to the bot's first answer.

    .venv/bin/python bench/first_start.py [--repo DIR] [--command "make run"] [--out FILE]

Starts the command in DIR (default: this checkout) on a pseudo-terminal with a fresh
database, writes "hi" as soon as the chat opens, and times the answer. Run it right after
`make install` in a fresh clone: the install trains the language model, so this is the
newcomer's wait. ``--cold`` removes the cached model first (a start that has to train).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pty
import re
import resource
import select
import shlex
import shutil
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def measure(repo: Path, command: str, cold: bool, timeout: float) -> dict[str, Any]:
    """Seconds to the chat opening and to the first answer, and what the terminal showed."""
    if cold:
        shutil.rmtree(repo / "data" / "nlu-model", ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CRMBOT_")}
        env.update(
            CRMBOT_STORAGE__DATABASE_URL=f"sqlite+aiosqlite:///{tmp}/first.db",
            USER="newcomer",
            COLUMNS="200",
            TERM="xterm",
        )
        master, slave = pty.openpty()
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.Popen(
            shlex.split(command), stdin=slave, stdout=slave, stderr=slave, cwd=repo, env=env
        )
        os.close(slave)
        screen = ""
        marks: dict[str, float] = {}
        try:
            while time.perf_counter() - started < timeout:
                ready, _, _ = select.select([master], [], [], 0.1)
                if ready:
                    try:
                        screen += os.read(master, 65536).decode("utf-8", "replace")
                    except OSError:
                        break
                plain = ANSI.sub("", screen)
                now = time.perf_counter() - started
                if "training" not in marks and "Training the language model" in plain:
                    marks["training"] = round(now, 2)
                if "chat_open" not in marks and "Chatting as" in plain:
                    marks["chat_open"] = round(now, 2)
                    os.write(master, b"hi\r")
                if "answered" not in marks and re.search(r"bot> Hi newcomer", plain):
                    marks["answered"] = round(now, 2)
                    os.write(master, b"/quit\r")
                    break
        finally:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
            os.close(master)
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time of the whole run (to /quit): on a loaded machine, closer to what an idle one
    # would take than the wall clock.
    cpu_seconds = cpu.ru_utime + cpu.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
    return {
        "command": command,
        "cold": cold,
        "trained_at_start": "training" in marks,
        "seconds_to_chat": marks.get("chat_open"),
        "seconds_to_first_answer": marks.get("answered"),
        "cpu_seconds_whole_run": round(cpu_seconds, 2),
        "screen_tail": ANSI.sub("", screen)[-600:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=ROOT)
    parser.add_argument("--command", default="make run")
    parser.add_argument("--cold", action="store_true", help="remove the cached model first")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = measure(args.repo.resolve(), args.command, args.cold, args.timeout)
    result.update(
        machine=f"{platform.machine()} {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
        date=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)  # noqa: T201 - a benchmark's report


if __name__ == "__main__":
    main()
