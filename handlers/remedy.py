"""A customer's choice of replacement or refund for a faulty item, recorded on their case."""

from __future__ import annotations

import re

from crm_memory import CaseKind
from handlers.cases import current_case
from handlers.complaint import REPLACEMENT, complaint
from handlers.context import DEFECT, chosen_remedy
from handlers.orders import with_order
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply

# Who the note with the customer's choice is from, in the desk and the agents' group card.
AUTHOR = "bot"

# The remedy wanted in so many words, before the bot gave the choice: "I just want a new
# one", "replacement please", "直接给我换个新的", "给我退款吧".
_WANTS = re.compile(
    r"\b(?:i (?:just |only |really )?(?:want|need|would like|'d like|wanna)|i'?d (?:like|prefer|"
    r"rather)|just (?:send|give|get)|(?:send|give|get) me|can i (?:just )?(?:get|have)|"
    r"(?:please|pls|plz) (?:send|give|get))\b.{0,25}\b(?:new one|replacement|replace (?:it|them)|"
    r"exchange|swap|refund|money back)\b|"
    r"\b(?:replacement|refund|new one|exchange)\s*(?:please|pls|plz)\b|"
    r"(?:直接|给我|帮我|麻烦|我要|我想|要求|就想|只想)(?:给我|帮我)?.{0,4}"
    r"(?:换(?:一|个|一个)?新的?|换货|换一个|补发|重新发|退款|退钱)|"
    r"(?:换个新的|换新的|换货|退款|退钱)(?:吧|就行|就好|得了)",
    re.IGNORECASE,
)
# How or when it goes, not which: "how long does a replacement take", "换货要多久".
_HOW = re.compile(
    r"\bhow\b|\bwhen\b|\bhave to\b|\bneed to\b|\bdo (?:i|u|you|we)\b|多久|几天|怎么|什么时候|"
    r"啥时候|流程|要先|需要先|得先|是不是|要不要",
    re.IGNORECASE,
)
# How a return goes, asked ("do i have to send the broken one back first", "can I drop it
# at a post office", "要先寄回去吗", "退货要我自己出运费吗"): the FAQ answers, even while a
# case about the faulty item is open.
_RETURN_HOW = re.compile(
    r"\b(?:send|post|ship|mail|return|take|drop|bring)\b.{0,30}\b(?:back first|first|post office|"
    r"locker|parcel shop|drop-?off|collect(?:ed|ion)?)\b|"
    r"\bwho pays\b.{0,20}\b(?:return|postage|shipping|sending)|"
    r"\b(?:do|will) i (?:have|need) to (?:pay|send|return|post)\b.{0,30}\b(?:back|return|postage)|"
    r"\b(?:pay|postage|shipping)\b.{0,20}\b(?:send(?:ing)? it back|return(?:ing)? it|the return)\b|"
    r"\bdrop (?:it|them)(?: off)? at\b|"
    r"(?:要|需要|得)(?:先)?(?:寄回|退回|寄回去)|先寄|寄回(?:去)?(?:吗|么)|退(?:货|回).{0,8}(?:运费|邮费)|"
    r"(?:退|寄回|退回).{0,10}(?:运费|邮费)|(?:运费|邮费).{0,6}(?:退|寄回)|(?:放|寄到?|拿到)(?:驿站|快递柜|邮局)|上门取",
    re.IGNORECASE,
)


def asks_how_to_return(text: str) -> bool:
    """True when the customer asks how sending an item back goes (first or not, where to
    drop it, who pays the postage)."""
    return _RETURN_HOW.search(text) is not None and is_question(text, form=True)


def wants(turn: Turn) -> bool:
    """True when the customer asks for a replacement or a refund before being offered the
    choice: with the problem in the same message, or with a complaint case open."""
    text = turn.message.text
    if _WANTS.search(text) is None or chosen_remedy(text) is None or _HOW.search(text):
        return False
    complained = any(c.kind is CaseKind.COMPLAINT for c in turn.context.open_cases)
    return complained or DEFECT.search(text) is not None


async def record_choice(turn: Turn) -> list[Reply]:
    """ "yes a replacement please" / "换个新的吧", after the bot gave the choice or before:
    on the open case (the customer's words with the others, and a note agents see at a
    glance), and what happens next. With no case open, the problem opens one first, and the
    choice is not offered again: it was just made."""
    choice = chosen_remedy(turn.message.text) or "replacement"
    case = await current_case(turn)
    opened: list[Reply] = []
    if case is None:
        turn.outcome.said.setdefault(REPLACEMENT, 0)
        opened = await complaint(turn)
        if turn.outcome.case is None:
            return opened
        number = turn.outcome.case
    else:
        number = case.number
        turn.outcome.case = number
        line = turn.message.text.strip()
        await turn.deps.cases.update(
            number, summary=with_order(f"{case.summary}\n{line}".strip(), turn.order_in_play)
        )
    # A note of its own (author, time), never parsed back out of the summary.
    await turn.deps.cases.add_note(
        number, author=AUTHOR, text=f"Customer's choice: {choice} (said in the chat)"
    )
    noted = turn.reply(
        "remedy_noted",
        number=number,
        choice=turn.say(f"choice_{choice}"),
        next=turn.say(f"remedy_next_{choice}"),
    )
    return [*opened, noted]
