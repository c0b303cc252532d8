"""An item asked after that is not on the order just given: "the lamp is fine, the charger tho"."""

from __future__ import annotations

import logging
import re

from handlers import context, escalation
from handlers.catalogue import CatalogueError
from handlers.dialogue import Asked, Purpose, Question
from handlers.followups import held_items, items_asked, orders_in_play
from handlers.orders import Order, OrderLookupError
from handlers.turn import Turn
from handlers.types import Reply

logger = logging.getLogger(__name__)

# The reading's detail (handlers/dispatcher.py routes it here).
DETAIL = "item_elsewhere"
# The answers after which a short message turning to an item asks where that item is.
_STATUS_TOPICS = ("ask_order_status", "ask_delivery", context.OFFER_AGAIN)
# Turning to another thing: "the charger tho", "what about the charger", "and the lamp?",
# "充电器呢", "还有台灯呢", "那台灯那单呢".
_TURNS = re.compile(
    r"\b(?:tho|though|what about|how about|and (?:the|my)|but (?:the|my))\b|呢[\s?？。!！]*$|还有",
    re.IGNORECASE,
)
# About the product itself, not where it is: "how much is the charger", "充电器多少钱".
_PRODUCT = re.compile(
    r"\b(?:price|cost|how much|in stock|stock|sell|buy|colou?r|cheaper|available)\b|"
    r"多少钱|价格|有货|有没有货|库存|卖|买|颜色|便宜",
    re.IGNORECASE,
)
_WORDS = 9
# Where one part of a message ends: "the lamp is fine... the charger tho", "台灯没问题 充电器呢".
_PARTS = re.compile(r"[.…,，;；!?！？\s]{2,}|[.…,，;；!?！？]|\bbut\b", re.IGNORECASE)


async def item_elsewhere(turn: Turn) -> tuple[Order, str] | None:
    """The order just given and the item a short follow-up turns to, when that item is not
    on it and no other order of the conversation holds it; else None."""
    text = turn.message.text
    number = turn.order_in_play
    catalogue, orders = turn.deps.catalogue, turn.deps.orders
    if number is None or catalogue is None or orders is None or turn.parse.orders:
        return None
    if turn.dialogue.topic not in _STATUS_TOPICS or context.length(text) > _WORDS:
        return None
    if not _TURNS.search(text) or _PRODUCT.search(text) or context.DEFECT.search(text):
        return None
    if len(orders_in_play(turn.dialogue)) > 1:
        return None  # between orders named, the item picks one (followups.with_order_by_item)
    try:
        # Each part on its own: "the lamp is fine... the charger tho" names two items.
        asked: set[str] = set()
        for part in _PARTS.split(text):
            if part.strip():
                asked |= await items_asked(part, turn.deps)
        order = await orders.find(number)
        if order is None:
            return None
        # "the lamp is fine... the charger tho": the item named that the order does not hold.
        asked -= await held_items(order, turn.deps)
        if not asked:
            return None
        found = [
            p for part in _PARTS.split(text) if part.strip() for p in await catalogue.search(part)
        ]
    except (OrderLookupError, CatalogueError) as exc:
        logger.warning("look-up failed: %s", exc)
        return None
    item = next((p for p in found if p.sku in asked), None)
    return None if item is None else (order, item.title(turn.language))


async def answer(turn: Turn) -> list[Reply]:
    """That the item is not on the order just given, and its order number asked for."""
    found = await item_elsewhere(turn)
    if found is None:
        return await escalation.fallback(turn)
    order, item = found
    turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.ORDER_STATUS))
    return [turn.reply("order_item_elsewhere", item=item, order=order.number, items=order.items)]
