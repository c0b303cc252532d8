"""The report on a known fixture: every figure below is worked out by hand from report_fixture."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import UTC, datetime

import pytest

from crm_memory import SqlDatabase
from crm_memory.reports import Csat, DayCsat, Durations
from crm_memory.sql.reports import percentile
from tests.crm_memory.report_fixture import fill

NOVEMBER = datetime(2026, 11, 1, tzinfo=UTC)
DECEMBER = datetime(2026, 12, 1, tzinfo=UTC)


def test_percentile_interpolates_like_numpy() -> None:
    assert percentile([], 50) is None
    assert percentile([7.0], 90) == 7.0
    assert percentile([300.0, 600.0], 50) == 450.0
    assert percentile([600.0, 300.0], 90) == pytest.approx(570.0)
    assert percentile([1.0, 2.0, 3.0, 4.0], 90) == pytest.approx(3.7)


async def test_november_report(db: SqlDatabase) -> None:
    await fill(db)
    report = await db.reports.report(since=NOVEMBER, until=DECEMBER)
    # Anna, Ben, Chen, Dora each had one conversation; Ben's and Chen's went to people.
    assert report.conversations == 4
    assert report.escalated_conversations == 2
    assert report.contained_conversations == 2
    assert report.containment_rate == 0.5
    assert report.escalation_rate == 0.5
    assert report.escalations == 2
    assert report.escalation_reasons == {"high priority complaint": 1, "asked for a human": 1}
    # Messages: Anna 3 in + 2 bot, Ben 1 + 1 agent, Chen 1 + 1 agent, Dora 1.
    assert report.customers == 4
    assert report.messages == 10
    assert report.messages_by_sender == {"customer": 6, "bot": 2, "agent": 2}
    assert report.cases_opened == 2
    assert report.cases_by_kind == {"complaint": 1, "escalation": 1}
    assert report.cases_by_status == {"closed": 2}
    assert report.cases_by_priority == {"high": 1, "normal": 1}
    # First answers 5 and 10 minutes after the hand-off; resolutions 60 and 31 minutes.
    assert report.first_response == Durations(count=2, median_seconds=450.0, p90_seconds=570.0)
    assert report.resolution.count == 2
    assert report.resolution.median_seconds == pytest.approx(2730.0)
    assert report.resolution.p90_seconds == pytest.approx(1860 + 0.9 * 1740)
    # Ratings in November: Anna 5 (bot), Ben 2 (Maria), Chen 4 (Li); Emil's 1 is October's.
    assert report.csat_responses == 3
    assert report.csat_average == pytest.approx(11 / 3, abs=1e-3)
    assert report.csat_distribution == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert report.csat_surveys_sent == 2
    assert report.csat_response_rate == 1.0
    assert report.csat_bot == Csat(
        average=5.0, responses=1, distribution={1: 0, 2: 0, 3: 0, 4: 0, 5: 1}
    )
    assert report.csat_human.average == 3.0 and report.csat_human.responses == 2
    assert {a: c.average for a, c in report.csat_by_agent.items()} == {"Li": 4.0, "Maria": 2.0}
    assert report.csat_by_day == (
        DayCsat(day="2026-11-10", average=3.5, responses=2),
        DayCsat(day="2026-11-11", average=4.0, responses=1),
    )
    # Intents of the 6 inbound messages; one was not understood.
    assert report.understood_messages == 6
    assert report.fallback_rate == pytest.approx(1 / 6)
    assert report.top_intents == {
        "ask_order_status": 1,
        "ask_returns_refunds": 1,
        "complaint": 1,
        "greet": 1,
        "request_human": 1,
    }
    assert report.complaint_topics == {"delivery": 1}
    feedback = report.feedback
    assert (feedback.count, feedback.positive, feedback.negative, feedback.neutral) == (2, 1, 1, 0)
    assert feedback.average_sentiment == pytest.approx(0.1)
    assert [(t.topic, t.count, t.average_sentiment) for t in feedback.topics] == [
        ("app", 1, 0.6),
        ("delivery", 1, -0.4),
    ]
    assert report.segments == {"new": 5}


async def test_period_bounds_and_everything(db: SqlDatabase) -> None:
    await fill(db)
    october = await db.reports.report(since=datetime(2026, 10, 1, tzinfo=UTC), until=NOVEMBER)
    assert (october.conversations, october.messages, october.cases_opened) == (1, 1, 0)
    assert (october.csat_average, october.csat_responses) == (1.0, 1)
    assert october.containment_rate == 1.0
    assert october.first_response == Durations(count=0, median_seconds=None, p90_seconds=None)
    assert october.csat_response_rate is None  # no case closed, no survey sent
    everything = await db.reports.report()
    assert everything.conversations == 5 and everything.csat_responses == 4
    assert everything.csat_average == pytest.approx(12 / 4)


async def test_erasing_a_customer_keeps_the_figures(db: SqlDatabase) -> None:
    ids = await fill(db)
    before = await db.reports.report(since=NOVEMBER, until=DECEMBER)
    assert await db.customers.forget(ids["ben"])
    after = await db.reports.report(since=NOVEMBER, until=DECEMBER)
    # Only the counts of living customers by segment and tier change: Ben is no longer one.
    assert (after.segments, after.tiers) == ({"new": 4}, {"standard": 4})
    assert asdict(replace(after, segments=before.segments, tiers=before.tiers)) == asdict(before)


async def test_empty_database_reports_zeroes(db: SqlDatabase) -> None:
    report = await db.reports.report()
    assert report.conversations == 0 and report.containment_rate is None
    assert report.csat_average is None and report.csat_responses == 0
    assert report.fallback_rate is None and report.top_intents == {}
