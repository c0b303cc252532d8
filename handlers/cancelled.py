"""An order that shows as cancelled, asked about after its status: the customer who never
cancelled it ("i never cancelled it??", "我没取消啊 谁给我取消的"), and whether the money was
taken for it ("was i charged for it", "钱扣了没").

The status line says it was cancelled and when the money comes back; said again, it answers
neither. One who did not cancel it is asking why it was: what cancels orders, the money, and
a person to find out; the money asked about gets the cancelled order's own refund answer, not
a return's refund or a card hold's.
"""

from __future__ import annotations

import re

from handlers import inquiry
from handlers.dialogue import Told
from handlers.orders import Order
from handlers.turn import Turn
from handlers.types import Reply

DISPUTED = "cancelled:disputed"
CHARGED = "cancelled:charged"

# "i never cancelled it", "we didnt cancel anything", "who cancelled my order", "why was it
# cancelled", "我没取消啊", "谁给我取消的", "为啥被取消了", "我又没点取消".
_NOT_THEIRS = re.compile(
    r"\b(?:i|we)\s+(?:never|didn'?t|did not|didnt|haven'?t|havent|have not)\s+(?:\w+\s+){0,2}?"
    r"cancel|\bwho\s+cancel+ed\b|\bwhy\s+(?:was|is|has|did|would)\s+(?:it|my order|the order|"
    r"this|that|\d{4,})\s+(?:been\s+|get\s+|got\s+)?cancel|\bcancel+ed\s+(?:it\s+)?by\s+who\b|"
    r"(?:我|我们)(?:又|都|根本|压根)?(?:没有?|没点|没申请)(?:过)?取消|谁(?:给我|帮我)?取消|"
    r"(?:为什么|为啥|咋|怎么)(?:就|会)?(?:被)?取消(?:了)?",
    re.IGNORECASE,
)
# Whether money was taken for it, or comes back: "was i charged", "did you take the money",
# "do i get my money back", "钱扣了没", "扣款了吗", "钱会退吗".
_MONEY = re.compile(
    r"\b(?:was|were|am|have|did|will)\s+(?:i|we|you)\s+(?:been\s+|be\s+)?(?:charged|billed|"
    r"take[n]? (?:the|my) money|paid)|\bcharged\s+(?:for it|me)\b|\b(?:my\s+)?money\s+back\b|"
    r"\brefund(?:ed)?\b|扣(?:了)?(?:钱|款)|钱(?:扣|退|呢|会退|能退|什么时候退|啥时候退)|退款|付(?:了)?的钱",
    re.IGNORECASE,
)


async def _cancelled(turn: Turn) -> Order | None:
    """The order in play (or remembered), when it shows as cancelled."""
    number = inquiry.order_number(turn)
    order = None if number is None else await inquiry.find_order(turn, number)
    return order if order is not None and order.status == "cancelled" else None


async def disputed(turn: Turn) -> bool:
    """True when the customer says they did not cancel the cancelled order in play."""
    return _NOT_THEIRS.search(turn.message.text) is not None and await _cancelled(turn) is not None


async def asks_money(turn: Turn) -> bool:
    """True when the customer asks whether money was taken for the cancelled order in play,
    or comes back."""
    text = turn.message.text
    return (
        _MONEY.search(text) is not None
        and _NOT_THEIRS.search(text) is None
        and turn.order_in_play is not None
        and await _cancelled(turn) is not None
    )


async def answer_disputed(turn: Turn) -> list[Reply]:
    """What cancels an order, that the money comes back, and a person to find out why (as
    for "why was it cancelled?": the same question, said as "i didn't cancel it")."""
    order = await _cancelled(turn)
    if order is None:
        return await inquiry.order_status(turn)
    turn.outcome.unresolved = True
    return [turn.offer_human("order_cancelled_why", order=order.number)]


async def answer_money(turn: Turn) -> list[Reply]:
    """What happens to money paid for the cancelled order: back the way it was paid."""
    order = await _cancelled(turn)
    if order is None:
        return await inquiry.order_status(turn)
    turn.outcome.statused.add(order.number)
    turn.explained(Told.CANCEL_REFUND)  # "so what now" next: that order's
    return [turn.reply("order_cancelled_refund", order=order.number)]
