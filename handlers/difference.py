"""A price difference asked about: a price dropped after the order, an exchange for a dearer
or a cheaper item."""

from __future__ import annotations

import re

from handlers.followups import format_day
from handlers.inquiry import find_order
from handlers.turn import Turn
from handlers.types import Reply

# The knowledge-base entry on how a price difference is settled (a price dropped after the
# order, an exchange for a dearer or a cheaper item).
PRICE_ENTRY = "price-difference"
# The Reading detail of a price drop asked about one order named (handlers/dispatcher.py).
ORDER = "price_drop_order"
# A price that drops within this many days of delivery is refunded the difference.
DROP_DAYS = 14

# "the difference" about money: "do i get the difference back", "how is the difference worked
# out", "price diff", "差价咋算" (not "whats the difference between them", a comparison).
_DIFFERENCE = re.compile(r"\bdiff(?:erence|rence|erance)?\b", re.IGNORECASE)
_DIFFERENCE_ZH = re.compile(r"差价|差额|差的钱")
_COMPARES = re.compile(
    r"\bbetween\b|\bin (?:size|power|features|specs)\b|"
    r"\bin (?:price|cost)\b(?!.*\b(?:back|refund\w*|pay\w*)\b)|区别|不同",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"\b(?:pay|paying|paid|refund\w*|back|owe|work(?:ed|s)? out|calculat\w*|settle\w*|handled?|"
    r"charg\w*|get|cover\w*|extra|top ?up|cheaper|dearer|expensive|price|exchang\w*|swap\w*|"
    r"switch\w*|money|cash|return\w*)\b",
    re.IGNORECASE,
)
# A price that went down after the order: "its cheaper now on your site", "the blender dropped
# in price", "price went down 2 days after i ordered", "降价了", "买完就便宜了", "保价吗".
_DROPPED = re.compile(
    r"\bprices?\s+(?:has\s+|have\s+|just\s+)?(?:dropped|went down|gone down|fell|been reduced|"
    r"reduced|been cut|cut|is lower)\b|"
    r"\b(?:dropped|went down|gone down|came down|fell)\s+(?:in price|by \$?\d)|"
    r"\bprice (?:drop|cut|reduction|protection|match(?:ing)?|adjustment)\b|"
    r"\b(?:now|got|gone|became|went|getting)\s+cheaper\b|"
    r"\bcheaper (?:now|on your (?:site|website|app|shop)|online|today|this week|since)\b|"
    r"降价|掉价|便宜了|价格保护|保价|价保",
    re.IGNORECASE,
)
# Paying more, or getting money back, on an exchange: "do i pay extra if i swap for the
# dearer one", "换贵的要补钱吗", "换便宜的退钱吗".
_EXCHANGE_MONEY = re.compile(
    r"\b(?:swap\w*|exchang\w*|switch\w*|upgrad\w*|trade\w*)\b.{0,60}"
    r"\b(?:pay|paying|charged?)\s+(?:more|extra|the rest)\b|"
    r"\b(?:pay|paying|charged?)\s+(?:more|extra|the rest)\b.{0,60}"
    r"\b(?:swap\w*|exchang\w*|switch\w*|upgrad\w*)\b|"
    r"换.{0,12}(?:贵|便宜).{0,12}(?:补|退|钱)|补钱|多退少补",
    re.IGNORECASE,
)
# Money settled on something bought: refunded, paid, an exchange, a price that dropped.
_SETTLED = re.compile(
    r"\b(?:back|refund\w*|pay\w*|paid|owe|charg\w*|extra|top ?up|exchang\w*|swap\w*|"
    r"switch\w*|return\w*|bought|ordered)\b|退|补|换|买了|买的|下单",
    re.IGNORECASE,
)
# Keeping a wrong item for part of the money back is the team's to decide (on its case).
_KEEPS = re.compile(r"\bkeep(?:ing)?\b|留着|留下", re.IGNORECASE)


def asks_price_difference(text: str) -> bool:
    """True when the message asks how a price difference is settled, or says a price
    dropped after the order: "do i get the difference back", "差价咋算", "its cheaper now"."""
    if _KEEPS.search(text) is not None:
        return False
    if _DROPPED.search(text) is not None or _EXCHANGE_MONEY.search(text) is not None:
        return True
    if _COMPARES.search(text) is not None:
        return False
    if _DIFFERENCE_ZH.search(text) is not None:
        return True
    return _DIFFERENCE.search(text) is not None and _MONEY.search(text) is not None


def settles(text: str) -> bool:
    """True when the words are about money settled on something bought (refunded, paid on an
    exchange, a price dropped), not only the gap between two prices ("差价咋算" right after
    two products' prices is that gap)."""
    return (
        _SETTLED.search(text) is not None
        or _DROPPED.search(text) is not None
        or _EXCHANGE_MONEY.search(text) is not None
    )


async def for_order(turn: Turn) -> list[Reply] | None:
    """A price drop asked about an order named ("bought it last week, order 88101, now it's
    cheaper"): that order's days against the 14 after delivery (within them, how the
    difference comes back; past them, said so); None when the order is not known."""
    number = turn.parse.orders[0].value if turn.parse.orders else turn.order_in_play
    order = None if number is None else await find_order(turn, number)
    if order is None or order.status == "cancelled":
        return None
    turn.outcome.slots["order_number"] = order.number
    delivered = order.eta_date() if order.status == "delivered" else None
    if delivered is None:
        return [turn.offer_human("price_drop_not_delivered", order=order.number)]
    days = (turn.deps.clock().date() - delivered).days
    day = format_day(delivered, turn.language)
    if days <= DROP_DAYS:
        return [turn.offer_human("price_drop_within", order=order.number, day=day)]
    return [turn.reply("price_drop_past", order=order.number, day=day, days=days)]



# An exchange named: the difference is the dearer or cheaper item's, not a price drop.
_SWAP = re.compile(r"\b(?:swap\w*|exchang\w*|switch\w*|upgrad\w*)\b|换(?:货|成|个|贵|便宜)", re.I)


def drops(text: str) -> bool:
    """True when a price difference asked about is a price that went down after buying
    ("its cheaper now", "现在便宜了 能退差价吗"), not an exchange for another item."""
    return _EXCHANGE_MONEY.search(text) is None and _SWAP.search(text) is None
