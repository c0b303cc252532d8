"""A past day named by the customer, counted back from the conversation's clock."""

from datetime import date

import pytest

from handlers.days_said import days_back, marked_past

THURSDAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("said", "days"),
    [
        ("sent it back last thursday", 7),
        ("returned it on monday", 3),
        ("the day before yesterday", 2),
        ("yesterday", 1),
        ("上周四寄回去了", 7),
        ("周一寄的", 3),
        ("前天快递取走的", 2),
        ("大前天", 3),
        ("posted it on the 2nd of november", 24),
        ("nov 2", 24),
        ("11月2号寄的", 24),
        ("on the 28th", 29),  # a day of the month still ahead: last month's
        ("by friday", None),
        ("next monday", None),
        ("no day at all", None),
    ],
)
def test_days_back(said: str, days: int | None) -> None:
    assert days_back(said, THURSDAY) == days


def test_last_weekday_said_the_day_after_is_the_week_before() -> None:
    assert days_back("last thursday", date(2026, 11, 27)) == 8


@pytest.mark.parametrize("said", ["monday?? are you serious", "那礼拜天呢", "周一??"])
def test_a_bare_day_is_not_marked_past(said: str) -> None:
    assert not marked_past(said)
