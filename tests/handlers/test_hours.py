"""Business hours: open or closed, and when agents are back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.hours import (
    BusinessHours,
    HoursError,
    asks_person_now,
    back_at,
    closed_days,
    describe,
    when_words,
)

HOURS = BusinessHours.parse(["Mon-Fri 09:00-18:00", "Sat 10:00-14:00"], "Europe/Berlin")


@pytest.mark.parametrize(
    ("utc", "open_"),
    [
        ("2026-11-23T08:30", True),  # Monday 09:30 in Berlin (UTC+1)
        ("2026-11-23T07:30", False),  # 08:30 Berlin
        ("2026-11-23T17:00", False),  # 18:00 Berlin: closed
        ("2026-11-28T09:30", True),  # Saturday 10:30
        ("2026-11-29T11:00", False),  # Sunday
    ],
)
def test_is_open(utc: str, open_: bool) -> None:
    assert HOURS.is_open(datetime.fromisoformat(utc).replace(tzinfo=UTC)) is open_


def test_next_open() -> None:
    sunday = datetime(2026, 11, 29, 11, 0, tzinfo=UTC)
    back = HOURS.next_open(sunday)
    assert back.isoformat() == "2026-11-30T09:00:00+01:00"
    friday_night = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    assert HOURS.next_open(friday_night).isoformat() == "2026-11-28T10:00:00+01:00"
    monday = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    assert HOURS.next_open(monday) == monday


def test_no_hours_means_always_open() -> None:
    always = BusinessHours.parse([], "UTC")
    assert always.is_open(datetime(2026, 11, 29, 3, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("lines", "zone", "reason"),
    [
        (["Mon-Fri 9-18"], "UTC", "not like"),
        (["Mon-Fry 09:00-18:00"], "UTC", "days are"),
        (["Mon 18:00-09:00"], "UTC", "closes before"),
        ([], "Mars/Olympus", "time zone"),
    ],
)
def test_bad_lines(lines: list[str], zone: str, reason: str) -> None:
    with pytest.raises(HoursError, match=reason):
        BusinessHours.parse(lines, zone)


def test_described_from_the_configured_lines() -> None:
    # Days with the same times are grouped; the day without hours is named as closed.
    assert describe(HOURS, "en") == "Monday to Friday 09:00-18:00; Saturday 10:00-14:00"
    assert describe(HOURS, "zh") == "周一至周五 09:00-18:00；周六 10:00-14:00"
    assert closed_days(HOURS, "en") == "Sunday"
    weekdays = BusinessHours.parse(["Mon-Fri 08:00-20:00"], "UTC")
    assert closed_days(weekdays, "en") == "Saturday and Sunday"
    assert closed_days(weekdays, "zh") == "周六、周日"


def test_working_time_skips_the_hours_the_team_is_away() -> None:
    weekdays = BusinessHours.parse(["Mon-Fri 09:00-18:00"], "UTC")
    assert weekdays.working_day() == timedelta(hours=9)
    # Friday 15:00 + one working day: 3 h on Friday, 6 h on Monday (not Saturday 15:00).
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert weekdays.after_working(friday, timedelta(hours=9)) == datetime(
        2026, 11, 30, 15, 0, tzinfo=UTC
    )
    # Opened at night: the clock starts when the team does.
    night = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)
    assert weekdays.after_working(night, timedelta(hours=2)) == datetime(
        2026, 11, 25, 11, 0, tzinfo=UTC
    )


def test_when_words_name_today_and_tomorrow() -> None:
    now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday
    utc = BusinessHours.parse(["Mon-Fri 09:00-18:00"], "UTC")
    assert when_words(utc, now.replace(hour=15), now, "en") == "today (Tuesday) 15:00"
    assert when_words(utc, now + timedelta(days=1), now, "zh") == "明天（周三）10:00"
    assert when_words(utc, now + timedelta(days=3), now, "en") == "Friday 10:00"
    assert back_at(utc, datetime(2026, 11, 28, 12, 0, tzinfo=UTC), "en") == "Monday 09:00"


@pytest.mark.parametrize(
    ("text", "now"),
    [
        ("那我现在能找人工吗", True),
        ("现在可以转人工不", True),
        ("那能转人工吗", True),
        ("can i talk to someone now then", True),
        ("could i speak to a real person now", True),
        ("明天几点能找人工", False),
        ("现在有人工吗", False),
        ("can i talk to someone on sunday", False),
        ("when can i talk to someone", False),
    ],
)
def test_a_person_asked_for_now_is_not_the_hours(text: str, now: bool) -> None:
    assert asks_person_now(text) is now
