"""Satisfaction surveys: a 1-5 rating when a case closes, then an optional comment."""

from __future__ import annotations

from crm_memory import CaseStatus, NotFound
from handlers.agents import RATE
from handlers.turn import Turn
from handlers.types import ContentKind, Reply

COMMENT = "awaiting_comment"
LOW = 2
# What a customer writes after rating counts as the comment unless it asks something new.
COMMENT_INTENTS = {
    "feedback_positive",
    "feedback_negative",
    "complaint",
    "thanks",
    "goodbye",
    "affirm",
    "deny",
    "out_of_scope",
    "nlu_fallback",
}


def _parse(payload: str) -> tuple[int, int] | None:
    parts = payload.split(":")
    if len(parts) != 3 or parts[0] != RATE or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    number, rating = int(parts[1]), int(parts[2])
    return (number, rating) if 1 <= rating <= 5 else None


async def rate(turn: Turn) -> list[Reply]:
    """Store a rating from the survey buttons; forged or stale presses get no answer."""
    parsed = _parse(turn.message.text)
    if parsed is None:
        return []
    number, rating = parsed
    deps = turn.deps
    try:
        case = await deps.cases.get(number)
    except NotFound:
        return []
    if case.customer_id != turn.customer_id or case.status is not CaseStatus.CLOSED:
        return []
    response = await deps.surveys.rate(
        customer_id=turn.customer_id, rating=rating, case_number=number
    )
    if response is None:  # one survey per case
        return []
    await deps.state.set(turn.chat, COMMENT, str(response.id), ttl=900)
    if rating <= LOW and deps.desk is not None:
        await deps.desk.alert(
            f"⚠️ Case #{number} was rated {rating}/5 by {turn.context.customer.display_name}",
            case_number=number,
        )
    return [turn.reply("survey_thanks")]


async def comment(turn: Turn) -> list[Reply] | None:
    """The comment after a rating, if this message is one; None to answer it normally."""
    if turn.message.kind is not ContentKind.TEXT:
        return None
    pending = await turn.deps.state.get(turn.chat, COMMENT)
    if pending is None:
        return None
    await turn.deps.state.delete(turn.chat, COMMENT)
    if turn.parse.intent not in COMMENT_INTENTS:
        return None
    await turn.deps.surveys.comment(int(pending), turn.message.text.strip())
    return [turn.reply("survey_comment_thanks")]
