"""Information said, not asked ("it shipped yesterday i think", "好像昨天就发货了"): a fact
for the order in hand, answered with what we know of it, never a fallback."""

from __future__ import annotations

import re

from handlers.context import DEFECT, length
from handlers.questions import is_question
from handlers.turn import Turn

# The order's journey told as done, hedged or not: "it shipped yesterday i think", "they
# dispatched it on monday apparently", "pretty sure it went out already", "its been
# delivered", "好像昨天就发货了", "应该已经寄出了", "物流显示已经到了".
_NEWS = re.compile(
    r"\b(?:shipped|shiped|dispatched|dispached|sent(?: out| off)?|went out|posted|"
    r"left (?:the )?(?:warehouse|depot)|(?:was|got|been) (?:picked up|collected)|"
    r"out for delivery|delivered|arrived|came|landed)\b|"
    r"发货了|发出(?:来)?了|已(?:经)?发(?:货|出)?了?|寄出(?:来)?了|出库了|揽收了|在路上了?|"
    r"派送中|已(?:经)?签收|(?:快|已经|应该)到了",
    re.IGNORECASE,
)
# Not news but its absence, a question or a problem: "it never came", "还没发货", "没到".
_NOT_NEWS = re.compile(
    r"n'?t\b|\bnot\b|\bnever\b|\bno\b|\bnothing\b|\bstill\b|\bwhen\b|\bwhere\b|\bif\b|"
    r"没|未|不|吗|么|呢|\?|？",
    re.IGNORECASE,
)
# Longer than this, the message says more than a fact.
_WORDS = 10


def order_news(turn: Turn) -> bool:
    """True when, an order's status just answered, the customer tells what they know of the
    order ("it shipped yesterday i think", "应该已经寄出了"): short, a statement, no fault, no
    absence; the order's status is the answer (what we know, beside what they heard)."""
    text = turn.message.text
    if turn.dialogue.topic != "ask_order_status" or turn.order_in_play is None:
        return False
    if _NEWS.search(text) is None or _NOT_NEWS.search(text) or DEFECT.search(text):
        return False
    return length(text) <= _WORDS and not is_question(text)
