"""Venting at the date just given ("friday?? seriously", "周一？？开玩笑吧"): sorry, and what can
still be done (express while the order is with us, else a person), not the date again."""

from __future__ import annotations

import re
from datetime import date

from crm_memory import Direction
from handlers import context, escalation, inquiry
from handlers.dialogue import Asked, Purpose, Question
from handlers.hours import days_named
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import MONEY, RETURN

DETAIL = "too_slow"

# Incredulity at a wait: "seriously", "are you kidding", "thats ridiculous", "way too long",
# "why so long", "come on", "开玩笑吧", "离谱", "太慢了", "这么久", "认真的吗", "搞什么", "等不了".
_INCREDULOUS = re.compile(
    r"\b(?:seriously|srsly|serious|kidding|joking|a joke|ridiculous|ridic|absurd|insane|crazy|"
    r"unacceptable|pathetic|joke|come on|cmon|wtf|for real|you'?re not serious|"
    r"(?:way |far |much )?too (?:long|slow|late)|so (?:long|slow)|that long|this long|"
    r"why (?:so|that|this) long|why (?:does|will) it take|for (?:that|a \w+)\?)|"
    r"开玩笑|离谱|太慢|这么慢|好慢|真慢|太久|这么久|那么久|这么多天|认真的|搞什么|搞啥|无语|"
    r"等不了|要这么|才到[？?！!]|还要.{0,6}[？?]|过分|坑人",
    re.IGNORECASE,
)
# The day or the wait echoed back with a question or exclamation mark: "friday??", "4 days
# for that??", "a week?!", "周五？？", "要四天？？", "明天？？".
_ECHOED = re.compile(
    r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b.{0,20}[?!]|"
    r"\b(?:tomorrow|next week|a week|\w+ weeks?|\d+ (?:working )?days?|\w+ days)\b.{0,20}[?!]{2,}|"
    r"\b(?:tomorrow|next week|a week|\w+ weeks?|\d+ (?:working )?days?|\w+ days)\s*\?|"
    r"(?:周|星期|礼拜)[一二三四五六日天]|明天|后天|下周|[\d一二两三四五六七八九十几]+(?:个)?(?:天|周|星期|礼拜)",
    re.IGNORECASE,
)
_MARKS = re.compile(r"[?？!！]")
# Whether the parcel comes, asked: "周日也送？", "do u deliver sundays?", "comes on sat?".
_ASKS_IF = re.compile(
    r"送|派|到吗|\b(?:deliver\w*|come|comes|arrive|arrives|ship|ships|open)\b", re.I
)
# The day asked about alongside others: "saturday too?", "sundays as well?", "周日也送？",
# "礼拜六还送不".
_ALSO = re.compile(r"\b(?:too|also|as well|either)\b|也|还送|还派", re.I)
# A wait this short is no wait to balk at: "friday?" on Wednesday about a Friday date is
# checking the day (the courier's days), not venting; "friday??" still is.
_NEAR_DAYS = 2
# A date in an answer: "2026-11-26", "11-26" (the year is this one).
_DATE = re.compile(r"(?<![\d-])(?:(20\d\d)-)?(\d{1,2})-(\d{1,2})(?![\d-])")
# Still not shipped or come: the order's status asked crossly ("为啥这么久还没发"), not the
# date just given.
NOT_YET = re.compile(
    r"还没|没发|没到|没动静|\bstill\b|\bhasn'?t\b|\bhasnt\b|\bnot (?:yet|shipped|arrived|here)\b",
    re.IGNORECASE,
)
_TOPICS = ("ask_order_status", "ask_delivery")
_WORDS = 14


def vents(turn: Turn) -> bool:
    """True for a short message right after an order's date or the delivery times that
    balks at the wait ("monday?? seriously", "a week for that??", "周四 你们认真的吗")."""
    text = turn.message.text
    if turn.dialogue.topic not in _TOPICS or context.length(text) > _WORDS:
        return False
    if turn.context.open_cases or context.DEFECT.search(text) or RETURN.search(text):
        return False
    if MONEY.search(text) or NOT_YET.search(text):
        return False
    if context.asks_for_case(text) or escalation.asks_for_person(text):
        return False  # "can u open a complaint then this is ridiculous": the request first
    named = {e.value for e in turn.parse.orders}
    if named and named != {turn.order_in_play}:
        return False  # another order asked about
    if _INCREDULOUS.search(text):
        return True
    if _ECHOED.search(text) is None or _MARKS.search(text) is None:
        return False
    marks = len(_MARKS.findall(text))
    if (marks == 1 and _ASKS_IF.search(text)) or _ALSO.search(text):
        return False  # "周日也送？", "do they deliver sat?", "saturday too?": asked
    said, echoed = _days_just_said(turn), set(days_named(text))
    if said and echoed and not echoed & said:
        return False  # another day than the one given: "sunday?" asks if the courier comes
    today = turn.deps.clock().date().weekday()
    if marks == 1 and echoed and all((day - today) % 7 <= _NEAR_DAYS for day in echoed):
        return False  # "friday?" for this Friday or the next two days: checked, not balked at
    return marks >= 2 or context.length(text) <= 4


def _days_just_said(turn: Turn) -> set[int]:
    """The weekdays named in the bot's answer just before this message (the date it gave),
    by name ("Friday 27 November", "周五") or as a date ("2026-11-26", "11-26")."""
    days: set[int] = set()
    year = turn.deps.clock().year
    for m in reversed(turn.context.recent):
        if m.direction is Direction.IN:
            if m.id == turn.message_record:
                continue
            break
        days.update(days_named(m.text))
        for y, month, day in _DATE.findall(m.text):
            try:
                days.add(date(int(y or year), int(month), int(day)).weekday())
            except ValueError:
                continue
    return days


async def answer(turn: Turn) -> list[Reply]:
    """Sorry about the wait, and what can be done: express for an order still with us, the
    carrier's pace and a person for one shipped, express and a person without an order."""
    number = turn.order_in_play
    order = await inquiry.find_order(turn, number) if number is not None else None
    price = inquiry.express_price(turn) or turn.say("express_price_usual")
    if order is not None and order.status == "processing":
        offer = turn.offer_human("too_slow_unshipped", order=order.number, price=price)
        # A yes switches this order to express (escalation.switch_to_express).
        turn.ask(Asked(Question.HUMAN, purpose=Purpose.EXPRESS, order=order.number))
        return [offer]
    if order is not None and order.status == "shipped":
        return [
            turn.offer_human(
                "too_slow_shipped",
                order=order.number,
                carrier=order.carrier or "-",
                tracking=order.tracking or "-",
            )
        ]
    return [turn.offer_human("too_slow_general", price=price)]
