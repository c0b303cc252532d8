"""Agents' status, capacity and skills, the record of who was given each case, SLA alerts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from crm_memory.types import Case, Priority

AUTO = "auto"  # who assigned a case the router gave out
# The reason of a row that gives a case back to the bot: off the agent's hands, not queued.
HANDED_BACK = "handed back"


class AgentStatus(StrEnum):
    """Whether an agent is taking cases now."""

    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class AgentProfile:
    """How an agent takes cases: status, capacity (None: the configured default), skills
    (language codes such as ``zh`` and topics such as ``returns``), the Telegram user linked
    to the name, and when the agent was last given a case (for round robin)."""

    name: str
    status: AgentStatus
    capacity: int | None
    skills: tuple[str, ...]
    telegram_user_id: int | None
    status_at: datetime | None
    last_assigned_at: datetime | None


@dataclass(frozen=True, slots=True)
class Assignment:
    """One change of hands of a case: to ``agent`` (None: back to the queue or the bot), when,
    by whom (an agent's name, a lead's, or ``auto``) and why."""

    id: int
    case_number: int
    agent: str | None
    assigned_at: datetime
    assigned_by: str
    reason: str


@dataclass(frozen=True, slots=True)
class SlaAlert:
    """A warning or breach posted about a case, once per case and kind."""

    case_number: int
    kind: str
    at: datetime


class AssignmentStore(Protocol):
    """Agents' profiles, assignments and SLA alerts."""

    async def profiles(self) -> list[AgentProfile]:
        """Every agent with a profile, by name."""
        ...

    async def profile(self, name: str) -> AgentProfile | None:
        """One agent's profile, or None."""
        ...

    async def by_telegram(self, user_id: int) -> AgentProfile | None:
        """The profile linked to a Telegram user, or None."""
        ...

    async def set_profile(
        self,
        name: str,
        *,
        capacity: int | None = None,
        skills: tuple[str, ...] | None = None,
        telegram_user_id: int | None = None,
        status: AgentStatus | None = None,
    ) -> AgentProfile:
        """Create or change a profile; what is not given stays. Raises InvalidInput for a bad
        name or a capacity below 0, AlreadyExists when the Telegram user is someone else's."""
        ...

    async def assign(self, number: int, agent: str | None, *, by: str, reason: str) -> Case:
        """Give the case to ``agent`` (None: unassign) and record who did it and why."""
        ...

    async def assign_if_room(
        self, number: int, agent: str, *, capacity: int, by: str, reason: str
    ) -> Case | None:
        """Give a waiting case to ``agent`` only if they hold fewer than ``capacity`` open
        cases and nobody holds the case, checked and written as one step however many
        workers assign at once. None (nothing changed) when full or the case is taken."""
        ...

    async def assignments(self, number: int | None = None) -> list[Assignment]:
        """The record, oldest first: one case's, or every case's."""
        ...

    async def load(self) -> dict[str, int]:
        """How many open cases each agent holds now."""
        ...

    async def waiting(self) -> list[Case]:
        """Escalated open cases nobody holds and that were not handed back to the bot."""
        ...

    async def alert_once(self, number: int, kind: str) -> bool:
        """Note an SLA alert; False when this case already had one of this kind."""
        ...

    async def sla_open(
        self, *, escalated_before: Mapping[Priority, datetime]
    ) -> list[tuple[Case, frozenset[str]]]:
        """In one query: escalated cases still open whose priority is named and that were
        escalated before its cutoff (younger ones cannot be near a target yet), each with
        the kinds of SLA alert it already had."""
        ...

    async def alerts(self) -> list[SlaAlert]:
        """Every SLA alert posted, oldest first."""
        ...
