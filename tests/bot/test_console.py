"""`python -m bot run` without a token opens the console chat; driven through a real pty."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.console import to_inbound
from handlers.types import Button, ContentKind

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal:
    """A child process on a pseudo-terminal, read until expected text appears."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, close_fds=True
        )
        os.close(slave)
        self.screen = ""

    def expect(self, pattern: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            plain = " ".join(ANSI.sub("", self.screen).split())
            if re.search(pattern, plain):
                self.screen = ""
                return plain
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.screen += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:
                    break
        raise AssertionError(f"{pattern!r} not seen; screen was: {self.screen[-2000:]!r}")

    def send(self, line: str) -> None:
        os.write(self.master, (line + "\r").encode())

    def close(self) -> int:
        try:
            return self.proc.wait(timeout=20)
        finally:
            os.close(self.master)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMBOT_")}
    env.update(
        CRMBOT_STORAGE__DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'crm.db'}",
        CRMBOT_NLU__MODEL_DIR=str(tmp_path / "model"),
        USER="tester",
        COLUMNS="200",
        TERM="xterm",
    )
    return env


def test_run_without_token_opens_the_console_chat(env: dict[str, str], tmp_path: Path) -> None:
    term = Terminal([sys.executable, "-m", "bot", "run"], env, ROOT)
    try:
        # A first start trains the language model: it says so, that it happens once, and each
        # step. One pattern: the lines may arrive in one read or several.
        plain = term.expect(
            r"No Telegram token .* opening the console chat.*"
            r"Training the language model for the first time \(once.*"
            r"1\. \S.*\(\d+ s\).*ready in \d+ s; saved for next time",
            timeout=240,
        )
        if "Chatting as tester" not in plain:
            term.expect(r"Chatting as tester")
        term.send("hi")
        term.expect(r"bot> Hi tester! I'm the Acme Home assistant")
        term.send("qwzx vbnm")
        term.expect(r"\[1\] .*\[2\] ")
        term.send("blorp zzz")
        term.expect(r"bring in a person .*\[1\] Yes, please")
        term.send("1")
        term.expect(r"case #1")
        term.send("/quit")
        term.expect("bye")
    finally:
        assert term.close() == 0
    # The next start loads the saved model: no training, no notice.
    again = Terminal([sys.executable, "-m", "bot", "run"], env, ROOT)
    try:
        assert "Training" not in again.expect(r"Chatting as tester")
        again.send("/quit")
        again.expect("bye")
    finally:
        assert again.close() == 0


def test_numbers_press_buttons_and_slashes_are_commands() -> None:
    buttons = [Button("Delivery", "intent:ask_delivery"), Button("Payment", "intent:ask_payment")]
    pressed = to_inbound("2", name="a", buttons=buttons)
    assert (pressed.kind, pressed.text) == (ContentKind.BUTTON, "intent:ask_payment")
    assert to_inbound("3", name="a", buttons=buttons).kind is ContentKind.TEXT
    assert to_inbound("/mydata", name="a", buttons=[]).kind is ContentKind.COMMAND
    assert to_inbound("A-1001", name="a", buttons=buttons).text == "A-1001"
