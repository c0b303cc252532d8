"""A past day the customer names ("last thursday", "上周四", "前天", "2 Nov"), as days back."""

from __future__ import annotations

import re
from datetime import date

_WEEKDAYS_EN = ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")
_WEEKDAYS_ZH = "一二三四五六日天"
_MONTHS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip

# "yesterday", "the day before yesterday", "昨天", "前天", "大前天".
_RELATIVE = (
    (re.compile(r"大前天"), None),
    (re.compile(r"\bday before yesterday\b|前天", re.IGNORECASE), 2),
    (re.compile(r"\byesterday\b|\byday\b|昨天|昨儿", re.IGNORECASE), 1),
)
# "last thursday", "on monday", "monday", "thurs": the latest such day (English).
_WEEKDAY_EN = re.compile(
    r"\b(last|this past|past|on|this)?\s*"
    r"(?:(mon|tues|wednes|thurs|fri|satur|sun)day|(tues|weds|thurs))\b",
    re.IGNORECASE,
)
# A day ahead, not past: "by friday", "next monday", "till tuesday".
_AHEAD = re.compile(r"\b(?:next|coming|till|until|til|by|before)\s*$", re.IGNORECASE)
# "上周四", "上个礼拜三", "周四", "星期四", "礼拜天": that day (上: of the week before).
_WEEKDAY_ZH = re.compile(r"(上上|上)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天])")
# What marks a day named as past, not one ahead or a bare "monday??" taken badly: "last",
# "上", yesterday, a date, or what was done that day ("sent", "collected", "寄", "取走").
_PAST = re.compile(
    r"\b(?:last|past|ago|yesterday|sent|posted|mailed|shipped|dropped|returned|collected|"
    r"picked|took|taken|handed|gave|came|was|were|did)\b|上(?:上)?(?:个)?(?:周|星期|礼拜)|昨|前天|"
    r"寄|取走|取件|揽收|送(?:到|去|回)|退(?:了|回)|交给|发(?:的|了|出)|\d+\s*(?:月|日|号)",
    re.IGNORECASE,
)
# "the 2nd of november", "2 nov", "november 2nd", "11月2日", "11月2号", "on the 2nd".
_DATE_EN = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})"
    r"(?:st|nd|rd|th)?\b|\bon the (\d{1,2})(?:st|nd|rd|th)\b",
    re.IGNORECASE,
)
_DATE_ZH = re.compile(r"(?:(\d{1,2})月)?(\d{1,2})(?:日|号)")


def marked_past(text: str) -> bool:
    """True when the text says its day is past ("last thursday", "sent it monday", "前天",
    "周四寄的"), not a bare day that may be ahead or a reaction ("monday??", "那礼拜天呢")."""
    return _PAST.search(text) is not None or _DATE_EN.search(text) is not None


def days_back(text: str, today: date) -> int | None:
    """How many days before ``today`` the day the text names was (0: today), or None when it
    names none. A weekday is the latest one before today ("on monday" said on a Thursday: 3);
    "上周四" is the Thursday of the week before this one, as Chinese counts weeks."""
    for pattern, days in _RELATIVE:
        if pattern.search(text):
            return 3 if days is None else days
    found = _WEEKDAY_ZH.search(text)
    if found is not None:
        weekday = min(_WEEKDAYS_ZH.index(found.group(2)), 6)
        back = today.weekday() - weekday
        if found.group(1):
            return back + 7 * len(found.group(1))
        return back if back >= 0 else back + 7
    found = _WEEKDAY_EN.search(text)
    if found is not None and not _AHEAD.search(text[: found.start()]):
        day = (found.group(2) or found.group(3)).lower()
        weekday = next(i for i, name in enumerate(_WEEKDAYS_EN) if name.startswith(day[:3]))
        back = (today.weekday() - weekday) % 7
        if (found.group(1) or "").lower() in ("last", "past", "this past"):
            # "last thursday" said on a Friday is the week before's (the day before would
            # be "yesterday").
            return back + 7 if back <= 1 else back
        return back
    return _date_back(text, today)


def _date_back(text: str, today: date) -> int | None:
    """Days back to a calendar date named ("2 nov", "11月2号"), the latest one not after today."""
    month, day = today.month, None
    found = _DATE_EN.search(text)
    if found is not None:
        if found.group(1):
            day, month = int(found.group(1)), _MONTHS.index(found.group(2).lower()[:3]) + 1
        elif found.group(3):
            month, day = _MONTHS.index(found.group(3).lower()[:3]) + 1, int(found.group(4))
        else:
            day = int(found.group(5))
    else:
        zh = _DATE_ZH.search(text)
        if zh is None:
            return None
        month = int(zh.group(1)) if zh.group(1) else month
        day = int(zh.group(2))
    for year in (today.year, today.year - 1):
        try:
            said = date(year, month, day)
        except ValueError:
            return None
        if said <= today:
            return (today - said).days
        if found is not None and found.group(5):
            month = month - 1 or 12  # "on the 28th" said on the 3rd: last month's
            year_back = today.year if month != 12 else today.year - 1
            try:
                return (today - date(year_back, month, day)).days
            except ValueError:
                return None
    return None
