"""Cancelling an order, answered from where the order is; the refund's timing after it."""

from __future__ import annotations

import logging

from crm_memory import CaseKind, Priority
from handlers import escalation, inquiry
from handlers.cases import current_case
from handlers.dialogue import Asked, Purpose, Question, Told
from handlers.orders import Order, OrderLookupError, names_order, with_order
from handlers.turn import Turn
from handlers.types import Reply

logger = logging.getLogger(__name__)

INTENT = "cancel_order"
# Why a cancellation goes to people: the shop's API only looks orders up, so a person
# cancels it in the shop's back office (the case says which order, and the desk shows it).
REASON = "order cancellation"


def _number(turn: Turn) -> str | None:
    """The order to cancel: named now or in the last turns, or the one the bot asked for."""
    if turn.order_in_play is not None:
        return turn.order_in_play
    asked = turn.dialogue.asked
    return asked.order if asked is not None and asked.order else None


async def _find(turn: Turn, number: str) -> Order | None:
    if turn.deps.orders is None:
        raise OrderLookupError("no order source configured")
    return await turn.deps.orders.find(number)


async def cancel_order(turn: Turn) -> list[Reply]:
    """ "cancel my order A-1002", "帮我把单取消了": from where the order is.

    Not shipped: the request goes on a case for our team (the bot cannot cancel it itself)
    and is handed to them. Shipped: too late, refuse the delivery or return it. Delivered: a
    return. Cancelled already: when the money comes. No order known: asks for its number.
    """
    number = _number(turn)
    if number is None:
        # "how long for my money?" next: when a cancellation's refund comes, from the
        # knowledge base (with an order, from that order: ``refund_when``).
        turn.answered_from(inquiry.CANCEL, shown=False)
        turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.CANCEL))
        return [turn.reply("cancel_ask_number")]
    try:
        order = await _find(turn, number)
    except OrderLookupError as exc:
        logger.warning("order look-up failed: %s", exc)
        return [turn.reply("order_lookup_failed", order=number)]
    if order is None:
        # The number stays with the question: the right one next is read as meant for this.
        turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.CANCEL, order=number))
        return [turn.reply("order_unknown", order=number)]
    turn.outcome.statused.add(order.number)
    turn.outcome.slots["order_number"] = order.number
    if order.status == "cancelled":
        return [turn.reply("cancel_already", order=order.number)]
    if order.status == "delivered":
        return [turn.reply("cancel_delivered", order=order.number)]
    if order.status == "shipped":
        return [
            turn.reply(
                "cancel_shipped",
                order=order.number,
                carrier=order.carrier or "-",
                tracking=order.tracking or "-",
            )
        ]
    return await _request(turn, order)


async def _request(turn: Turn, order: Order) -> list[Reply]:
    """An order not shipped yet: the cancellation on a case, handed to our team."""
    cases = turn.deps.cases
    line = f"Cancellation requested for order {order.number}: {turn.message.text.strip()}"
    case = await current_case(turn)
    if case is not None and names_order(case.summary, order.number):
        if case.escalated_at is not None and REASON in (case.escalation_reason or ""):
            turn.outcome.case = case.number
            return [turn.reply("cancel_on_case", order=order.number, number=case.number)]
        await cases.update(case.number, summary=f"{case.summary}\n{line}".strip())
    else:
        case = await cases.open(
            customer_id=turn.customer_id,
            kind=CaseKind.INQUIRY,
            # It must be done before the order ships: not left behind routine questions.
            priority=Priority.HIGH,
            reason=f"cancel order {order.number}",
            summary=with_order(line, order.number),
            topic="cancellation",
        )
    turn.outcome.case = case.number
    case, _ = await escalation.escalate(turn, reason=REASON, case=case)
    if escalation.team_away(turn):
        return [
            turn.reply(
                "cancel_requested_away",
                order=order.number,
                number=case.number,
                when=escalation.back_at(turn),
            )
        ]
    return [turn.reply("cancel_requested", order=order.number, number=case.number)]


async def refund_when(turn: Turn) -> list[Reply]:
    """ "how long til i see my money" after a cancellation: that order's refund timing."""
    number = _number(turn)
    order = None
    if number is not None:
        try:
            order = await _find(turn, number)
        except OrderLookupError as exc:
            logger.warning("order look-up failed: %s", exc)
    turn.explained(Told.CANCEL_REFUND)
    if order is None:
        entry = turn.deps.knowledge.find(
            "How long do refunds take?" if turn.language == "en" else "退款多久到账",
            intent="ask_returns_refunds",
        )
        return [Reply(entry.answer(turn.language))] if entry else [turn.reply("help")]
    if order.status == "cancelled":
        return [turn.reply("order_cancelled_refund", order=order.number)]
    if order.status in ("shipped", "delivered"):
        return [turn.reply("cancel_refund_when_shipped", order=order.number)]
    return [turn.reply("cancel_refund_when", order=order.number)]
