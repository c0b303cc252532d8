"""`crm inbox`: what waits, what was parked after failing and why, and retrying it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from crm_memory import SqlDatabase

runner = CliRunner()


def _parked(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'inbox.db'}"

    async def go() -> None:
        db = SqlDatabase(url)
        await db.upgrade()
        for update_id in (7, 8, 9):
            await db.inbox.put("telegram", update_id, '{"text": "my secret words"}')
        for _ in range(2):
            await db.inbox.fail("telegram", 7, "RuntimeError: orders API\nline 2", max_attempts=2)
        await db.inbox.fail("telegram", 8, "KeyError: 'sku'", max_attempts=1)
        await db.dispose()

    asyncio.run(go())
    return {"CRMBOT_STORAGE__DATABASE_URL": url}


def test_inbox_counts_lists_and_retries(tmp_path: Path) -> None:
    env = _parked(tmp_path)
    summary = runner.invoke(app, ["crm", "inbox"], env=env)
    assert summary.exit_code == 0, summary.output
    assert "telegram: 1 waiting" in summary.stdout and "2 failed" in summary.stdout

    listed = runner.invoke(app, ["crm", "inbox", "--failed", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [(r["update_id"], r["attempts"]) for r in rows] == [(7, 2), (8, 1)]
    assert rows[0]["error"].startswith("RuntimeError: orders API")
    assert "secret" not in listed.stdout  # the customer's words are not printed
    table = runner.invoke(app, ["crm", "inbox", "--failed"], env=env)
    assert table.exit_code == 0 and "KeyError" in table.stdout and "secret" not in table.stdout

    one = runner.invoke(app, ["crm", "inbox", "retry", "8"], env=env)
    assert one.exit_code == 0 and "1 update(s) pending again" in one.stdout
    missing = runner.invoke(app, ["crm", "inbox", "retry", "8"], env=env)
    assert missing.exit_code == 1 and "not among the failed" in missing.stderr
    rest = runner.invoke(app, ["crm", "inbox", "retry"], env=env)
    assert rest.exit_code == 0 and "1 update(s) pending again" in rest.stdout
    after = runner.invoke(app, ["crm", "inbox", "--failed"], env=env)
    assert "no failed updates" in after.stdout
    summary = runner.invoke(app, ["crm", "inbox", "--json"], env=env)
    assert json.loads(summary.stdout) == {"waiting": {"telegram": 3}, "failed": 0}
