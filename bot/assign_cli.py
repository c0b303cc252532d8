"""Assignment commands: an agent's capacity, skills, status and Telegram link; the roster."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.app import open_stores
from bot.cli_support import (
    JsonFlag,
    UserError,
    actor_of,
    out,
    print_json,
    run_async,
    settings_of,
    table,
)
from bot.web.auth import account_name
from crm_memory import AlreadyExists, InvalidInput
from crm_memory.assignment import AgentProfile, AgentStatus
from handlers.assignment import parse_skills


def agents_set(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The agent (their desk account's name).")],
    capacity: Annotated[
        int | None, typer.Option(help="Open cases at once (default: agents.capacity).")
    ] = None,
    skills: Annotated[
        str | None, typer.Option(help="Languages and topics, e.g. zh,en,returns ('' clears).")
    ] = None,
    telegram: Annotated[
        int | None, typer.Option(help="Telegram user id that acts as this agent in the group.")
    ] = None,
    status: Annotated[AgentStatus | None, typer.Option(case_sensitive=False)] = None,
) -> None:
    """Set how an agent takes cases; agents with a profile get new escalations assigned."""
    settings = settings_of(ctx)
    name = account_name(name)

    async def go() -> AgentProfile:
        async with open_stores(settings) as stores:
            if await stores.db.accounts.agent(name) is None:
                raise UserError(
                    f"no desk account named {name!r}: `python -m bot agents add {name}` first "
                    "(an agent who works only in Telegram needs one too: it is their name)"
                )
            try:
                profile = await stores.db.assignment.set_profile(
                    name,
                    capacity=capacity,
                    skills=parse_skills(skills) if skills is not None else None,
                    telegram_user_id=telegram,
                    status=status,
                )
            except (InvalidInput, AlreadyExists) as exc:
                raise UserError(str(exc)) from None
            await stores.db.audit.write(
                actor=actor_of(ctx), action="agent profile set", detail=_describe(profile)
            )
            return profile

    profile = run_async(go())
    out.print(_describe(profile, default=settings.agents.capacity))


def _describe(profile: AgentProfile, *, default: int | None = None) -> str:
    room = profile.capacity if profile.capacity is not None else f"{default} (default)"
    link = f" · telegram {profile.telegram_user_id}" if profile.telegram_user_id else ""
    return (
        f"{profile.name}: {profile.status.value} · capacity {room} · skills "
        f"{','.join(profile.skills) or 'any'}{link}"
    )


def agents_roster(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Agents' status, capacity, skills and the open cases each holds now."""
    settings = settings_of(ctx)

    async def go() -> tuple[list[AgentProfile], dict[str, int], int]:
        async with open_stores(settings) as stores:
            store = stores.db.assignment
            return await store.profiles(), await store.load(), len(await store.waiting())

    profiles, load, waiting = run_async(go())
    if as_json:
        print_json({"agents": profiles, "load": load, "waiting": waiting})
        return
    default = settings.agents.capacity
    rows = [
        (
            p.name,
            p.status.value,
            f"{load.get(p.name, 0)}/{p.capacity if p.capacity is not None else default}",
            ",".join(p.skills) or "any",
            str(p.telegram_user_id or "-"),
        )
        for p in profiles
    ]
    if not profiles:
        out.print("no agent profiles: `python -m bot agents set NAME --capacity 3 --skills en`")
        return
    out.print(table("roster", ("agent", "status", "cases", "skills", "telegram"), rows))
    out.print(f"{waiting} case(s) waiting in the queue")
