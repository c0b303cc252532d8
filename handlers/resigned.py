"""Acceptance without enthusiasm ("fine whatever works", "行吧 随便"): acknowledged, not thanked."""

from __future__ import annotations

import re

from handlers import declined
from handlers.acts import Act
from handlers.cases import current_case
from handlers.context import DEFECT, read_act, says_not_received
from handlers.dialogue import Purpose, Question
from handlers.escalation import reply_due
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply

INTENT = "resigned"
# A nod with a case open ("ok", "k thx", "好的谢谢"): acknowledged (thanks with a welcome),
# the case stays open, no question.
CASE_NOD = "case_nod"
# An offer turned down sourly with a case open ("ok fine, i'll wait then", "行吧 我等着"):
# the wait acknowledged, when they will hear; no "let me know if you need anything else".
SOUR = "sour_wait"

# What makes a short reply resigned rather than a plain "ok": "whatever", "i guess", "oh
# well", "nothing i can do", "随便", "行吧", "也只能这样了", "那就这样吧", "等吧".
_MARKER = re.compile(
    r"\bwhatever\b|\bw/e\b|\bi guess\b|\bguess so\b|\bi suppose\b|\bsuppose so\b|\bmeh\b|"
    r"\boh well\b|\bif you say so\b|\bit is what it is\b|\bnot like i have a choice\b|"
    r"\bnothing (?:else )?i can do\b|\bi'?ll (?:just )?(?:have to )?wait\b|\bill (?:just )?wait\b|"
    r"\bhave to wait\b|\bfine then\b|\bif i must\b|"
    r"随便|行吧|好吧|算了|就这样吧|只能这样|也只能|能咋办|还能怎样|还能咋样|凑合|等吧|等着吧|"
    r"那就等|无所谓|唉|哎|我?(?:就|先|再)?等着|(?:那|我)(?:就|先|再)?等(?:等|一下)?|"
    # "ok fine", "fine then": "fine" that is not "i'm fine" says as much.
    r"\bok(?:ay)? fine\b|\bfine,? ok(?:ay)?\b",
    re.IGNORECASE,
)
# Words that say nothing more beside the marker ("fine", "ok", "then", "那就", "吧").
_FILLER = re.compile(
    r"\b(?:ok|okay|k|kk|fine|alright|right|sure|well|yeah|ya|yes|yep|so|then|just|and|but|"
    r"i|it|its|it'?s|that|thats|that'?s|works?|will|wait|lol|sigh|ugh|eh|hmm+|sounds|good|"
    r"do|what|you|u|have|to|can|gotta|for|now|anyway|anyways)\b|"
    r"[那就吧了呗呀啊哦嗯好行这样等着也只能的嘛呢我们你]",
    re.IGNORECASE,
)


def is_resigned(text: str) -> bool:
    """True for a short reply that accepts without enthusiasm and says nothing else: a
    resignation word ("whatever", "i guess", "随便", "算了") and only filler beside it."""
    if _MARKER.search(text) is None or "?" in text or "？" in text:
        return False
    rest = _FILLER.sub(" ", _MARKER.sub(" ", text))
    return not any(c.isalnum() for c in rest)


def accepts(turn: Turn) -> bool:
    """True when the message is a resigned acceptance and no offer of the bot waits for an
    answer (to an offer, "whatever" / "算了" choose or decline it: ``handlers.declined``)."""
    if declined.offered(turn) or turn.parse.entity("order_number") is not None:
        return False
    return is_resigned(turn.message.text)


# A friendly close that says nothing more: "ok no worries cheers", "all good thanks", "行 知道了".
_NODS = (Act.ACKNOWLEDGE, Act.THANKS, Act.BYE, Act.AFFIRM)
# "no worries" reads as a "no"; only these words make a "no" a nod ("no its still broken" is not).
_NO_WORRIES = re.compile(
    r"\bno (?:worries|problem|probs?|biggie|stress|rush)\b|\bnp\b|\ball good\b|"
    r"没事|没关系|不用了|不急",
    re.IGNORECASE,
)


def nods(turn: Turn) -> bool:
    """True for a short friendly close with nothing else in it ("ok no worries cheers", "行
    知道了"): with a case open it is acknowledged as a resigned reply is, not put on the case
    as more detail for the team."""
    text = turn.message.text
    if turn.parse.orders or DEFECT.search(text) or says_not_received(text) or is_question(text):
        return False
    act = read_act(turn, text)
    return act in _NODS or (act is Act.DENY and _NO_WORRIES.search(text) is not None)


def awaits_case_order(turn: Turn) -> bool:
    """True while the bot waits for the order number of an open case ("which order is this
    about?"): a nod then is no answer, and the question stays."""
    asked = turn.dialogue.asked
    return (
        asked is not None
        and asked.question is Question.ORDER_NUMBER
        and asked.case is not None
        and asked.purpose in (Purpose.COMPLAINT, Purpose.ADDRESS)
    )


async def acknowledge(turn: Turn) -> list[Reply]:
    """A brief acknowledgement: with a case open, what happens next and when they will hear
    (a sour one, "行 我等着", with a word for the wait, no cheer); otherwise that the customer
    can write any time. No new offer, nothing stored as feedback or put on the case."""
    asked = turn.dialogue.asked
    if asked is not None and asked.case is not None and awaits_case_order(turn):
        turn.ask(asked)  # the number is still what the case needs
        return [turn.reply("case_nod_order", number=asked.case)]
    case = await current_case(turn)
    if case is None:
        return [turn.reply("resigned_ack")]
    sour = is_resigned(turn.message.text)
    when = reply_due(turn, case)
    if when is None:
        return [turn.reply("resigned_case_late" if sour else "resigned_case", number=case.number)]
    key = "resigned_case_when" if sour else "case_nod_when"
    return [turn.reply(key, number=case.number, when=when)]


async def nodded(turn: Turn) -> list[Reply]:
    """A nod with a case open: acknowledged (thanks with a welcome), when the team writes
    here; no "anything else?" (the case is what they are waiting on)."""
    if turn.outcome.intents[-1:] != ["thanks"] or awaits_case_order(turn):
        return await acknowledge(turn)
    case = await current_case(turn)
    if case is None:
        return [turn.reply("resigned_ack")]
    when = reply_due(turn, case)
    if when is None:
        return [turn.reply("case_thanks", number=case.number)]
    return [turn.reply("case_thanks_when", number=case.number, when=when)]
