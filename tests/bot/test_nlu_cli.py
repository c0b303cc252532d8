"""`nlu train`, `nlu parse` and `nlu evaluate` through the real Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from nlu.data import load_training_data

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


@pytest.mark.parametrize(
    ("threshold", "in_scope", "oos_recall"),
    # Everything falls back: every oos row is caught and no in-scope row is right. Nothing
    # falls back: the model knows no oos intent, so no oos row is caught.
    [("0.999", 0.0, 1.0), ("0.0", None, 0.0)],
)
def test_evaluate_counts_oos_rows(
    tmp_path: Path,
    env: dict[str, str],
    threshold: str,
    in_scope: float | None,
    oos_recall: float,
) -> None:
    train, test = tmp_path / "train.csv", tmp_path / "test.csv"
    train.write_text(TRAIN, encoding="utf-8")
    test.write_text(TEST, encoding="utf-8")
    result = runner.invoke(
        app,
        ["nlu", "evaluate", "--train", str(train), "--test", str(test)],
        env={**env, "CRMBOT_NLU__FALLBACK_THRESHOLD": threshold},
    )
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("in-scope accuracy"))
    figures = dict(part.rsplit(" ", 1) for part in line.split(", "))
    assert float(figures["OOS recall"]) == oos_recall
    if in_scope is not None:
        assert float(figures["in-scope accuracy"]) == in_scope
    else:  # three plain in-scope sentences, nothing falling back: most are right
        assert float(figures["in-scope accuracy"]) >= 2 / 3


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
    # Every intent of the shipped training data is trained (its count grows with the data).
    intents = len(load_training_data().intents)
    assert f"{intents} intents" in trained.stdout
    parsed = runner.invoke(app, ["nlu", "parse", "where is my order A-1001?", "--json"], env=env)
    assert parsed.exit_code == 0, parsed.output
    result = json.loads(parsed.stdout)
    assert result["intent"] == "ask_order_status"
    assert result["entities"][0]["value"] == "A-1001"
    assert result["entities"][0]["start"] == 18
    assert len(result["ranking"]) == intents
    assert result["sentiment_label"] == "neutral"
    angry = runner.invoke(
        app, ["nlu", "parse", "oh great, another delay. thanks for nothing", "--json"], env=env
    )
    assert json.loads(angry.stdout)["sentiment_label"] == "negative"
    assert json.loads(angry.stdout)["sentiment"] < 0


@pytest.fixture(scope="module")
def shared_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One trained model for the parse --file tests (training takes seconds each time)."""
    root = tmp_path_factory.mktemp("parse-file")
    return {
        "CRMBOT_STORAGE__DATABASE_URL": f"sqlite+aiosqlite:///{root / 'cli.db'}",
        "CRMBOT_NLU__MODEL_DIR": str(root / "model"),
    }


# Not training sentences: how a shop's log reads, blank lines and Windows line ends included.
LOG = (
    "hey do u guys sell dishwashers??\r\n"
    "\r\n"
    "   \n"
    "订单 A-1001 到哪了 急死了\n"
    "thank you so much, the kettle is lovely\n"
)


def test_parse_file_gives_one_json_object_per_message(
    tmp_path: Path, shared_env: dict[str, str]
) -> None:
    log = tmp_path / "log.txt"
    log.write_bytes(LOG.encode("utf-8"))
    result = runner.invoke(app, ["nlu", "parse", "--file", str(log), "--json"], env=shared_env)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    # Blank lines are skipped; each row says which line of the file it is.
    assert [r["line"] for r in rows] == [1, 4, 5]
    assert rows[0]["text"] == "hey do u guys sell dishwashers??"
    assert rows[0]["intent"] == "ask_product_availability"
    for row in rows:
        assert set(row) == {
            "line",
            "text",
            "intent",
            "confidence",
            "ranking",
            "entities",
            "sentiment",
            "sentiment_label",
            "language",
        }
        assert len(row["ranking"]) == 3
        assert row["ranking"][0]["confidence"] >= row["ranking"][1]["confidence"]
        assert -1 <= row["sentiment"] <= 1
    assert [r["language"] for r in rows] == ["en", "zh", "en"]
    assert rows[1]["entities"][0]["kind"] == "order_number"
    assert rows[1]["entities"][0]["value"] == "A-1001"
    assert rows[2]["sentiment_label"] == "positive" and rows[2]["sentiment"] > 0


def test_parse_file_reads_standard_input(shared_env: dict[str, str]) -> None:
    result = runner.invoke(
        app,
        ["nlu", "parse", "--file", "-"],
        input="where is my parcel\n\n空气炸锅多少钱\n",
        env=shared_env,
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("1\task_order_status\t")
    assert lines[1].startswith("3\task_product_availability\t")


def test_parse_file_refuses_a_file_that_is_not_utf8(
    tmp_path: Path, shared_env: dict[str, str]
) -> None:
    log = tmp_path / "gbk.txt"
    log.write_bytes(b"where is my order\n" + "我的订单到哪了\n".encode("gbk"))
    result = runner.invoke(app, ["nlu", "parse", "--file", str(log), "--json"], env=shared_env)
    assert result.exit_code == 1
    assert result.stdout == ""  # nothing half-done
    assert "gbk.txt: line 2 is not UTF-8" in result.stderr and "iconv" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nlu", "parse", "--file", "/no/such/file.txt"], "cannot read /no/such/file.txt"),
        (["nlu", "parse"], "give a message, or --file"),
        (["nlu", "parse", "hi", "--file", "x.txt"], "give a message, or --file"),
    ],
)
def test_parse_needs_a_message_or_a_readable_file(
    shared_env: dict[str, str], args: list[str], message: str
) -> None:
    result = runner.invoke(app, args, env=shared_env)
    assert result.exit_code == 1
    assert message in result.stderr
