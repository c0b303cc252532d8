"""The bot's Prometheus metrics, all defined here; served at /metrics by bot/health.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from crm_memory import Workload

# What generate_latest writes: the classic text format (newer clients name 1.0.0 their latest).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# A turn is a few ms on SQLite, tens on PostgreSQL; a lock wait or a slow store takes seconds.
TURN_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class _WorkloadCollector(Collector):
    """Figures read from the database at scrape time (the same in every worker)."""

    def __init__(self) -> None:
        self.workload: Workload | None = None
        self.read_at = datetime.now(UTC)

    def collect(self) -> Iterator[Metric]:
        seen = self.workload
        if seen is None:  # the database did not answer: unknown, not zero
            return
        yield GaugeMetricFamily(
            "crmbot_inbox_pending",
            "Updates stored and not yet processed.",
            value=seen.inbox_pending,
        )
        oldest = seen.inbox_oldest_pending_at
        yield GaugeMetricFamily(
            "crmbot_inbox_oldest_pending_seconds",
            "How long the oldest unprocessed update has waited (0 with none).",
            value=(self.read_at - oldest).total_seconds() if oldest is not None else 0.0,
        )
        if seen.inbox_failed is not None:
            yield GaugeMetricFamily(
                "crmbot_inbox_failed",
                "Updates whose turn failed for good, parked for `crm inbox retry`.",
                value=seen.inbox_failed,
            )
        cases = GaugeMetricFamily(
            "crmbot_open_cases", "Cases not closed, by status.", labels=["status"]
        )
        cases.add_metric(["open"], seen.open_cases)
        cases.add_metric(["assigned"], seen.assigned_cases)
        yield cases
        yield CounterMetricFamily(
            "crmbot_escalations",
            "Cases handed to people, ever (from the database).",
            value=seen.escalations,
        )


class Metrics:
    """The metrics of one bot process, in a registry of its own (tests build several)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.messages_in = Counter(
            "crmbot_messages_in",
            "Inbound messages handed to the dispatcher (a retried turn counts again).",
            ["channel"],
            registry=r,
        )
        self.messages_out = Counter(
            "crmbot_messages_out", "Replies delivered and marked sent.", ["channel"], registry=r
        )
        self.turn_seconds = Histogram(
            "crmbot_turn_seconds",
            "Time the dispatcher took to record, understand and answer one message.",
            ["channel"],
            buckets=TURN_BUCKETS,
            registry=r,
        )
        self.turns_failed = Counter(
            "crmbot_turns_failed",
            "Attempts at an update that raised (retried, parked, or waiting for a store).",
            ["channel"],
            registry=r,
        )
        self.store_errors = Counter(
            "crmbot_store_errors",
            "Store operations or health checks that found the store unavailable.",
            ["store"],
            registry=r,
        )
        self.store_up = Gauge(
            "crmbot_store_up",
            "1 when the store answered the last health check.",
            ["store"],
            registry=r,
        )
        self.ready = Gauge("crmbot_ready", "1 when the last readiness check passed.", registry=r)
        self.last_poll = Gauge(
            "crmbot_last_poll_timestamp_seconds",
            "When updates were last fetched and stored (polling) or received (webhook).",
            registry=r,
        )
        self.widget_legacy = Counter(
            "crmbot_widget_legacy_signatures",
            "Signed-in website visitors (sockets and requests) whose page signs the user id "
            "alone, the old scheme: accepted with widget.legacy_user_id_signatures, else "
            "refused.",
            ["outcome"],
            registry=r,
        )
        self.widget_legacy_users = Gauge(
            "crmbot_widget_legacy_signature_users",
            "Distinct user ids accepted with an old-scheme signature since the process started.",
            registry=r,
        )
        self.widget_legacy_last = Gauge(
            "crmbot_widget_legacy_signature_last_timestamp_seconds",
            "When a visitor was last accepted with an old-scheme signature (0: never).",
            registry=r,
        )
        self._workload = _WorkloadCollector()
        r.register(self._workload)

    def workload(self, seen: Workload | None, *, at: datetime) -> None:
        """The database's figures as last read (None: the database did not answer)."""
        self._workload.workload = seen
        self._workload.read_at = at

    def exposition(self) -> bytes:
        """Every metric in Prometheus' text format."""
        return generate_latest(self.registry)
