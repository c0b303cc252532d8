"""What the shop does that customers ask for by name: the knowledge entry that answers it."""

from __future__ import annotations

import re

from handlers import inquiry, remedy
from handlers.cases import current_case
from handlers.knowledge import FaqEntry
from handlers.orders import with_order
from handlers.turn import Turn
from handlers.types import Reply

# The tag of the knowledge entries read here (handlers/data/faq.yml): gift wrapping and notes,
# a gift sent to another address, a delivery held till a later day, prices for many or for a
# business, other shops' prices matched.
OFFER = "offer"
# The Reading detail (handlers/readings.py).
DETAIL = "shop_offer"
# The entry of a delivery held till a later day: with a case open about the item (to be sent
# again) or a parcel that never came, the day goes on that case.
LATER = "delivery-later"

# The day said, to say back: "after the 30th", "not before friday", "30号以后".
_DAY_SAID = re.compile(
    r"\b(?:after|not before|no earlier than|not until|until|till|from)\s+(?:the\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\b|(?:mon|tues|wednes|thurs|fri|satur|sun)day|next (?:week|month)|"
    r"christmas|new year)|"
    r"(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])(?:号|日)(?:以后|之后|后)|"
    r"(?:下周|下个月|月底|月初)",
    re.IGNORECASE,
)


def asked(turn: Turn) -> FaqEntry | None:
    """The entry of what the shop offers that the request names ("can you gift wrap it",
    "send it to my mum's as a present", "resend it but after the 30th", "we'd buy 20 for the
    office, any discount", "do you price match", "能写张贺卡吗", "批发有优惠吗", "30号以后再送"),
    if any: a question answered with what the shop does, never the fallback, a complaint
    case, or a question left on an open case for the team. Of several named, the one whose
    questions are closest."""
    text = turn.message.text
    for number in turn.parse.orders:
        # "order 88101 ... now it's cheaper" is one order's number, not 88101 bought at once.
        text = text.replace(number.text, " ")
    knowledge = turn.deps.knowledge
    named = [e for e in knowledge.entries if OFFER in e.tags and e.named_in(text) and e.fits(text)]
    if not named:
        return None
    best = knowledge.find(text)
    return best if best in named else named[0]


async def answer(turn: Turn, entry_id: str) -> list[Reply]:
    """What the shop does. A later delivery day asked while a case about the item (to be
    sent again) or a lost parcel is open is noted on that case and said back: the team
    sends it so it arrives from then (the customer need not ask anyone again)."""
    entry = turn.deps.knowledge.entry(entry_id)
    if entry is None:
        return await inquiry.answer(turn)
    if entry.id == LATER and (remedy.item_case_open(turn) or remedy.lost_case_open(turn)):
        case = await current_case(turn)
        if case is not None:
            line = turn.message.text.strip()
            turn.outcome.case = case.number
            await turn.deps.cases.update(
                case.number,
                summary=with_order(f"{case.summary}\n{line}".strip(), turn.order_in_play),
            )
            await turn.deps.cases.add_note(
                case.number, author="bot", text=f"Customer wants it delivered later: {line}"
            )
            day = _DAY_SAID.search(line)
            if day is None:
                return [turn.reply("later_on_case", number=case.number)]
            return [turn.reply("later_on_case_day", number=case.number, day=day.group())]
    return await inquiry.answer_from(turn, entry)
