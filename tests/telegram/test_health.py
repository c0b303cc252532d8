"""Health and metrics of the Telegram channel: in-process, and `python -m bot run` with Redis
stopped and started again under it."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from bot.health import Monitor
from bot.metrics import Metrics
from bot.telegram_channel import TelegramChannel
from crm_memory import MemoryConversationState, SqlDatabase, StoreUnavailable
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.ports import free_port
from tests.telegram.conftest import bot_env, start_bot
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_channel import make_channel

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


class StoppableState(MemoryConversationState):
    """The in-process state with a switch that makes it fail like a stopped Redis."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False

    def lock(self, chat: str, *, wait: float = 10.0):  # type: ignore[no-untyped-def]
        if self.down:
            raise StoreUnavailable("redis unavailable: Error 111", store="state")
        return super().lock(chat, wait=wait)

    async def ping(self) -> None:
        if self.down:
            raise StoreUnavailable("redis unavailable: Error 111", store="state")


@pytest.fixture
async def watched(
    api: BotApiStandIn, deps: Deps, engine: BuiltinEngine, sqlite_db: SqlDatabase
) -> AsyncIterator[tuple[TelegramChannel, Monitor, StoppableState]]:
    state = StoppableState()
    dispatcher = Dispatcher(deps=replace(deps, state=state), nlu=engine)
    channel = make_channel(api, dispatcher, sqlite_db)
    monitor = Monitor(
        database=sqlite_db,
        state=state,
        workload=sqlite_db.workload,
        metrics=Metrics(),
        channel="polling",
    )
    channel.events = monitor
    await channel.start()
    yield channel, monitor, state
    await channel.stop()


async def test_the_channel_reports_polls_turns_replies_and_failures(
    api: BotApiStandIn, watched: tuple[TelegramChannel, Monitor, StoppableState]
) -> None:
    channel, monitor, state = watched
    registry = monitor.metrics.registry
    telegram = {"channel": "telegram"}
    assert (await monitor.readiness()).reasons == ("not connected to Telegram yet",)

    api.customer_says(701, "hi", name="Anna")
    api.customer_says(701, "where is my order A-1001?")
    await channel.poll_once()
    assert (await monitor.readiness()).ready
    assert registry.get_sample_value("crmbot_messages_in_total", telegram) == 2
    assert registry.get_sample_value("crmbot_messages_out_total", telegram) == len(api.to(701))
    assert registry.get_sample_value("crmbot_turn_seconds_count", telegram) == 2
    assert registry.get_sample_value("crmbot_last_poll_timestamp_seconds") is not None

    state.down = True  # the store goes away mid-turn: the update waits in the inbox
    api.customer_says(701, "hello again")
    with pytest.raises(StoreUnavailable):
        await channel.poll_once()
    assert registry.get_sample_value("crmbot_turns_failed_total", telegram) == 1
    assert registry.get_sample_value("crmbot_store_errors_total", {"store": "state"}) == 1
    assert not (await monitor.readiness()).ready
    state.down = False
    assert (await monitor.readiness()).ready
    answered = len(api.to(701))
    await channel.poll_once()  # back: the waiting update gets its answer
    assert len(api.to(701)) > answered
    assert registry.get_sample_value("crmbot_messages_out_total", telegram) == len(api.to(701))


# --- `python -m bot run` with a real Redis that is stopped and started --------------------


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One NLU model cache for this module's bots: trained by the first, loaded by the rest."""
    return str(tmp_path_factory.mktemp("model"))


@asynccontextmanager
async def redis_server(port: int, workdir: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    """A throwaway Redis without persistence: stopping it loses everything, as in the drill."""
    server = await asyncio.create_subprocess_exec(
        *("redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""),
        *("--dir", str(workdir)),
        stdout=asyncio.subprocess.DEVNULL,
    )
    try:
        yield server
    finally:
        if server.returncode is None:
            server.terminate()
        await asyncio.wait_for(server.wait(), 10)


async def ready_state(url: str, *, want: int, within: float = 30.0) -> httpx.Response:
    """Ask /readyz until it answers ``want`` (200 or 503)."""
    deadline = asyncio.get_running_loop().time() + within
    async with httpx.AsyncClient(timeout=5) as client:
        while True:
            try:
                answer = await client.get(url)
                if answer.status_code == want:
                    return answer
            except httpx.TransportError:
                pass
            assert asyncio.get_running_loop().time() < deadline, f"{url} never answered {want}"
            await asyncio.sleep(0.2)


@pytest.mark.skipif(not REDIS_URL, reason="Redis: set TEST_REDIS_URL (CI does) to run")
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
async def test_run_turns_unready_while_redis_is_stopped_and_ready_after(
    tmp_path: Path, model_dir: str
) -> None:
    api = BotApiStandIn()
    await api.start()
    redis_port, web_port = free_port(), free_port()
    env = bot_env(
        api,
        tmp_path,
        CRMBOT_STORAGE__REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        CRMBOT_WEB__PORT=str(web_port),
        CRMBOT_NLU__MODEL_DIR=model_dir,
    )
    readyz = f"http://127.0.0.1:{web_port}/readyz"
    async with redis_server(redis_port, tmp_path) as redis:
        await asyncio.sleep(0.3)
        process = await start_bot(env, "run")
        try:
            answer = await ready_state(readyz, want=200, within=60)
            assert answer.json()["stores"]["state"]["ok"] is True
            api.customer_says(42, "hello", name="Wei")
            await api.wait_for(lambda: len(api.to(42)) == 1, within=30)
            status = await start_bot(env, "status")
            said, _ = await asyncio.wait_for(status.communicate(), 60)
            assert status.returncode == 0 and "ready: yes" in said.decode(), said.decode()

            redis.terminate()  # Redis stops under the running bot
            await asyncio.wait_for(redis.wait(), 10)
            answer = await ready_state(readyz, want=503)
            assert answer.json()["reasons"][0].startswith("state unavailable")
            async with httpx.AsyncClient() as client:
                assert (await client.get(f"http://127.0.0.1:{web_port}/healthz")).status_code == 200
                metrics = (await client.get(f"http://127.0.0.1:{web_port}/metrics")).text
            assert 'crmbot_store_up{store="state"} 0.0' in metrics.splitlines()
            status = await start_bot(env, "status", "--json")
            said, _ = await asyncio.wait_for(status.communicate(), 60)
            assert status.returncode == 1 and '"ready": false' in said.decode()
        except BaseException:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.communicate(), 30)
            raise
    try:
        async with redis_server(redis_port, tmp_path):  # started again, empty
            answer = await ready_state(readyz, want=200)
            assert answer.json()["stores"]["state"]["ok"] is True
            assert process.returncode is None  # the bot never exited
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 30)
        await api.stop()
    assert process.returncode == 0, output.decode()[-2000:]


async def test_run_serves_health_checks_with_the_desk_off(tmp_path: Path, model_dir: str) -> None:
    api = BotApiStandIn()
    await api.start()
    web_port = free_port()
    env = bot_env(api, tmp_path, CRMBOT_WEB__PORT=str(web_port), CRMBOT_NLU__MODEL_DIR=model_dir)
    base = f"http://127.0.0.1:{web_port}"
    process = await start_bot(env, "run")
    try:
        await ready_state(f"{base}/readyz", want=200, within=60)
        api.customer_says(43, "hello", name="Ana")
        await api.wait_for(lambda: len(api.to(43)) == 1, within=30)
        async with httpx.AsyncClient(base_url=base) as client:
            assert (await client.get("/healthz")).json() == {"status": "alive"}
            metrics = (await client.get("/metrics")).text.splitlines()
            assert 'crmbot_messages_in_total{channel="telegram"} 1.0' in metrics
            assert 'crmbot_messages_out_total{channel="telegram"} 1.0' in metrics
            assert 'crmbot_turn_seconds_count{channel="telegram"} 1.0' in metrics
            assert (await client.get("/login")).status_code == 404  # the desk is off
            assert (await client.get("/api/cases")).status_code == 404
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 30)
        await api.stop()
    assert process.returncode == 0, output.decode()[-2000:]
    # With nothing on the web port, `status` checks the stores itself and says no bot answers.
    status = await start_bot(env, "status")
    said, _ = await asyncio.wait_for(status.communicate(), 60)
    assert status.returncode == 1, said.decode()
    assert f"no bot answers at {base}/readyz" in said.decode()
    assert "database  ok" in said.decode()
