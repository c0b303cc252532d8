"""The API's input rule on every SQL backend: PostgreSQL refuses NUL in text, so a NUL must
be a 422 naming the field before it reaches the database, never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.web.app import WebContext, create_app
from bot.web.auth import Authenticator, hash_password
from bot.web.events import WebDesk
from crm_memory import MemoryConversationState, ResilientConversationState, Role, SqlDatabase
from handlers.agents import AgentService
from handlers.dispatcher import Dispatcher
from handlers.knowledge import KnowledgeBase
from handlers.orders import SAMPLE_ORDERS, CsvOrderLookup
from handlers.responses import Responses
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.bot.test_web_api import PASSWORD, Desk, RecordingOutbox, _login, _sign_in
from tests.handlers.conftest import make_say


@pytest.fixture
async def any_desk(db: SqlDatabase, engine: BuiltinEngine) -> AsyncIterator[Desk]:
    """The desk and API on ``db``: SQLite, and PostgreSQL when TEST_DATABASE_URL is set."""
    deps = Deps(
        customers=db.customers,
        messages=db.messages,
        cases=db.cases,
        feedback=db.feedback,
        surveys=db.surveys,
        state=ResilientConversationState(MemoryConversationState(), owners=db.owners),
        responses=Responses.load(),
        knowledge=KnowledgeBase.load(),
        orders=CsvOrderLookup(SAMPLE_ORDERS),
        company="Acme Home",
        posts=db.posts,
    )
    dispatcher = Dispatcher(deps=deps, nlu=engine)
    outbox = RecordingOutbox()
    events = WebDesk(deps.state)
    app = create_app(
        WebContext(
            db=db,
            state=deps.state,
            deps=deps,
            agents=AgentService(deps=deps, outbox=outbox),
            auth=Authenticator(accounts=db.accounts, state=deps.state),
            events=events,
            company="Acme Home",
        )
    )
    await db.accounts.add_agent("ada", password_hash=hash_password(PASSWORD), role=Role.ADMIN)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as client:
        yield Desk(client, db, outbox, make_say(dispatcher, "100", "Anna"), app, events)


async def test_a_nul_anywhere_is_a_422_naming_the_field_on_every_backend(any_desk: Desk) -> None:
    desk = any_desk
    await desk.anna("the new app is lovely")
    await desk.anna("I want to talk to a human")
    headers = {"x-csrf-token": await _login(desk, "ada")}
    (item,) = (await desk.client.get("/api/feedback")).json()
    (case,) = (await desk.client.get("/api/cases")).json()
    number = case["number"]
    nul = "refund\x00now"
    calls = [
        ("POST", "/api/agents", {"json": {"name": nul, "password": PASSWORD}}, "name"),
        ("POST", "/api/tokens", {"json": {"name": nul}}, "name"),
        ("POST", f"/api/cases/{number}/reply", {"json": {"text": nul}}, "text"),
        ("POST", f"/api/cases/{number}/note", {"json": {"text": nul}}, "text"),
        ("POST", f"/api/feedback/{item['id']}/done", {"json": {"note": nul}}, "note"),
        ("GET", "/api/customers", {"params": {"q": nul}}, "q"),
        ("GET", "/api/customers", {"params": {"tag": nul}}, "tag"),
        ("GET", "/api/cases", {"params": {"owner": nul}}, "owner"),
        ("POST", "/api/agents/ada%00x/disable", {}, "name"),
        ("POST", f"/desk/cases/{number}/note", {"data": {"text": nul}}, "text"),
    ]
    for method, path, sent, field in calls:
        if "data" in sent:
            sent = {"data": {**sent["data"], "csrf": headers["x-csrf-token"]}}
        response = await desk.client.request(method, path, headers=headers, **sent)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["detail"].startswith(f"{field}: "), (path, response.text)
    # A NUL typed into the sign-in form is a wrong name, not a server error.
    desk.client.cookies.clear()
    login = await _sign_in(desk, "ada\x00")
    assert login.status_code == 401
    assert desk.outbox.sent == [] and await desk.db.cases.notes(number) == []
