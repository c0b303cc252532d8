"""A change-of-mind return of an order ("i want to return the backpack from A-2290 its too
small", "手表不想要了 能退吗 订单80808"): whether it is within the window, how, who pays, when
the money comes."""

from __future__ import annotations

import re
from datetime import timedelta

from handlers import inquiry, lost_parcel
from handlers.context import DEFECT
from handlers.dialogue import Matter, Told
from handlers.followups import format_day
from handlers.orders import Order
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import SENT_BACK

# The Reading detail for these requests (handlers/dispatcher.py routes it here).
DETAIL = "return_order"
# The knowledge-base entry that states the policy this module applies: a follow-up ("and
# who pays the postage?") is read against it.
POLICY = "returns-policy"
# Days from delivery to return an item, as that entry says ("within 30 days of delivery").
RETURN_DAYS = 30

# Wanting to send an item back, not a refund of money alone: "i want to return the backpack",
# "can i send the jacket back", "dont want it anymore", "退货", "不想要了 能退吗", "退掉".
_WANTS_RETURN = re.compile(
    r"\breturn(?:ing)?\b(?! (?:label|window|policy|period))|\bsend(?:ing)? (?:it |them |this |"
    r"(?:the |my )?[\w-]+(?: [\w-]+)? )?back\b|\b(?:ship|post) (?:it |them )?back\b|"
    r"\bdon'?t (?:want|need|like) (?:it|them|this|that|the [\w -]+?) (?:any ?more|after all)\b|"
    r"\bchanged? (?:my|our) minds?\b|"
    r"退货|退掉|退了吧|退回去|(?:能|可以|想|要|申请|怎么)退(?!款|钱)|不想要了|不要了|不喜欢|"
    r"无理由",
    re.IGNORECASE,
)
# "a refund if it's faulty?": the defect path (handlers/remedy.py, complaint) instead.
_NOT_THIS = re.compile(r"\brefund (?:status|time)|退款(?:到|进度)", re.IGNORECASE)


def asks(turn: Turn) -> bool:
    """True when the customer wants to send back an order's item for a reason that is not a
    fault (too small, changed their mind, not as pictured), naming the order now or with one
    in play; a fault, a parcel never received or an item already sent back are not this."""
    text = turn.message.text
    if _WANTS_RETURN.search(text) is None or _NOT_THIS.search(text):
        return False
    if DEFECT.search(text) or SENT_BACK.search(_without_asks(text)) or lost_parcel.asks(text):
        return False
    return bool(turn.parse.orders) or (turn.order_in_play is not None and len(text) <= 80)


def _without_asks(text: str) -> str:
    """The text without the return wanted ("退货" in "想退货" is wanted, not done)."""
    return re.sub(r"(?:想|要|能|可以|申请|怎么|如何)退货|退货吗", "", text)


def _item(order: Order, text: str) -> str:
    """The item the customer names among the order's, else the order's items."""
    items = [i.strip() for i in order.items.split(";") if i.strip()]
    lowered = text.lower()
    for item in items:
        words = [w for w in re.split(r"\W+", item.lower()) if len(w) > 2 and not w[0].isdigit()]
        if item.lower() in lowered or (words and words[-1] in lowered):
            return item
    return ", ".join(items)


async def answer(turn: Turn) -> list[Reply]:
    """The return of the order in play: within the window (by its delivery date) or not, how
    to start it, that the label is free, when the refund comes; an order not delivered yet or
    not shipped gets what applies to it instead."""
    turn.outcome.matter = Matter.REFUND
    number = turn.order_in_play
    order = await inquiry.find_order(turn, number) if number is not None else None
    if order is None:
        entry = turn.deps.knowledge.entry(POLICY)
        if entry is None:
            return [turn.reply("help")]
        turn.answered_from(entry.id)
        return [Reply(entry.answer(turn.language))]
    item = _item(order, turn.message.text) or order.number
    if order.status == "cancelled":
        return [turn.reply("order_cancelled_refund", order=order.number)]
    if order.status == "processing":
        turn.explained(Told.UNSHIPPED_REFUND)
        return [turn.offer_human("order_unshipped_refund", order=order.number)]
    turn.outcome.statused.add(order.number)
    delivered = order.eta_date()
    if order.status != "delivered" or delivered is None:
        turn.answered_from(POLICY, shown=False)
        return [turn.reply("return_on_its_way", order=order.number, item=item, days=RETURN_DAYS)]
    last_day = delivered + timedelta(days=RETURN_DAYS)
    values = {
        "order": order.number,
        "item": item,
        "day": format_day(delivered, turn.language),
        "until": format_day(last_day, turn.language),
        "days": RETURN_DAYS,
    }
    if turn.deps.clock().date() > last_day:
        turn.outcome.unresolved = True
        return [turn.offer_human("return_window_passed", **values)]
    turn.answered_from(POLICY, shown=False)
    return [turn.reply("return_within_window", **values)]
