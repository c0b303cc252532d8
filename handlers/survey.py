"""Satisfaction surveys: a 1-5 rating when a case closes, then an optional comment."""

from __future__ import annotations

from crm_memory import CaseStatus, NotFound
from handlers.acts import Act
from handlers.agents import RATE
from handlers.context import read_act
from handlers.dialogue import Asked, Question
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Button, ContentKind, Reply
from nlu.types import SentimentLabel

BOT_RATE = "botrate"
OFFERED = "bot_survey_offered"
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
    "request_human",
    "ask_case_status",
}


def bot_survey_buttons() -> tuple[Button, ...]:
    """One tap to rate a conversation the bot handled alone: ``botrate:<rating>``."""
    return tuple(Button("⭐" * r, f"{BOT_RATE}:{r}") for r in range(1, 6))


async def offer_bot_rating(turn: Turn) -> list[Reply]:
    """At the end of a conversation the bot handled well, ask once for a one-tap rating:
    not while a case is open, nor after a conversation that left the problem unsolved."""
    state = turn.deps.state
    if turn.context.open_cases or turn.dialogue.unresolved or turn.outcome.unresolved:
        return []
    if not await state.first_time(f"{turn.chat}:{OFFERED}", ttl=turn.deps.fallback_ttl * 3):
        return []
    return [turn.reply("bot_survey", *bot_survey_buttons())]


async def rate_bot(turn: Turn) -> list[Reply]:
    """A rating of the bot alone: once per offer, stored without a case."""
    _, _, value = turn.message.text.partition(":")
    if not value.isdigit() or not 1 <= int(value) <= 5:
        return []
    if not await turn.deps.state.first_time(f"{turn.chat}:bot_rated", ttl=3600):
        return []
    rating = int(value)
    response = await turn.deps.surveys.rate(customer_id=turn.customer_id, rating=rating)
    if rating <= LOW and response is not None:
        turn.ask(Asked(Question.COMMENT, survey=response.id))
        return [turn.reply("survey_low_ask")]
    return [turn.reply("bot_survey_thanks")]


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
    # Rated once in this conversation: no one-tap rating of the bot asked for on "thx" later.
    await deps.state.first_time(f"{turn.chat}:{OFFERED}", ttl=deps.fallback_ttl * 3)
    turn.ask(Asked(Question.COMMENT, survey=response.id, case=number))
    if rating <= LOW:
        if deps.desk is not None:
            await deps.desk.alert(
                f"⚠️ Case #{number} was rated {rating}/5 by {turn.context.customer.display_name}",
                case_number=number,
            )
        # Not just "thank you": ask what went wrong; the answer is stored as the comment.
        return [turn.reply("survey_low_ask")]
    return [turn.reply("survey_thanks" if rating < 4 else "survey_thanks_high")]


async def comment(turn: Turn) -> list[Reply] | None:
    """The comment after a rating, if this message is one; None to answer it normally."""
    asked = turn.dialogue.asked
    if turn.message.kind is not ContentKind.TEXT or asked is None:
        return None
    if asked.question is not Question.COMMENT or asked.survey is None:
        return None
    text = turn.message.text.strip()
    if read_act(turn, text) in (Act.THANKS, Act.BYE) and not is_question(text):
        # "cheers", "thx", "好的谢谢" after the rating: a goodbye, not a comment to pass on
        # (nor another rating to ask for).
        return [turn.reply("survey_bye", name=turn.name)]
    # "still no refund and the fitter never said sorry": unhappy words that ask nothing are
    # about how it went, whatever topic the engine hears in them.
    grievance = turn.parse.sentiment_label is SentimentLabel.NEGATIVE and not is_question(text)
    if turn.parse.intent not in COMMENT_INTENTS and turn.parse.confidence >= 0.6 and not grievance:
        return None
    await turn.deps.surveys.comment(asked.survey, text)
    turn.outcome.intents.append("survey_comment")
    return [turn.reply("survey_comment_thanks")]
