"""Inquiries: answers about delivery, returns, payment, account, hours, products, and orders."""

from __future__ import annotations

import logging

from handlers.orders import OrderLookupError, normalise_order_number
from handlers.turn import Turn
from handlers.types import Reply

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


async def answer(turn: Turn) -> list[Reply]:
    """A standing answer for the intent; with an order number, that order's status too."""
    replies = [turn.reply(f"answer_{turn.parse.intent}")]
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
