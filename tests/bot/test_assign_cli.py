"""`agents set` / `agents roster` and the SLA part of `crm report`, through the real Typer app."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from crm_memory import SqlDatabase
from tests.crm_memory.report_fixture import fill

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"CRMBOT_STORAGE__DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}


def test_agents_set_and_roster(env: dict[str, str]) -> None:
    missing = runner.invoke(app, ["agents", "set", "maria", "--capacity", "3"], env=env)
    assert missing.exit_code != 0 and "agents add maria" in missing.output
    added = runner.invoke(
        app, ["agents", "add", "maria", "--password-stdin"], input="correct horse b\n", env=env
    )
    assert added.exit_code == 0, added.output
    args = ["agents", "set", "maria", "--capacity", "3", "--skills", "zh, EN,returns"]
    done = runner.invoke(app, [*args, "--telegram", "9001"], env=env)
    assert done.exit_code == 0, done.output
    assert "maria: offline · capacity 3 · skills zh,en,returns · telegram 9001" in done.output
    bad = runner.invoke(app, ["agents", "set", "maria", "--capacity", "-2"], env=env)
    assert bad.exit_code != 0 and "capacity" in bad.output
    online = runner.invoke(app, ["agents", "set", "maria", "--status", "online"], env=env)
    assert "maria: online · capacity 3" in online.output  # what was not given stays
    roster = json.loads(runner.invoke(app, ["agents", "roster", "--json"], env=env).stdout)
    (maria,) = roster["agents"]
    assert (maria["name"], maria["skills"], maria["telegram_user_id"]) == (
        "maria",
        ["zh", "en", "returns"],
        9001,
    )
    assert roster["load"] == {} and roster["waiting"] == 0


def test_report_has_sla_by_priority_and_agent(env: dict[str, str]) -> None:
    async def go() -> None:
        db = SqlDatabase(env["CRMBOT_STORAGE__DATABASE_URL"])
        await db.upgrade()
        await fill(db)
        await db.dispose()

    asyncio.run(go())
    result = runner.invoke(app, ["crm", "report", "--json"], env=env)
    assert result.exit_code == 0, result.output
    sla = json.loads(result.stdout)["sla"]
    # #1 high: answered in 5, resolved in 60 business minutes (targets 30 / 480); #2 normal:
    # 10 and 30 (targets 60 / 1440) — a Tuesday, inside Mon-Fri 09:00-18:00 London.
    lines = {line["name"]: line for line in sla["by_priority"]}
    assert list(lines) == ["high", "normal"]
    assert (lines["high"]["first_response_minutes"], lines["high"]["resolution_minutes"]) == (
        5.0,
        60.0,
    )
    assert lines["normal"]["first_response_minutes"] == 10.0
    assert lines["normal"]["first_response_met_percent"] == 100.0
    assert {a["name"] for a in sla["by_agent"]} == {"Maria", "Li"}
    text = runner.invoke(app, ["crm", "report"], env=env).output
    assert "SLA by priority" in text and "SLA by agent" in text and "100% (1/1)" in text
