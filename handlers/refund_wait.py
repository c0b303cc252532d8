"""A refund waited on: the parcel sent back, and the days waited against a refund's usual time."""

from __future__ import annotations

import re
from datetime import date, timedelta

from crm_memory import Direction
from handlers import inquiry
from handlers.cases import case_for_order, current_case, waited_said
from handlers.context import DEFECT, asks_for_a_case, length
from handlers.days_said import days_back, marked_past
from handlers.dialogue import Asked, Matter, Purpose, Question, Told
from handlers.followups import format_day
from handlers.hurry import wont_wait
from handlers.inquiry import OPEN_CASE
from handlers.orders import with_order
from handlers.timing import asks_when
from handlers.turn import HUMAN, Turn
from handlers.types import Button, Reply
from handlers.wording import MONEY, REFUND_WORDS, SENT_BACK

# The Reading details (handlers/readings.py reads them, handlers/dispatcher.py routes them).
PARCEL = "refund_return_parcel"
WAITED = "refund_waited"
STATUS = "refund_return_status"

# A refund's usual time, all in, in calendar days: the return 2-5 days to reach our
# warehouse, the refund 3-5 working days after (up to 7 calendar days), the bank up to 2 more
# (the "refund-time" entry of faq.yml). Past it, something needs checking.
USUAL_DAYS = 14
# A cancelled order's refund, in calendar days: 5 working days from the cancellation (7
# calendar days), the bank up to 2 more ("order_cancelled_refund").
CANCEL_DAYS = 9

# Where the parcel sent back is, asked: "can you check where it is", "did you get it back
# yet", "has it reached you", "whats the tracking", "帮我查一下到哪了", "你们收到了吗", "退回
# 去的包裹到哪了".
_WHERE_BACK = re.compile(
    r"\bwhere(?:'?s| is| are)? (?:it|they|that|them|my (?:parcel|package|return)|the (?:parcel|"
    r"package|return|box))\b|\b(?:check|track|trace|find|see) (?:where )?(?:it|them|the (?:parcel|"
    r"package|return|box))\b|\b(?:did|have|has) (?:you|u|ya|the warehouse|it|they) (?:get|got|"
    r"received?|arrived?|reached?|come|gotten)\b|\btracking\b|\barrived back\b|"
    # "how do i know u got it", "can u confirm you received it".
    r"\b(?:know|confirm|sure|tell me)\b.{0,12}\b(?:you|u|ya|they|warehouse) (?:got|have|received?|"
    r"gotten)\b|"
    r"到哪(?:了|儿了|里了)?|在哪|(?:帮我|给我|麻烦)?查(?:一下|下|查)|(?:你们|仓库)(?:收到|签收)了?(?:吗|没|么)|"
    r"(?:收到|到仓|入库)了?(?:吗|没有?|么)",
    re.IGNORECASE,
)
# Where the money goes back, asked: "退到哪", "钱退哪里", "退回哪个账户", "where does the refund
# go", "back to my card?".
_WHERE_MONEY = re.compile(
    r"退(?:到|回|款到|款退到|款退回)?(?:哪|什么|啥)|钱(?:退|会退)?(?:到|去|回)?(?:哪|什么地方|啥地方)|原路|"
    r"\bwhere (?:does|do|will|would) (?:the |my )?(?:money|refund|it) go\b|"
    r"\bback to (?:my|which|the)\b|\brefund(?:ed)? to\b",
    re.IGNORECASE,
)
# Number words for a wait said in words ("eight days", "一个礼拜").
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "a few": 3,
    "一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "十": 10, "半": 0.5,
}  # fmt: skip
_UNIT_DAYS = (("week", 7), ("周", 7), ("星期", 7), ("礼拜", 7), ("month", 30), ("月", 30))


def days_of(said: str) -> int | None:
    """The days in a wait as said ("8 days", "eight days", "一个礼拜", "十天"), or None
    for hours."""
    said = said.lower().strip()
    if "hour" in said or "小时" in said:
        return None
    digits = re.search(r"\d+", said)
    if digits is not None:
        count: float = int(digits.group())
    else:
        chinese = re.match(r"([一二两三四五六七八九]?)十([一二三四五六七八九]?)", said)
        if chinese is not None:
            tens = _NUMBERS.get(chinese.group(1), 1) if chinese.group(1) else 1
            count = tens * 10 + (_NUMBERS.get(chinese.group(2), 0) if chinese.group(2) else 0)
        else:
            word = next(
                (w for w in sorted(_NUMBERS, key=len, reverse=True) if said.startswith(w)), None
            )
            if word is None:
                return None
            count = _NUMBERS[word]
    unit = next((d for u, d in _UNIT_DAYS if u in said), 1)
    return max(1, round(count * unit))


# The money said not to have come: "still no refund", "no money yet", "haven't got my refund",
# "nothing back", "还没退款", "钱还没到", "没收到退款", "退款呢".
_NOT_BACK = re.compile(
    r"\b(?:no|not|never|nothing|still no|haven'?t|havent|hasn'?t|hasnt|didn'?t|didnt|not yet)"
    r"\b.{0,25}\b(?:refund\w*|money|credit\w*|back|paid back)\b|"
    r"\b(?:refund|money)\b.{0,25}\b(?:not|nothing|yet|never|hasn'?t|hasnt|isn'?t|isnt|didn'?t|"
    r"didnt|still)\b|\bwhere(?:'?s| is) (?:my|the) (?:refund|money)\b|"
    r"\b(?:not|never|haven'?t|havent|hasn'?t|hasnt|didn'?t|didnt)\s+(?:been\s+)?(?:received|got|"
    r"gotten|come|arrived|seen|shown up|showed up)\b|\bwait(?:ing|ed)\b.{0,25}\b(?:refund|money)\b|"
    r"(?:还|都|也|一直)?(?:没|未)(?:有|见)?(?:收到|看到)?(?:退款|退钱|到账|退回|退给我|钱)|"
    r"(?:退款|钱|款)(?:咋|怎么|为啥|为什么)?(?:还|都|也|一直)?(?:没|未)(?:有)?(?:到|退|收到|回来|到账|动静)|"
    r"退款呢|钱呢",
    re.IGNORECASE,
)
# A time said as passed since the item went back or the order was cancelled: "two weeks ago",
# "over a month ago", "for 3 weeks now", "半个月了", "取消两周了", "十天前" (``_AGO``'s first
# group the count, its unit with it). Not the age of an order or a purchase ("ordered 3
# weeks ago", "买了半个月了"): ``_BOUGHT``.
_AGO = re.compile(
    r"\b((?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a couple of|a few)\s+"
    r"(?:days?|weeks?|months?))\s+(?:ago|back)\b|"
    r"\b(?:over|more than|almost|nearly|for|after)\s+((?:\d+|a|an|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|a couple of|a few)\s+(?:days?|weeks?|months?))\b|"
    r"((?:\d+|[一二两三四五六七八九十半]+)\s*(?:个多|多个|个)?(?:天|周|星期|礼拜|月))多?(?:了|前|之前)",
    re.IGNORECASE,
)
_BOUGHT = re.compile(
    r"\b(?:order(?:ed)?|bought|purchased|placed|got it|received it|arrived)\b.{0,12}"
    r"\b(?:ago|for|over)\b|(?:买|下单|下的单|收到货|到货|用)了",
    re.IGNORECASE,
)


def elapsed_said(text: str, today: date | None = None) -> str | None:
    """How long ago the customer says the item went back or the order was cancelled, as
    said ("two weeks ago", "半个月了"), or how long they have waited; with ``today``, a day
    named ("last thursday", "上周四", "前天", "2 Nov") counted back from it ("7 days"). None
    when none is said."""
    said = waited_said(text)
    if said is not None:
        return said
    found = _AGO.search(text)
    if found is not None:
        return next(g for g in found.groups() if g)
    back = None if today is None or not marked_past(text) else days_back(text, today)
    return None if back is None else f"{max(back, 1)} days"


def told_overdue(text: str, today: date | None = None) -> bool:
    """True when the message itself says the refund has not come, or asks when it comes,
    with the time since the item went back or the order was cancelled ("I cancelled it two
    weeks ago and still no refund", "退货寄走半个月了 退款还没到", "returned it 5 days ago,
    when do I get my money"): those days against the refund's usual time."""
    if DEFECT.search(text) or _BOUGHT.search(text) or elapsed_said(text, today) is None:
        return False
    if elapsed_said(text) is None and not SENT_BACK.search(text):
        return False  # a day named is when it went back only when the going back is told
    if not (REFUND_WORDS.search(text) or MONEY.search(text)):
        return False
    # ("sent it back 2 weeks ago, when does the new one come": the replacement's time.)
    return _NOT_BACK.search(text) is not None or (
        asks_when(text) and MONEY.search(text) is not None
    )


def sent_back_waiting(text: str, today: date | None = None) -> bool:
    """True when the message says the item went back and the refund has not come ("快递员上门
    取走了 退款咋还没到", "dropped it off last week, no refund"): one refund waited on."""
    return (
        SENT_BACK.search(text) is not None
        and _NOT_BACK.search(text) is not None
        and DEFECT.search(text) is None
        # (With the days said, or a case asked for, the readings of those take it.)
        and elapsed_said(text, today) is None
        and not asks_for_a_case(text)
    )


# A charge or a hold on the card, not a refund of a return or a cancellation: "扣了", "charged".
_CHARGE = re.compile(r"\bcharg\w*|\bdebit\w*|\bhold\b|\bpending\b|扣|预授权|冻结", re.IGNORECASE)


def _charge_in_play(turn: Turn) -> bool:
    """True when the money talked about is a charge (a payment taken, a hold), not a refund
    ("钱扣了订单没生成" then "都五天了还没退回来"): the payment's own answers."""
    if _CHARGE.search(turn.message.text):
        return True
    said = [
        m.text
        for m in turn.context.recent
        if m.direction is Direction.IN and m.id != turn.message_record
    ][-2:]
    return turn.dialogue.topic == "ask_payment" or any(_CHARGE.search(t) for t in said)


# Where a return's refund stands, asked: "whats the status of my refund", "any news on the
# refund", "when do i get my money", "退款到哪一步了", "退款进度", "钱什么时候退".
_STATUS = re.compile(
    r"\bstatus\b|\bany (?:news|update)s?\b|\bwhere(?:'?s| is) (?:my|the) (?:refund|money)\b|"
    r"\bwhen\b.{0,30}\b(?:refund\w*|money)\b|\bhow(?:'?s| is) (?:my|the) refund\b|"
    r"到哪一步|进度|怎么样了|退了(?:吗|没)|(?:什么时候|啥时候|多久)(?:能|会|才)?(?:退|到账)",
    re.IGNORECASE,
)


def asks_status(turn: Turn) -> bool:
    """True for where the refund stands after a return of a named order ("i returned my
    order 51003, whats the status of my refund?", "我退货了 订单51003 退款到哪一步了"), no
    time said: what is known for that order, and when it was sent asked (not "send me the
    order number" for a number given, nor where refunds go)."""
    text = turn.message.text
    today = turn.deps.clock().date()
    if turn.order_in_play is None or DEFECT.search(text) or elapsed_said(text, today) is not None:
        return False
    return (
        SENT_BACK.search(text) is not None
        and MONEY.search(text) is not None
        and _STATUS.search(text) is not None
        and not _charge_in_play(turn)
    )


def refund_in_play(turn: Turn) -> bool:
    """True when a refund not received is what the conversation is about: its case or person
    offered, or the customer's last words about their money answered on returns."""
    asked = turn.dialogue.asked
    if asked is not None and asked.purpose is Purpose.REFUND:
        return True
    return (
        turn.dialogue.topic == "ask_returns_refunds"
        and turn.dialogue.recent_matter() is Matter.REFUND
    )


def asks_parcel(turn: Turn) -> bool:
    """True for "can you check where it is", "did you get it back yet", "帮我查一下到哪了"
    while a refund waited on is the subject: the parcel sent back, not the order's delivery."""
    text = turn.message.text
    if turn.parse.orders or DEFECT.search(text) or length(text) > 14:
        return False
    if _WHERE_MONEY.search(text):
        return False  # where the money goes ("退到哪 我用支付宝付的"), not the parcel
    return _WHERE_BACK.search(text) is not None and refund_in_play(turn)


def says_waited(turn: Turn) -> int | None:
    """The days the customer says they have waited ("its been 8 days already", "都8天了")
    while a refund waited on is the subject, or told with the refund that has not come ("I
    cancelled it two weeks back, still no refund"), else None."""
    text = turn.message.text
    today = turn.deps.clock().date()
    if told_overdue(text, today) and not _charge_in_play(turn) and not asks_for_a_case(text):
        # ("...still no refund, please open a case": the case asked for, opened as such.)
        return days_of(elapsed_said(text, today) or "")
    if turn.parse.orders or DEFECT.search(text) or length(text) > 14:
        return None
    if wont_wait(text):
        return None  # "i'm not waiting a week": a wait refused, not one told (handlers/hurry.py)
    said = None if _BOUGHT.search(text) else elapsed_said(text, today) or _bare_wait(text)
    if said is None or not refund_in_play(turn):
        return None
    return days_of(said)


def _bare_wait(text: str) -> str | None:
    """A wait said on its own ("8 days", "都8天了", "一个礼拜了"), which cases' reader leaves."""
    found = re.search(
        r"^\W*(?:(?:its|it'?s|it has|been|already|like|over|almost)\s+)*"
        r"((?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a couple of|a few)\s+"
        r"(?:days?|weeks?))\b|"
        r"^\W*(?:已经|都已经|都|这都|等了)?((?:\d+|[一二两三四五六七八九十半]+)\s*(?:个多|多个|个)?"
        r"(?:天|周|星期|礼拜))",
        text,
        re.IGNORECASE,
    )
    return None if found is None else next(g for g in found.groups() if g)


def _keep_offer(turn: Turn, order: str | None) -> tuple[Button, Button]:
    turn.outcome.unresolved = True
    turn.ask(Asked(Question.OPEN_CASE, order=order, purpose=Purpose.REFUND, also=(Question.HUMAN,)))
    return (
        Button(turn.say("button_open_case"), OPEN_CASE),
        Button(turn.say("button_person"), HUMAN),
    )


async def parcel(turn: Turn) -> list[Reply]:
    """What is known of the parcel sent back: its tracking is on the customer's drop-off or
    collection receipt (the shop sees it once the warehouse scans it in), and our team can
    trace it, on the open case or offered as one; never the order's delivery line."""
    order = turn.order_in_play
    found = await inquiry.find_order(turn, order) if order is not None else None
    order = found.number if found is not None else None
    case = await current_case(turn)
    for_order = _for_order(turn, order)
    if case is not None:
        turn.outcome.case = case.number
        await turn.deps.cases.add_note(
            case.number, author="bot", text="The customer asks where their return parcel is."
        )
        return [turn.reply("refund_parcel_case", number=case.number, for_order=for_order)]
    buttons = _keep_offer(turn, order)
    return [turn.reply("refund_parcel", *buttons, for_order=for_order)]


async def waited(turn: Turn) -> list[Reply]:
    """The days waited against the refund's usual time (a cancelled order's, else a
    return's): still within it, by when it should come; past it, overdue and sorry, a chase
    on the open case, else a case for our team to trace it or a person, offered."""
    days = says_waited(turn) or 0
    turn.outcome.matter = Matter.REFUND
    order = turn.order_in_play
    found = await inquiry.find_order(turn, order) if order is not None else None
    order = found.number if found is not None else None
    cancelled = (
        found.status in ("cancelled", "processing")
        if found is not None
        else _CANCELLED.search(turn.message.text) is not None
    )
    usual = CANCEL_DAYS if cancelled else USUAL_DAYS
    limit = turn.say("refund_limit_cancel" if cancelled else "refund_limit_return", usual=usual)
    for_order = _for_order(turn, order)
    case = await case_for_order(turn, order)  # another order's case: this refund offered its own
    late = days >= usual
    if case is not None:
        turn.outcome.case = case.number
        await turn.deps.cases.add_note(
            case.number,
            author="bot",
            text=f"The customer says they have waited {days} days for the refund"
            + (f", past the usual {usual}: to chase." if late else "."),
        )
        if late:
            # The chase: the customer's words on the case, for the team to act on now.
            line = (
                f"{turn.say('case_refund_late', for_order=for_order)}: {turn.message.text.strip()}"
            )
            await turn.deps.cases.update(
                case.number, summary=with_order(f"{case.summary}\n{line}".strip(), order)
            )
        key = "refund_overdue_case" if late else "refund_waited_case"
        return [turn.reply(key, number=case.number, days=days, limit=limit)]
    buttons = _keep_offer(turn, order)
    if late:
        return [turn.reply("refund_overdue", *buttons, days=days, for_order=for_order, limit=limit)]
    by = format_day(turn.deps.clock().date() + timedelta(days=usual - days), turn.language)
    return [
        turn.reply(
            "refund_waited_within",
            *buttons,
            days=days,
            day=by,
            for_order=for_order,
            limit=limit,
        )
    ]


# A cancellation named where no order is known: its refund's time, not a return's.
_CANCELLED = re.compile(r"\bcancel\w*|取消", re.IGNORECASE)


async def status(turn: Turn) -> list[Reply]:
    """Where a returned order's refund stands, as far as the bot knows: the return reaches
    the warehouse 2-5 days after drop-off, the refund 3-5 working days after; asked when it
    was sent, to set against that (the days said next are read as such), the case offered."""
    turn.outcome.matter = Matter.REFUND
    order = turn.order_in_play
    found = await inquiry.find_order(turn, order) if order is not None else None
    if found is not None and found.status == "cancelled":
        turn.explained(Told.CANCEL_REFUND)  # "so what now" next: that order's
        return [turn.reply("order_cancelled_refund", order=found.number)]
    for_order = _for_order(turn, found.number if found is not None else order)
    buttons = _keep_offer(turn, found.number if found is not None else order)
    return [turn.reply("refund_return_status", *buttons, for_order=for_order, usual=USUAL_DAYS)]


def _for_order(turn: Turn, order: str | None) -> str:
    if order is None:
        return ""
    return f"（订单 {order}）" if turn.language == "zh" else f" for order {order}"
