"""When / how long: what a time question is about (named, else the last answer's), and its time."""

from __future__ import annotations

import re
from enum import StrEnum

from crm_memory import CaseKind, Direction
from handlers import context
from handlers.cases import chosen_on, current_case
from handlers.dialogue import Told
from handlers.followups import EXACT_DAY
from handlers.greeting import case_kind, only_missing
from handlers.inquiry import find_order
from handlers.invoice import asks_arrival
from handlers.knowledge import asks_new_order_time
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import ASKS_WHEN


class Timed(StrEnum):
    """What a when / how long question can be about."""

    REPLACEMENT = "replacement"  # the new one sent for a faulty, wrong or missing item
    REPAIR = "repair"  # a faulty item mended (not a policy of ours: said honestly)
    INVOICE = "invoice"
    INVOICE_FIX = "invoice_fix"  # an invoice reissued with changed details, not the first one
    EXCHANGE = "exchange"
    REFUND = "refund"
    CANCEL = "cancel"
    DISPATCH = "dispatch"  # an order leaving the warehouse, not reaching the customer
    CASE = "case"
    PARCEL = "parcel"  # the order reaching the customer


# Latin words beside Chinese ("那invoice啥时候能下"): no ``\b``, which Chinese counts as a word.
_L, _R = r"(?<![a-z])", r"(?![a-z])"
# How each subject is named, most particular first: "when does the new one ship" is the
# replacement's, "发票多久能出" the invoice's, "退款多久到" the refund's (a "寄出" in it too).
# "how long does shipping take" is delivery times, not this order's dispatch: verbs only.
_NAMES: tuple[tuple[Timed, re.Pattern[str]], ...] = (
    (
        Timed.REPLACEMENT,
        re.compile(
            rf"{_L}(?:replac\w*|new (?:one|ones|pair|unit|item|set)|"
            rf"new (?!address|adress|addr|card|order|password|email|e-mail|phone|number|"
            rf"invoice|account|one\b)[a-z]+ (?:ship|come|arrive|be sent|go out|get here)|"
            rf"the other (?:one|colou?r|size) (?:ship|come|arrive)|"
            # "when does the right one ship" after a wrong item: the one sent instead.
            rf"(?:right|correct|proper|working|fixed) (?:one|ones|size|colou?r|model|item|"
            rf"pair|part|unit|version){_R})|"
            r"新的|换新|换的|新(?:机器|耳机|壶|锅|灯)|补发|重发|重新发|补寄|重寄|重新寄|再寄|"
            r"再发(?:一|个)|对的那|正确的",
            re.IGNORECASE,
        ),
    ),
    (
        # "how long do you guys take to repair stuff", "拿去维修得多久", "修一下大概多久" (not
        # "修改").
        Timed.REPAIR,
        re.compile(
            rf"{_L}(?:repair\w*|mend\w*|get (?:it |them )?fixed|fix (?:it|them|the \w+)){_R}|"
            r"维修|返修|修理|修好|修一下|修(?:要|得|需要)",
            re.IGNORECASE,
        ),
    ),
    (
        # "how long does the corrected invoice take", "改好的发票多久能出", "重开发票要几天".
        Timed.INVOICE_FIX,
        re.compile(
            rf"{_L}(?:correct(?:ed|ion)?|fix(?:ed)?|amend(?:ed)?|updated?|changed?|new|"
            rf"re-?issu\w*|re-?done|redone)\W+(?:\w+\W+){{0,2}}"
            rf"(?:invoices?|invoce|invioce|receipts?|reciepts?){_R}|"
            rf"{_L}(?:invoices?|invoce|invioce){_R}.{{0,20}}{_L}(?:corrected|fixed|amended|"
            rf"changed|updated|reissued|re-issued){_R}|"
            r"(?:改好|更正|修改|改过|重开|重新开|新开)的?(?:后的)?(?:发票|收据)|"
            r"(?:发票|收据|抬头)(?:改|更正|修改|重开|重新开)",
            re.IGNORECASE,
        ),
    ),
    (
        Timed.INVOICE,
        re.compile(
            rf"{_L}(?:invoices?|invoce|invioce|invoive|receipts?|reciepts?){_R}|"
            r"发票|收据|开票|票据|小票",
            re.IGNORECASE,
        ),
    ),
    (
        Timed.EXCHANGE,
        re.compile(
            rf"{_L}(?:exchang\w*|exhange\w*|swap(?:s|ping)?){_R}|换货|调换|换(?:个|成)?(?:颜色|尺码|码|大小|型号)",
            re.IGNORECASE,
        ),
    ),
    (
        Timed.REFUND,
        re.compile(
            rf"{_L}(?:refund\w*|money|reimburs\w*){_R}|退款|退钱|钱|到账|退回来|退给我", re.I
        ),
    ),
    # (Not one dropped: "不取消了 那啥时候发货", "not cancelling, when does it ship".)
    (
        Timed.CANCEL,
        re.compile(
            rf"(?<!not )(?<!n't )(?<!dont )(?<!won't )(?<!wont ){_L}cancel\w*|(?<![不别没])取消",
            re.IGNORECASE,
        ),
    ),
    (
        Timed.DISPATCH,
        re.compile(
            rf"{_L}(?:ship(?:s|ped)?(?! (?:it |them )?back)|dispatch\w*|despatch\w*|"
            rf"send (?:it |them )?out|sent out|go(?:es)? out|leave (?:the|your) warehouse){_R}|"
            r"发货|发出|出库|发走|(?:什么时候|啥时候|几天|多久|哪天)(?:能|会|才|可以)?发(?!票)",
            re.IGNORECASE,
        ),
    ),
    (Timed.CASE, re.compile(rf"{_L}(?:case|ticket|complaint){_R}|工单|投诉", re.IGNORECASE)),
)
# The time asked for in other words than ``ASKS_WHEN``: "how soon", "by when", "eta".
_WHEN_ELSE = re.compile(rf"\bhow soon\b|\bby when\b|{_L}eta{_R}|几号|多快", re.IGNORECASE)
# The longest bare time question read against the last answer ("how long after that",
# "那多久能出来"): words, or two ideographs each.
_BARE_WORDS = 6
# How long the customer has to do it, asked in more words than a bare time question ("how
# long do i have to do that", "until when can i do it", "最晚几天内要换"): still the time of
# the last answer's subject (an exchange's days), never another's.
_DEADLINE = re.compile(
    r"\bhow (?:long|many days|much time) (?:do|would|will) (?:i|we) (?:have|get)\b|"
    r"\buntil when\b|\bhow late can (?:i|we)\b|\bis there a (?:time )?limit\b|\bdeadline\b|"
    r"最晚|期限|截止|几天内|多久之内|多长时间内",
    re.IGNORECASE,
)
# What the last answer was about, by its entry's tags, or by what it explained.
_OF_TAGS = (
    ("invoice", Timed.INVOICE),
    ("exchange", Timed.EXCHANGE),
    ("refund", Timed.REFUND),
    ("cancel", Timed.CANCEL),
)
_OF_TOLD = {
    Told.REPLACEMENT: Timed.REPLACEMENT,
    Told.CANCEL_REFUND: Timed.REFUND,
    Told.UNSHIPPED_REFUND: Timed.REFUND,
    Told.LOST_PARCEL_REFUND: Timed.REFUND,
}
# The one mapping, subject -> where its time is told: a knowledge-base entry's own text, or
# a behaviour below. The refund, a cancellation, the case and the parcel are answered by
# their own readings (the order's refund, the case's wait, the carrier's date): none here.
_ENTRY_OF = {
    Timed.INVOICE: "invoice-when",
    Timed.INVOICE_FIX: "invoice-corrected",
    Timed.EXCHANGE: "exchange",
}
# The customer's words that make the invoice talked about one to correct: "the company name
# on my invoice is wrong", "发票抬头写错了 帮我改一下", "can it be reissued". A company's name
# or 抬头 alone is the kind of invoice asked for ("need an invoice with my company name on
# it"): a first one, issued on dispatch.
_FIX = re.compile(
    rf"{_L}(?:wrong|incorrect|mistake\w*|typo|misspel\w*|correct\w*|fix\w*|amend\w*|"
    rf"chang\w*|updat\w*|re-?issu\w*){_R}|"
    r"错|改|更正|重开|重新开",
    re.IGNORECASE,
)
# The Reading detail of the replacement's time (handlers/dispatcher.py routes it here).
REPLACEMENT = "replacement_time"
# The Reading detail of a repair's time (handlers/dispatcher.py routes it here).
REPAIR = "repair_time"


def asks_when(text: str) -> bool:
    """True when the text asks when, how long, how soon (not "will they take the old one
    away when they bring the new one": a yes-or-no question, "when" only setting the time)."""
    if _WHEN_IS_A_TIME.search(text):
        return False
    return ASKS_WHEN.search(text) is not None or _WHEN_ELSE.search(text) is not None


# A yes-or-no question whose "when" says at what time, not asks it: "will the guys take the old
# fridge away when they bring the new one", "can i pay when it arrives".
_WHEN_IS_A_TIME = re.compile(
    r"^\W*(?:(?:and|so|ok|hi|hey)[\s,]+)?(?:will|would|can|could|do|does|is|are|should)\s+"
    r"(?!.*\b(?:how long|how soon|what time|which day)\b)"
    r"(?!.*\b(?:know|tell|say|said|find out|check|see|sure|idea|news|ask|confirm)"
    r"(?:\s+(?:me|us|u))?\s+when\b)"
    r"[^?]{3,}?\s+when\s+"
    r"(?:they|you|u|it|the|we|i|he|she)\b",
    re.IGNORECASE,
)


def named(text: str) -> Timed | None:
    """The subject a time question names, if any."""
    return next((timed for timed, words in _NAMES if words.search(text)), None)


def in_hand(turn: Turn) -> Timed | None:
    """What the last answer was about, as a subject with a time."""
    subject = turn.dialogue.subject_in_play()
    if subject is None:
        return None
    if subject.told is not None:
        return _OF_TOLD.get(subject.told)
    entry = turn.deps.knowledge.entry(subject.entry) if subject.entry is not None else None
    if entry is not None:
        timed = next((timed for tag, timed in _OF_TAGS if tag in entry.tags), None)
        fixed = entry.id == _ENTRY_OF[Timed.INVOICE_FIX]
        if fixed or (timed is Timed.INVOICE and _fixing(turn)):
            # "how long" after the bot said the invoice gets corrected: the corrected one's
            # day, not when a first invoice is issued after dispatch.
            return Timed.INVOICE_FIX
        return timed
    return Timed.PARCEL if subject.orders else None


async def repair(turn: Turn) -> list[Reply]:
    """How long a repair takes: no time of ours to give (what we offer for a faulty item is
    a replacement or a refund, and how long the replacement takes), and a person offered who
    can say what a repair would take; the open case named."""
    case = await current_case(turn)
    if case is None or not await _replaced(turn, case.number):
        return [turn.offer_human("repair_time")]
    turn.outcome.case = case.number
    return [turn.offer_human("repair_time_case", number=case.number)]


def _fixing(turn: Turn) -> bool:
    """True when the customer's message before this one asked for an invoice changed."""
    said = [
        m.text
        for m in turn.context.recent
        if m.direction is Direction.IN and m.id != turn.message_record
    ]
    return bool(said) and _FIX.search(said[-1]) is not None


def subject(turn: Turn) -> Timed | None:
    """What a when / how long question is about: the subject it names, else (a bare one:
    "how long after that", "多久能出", "when then") what the last answer was about."""
    text = turn.message.text.strip()
    if not asks_when(text) or context.DEFECT.search(text) or asks_new_order_time(text):
        return None
    said = named(text)
    if said is not None:
        return said
    if turn.parse.orders or (context.length(text) > _BARE_WORDS and not _DEADLINE.search(text)):
        return None
    return Timed.PARCEL if _after_papers(turn) else in_hand(turn)


def _after_papers(turn: Turn) -> bool:
    """True for the parcel's arrival asked right after the invoice's answer ("大概几号能到",
    "and when will it get here"): the order's own days, not the invoice's."""
    # (The words first: the subject in hand is read only for a message that asks arrival.)
    return asks_arrival(turn.message.text) and in_hand(turn) in (Timed.INVOICE, Timed.INVOICE_FIX)


async def reading(turn: Turn) -> context.Reading | None:
    """The reading of a time question whose subject is told here: the invoice's or the
    exchange's entry, the replacement on the open case, the day an order not shipped yet
    leaves; None for the subjects their own readings answer."""
    timed = subject(turn)
    if timed is None:
        return None
    # "换货要多久", "how long does the exchange take" with a faulty item's case open: the new
    # one sent for it, not the exchange for a size or colour.
    exchange = timed is Timed.EXCHANGE and not _NEW_SIZE.search(turn.message.text)
    if exchange and await _replacing(turn):
        return context.Reading(context.CASE_STATUS, detail=REPLACEMENT)
    entry_id = _ENTRY_OF.get(timed)
    if entry_id is not None:
        entry = turn.deps.knowledge.entry(entry_id)
        return None if entry is None else context.Reading(entry.intent, entry=entry.id)
    if timed is Timed.REPAIR:
        # "how long do you guys take to repair stuff", "拿去维修得多久": that process's time,
        # never how long the open case has waited.
        case = await current_case(turn)
        intent = context.CASE_STATUS if case is not None else "ask_returns_refunds"
        return context.Reading(intent, detail=REPAIR)
    if timed is Timed.REPLACEMENT:
        if await _replacing(turn):
            return context.Reading(context.CASE_STATUS, detail=REPLACEMENT)
        if await current_case(turn) is None and not turn.parse.orders:
            # "how long till a replacement turns up" before any case: how replacements go.
            return context.Reading("ask_returns_refunds", detail=REPLACEMENT)
        return None
    if timed is Timed.PARCEL and turn.order_in_play is not None and _after_papers(turn):
        return context.Reading("ask_order_status")  # when it leaves, when it comes
    if timed is Timed.DISPATCH and turn.order_in_play is not None:
        order = await find_order(turn, turn.order_in_play)
        if order is None:
            return None
        if order.status == "delivered" and await _replacing(turn):
            # "when does it ship" about an order already delivered, with its fault on a
            # case: what ships now is the new one, not the parcel that came.
            return context.Reading(context.CASE_STATUS, detail=REPLACEMENT)
        if order.status == "processing":
            return context.Reading("ask_order_status", detail=EXACT_DAY)
        return context.Reading("ask_order_status")  # shipped already: with whom, and when
    return None


async def _replacing(turn: Turn) -> bool:
    """True when the open case is one a new item is sent for."""
    case = await current_case(turn)
    return case is not None and await _replaced(turn, case.number)


async def _replaced(turn: Turn, number: int) -> bool:
    """True when the case is about an item a new one is sent for: a faulty, wrong or
    missing one, or the customer chose a replacement on it."""
    case = next((c for c in turn.context.open_cases if c.number == number), None)
    if case is not None and case.kind is CaseKind.COMPLAINT:
        if case_kind(case) in _ITEMS:
            return True
        # "内胆掉漆了 要换新的": a replacement asked for in the case's own words, whatever
        # the fault is called.
        if context.chosen_remedy(case.summary) == "replacement":
            return True
    return await chosen_on(turn, number) == "replacement"


_ITEMS = frozenset({"faulty", "wrong", "missing"})
# An exchange for another size, colour or model: the exchange's own entry.
_NEW_SIZE = re.compile(
    r"\b(?:size|colou?r|model|bigger|smaller)\b|尺码|码数|大小|颜色|型号|款式|大一|小一",
    re.IGNORECASE,
)


async def replacement(turn: Turn) -> list[Reply]:
    """When the new one comes: for a missing part, sent once the team has checked; else
    once the faulty one is on its way back. The subject stays the replacement. With no case,
    how a replacement goes in general."""
    case = await current_case(turn)
    if case is None:
        turn.explained(Told.REPLACEMENT)
        return [turn.reply("replacement_eta_general")]
    turn.outcome.case = case.number
    turn.explained(Told.REPLACEMENT)
    if case_kind(case) == "late":
        key = "lost_resend_eta"  # a parcel that never came: the carrier's check first
    elif only_missing(case.summary):
        key = "missing_eta"
    else:
        key = "replacement_eta"
    return [turn.reply(key, number=case.number)]
