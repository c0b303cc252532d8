"""Assignment through the API and the desk: leads set profiles, signing in is presence, a
new escalation goes to the online agent, transfers by API (once per key) and by the desk."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest

from bot.web.app import WebContext, create_app
from bot.web.auth import Authenticator, hash_password
from bot.web.events import WebDesk
from crm_memory import Role, SqlDatabase
from crm_memory.assignment import AgentStatus
from handlers.agents import AgentService
from handlers.assignment import AssignPolicy, Router
from handlers.dispatcher import Dispatcher
from tests.bot.test_web_api import PASSWORD, Desk, RecordingOutbox, _login, _token
from tests.handlers.conftest import FakeDesk, make_say


@pytest.fixture
async def desk(dispatcher: Dispatcher, sqlite_db: SqlDatabase) -> AsyncIterator[Desk]:
    router = Router(
        store=sqlite_db.assignment,
        cases=sqlite_db.cases,
        customers=sqlite_db.customers,
        policy=AssignPolicy(capacity=2),
    )
    dispatcher.deps = replace(dispatcher.deps, router=router)
    dispatcher.attach_desk(FakeDesk())
    deps = dispatcher.deps
    outbox = RecordingOutbox()
    events = WebDesk(deps.state)
    app = create_app(
        WebContext(
            db=sqlite_db,
            state=deps.state,
            deps=deps,
            agents=AgentService(deps=deps, outbox=outbox),
            auth=Authenticator(accounts=sqlite_db.accounts, state=deps.state, attempts=3),
            events=events,
            company="Acme Home",
            capacity=2,
        )
    )
    for name, role in (("maria", Role.AGENT), ("lee", Role.LEAD)):
        await sqlite_db.accounts.add_agent(name, password_hash=hash_password(PASSWORD), role=role)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as client:
        yield Desk(client, sqlite_db, outbox, make_say(dispatcher, "100", "Anna"), app, events)


async def test_profiles_presence_assignment_and_transfer(desk: Desk) -> None:
    store = desk.db.assignment
    lee = await _login(desk, "lee")
    lead = {"x-csrf-token": lee}
    body = {"capacity": 2, "skills": ["en", "returns"], "telegram_user_id": 9001}
    set_maria = await desk.client.put("/api/roster/maria", json=body, headers=lead)
    assert set_maria.status_code == 200, set_maria.text
    shown = set_maria.json()
    assert (shown["skills"], shown["effective_capacity"], shown["status"]) == (
        ["en", "returns"],
        2,
        "offline",
    )
    assert (await desk.client.put("/api/roster/lee", json={}, headers=lead)).status_code == 200
    nobody = await desk.client.put("/api/roster/bob", json={}, headers=lead)
    assert nobody.status_code == 404 and "no desk account named 'bob'" in nobody.json()["detail"]
    taken = await desk.client.put("/api/roster/lee", json={"telegram_user_id": 9001}, headers=lead)
    assert taken.status_code == 409 and "linked to another agent" in taken.json()["detail"]
    bad = await desk.client.put("/api/roster/maria", json={"skills": ["EN!"]}, headers=lead)
    assert bad.status_code == 422 and "skills" in bad.json()["detail"]
    negative = await desk.client.put("/api/roster/maria", json={"capacity": -1}, headers=lead)
    assert negative.status_code == 422 and "capacity" in negative.json()["detail"]

    # An agent may not set profiles; signing in to the desk puts her online.
    desk.client.cookies.clear()
    maria = {"x-csrf-token": await _login(desk, "maria")}
    refused = await desk.client.put("/api/roster/lee", json={"capacity": 9}, headers=maria)
    assert refused.status_code == 403
    assert (await store.profile("maria")).status is AgentStatus.ONLINE  # type: ignore[union-attr]

    # Anna asks for a person: the case goes to Maria, the only one online.
    await desk.anna("I want to talk to a human")
    roster = (await desk.client.get("/api/roster")).json()
    assert {a["name"]: a["open_cases"] for a in roster["agents"]} == {"lee": 0, "maria": 1}
    assert roster["waiting"] == []
    assert (await desk.db.cases.get(1)).owner == "maria"

    # Transfer by API to Lee, sent twice with one key: once on record.
    key = {**maria, "idempotency-key": "transfer-1"}
    for _ in range(2):
        moved = await desk.client.post("/api/cases/1/transfer", json={"to": "Lee"}, headers=key)
        assert moved.status_code == 200, moved.text
        assert moved.json()["owner"] == "lee"
    assert [(a.agent, a.assigned_by) for a in await store.assignments(1)] == [
        ("maria", "auto"),
        ("lee", "maria"),
    ]
    unknown = await desk.client.post("/api/cases/1/transfer", json={"to": "bob"}, headers=maria)
    assert unknown.status_code == 409 and "no agent named 'bob'" in unknown.json()["detail"]
    assert (
        await desk.client.post("/api/cases/99/transfer", json={"to": "lee"}, headers=maria)
    ).status_code == 404

    # The desk's transfer button gives it back to Maria.
    form = {"csrf": maria["x-csrf-token"], "text": "maria", "idempotency_key": "k-desk-1"}
    back = await desk.client.post("/desk/cases/1/transfer", data=form)
    assert back.status_code == 303
    assert (await desk.db.cases.get(1)).owner == "maria"

    # A token is no agent to be online; signing out is going offline.
    token = await _token(desk, "write")
    as_token = await desk.client.put("/api/status", json={"status": "online"}, headers=token)
    assert as_token.status_code == 422
    away = await desk.client.put("/api/status", json={"status": "away"}, headers=maria)
    assert away.status_code == 200 and away.json()["status"] == "away"
    await desk.client.post("/logout", headers=maria)
    assert (await store.profile("maria")).status is AgentStatus.OFFLINE  # type: ignore[union-attr]
