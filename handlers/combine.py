"""Two orders named, asked to come together: "two orders 61001 和 61002 能一起发吗", "can u
send 61001 and 61002 in one box".

Whether they can is where the orders are: while none has shipped our team can pack them in
one parcel (both numbers noted, a person offered to do it); a shipped one travels on its own.
The customer gave both numbers already: they are never asked for again.
"""

from __future__ import annotations

import re

from handlers.dialogue import Subject
from handlers.inquiry import find_order
from handlers.orders import Order
from handlers.turn import Turn
from handlers.types import Reply

DETAIL = "ship_together"
# The knowledge-base entry on combining orders (said when the orders cannot be looked up).
ENTRY = "combine-orders"
_TOGETHER = re.compile(
    r"\btogether\b|\bin (?:one|a single|the same) (?:box|parcel|package|shipment|delivery)\b|"
    r"\bcombine|\bmerge|\bship (?:them|both) at once\b|"
    r"一起(?:发|寄|送|配送|发货)|合并|一个包裹|放一起|一块(?:发|寄|送)|同时发",
    re.IGNORECASE,
)


def numbers(turn: Turn) -> list[str]:
    """The orders to go together: those named, and with one named, the order already in play
    ("can u send it together with my other order C-4532" after C-4531's status)."""
    named = list(dict.fromkeys(o.value for o in turn.parse.orders))
    slot = turn.dialogue.slot("order_number")
    if len(named) == 1 and slot is not None and slot.value not in named:
        return [slot.value, *named]
    return named


def asks(turn: Turn) -> bool:
    """True when the message asks for two orders or more together (named, or one named
    beside the one in play)."""
    return len(numbers(turn)) >= 2 and _TOGETHER.search(turn.message.text) is not None


async def answer(turn: Turn) -> list[Reply]:
    """Both noted; together while none has shipped (a person offered), else why not."""
    found: list[Order] = []
    for number in numbers(turn):
        order = await find_order(turn, number)
        if order is None:
            entry = turn.deps.knowledge.entry(ENTRY)
            return [Reply(entry.answer(turn.language))] if entry else [turn.reply("help")]
        found.append(order)
    joiner = "、" if turn.language == "zh" else " and "
    orders = joiner.join(o.number for o in found)
    turn.outcome.subject = Subject(orders=tuple(o.number for o in found))
    turn.outcome.statused.update(o.number for o in found)
    gone = [o for o in found if o.status in ("shipped", "delivered")]
    if gone:
        return [turn.reply("combine_shipped", shipped=joiner.join(o.number for o in gone))]
    if any(o.status == "cancelled" for o in found):
        cancelled = joiner.join(o.number for o in found if o.status == "cancelled")
        return [turn.reply("combine_cancelled", cancelled=cancelled)]
    return [turn.offer_human("combine_yes", orders=orders)]
