"""Liveness, readiness and metrics of a bot process: /healthz, /readyz, /metrics and `status`."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from bot.metrics import CONTENT_TYPE, Metrics
from crm_memory import CrmError, StoreUnavailable, Workload
from crm_memory.protocols import WorkloadStore

logger = logging.getLogger(__name__)


class Pingable(Protocol):
    """A store that says whether its server answers."""

    async def ping(self) -> None:
        """Raise StoreUnavailable unless the server answers."""
        ...


@dataclass(frozen=True, slots=True)
class StoreCheck:
    """One store's answer to a readiness check."""

    store: str
    ok: bool
    seconds: float
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Readiness:
    """Whether the process can do its work now, and why not."""

    ready: bool
    reasons: tuple[str, ...]
    stores: tuple[StoreCheck, ...]
    workload: Workload | None
    last_poll_at: datetime | None
    checked_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The /readyz body."""
        work = self.workload
        oldest = work.inbox_oldest_pending_at if work else None
        return {
            "ready": self.ready,
            "reasons": list(self.reasons),
            "stores": {
                s.store: {"ok": s.ok, "seconds": round(s.seconds, 4), "error": s.error}
                for s in self.stores
            },
            "inbox": {
                "pending": work.inbox_pending if work else None,
                "oldest_pending_seconds": _age(oldest, self.checked_at),
                "failed": work.inbox_failed if work else None,
            },
            "cases": {
                "open": work.open_cases if work else None,
                "assigned": work.assigned_cases if work else None,
            },
            "last_poll_at": self.last_poll_at.isoformat() if self.last_poll_at else None,
            "last_poll_seconds_ago": _age(self.last_poll_at, self.checked_at),
            "checked_at": self.checked_at.isoformat(),
        }


def _age(then: datetime | None, now: datetime) -> float | None:
    return round((now - then).total_seconds(), 1) if then is not None else None


def _short(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0][:200] if text else "") or type(exc).__name__


class Monitor:
    """Health and metrics of one process: channels report to it (ChannelEvents), /readyz,
    /metrics and `status` read it.

    Args:
        database: the SQL database (pinged).
        state: the conversation state, Redis or in-process (pinged).
        workload: the inbox backlog and case figures.
        metrics: where counts and timings go.
        channel: "polling" or "webhook" when this process receives from Telegram (it is ready
            only once connected), None for a process without a channel (the desk alone).
        max_poll_age: polling: seconds without a successful poll after which it is not ready.
        max_backlog_age: seconds the oldest unprocessed update may wait before it is not ready.
        timeout: seconds each check may take.
    """

    def __init__(
        self,
        *,
        database: Pingable,
        state: Pingable,
        workload: WorkloadStore,
        metrics: Metrics,
        channel: Literal["polling", "webhook"] | None = None,
        max_poll_age: float = 120.0,
        max_backlog_age: float = 300.0,
        timeout: float = 3.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.metrics = metrics
        self._stores = (("database", database), ("state", state))
        self._workload = workload
        self._channel = channel
        self._max_poll_age = max_poll_age
        self._max_backlog_age = max_backlog_age
        self._timeout = timeout
        self._clock = clock
        self.last_poll_at: datetime | None = None

    # --- ChannelEvents ---------------------------------------------------------------------

    def polled(self) -> None:
        self.last_poll_at = self._clock()
        self.metrics.last_poll.set(self.last_poll_at.timestamp())

    @contextmanager
    def turn(self, channel: str) -> Iterator[None]:
        self.metrics.messages_in.labels(channel).inc()
        started = time.perf_counter()
        try:
            yield
        finally:
            self.metrics.turn_seconds.labels(channel).observe(time.perf_counter() - started)

    def sent(self, channel: str) -> None:
        self.metrics.messages_out.labels(channel).inc()

    def failed(self, channel: str, error: BaseException | None) -> None:
        self.metrics.turns_failed.labels(channel).inc()
        if isinstance(error, StoreUnavailable):
            self.metrics.store_errors.labels(error.store).inc()

    # --- checks ----------------------------------------------------------------------------

    async def readiness(self) -> Readiness:
        """Ping each store, read the workload, judge the channel; update the gauges."""
        reasons: list[str] = []
        checks = [await self._check(name, store.ping) for name, store in self._stores]
        workload: Workload | None = None
        if checks[0].ok:
            try:
                async with asyncio.timeout(self._timeout):
                    workload = await self._workload.workload()
            except (CrmError, TimeoutError) as exc:
                self.metrics.store_errors.labels("database").inc()
                checks[0] = StoreCheck("database", False, checks[0].seconds, _short(exc))
        now = self._clock()
        self.metrics.workload(workload, at=now)
        for check in checks:
            self.metrics.store_up.labels(check.store).set(1 if check.ok else 0)
            if not check.ok:
                reasons.append(f"{check.store} unavailable: {check.error}")
        if workload is not None and workload.inbox_oldest_pending_at is not None:
            waited = (now - workload.inbox_oldest_pending_at).total_seconds()
            if waited > self._max_backlog_age:
                reasons.append(
                    f"inbox backlog: {workload.inbox_pending} update(s) waiting, "
                    f"the oldest for {waited:.0f}s"
                )
        reasons += self._channel_reasons(now)
        ready = not reasons
        self.metrics.ready.set(1 if ready else 0)
        return Readiness(
            ready=ready,
            reasons=tuple(reasons),
            stores=tuple(checks),
            workload=workload,
            last_poll_at=self.last_poll_at,
            checked_at=now,
        )

    async def _check(self, name: str, ping: Callable[[], Any]) -> StoreCheck:
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._timeout):
                await ping()
        except TimeoutError:
            self.metrics.store_errors.labels(name).inc()
            error = f"no answer within {self._timeout:g}s"
            return StoreCheck(name, False, time.perf_counter() - started, error)
        except CrmError as exc:
            self.metrics.store_errors.labels(name).inc()
            return StoreCheck(name, False, time.perf_counter() - started, _short(exc))
        return StoreCheck(name, True, time.perf_counter() - started)

    def _channel_reasons(self, now: datetime) -> list[str]:
        if self._channel is None:
            return []
        if self.last_poll_at is None:
            return ["not connected to Telegram yet"]
        silent = (now - self.last_poll_at).total_seconds()
        if self._channel == "polling" and silent > self._max_poll_age:
            return [f"no successful poll of Telegram for {silent:.0f}s"]
        return []

    async def exposition(self) -> bytes:
        """The metrics, after a fresh readiness check (stores, workload, ready)."""
        await self.readiness()
        return self.metrics.exposition()


def health_router(monitor: Monitor) -> APIRouter:
    """/healthz, /readyz and /metrics; no sign-in (keep the port away from the internet or
    block these paths at the proxy)."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is alive and serving HTTP (no store is asked)."""
        return {"status": "alive"}

    @router.get(
        "/readyz",
        responses={
            503: {
                "description": "Not ready; the body says which check failed.",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        },
    )
    async def readyz() -> JSONResponse:
        """200 when the stores answer, the inbox keeps up and Telegram is polled; else 503."""
        seen = await monitor.readiness()
        return JSONResponse(seen.to_json(), status_code=200 if seen.ready else 503)

    # Declared as text/plain, as it answers (the API's contract test checks content types).
    @router.get("/metrics", response_class=PlainTextResponse)
    async def metrics() -> Response:
        """Prometheus metrics."""
        return Response(await monitor.exposition(), media_type=CONTENT_TYPE)

    return router


def health_app(monitor: Monitor) -> FastAPI:
    """The web port's app when the desk is off: the operations endpoints (and what `run`
    adds, the widget's), described at /openapi.json as the desk's API is."""
    app = FastAPI(
        title="crmbot operations",
        description="Health checks and metrics; with the widget on, its visitors' API (tag "
        "`widget`).",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    app.include_router(health_router(monitor))
    return app
