"""The agents' business hours: whether people are there now, and when they are back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPEC = re.compile(
    r"^\s*(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
    r"(?P<open>\d{1,2}:\d{2})\s*-\s*(?P<close>\d{1,2}:\d{2})\s*$",
    re.IGNORECASE,
)


class HoursError(ValueError):
    """A business-hours line is not of the form ``Mon-Fri 09:00-18:00``."""


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """Opening times per weekday in one time zone; no lines means always open."""

    windows: tuple[tuple[int, time, time], ...]
    zone: ZoneInfo

    @classmethod
    def parse(cls, lines: list[str], zone: str) -> BusinessHours:
        """From lines like ``Mon-Fri 09:00-18:00`` and ``Sat 10:00-14:00``."""
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise HoursError(f"unknown time zone {zone!r}; use e.g. Europe/Berlin") from exc
        windows = []
        for line in lines:
            match = _SPEC.match(line)
            if match is None:
                raise HoursError(f"{line!r} is not like 'Mon-Fri 09:00-18:00'")
            first = match.group("first").lower()
            last = (match.group("last") or first).lower()
            if first not in DAYS or last not in DAYS:
                raise HoursError(f"{line!r}: days are {', '.join(DAYS)}")
            opens, closes = (time.fromisoformat(match.group(k).zfill(5)) for k in ("open", "close"))
            if closes <= opens:
                raise HoursError(f"{line!r}: closes before it opens")
            for day in range(DAYS.index(first), DAYS.index(last) + 1):
                windows.append((day, opens, closes))
        return cls(windows=tuple(windows), zone=tz)

    def is_open(self, at: datetime) -> bool:
        """Are agents working at this moment?"""
        if not self.windows:
            return True
        local = at.astimezone(self.zone)
        return any(
            day == local.weekday() and opens <= local.time() < closes
            for day, opens, closes in self.windows
        )

    def next_open(self, at: datetime) -> datetime:
        """When agents are next at work (``at`` itself when open now)."""
        if self.is_open(at):
            return at
        local = at.astimezone(self.zone)
        for ahead in range(8):
            date = (local + timedelta(days=ahead)).date()
            starts = sorted(
                datetime.combine(date, opens, self.zone)
                for day, opens, _ in self.windows
                if day == date.weekday()
            )
            for start in starts:
                if start > local:
                    return start
        return at
