"""In a hurry after an answer ("need it asap", "急用钱"): what can be sped up, and what not."""

from __future__ import annotations

import re

from handlers.context import DEFECT, length
from handlers.turn import Turn
from handlers.types import Reply

DETAIL = "in_a_hurry"
REFUND = "refund"
DELIVERY = "delivery"

# The customer needs it soon, said of what the last answer was about: "need it asap tbh",
# "i need the money quickly", "in a bit of a rush here", "can it be any faster", "急用钱",
# "急着用", "挺急的 能快点吗", "越快越好". (Not "加急" / "express": the switch to express.)
_URGENT = re.compile(
    r"\b(?:asap|a\.s\.a\.p|urgent(?:ly)?|in a (?:bit of a )?(?:rush|hurry)|hurry|"
    r"rush (?:it|this|that|them|the (?:order|parcel|delivery)|my (?:order|parcel))|"
    r"need (?:it|them|this|the (?:money|refund|cash|parcel|order)|my (?:money|refund|order|"
    r"parcel))(?: back)? (?:quick(?:ly)?|fast|soon|now|today|tomorrow|badly|real quick)|"
    r"(?:can|could) (?:it|this|that|you|u) (?:be |go |come |get here )?(?:any |a bit |a little )?"
    r"(?:faster|quicker|sooner)|(?:any way|anyway) to (?:speed|hurry)|"
    r"speed (?:it|this|that|things) up|as (?:soon|quick(?:ly)?|fast) as (?:possible|you can))\b|"
    r"急用|急着用|着急用|急需|很急|挺急|比较急|好急|太急|等着用|赶时间|"
    r"(?:能|可以)?(?:不能|快)?快(?:点|一点|些)|越快越好|尽快|早(?:点|一点|些)(?:到|收到|送到|发|寄)",
    re.IGNORECASE,
)
# Not willing to wait as long as the last answer said: "i'm not waiting a week", "can't wait
# that long", "no way im waiting 5 days", "我可等不了一个星期", "等不了那么久": heard, what
# can be sped up and a person offered, not the same times again nor days waited so far.
_WONT_WAIT = re.compile(
    r"\b(?:(?:i'?m|im|i am|we'?re) not|not|never|no way (?:i'?m|im|am i)?|won'?t|wont|"
    r"can'?t|cant|cannot|can not|not gonna|not going to|refuse to)\s+(?:be\s+)?"
    r"(?:wait|waiting|hang(?:ing)? on|sit(?:ting)? around)\b"
    r"(?!\s+(?:to|for (?:the|my) (?:call|reply|email|answer)))|"
    r"等不了|等不起|不想等|不能等|没法等|等不及|(?:可|真|实在)?不(?:会|愿意|打算)等",
    re.IGNORECASE,
)
_EXPRESS = re.compile(r"加急|express|expedite|next[- ]day|次日", re.IGNORECASE)
# Longer than this, the message says more than that it is urgent.
_WORDS = 12
_REFUND_TOPICS = frozenset({"ask_returns_refunds"})
_DELIVERY_TOPICS = frozenset({"ask_delivery", "ask_order_status"})


def wont_wait(text: str) -> bool:
    """True for a short message that will not wait as long as said ("i'm not waiting a
    week", "我可等不了一个星期"), with no fault told in it."""
    return (
        _WONT_WAIT.search(text) is not None
        and DEFECT.search(text) is None
        and length(text) <= _WORDS
    )


def hastens(text: str) -> bool:
    """True when the message asks for it sooner in any words (urgent, or express named)."""
    return _URGENT.search(text) is not None or _EXPRESS.search(text) is not None


def says_urgent(text: str) -> bool:
    """True for a short message that says the customer needs it soon (not express asked)."""
    return (
        _URGENT.search(text) is not None
        and _EXPRESS.search(text) is None
        and DEFECT.search(text) is None
        and length(text) <= _WORDS
    )


def reads(turn: Turn) -> str | None:
    """What the hurry is about, the refund or the delivery the last answer was on, when the
    message only says it is urgent and no case is open (an open case is raised instead)."""
    text = turn.message.text
    if turn.context.open_cases or turn.parse.orders or not (says_urgent(text) or wont_wait(text)):
        return None
    subject = turn.dialogue.subject_in_play()
    entry = subject.entry if subject is not None else None
    topic = turn.dialogue.topic
    if (entry is not None and entry.startswith(("refund", "return"))) or (
        topic in _REFUND_TOPICS
    ):
        return REFUND
    if turn.order_in_play is not None:
        # "能不能快点送到啊 急用" after an order's status: that order's own answer (where it
        # is, the courier's date), not what can be done for orders in general.
        return None
    if topic in _DELIVERY_TOPICS:
        return DELIVERY
    return None


async def answer(turn: Turn) -> list[Reply]:
    """What can be sped up for the refund or the delivery, and what only others can."""
    matter = reads(turn) or DELIVERY
    if wont_wait(turn.message.text):
        # Heard: what only speeds it up, and a person, not the same days said again.
        return [turn.offer_human(f"hurry_{matter}_wont_wait")]
    return [turn.reply(f"hurry_{matter}")]
