"""Another colour or size for an order not shipped yet: the change on a case for our team."""

from __future__ import annotations

import re

from crm_memory import CaseKind, Priority
from handlers import escalation, inquiry
from handlers.context import DEFECT
from handlers.orders import with_order
from handlers.turn import Turn
from handlers.types import Reply

# The Reading detail (handlers/readings.py reads it, handlers/dispatcher.py routes it).
DETAIL = "order_change"
# Why the change goes to people: the shop's API only looks orders up, so a person changes it
# in the shop's back office before it ships (as a cancellation: handlers/cancel.py).
REASON = "order change"
TOPIC = "order change"

_COLOURS_EN = (
    r"white|black|red|blue|green|grey|gray|pink|silver|gold|beige|navy|yellow|purple|brown|"
    r"orange|cream|rose gold|space grey"
)
_COLOURS_ZH = r"[白黑红蓝绿灰粉银金米紫黄棕橙]"
# What the order is changed to, in the customer's words: "can I change it to white", "switch
# it to a size L", "make it the black one instead", "get it in blue instead", "改成白色的",
# "换成黑色", "改成L码", "换大一码". (Not an address, an e-mail nor express: those have
# their own answers.)
_CHANGE = re.compile(
    rf"\b(?:change|switch|swap|make|update|turn)\b[\w\s-]{{0,24}}?\b(?:to|into|for|in)\s+"
    rf"(?:a |an |the )?(?P<en>(?:{_COLOURS_EN})(?: one| colou?r)?|size \w+|"
    rf"(?:a |one )?(?:bigger|smaller|larger) (?:size|one)|(?:xs|s|m|l|xl|xxl)\b(?: size)?)\b|"
    rf"\b(?:get|have|want|need) (?:it|them|that|one) in (?P<en2>{_COLOURS_EN}|size \w+)\b|"
    rf"\bmake (?:it|them) (?:a |the )?(?P<en3>size \w+|(?:{_COLOURS_EN})(?: one)?)\b|"
    rf"(?:改|换|变)(?:成|为|个)?(?P<zh>{_COLOURS_ZH}色|(?:XXL|XL|XS|L|M|S|大|小|[0-9]{{2}})(?:码|号)|"
    rf"(?:大|小)一(?:码|号)|另一个颜色|别的颜色)",
    re.IGNORECASE,
)


def change_asked(text: str) -> str | None:
    """What the customer asks the order be changed to ("white", "size L", "白色"), or None."""
    if DEFECT.search(text):
        return None  # "换成新的 这个坏了": a faulty item's replacement, not another colour
    found = _CHANGE.search(text)
    if found is None:
        return None
    said = next(g for g in found.group("en", "en2", "en3", "zh") if g)
    return re.sub(r"^(?:a|one) |\s+(?:one|colou?r)$", "", said, flags=re.IGNORECASE)


def asks(turn: Turn) -> bool:
    """True for "can I change it to white", "改成白色的" with an order in play."""
    return turn.order_in_play is not None and change_asked(turn.message.text) is not None


async def answer(turn: Turn) -> list[Reply]:
    """From where the order is: not shipped, the change on a case for our team (the bot
    cannot change it itself), handed to them; shipped, too late to change, and the free
    exchange once it has come; cancelled, nothing to change."""
    number = turn.order_in_play
    target = change_asked(turn.message.text) or ""
    order = await inquiry.find_order(turn, number) if number is not None else None
    if order is None:
        return [turn.reply("order_unknown", order=number or "?")]
    turn.outcome.statused.add(order.number)
    turn.outcome.slots["order_number"] = order.number
    if order.status == "cancelled":
        return [turn.reply("cancel_already", order=order.number)]
    if order.status != "processing":
        # (Delivered, it is an exchange: read as such before this, handlers/readings.py.)
        return [turn.reply("order_change_too_late", order=order.number, change=target)]
    line = f"Change asked for order {order.number} (to {target}): {turn.message.text.strip()}"
    case = await turn.deps.cases.open(
        customer_id=turn.customer_id,
        kind=CaseKind.INQUIRY,
        # It must be done before the order ships: not left behind routine questions.
        priority=Priority.HIGH,
        reason=f"change order {order.number} to {target}",
        summary=with_order(line, order.number),
        topic=TOPIC,
    )
    turn.outcome.case = case.number
    await escalation.escalate(turn, reason=REASON, case=case)
    return [
        turn.reply("order_change_requested", order=order.number, number=case.number, change=target)
    ]
