"""SLA clocks in business hours (weekend, overnight, DST), warnings and breaches once per case
with a controlled clock, and the report's SLA figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from crm_memory import CaseKind, ChannelIdentity, Priority, SqlDatabase, use_clock
from handlers.hours import BusinessHours
from handlers.sla import SlaPolicy, SlaTarget, SlaWatch, default_targets, sla_report, working_time
from tests.handlers.conftest import FakeDesk

LONDON = "Europe/London"
OFFICE = BusinessHours.parse(["Mon-Fri 09:00-18:00"], LONDON)
MIN = timedelta(minutes=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_weekend_does_not_count() -> None:
    # Friday 27 Nov 2026 17:30 (London is on UTC in winter) to Monday 09:45.
    assert working_time(OFFICE, utc(2026, 11, 27, 17, 30), utc(2026, 11, 30, 9, 45)) == 75 * MIN


def test_overnight_counts_only_the_evening_and_the_morning() -> None:
    assert working_time(OFFICE, utc(2026, 12, 1, 17, 0), utc(2026, 12, 2, 10, 0)) == 120 * MIN
    # Wholly outside the hours: nothing.
    assert working_time(OFFICE, utc(2026, 12, 1, 19, 0), utc(2026, 12, 2, 8, 0)) == timedelta(0)
    assert working_time(OFFICE, utc(2026, 12, 2, 10, 0), utc(2026, 12, 1, 10, 0)) == timedelta(0)


def test_no_hours_is_plain_elapsed_time() -> None:
    start = utc(2026, 11, 28, 23, 0)  # a Saturday night
    assert working_time(None, start, start + 90 * MIN) == 90 * MIN
    assert working_time(BusinessHours.parse([], LONDON), start, start + 90 * MIN) == 90 * MIN


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        ((2026, 3, 28), 5),  # clocks go forward on Sunday 29 March: 00:00-06:00 is 5 hours
        ((2026, 10, 24), 7),  # back on Sunday 25 October: 7 hours
        ((2026, 11, 28), 6),
    ],
)
def test_dst_counts_real_time_not_wall_clock(day: tuple[int, int, int], hours: int) -> None:
    night = BusinessHours.parse(["Sun 00:00-06:00"], LONDON)
    saturday_noon = utc(*day, 12, 0)
    assert working_time(night, saturday_noon, saturday_noon + timedelta(days=2)) == timedelta(
        hours=hours
    )


@pytest.mark.parametrize("minutes", [1, 45, 540, 600, 3000])
def test_agrees_with_after_working(minutes: int) -> None:
    start = utc(2026, 12, 4, 16, 10)  # Friday afternoon, no DST change ahead
    end = OFFICE.after_working(start, minutes * MIN)
    assert working_time(OFFICE, start, end) == minutes * MIN


POLICY = SlaPolicy(
    targets={
        Priority.NORMAL: SlaTarget(first_response=60 * MIN, resolution=240 * MIN),
        Priority.HIGH: SlaTarget(first_response=30 * MIN, resolution=120 * MIN),
    }
)


async def _escalated(db: SqlDatabase, at: datetime, priority: Priority, user: str = "1") -> int:
    customer, _ = await db.customers.get_or_create(
        ChannelIdentity("telegram", user), display_name="Anna"
    )
    with use_clock(lambda: at):
        case = await db.cases.open(
            customer_id=customer.id,
            kind=CaseKind.ESCALATION,
            priority=priority,
            reason="asked for a human",
            summary="",
        )
        await db.cases.escalate(case.number, "asked for a human")
    return case.number


async def test_warning_at_80_percent_and_breach_once_each(sqlite_db: SqlDatabase) -> None:
    monday_10 = utc(2026, 11, 30, 10, 0)
    evening = utc(2026, 11, 30, 17, 50)  # 10 working minutes left today
    first = await _escalated(sqlite_db, monday_10, Priority.NORMAL)
    late = await _escalated(sqlite_db, evening, Priority.HIGH, user="2")
    now = [monday_10]
    watch = SlaWatch(
        store=sqlite_db.assignment,
        policy=POLICY,
        hours=OFFICE,
        clock=lambda: now[0],
    )
    desk = FakeDesk()

    async def at(moment: datetime) -> list[str]:
        now[0] = moment
        return await watch.check(desk)

    assert await at(monday_10 + 47 * MIN) == []
    assert await at(monday_10 + 48 * MIN) == [f"#{first} first_response warning"]
    assert desk.alerts[-1] == (
        f"⚠️ SLA: #{first} (normal) first response due in 12 working min (48 of 60 used)"
        " · unassigned"
    )
    assert await at(monday_10 + 59 * MIN) == []  # once per case
    assert await at(monday_10 + 60 * MIN) == [f"#{first} first_response breach"]
    assert desk.alerts[-1].startswith(f"🚨 SLA breached: #{first} (normal) first response")
    assert await at(monday_10 + 61 * MIN) == []
    # An answer stops the first-response clock; the resolution clock runs on (80 % of 240).
    with use_clock(lambda: monday_10 + 65 * MIN):
        await sqlite_db.cases.assign(first, "Maria")
        await sqlite_db.cases.record_response(first)
    assert await at(monday_10 + 191 * MIN) == []
    assert await at(monday_10 + 192 * MIN) == [f"#{first} resolution warning"]
    assert desk.alerts[-1].endswith("· Maria")

    # The evening case (high: 30 min): 10 minutes today, and its 80 % (24 min) falls at
    # 09:14 the next morning (after 18:00 is not business time), not at 18:14 the same day.
    assert await at(utc(2026, 11, 30, 23, 0)) == [f"#{first} resolution breach"]
    assert await at(utc(2026, 12, 1, 9, 13)) == []
    assert await at(utc(2026, 12, 1, 9, 14)) == [f"#{late} first_response warning"]
    # Found breached first (the bot was down): the breach alone, no late warning.
    assert await at(utc(2026, 12, 2, 12, 0)) == [
        f"#{late} first_response breach",
        f"#{late} resolution breach",
    ]
    assert await at(utc(2026, 12, 2, 13, 0)) == []


async def test_report_met_percent_by_priority_and_agent(sqlite_db: SqlDatabase) -> None:
    monday_10 = utc(2026, 11, 30, 10, 0)
    friday_17 = utc(2026, 11, 27, 17, 0)
    db = sqlite_db
    # Maria: answered in 20 min, resolved in 100 (normal: met both).
    a = await _escalated(db, monday_10, Priority.NORMAL, user="1")
    # Maria: high, answered in 45 min (missed 30), resolved in 110 (met 120).
    b = await _escalated(db, monday_10, Priority.HIGH, user="2")
    # Lee: normal, Friday 17:00, answered Monday 09:30 = 90 business min (missed 60), resolved
    # Monday 11:00 = 180 (met 240); 64 hours on the wall clock.
    c = await _escalated(db, friday_17, Priority.NORMAL, user="3")
    # Unanswered, still inside its target: decided neither way.
    await _escalated(db, monday_10 + 50 * MIN, Priority.NORMAL, user="4")
    for number, agent, answered, resolved in (
        (a, "Maria", monday_10 + 20 * MIN, monday_10 + 100 * MIN),
        (b, "Maria", monday_10 + 45 * MIN, monday_10 + 110 * MIN),
        (c, "Lee", utc(2026, 11, 30, 9, 30), utc(2026, 11, 30, 11, 0)),
    ):
        await db.cases.assign(number, agent)
        with use_clock(lambda t=answered: t):  # type: ignore[misc]
            await db.cases.record_response(number)
        with use_clock(lambda t=resolved: t):  # type: ignore[misc]
            await db.cases.close(number)
    now = monday_10 + 60 * MIN + 30 * MIN
    report = sla_report(await db.cases.all(), POLICY, OFFICE, now)
    lines = {line.name: line for line in report.by_priority}
    assert list(lines) == ["high", "normal"]
    assert (lines["normal"].cases, lines["normal"].first_response_met) == (3, 1)
    assert lines["normal"].first_response_decided == 2
    assert lines["normal"].first_response_met_percent == 50.0
    assert lines["normal"].resolution_met_percent == 100.0
    assert lines["normal"].first_response_minutes == pytest.approx((20 + 90) / 2)
    assert lines["normal"].resolution_minutes == pytest.approx((100 + 180) / 2)
    assert lines["high"].first_response_met_percent == 0.0
    agents = {line.name: line for line in report.by_agent}
    assert agents["Maria"].first_response_met_percent == 50.0
    assert agents["Maria"].resolution_met_percent == 100.0
    assert agents["Lee"].first_response_met_percent == 0.0
    assert agents["unassigned"].first_response_decided == 0


def test_default_targets_cover_every_priority() -> None:
    assert set(default_targets()) == set(Priority)


async def test_a_check_is_one_query_and_inserts_only_what_is_new(sqlite_db: SqlDatabase) -> None:
    monday_10 = utc(2026, 11, 30, 10, 0)
    breached = await _escalated(sqlite_db, monday_10, Priority.NORMAL)
    for user in range(2, 6):  # alerted already, every minute after: nothing to insert
        await _escalated(sqlite_db, monday_10, Priority.NORMAL, user=str(user))
    young = await _escalated(sqlite_db, monday_10 + 70 * MIN, Priority.NORMAL, user="9")
    now = [monday_10 + 61 * MIN]
    watch = SlaWatch(store=sqlite_db.assignment, policy=POLICY, hours=OFFICE, clock=lambda: now[0])
    desk = FakeDesk()
    assert len(await watch.check(desk)) == 5  # five breaches (their warnings noted silently)
    seen: list[str] = []

    def statement(_conn: object, _cursor: object, sql: str, *_: object) -> None:
        seen.append(sql.split()[0].upper())

    event.listen(sqlite_db.engine.sync_engine, "before_cursor_execute", statement)
    try:
        now[0] = monday_10 + 62 * MIN
        assert await watch.check(desk) == []
        assert seen == ["SELECT"]  # one query; no INSERT failing on the unique key
        fetched = await sqlite_db.assignment.sla_open(
            escalated_before={Priority.NORMAL: now[0] - 48 * MIN}
        )
    finally:
        event.remove(sqlite_db.engine.sync_engine, "before_cursor_execute", statement)
    # Cases escalated too recently to be near a target are not fetched at all.
    numbers = {case.number for case, _ in fetched}
    assert breached in numbers and young not in numbers
    assert {case.number: kinds for case, kinds in fetched}[breached] == {
        "first_response_warning",
        "first_response_breach",
    }
    # Noted if absent: the same alert again (another process's check) is not posted twice.
    assert not await sqlite_db.assignment.alert_once(breached, "first_response_breach")
    assert await sqlite_db.assignment.alert_once(breached, "resolution_warning")
