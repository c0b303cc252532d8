"""What happens if something goes wrong with an order, asked before it has.

Right after an order's status, customers suppose what could still go wrong with it and ask
what then: it does not come by a day ("and if it hasnt shown up by saturday is that a refund"),
it comes damaged ("万一路上压坏了呢"), it stops working later ("and if it packs in after a few
months"). Each topic word (refund, damage, warranty) belongs to that order: the answer says what
happens for it (its date and carrier, its item, its warranty's end), not the topic's generic
text, no case opened for a problem that has not happened, and no "which order?".

Asked with no order in play ("what happens if the item is damaged in transit", "if the wrong
item turns up what do i do", "缺配件的话怎么弄", "要是收到的时候箱子破了能拒收吗"), the same
question is the shop's way with that problem, said for whenever it happens: no case is opened
and no order number asked for a parcel that may be fine. A question the knowledge base has
an entry for as such (who pays the postage back, the new one before the old one is back, a
dropped item under warranty) is that entry's.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum

from handlers.followups import format_day
from handlers.inquiry import find_order
from handlers.orders import Order
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply

DETAIL = "supposed"
# The same supposed of no order in particular: what the shop does should it happen.
ANY = "supposed_any"


class Supposed(Enum):
    """What the customer supposes could go wrong with the order."""

    LATE = "late"
    DAMAGED = "damaged"
    FAULT = "fault"
    WRONG = "wrong"
    MISSING = "missing"


# The condition said as one: "if", "what if", "in case", "suppose", "要是", "万一", "...的话".
_EN_IF = r"\b(?:if|in case|suppos(?:e|ing)|should it|say it)\b"
_ZH_IF = r"(?:要是|如果|万一|假如|若是|假设|到时候?)"
# It does not come in time: "not here by the 30th", "never shows up", "没到", "到不了".
_EN_LATE = (
    r"(?:not|isn'?t|isnt|doesn'?t|doesnt|don'?t|dont|didn'?t|didnt|hasn'?t|hasnt|won'?t|wont|"
    r"never|still not)\s+(?:\w+\s+){0,2}?(?:here|come|arrive[sd]?|turn(?:s|ed)? up|"
    r"show(?:s|ed)? up|get here|delivered|make it|in time)|\b(?:comes?|arrives?|is|runs?) late\b"
)
_ZH_LATE = r"没到|不到|到不了|没送到|没来|没收到|还没|延误|迟到|晚到|送不到|赶不上"
# It comes damaged: "damaged", "broken", "smashed", "压坏", "摔坏", "碎了", "破了".
_EN_DAMAGED = (
    r"\b(?:damaged|broken|broke|smashed|cracked|chipped|dented|bent|crushed|shattered|bashed|"
    r"busted|in pieces|scratched)\b"
)
_ZH_DAMAGED = r"坏了?|压坏|压烂|摔烂|烂了|摔坏|碰坏|磕坏|碎了?|破了|破损|损坏|裂了?|变形|划痕"
# It stops working later: "stops working", "dies", "packs in", "用不了", "不转了", "没反应".
_EN_FAULT = (
    r"\b(?:stops?|stopped|quits?) (?:working|heating|charging|turning on)|\b(?:dies|died|"
    r"packs? (?:in|up)|breaks? down|conks? out|goes wrong|fails?|faulty|playing up)\b"
)
_ZH_FAULT = r"用不了|不能用|不工作|不转|不热|不亮|没反应|失灵|故障|出问题|出毛病|开不了机"
# Later, in use: "after a few months", "in a year", "用半年", "过段时间".
_EN_LATER = (
    r"\b(?:after|in|within)\s+(?:a|an|one|two|few|a few|some|\d+|six|the first)?\s*"
    r"(?:few\s+)?(?:days?|weeks?|months?|years?|yr|while)\b|\b(?:later|down the line|"
    r"eventually|someday|one day|long run)\b"
)
_ZH_LATER = r"(?:用|过)了?.{0,4}(?:天|周|个月|月|年|段时间|阵子)|以后|之后|将来|后面|过段时间"

# Said short, right after whether it makes the day: "what if it doesnt", "and if not?".
_EN_BARE_LATE = (
    r"^\W*(?:and |but |so |ok )?(?:what )?if (?:it |they )?(?:doesn'?t|does not|won'?t|isn'?t|"
    r"is not|don'?t|can'?t|not)(?: make it| come| arrive| get here)?(?: in time)?\W*(?:then)?\W*$"
)
_EN_WHEN = {
    Supposed.LATE: re.compile(
        rf"{_EN_IF}[^.?!]{{0,40}}?(?:{_EN_LATE})|{_EN_BARE_LATE}", re.IGNORECASE
    ),
    Supposed.DAMAGED: re.compile(rf"{_EN_IF}[^.?!]{{0,40}}?(?:{_EN_DAMAGED})", re.IGNORECASE),
    Supposed.FAULT: re.compile(rf"{_EN_IF}[^.?!]{{0,40}}?(?:{_EN_FAULT})", re.IGNORECASE),
}
_ZH_WHEN = {
    # ("到不了咋办", "赶不上呢": can't make it, asked of what is still on its way; not "还没到
    # 怎么办", which says it has not come.)
    Supposed.LATE: re.compile(
        rf"{_ZH_IF}[^。？！?!]{{0,12}}?(?:{_ZH_LATE})|(?:{_ZH_LATE}).{{0,6}}的话|"
        r"(?:到不了|赶不上|送不到|来不及)(?:的话)?.{0,4}(?:咋办|怎么办|呢)"
    ),
    Supposed.DAMAGED: re.compile(
        rf"{_ZH_IF}[^。？！?!]{{0,12}}?(?:{_ZH_DAMAGED})|(?:{_ZH_DAMAGED}).{{0,4}}(?:的话|咋办|怎么办)"
    ),
    Supposed.FAULT: re.compile(
        rf"{_ZH_IF}[^。？！?!]{{0,12}}?(?:{_ZH_FAULT})|(?:{_ZH_FAULT}).{{0,4}}(?:的话|咋办|怎么办)"
    ),
}
_LATER = re.compile(rf"{_EN_LATER}|{_ZH_LATER}", re.IGNORECASE)
# What has already happened is no supposition: "it came broken, what if i send it back" (but
# "what happens if the item is damaged" supposes it: the condition said right before it).
_HAPPENED = re.compile(
    r"\b(?:it|they|mine|the \w+)\s+(?:came|arrived|is|are|was|were)\s+(?:already\s+)?"
    r"(?:damaged|broken|cracked|smashed|faulty)\b|\bhas (?:stopped|broken)\b|"
    r"已经(?:坏|碎|破|压坏|摔坏)|(?:收到|到了|拆开)(?:就|时|的时候)?(?:已经)?(?:坏|碎|破|裂)",
    re.IGNORECASE,
)
_CONDITION_BEFORE = re.compile(rf"(?:{_EN_IF}|{_ZH_IF})[^.?!。？！]{{0,12}}$", re.IGNORECASE)
# A Chinese question needs no question mark: "咋办", "怎么办", a closing "呢" or "吗", a
# choice ("是先寄回去还是先发新的").
_ZH_ASKS = re.compile(
    r"咋办|怎么办|怎么弄|咋弄|咋整|怎么处理|呢|吗|么|能.{0,6}(?:退|换|赔)|可以.{0,6}(?:退|换|赔)|"
    r"还是先|是先.{1,10}还是"
)

# Supposed of no order in particular, the condition said in so many words: "what happens if",
# "in case", "if the ... turns up" (not "let me know if my broken kettle ...", which tells of
# one), "要是", "万一", "...的话".
_EN_ANY_IF = (
    r"\b(?:what if|what happens if|in case|suppos(?:e|ing)|should (?:it|they|the \w+|my \w+)|"
    r"say (?:it|they|the \w+|my \w+)|"
    r"(?<!know )(?<!see )(?<!check )(?<!wonder )(?<!me )(?<!ask )(?<!asking )if)\b"
)
_EN_WRONG = (
    r"\bwrong (?:item|one|thing|size|colou?r|model|product|parcel|goods)|\bnot what i ordered\b|"
    r"\bsomething else (?:turns up|arrives|comes)"
)
_ZH_WRONG = r"发错|寄错|送错|错(?:了)?货|不是我(?:买|订|要|下单)的"
_EN_MISSING = (
    r"\b(?:parts?|pieces?|bits?|accessor(?:y|ies)|items?|something|anything)\s+(?:is |are )?"
    r"(?:missing|left out|not in (?:the|it))|\bmissing (?:a |an |the |some )?"
    r"(?:parts?|pieces?|items?|accessor(?:y|ies)|bits?)\b"
)
_ZH_MISSING = (
    r"缺(?:了)?(?:个|些)?(?:配件|零件|东西|件|货)|少(?:了)?(?:个|些)?(?:配件|零件|东西|件)|"
    r"漏发|少发|缺件"
)
_ANY_EN = {
    # ("should the vacuum break within a year": breaking in use is a fault.)
    Supposed.FAULT: rf"{_EN_FAULT}|\bbreaks?\b|\bleak(?:s|ing)?\b",
    Supposed.DAMAGED: _EN_DAMAGED,
    Supposed.WRONG: _EN_WRONG,
    Supposed.MISSING: _EN_MISSING,
}
_ANY_ZH = {
    Supposed.FAULT: _ZH_FAULT,
    Supposed.DAMAGED: _ZH_DAMAGED,
    Supposed.WRONG: _ZH_WRONG,
    Supposed.MISSING: _ZH_MISSING,
}
_ANY_WHEN = {
    kind: re.compile(
        rf"{_EN_ANY_IF}[^.?!]{{0,40}}?(?:{_ANY_EN[kind]})|"
        rf"{_ZH_IF}[^。？！?!]{{0,12}}?(?:{_ANY_ZH[kind]})|(?:{_ANY_ZH[kind]})[^。？！?!]{{0,4}}的话",
        re.IGNORECASE,
    )
    for kind in _ANY_EN
}
# Past the warranty ("what if it packs in after the warranty"): the warranty's own question.
_PAST_WARRANTY = re.compile(
    r"\b(?:after|past|outside|out of|beyond) (?:the |its |my )?(?:warranty|guarantee)|"
    r"过了保修|保修期?(?:外|过了|以后|之后|到期)|出了保修",
    re.IGNORECASE,
)
# Asked without a question's form: "in case it comes crushed should i still sign for it",
# "just wondering what happens if ...".
_EN_ASKS = re.compile(
    r"\b(?:should|shall|would|do|can|could|will|must) (?:i|we|you|u)\b|\bwonder(?:ing)?\b|"
    r"\bwhat happens\b|\bam i\b|\bis (?:it|that) (?:on|covered)",
    re.IGNORECASE,
)
# The entries that answer such a question as asked, when it all but repeats one of theirs.
_ANSWERED_AS_ASKED = frozenset(
    {"returns-shipping", "returns-first", "warranty-accident", "warranty-no-receipt"}
)


def _happened(text: str) -> bool:
    """Whether the message tells of the problem as having happened ("it came broken"), not
    under a condition said right before ("what happens if the item is damaged")."""
    return any(
        not _CONDITION_BEFORE.search(text[: m.start()]) for m in _HAPPENED.finditer(text)
    )


def supposition(text: str) -> Supposed | None:
    """What the customer supposes could go wrong, asked as a question: "suppose it still isnt
    here on the 30th, what then" (late), "what if the glass gets smashed on the way"
    (damaged), "要是用几个月坏了咋办" (a fault later), or None."""
    if _happened(text) or not (is_question(text) or _ZH_ASKS.search(text)):
        return None
    for kind in (Supposed.FAULT, Supposed.DAMAGED, Supposed.LATE):
        if _EN_WHEN[kind].search(text) or _ZH_WHEN[kind].search(text):
            if kind is Supposed.DAMAGED and _LATER.search(text):
                return Supposed.FAULT  # broken after months of use: the warranty, not transit
            return kind
    return None


def supposed_of_any(text: str) -> Supposed | None:
    """What the customer supposes could go wrong with an order not named, the condition said
    in so many words and asked: "what happens if the item is damaged in transit" (damaged),
    "if the wrong item turns up what do i do" (wrong), "缺配件的话怎么弄" (missing), "万一用了
    半年坏了呢" (a fault), or None ("my kettle arrived broken, what now" tells of one)."""
    asked = is_question(text) or _ZH_ASKS.search(text) or _EN_ASKS.search(text)
    if _happened(text) or not asked:
        return None
    if _PAST_WARRANTY.search(text):
        return None
    for kind in (Supposed.WRONG, Supposed.MISSING, Supposed.FAULT, Supposed.DAMAGED):
        if _ANY_WHEN[kind].search(text):
            if kind is Supposed.DAMAGED and _LATER.search(text):
                return Supposed.FAULT
            return kind
    return None


def entry_as_asked(turn: Turn) -> str | None:
    """The knowledge base's entry for the supposing question as asked, when it all but repeats
    a question of one of those that answer it so ("坏了的话是先寄回去还是先发新的": the new one
    sent once the old one is on its way)."""
    entry = turn.deps.knowledge.near(turn.message.text)
    return entry.id if entry is not None and entry.id in _ANSWERED_AS_ASKED else None


def answer_any(turn: Turn) -> list[Reply]:
    """What the shop does should what the customer supposes happen to an order."""
    kind = supposed_of_any(turn.message.text)
    if kind is None:  # (read so only when it is there)
        return []
    return [turn.reply(f"supposed_{kind.value}_any")]


async def about_order(turn: Turn) -> Order | None:
    """The order in play when the message supposes something about it that its state still
    allows (a shipped or waiting order may still be late; one on its way or delivered may
    come damaged or fail later); None otherwise."""
    kind = supposition(turn.message.text)
    number = turn.order_in_play
    if kind is None or number is None:
        return None
    order = await find_order(turn, number)
    if order is None or order.status == "cancelled":
        return None
    today = turn.deps.clock().date()
    if kind is Supposed.LATE and (order.status == "delivered" or order.is_late(today)):
        return None  # delivered, or late already: the parcel's own paths answer that
    return order


def _item(turn: Turn, order: Order) -> str:
    first = order.items.split(";")[0].strip()
    first = re.sub(r"^\d+\s*x\s*", "", first)
    return first or ("商品" if turn.language == "zh" else "item")


def _warranty_end(order: Order, today: date) -> date:
    start = order.eta_date() if order.status == "delivered" else None
    start = start or today
    try:
        return start.replace(year=start.year + 2)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 2, day=28)


async def answer(turn: Turn) -> list[Reply]:
    """What happens to the order in play should what the customer supposes happen."""
    order = await about_order(turn)
    kind = supposition(turn.message.text)
    if order is None or kind is None:  # (read so only when both are there)
        return []
    turn.outcome.slots["order_number"] = order.number
    item = _item(turn, order)
    today = turn.deps.clock().date()
    if kind is Supposed.LATE:
        day = order.arrives_by(turn.deps.shipping.standard_days[1]) or order.eta_date() or today
        if order.status == "processing":
            day_said = format_day(day, turn.language)
            return [turn.reply("supposed_late_waiting", order=order.number, day=day_said)]
        return [
            turn.reply(
                "supposed_late",
                order=order.number,
                day=format_day(day, turn.language),
                carrier=order.carrier,
                tracking=order.tracking,
            )
        ]
    if kind is Supposed.DAMAGED:
        key = "supposed_damaged_came" if order.status == "delivered" else "supposed_damaged"
        return [turn.reply(key, order=order.number, item=item)]
    end = _warranty_end(order, today)
    key = "supposed_fault_came" if order.status == "delivered" else "supposed_fault"
    return [turn.reply(key, order=order.number, item=item, until=_full_date(end, turn.language))]


def _full_date(day: date, language: str) -> str:
    """A date with its year, as customers write it: "21 November 2028", "2028年11月21日"."""
    if language == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day.strftime('%B')} {day.year}"
