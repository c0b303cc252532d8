"""Not understanding, and handing over to people: two-stage fallback and human requests."""

from __future__ import annotations

from crm_memory import Case, CaseKind, Direction, Message, Priority
from handlers import inquiry
from handlers.turn import Turn
from handlers.types import Handoff, Reply
from nlu import FALLBACK
from nlu.sentiment import sentiment

FALLBACKS = "fallbacks"
HUMAN = "human"
# Intents worth offering as "did you mean" buttons.
TOPICS = ("ask_order_status", *inquiry.ANSWERED, "complaint", "request_human")


def _line(message: Message) -> str:
    who = f"agent {message.agent}" if message.agent else message.sender.value
    text = " ".join(message.text.split())
    return f"{who}: {text if len(text) <= 120 else text[:117] + '...'}"


async def escalate(turn: Turn, *, reason: str, case: Case | None = None) -> tuple[Case, bool]:
    """Hand the customer to people: the given case, the open one, or a new escalation case.

    The reason is recorded on the case and the agents' desk gets the case with its context.

    Returns:
        The case, and False when it had already been handed over.
    """
    cases = turn.deps.cases
    if case is None:
        case = turn.context.open_cases[0] if turn.context.open_cases else None
    if case is None:
        case = await cases.open(
            customer_id=turn.customer_id,
            kind=CaseKind.ESCALATION,
            priority=Priority.NORMAL,
            reason=reason,
            summary=turn.message.text,
        )
    case, fresh = await cases.escalate(case.number, reason)
    if fresh and turn.deps.desk is not None:
        recent = turn.context.recent[-10:]
        inbound = [m.text for m in turn.context.recent if m.direction is Direction.IN][-5:]
        past = await cases.for_customer(turn.customer_id)
        await turn.deps.desk.case_escalated(
            Handoff(
                case=case,
                customer=turn.context.customer,
                identity=turn.message.identity,
                reason=reason,
                recent=tuple(_line(m) for m in recent),
                sentiment_trend=tuple(round(sentiment(t), 2) for t in inbound),
                past_cases=tuple(c for c in past if c.number != case.number),
            )
        )
    return case, fresh


WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


def after_hours(turn: Turn) -> list[Reply]:
    """Outside business hours: when the team is back; the case waits in their queue."""
    hours = turn.deps.hours
    now = turn.deps.clock()
    if hours is None or hours.is_open(now):
        return []
    back = hours.next_open(now)
    day = WEEKDAYS.get(turn.language, WEEKDAYS["en"])[back.weekday()]
    return [turn.reply("outside_hours", when=f"{day} {back:%H:%M}")]


async def request_human(turn: Turn, *, reason: str = "asked for a human") -> list[Reply]:
    """Escalate to people; a customer whose case is already with them is told so."""
    case, fresh = await escalate(turn, reason=reason)
    key = "human_requested" if fresh else "human_already"
    return [turn.reply(key, number=case.number), *after_hours(turn)]


async def strongly_negative(turn: Turn) -> list[Reply]:
    """A very unhappy customer is handed to people whatever they asked."""
    if turn.parse.sentiment > turn.deps.negative_sentiment:
        return []
    case, fresh = await escalate(turn, reason="strongly negative sentiment")
    if not fresh:
        return []
    return [turn.reply("escalated_notice", number=case.number), *after_hours(turn)]


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
