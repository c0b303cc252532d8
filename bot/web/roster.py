"""The API's assignment operations: the roster, an agent's status and profile, transfers."""

# No `from __future__ import annotations`: FastAPI reads the routes' local Agent/Lead types.

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Path
from pydantic import BaseModel, Field

from bot.cli_support import jsonable
from bot.web.auth import Principal
from bot.web.contract import CaseNumber, errors
from bot.web.fields import Name, checked
from bot.web.idempotency import HEADER, MAX_KEY, Once
from crm_memory import AlreadyExists, Case, InvalidInput, NotFound, Role, check_name
from crm_memory.assignment import AgentProfile, AgentStatus, AssignmentStore
from crm_memory.protocols import AccountStore
from handlers.agents import AgentService
from handlers.assignment import Router, parse_skills

Skill = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$")]


class ProfileBody(BaseModel):
    """What a lead sets; what is left out stays as it is."""

    capacity: Annotated[int | None, Field(ge=0, le=1000)] = None
    skills: Annotated[list[Skill] | None, Field(max_length=50)] = None
    telegram_user_id: Annotated[int | None, Field(ge=1, le=2**52)] = None
    status: AgentStatus | None = None


class StatusBody(BaseModel):
    status: AgentStatus


class TransferBody(BaseModel):
    to: Annotated[Name, Field(description="The agent who gets the case.")]


Key = Annotated[
    str | None,
    Header(alias=HEADER, max_length=MAX_KEY, description="Sent again, not done twice."),
]
AgentName = Annotated[
    str, Path(min_length=1, max_length=100, description="The agent."), checked(check_name)
]


def add_roster_routes(
    app: FastAPI,
    *,
    role: Callable[[Role], Callable[..., Awaitable[Principal]]],
    store: AssignmentStore,
    accounts: AccountStore,
    router: Router | None,
    agents: AgentService,
    capacity: int,
    audit: Callable[[Principal, str, int | None, str], Awaitable[None]],
    once: Once,
    case_out: Callable[[Case], Awaitable[dict[str, Any]]],
    case_changed: Callable[[int], Awaitable[None]],
) -> None:
    """Add /api/roster, /api/roster/{name}, /api/status and /api/cases/{number}/transfer."""
    Agent = Annotated[Principal, Depends(role(Role.AGENT))]  # noqa: N806
    Lead = Annotated[Principal, Depends(role(Role.LEAD))]  # noqa: N806

    def shown(profile: AgentProfile, load: dict[str, int]) -> dict[str, Any]:
        return {
            **jsonable(profile),
            "open_cases": load.get(profile.name, 0),
            "effective_capacity": capacity if profile.capacity is None else profile.capacity,
        }

    @app.get("/api/roster", tags=["assignment"], responses=errors(401))
    async def roster(who: Agent) -> dict[str, Any]:
        """Agents' status, capacity, skills and open cases, and how many cases wait."""
        load = await store.load()
        return {
            "agents": [shown(p, load) for p in await store.profiles()],
            "waiting": [c.number for c in await store.waiting()],
        }

    @app.put(
        "/api/roster/{name}",
        tags=["assignment"],
        responses=errors(401, 403, 404, 409, 413, 422),
    )
    async def set_profile(name: AgentName, payload: ProfileBody, who: Lead) -> dict[str, Any]:
        """Set an agent's capacity, skills, Telegram link or status (leads); the name is a
        desk account's (404 otherwise), the Telegram user one no other agent has (409)."""
        if await accounts.agent(name) is None:
            raise NotFound(f"no desk account named {name!r}: add it first")
        skills = payload.skills
        try:
            profile = await store.set_profile(
                name,
                capacity=payload.capacity,
                skills=parse_skills(",".join(skills)) if skills is not None else None,
                telegram_user_id=payload.telegram_user_id,
                status=payload.status,
            )
        except AlreadyExists as exc:
            raise HTTPException(409, str(exc)) from None
        await audit(who, "agent profile set", None, name)
        if router is not None and payload.status is AgentStatus.ONLINE:
            await router.drain()
        return shown(profile, await store.load())

    @app.put("/api/status", tags=["assignment"], responses=errors(401, 403, 413, 422))
    async def set_status(payload: StatusBody, who: Agent) -> dict[str, Any]:
        """The signed-in agent is online, away or offline (a token cannot be: 422)."""
        if ":" in who.name:
            raise InvalidInput("status", "an API token is not an agent; sign in to the desk")
        if router is not None:
            profile = await router.set_status(who.name, payload.status)
        else:
            profile = await store.set_profile(who.name, status=payload.status)
        return shown(profile, await store.load())

    @app.post(
        "/api/cases/{number}/transfer",
        tags=["cases"],
        responses=errors(401, 403, 404, 409, 413, 422),
    )
    async def transfer(
        number: CaseNumber, payload: TransferBody, who: Agent, key: Key = None
    ) -> dict[str, Any]:
        """Give the case to another agent; recorded with who did it and when."""

        async def first() -> dict[str, Any]:
            case = await agents.transfer(number, payload.to, by=who.name)
            await case_changed(number)
            return await case_out(case)

        async def repeat() -> dict[str, Any]:
            return await case_out(await agents.case(number))

        return await once.run(
            actor=who.name,
            key=key,
            request=f"case {number} transfer {payload.to}",
            act=first,
            repeat=repeat,
        )


async def desk_presence(
    store: AssignmentStore, router: Router | None, name: str, status: AgentStatus
) -> None:
    """Signing in to the desk puts an agent with a profile online, signing out offline (an
    agent without a profile is not given cases, so signing in does not make one)."""
    if await store.profile(name) is None:
        return
    if router is not None:
        await router.set_status(name, status)
    else:
        await store.set_profile(name, status=status)
