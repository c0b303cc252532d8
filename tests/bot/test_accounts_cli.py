"""Desk accounts, API tokens and the audit log from the command line."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.web.auth import Authenticator, token_hash, verify_password
from crm_memory import MemoryConversationState, Role, SqlDatabase
from tests.ports import free_port
from tests.telegram.conftest import start_bot

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"CRMBOT_STORAGE__DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'desk.db'}"}


def _db(env: dict[str, str]) -> SqlDatabase:
    return SqlDatabase(env["CRMBOT_STORAGE__DATABASE_URL"])


def test_agents_add_list_password_disable(env: dict[str, str]) -> None:
    added = runner.invoke(
        app,
        ["agents", "add", "Maria", "--role", "lead", "--password-stdin"],
        env=env,
        input="a good long password\n",
    )
    assert added.exit_code == 0, added.output
    assert "agent Maria (lead) can now sign in" in added.stdout
    again = runner.invoke(
        app, ["agents", "add", "Maria", "--password-stdin"], env=env, input="another password\n"
    )
    assert again.exit_code == 1 and "exists already" in again.stderr
    short = runner.invoke(
        app, ["agents", "add", "Li", "--password-stdin"], env=env, input="short\n"
    )
    assert short.exit_code == 1 and "at least 10 characters" in short.stderr
    listed = json.loads(runner.invoke(app, ["agents", "list", "--json"], env=env).stdout)
    assert [(a["name"], a["role"], a["active"]) for a in listed] == [("Maria", "lead", True)]

    async def check(password: str) -> bool:
        db = _db(env)
        found = await db.accounts.agent("Maria")
        await db.dispose()
        assert found is not None and found[0].role is Role.LEAD
        assert "a good long password" not in found[1]  # stored hashed
        return verify_password(found[1], password)

    assert asyncio.run(check("a good long password"))
    changed = runner.invoke(
        app,
        ["agents", "password", "Maria", "--password-stdin"],
        env=env,
        input="brand new secret\n",
    )
    assert changed.exit_code == 0 and asyncio.run(check("brand new secret"))
    assert runner.invoke(app, ["agents", "disable", "Maria"], env=env).exit_code == 0
    listed = json.loads(runner.invoke(app, ["agents", "list", "--json"], env=env).stdout)
    assert listed[0]["active"] is False
    missing = runner.invoke(app, ["agents", "disable", "Nobody"], env=env)
    assert missing.exit_code == 1 and "no agent named" in missing.stderr


def test_tokens_create_use_revoke_and_the_audit_log(env: dict[str, str]) -> None:
    bad = runner.invoke(app, ["tokens", "create", "shop", "--scope", "admin"], env=env)
    assert bad.exit_code == 1 and "read or write" in bad.stderr
    created = runner.invoke(app, ["tokens", "create", "shop", "--scope", "write"], env=env)
    assert created.exit_code == 0, created.output
    token = re.search(r"crm_\S+", created.stdout)
    assert token is not None

    async def bearer() -> str | None:
        db = _db(env)
        auth = Authenticator(accounts=db.accounts, state=MemoryConversationState())
        who = await auth.from_bearer(f"Bearer {token.group(0)}")
        stored = [t.name for t in await db.accounts.tokens()]
        assert stored == ["shop"]
        assert await db.accounts.token(token_hash("crm_other")) is None
        await db.dispose()
        return who.name if who is not None else None

    assert asyncio.run(bearer()) == "api:shop"
    listed = json.loads(runner.invoke(app, ["tokens", "list", "--json"], env=env).stdout)
    assert token.group(0) not in json.dumps(listed) and listed[0]["last_used_at"] is not None
    assert runner.invoke(app, ["tokens", "revoke", str(listed[0]["id"])], env=env).exit_code == 0
    assert asyncio.run(bearer()) is None
    log = json.loads(runner.invoke(app, ["crm", "audit", "--json"], env=env).stdout)
    assert [e["action"] for e in log] == ["token revoked", "token created"]
    unknown = runner.invoke(app, ["crm", "audit", "--customer", "telegram:1"], env=env)
    assert unknown.exit_code == 1 and "no customer" in unknown.stderr


async def test_web_serves_the_desk_until_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMBOT_")}
    env.update(
        CRMBOT_STORAGE__DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'web.db'}",
        CRMBOT_WEB__PORT=str(port),
        CRMBOT_NLU__MODEL_DIR=str(tmp_path / "model"),
    )
    process = await start_bot(env, "web")
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(900):  # up to 90 s: a loaded CI machine starts slowly
                try:
                    login = await client.get("/login")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"`bot web` did not answer on {port} within 90 s")
            assert login.status_code == 200 and 'name="password"' in login.text
            assert (await client.get("/api/cases")).status_code == 401
            spec = (await client.get("/openapi.json")).json()
            assert spec["info"]["title"] == "crmbot"
            # The desk alone has its health checks too; no channel to wait for.
            assert (await client.get("/healthz")).status_code == 200
            ready = await client.get("/readyz")
            assert ready.status_code == 200 and ready.json()["last_poll_at"] is None
            assert "crmbot_store_up" in (await client.get("/metrics")).text
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, output.decode()[-2000:]
    assert b"Traceback" not in output
