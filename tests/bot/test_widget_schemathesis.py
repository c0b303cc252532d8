"""Schemathesis against the website widget's HTTP API, as the desk's API is fuzzed
(test_api_schemathesis): its operations in the OpenAPI document are the contract; every
operation is fuzzed with a fixed seed, as the headers the fuzzer makes up say and as a
visitor with a real token; no server error, no answer outside its schema or status list
(every bad input a 4xx with a ``detail``)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import schemathesis
from schemathesis.generation.modes import GenerationMode
from sqlalchemy import text

from bot.app import Services, build_web, build_widget, open_services, serve_web, widget_config
from bot.config import Settings
from bot.web.widget import add_widget_routes
from crm_memory import SqlDatabase
from handlers.desk import Outboxes
from tests.bot.test_api_schemathesis import CHECKS, PG_URL, fuzz_every_operation
from tests.ports import free_port

SHOP = "https://shop.example"
EXAMPLES = 25  # per operation and mode: ~25 x 2 x 5 x 2 requests

pytestmark = pytest.mark.skipif(
    not PG_URL,
    reason="Schemathesis runs the widget on PostgreSQL: eval \"$(bench/services.sh start "
    "/tmp/svc)\" and export TEST_DATABASE_URL=$DATABASE_URL (CI does)",
)


@dataclass(frozen=True)
class Served:
    base_url: str
    token: str


async def _serve(settings: Settings, started: threading.Event, holder: dict[str, object]) -> None:
    """`run`'s web port without Telegram: the desk, its API and the widget's routes."""
    db = SqlDatabase(PG_URL)
    try:
        async with db.engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await db.upgrade()
    finally:
        await db.dispose()
    services: Services
    async with open_services(settings) as services:
        web = build_widget(settings, services)
        app, events = build_web(settings, services, outbox=Outboxes({"web": web}))
        services.dispatcher.attach_desk(events)
        add_widget_routes(app, web, widget_config(settings))
        stop = asyncio.Event()
        holder["stop"], holder["loop"] = stop, asyncio.get_running_loop()
        started.set()
        try:
            await serve_web(settings, app, stop)
        finally:
            await web.idle()
            await web.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    port = free_port()
    root: Path = tmp_path_factory.mktemp("widget")
    settings = Settings(
        storage={"database_url": PG_URL},
        web={"enabled": True, "port": port},
        nlu={"model_dir": str(root / "model")},
        media={"cache_dir": str(root / "media")},
        widget={"enabled": True, "allowed_origins": [SHOP], "identity_secret": "s3cret"},
    )
    started, holder = threading.Event(), {}
    failed: list[BaseException] = []

    def main() -> None:
        try:
            asyncio.run(_serve(settings, started, holder))
        except BaseException as exc:  # reported by the fixture, not lost in the thread
            failed.append(exc)
            started.set()

    thread = threading.Thread(target=main, name="widget-server", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        assert started.wait(300), "the widget's server did not start within 5 minutes"
        assert not failed, failed
        with httpx.Client(base_url=base_url, headers={"Origin": SHOP}) as client:
            for _ in range(600):
                try:
                    session = client.post("/widget/api/session", json={"lang": "en"})
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                raise AssertionError("the widget's API did not answer")
            assert session.status_code == 200, session.text
        yield Served(base_url, str(session.json()["token"]))
    finally:
        loop, stop = holder.get("loop"), holder.get("stop")
        if isinstance(loop, asyncio.AbstractEventLoop) and isinstance(stop, asyncio.Event):
            loop.call_soon_threadsafe(stop.set)
        thread.join(60)
    assert not failed, failed


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_widget_api_keeps_its_openapi_contract(served: Served, mode: GenerationMode) -> None:
    loaded = schemathesis.openapi.from_url(f"{served.base_url}/openapi.json")
    schema = loaded.include(tag="widget")
    operations, failures = fuzz_every_operation(
        schema, mode, lambda case: _call(case, served), examples=EXAMPLES
    )
    assert operations == 5  # session, messages, media (post and get), history
    assert not failures, "\n\n".join(failures)


def _call(case: schemathesis.Case, served: Served) -> None:  # type: ignore[type-arg]
    # A long poll waits up to 25 s for a message: half a second is enough to see it answer.
    wait = (case.query or {}).get("wait")
    if isinstance(wait, int | float) and not isinstance(wait, bool) and wait > 0.5:
        case.query = {**(case.query or {}), "wait": 0.5}
    # As the fuzzer made it up (whatever credentials it chose), from the shop's page ...
    case.call_and_validate(base_url=served.base_url, headers={"Origin": SHOP}, checks=CHECKS)
    # ... and as a visitor with a token the server issued.
    visitor = {"Origin": SHOP, "X-Widget-Token": served.token}
    headers = {k: v for k, v in (case.headers or {}).items() if not k.startswith("X-Widget-")}
    case.headers = headers
    case.call_and_validate(base_url=served.base_url, headers=visitor, checks=CHECKS)
