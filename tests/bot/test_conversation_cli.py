"""`python -m bot test conversations`: the replay, its checks, its report and exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.conversation_tests import items_text, run_conversations
from nlu import BuiltinEngine

runner = CliRunner()
SHIPPED = Path(__file__).resolve().parents[1] / "conversations"

LATE_THEN_CASE = """
name: late parcel, then a case that uses the number given earlier
language: en
customer: {name: Anna}
orders:
  - {number: "88231", status: shipped, carrier: DHL, tracking: JD77, eta: -2d}
sessions:
  - turns:
      - customer: "where is my order 88231"
        expect:
          intent: ask_order_status
          contains: ["88231", sorry, late]
          buttons: [opencase, human]
          case: none
      - customer: "yes please open a case"
        expect: {case: opened, order: "88231", contains: ["#{case}"], cases: 1}
  - after: 2d
    turns:
      - customer: "hi any update on my case?"
        expect: {intent: ask_case_status, contains: ["#{case}", waiting, welcome back]}
"""

WRONG = """
name: an expectation the bot does not meet
language: zh
sessions:
  - turns:
      - customer: "你好"
        expect: {intent: complaint, contains: ["不会出现的字"]}
"""


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("nlu-model")  # trained once for the module's commands


@pytest.fixture
def env(tmp_path: Path, model_dir: Path) -> dict[str, str]:
    return {
        "CRMBOT_STORAGE__DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}",
        "CRMBOT_NLU__MODEL_DIR": str(model_dir),
    }


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_passing_conversation(tmp_path: Path, env: dict[str, str]) -> None:
    _write(tmp_path, "late.yml", LATE_THEN_CASE)
    result = runner.invoke(app, ["test", "conversations", str(tmp_path)], env=env)
    assert result.exit_code == 0, result.output
    assert "1 conversations, 3 turns, 3 as expected (100.0%)" in result.stdout


def test_the_report_shows_what_each_request_was_read_as(
    tmp_path: Path, env: dict[str, str]
) -> None:
    # For whoever writes a conversation file and asks why the bot answered as it did.
    _write(tmp_path, "late.yml", LATE_THEN_CASE)
    shown = runner.invoke(app, ["test", "conversations", str(tmp_path), "-v"], env=env)
    assert "read as ask_case_status (asks_about_case)" in shown.stdout, shown.stdout
    data = json.loads(
        runner.invoke(app, ["test", "conversations", str(tmp_path), "--json"], env=env).stdout
    )
    last = data["conversations"][0]["turns"][-1]
    assert (last["intents"], last["readings"]) == (["ask_case_status"], ["asks_about_case"])


def test_a_failing_turn_is_shown_with_its_reply_and_exit_1(
    tmp_path: Path, env: dict[str, str]
) -> None:
    _write(tmp_path, "late.yml", LATE_THEN_CASE)
    _write(tmp_path, "wrong.yml", WRONG)
    result = runner.invoke(app, ["test", "conversations", str(tmp_path), "--json"], env=env)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["turns"], data["as_expected"]) == (4, 3)
    wrong = next(c for c in data["conversations"] if c["name"].startswith("an expectation"))
    (turn,) = wrong["turns"]
    assert turn["said"] == "你好" and turn["replies"] and not turn["ok"]
    assert any(p.startswith("intent: wanted ['complaint']") for p in turn["problems"])
    assert any("不会出现的字" in p for p in turn["problems"])


def test_a_malformed_file_is_named(tmp_path: Path, env: dict[str, str]) -> None:
    _write(
        tmp_path,
        "bad.yml",
        "name: x\nsessions:\n  - turns:\n      - customer: hi\n        expect: {vibe: good}\n",
    )
    result = runner.invoke(app, ["test", "conversations", str(tmp_path)], env=env)
    assert result.exit_code == 1
    assert "bad.yml" in result.stderr and "unknown expectation vibe" in result.stderr
    missing = runner.invoke(app, ["test", "conversations", str(tmp_path / "nope")], env=env)
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_an_orders_items_are_names_not_records(tmp_path: Path, env: dict[str, str]) -> None:
    # A list of names is the order's items as a shop lists them; anything else is named as
    # an error (a list of records was taken as its Python text and said back to customers).
    assert items_text(["Air fryer 4 L", "mug"], "f.yml") == "Air fryer 4 L, mug"
    assert items_text("electric kettle", "f.yml") == "electric kettle"
    records = LATE_THEN_CASE.replace("eta: -2d}", "eta: -2d, items: [{name: mug, qty: 1}]}")
    _write(tmp_path, "records.yml", records)
    result = runner.invoke(app, ["test", "conversations", str(tmp_path / "records.yml")], env=env)
    assert result.exit_code == 1
    assert "records.yml" in result.stderr and "items must be text or a list" in result.stderr


async def test_every_shipped_conversation_holds(engine: BuiltinEngine) -> None:
    results = await run_conversations([SHIPPED], engine)
    assert len(results) >= 80
    languages = {r.path.split("/")[-2] for r in results}
    assert languages == {"en", "zh"}
    failing = [
        f"{r.path} {t.session}.{t.index} {t.said!r} -> {t.replies} {t.problems}"
        for r in results
        for t in r.turns
        if not t.ok
    ]
    assert not failing, "\n".join(failing)
