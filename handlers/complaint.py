"""Complaints become numbered cases with a priority; more detail is added to the open case."""

from __future__ import annotations

import re

from crm_memory import Case, CaseKind, Priority
from handlers import escalation
from handlers.feedback import topic_of
from handlers.inquiry import AWAITING_ORDER
from handlers.orders import normalise_order_number
from handlers.segments import AT_RISK
from handlers.turn import Turn
from handlers.types import Reply

# Words that make a complaint more urgent, in English and Chinese.
URGENT_WORDS = re.compile(
    r"lawyer|solicitor|attorney|\bsue\b|court|police|fraud|scam|律师|起诉|法院|报警|骗", re.I
)
SERIOUS_WORDS = re.compile(
    r"refund|money back|broken|damaged|faulty|missing|never (?:came|arrived)|charged twice|"
    r"dangerous|退款|坏|损坏|丢|少发|扣了两次",
    re.I,
)
VIP_TIERS = {"vip", "gold", "platinum"}


def complaint_priority(
    *, text: str, sentiment: float, repeat: bool, tier: str, segment: str = ""
) -> Priority:
    """Normal, raised by strong negative sentiment, serious or legal words, a repeat
    complaint, a VIP customer and a customer at risk of leaving; capped at urgent."""
    level = Priority.NORMAL.rank
    if sentiment <= -0.75:
        level += 1
    if URGENT_WORDS.search(text):
        level += 2
    elif SERIOUS_WORDS.search(text):
        level += 1
    if repeat:
        level += 1
    if tier.lower() in VIP_TIERS:
        level += 1
    if segment == AT_RISK:
        level += 1
    return list(Priority)[min(level, Priority.URGENT.rank)]


def _open_complaint(turn: Turn) -> Case | None:
    return next((c for c in turn.context.open_cases if c.kind is CaseKind.COMPLAINT), None)


def _reason(turn: Turn) -> str:
    product = turn.parse.entity("product")
    text = " ".join(turn.message.text.split())
    short = text if len(text) <= 60 else text[:57] + "..."
    return f"{product.value}: {short}" if product else short


async def complaint(turn: Turn) -> list[Reply]:
    """Open a case (or add to the open one) and ask for the order number when missing."""
    cases = turn.deps.cases
    entity = turn.parse.entity("order_number")
    order = normalise_order_number(entity.value) if entity else None
    line = turn.message.text.strip()
    existing = _open_complaint(turn)
    if existing is not None:
        summary = f"{existing.summary}\n{line}".strip()
        priority = complaint_priority(
            text=line,
            sentiment=turn.parse.sentiment,
            repeat=True,
            tier=turn.context.customer.tier,
        )
        await cases.update(
            existing.number,
            summary=summary,
            priority=priority if priority.rank > existing.priority.rank else None,
        )
        return [turn.reply("complaint_added", number=existing.number)]

    past = await cases.for_customer(turn.customer_id)
    repeat = any(c.kind is CaseKind.COMPLAINT for c in past)
    customer = turn.context.customer
    priority = complaint_priority(
        text=line,
        sentiment=turn.parse.sentiment,
        repeat=repeat,
        tier=customer.tier,
        segment=customer.segment,
    )
    summary = line if order is None else f"{line}\norder: {order}"
    product = turn.parse.entity("product")
    case = await cases.open(
        customer_id=turn.customer_id,
        kind=CaseKind.COMPLAINT,
        priority=priority,
        reason=_reason(turn),
        summary=summary,
        topic=topic_of(line, product.value if product else None) or "other",
    )
    replies = [
        turn.reply(
            "complaint_opened",
            name=turn.name,
            number=case.number,
            priority=turn.say(f"priority_{priority.value}"),
        )
    ]
    if order is None:
        await turn.deps.state.set(turn.chat, AWAITING_ORDER, f"case:{case.number}", ttl=1800)
        replies.append(turn.reply("complaint_ask_order", number=case.number))
    reason = escalation_reason(
        case, tier=turn.context.customer.tier, at=turn.deps.escalate_priority
    )
    if reason is not None:
        await escalation.escalate(turn, reason=reason, case=case)
        replies.append(turn.reply("escalated_notice", number=case.number))
        replies += escalation.after_hours(turn)
    return replies


def escalation_reason(case: Case, *, tier: str, at: Priority) -> str | None:
    """Why a new complaint goes straight to people, if it does."""
    if case.priority.rank >= at.rank:
        return "high-priority complaint"
    if tier.lower() in VIP_TIERS:
        return "VIP complaint"
    return None


async def attach_order(turn: Turn, number: int, order: str) -> list[Reply]:
    """The order number the customer sent after we asked for it goes onto the case."""
    case = await turn.deps.cases.get(number)
    await turn.deps.cases.update(number, summary=f"{case.summary}\norder: {order}".strip())
    return [turn.reply("complaint_order_noted", order=order, number=number)]
