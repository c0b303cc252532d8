"""Short follow-ups that point back: "the first one", "第二个呢", "what day is it", "废话"."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date

from handlers import cases, context, inquiry
from handlers.clauses import ideographs
from handlers.dialogue import ENTITY_TURNS, Dialogue
from handlers.orders import OrderLookupError
from handlers.turn import Turn
from handlers.types import Reply
from nlu import Entity, ParseResult

logger = logging.getLogger(__name__)

# Where an order entity came from when the customer pointed at it by position.
POINTED = "pointed"
# Reading details: the exact day of the order in play; an answer that did not help.
EXACT_DAY = "exact_day"
PUSHBACK = "pushback"

# An order by its place among those named in this conversation.
_FIRST = re.compile(
    r"\b(?:the )?(?:first|1st|earlier) (?:one|order|parcel|package|delivery)\b|"
    r"第一(?:个|单|笔|件)|头一个|前一个|前面那个",
    re.IGNORECASE,
)
_SECOND = re.compile(
    r"\b(?:the )?(?:second|2nd|latter|later) (?:one|order|parcel|package|delivery)\b|"
    r"第二(?:个|单|笔|件)|后一个|后面那个",
    re.IGNORECASE,
)
_OTHER = re.compile(
    r"\b(?:the )?other (?:one|order|parcel|package|delivery)\b|"
    r"另(?:外)?一(?:个|单|笔|件)|另外那(?:个|单)",
    re.IGNORECASE,
)
# "what day is that exactly", "具体哪天", "星期几到": the date itself, with its weekday.
_EXACT_DAY = re.compile(
    r"\b(?:what|which) (?:day|date)\b|\bexact (?:day|date)\b|\bwhen exactly\b|\bexactly when\b|"
    r"\bday of the week\b|具体(?:是)?(?:哪天|哪一天|几号|什么时候|啥时候|日期)|哪一天|"
    r"星期几|礼拜几|周几|几月几(?:号|日)",
    re.IGNORECASE,
)
# An answer the customer says did not help, or repeats what they were told before.
_PUSHBACK = re.compile(
    r"\b(?:doesn'?t|does not|didn'?t|did not|won'?t|not) (?:really |even |much |actually )?"
    r"help(?:ing)?\b|\b(?:isn'?t|wasn'?t|not) (?:very |really |at all )?helpful\b|"
    r"\bno help\b|\bthat'?s what you said\b|"
    r"\byou (?:already )?said (?:that|this)(?: already| before)?\b|"
    r"\bsame (?:thing|answer|reply|message) (?:again|as before|as last time)\b|"
    r"\byou keep saying\b|\bi (?:already )?know (?:that|this)(?: already)?\b|"
    r"\btell me something i don'?t know\b|\b(?:that'?s )?not what i asked\b|"
    r"\byou'?re not listening\b|\b(?:that )?doesn'?t answer\b|\bthanks for nothing\b|"
    r"废话|早就(?:超过|过了|到了|该到|知道|说过)|超过(?:好几天|好多天|很久|好久)了|说了等于没说|等于没说|"
    r"上次(?:也|就)?(?:是)?(?:这么|这样)说|(?:又|还)是(?:这句|这套|这些话)|每次都(?:这么|这样)说|"
    r"你(?:都|已经)?说过了|这(?:个)?我(?:早)?(?:就)?知道|还用你说|有什么用|有啥用|没啥用|一点用都没有|"
    r"答非所问|我问的不是这个|没解决(?:我的)?问题",
    re.IGNORECASE,
)
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS_ZH = "一二三四五六日"


def orders_in_play(dialogue: Dialogue) -> list[str]:
    """The order numbers of the last turns, in the order they were put in play."""
    seen = [
        s.value
        for s in dialogue.slots
        if s.kind == "order_number" and dialogue.turn - s.turn <= ENTITY_TURNS
    ]
    return list(dict.fromkeys(seen))


def pointed_order(text: str, dialogue: Dialogue) -> str | None:
    """The order a message points at by position ("the first one", "第二个", "the other
    one") when two or more were named in this conversation; None otherwise."""
    orders = orders_in_play(dialogue)
    if len(orders) < 2:
        return None
    found = [
        (match.start(), which)
        for which, pattern in (("first", _FIRST), ("second", _SECOND), ("other", _OTHER))
        for match in pattern.finditer(text)
    ]
    if not found:
        return None
    # "the first one got here, what about the second one": the one asked about comes last.
    which = max(found)[1]
    if which == "first":
        return orders[0]
    if which == "second":
        return orders[1]
    return orders[-2]  # the other one: not the one talked about last


def with_pointed_order(parse: ParseResult, dialogue: Dialogue) -> ParseResult:
    """The parse with the order pointed at as an ``order_number`` entity, when the message
    names none itself."""
    if parse.entity("order_number") is not None:
        return parse
    number = pointed_order(parse.text, dialogue)
    if number is None:
        return parse
    entity = Entity("order_number", number, 0, 0, "", source=POINTED)
    return replace(parse, entities=(*parse.entities, entity))


def points_back(turn: Turn) -> bool:
    """True when the order of this message was pointed at by position, and the message asks
    where it is (not a problem with it, which the complaint path reads with the order)."""
    entity = turn.parse.entity("order_number")
    text = turn.message.text
    return (
        entity is not None
        and entity.source == POINTED
        and context.DEFECT.search(text) is None
        and not context.says_not_received(text)
        and not context.wants_cancel(text, turn.parse.intent)
        and turn.parse.intent not in ("ask_returns_refunds", "ask_payment", "request_human")
    )


def asks_exact_day(turn: Turn) -> bool:
    """ "what day is that exactly", "具体哪天" about the order in play."""
    text = turn.message.text
    return (
        _EXACT_DAY.search(text) is not None
        and turn.order_in_play is not None
        and (turn.parse.entity("order_number") is not None or turn.dialogue.topic in _ORDER_ANSWERS)
        and _short(text)
        and context.DEFECT.search(text) is None
        # "when exactly will someone get back to me": the team's hours, not the parcel's day.
        and context.offered_thing(text) is None
        and _ABOUT_PEOPLE.search(text) is None
    )


# The answers after which "what day exactly" is about the order's date.
_ORDER_ANSWERS = ("ask_order_status", "ask_delivery", context.OFFER_AGAIN, context.NEW_ADDRESS)
_ABOUT_PEOPLE = re.compile(
    r"(?:get back|reply|respond|answer|call|contact|hear)|回复|回我|联系|答复|处理", re.I
)


def pushes_back(turn: Turn) -> bool:
    """True when the customer says the last answer did not help ("doesnt really help me does
    it", "你这不是废话吗", "早就超过了好吗", "that's what you said last time")."""
    text = turn.message.text
    return (
        turn.dialogue.topic is not None
        and _PUSHBACK.search(text) is not None
        and turn.parse.entity("order_number") is None
        and _short(text)
    )


def _short(text: str) -> bool:
    return len(re.findall(r"[A-Za-z0-9']+", text)) + ideographs(text) // 2 <= 12


def format_day(day: date, language: str) -> str:
    """A date as customers say it: "Thursday 26 November", "11月26日（周四）"."""
    if language == "zh":
        return f"{day.month}月{day.day}日（周{_WEEKDAYS_ZH[day.weekday()]}）"
    return f"{_WEEKDAYS_EN[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


async def exact_day(turn: Turn) -> list[Reply]:
    """The order's date with its weekday; a late or dateless order gets its status again in
    other words (what we know, and a case or a person)."""
    number = turn.order_in_play
    orders = turn.deps.orders
    if number is None or orders is None:
        return await inquiry.order_status(turn, follow_up=True)
    try:
        order = await orders.find(number)
    except OrderLookupError as exc:
        logger.warning("order look-up failed: %s", exc)
        return [turn.reply("order_lookup_failed", order=number)]
    eta = order.eta_date() if order is not None else None
    today = turn.deps.clock().date()
    if order is None or eta is None or order.is_late(today) or order.status == "cancelled":
        return await inquiry.order_status(turn, follow_up=True)
    key = {
        "delivered": "order_day_delivered",
        "processing": "order_day_ships",
    }.get(order.status, "order_day_arrives")
    turn.outcome.statused.add(order.number)
    return [turn.reply(key, order=order.number, day=format_day(eta, turn.language))]


async def pushback(turn: Turn) -> list[Reply]:
    """Sorry, without the same answer again: the open case it is on, or a person offered."""
    turn.outcome.unresolved = True
    case = await cases.current_case(turn)
    if case is not None:
        turn.outcome.case = case.number
        return [turn.offer_human("pushback_case", number=case.number)]
    return [turn.offer_human("pushback")]
