"""Readiness, liveness and metrics of a bot process, with stores that fail on demand."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bot.health import Monitor, health_app
from bot.metrics import Metrics
from crm_memory import StoreUnavailable, Workload

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


class FlakyStore:
    """A store whose server can be stopped and started: ping fails while it is down."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.down = False
        self.hang = False

    async def ping(self) -> None:
        if self.hang:
            await asyncio.sleep(60)
        if self.down:
            raise StoreUnavailable(f"{self.name} unavailable: Error 111 connection refused")


class FakeWorkload:
    def __init__(self) -> None:
        self.seen = Workload(
            inbox_pending=0,
            inbox_oldest_pending_at=None,
            inbox_failed=None,
            open_cases=3,
            assigned_cases=1,
            escalations=7,
        )

    async def workload(self) -> Workload:
        return self.seen


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Rig:
    def __init__(self, channel: str | None = None) -> None:
        self.database = FlakyStore("database")
        self.state = FlakyStore("redis")
        self.work = FakeWorkload()
        self.clock = Clock()
        self.monitor = Monitor(
            database=self.database,
            state=self.state,
            workload=self.work,
            metrics=Metrics(),
            channel="polling" if channel == "polling" else None,
            max_poll_age=120,
            max_backlog_age=300,
            timeout=0.2,
            clock=self.clock,
        )

    def sample(self, name: str, **labels: str) -> float | None:
        return self.monitor.metrics.registry.get_sample_value(name, labels)


@pytest.mark.parametrize("store", ["database", "state"])
async def test_not_ready_while_a_store_is_down_and_ready_after(store: str) -> None:
    rig = Rig()
    assert (await rig.monitor.readiness()).ready
    failing = rig.database if store == "database" else rig.state

    failing.down = True
    seen = await rig.monitor.readiness()
    assert not seen.ready
    assert seen.reasons == (
        f"{store} unavailable: {failing.name} unavailable: Error 111 connection refused",
    )
    assert rig.sample("crmbot_store_up", store=store) == 0
    assert rig.sample("crmbot_store_errors_total", store=store) == 1
    assert rig.sample("crmbot_ready") == 0

    failing.down = False
    seen = await rig.monitor.readiness()
    assert seen.ready and seen.reasons == ()
    assert rig.sample("crmbot_store_up", store=store) == 1
    assert rig.sample("crmbot_ready") == 1


async def test_a_store_that_does_not_answer_is_not_waited_for() -> None:
    rig = Rig()
    rig.state.hang = True
    seen = await asyncio.wait_for(rig.monitor.readiness(), 5)
    assert seen.reasons == ("state unavailable: no answer within 0.2s",)


async def test_without_the_database_the_workload_is_unknown_not_zero() -> None:
    rig = Rig()
    rig.database.down = True
    seen = await rig.monitor.readiness()
    assert seen.workload is None
    assert seen.to_json()["inbox"] == {
        "pending": None,
        "oldest_pending_seconds": None,
        "failed": None,
    }
    assert rig.sample("crmbot_inbox_pending") is None
    assert rig.sample("crmbot_open_cases", status="open") is None


async def test_polling_ready_only_while_polls_succeed() -> None:
    rig = Rig("polling")
    assert (await rig.monitor.readiness()).reasons == ("not connected to Telegram yet",)
    rig.monitor.polled()
    assert (await rig.monitor.readiness()).ready
    assert rig.sample("crmbot_last_poll_timestamp_seconds") == NOW.timestamp()
    rig.clock.now = NOW + timedelta(seconds=121)
    assert (await rig.monitor.readiness()).reasons == ("no successful poll of Telegram for 121s",)
    rig.monitor.polled()
    assert (await rig.monitor.readiness()).ready


async def test_an_inbox_that_does_not_drain_is_not_ready() -> None:
    rig = Rig()
    rig.work.seen = Workload(
        inbox_pending=12,
        inbox_oldest_pending_at=NOW - timedelta(seconds=301),
        inbox_failed=2,
        open_cases=0,
        assigned_cases=0,
        escalations=0,
    )
    seen = await rig.monitor.readiness()
    assert seen.reasons == ("inbox backlog: 12 update(s) waiting, the oldest for 301s",)
    assert seen.to_json()["inbox"] == {"pending": 12, "oldest_pending_seconds": 301.0, "failed": 2}
    rig.work.seen = Workload(
        inbox_pending=12,
        inbox_oldest_pending_at=NOW - timedelta(seconds=20),
        inbox_failed=2,
        open_cases=0,
        assigned_cases=0,
        escalations=0,
    )
    assert (await rig.monitor.readiness()).ready  # a backlog that moves is work, not trouble


async def test_channel_events_count_and_time_turns() -> None:
    rig = Rig()
    with rig.monitor.turn("telegram"):
        await asyncio.sleep(0.02)
    rig.monitor.sent("telegram")
    rig.monitor.sent("telegram")
    rig.monitor.failed("telegram", StoreUnavailable("redis unavailable", store="state"))
    rig.monitor.failed("telegram", ValueError("a bug"))
    assert rig.sample("crmbot_messages_in_total", channel="telegram") == 1
    assert rig.sample("crmbot_messages_out_total", channel="telegram") == 2
    assert rig.sample("crmbot_turn_seconds_count", channel="telegram") == 1
    took = rig.sample("crmbot_turn_seconds_sum", channel="telegram")
    assert took is not None and 0.02 <= took < 1
    assert rig.sample("crmbot_turn_seconds_bucket", channel="telegram", le="0.01") == 0
    assert rig.sample("crmbot_turns_failed_total", channel="telegram") == 2
    assert rig.sample("crmbot_store_errors_total", store="state") == 1
    assert rig.sample("crmbot_store_errors_total", store="database") is None


async def test_endpoints_answer_as_operators_expect() -> None:
    rig = Rig()
    transport = httpx.ASGITransport(app=health_app(rig.monitor))
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
        assert (await client.get("/healthz")).json() == {"status": "alive"}
        ready = await client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["ready"] is True
        assert ready.json()["cases"] == {"open": 3, "assigned": 1}

        rig.state.down = True
        unready = await client.get("/readyz")
        assert unready.status_code == 503
        assert unready.json()["reasons"][0].startswith("state unavailable")
        assert unready.json()["stores"]["state"]["ok"] is False
        # Alive all the same: a restart would not bring Redis back.
        assert (await client.get("/healthz")).status_code == 200

        metrics = await client.get("/metrics")
        assert metrics.headers["content-type"].startswith("text/plain")
        text = metrics.text
        for line in (
            'crmbot_store_up{store="state"} 0.0',
            'crmbot_store_up{store="database"} 1.0',
            "crmbot_ready 0.0",
            "crmbot_inbox_pending 0.0",
            'crmbot_open_cases{status="open"} 3.0',
            "crmbot_escalations_total 7.0",
        ):
            assert line in text.splitlines(), line
        # This inbox cannot park updates: the gauge is absent, not a made-up zero.
        assert "crmbot_inbox_failed" not in text
        rig.work.seen = Workload(
            inbox_pending=0,
            inbox_oldest_pending_at=None,
            inbox_failed=2,
            open_cases=0,
            assigned_cases=0,
            escalations=0,
        )
        parked = (await client.get("/metrics")).text.splitlines()
        assert "crmbot_inbox_failed 2.0" in parked
        # The desk is off: nothing else is served.
        assert (await client.get("/login")).status_code == 404
