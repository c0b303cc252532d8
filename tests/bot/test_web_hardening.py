"""The HTTP layer as a security review and an API fuzzer see it (issue #18): ids, the login pause,
the event stream's close, auth before the body, the OpenAPI contract, headers and limits."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from unittest.mock import ANY

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from bot.app import uvicorn_config
from bot.config import Settings, WebSettings
from crm_memory import ChannelIdentity
from tests.bot.test_web_api import PASSWORD, Desk, _login, _sign_in, _token
from tests.ports import free_port

BIG = [str(2**63), str(2**64), "99999999999999999999999999", "0", "-1"]


async def _customer_id(desk: Desk) -> int:
    customer = await desk.db.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is not None
    return customer.id


async def test_ids_beyond_the_database_range_are_404_and_malformed_ones_422(desk: Desk) -> None:
    await desk.anna("I want to talk to a human")
    csrf = {"x-csrf-token": await _login(desk, "ada")}  # an admin reaches every operation
    write = await _token(desk, "write")
    paths = [
        ("GET", "/api/customers/{}", csrf),
        ("GET", "/api/customers/{}/history", csrf),
        ("GET", "/api/customers/{}/export", csrf),
        ("POST", "/api/customers/{}/forget", csrf),
        ("GET", "/api/cases/{}", csrf),
        ("POST", "/api/cases/{}/take", write),
        ("POST", "/api/cases/{}/close", write),
        ("POST", "/api/tokens/{}/revoke", csrf),
        ("GET", "/desk/cases/{}", csrf),
        ("GET", "/desk/cases/{}/messages", csrf),
    ]
    for method, path, headers in paths:
        for value in BIG:
            answer = await desk.client.request(method, path.format(value), headers=headers)
            assert answer.status_code == 404, (method, path, value, answer.text)
            assert set(answer.json()) == {"detail"} and value in answer.json()["detail"]
        for value in ("abc", "1.5", "1e3"):
            answer = await desk.client.request(method, path.format(value), headers=headers)
            assert answer.status_code == 422, (method, path, value, answer.text)
    for value in BIG:
        done = await desk.client.post(
            f"/api/feedback/{value}/done", headers=write, json={"note": "shipped"}
        )
        reply = await desk.client.post(
            f"/api/cases/{value}/reply", headers=write, json={"text": "x"}
        )
        assert done.status_code == reply.status_code == 404, (value, done.text, reply.text)
    # The largest id the database holds is a well-formed question with no answer.
    largest = await desk.client.get(f"/api/customers/{2**63 - 1}", headers=write)
    assert largest.status_code == 404
    # Paging parameters past the range are invalid input, never an overflow in the driver.
    cid = await _customer_id(desk)
    for query in (
        f"/api/customers?offset={2**63}",
        f"/api/cases?offset={2**63}",
        f"/api/customers/{cid}/history?before={2**63}",
        "/api/cases?offset=-1",
    ):
        answer = await desk.client.get(query, headers=write)
        assert answer.status_code == 422, (query, answer.text)
    edge = await desk.client.get(f"/api/cases?offset={2**63 - 1}", headers=write)
    assert edge.status_code == 200 and edge.json() == []


async def test_login_pause_holds_against_forwarded_for_and_padded_names(desk: Desk) -> None:
    """The review's attack on the real server with the shipped settings: a new X-Forwarded-For
    and a padded name on each of 40 wrong passwords, then the right one."""
    port = free_port()
    settings = Settings(web=WebSettings(port=port))
    server = uvicorn.Server(uvicorn_config(settings, desk.app))
    serving = asyncio.create_task(server.serve())
    try:
        await _started(server)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for n in range(40):
                form = await client.get("/login")
                csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
                assert csrf is not None
                padded = " " * (n % 7) + "maria" + " " * (n // 7)
                answer = await client.post(
                    "/login",
                    data={"name": padded, "password": f"wrong {n}", "csrf": csrf.group(1)},
                    headers={"x-forwarded-for": f"203.0.113.{n + 1}"},
                )
                assert answer.status_code in (401, 429)
            form = await client.get("/login")
            csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
            assert csrf is not None
            right = await client.post(
                "/login",
                data={"name": "maria", "password": PASSWORD, "csrf": csrf.group(1)},
                headers={"x-forwarded-for": "198.51.100.7"},
            )
        assert right.status_code == 429 and "crmbot_session" not in right.headers.get(
            "set-cookie", ""
        )
    finally:
        server.should_exit = True
        await serving


async def test_the_name_counter_uses_the_lookups_normalisation(desk: Desk) -> None:
    """From three addresses (so the per-address counter never trips), three spellings of one
    name: the third failure pauses the name, and the right password then waits."""
    spellings = ["  maria", "maria\u3000", "\uff4daria"]  # spaces, ideographic space, full-width m
    for n, name in enumerate(spellings):
        transport = httpx.ASGITransport(app=desk.app, client=(f"192.0.2.{n + 1}", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as client:
            other = Desk(client, desk.db, desk.outbox, desk.anna, desk.app, desk.events)
            assert (await _sign_in(other, name, "wrong password")).status_code == 401
    transport = httpx.ASGITransport(app=desk.app, client=("192.0.2.9", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as client:
        other = Desk(client, desk.db, desk.outbox, desk.anna, desk.app, desk.events)
        assert (await _sign_in(other, "maria")).status_code == 429
        # Another agent is not paused by maria's failures.
        assert (await _sign_in(other, "lee")).status_code == 303


def test_proxy_headers_are_believed_only_from_trusted_proxies() -> None:
    app = FastAPI()
    default = uvicorn_config(Settings(), app)
    assert default.proxy_headers is False
    behind = uvicorn_config(Settings(web=WebSettings(trusted_proxies=["10.0.0.5"])), app)
    assert behind.proxy_headers is True and behind.forwarded_allow_ips == ["10.0.0.5"]


async def test_an_event_stream_disconnect_logs_no_error(
    desk: Desk, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import bot.web.app as web_app

    monkeypatch.setattr(web_app, "KEEP_ALIVE", 0.05)
    headers = await _token(desk, "read")
    port = free_port()
    # log_config=None: uvicorn's own config stops its loggers propagating to caplog.
    server = uvicorn.Server(uvicorn.Config(desk.app, port=port, log_config=None))
    serving = asyncio.create_task(server.serve())
    caplog.set_level(logging.INFO)
    try:
        await _started(server)
        for _ in range(3):
            async with (
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client,
                client.stream("GET", "/api/events", headers=headers) as stream,
            ):
                lines = stream.aiter_lines()
                while not (await asyncio.wait_for(anext(lines), 5)).startswith(": keep-alive"):
                    pass
            # The client has gone; give the server a few keep-alive periods to notice.
            await asyncio.sleep(0.4)
    finally:
        server.should_exit = True
        await serving
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


async def test_strangers_get_401_before_their_body_is_read(desk: Desk) -> None:
    await desk.anna("I want to talk to a human")
    stranger = await desk.client.post(
        "/api/cases/1/reply",
        content=b'{"text": "unterminated',
        headers={"content-type": "application/json"},
    )
    assert stranger.status_code == 401, stranger.text
    bad_query = await desk.client.get("/api/cases?limit=banana")
    assert bad_query.status_code == 401
    read = await _token(desk, "read")
    reader = await desk.client.post(
        "/api/cases/1/reply", content=b"{", headers={**read, "content-type": "application/json"}
    )
    assert reader.status_code == 403
    write = await _token(desk, "write")
    writer = await desk.client.post(
        "/api/cases/1/reply", content=b"{", headers={**write, "content-type": "application/json"}
    )
    assert writer.status_code == 422 and set(writer.json()) == {"detail"}
    # JSON is UTF-8: bytes that are not are invalid input too (README says 422).
    latin1 = await desk.client.post(
        "/api/cases/1/reply",
        content='{"text": "café"}'.encode("latin-1"),
        headers={**write, "content-type": "application/json"},
    )
    assert latin1.status_code == 422 and "UTF-8" in latin1.json()["detail"]


async def test_openapi_declares_every_status_with_one_error_shape(desk: Desk) -> None:
    spec = (await desk.client.get("/openapi.json")).json()
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    problem = spec["components"]["schemas"]["Problem"]
    assert problem["required"] == ["detail"] and problem["properties"]["detail"]["type"] == "string"
    schemes = spec["components"]["securitySchemes"]
    assert schemes["token"] == {"type": "http", "scheme": "bearer", "description": ANY}
    assert schemes["session"]["in"] == "cookie" and schemes["session"]["name"] == "crmbot_session"
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            declared = operation["responses"]
            assert "401" in declared, (method, path)
            assert {"token": []} in operation["security"], (method, path)
            for status, response in declared.items():
                if status.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Problem"}, (path, status)
            has_params = bool(operation.get("parameters") or operation.get("requestBody"))
            assert ("422" in declared) == has_params, (method, path)
            if "{" in path:
                assert "404" in declared, (method, path)
            if method == "post":
                assert "403" in declared, (method, path)
            if "requestBody" in operation:
                assert "413" in declared, (method, path)
    # What the document promises is what a 422 answers.
    headers = await _token(desk, "write")
    invalid = await desk.client.get("/api/cases?limit=0", headers=headers)
    assert invalid.status_code == 422 and set(invalid.json()) == {"detail"}
    assert isinstance(invalid.json()["detail"], str) and "limit" in invalid.json()["detail"]


async def test_options_and_405_name_every_method(desk: Desk) -> None:
    for path in ("/api/agents", "/api/tokens"):
        options = await desk.client.options(path)
        assert options.status_code == 204
        allowed = {m.strip() for m in options.headers["allow"].split(",")}
        assert {"GET", "POST"} <= allowed and "DELETE" not in allowed
        refused = await desk.client.delete(path)
        assert refused.status_code == 405 and set(refused.json()) == {"detail"}
        assert {"GET", "POST"} <= {m.strip() for m in refused.headers["allow"].split(",")}
    one = await desk.client.options("/api/cases/7/reply")
    assert one.status_code == 204 and "POST" in one.headers["allow"]
    assert "GET" not in one.headers["allow"]


async def test_reports_take_only_iso_dates(desk: Desk) -> None:
    await _login(desk, "lee")
    for value in ("0.5", "99999999999", "0", "yesterday", "2026-13-01", "0001-01-01T00:00+01:00"):
        answer = await desk.client.get("/api/reports", params={"until": value})
        assert answer.status_code == 422, (value, answer.text)
        assert "until" in answer.json()["detail"]
    for value in ("2026-11-01", "2026-11-01T09:00:00Z", "2026-11-01T09:00+08:00"):
        answer = await desk.client.get("/api/reports", params={"since": value})
        assert answer.status_code == 200, (value, answer.text)


async def test_every_response_carries_the_hardening_headers(desk: Desk) -> None:
    await desk.anna("I want to talk to a human")
    answers = [await desk.client.get("/login"), await desk.client.get("/api/cases")]
    await _login(desk, "lee")
    for path in ("/desk", "/desk/cases/1", "/desk/report", "/api/cases", "/api/cases/999"):
        answers.append(await desk.client.get(path))
    answers.append(await desk.client.post("/api/cases/1/take"))  # 403, no CSRF header
    for answer in answers:
        where = (answer.request.url.path, answer.status_code)
        h = answer.headers
        assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff", where
        assert h["cache-control"] == "no-store" and h["referrer-policy"] == "no-referrer", where
        csp = h["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp, where
        nonce = re.search(r"script-src 'nonce-([^']+)'", csp)
        assert nonce is not None, where
        if h["content-type"].startswith("text/html"):
            # Every inline script and style carries this response's nonce; no inline handlers
            # or style attributes, which no nonce can allow.
            tags = re.findall(r"<(script|style)\b([^>]*)>", answer.text)
            assert tags, where
            for tag, attributes in tags:
                assert f'nonce="{nonce.group(1)}"' in attributes, (where, tag)
            assert not re.search(r"\s(style|on[a-z]+)=", answer.text), where
    nonces = {re.search(r"'nonce-([^']+)'", a.headers["content-security-policy"]) for a in answers}
    assert len({n.group(1) for n in nonces if n}) == len(answers)  # fresh for each response


async def test_the_login_form_needs_its_csrf_token(desk: Desk) -> None:
    no_token = await desk.client.post("/login", data={"name": "maria", "password": PASSWORD})
    assert no_token.status_code == 403 and "crmbot_session" not in no_token.headers.get(
        "set-cookie", ""
    )
    # A token from the page but not this browser's cookie (a forged cross-site post).
    form = await desk.client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    desk.client.cookies.clear()
    forged = await desk.client.post(
        "/login", data={"name": "maria", "password": PASSWORD, "csrf": token.group(1)}
    )
    assert forged.status_code == 403 and "expired" in forged.text
    assert (await _sign_in(desk, "maria")).status_code == 303


async def test_bodies_over_the_limit_get_413_before_they_are_read(desk: Desk) -> None:
    await desk.anna("I want to talk to a human")
    write = await _token(desk, "write")
    huge = b'{"text": "' + b"x" * (1 << 20) + b'"}'
    declared = await desk.client.post(
        "/api/cases/1/reply", content=huge, headers={**write, "content-type": "application/json"}
    )
    assert declared.status_code == 413 and "max_body_bytes" in declared.json()["detail"]
    assert declared.headers["x-frame-options"] == "DENY"

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"text": "'
        for _ in range(20):
            yield b"y" * 65536
        yield b'"}'

    json_type = {**write, "content-type": "application/json"}
    streamed = await desk.client.post("/api/cases/1/reply", content=chunks(), headers=json_type)
    assert streamed.status_code == 413 and set(streamed.json()) == {"detail"}
    assert desk.outbox.sent == []  # neither reached the customer
    fits = await desk.client.post("/api/cases/1/reply", headers=write, json={"text": "z" * 4000})
    assert fits.status_code == 200


async def _started(server: uvicorn.Server) -> None:
    for _ in range(500):
        if server.started:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("uvicorn did not start")
