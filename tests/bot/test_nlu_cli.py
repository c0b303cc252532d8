"""`nlu train`, `nlu parse` and `nlu evaluate` through the real Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()

TRAIN = """text,intent
where is my order,ask_order_status
track my parcel please,ask_order_status
has my order shipped,ask_order_status
order status for A-1001,ask_order_status
how do I return this,ask_returns
I want to send it back,ask_returns
return policy please,ask_returns
can I get a refund for the return,ask_returns
hello there,greet
hi,greet
good morning,greet
hey,greet
"""
TEST = """text,intent
where's my parcel,ask_order_status
how can I return my shoes,ask_returns
hello,greet
what is the meaning of life,oos
sing me a song,out_of_scope
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "CRMBOT_STORAGE__DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "CRMBOT_NLU__MODEL_DIR": str(tmp_path / "model"),
    }


def test_evaluate_json(tmp_path: Path, env: dict[str, str]) -> None:
    train, test = tmp_path / "train.csv", tmp_path / "test.csv"
    train.write_text(TRAIN, encoding="utf-8")
    test.write_text(TEST, encoding="utf-8")
    result = runner.invoke(
        app,
        ["nlu", "evaluate", "--train", str(train), "--test", str(test), "--json"],
        env={**env, "CRMBOT_NLU__FALLBACK_THRESHOLD": "0.5"},
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    for key in (
        "accuracy",
        "macro_f1",
        "fallback_rate",
        "n_test",
        "train_seconds",
        "parse_ms_p50",
        "parse_ms_p99",
        "per_intent",
        "in_scope_accuracy",
        "oos_recall",
    ):
        assert key in report, key
    assert report["n_test"] == 5
    assert set(report["per_intent"]) == {
        "ask_order_status",
        "ask_returns",
        "greet",
        "oos",
        "out_of_scope",
    }
    assert {"precision", "recall"} <= set(report["per_intent"]["greet"])
    # Figures are consistent with each other.
    n_oos, n_in = 2, 3
    correct = report["in_scope_accuracy"] * n_in + report["oos_recall"] * n_oos
    assert report["accuracy"] == pytest.approx(correct / 5, abs=1e-3)


def test_evaluate_bad_file(tmp_path: Path, env: dict[str, str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("words\nhello\n", encoding="utf-8")
    result = runner.invoke(
        app, ["nlu", "evaluate", "--train", str(bad), "--test", str(bad)], env=env
    )
    assert result.exit_code == 1
    assert "bad.csv:1" in result.stderr


def test_train_then_parse(env: dict[str, str]) -> None:
    trained = runner.invoke(app, ["nlu", "train"], env=env)
    assert trained.exit_code == 0, trained.output
    assert "20 intents" in trained.stdout
    parsed = runner.invoke(app, ["nlu", "parse", "where is my order A-1001?", "--json"], env=env)
    assert parsed.exit_code == 0, parsed.output
    result = json.loads(parsed.stdout)
    assert result["intent"] == "ask_order_status"
    assert result["entities"][0]["value"] == "A-1001"
    assert result["entities"][0]["start"] == 18
    assert len(result["ranking"]) == 20
    assert result["sentiment_label"] == "neutral"
    angry = runner.invoke(
        app, ["nlu", "parse", "oh great, another delay. thanks for nothing", "--json"], env=env
    )
    assert json.loads(angry.stdout)["sentiment_label"] == "negative"
    assert json.loads(angry.stdout)["sentiment"] < 0
