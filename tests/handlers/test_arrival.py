"""'If I order tonight, will it come by Friday?': the cut-off and delivery days as dates, and
the named day answered yes / maybe / no for standard and express (issue #15)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from handlers.arrival import ShippingTimes, by_day, needed_by
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import make_say

TIMES = ShippingTimes()
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ordered", "leaves"),
    [
        (MONDAY_10, date(2026, 11, 23)),  # before the cut-off: the same day
        (datetime(2026, 11, 23, 15, 0, tzinfo=UTC), date(2026, 11, 24)),  # after: next day
        (datetime(2026, 11, 27, 16, 0, tzinfo=UTC), date(2026, 11, 30)),  # Friday late: Monday
        (datetime(2026, 11, 28, 9, 0, tzinfo=UTC), date(2026, 11, 30)),  # Saturday: Monday
    ],
)
def test_an_order_leaves_on_the_next_working_day_after_the_cut_off(
    ordered: datetime, leaves: date
) -> None:
    assert TIMES.leaves(ordered) == leaves


def test_the_cut_off_is_in_the_shops_time_zone() -> None:
    # 13:30 UTC is 21:30 in Shanghai: past a 14:00 cut-off there.
    shanghai = ShippingTimes(zone=ZoneInfo("Asia/Shanghai"))
    assert shanghai.leaves(datetime(2026, 11, 23, 13, 30, tzinfo=UTC)) == date(2026, 11, 24)
    assert TIMES.leaves(datetime(2026, 11, 23, 13, 30, tzinfo=UTC)) == date(2026, 11, 23)


@pytest.mark.parametrize(
    ("now", "text", "standard", "express"),
    [
        (MONDAY_10, "if i order now will it come by friday", "yes", "yes"),
        (MONDAY_10, "order now, there by thursday?", "maybe", "yes"),
        (MONDAY_10, "ok ill order tonight, will it come by wednesday", "no", "yes"),
        (MONDAY_10, "今晚下单明天能到吗", "no", "no"),
        (MONDAY_10, "现在下单周五前能到吗", "yes", "yes"),
        (
            datetime(2026, 11, 27, 16, 0, tzinfo=UTC),
            "if i order now will it be there monday",
            "no",
            "no",
        ),
    ],
)
def test_the_day_named_is_answered_for_standard_and_express(
    now: datetime, text: str, standard: str, express: str
) -> None:
    verdict = by_day(TIMES, now, text)
    assert verdict is not None
    assert (verdict.standard, verdict.express) == (standard, express)


def test_no_day_or_two_days_named_is_left_to_the_times_answer() -> None:
    assert by_day(TIMES, MONDAY_10, "if i order now when will it come") is None
    assert by_day(TIMES, MONDAY_10, "if i order on monday is it there wednesday") is None


def test_nonsense_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="standard_days"):
        ShippingTimes(standard_days=(4, 2))
    with pytest.raises(ValueError, match="express_days"):
        ShippingTimes(express_days=0)


@pytest.fixture
def monday_dispatcher(deps: Deps, engine: BuiltinEngine) -> Dispatcher:
    return Dispatcher(
        deps=replace(deps, clock=lambda: MONDAY_10, shipping=ShippingTimes(cut_off=time(14, 0))),
        nlu=engine,
    )


@pytest.mark.parametrize(
    ("language", "text", "wanted"),
    [
        ("en", "if i order the kettle tonight will it come by wednesday", ["Wednesday 25 Nov"]),
        ("en", "say i buy it now, can it arrive by friday?", ["Friday 27 Nov", "Yes"]),
        ("zh", "现在下单周五前能到吗", ["11月27日", "可以"]),
        ("zh", "今晚拍的话明天能到不", ["11月24日", "加急"]),
    ],
)
async def test_a_customer_asking_by_a_day_gets_the_dates(
    monday_dispatcher: Dispatcher, language: str, text: str, wanted: list[str]
) -> None:
    say = make_say(monday_dispatcher, f"arrival-{len(text)}-{language}", "Mo", language)
    joined = " ".join(r.text for r in await say(text))
    for word in wanted:
        assert word in joined


def test_the_day_of_ordering_is_not_the_day_asked_about() -> None:
    assert by_day(TIMES, MONDAY_10, "亲 明天下单的话几天到") is None
    assert by_day(TIMES, MONDAY_10, "if i order tomorrow how long") is None
    # Ordered another day: its cut-off is unknown, so the times answer it, not a guess.
    assert by_day(TIMES, MONDAY_10, "if i buy it tomorrow will it come by friday") is None
    verdict = by_day(TIMES, MONDAY_10, "if i buy it today will it come by friday")
    assert verdict is not None and verdict.target == date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "needed"),
    [
        ("make sure it comes this week, its a birthday present", date(2026, 11, 29)),
        ("i really need it before saturday", date(2026, 11, 28)),
        ("gotta have it by the weekend", date(2026, 11, 28)),
        ("need it next monday", date(2026, 11, 30)),
        ("下周一之前一定要到啊 是生日礼物", date(2026, 11, 30)),
        ("周五之前必须到 送人的", date(2026, 11, 27)),
        ("下周五前必须到", date(2026, 12, 4)),
        ("where is my order", None),
        ("will it come by friday", None),  # a question, no need said: the times answer it
    ],
)
def test_the_day_a_parcel_is_needed_by(text: str, needed: date | None) -> None:
    monday = datetime(2026, 11, 23, 10, tzinfo=UTC)
    assert needed_by(monday, UTC, text) == needed
