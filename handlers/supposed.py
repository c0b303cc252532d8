"""What happens to the order in play if something goes wrong with it, answered about that order.

Right after an order's status, customers suppose what could still go wrong with it and ask
what then: it does not come by a day ("and if it hasnt shown up by saturday is that a refund"),
it comes damaged ("万一路上压坏了呢"), it stops working later ("and if it packs in after a few
months"). Each topic word (refund, damage, warranty) belongs to that order: the answer says what
happens for it (its date and carrier, its item, its warranty's end), not the topic's generic
text, no case opened for a problem that has not happened, and no "which order?".
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


class Supposed(Enum):
    """What the customer supposes could go wrong with the order."""

    LATE = "late"
    DAMAGED = "damaged"
    FAULT = "fault"


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
    r"\b(?:damaged|broken|broke|smashed|cracked|dented|crushed|shattered|bashed|busted|"
    r"in pieces|scratched)\b"
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
# What has already happened is no supposition: "it came broken, what if i send it back".
_HAPPENED = re.compile(
    r"\b(?:it|they|mine|the \w+)\s+(?:came|arrived|is|are|was|were)\s+(?:already\s+)?"
    r"(?:damaged|broken|cracked|smashed|faulty)\b|\bhas (?:stopped|broken)\b|"
    r"已经(?:坏|碎|破|压坏|摔坏)|(?:收到|到了|拆开)(?:就|时|的时候)?(?:已经)?(?:坏|碎|破|裂)",
    re.IGNORECASE,
)
# A Chinese question needs no question mark: "咋办", "怎么办", a closing "呢" or "吗".
_ZH_ASKS = re.compile(
    r"咋办|怎么办|怎么弄|咋弄|咋整|呢|吗|么|能.{0,6}(?:退|换|赔)|可以.{0,6}(?:退|换|赔)"
)


def supposition(text: str) -> Supposed | None:
    """What the customer supposes could go wrong, asked as a question: "suppose it still isnt
    here on the 30th, what then" (late), "what if the glass gets smashed on the way"
    (damaged), "要是用几个月坏了咋办" (a fault later), or None."""
    if _HAPPENED.search(text) or not (is_question(text) or _ZH_ASKS.search(text)):
        return None
    for kind in (Supposed.FAULT, Supposed.DAMAGED, Supposed.LATE):
        if _EN_WHEN[kind].search(text) or _ZH_WHEN[kind].search(text):
            if kind is Supposed.DAMAGED and _LATER.search(text):
                return Supposed.FAULT  # broken after months of use: the warranty, not transit
            return kind
    return None


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
