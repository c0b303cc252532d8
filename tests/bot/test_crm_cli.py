"""The support lead's commands through the real Typer app: report, segments, import, export."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from bot.cli import app
from bot.cli_support import UserError
from bot.crm_cli import parse_day
from crm_memory import ChannelIdentity, SqlDatabase, use_clock
from crm_memory.sql._models import CustomerRow
from tests.browser import FLAGS, chromium
from tests.crm_memory.report_fixture import at, fill

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"CRMBOT_STORAGE__DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}


@pytest.fixture
def filled(env: dict[str, str]) -> dict[str, str]:
    async def go() -> None:
        db = SqlDatabase(env["CRMBOT_STORAGE__DATABASE_URL"])
        await db.upgrade()
        await fill(db)
        await db.dispose()

    asyncio.run(go())
    return env


def _db(env: dict[str, str]) -> SqlDatabase:
    return SqlDatabase(env["CRMBOT_STORAGE__DATABASE_URL"])


def test_parse_day() -> None:
    since = parse_day("2026-11-01", option="--since")
    until = parse_day("2026-11-30", option="--until", end=True)
    assert since is not None and since.isoformat() == "2026-11-01T00:00:00+00:00"
    assert until is not None and until.isoformat() == "2026-12-01T00:00:00+00:00"
    assert parse_day(None, option="--since") is None
    with pytest.raises(UserError, match="YYYY-MM-DD"):
        parse_day("last tuesday", option="--since")


def test_report_json_has_the_documented_keys(filled: dict[str, str]) -> None:
    args = ["crm", "report", "--since", "2026-11-01", "--until", "2026-11-30", "--json"]
    result = runner.invoke(app, args, env=filled)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["csat_average"] == pytest.approx(3.667, abs=1e-3)
    assert data["csat_responses"] == 3
    assert data["containment_rate"] == 0.5
    assert data["escalations"] == 2
    assert data["escalation_reasons"] == {"high priority complaint": 1, "asked for a human": 1}
    assert data["first_response"] == {"count": 2, "median_seconds": 450.0, "p90_seconds": 570.0}
    assert data["csat_by_agent"]["Maria"]["average"] == 2.0
    assert data["since"].startswith("2026-11-01") and data["until"].startswith("2026-12-01")


def test_report_text_and_bad_dates(filled: dict[str, str]) -> None:
    result = runner.invoke(app, ["crm", "report"], env=filled)
    assert result.exit_code == 0, result.output
    assert "contained by the bot" in result.stdout and "high priority complaint" in result.stdout
    bad = runner.invoke(app, ["crm", "report", "--since", "yesterday"], env=filled)
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.stderr
    backwards = runner.invoke(
        app, ["crm", "report", "--since", "2026-11-30", "--until", "2026-11-01"], env=filled
    )
    assert backwards.exit_code == 1 and "before --until" in backwards.stderr


def test_report_page_renders_its_charts_in_chromium(filled: dict[str, str], tmp_path: Path) -> None:
    browser = chromium()
    page = tmp_path / "report.html"
    result = runner.invoke(
        app, ["crm", "report", "--since", "2026-11-01", "--html", str(page)], env=filled
    )
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html  # self-contained
    flags = ["--headless", *FLAGS, "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    # The page's script counts the charts the browser laid out with a real width.
    drawn = re.search(r'data-charts-drawn="(\d+)"', dom)
    assert drawn is not None, dom[:500]
    assert int(drawn.group(1)) == 5
    for chart in ("chart-csat", "chart-intents", "chart-escalations", "chart-response-times"):
        assert f'id="{chart}"' in dom
    assert dom.count('class="point"') == 2  # CSAT on 10 and 11 November
    assert dom.count('class="bar"') >= 5 + 2 + 4  # intents, reasons, times
    shot = tmp_path / "shot.png"
    subprocess.run(
        [browser, *flags, f"--screenshot={shot}", "--window-size=1200,1400", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.stat().st_size > 20_000  # a page with charts, not a blank one


def test_import_dry_run_errors_and_updates(env: dict[str, str], tmp_path: Path) -> None:
    csv_file = tmp_path / "customers.csv"
    csv_file.write_text(
        "identity,external_id,email,name,tier,lifetime_value,tags\n"
        "telegram:42,C-1,alice@example.com,Alice Smith,,1500,wholesale;berlin\n"
        ",C-2,bob@example.com,Bob,vip,,\n"
        "telegram:43,,not-an-email,Carl,,,\n"
        ",,,Nobody,,,\n"
        "console:dora,C-4,,Dora,,lots,\n"
        "console:emil,C-5,,Emil,,,,extra\n",
        encoding="utf-8",
    )
    dry = runner.invoke(app, ["crm", "import", str(csv_file), "--dry-run", "--json"], env=env)
    assert dry.exit_code == 1  # some rows are bad
    report = json.loads(dry.stdout)
    assert (report["created"], report["updated"], report["dry_run"]) == (2, 0, True)
    assert [(e["line"], e["reason"][:20]) for e in report["errors"]] == [
        (4, "'not-an-email' is no"),
        (5, "no identity, externa"),
        (6, "lifetime_value 'lots"),
        (7, "8 fields; the header"),
    ]

    async def count() -> int:
        db = _db(env)
        await db.upgrade()
        n = len(await db.customers.all_customers())
        await db.dispose()
        return n

    assert asyncio.run(count()) == 0  # a dry run changes nothing

    real = runner.invoke(app, ["crm", "import", str(csv_file)], env=env)
    assert real.exit_code == 1
    assert "2 customers were created, 0 updated" in real.stdout
    assert f"{csv_file}:4: 'not-an-email' is not an e-mail address" in real.stderr

    again = tmp_path / "again.csv"
    again.write_text("email,tier\nALICE@example.com,platinum\n", encoding="utf-8")
    result = runner.invoke(app, ["crm", "import", str(again)], env=env)
    assert result.exit_code == 0, result.output
    assert "0 customers were created, 1 updated" in result.stdout

    async def check() -> None:
        db = _db(env)
        alice = await db.customers.find(ChannelIdentity("telegram", "42"))
        assert alice is not None
        assert (alice.display_name, alice.external_ref, alice.lifetime_value) == (
            "Alice Smith",
            "C-1",
            1500.0,
        )
        assert alice.tags == ("wholesale", "berlin")
        assert (alice.tier, alice.tier_source) == ("platinum", "import")
        bob = await db.customers.find_by(external_ref="C-2")
        assert bob is not None and bob.tier == "vip" and await db.customers.identities(bob.id) == []
        await db.dispose()

    asyncio.run(check())


def test_import_tier_from_rules_and_bad_files(env: dict[str, str], tmp_path: Path) -> None:
    csv_file = tmp_path / "values.csv"
    csv_file.write_text(
        "identity,lifetime_value\ntelegram:1,6000\ntelegram:2,1200\ntelegram:3,10\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["crm", "import", str(csv_file)], env=env)
    assert result.exit_code == 0, result.output
    tiers = runner.invoke(app, ["crm", "segments", "--json"], env=env)
    # The shipped config.yml rules: platinum from 5000, gold from 1000, else standard.
    assert json.loads(tiers.stdout)["tiers"] == {"gold": 1, "platinum": 1, "standard": 1}

    no_key = tmp_path / "nokey.csv"
    no_key.write_text("name,tier\nAnna,gold\n", encoding="utf-8")
    bad = runner.invoke(app, ["crm", "import", str(no_key)], env=env)
    assert bad.exit_code == 1 and "no column says who the customer is" in bad.stderr
    missing = runner.invoke(app, ["crm", "import", str(tmp_path / "nope.csv")], env=env)
    assert missing.exit_code == 1 and "cannot read" in missing.stderr


def test_segments_recompute(env: dict[str, str]) -> None:
    async def fill_then(read: bool) -> dict[str, str]:
        db = _db(env)
        if not read:
            await db.upgrade()
            ids = await fill(db)  # every customer starts "new"
            # The fixture dates messages; date the customers' first and last contact alike.
            seen = {
                cid: (at(8, month=10, day=1) if name == "emil" else at(8))
                for name, cid in ids.items()
            }
            async with db.engine.begin() as conn:
                for cid, when in seen.items():
                    await conn.execute(
                        update(CustomerRow)
                        .where(CustomerRow.id == cid)
                        .values(created_at=when, last_seen_at=when)
                    )
        stages = {c.display_name: c.segment for c in await db.customers.all_customers()}
        await db.dispose()
        return stages

    with use_clock(lambda: datetime(2026, 11, 10, 8, tzinfo=UTC)):
        before = asyncio.run(fill_then(read=False))
    assert set(before.values()) == {"new"}
    # Ten days after the fixture's November conversations, by the shipped config.yml rules.
    with use_clock(lambda: datetime(2026, 11, 20, 12, tzinfo=UTC)):
        result = runner.invoke(app, ["crm", "segments", "--recompute", "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert asyncio.run(fill_then(read=True)) == {
        "Anna": "new",  # first contact 10 days ago, one conversation, rated the bot 5
        "Ben": "at-risk",  # rated his case 2 within 30 days
        "Chen": "new",  # rated 4, praised the app
        "Dora": "at-risk",  # negative feedback within 30 days
        "Emil": "at-risk",  # 50 days quiet (over 45), not yet 90
    }
    assert json.loads(result.stdout)["segments"] == {"new": 2, "at-risk": 3}


def test_export_writes_everything_stored(filled: dict[str, str], tmp_path: Path) -> None:
    async def note() -> None:
        db = _db(filled)
        await db.cases.add_note(1, author="Maria", text="refund approved, 退款已批准")
        await db.dispose()

    asyncio.run(note())
    out = tmp_path / "ben.json"
    result = runner.invoke(app, ["crm", "export", "telegram:2", "--out", str(out)], env=filled)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["customer"]["display_name"] == "Ben"
    assert data["identities"] == [{"channel": "telegram", "external_id": "2"}]
    assert [m["text"] for m in data["messages"]] == [
        "my parcel never came, refund now",
        "So sorry, Ben, refund is on its way.",
    ]
    assert [(c["number"], c["topic"], c["csat"]) for c in data["cases"]] == [(1, "delivery", 2)]
    assert [r["rating"] for r in data["ratings"]] == [2]
    assert [(n["case_number"], n["author"], n["text"]) for n in data["notes"]] == [
        (1, "Maria", "refund approved, 退款已批准")
    ]
    assert data["feedback"] == []
    stdout = runner.invoke(app, ["crm", "export", "telegram:3"], env=filled)
    assert json.loads(stdout.stdout)["feedback"][0]["text"] == "love the new app"
    unknown = runner.invoke(app, ["crm", "export", "telegram:999"], env=filled)
    assert unknown.exit_code == 1 and "no customer with identity telegram:999" in unknown.stderr


def test_forget_needs_confirmation_then_erases(filled: dict[str, str]) -> None:
    refused = runner.invoke(app, ["crm", "forget", "telegram:2"], env=filled, input="n\n")
    assert refused.exit_code == 1
    assert runner.invoke(app, ["crm", "export", "telegram:2"], env=filled).exit_code == 0
    done = runner.invoke(app, ["crm", "forget", "telegram:2", "--yes"], env=filled)
    assert done.exit_code == 0, done.output
    assert "erased telegram:2: 1 chat(s) cleared" in done.stdout
    gone = runner.invoke(app, ["crm", "export", "telegram:2"], env=filled)
    assert gone.exit_code == 1
    report = json.loads(runner.invoke(app, ["crm", "report", "--json"], env=filled).stdout)
    assert report["escalations"] == 2 and report["csat_responses"] == 4


def test_purge_keeps_counts(filled: dict[str, str]) -> None:
    off = runner.invoke(app, ["crm", "purge"], env=filled)
    assert off.exit_code == 1 and "retention_days is 0" in off.stderr
    before = json.loads(runner.invoke(app, ["crm", "report", "--json"], env=filled).stdout)
    result = runner.invoke(app, ["crm", "purge"], env={**filled, "CRMBOT_CRM__RETENTION_DAYS": "1"})
    assert result.exit_code == 0, result.output
    assert "11 message text(s) older than 1 days deleted" in result.stdout
    history = json.loads(
        runner.invoke(app, ["crm", "history", "telegram:1", "--json"], env=filled).stdout
    )
    assert {m["text"] for m in history} == {"[expired]"}
    after = json.loads(runner.invoke(app, ["crm", "report", "--json"], env=filled).stdout)
    assert after == before


async def _audit(env: dict[str, str]) -> list[tuple[str, str, int | None]]:
    db = _db(env)
    try:
        return [(e.actor, e.action, e.customer_id) for e in await db.audit.entries()]
    finally:
        await db.dispose()


async def _customer_id(env: dict[str, str], identity: str) -> int:
    db = _db(env)
    try:
        found = await db.customers.find(ChannelIdentity.parse(identity))
        assert found is not None
        return found.id
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    ("command", "action"),
    [
        (["crm", "customer", "telegram:2"], "view"),
        (["crm", "history", "telegram:2", "--json"], "view"),
        (["crm", "export", "telegram:2"], "export"),
        (["crm", "forget", "telegram:2", "--yes"], "erase"),
    ],
)
def test_every_read_export_and_erasure_from_the_cli_is_audited(
    filled: dict[str, str], command: list[str], action: str
) -> None:
    ben = asyncio.run(_customer_id(filled, "telegram:2"))
    # By default the OS user (getpass reads LOGNAME first), written as cli:NAME.
    done = runner.invoke(app, command, env={**filled, "LOGNAME": "dora"})
    assert done.exit_code == 0, done.output
    assert asyncio.run(_audit(filled)) == [("cli:dora", action, ben)]
    log = json.loads(runner.invoke(app, ["crm", "audit", "--json"], env=filled).stdout)
    assert [(e["actor"], e["action"], e["customer_id"]) for e in log] == [("cli:dora", action, ben)]


def test_the_cli_audits_as_someone_else_with_as_and_lists_too(filled: dict[str, str]) -> None:
    ben = asyncio.run(_customer_id(filled, "telegram:2"))
    runner.invoke(app, ["--as", " maria ", "crm", "history", "telegram:2"], env=filled)
    runner.invoke(app, ["--as", "maria", "crm", "cases", "--json"], env=filled)
    runner.invoke(app, ["--as", "maria", "crm", "feedback", "list", "--json"], env=filled)
    assert asyncio.run(_audit(filled)) == [
        ("cli:maria", "view", None),
        ("cli:maria", "view", None),
        ("cli:maria", "view", ben),
    ]
    blank = runner.invoke(app, ["--as", "  ", "crm", "history", "telegram:2"], env=filled)
    assert blank.exit_code == 2 and "--as: must not be blank" in blank.stderr
