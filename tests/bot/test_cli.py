"""The CLI on an empty and on a filled database, through the real Typer app."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from crm_memory import CaseKind, ChannelIdentity, Direction, Priority, Sender, SqlDatabase

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"CRMBOT_STORAGE__DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}


def _fill(url: str) -> None:
    async def go() -> None:
        db = SqlDatabase(url)
        await db.upgrade()
        alice, _ = await db.customers.get_or_create(
            ChannelIdentity("telegram", "42"), display_name="Alice", language="en"
        )
        await db.customers.remember(alice.id, "order_number", "A-1001")
        for direction, sender, text in (
            (Direction.IN, Sender.CUSTOMER, "my kettle arrived broken"),
            (Direction.OUT, Sender.BOT, "I'm sorry. I opened case #1."),
        ):
            await db.messages.record(
                customer_id=alice.id,
                channel="telegram",
                direction=direction,
                sender=sender,
                text=text,
            )
        case = await db.cases.open(
            customer_id=alice.id, kind=CaseKind.COMPLAINT, priority=Priority.HIGH, reason="broken"
        )
        await db.cases.close(case.number)
        await db.surveys.rate(customer_id=alice.id, rating=4, case_number=case.number)
        await db.dispose()

    asyncio.run(go())


def test_empty_database(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["crm", "cases", "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    result = runner.invoke(app, ["crm", "history", "telegram:42", "--json"], env=env)
    assert result.exit_code == 1
    assert "no customer with identity telegram:42" in result.stderr


def test_filled_database(env: dict[str, str]) -> None:
    _fill(env["CRMBOT_STORAGE__DATABASE_URL"])
    history = runner.invoke(app, ["crm", "history", "telegram:42", "--json"], env=env)
    assert history.exit_code == 0, history.output
    messages = json.loads(history.stdout)
    assert [(m["direction"], m["sender"], m["text"]) for m in messages] == [
        ("in", "customer", "my kettle arrived broken"),
        ("out", "bot", "I'm sorry. I opened case #1."),
    ]
    assert all(m["created_at"] for m in messages)

    limited = runner.invoke(
        app, ["crm", "history", "telegram:42", "--limit", "1", "--json"], env=env
    )
    assert [m["text"] for m in json.loads(limited.stdout)] == ["I'm sorry. I opened case #1."]

    cases = json.loads(runner.invoke(app, ["crm", "cases", "--json"], env=env).stdout)
    assert cases == [
        {
            "id": 1,
            "customer": "Alice",
            "customer_id": 1,
            "kind": "complaint",
            "status": "closed",
            "priority": "high",
            "reason": "broken",
            "owner": None,
            "csat": 4,
            "opened_at": cases[0]["opened_at"],
            "closed_at": cases[0]["closed_at"],
        }
    ]
    open_only = runner.invoke(app, ["crm", "cases", "--status", "open", "--json"], env=env)
    assert json.loads(open_only.stdout) == []

    customer = json.loads(
        runner.invoke(app, ["crm", "customer", "telegram:42", "--json"], env=env).stdout
    )
    assert customer["display_name"] == "Alice"
    assert customer["identities"] == ["telegram:42"]
    assert [(f["kind"], f["value"]) for f in customer["facts"]] == [("order_number", "A-1001")]
    assert customer["segment"] == "new"
    assert [c["id"] for c in customer["cases"]] == [1]

    table = runner.invoke(app, ["crm", "history", "telegram:42"], env=env)
    assert table.exit_code == 0 and "my kettle arrived broken" in table.stdout


def test_bad_identity_and_status(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["crm", "customer", "42"], env=env)
    assert result.exit_code == 1
    assert "channel:id" in result.stderr
    result = runner.invoke(app, ["crm", "cases", "--status", "lost"], env=env)
    assert result.exit_code == 2


def test_invalid_config_exits_2_with_key_and_fix(tmp_path: Path, env: dict[str, str]) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("nlu:\n  fallback_threshold: 3\n", encoding="utf-8")
    result = runner.invoke(app, ["--config", str(bad), "crm", "cases"], env=env)
    assert result.exit_code == 2
    assert "nlu.fallback_threshold" in result.stderr
    assert "CRMBOT_NLU__FALLBACK_THRESHOLD" in result.stderr
    assert "Traceback" not in result.output

    result = runner.invoke(app, ["--config", str(tmp_path / "missing.yml"), "crm", "cases"])
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_unreachable_database_exits_2() -> None:
    env = {"CRMBOT_STORAGE__DATABASE_URL": "postgresql+asyncpg://u@127.0.0.1:1/crm"}
    result = runner.invoke(app, ["db", "upgrade"], env=env)
    assert result.exit_code == 2
    assert "storage.database_url" in result.stderr and "fix:" in result.stderr


def test_unreachable_redis_exits_2(env: dict[str, str]) -> None:
    result = runner.invoke(
        app, ["db", "upgrade"], env={**env, "CRMBOT_STORAGE__REDIS_URL": "redis://127.0.0.1:1/0"}
    )
    assert result.exit_code == 2
    assert "storage.redis_url" in result.stderr


def test_feedback_list_and_done(env: dict[str, str]) -> None:
    async def add() -> None:
        db = SqlDatabase(env["CRMBOT_STORAGE__DATABASE_URL"])
        await db.upgrade()
        alice, _ = await db.customers.get_or_create(
            ChannelIdentity("telegram", "42"), display_name="Alice"
        )
        await db.feedback.add(
            customer_id=alice.id, text="no dark mode", sentiment=-0.4, topic="app"
        )
        await db.dispose()

    asyncio.run(add())
    listed = json.loads(runner.invoke(app, ["crm", "feedback", "list", "--json"], env=env).stdout)
    assert [(f["id"], f["text"], f["topic"]) for f in listed] == [(1, "no dark mode", "app")]
    done = runner.invoke(app, ["crm", "feedback", "done", "1", "dark mode shipped"], env=env)
    assert done.exit_code == 0, done.output
    still_open = runner.invoke(app, ["crm", "feedback", "list", "--open", "--json"], env=env)
    assert json.loads(still_open.stdout) == []
    missing = runner.invoke(app, ["crm", "feedback", "done", "9", "x"], env=env)
    assert missing.exit_code == 1 and "no feedback with id 9" in missing.stderr
