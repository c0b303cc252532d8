"""Service levels: first response and resolution targets per priority, counted in business hours."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from crm_memory import Case, Priority
from crm_memory.assignment import AssignmentStore
from handlers.desk import AgentDesk
from handlers.hours import BusinessHours

logger = logging.getLogger(__name__)

FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"
WARNING = "warning"
BREACH = "breach"


def working_time(hours: BusinessHours | None, start: datetime, end: datetime) -> timedelta:
    """How much of ``start``..``end`` falls inside business hours (all of it when there are no
    hours). Counted in real elapsed time, so a window spanning a DST change is an hour
    shorter or longer than its wall-clock length."""
    if end <= start:
        return timedelta(0)
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if hours is None or not hours.windows:
        return end - start
    total = timedelta(0)
    first = start.astimezone(hours.zone).date()
    last = end.astimezone(hours.zone).date()
    date = first
    while date <= last:
        for day, opens, closes in hours.windows:
            if day != date.weekday():
                continue
            # Both ends to UTC before subtracting: aware datetimes sharing a tzinfo subtract
            # as wall-clock times, which is wrong across a DST change.
            begin = datetime.combine(date, opens, hours.zone).astimezone(UTC)
            finish = datetime.combine(date, closes, hours.zone).astimezone(UTC)
            overlap = min(finish, end) - max(begin, start)
            if overlap > timedelta(0):
                total += overlap
        date += timedelta(days=1)
    return total


@dataclass(frozen=True, slots=True)
class SlaTarget:
    """How long (in business hours) the first answer and the resolution may take."""

    first_response: timedelta
    resolution: timedelta

    def of(self, kind: str) -> timedelta:
        return self.first_response if kind == FIRST_RESPONSE else self.resolution


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """Targets per priority (a priority without one has no SLA); warn at ``warn_at`` of it."""

    targets: Mapping[Priority, SlaTarget] = field(default_factory=dict)
    warn_at: float = 0.8


@dataclass(frozen=True, slots=True)
class Clocked:
    """One SLA clock of a case: how much business time has run against its target, and
    whether it stopped (answered, resolved)."""

    kind: str
    used: timedelta
    target: timedelta
    stopped: bool

    @property
    def met(self) -> bool | None:
        """True/False once decided (stopped, or breached while running); None while running."""
        if self.used > self.target:
            return False
        return True if self.stopped else None

    def level(self, warn_at: float) -> str | None:
        """BREACH, WARNING or None for a running clock."""
        if self.stopped:
            return None
        if self.used >= self.target:
            return BREACH
        if self.used >= self.target * warn_at:
            return WARNING
        return None


def clocks(
    case: Case, policy: SlaPolicy, hours: BusinessHours | None, now: datetime
) -> list[Clocked]:
    """A case's SLA clocks, started when it was handed to people (or opened)."""
    target = policy.targets.get(case.priority)
    if target is None:
        return []
    start = case.escalated_at or case.opened_at
    answered, resolved = case.first_response_at, case.closed_at
    return [
        Clocked(
            FIRST_RESPONSE,
            working_time(hours, start, answered or resolved or now),
            target.first_response,
            stopped=(answered or resolved) is not None,
        ),
        Clocked(
            RESOLUTION,
            working_time(hours, start, resolved or now),
            target.resolution,
            bool(resolved),
        ),
    ]


def sla_due(
    case: Case, policy: SlaPolicy, hours: BusinessHours | None, now: datetime
) -> str | None:
    """What the desk shows beside an open case: ``first response breached``, ``resolution
    due in 12 min`` (from the warning on), or None."""
    shown = None
    for clock in clocks(case, policy, hours, now):
        level = clock.level(policy.warn_at)
        if level == BREACH:
            return f"{_WORDS[clock.kind]} breached"
        if level == WARNING and shown is None:
            shown = f"{_WORDS[clock.kind]} due in {_minutes(clock.target - clock.used)} min"
    return shown


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


_WORDS = {FIRST_RESPONSE: "first response", RESOLUTION: "resolution"}


def alert_text(case: Case, clock: Clocked, level: str) -> str:
    """What agents read: the case, its priority, the clock, time left or over, its owner."""
    owner = case.owner or "unassigned"
    what = _WORDS[clock.kind]
    if level == BREACH:
        return (
            f"🚨 SLA breached: #{case.number} ({case.priority.value}) {what} target "
            f"{_minutes(clock.target)} working min, {_minutes(clock.used)} used · {owner}"
        )
    left = _minutes(clock.target - clock.used)
    return (
        f"⚠️ SLA: #{case.number} ({case.priority.value}) {what} due in {left} working min "
        f"({_minutes(clock.used)} of {_minutes(clock.target)} used) · {owner}"
    )


class SlaWatch:
    """Warns the desk at ``warn_at`` of a target and alerts at breach, once per case each."""

    def __init__(
        self,
        *,
        store: AssignmentStore,
        policy: SlaPolicy,
        hours: BusinessHours | None,
        clock: Callable[[], datetime],
    ) -> None:
        self._store = store
        self.policy = policy
        self._hours = hours
        self._clock = clock

    async def check(self, desk: AgentDesk) -> list[str]:
        """Post what is due now; returns the alerts posted as ``#N kind level``.

        One query a check: only cases escalated long enough ago to be near a target (no
        more business time can have run than real time), with the alerts each had; an
        alert is noted if absent, so a check run by several processes posts it once.
        """
        now = self._clock()
        near = {
            priority: now - min(target.first_response, target.resolution) * self.policy.warn_at
            for priority, target in self.policy.targets.items()
        }
        posted = []
        for case, alerted in await self._store.sla_open(escalated_before=near):
            for clock in clocks(case, self.policy, self._hours, now):
                level = clock.level(self.policy.warn_at)
                if level is None or f"{clock.kind}_{level}" in alerted:
                    continue
                if level == BREACH and f"{clock.kind}_{WARNING}" not in alerted:
                    # A breach found first (the bot was down) needs no warning after it.
                    await self._store.alert_once(case.number, f"{clock.kind}_{WARNING}")
                if not await self._store.alert_once(case.number, f"{clock.kind}_{level}"):
                    continue
                await desk.alert(alert_text(case, clock, level), case_number=case.number)
                posted.append(f"#{case.number} {clock.kind} {level}")
        return posted


@dataclass(frozen=True, slots=True)
class SlaLine:
    """SLA results of one group of cases (a priority, an agent): how many clocks were met of
    those decided, the met share in per cent (None: none decided yet), and the average time
    to first response and to resolution in business minutes."""

    name: str
    cases: int
    first_response_met: int
    first_response_decided: int
    first_response_met_percent: float | None
    resolution_met: int
    resolution_decided: int
    resolution_met_percent: float | None
    first_response_minutes: float | None
    resolution_minutes: float | None


@dataclass(frozen=True, slots=True)
class SlaReport:
    """SLA met % by priority and by agent, with first response and resolution times counted
    in business hours."""

    by_priority: tuple[SlaLine, ...]
    by_agent: tuple[SlaLine, ...]


def _percent(met: int, decided: int) -> float | None:
    return round(100.0 * met / decided, 1) if decided else None


def _line(name: str, group: list[tuple[Case, list[Clocked]]]) -> SlaLine:
    def part(kind: str) -> tuple[int, int, float | None]:
        decided = [c for _, cs in group for c in cs if c.kind == kind and c.met is not None]
        done = [c.used for _, cs in group for c in cs if c.kind == kind and c.stopped]
        avg = sum(done, timedelta(0)).total_seconds() / 60 / len(done) if done else None
        return (
            sum(1 for c in decided if c.met),
            len(decided),
            None if avg is None else round(avg, 1),
        )

    fr, res = part(FIRST_RESPONSE), part(RESOLUTION)
    return SlaLine(
        name=name,
        cases=len(group),
        first_response_met=fr[0],
        first_response_decided=fr[1],
        first_response_met_percent=_percent(fr[0], fr[1]),
        resolution_met=res[0],
        resolution_decided=res[1],
        resolution_met_percent=_percent(res[0], res[1]),
        first_response_minutes=fr[2],
        resolution_minutes=res[2],
    )


def sla_report(
    cases: Iterable[Case], policy: SlaPolicy, hours: BusinessHours | None, now: datetime
) -> SlaReport:
    """SLA figures over the escalated cases given (a clock still running and not breached is
    not decided yet, so it counts neither way)."""
    clocked = [(c, clocks(c, policy, hours, now)) for c in cases if c.escalated_at is not None]
    clocked = [(c, cs) for c, cs in clocked if cs]
    by_priority = [
        _line(p.value, [(c, cs) for c, cs in clocked if c.priority is p])
        for p in sorted(Priority, key=lambda p: -p.rank)
        if any(c.priority is p for c, _ in clocked)
    ]
    agents = sorted({c.owner or "unassigned" for c, _ in clocked})
    by_agent = [
        _line(a, [(c, cs) for c, cs in clocked if (c.owner or "unassigned") == a]) for a in agents
    ]
    return SlaReport(tuple(by_priority), tuple(by_agent))


def default_policy() -> SlaPolicy:
    """The shipped targets (config.yml's ``agents.sla``)."""
    return SlaPolicy(targets=default_targets())


def default_targets() -> dict[Priority, SlaTarget]:
    """What a small team can keep: minutes of business time."""

    def m(minutes: int) -> timedelta:
        return timedelta(minutes=minutes)

    return {
        Priority.URGENT: SlaTarget(m(15), m(240)),
        Priority.HIGH: SlaTarget(m(30), m(480)),
        Priority.NORMAL: SlaTarget(m(60), m(1440)),
        Priority.LOW: SlaTarget(m(240), m(2880)),
    }
