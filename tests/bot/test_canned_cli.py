"""`python -m bot canned`: leads add, list, show, edit, remove and seed canned replies."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from crm_memory import SqlDatabase
from crm_memory.canned import CannedReply

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "CRMBOT_STORAGE__DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'canned.db'}",
        "LOGNAME": "lee",
    }


def _get(env: dict[str, str], name: str) -> CannedReply:
    async def go() -> CannedReply:
        db = SqlDatabase(env["CRMBOT_STORAGE__DATABASE_URL"])
        try:
            return await db.canned.get(name)
        finally:
            await db.dispose()

    return asyncio.run(go())


def test_add_edit_show_list_remove(env: dict[str, str], tmp_path: Path) -> None:
    added = runner.invoke(
        app, ["canned", "add", "Refund_Info", "Hi {name}, refund for {order} is approved"], env=env
    )
    assert added.exit_code == 0, added.output
    assert "canned reply refund_info (en) added; agents send it with /c refund_info" in added.stdout
    zh = tmp_path / "zh.txt"
    zh.write_text("{name}您好，订单{order}的退款已经批了～\n", encoding="utf-8")
    edited = runner.invoke(
        app, ["canned", "edit", "refund_info", "--lang", "zh", "--file", str(zh)], env=env
    )
    assert edited.exit_code == 0, edited.output
    assert dict(_get(env, "refund_info").variants) == {
        "en": "Hi {name}, refund for {order} is approved",
        "zh": "{name}您好，订单{order}的退款已经批了～",
    }
    assert _get(env, "refund_info").updated_by == "cli:lee"

    shown = runner.invoke(app, ["canned", "show", "refund_info", "--json"], env=env)
    assert json.loads(shown.stdout)["variants"]["zh"].startswith("{name}您好")
    listed = runner.invoke(app, ["canned", "list", "--search", "退款"], env=env)
    assert "refund_info" in listed.stdout and "en, zh" in listed.stdout

    dropped = runner.invoke(
        app, ["canned", "edit", "refund_info", "--lang", "zh", "--remove-lang"], env=env
    )
    assert dropped.exit_code == 0 and set(_get(env, "refund_info").variants) == {"en"}
    removed = runner.invoke(app, ["canned", "remove", "refund_info"], env=env)
    assert removed.exit_code == 0
    gone = runner.invoke(app, ["canned", "show", "refund_info"], env=env)
    assert gone.exit_code == 1 and "no canned reply named 'refund_info'" in gone.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["add", "refund info", "Hi"], "NAME: 1 to 64 characters"),
        (["add", "late", "Sorry {customer}"], "unknown placeholder {customer}"),
        (["add", "late", "Sorry {name"], "without its pair"),
        (["add", "late"], "give the text as an argument or with --file"),
        (["add", "late", "Hi", "--lang", "english"], "--lang: a language code"),
        (["add", "late", "Hi", "--attach-kind", "photo"], "both --attach-kind and --attach-id"),
        (["edit", "nothing", "Hi"], "no canned reply named 'nothing'"),
        (["edit", "late"], "nothing to change"),
        (["remove", "nothing"], "no canned reply named 'nothing'"),
    ],
)
def test_mistakes_get_a_clear_message_and_status_1(
    env: dict[str, str], args: list[str], says: str
) -> None:
    result = runner.invoke(app, ["canned", *args], env=env)
    assert result.exit_code == 1, result.output
    assert says in result.stderr


def test_the_same_name_twice_and_removing_the_last_language(env: dict[str, str]) -> None:
    assert runner.invoke(app, ["canned", "add", "hello", "Hello {name}"], env=env).exit_code == 0
    again = runner.invoke(app, ["canned", "add", "hello", "Hi"], env=env)
    assert again.exit_code == 1 and "exists already" in again.stderr
    assert "change it with `canned edit hello --lang en`" in again.stderr
    last = runner.invoke(app, ["canned", "edit", "hello", "--remove-lang"], env=env)
    assert last.exit_code == 1 and "at least one language" in last.stderr


def test_seed_adds_the_demo_set_once(env: dict[str, str]) -> None:
    first = runner.invoke(app, ["canned", "seed"], env=env)
    assert first.exit_code == 0, first.output
    assert "refund_info" in first.stdout
    again = runner.invoke(app, ["canned", "seed"], env=env)
    assert again.stdout.strip() == "nothing new"
    refund = _get(env, "refund_info")
    assert set(refund.variants) == {"en", "zh"}
    assert "{order}" in refund.variants["zh"] and "{case}" in refund.variants["en"]
