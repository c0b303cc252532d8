"""Inquiries: answers about delivery, returns, payment, account, hours, products, and orders."""

from __future__ import annotations

import logging

from crm_memory import Direction
from handlers.orders import OrderLookupError, normalise_order_number
from handlers.turn import Turn
from handlers.types import ContentKind, Reply

logger = logging.getLogger(__name__)

ANSWERED = (
    "ask_delivery",
    "ask_returns_refunds",
    "ask_payment",
    "ask_account",
    "ask_opening_hours",
    "ask_product_info",
)
AWAITING_ORDER = "awaiting_order_for"


def order_number(turn: Turn) -> str | None:
    """The order number in this message, else the one the customer gave most recently."""
    entity = turn.parse.entity("order_number")
    if entity is not None:
        return normalise_order_number(entity.value)
    fact = turn.context.fact("order_number")
    return fact.value if fact is not None else None


def knows(turn: Turn, intent: str) -> bool:
    """True when the knowledge base has entries for the intent."""
    return any(entry.intent == intent for entry in turn.deps.knowledge.entries)


def question(turn: Turn) -> str:
    """What the customer asked: this text, or for a pressed topic button the last text they
    wrote (only typed messages carry an intent in the history)."""
    if turn.message.kind is ContentKind.TEXT:
        return turn.message.text
    typed = [
        m.text for m in turn.context.recent if m.direction is Direction.IN and m.intent is not None
    ]
    return typed[-1] if typed else ""


async def answer(turn: Turn) -> list[Reply]:
    """The knowledge-base entry closest to the question among the intent's entries; with an
    order number in a delivery question, that order's status too."""
    entry = turn.deps.knowledge.find(question(turn), intent=turn.parse.intent)
    replies = [Reply(entry.answer(turn.language))] if entry else [turn.reply("help")]
    if turn.parse.intent == "ask_delivery" and turn.parse.entity("order_number"):
        replies += await order_status(turn)
    return replies


async def order_status(turn: Turn) -> list[Reply]:
    """Look the order up; reuse a remembered order number; ask for one when none is known."""
    number = order_number(turn)
    if number is None:
        await turn.deps.state.set(turn.chat, AWAITING_ORDER, "order_status", ttl=600)
        return [turn.reply("order_ask_number")]
    orders = turn.deps.orders
    if orders is None:
        return [turn.reply("order_lookup_failed", order=number)]
    try:
        order = await orders.find(number)
    except OrderLookupError as exc:
        logger.warning("order look-up failed: %s", exc)
        return [turn.reply("order_lookup_failed", order=number)]
    if order is None:
        return [turn.reply("order_unknown", order=number)]
    detail = turn.say(
        f"order_{order.status}",
        eta=order.eta or "-",
        carrier=order.carrier or "-",
        tracking=order.tracking or "-",
    )
    return [turn.reply("order_status", order=order.number, detail=detail)]
