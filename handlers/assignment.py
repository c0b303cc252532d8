"""Who gets a new case: round robin among online agents with room and the right skill; the queue."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from crm_memory import Case, CaseStatus, NotFound
from crm_memory.assignment import AUTO, HANDED_BACK, AgentProfile, AgentStatus, AssignmentStore
from crm_memory.protocols import CaseStore, CustomerStore
from handlers.desk import AgentDesk

logger = logging.getLogger(__name__)

# A skill that looks like a language code (en, zh, pt-br) is a language; anything else a topic.
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})?$")
_EPOCH = datetime.min.replace(tzinfo=UTC)


class AssignmentError(Exception):
    """A transfer or status change cannot be done; the message says why, for the agent."""


def languages(skills: Iterable[str]) -> set[str]:
    """The language codes among an agent's skills."""
    return {s for s in skills if _LANGUAGE.match(s)}


def topics(skills: Iterable[str]) -> set[str]:
    """The topics among an agent's skills (everything that is not a language code)."""
    return {s for s in skills if not _LANGUAGE.match(s)}


def parse_skills(text: str) -> tuple[str, ...]:
    """``"zh, EN,returns"`` -> ``("zh", "en", "returns")``; blanks dropped, order kept."""
    seen: dict[str, None] = {}
    for part in re.split(r"[,\s，、]+", text):
        skill = part.strip().lower()
        if skill:
            seen.setdefault(skill, None)
    return tuple(seen)


@dataclass(frozen=True, slots=True)
class AssignPolicy:
    """``auto``: new escalations are given out; ``capacity``: open cases an agent with no
    capacity of their own holds at once."""

    auto: bool = True
    capacity: int = 3


def capacity(profile: AgentProfile, policy: AssignPolicy) -> int:
    return policy.capacity if profile.capacity is None else profile.capacity


def speaks(profile: AgentProfile, language: str | None) -> bool:
    """An agent with no language skills takes any language; a customer whose language is
    unknown can go to anyone."""
    spoken = languages(profile.skills)
    return not spoken or language is None or language.split("-")[0].lower() in spoken


def pick(
    profiles: Sequence[AgentProfile],
    *,
    load: dict[str, int],
    language: str | None,
    topic: str | None,
    policy: AssignPolicy,
) -> AgentProfile | None:
    """The next agent for a case, round robin: online, with room, speaking the customer's
    language; among them those who know the case's topic if any do; then the one who was
    given a case longest ago (never: first), by name on a tie."""
    eligible = [
        p
        for p in profiles
        if p.status is AgentStatus.ONLINE
        and load.get(p.name, 0) < capacity(p, policy)
        and speaks(p, language)
    ]
    if topic:
        experts = [p for p in eligible if topic.lower() in topics(p.skills)]
        eligible = experts or eligible
    if not eligible:
        return None
    return min(eligible, key=lambda p: (p.last_assigned_at or _EPOCH, p.name))


def queue_order(cases: Iterable[Case]) -> list[Case]:
    """Waiting cases in the order they are given out: most urgent first, then oldest."""
    return sorted(cases, key=lambda c: (-c.priority.rank, c.escalated_at or c.opened_at, c.number))


class Router:
    """Gives out escalated cases, keeps the record, and tells the desk who has what.

    ``desk`` is set by the wiring once the channel hosting the agents exists.
    """

    def __init__(
        self,
        *,
        store: AssignmentStore,
        cases: CaseStore,
        customers: CustomerStore,
        policy: AssignPolicy,
    ) -> None:
        self._store = store
        self._cases = cases
        self._customers = customers
        self.policy = policy
        self.desk: AgentDesk | None = None
        # One process gives out one case at a time, so two escalations in the same instant
        # cannot both fill an agent's last free slot.
        self._lock = asyncio.Lock()

    async def active(self) -> bool:
        """Cases are given out: auto-assignment is on and agents have profiles."""
        return self.policy.auto and bool(await self._store.profiles())

    async def agent_for_telegram(self, user_id: int) -> str | None:
        """The agent name linked to a Telegram user, if any."""
        profile = await self._store.by_telegram(user_id)
        return profile.name if profile is not None else None

    async def escalated(self, case: Case) -> str | None:
        """A new escalation: give it to an agent now or say it waits. Returns the agent."""
        given = await self._drain()
        if given is None:
            return None
        agent = given.get(case.number)
        if agent is None and (await self._cases.get(case.number)).owner is None:
            customer = await self._customers.get(case.customer_id)
            who = f" who speaks {customer.language}" if customer.language else ""
            await self._say(
                f"⏳ #{case.number} waits in the queue: no online agent{who} has room.",
                case.number,
            )
        return agent

    async def drain(self) -> dict[int, str]:
        """Give out waiting cases while agents have room; returns case -> agent."""
        return await self._drain() or {}

    async def _drain(self) -> dict[int, str] | None:
        """``drain``, or None when cases are not given out (auto off, no profiles). The
        profiles are read once: the round robin's order is kept up to date here."""
        if not self.policy.auto:
            return None
        given: dict[int, str] = {}
        async with self._lock:
            profiles = await self._store.profiles()
            if not profiles:
                return None
            load = await self._store.load()
            for case in queue_order(await self._store.waiting()):
                customer = await self._customers.get(case.customer_id)
                chosen = await self._give(case, profiles, load, customer.language)
                if chosen is None:
                    continue  # a later case may fit someone else (another language)
                # Round robin goes on from the one just chosen: given a case last of all
                # (as the store now records it, without reading the profile back).
                given_at = [p.last_assigned_at for p in profiles if p.last_assigned_at]
                latest = max([datetime.now(UTC), *given_at]) + timedelta(microseconds=1)
                profiles = [
                    replace(p, last_assigned_at=latest) if p.name == chosen.name else p
                    for p in profiles
                ]
                given[case.number] = chosen.name
        for number, agent in given.items():
            await self._say(f"👤 #{number} is assigned to {agent} (auto).", number)
        return given

    async def _give(
        self,
        case: Case,
        profiles: list[AgentProfile],
        load: dict[str, int],
        language: str | None,
    ) -> AgentProfile | None:
        """Give the case to the next agent with room; ``load`` is kept up to date. The store
        checks the room again as it writes: another worker may have filled an agent's last
        slot (or taken the case) since ``load`` was read."""
        for _ in profiles:
            chosen = pick(
                profiles, load=load, language=language, topic=case.topic, policy=self.policy
            )
            if chosen is None:
                return None
            room = capacity(chosen, self.policy)
            given = await self._store.assign_if_room(
                case.number, chosen.name, capacity=room, by=AUTO, reason="auto"
            )
            if given is not None:
                load[chosen.name] = load.get(chosen.name, 0) + 1
                return chosen
            load.clear()
            load.update(await self._store.load())
            if (await self._cases.get(case.number)).owner is not None:
                return None  # another worker gave it out
        return None

    async def set_status(self, name: str, status: AgentStatus) -> AgentProfile:
        """An agent comes online (cases waiting may go to them), steps away or leaves."""
        profile = await self._store.set_profile(name, status=status)
        if status is AgentStatus.ONLINE:
            await self.drain()
        return profile

    async def took(self, number: int, agent: str) -> None:
        """Someone took a case by hand (replied to it, /take): recorded when it changes hands."""
        record = await self._store.assignments(number)
        if record and record[-1].agent == agent:
            return
        await self._store.assign(number, agent, by=agent, reason="taken")

    async def released(self, number: int, *, by: str, reason: str) -> None:
        """A case left an agent's hands (closed, handed back): record it, give out the queue."""
        await self._store.assign(number, None, by=by, reason=reason)
        await self.drain()

    async def handed_back(self, number: int) -> bool:
        """True when the case's last change of hands gave it back to the bot (an agent's
        handback): off the agent's hands, and not waiting in the queue either."""
        record = await self._store.assignments(number)
        return bool(record) and record[-1].reason == HANDED_BACK

    async def resolve(self, name: str) -> str:
        """The agent a lead or colleague means by ``name`` (any case, with or without @)."""
        wanted = name.strip().lstrip("@").casefold()
        if not wanted:
            raise AssignmentError("to whom? /transfer NAME")
        profiles = await self._store.profiles()
        for profile in profiles:
            if profile.name.casefold() == wanted:
                return profile.name
        if profiles:
            known = ", ".join(p.name for p in profiles)
            raise AssignmentError(f"no agent named {name!r}; agents: {known}")
        return name.strip().lstrip("@")  # no profiles: any name, as with /take

    async def transfer(self, number: int, to: str, *, by: str) -> Case:
        """Give a case to a named agent (capacity is the lead's call here, not checked)."""
        agent = await self.resolve(to)
        try:
            case = await self._cases.get(number)
        except NotFound as exc:
            raise AssignmentError(f"there is no case #{number}") from exc
        if case.status is CaseStatus.CLOSED:
            raise AssignmentError(f"case #{number} is closed")
        if case.owner == agent:
            raise AssignmentError(f"#{number} is {agent}'s already")
        moved = await self._store.assign(number, agent, by=by, reason="transfer")
        await self._say(f"🔀 #{number} transferred to {agent} by {by}.", number)
        await self.drain()  # the one it came from may have room for a waiting case now
        return moved

    async def _say(self, text: str, number: int) -> None:
        if self.desk is not None:
            await self.desk.alert(text, case_number=number)
