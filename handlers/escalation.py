"""Not understanding, and handing over to people: two-stage fallback and human requests."""

from __future__ import annotations

from crm_memory import CaseKind, Priority
from handlers import inquiry
from handlers.turn import Turn
from handlers.types import Reply
from nlu import FALLBACK

FALLBACKS = "fallbacks"
HUMAN = "human"
# Intents worth offering as "did you mean" buttons.
TOPICS = (
    "ask_order_status",
    "ask_delivery",
    "ask_returns_refunds",
    "ask_payment",
    "ask_account",
    "ask_opening_hours",
    "ask_product_info",
    "complaint",
    "request_human",
)


async def request_human(turn: Turn, *, reason: str = "asked for a human") -> list[Reply]:
    """Open an escalation case, or point to the case the team already has."""
    if turn.context.open_cases:
        return [turn.reply("human_already", number=turn.context.open_cases[0].number)]
    case = await turn.deps.cases.open(
        customer_id=turn.customer_id,
        kind=CaseKind.ESCALATION,
        priority=Priority.NORMAL,
        reason=reason,
        summary=turn.message.text,
    )
    return [turn.reply("human_requested", number=case.number)]


async def fallback(turn: Turn) -> list[Reply]:
    """First miss: ask to rephrase with the two likeliest topics; second in a row: offer a human.

    A message we don't understand but that names an order is taken as a question about it.
    """
    if turn.parse.entity("order_number") is not None:
        return await inquiry.order_status(turn)
    state = turn.deps.state
    misses = int(await state.get(turn.chat, FALLBACKS) or 0) + 1
    await state.set(turn.chat, FALLBACKS, str(misses), ttl=turn.deps.fallback_ttl)
    if misses >= 2:
        return [
            turn.reply(
                "fallback_human",
                turn.button("button_yes", HUMAN),
                turn.button("button_no", "dismiss"),
            )
        ]
    likely = [s.name for s in turn.parse.ranking if s.name in TOPICS][:2]
    buttons = [turn.button(f"topic_{name}", f"intent:{name}") for name in likely]
    return [turn.reply("fallback_rephrase", *buttons)]


async def out_of_scope(turn: Turn) -> list[Reply]:
    return [turn.reply("out_of_scope")]


async def understood(turn: Turn) -> None:
    """A message was understood: the fallback count starts again."""
    if turn.parse.intent != FALLBACK:
        await turn.deps.state.delete(turn.chat, FALLBACKS)
