"""What we store about a customer, told to the customer on request."""

from __future__ import annotations

from handlers.turn import Turn
from handlers.types import Reply


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
