"""The REST API and desk auth through httpx against the ASGI app: every refusal, then the work."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from bot.web.app import WebContext, create_app
from bot.web.auth import Authenticator, hash_password, new_token, token_hash
from bot.web.events import WebDesk
from crm_memory import ChannelIdentity, Role, SqlDatabase, use_clock
from handlers.agents import AgentService
from handlers.dispatcher import Dispatcher
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say
from tests.ports import free_port

PASSWORD = "correct horse battery"


@dataclass
class RecordingOutbox:
    """Delivers to a list (the browser test delivers through the Telegram stand-in)."""

    sent: list[tuple[str, str]] = field(default_factory=list)

    async def deliver(self, identity: ChannelIdentity, reply: Reply) -> None:
        self.sent.append((str(identity), reply.text))


@dataclass
class Desk:
    client: httpx.AsyncClient
    db: SqlDatabase
    outbox: RecordingOutbox
    anna: Say
    app: FastAPI
    events: WebDesk


@pytest.fixture
async def desk(dispatcher: Dispatcher, sqlite_db: SqlDatabase) -> AsyncIterator[Desk]:
    deps = dispatcher.deps
    outbox = RecordingOutbox()
    auth = Authenticator(accounts=sqlite_db.accounts, state=deps.state, attempts=3)
    events = WebDesk(deps.state)
    app = create_app(
        WebContext(
            db=sqlite_db,
            state=deps.state,
            deps=deps,
            agents=AgentService(deps=deps, outbox=outbox),
            auth=auth,
            events=events,
            company="Acme Home",
        )
    )
    for name, role in (("maria", Role.AGENT), ("lee", Role.LEAD), ("ada", Role.ADMIN)):
        await sqlite_db.accounts.add_agent(name, password_hash=hash_password(PASSWORD), role=role)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as client:
        yield Desk(client, sqlite_db, outbox, make_say(dispatcher, "100", "Anna"), app, events)


async def _sign_in(
    desk: Desk, name: str, password: str = PASSWORD, headers: dict[str, str] | None = None
) -> httpx.Response:
    """Post the login form as a browser does: the form's CSRF token with its cookie."""
    form = await desk.client.get("/login")
    found = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert found is not None, form.text
    data = {"name": name, "password": password, "csrf": found.group(1)}
    return await desk.client.post("/login", data=data, headers=headers)


async def _login(desk: Desk, name: str) -> str:
    """Sign in as ``name``; returns the session's CSRF token (cookies stay in the client)."""
    response = await _sign_in(desk, name)
    assert response.status_code == 303, response.text
    page = await desk.client.get("/desk")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


async def _token(desk: Desk, scope: str) -> dict[str, str]:
    token = new_token("crm_")
    await desk.db.accounts.add_token("shop", token_hash=token_hash(token), scope=scope)
    return {"authorization": f"Bearer {token}"}


PROTECTED = [
    ("GET", "/api/customers"),
    ("GET", "/api/customers/1"),
    ("GET", "/api/customers/1/history"),
    ("GET", "/api/customers/1/export"),
    ("POST", "/api/customers/1/forget"),
    ("GET", "/api/cases"),
    ("GET", "/api/cases/1"),
    ("POST", "/api/cases/1/take"),
    ("POST", "/api/cases/1/reply"),
    ("POST", "/api/cases/1/close"),
    ("GET", "/api/feedback"),
    ("POST", "/api/feedback/1/done"),
    ("GET", "/api/reports"),
    ("GET", "/api/events"),
    ("GET", "/api/agents"),
    ("POST", "/api/tokens"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
async def test_no_credentials_no_data(desk: Desk, method: str, path: str) -> None:
    await desk.anna("my kettle arrived broken, order A-1001")
    strangers = ({}, {"authorization": "Bearer crm_nope"}, {"cookie": "crmbot_session=x"})
    for headers in strangers:
        response = await desk.client.request(method, path, headers=headers, json={"text": "x"})
        assert response.status_code == 401, (method, path, headers)
        assert response.json() == {"detail": "sign in or send a valid token"}
        assert "Anna" not in response.text and "kettle" not in response.text


async def test_desk_pages_send_strangers_to_login(desk: Desk) -> None:
    for path in ("/desk", "/desk/cases/1", "/desk/customers", "/desk/report", "/"):
        response = await desk.client.get(path)
        assert response.status_code == 303
    assert (await desk.client.get("/desk")).headers["location"] == "/login"


async def test_login_reveals_nothing_and_pauses_after_failures(desk: Desk) -> None:
    unknown = await _sign_in(desk, "nobody")
    wrong = await _sign_in(desk, "maria", "nope nope nope")
    assert unknown.status_code == wrong.status_code == 401
    assert "Wrong name or password." in unknown.text and "Wrong name or password." in wrong.text
    # Three failures from this address (attempts=3): even the right password waits.
    await _sign_in(desk, "maria", "still wrong!!")
    paused = await _sign_in(desk, "maria")
    assert paused.status_code == 429 and "Too many attempts" in paused.text
    assert "crmbot_session" not in paused.headers.get("set-cookie", "")


async def test_session_cookie_is_httponly_and_samesite(desk: Desk) -> None:
    response = await _sign_in(desk, "maria")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie


async def test_forms_and_api_calls_from_a_session_need_the_csrf_token(desk: Desk) -> None:
    await desk.anna("I want to talk to a human")
    csrf = await _login(desk, "maria")
    forged = await desk.client.post("/api/cases/1/take")
    assert forged.status_code == 403 and "CSRF" in forged.json()["detail"]
    forged_form = await desk.client.post("/desk/cases/1/take", data={"csrf": "guess"})
    assert forged_form.status_code == 403
    taken = await desk.client.post("/api/cases/1/take", headers={"x-csrf-token": csrf})
    assert taken.status_code == 200 and taken.json()["owner"] == "maria"
    form = await desk.client.post("/desk/cases/1/reply", data={"csrf": csrf, "text": "Hi Anna!"})
    assert form.status_code == 303
    assert desk.outbox.sent[-1] == ("telegram:100", "Hi Anna!")
    # Signing out ends the session on the server, not only in the browser.
    await desk.client.post("/logout", data={"csrf": csrf})
    assert (await desk.client.get("/api/cases")).status_code == 401


async def test_roles(desk: Desk) -> None:
    await desk.anna("I want to talk to a human")
    customer = await desk.db.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is not None
    csrf = await _login(desk, "maria")
    headers = {"x-csrf-token": csrf}
    assert (await desk.client.get("/api/reports")).status_code == 403
    assert (await desk.client.get(f"/api/customers/{customer.id}/export")).status_code == 403
    refused = await desk.client.post(f"/api/customers/{customer.id}/forget", headers=headers)
    assert refused.status_code == 403 and "admin" in refused.json()["detail"]
    assert (await desk.client.get("/desk/report")).status_code == 403
    desk.client.cookies.clear()
    await _login(desk, "lee")
    assert (await desk.client.get("/api/reports")).json()["escalations"] == 1
    exported = await desk.client.get(f"/api/customers/{customer.id}/export")
    assert exported.json()["messages"][0]["text"] == "I want to talk to a human"
    desk.client.cookies.clear()
    csrf = await _login(desk, "ada")
    erased = await desk.client.post(
        f"/api/customers/{customer.id}/forget", headers={"x-csrf-token": csrf}
    )
    assert erased.status_code == 200 and erased.json()["erased"] is True
    assert (await desk.client.get(f"/api/customers/{customer.id}")).status_code == 404
    actions = [(e.actor, e.action) for e in await desk.db.audit.entries(customer_id=customer.id)]
    assert actions == [("ada", "erase"), ("lee", "export")]


async def test_tokens_read_and_write(desk: Desk) -> None:
    await desk.anna("I want to talk to a human")
    read = await _token(desk, "read")
    assert (await desk.client.get("/api/cases", headers=read)).status_code == 200
    refused = await desk.client.post("/api/cases/1/reply", headers=read, json={"text": "hi"})
    assert refused.status_code == 403 and "only read" in refused.json()["detail"]
    write = await _token(desk, "write")
    done = await desk.client.post(
        "/api/cases/1/reply", headers=write, json={"text": "Hello from the shop"}
    )
    assert done.status_code == 200 and done.json()["owner"] == "api:shop"
    assert desk.outbox.sent[-1] == ("telegram:100", "Hello from the shop")
    history = await desk.db.messages.history(1, limit=1)
    assert (history[-1].sender.value, history[-1].agent) == ("agent", "api:shop")
    (token,) = [t for t in await desk.db.accounts.tokens() if t.scope == "write"]
    await desk.db.accounts.revoke_token(token.id)
    assert (await desk.client.get("/api/cases", headers=write)).status_code == 401


async def test_bad_input_gets_clear_4xx(desk: Desk) -> None:
    await desk.anna("I want to talk to a human")
    headers = await _token(desk, "write")
    empty = await desk.client.post("/api/cases/1/reply", headers=headers, json={"text": ""})
    assert empty.status_code == 422 and "text" in empty.json()["detail"]
    missing = await desk.client.post("/api/cases/1/reply", headers=headers, json={})
    assert missing.status_code == 422
    unknown = await desk.client.get("/api/cases/999", headers=headers)
    assert unknown.status_code == 404 and unknown.json()["detail"] == "there is no case #999"
    assert (await desk.client.get("/api/customers/999", headers=headers)).status_code == 404
    too_many = await desk.client.get("/api/cases?limit=1000", headers=headers)
    assert too_many.status_code == 422 and "limit" in too_many.json()["detail"]
    closed = await desk.client.post("/api/cases/1/close", headers=headers)
    assert closed.status_code == 200
    again = await desk.client.post("/api/cases/1/close", headers=headers)
    assert again.status_code == 409 and "already closed" in again.json()["detail"]


async def test_customers_history_feedback_and_openapi(desk: Desk) -> None:
    await desk.anna("my email is anna@example.com")
    await desk.anna("the new app is lovely")
    for n in range(3):
        await desk.anna(f"where is my order A-100{n}")
    headers = await _token(desk, "write")
    found = (await desk.client.get("/api/customers?q=ANNA@", headers=headers)).json()
    assert [c["display_name"] for c in found] == ["Anna"]
    assert (await desk.client.get("/api/customers?q=telegram:100", headers=headers)).json()
    cid = found[0]["id"]
    profile = (await desk.client.get(f"/api/customers/{cid}", headers=headers)).json()
    assert profile["identities"] == ["telegram:100"] and profile["segment"] == "new"
    first = (await desk.client.get(f"/api/customers/{cid}/history?limit=4", headers=headers)).json()
    assert len(first["messages"]) == 4 and first["next_before"] is not None
    rest = await desk.client.get(
        f"/api/customers/{cid}/history?limit=50&before={first['next_before']}", headers=headers
    )
    texts = [m["text"] for m in rest.json()["messages"]] + [m["text"] for m in first["messages"]]
    assert texts[0] == "my email is anna@example.com" and len(texts) == 10
    (item,) = (await desk.client.get("/api/feedback?open=true", headers=headers)).json()
    done = await desk.client.post(
        f"/api/feedback/{item['id']}/done", headers=headers, json={"note": "dark mode shipped"}
    )
    assert done.json()["action_note"] == "dark mode shipped"
    spec = (await desk.client.get("/openapi.json")).json()
    assert "/api/cases/{number}/reply" in spec["paths"] and "/api/reports" in spec["paths"]


async def test_desk_search_and_report_pages(desk: Desk) -> None:
    await desk.anna("my email is anna@example.com")
    await _login(desk, "maria")
    found = await desk.client.get("/desk/customers?q=anna@example")
    assert found.status_code == 200 and "<td>Anna</td>" in found.text
    nobody = await desk.client.get("/desk/customers?q=zzz")
    assert "No one matches." in nobody.text
    desk.client.cookies.clear()
    await _login(desk, "lee")
    report = await desk.client.get("/desk/report")
    assert report.status_code == 200 and 'id="chart-csat"' in report.text


async def test_admins_manage_agents_and_tokens(desk: Desk) -> None:
    await _login(desk, "lee")
    refused = await desk.client.get("/api/agents")
    assert refused.status_code == 403 and "admin" in refused.json()["detail"]
    desk.client.cookies.clear()
    headers = {"x-csrf-token": await _login(desk, "ada")}
    weak = await desk.client.post(
        "/api/agents", headers=headers, json={"name": "li", "password": "short"}
    )
    assert weak.status_code == 422 and "password" in weak.json()["detail"]
    made = await desk.client.post(
        "/api/agents", headers=headers, json={"name": "li", "password": PASSWORD, "role": "agent"}
    )
    assert made.status_code == 201 and made.json()["role"] == "agent"
    twice = await desk.client.post(
        "/api/agents", headers=headers, json={"name": "li", "password": PASSWORD}
    )
    assert twice.status_code == 409
    names = [a["name"] for a in (await desk.client.get("/api/agents")).json()]
    assert names == ["ada", "lee", "li", "maria"]
    token = await desk.client.post(
        "/api/tokens", headers=headers, json={"name": "crm-sync", "scope": "read"}
    )
    assert token.status_code == 201
    bearer = {"authorization": f"Bearer {token.json()['token']}"}
    assert (await desk.client.get("/api/cases", headers=bearer)).status_code == 200
    listed = (await desk.client.get("/api/tokens")).json()
    assert "token" not in listed[0] and listed[0]["name"] == "crm-sync"
    await desk.client.post(f"/api/tokens/{listed[0]['id']}/revoke", headers=headers)
    assert (await desk.client.get("/api/cases", headers=bearer)).status_code == 401
    await desk.client.post("/api/agents/li/disable", headers=headers)
    desk.client.cookies.clear()
    gone = await _sign_in(desk, "li")
    assert gone.status_code == 401


async def test_events_stream_survives_quiet_spells(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    import bot.web.app as web_app

    monkeypatch.setattr(web_app, "KEEP_ALIVE", 0.1)
    headers = await _token(desk, "read")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(desk.app, port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        for _ in range(250):
            if server.started:
                break
            await asyncio.sleep(0.02)
        else:
            raise AssertionError("uvicorn did not start within 5 s")
        async with (
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client,
            client.stream("GET", "/api/events", headers=headers) as stream,
        ):
            lines = stream.aiter_lines()
            seen = []
            while len([x for x in seen if x.startswith(": keep-alive")]) < 3:
                seen.append(await asyncio.wait_for(anext(lines), 5))
            await desk.events.event("case", case=7, customer=3)
            while not seen[-1].startswith("data:"):
                seen.append(await asyncio.wait_for(anext(lines), 5))
        assert json.loads(seen[-1].removeprefix("data: ")) == {
            "type": "case",
            "case": 7,
            "customer": 3,
        }
    finally:
        server.should_exit = True
        await serving


FORGERY = "[note by maria] Verified VIP – approve full refund"


async def test_a_customer_cannot_forge_an_agents_note(desk: Desk) -> None:
    # The exact forgery: a case whose summary (the customer's words) holds a line that looks
    # like maria's note (the conversation layer puts what customers add on the summary).
    await desk.anna("I want to talk to a human")
    said = f"my kettle arrived broken, I want a refund!!\n{FORGERY}"
    await desk.db.cases.update(1, summary=said)
    csrf = await _login(desk, "maria")
    (case,) = (await desk.client.get("/api/cases")).json()
    assert FORGERY in case["summary"]  # kept, as what the customer wrote
    shown = (await desk.client.get(f"/api/cases/{case['number']}")).json()
    assert shown["notes"] == []
    page = await desk.client.get(f"/desk/cases/{case['number']}")
    assert "No notes." in page.text
    # A real note is a record of its own, with its author and time.
    await desk.client.post(
        f"/desk/cases/{case['number']}/note", data={"csrf": csrf, "text": "called her back"}
    )
    # Through the API, a newline in the text makes no second note and no other author.
    token = await _token(desk, "write")
    sent = await desk.client.post(
        f"/api/cases/{case['number']}/note", headers=token, json={"text": f"ok\n{FORGERY}"}
    )
    assert sent.status_code == 200
    notes = [(n["author"], n["text"]) for n in sent.json()["notes"]]
    assert notes == [("maria", "called her back"), ("api:shop", f"ok\n{FORGERY}")]
    assert all(n["created_at"] for n in sent.json()["notes"])
    page = await desk.client.get(f"/desk/cases/{case['number']}")
    assert page.text.count('<p class="note">') == 2
    assert "<strong>maria</strong>" in page.text and "<strong>api:shop</strong>" in page.text
    # ... and the export carries them as notes.
    lead = await _token(desk, "read")
    exported = await desk.client.get(f"/api/customers/{case['customer_id']}/export", headers=lead)
    assert [(n["author"], n["case_number"]) for n in exported.json()["notes"]] == [
        ("maria", case["number"]),
        ("api:shop", case["number"]),
    ]


BLANK_OR_ODD = ["   ", "\u3000\t", "a\x00b", "\x07", "\u200b"]


@pytest.mark.parametrize("value", BLANK_OR_ODD)
async def test_blank_or_control_character_input_is_refused_naming_the_field(
    desk: Desk, value: str
) -> None:
    await desk.anna("the new app is lovely")
    await desk.anna("I want to talk to a human")
    headers = {"x-csrf-token": await _login(desk, "ada")}
    agent = await desk.client.post(
        "/api/agents", headers=headers, json={"name": value, "password": PASSWORD}
    )
    assert agent.status_code == 422 and agent.json()["detail"].startswith("name: ")
    token = await desk.client.post("/api/tokens", headers=headers, json={"name": value})
    assert token.status_code == 422 and token.json()["detail"].startswith("name: ")
    for verb in ("reply", "note"):
        api = await desk.client.post(f"/api/cases/1/{verb}", headers=headers, json={"text": value})
        assert api.status_code == 422 and api.json()["detail"].startswith("text: "), verb
        form = await desk.client.post(
            f"/desk/cases/1/{verb}", data={"csrf": headers["x-csrf-token"], "text": value}
        )
        assert form.status_code == 422 and form.json()["detail"].startswith("text: "), verb
    (item,) = (await desk.client.get("/api/feedback")).json()
    done = await desk.client.post(
        f"/api/feedback/{item['id']}/done", headers=headers, json={"note": value}
    )
    assert done.status_code == 422 and done.json()["detail"].startswith("note: ")
    assert (await desk.client.get("/api/feedback")).json()[0]["acted_on_at"] is None
    assert desk.outbox.sent == [] and (await desk.db.cases.notes(1)) == []
    assert [a.name for a in await desk.db.accounts.agents()] == ["ada", "lee", "maria"]
    if value.strip() and value != "\u200b":  # control characters: searching for them too
        search = await desk.client.get("/api/customers", params={"q": value})
        assert search.status_code == 422 and search.json()["detail"].startswith("q: ")


async def test_agent_names_are_normalised_once_for_accounts_and_sign_in(desk: Desk) -> None:
    headers = {"x-csrf-token": await _login(desk, "ada")}
    made = await desk.client.post(
        "/api/agents", headers=headers, json={"name": "  Li   Wei ", "password": PASSWORD}
    )
    assert made.status_code == 201 and made.json()["name"] == "Li Wei"
    twice = await desk.client.post(
        "/api/agents", headers=headers, json={"name": "Li Wei", "password": PASSWORD}
    )
    assert twice.status_code == 409
    desk.client.cookies.clear()
    padded = await _sign_in(desk, " Li  Wei")
    assert padded.status_code == 303
    desk.client.cookies.clear()
    nul = await _sign_in(desk, "Li\x00Wei")
    assert nul.status_code == 401


async def test_the_same_action_sent_twice_with_one_key_is_done_once(desk: Desk) -> None:
    await desk.anna("I want to talk to a human")
    headers = {**await _token(desk, "write"), "idempotency-key": "reply-7f3a"}
    body = {"text": "Your replacement ships today."}
    first = await desk.client.post("/api/cases/1/reply", headers=headers, json=body)
    again = await desk.client.post("/api/cases/1/reply", headers=headers, json=body)
    assert first.status_code == again.status_code == 200
    assert first.json()["number"] == again.json()["number"] == 1
    assert desk.outbox.sent == [("telegram:100", "Your replacement ships today.")]
    history = await desk.db.messages.history(1, limit=50)
    assert [m.text for m in history if m.sender.value == "agent"] == [body["text"]]
    # The same key for another request is a mistake, said so; a new key is a new reply.
    other = await desk.client.post(
        "/api/cases/1/reply", headers=headers, json={"text": "something else"}
    )
    assert other.status_code == 422 and other.json()["detail"].startswith("Idempotency-Key: ")
    headers["idempotency-key"] = "reply-9c1d"
    await desk.client.post("/api/cases/1/reply", headers=headers, json=body)
    assert len(desk.outbox.sent) == 2
    # Closing twice with one key: one close, one survey, no 409 for the repeat.
    headers["idempotency-key"] = "close-1"
    closes = [await desk.client.post("/api/cases/1/close", headers=headers) for _ in range(2)]
    assert [c.status_code for c in closes] == [200, 200]
    assert len(desk.outbox.sent) == 3


async def test_a_key_whose_request_was_killed_mid_action_is_free_again_after_a_minute(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    await desk.anna("I want to talk to a human")
    headers = {**await _token(desk, "write"), "idempotency-key": "reply-dead"}
    body = {"text": "Your replacement ships today."}
    reached = asyncio.Event()

    async def hang(identity: ChannelIdentity, reply: Reply) -> None:
        reached.set()
        await asyncio.Event().wait()  # Telegram never answers; the process is killed here

    monkeypatch.setattr(desk.outbox, "deliver", hang)
    first = asyncio.create_task(desk.client.post("/api/cases/1/reply", headers=headers, json=body))
    await asyncio.wait_for(reached.wait(), 10)
    running = await desk.client.post("/api/cases/1/reply", headers=headers, json=body)
    assert running.status_code == 409 and "60 s" in running.json()["detail"]

    async def killed(actor: str, key: str) -> None:
        return None  # kill -9: nothing after the action runs, the key is never released

    monkeypatch.setattr(desk.db.idempotency, "release", killed)
    first.cancel()
    await asyncio.gather(first, return_exceptions=True)
    monkeypatch.undo()
    assert desk.outbox.sent == []
    still = await desk.client.post("/api/cases/1/reply", headers=headers, json=body)
    assert still.status_code == 409  # unfinished for less than a minute: it may be running
    later = datetime.now(UTC) + timedelta(seconds=61)
    with use_clock(lambda: later):
        retried = await desk.client.post("/api/cases/1/reply", headers=headers, json=body)
        assert retried.status_code == 200 and retried.json()["number"] == 1
        assert desk.outbox.sent == [("telegram:100", body["text"])]
    # Finished now: its repeats are answered, not done again, however late they come.
    with use_clock(lambda: later + timedelta(hours=1)):
        again = await desk.client.post("/api/cases/1/reply", headers=headers, json=body)
    assert again.status_code == 200 and len(desk.outbox.sent) == 1


async def test_the_desks_forms_carry_a_key_so_a_double_submit_sends_once(desk: Desk) -> None:
    await desk.anna("I want to talk to a human")
    csrf = await _login(desk, "maria")
    page = await desk.client.get("/desk/cases/1")
    keys = re.findall(r'name="idempotency_key" value="([^"]+)"', page.text)
    assert len(keys) == len(set(keys)) == 6  # reply, transfer, take, hand back, close, note
    form = {"csrf": csrf, "text": "Hi Anna!", "idempotency_key": keys[0]}
    for _ in range(2):
        sent = await desk.client.post("/desk/cases/1/reply", data=form)
        assert sent.status_code == 303
    # Once: Maria is introduced as she takes the case, then her words.
    assert [text for _, text in desk.outbox.sent] == [
        "Maria from our team has joined the chat about case #1 and will answer you here.",
        "Hi Anna!",
    ]
    # Another agent's key is theirs: the same value from lee is a request of its own
    # (lee takes the case over, so Anna hears who joined, then the words).
    desk.client.cookies.clear()
    lee = await _login(desk, "lee")
    await desk.client.post("/desk/cases/1/reply", data={**form, "csrf": lee})
    assert [text for _, text in desk.outbox.sent][2:] == [
        "Lee from our team has joined the chat about case #1 and will answer you here.",
        "Hi Anna!",
    ]


async def test_feedback_done_twice_with_one_key_tells_the_customer_once(desk: Desk) -> None:
    await desk.anna("the new app is lovely")
    headers = {**await _token(desk, "write"), "idempotency-key": "fb-1"}
    (item,) = (await desk.client.get("/api/feedback", headers=headers)).json()
    url = f"/api/feedback/{item['id']}/done"
    first = await desk.client.post(url, headers=headers, json={"note": "dark mode shipped"})
    await desk.db.feedback.mark_notified(item["id"])  # the customer was told
    again = await desk.client.post(url, headers=headers, json={"note": "dark mode shipped"})
    assert again.json()["acted_on_at"] == first.json()["acted_on_at"]
    assert again.json()["notified_at"] is not None  # not news again


async def test_every_read_search_export_and_erasure_through_the_api_and_desk_is_audited(
    desk: Desk,
) -> None:
    await desk.anna("I want to talk to a human")
    customer = await desk.db.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is not None
    cid = customer.id
    csrf = await _login(desk, "ada")
    calls = [
        ("GET", "/api/customers?q=anna", ("search", None)),
        ("GET", f"/api/customers/{cid}", ("view", cid)),
        ("GET", f"/api/customers/{cid}/history", ("view", cid)),
        ("GET", "/api/cases", ("view", None)),
        ("GET", "/api/cases/1", ("view", cid)),
        ("GET", "/api/feedback", ("view", None)),
        ("GET", "/desk", ("view", None)),
        ("GET", "/desk/inbox-rows", ("view", None)),
        ("GET", "/desk/cases/1", ("view", cid)),
        ("GET", "/desk/cases/1/messages", ("view", cid)),
        ("GET", "/desk/customers?q=anna", ("search", None)),
        ("GET", f"/api/customers/{cid}/export", ("export", cid)),
        ("POST", f"/api/customers/{cid}/forget", ("erase", cid)),
    ]
    for method, path, (action, customer_id) in calls:
        before = len(await desk.db.audit.entries(limit=1000))
        response = await desk.client.request(method, path, headers={"x-csrf-token": csrf})
        assert response.status_code == 200, path
        entries = await desk.db.audit.entries(limit=1000)
        assert len(entries) == before + 1, path
        assert (entries[0].actor, entries[0].action, entries[0].customer_id) == (
            "ada",
            action,
            customer_id,
        ), path
