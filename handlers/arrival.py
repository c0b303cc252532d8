"""When an order placed now would arrive: "if i order tonight will it come by friday",
"今天下单周五前能到吗". The shop's cut-off and delivery times (config
``conversation.shipping``) turned into dates in the shop's time zone, and the named day
answered plainly: standard delivery yes / maybe / no, express yes / no."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from handlers.hours import DAY_NAMES, day_ahead, days_named

# Ordered "tonight": after the cut-off, whatever the time is now.
_TONIGHT = re.compile(r"\btonight\b|\bthis evening\b|\blater today\b|今晚|晚上(?:下单|买|拍)", re.I)

# The day of ordering, not the day asked about: "if i order tomorrow", "明天下单", "buy it
# on monday".
_ORDER_DAY = re.compile(
    r"\b(?:order|buy|purchase|get)(?:ed|ing)? (?:it |one |this |that |them )?(?:on )?"
    r"(?:tonight|today|tomorrow|tmrw?|mon|tues|wednes|thurs|fri|satur|sun)(?:day)?\b|"
    r"(?:今天|今晚|明天|明儿|后天|(?:周|星期|礼拜)[一二三四五六日天])(?:就|再)?(?:下单|买|拍|付款|订)",
    re.IGNORECASE,
)

_TODAY = re.compile(r"\b(?:tonight|today)\b|今天|今晚", re.IGNORECASE)

# Days the warehouse ships and couriers count as working days: Monday to Friday.
WORKING_DAYS = frozenset(range(5))


@dataclass(frozen=True)
class ShippingTimes:
    """Orders placed on a working day before ``cut_off`` leave the same day, later ones the
    next working day; standard delivery takes ``standard_days`` (fewest, most) working days
    after that, express ``express_days``."""

    cut_off: time = time(14, 0)
    standard_days: tuple[int, int] = (2, 4)
    express_days: int = 1
    zone: tzinfo = field(default=UTC)

    def __post_init__(self) -> None:
        fewest, most = self.standard_days
        if not 0 < fewest <= most or self.express_days < 1:
            raise ValueError(
                "standard_days must be [fewest, most] working days (1 or more), "
                "express_days 1 or more"
            )

    def leaves(self, ordered: datetime) -> date:
        """The day an order placed at ``ordered`` leaves the warehouse."""
        local = ordered.astimezone(self.zone)
        day = local.date()
        if day.weekday() in WORKING_DAYS and local.time() < self.cut_off:
            return day
        return working_days_after(day, 1)

    def standard(self, ordered: datetime) -> tuple[date, date]:
        """The first and last day standard delivery may arrive."""
        left = self.leaves(ordered)
        fewest, most = self.standard_days
        return working_days_after(left, fewest), working_days_after(left, most)

    def express(self, ordered: datetime) -> date:
        """The day express delivery arrives."""
        return working_days_after(self.leaves(ordered), self.express_days)


def working_days_after(day: date, count: int) -> date:
    """The day ``count`` working days (Monday to Friday) after ``day``."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() in WORKING_DAYS:
            count -= 1
    return day


@dataclass(frozen=True)
class ByDay:
    """The answer to "will it come by <day>": the day asked about and how each way fares."""

    target: date
    standard: str  # "yes": even the slowest standard delivery is there by then; "maybe"; "no"
    express: str  # "yes" or "no"
    standard_first: date
    standard_last: date
    express_day: date


def by_day(times: ShippingTimes, now: datetime, text: str) -> ByDay | None:
    """For a question naming a day ("by friday", "周五前", "by tomorrow"), whether an order
    placed now (tonight: after the cut-off) arrives by then; None when no day is named."""
    today = now.astimezone(times.zone).date()
    ordering = _ORDER_DAY.search(text)
    if ordering is not None and not _TODAY.search(ordering.group()):
        return None  # ordered another day ("if i order on monday"): the times answer it
    asked = _ORDER_DAY.sub(" ", text)
    days = days_named(asked)
    ahead = day_ahead(asked)
    if len(days) > 1:
        return None  # "order on monday, there by wednesday?": not read, the times answer it
    if days:
        # The next such day, today included ("by friday" on a Friday is today).
        target = today + timedelta(days=(days[0] - today.weekday()) % 7)
    elif ahead is not None and ahead > 0:
        target = today + timedelta(days=ahead)
    else:
        return None
    ordered = now
    if _TONIGHT.search(text):
        local = now.astimezone(times.zone)
        ordered = datetime.combine(local.date(), time(23, 0), tzinfo=times.zone)
    first, last = times.standard(ordered)
    quick = times.express(ordered)
    standard = "yes" if last <= target else "maybe" if first <= target else "no"
    return ByDay(
        target=target,
        standard=standard,
        express="yes" if quick <= target else "no",
        standard_first=first,
        standard_last=last,
        express_day=quick,
    )


# Said to need the parcel by a day: "make sure it comes this week", "i need it before
# saturday", "gotta have it by friday, its a gift", "下周一之前一定要到", "周五前必须到 送人的".
_NEEDS = re.compile(
    r"\bmake sure\b|\bneed(?:s|ed)?\b|\bmust\b|\bha(?:s|ve) to\b|\bgott?a\b|\bgot to\b|"
    r"\bin time\b|\bbirthday\b|\bb-?day\b|\bpresent\b|\bgift\b|\banniversary\b|"
    # Why it is urgent: an event, people coming ("i have 12 people coming thursday").
    r"\burgent\b|\basap\b|\bhurry\b|\brush\b|\bguests?\b|\bpeople coming\b|\bhosting\b|"
    r"\bparty\b|\bwedding\b|\btrip\b|\bdinner\b|\bvisitors?\b|"
    r"一定要|一定得|必须|务必|得在|要在|急用|赶得上|来得及|生日|礼物|送人|送礼|办酒|请客|来人|客人|"
    r"聚会|开学|要用|搬家|搬新家|出差|过来|早点|早些|尽早|快点|(?:前|之前|以前)(?:就)?(?:要|得)(?:送)?到",
    re.IGNORECASE,
)
# "this week", "by the weekend", "这周", "本周内".
_THIS_WEEK = re.compile(r"\bthis week\b|\bthe weekend\b|这周|本周|这个?星期|这个?礼拜", re.I)
# The weekday of next week: "下周一", "下个星期五"; "next monday" said on a Monday.
_NEXT_WEEK = re.compile(r"下个?(?:周|星期|礼拜)|\bnext week\b", re.IGNORECASE)
_NEXT = re.compile(r"\bnext (?:mon|tue|wed|thu|fri|sat|sun)", re.IGNORECASE)


def needed_by(now: datetime, zone: tzinfo, text: str) -> date | None:
    """The day the customer says they need the parcel by ("make sure it comes this week": this
    Sunday; "下周一之前一定要到": next week's Monday; "need it by friday"); None when they
    name no such day or say no need."""
    if _NEEDS.search(text) is None:
        return None
    today = now.astimezone(zone).date()
    days = days_named(text)
    ahead = day_ahead(text)
    if days:
        target = today + timedelta(days=(days[0] - today.weekday()) % 7)
        this_week = (target - today).days < 7 - today.weekday()
        if (_NEXT_WEEK.search(text) and this_week) or (_NEXT.search(text) and target == today):
            # "下周五" on a Monday: the Friday of next week, not this one.
            target += timedelta(days=7)
        return target
    if _THIS_WEEK.search(text):
        return today + timedelta(days=6 - today.weekday())
    if ahead is not None and ahead > 0:
        return today + timedelta(days=ahead)
    return None


MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(day: date, language: str) -> str:
    """``Friday 27 Nov`` / ``11月27日（周五）``."""
    name = DAY_NAMES.get(language, DAY_NAMES["en"])[day.weekday()]
    if language == "zh":
        return f"{day.month}月{day.day}日（{name}）"
    return f"{name} {day.day} {MONTHS_EN[day.month - 1]}"
