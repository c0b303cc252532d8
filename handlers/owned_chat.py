"""A message in a chat an agent owns: the agent answers it, and the customer is never left
talking to no one.

- **Quiet** while the agent is at work on it: they see the message on their desk, the bot
  says nothing (two voices in one chat confuse customers).
- **Hold**: the agent has not written to the customer for ``Deps.holding_after`` and nobody
  has since (not the bot either): one short reply says who has the case, that they were told,
  and, when the team is off, when it is back; the agents' chat is reminded. Once per quiet
  spell: the next one only after as long again without a word to the customer.
- **Back to the bot**: nothing from the agent for ``Deps.return_to_bot_after`` (a customer
  writing again days later): the chat is the bot's again and the bot answers this message,
  saying so first. The case stays open with the agent, who is told; their next reply takes
  the chat over again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from crm_memory import ChatOwner, Customer, Direction, Message, Sender
from handlers.agents import display_name
from handlers.hours import back_at
from handlers.turn import Deps

# How far back the customer's history is read for the agent's last word.
_LOOK_BACK = 40


class Verdict(Enum):
    """What the bot does with the message."""

    QUIET = "quiet"
    HOLD = "hold"
    BACK = "back"


@dataclass(frozen=True, slots=True)
class Silence:
    """How long the agent, and anyone, has not written to the customer."""

    agent: timedelta
    anyone: timedelta


async def silence(deps: Deps, owner: ChatOwner, customer: Customer, message: Message) -> Silence:
    """The time since the agent's last word (taking the chat counts as one) and since the
    customer last heard from anyone, read from the history before ``message``."""
    now = deps.clock()
    earlier = await deps.messages.history(customer.id, limit=_LOOK_BACK, before=message.id)
    out = [m for m in earlier if m.direction is Direction.OUT]
    agent_at = _latest(
        [m.created_at for m in out if m.sender is Sender.AGENT]
        + ([owner.since] if owner.since is not None else [])
    )
    anyone_at = _latest([m.created_at for m in out] + ([agent_at] if agent_at else []))
    if agent_at is None or anyone_at is None:
        # An owner from before the time was kept, and no word in the history read: treat
        # it as just taken rather than guess.
        return Silence(timedelta(0), timedelta(0))
    return Silence(agent=now - agent_at, anyone=now - anyone_at)


def verdict(deps: Deps, quiet: Silence) -> Verdict:
    """Quiet, a holding reply, or the chat back with the bot, by how long it has been."""
    if deps.return_to_bot_after and quiet.agent >= deps.return_to_bot_after:
        return Verdict.BACK
    if deps.holding_after and quiet.anyone >= deps.holding_after:
        return Verdict.HOLD
    return Verdict.QUIET


def holding_text(deps: Deps, owner: ChatOwner, language: str) -> str:
    """The holding reply: who has the case, that they know, when the team is back if away."""
    now = deps.clock()
    agent, number = display_name(owner.agent), owner.case_number
    if deps.hours is not None and not deps.hours.is_open(now):
        when = back_at(deps.hours, now, language)
        return deps.responses.render(
            "owned_hold_away", language, agent=agent, number=number, when=when
        )
    return deps.responses.render(
        "owned_hold", language, variant=now.minute, agent=agent, number=number
    )


def back_text(deps: Deps, owner: ChatOwner, language: str) -> str:
    """The line before the bot's answer when the chat comes back to it."""
    agent = display_name(owner.agent)
    return deps.responses.render("owned_back", language, agent=agent, number=owner.case_number)


def desk_note(
    owner: ChatOwner, quiet: Silence, verdict: Verdict, customer: Customer, said: str
) -> str:
    """What the agents' chat is told with a holding reply or a chat given back to the bot
    (then with the customer's words: the bot answers them, they are not relayed)."""
    agent = owner.agent or "the agent"
    ago = _duration(quiet.agent)
    who = customer.display_name or "The customer"
    if verdict is Verdict.BACK:
        return (
            f"↩️ Case #{owner.case_number}: {who} wrote again ({said[:200]!r}) and {agent} has "
            f"not written to them for {ago}, so the bot answers the chat again. The case stays "
            f"open with {agent}; a reply takes the chat back."
        )
    return (
        f"⏰ Case #{owner.case_number}: {who} is waiting; {agent} last wrote to them {ago} "
        "ago. They were told their message is with the team."
    )


def _latest(times: list[datetime]) -> datetime | None:
    return max(times) if times else None


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"
