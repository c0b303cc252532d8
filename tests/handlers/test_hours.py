"""Business hours: open or closed, and when agents are back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.hours import BusinessHours, HoursError

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
