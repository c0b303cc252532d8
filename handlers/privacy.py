"""What we store about a customer, told to the customer on request."""

from __future__ import annotations

from dataclasses import replace

from handlers.turn import Turn
from handlers.types import Reply

FORGET = "forget:yes"


async def my_data(turn: Turn) -> list[Reply]:
    """A summary of the profile, history, cases and remembered facts."""
    deps = turn.deps
    customer = turn.context.customer
    messages = await deps.messages.count(customer.id)
    cases = await deps.cases.for_customer(customer.id)
    facts = ", ".join(f"{f.kind} {f.value}" for f in turn.context.facts) or turn.say("nothing")
    summary = turn.say(
        "my_data_summary",
        messages=messages,
        since=customer.created_at.strftime("%Y-%m-%d"),
        language=customer.language or "-",
        cases=len(cases),
        facts=facts,
    )
    return [turn.reply("my_data", name=turn.name, summary=summary)]


async def forget_request(turn: Turn) -> list[Reply]:
    """Erasing is final: ask first."""
    return [
        turn.reply(
            "forget_confirm",
            turn.button("forget_button", FORGET),
            turn.button("button_no", "dismiss"),
        )
    ]


async def forget(turn: Turn) -> list[Reply]:
    """Erase the customer everywhere we store them: history, cases, ratings, state."""
    await turn.deps.customers.forget(turn.customer_id)
    await turn.deps.state.forget_chat(turn.chat)
    return [replace(turn.reply("forgotten"), ephemeral=True)]
