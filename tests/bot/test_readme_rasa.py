"""The README's Rasa evaluation command, run exactly as written with the shipped config."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"


def readme_command() -> list[str]:
    """The `python -m bot nlu evaluate ... --backend rasa` command the README shows."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"`(python -m bot nlu evaluate [^`]*--backend rasa[^`]*)`", readme)
    assert len(commands) == 1, f"expected one Rasa evaluation command in README: {commands}"
    return shlex.split(commands[0])


def test_readme_shows_a_small_rasa_evaluation() -> None:
    args = readme_command()
    train = Path(args[args.index("--train") + 1])
    test = Path(args[args.index("--test") + 1])
    # Small enough for CI: a quick example, not the bot's data or banking77.
    assert (ROOT / train).stat().st_size < 10_000 and (ROOT / test).is_file()


@pytest.mark.skipif(
    not RASA.exists(),
    reason="needs the Rasa virtualenv: `make rasa-install` (Python 3.10) creates .venv-rasa",
)
def test_readme_rasa_evaluation_runs_as_written() -> None:
    # From the repository, with the shipped config.yml and its relative nlu.model_dir: the
    # model used to be written inside Rasa's temporary directory and deleted.
    args = readme_command()
    assert args[:3] == ["python", "-m", "bot"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMBOT_")}
    result = subprocess.run(
        [sys.executable, *args[1:]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "rasa: accuracy" in result.stdout, result.stdout[-3000:]
