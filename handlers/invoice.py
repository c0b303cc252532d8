"""Invoices beyond the FAQ: when one comes for an order not shipped yet; a company's VAT or
tax number given after the invoice answer: put on the invoice request; a company detail asked
to be added ("can u add our vat number too", "再加个税号", "put the company address on it as
well"): the company invoice's answer."""

from __future__ import annotations

import re

from crm_memory import Case, CaseKind, CaseStatus, Priority
from handlers.arrival import day_text
from handlers.orders import Order, with_order
from handlers.turn import Turn
from handlers.types import Reply

# The Reading detail for a tax number given (handlers/dispatcher.py routes it here).
DETAIL = "invoice_tax_number"
# The answers about invoices a tax number given next belongs to (faq.yml).
ENTRIES = frozenset({"invoice", "invoice-when", "invoice-company"})
# The knowledge-base entry on when an invoice is issued (on dispatch).
WHEN_ENTRY = "invoice-when"
# The reason of the request the team acts on; the case is found again by it.
REASON = "company invoice requested"
# A VAT or tax number: an EU/UK VAT number ("GB123456789", "DE 811907980"), a Chinese
# unified social credit code or older tax number ("91310000MA1FL2XQ3K", 15-20 characters
# that start with digits). Never part of a longer word.
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Z]{2} ?\d{8,12}|\d{6,8}[0-9A-Z]{7,12})(?![A-Za-z0-9])"
)
# The number said to be a tax number: "vat no", "tax id", "税号", "纳税人识别号", "信用代码".
_TAX_WORDS = re.compile(
    r"\b(?:vat|tax|ust-?id|tva|iva|ein|tin)\b|税号|税务|纳税人|识别号|信用代码|统一社会",
    re.IGNORECASE,
)
# The answer on the invoice made out to a company (faq.yml).
COMPANY_ENTRY = "invoice-company"
# A company's detail for the invoice: its name, address, VAT or tax number, registration.
_COMPANY = re.compile(
    r"\b(?:compan(?:y|ies)|company'?s|business|firm|employer'?s?|organi[sz]ation|ltd|gmbh|"
    r"registered (?:office|address|name)|vat|tax ?(?:id|number|no|code)|reg(?:istration)? ?"
    r"(?:no|number)|company reg)\b|公司|单位|企业|税号|纳税人|识别号|信用代码|抬头",
    re.IGNORECASE,
)
# The longest such request (words, or two ideographs each).
_DETAIL_WORDS = 14
# Not the invoice: the company's delivery ("send it to my company address").
_NOT_INVOICE = re.compile(
    r"\b(?:deliver\w*|ship\w*|send (?:it|them|the parcel) to|courier|parcel)\b|"
    r"快递|寄到|送到|配送|收货",
    re.IGNORECASE,
)
# A Chinese tax number of digits only: the old 15-digit one, or 18 / 20 digits; any other
# run of digits alone ("2026112300457") is not taken for one unless said to be.
_TAX_DIGITS = frozenset({15, 18, 20})
# Few words besides the number: given, not asked about ("vat no GB123456789", "税号是...").
_FEW_WORDS = 8


def tax_number(turn: Turn) -> str | None:
    """The VAT or tax number this message gives, or None: a number said to be a tax number,
    or, right after an invoice answer, a message that is little more than such a number."""
    subject = turn.dialogue.subject_in_play()
    text = turn.message.text
    said = _TAX_WORDS.search(text) is not None  # "vat no", "税号": said to be a tax number
    if (subject is None or subject.entry not in ENTRIES) and not said:
        # Said to be a tax number ("税号是…") it is one even after another answer came
        # between (the order's status asked first); a bare number only right after.
        return None
    match = _NUMBER.search(text.upper())
    if match is None:
        return None
    rest = _NUMBER.sub(" ", text.upper())
    words = len(re.findall(r"[A-Za-z']+", rest)) + len(re.findall(r"[\u4e00-\u9fff]", rest)) // 2
    if words > _FEW_WORDS or (words > 1 and not said):
        return None
    number = match.group(0).replace(" ", "")
    if turn.is_order_number(number):
        return None  # "单号9988776655443": the order, not a tax number
    if number.isdigit() and len(number) not in _TAX_DIGITS and not said:
        return None  # digits alone are a tax number only at a tax number's length
    return number


def adds_company_detail(turn: Turn) -> bool:
    """True when, right after an invoice answer, the customer asks for a company detail on
    it ("can u add our vat number too", "再加个税号", "put the company address on it as
    well", "要写单位的"): the company invoice's answer, never feedback nor a delivery."""
    subject = turn.dialogue.subject_in_play()
    if subject is None or subject.entry not in ENTRIES:
        return False
    text = turn.message.text
    words = len(re.findall(r"[A-Za-z']+", text)) + len(re.findall(r"[\u4e00-\u9fff]", text)) // 2
    if words > _DETAIL_WORDS or _NOT_INVOICE.search(text):
        return False
    return _COMPANY.search(text) is not None


# The invoice already had in the customer's own name (or with the wrong details): "i already
# downloaded the personal one", "got the one in my name", "我已经下载了个人的", "个人的已经下好了".
_HAD_ONE = re.compile(
    r"\b(?:downloaded|printed|got|have|received|saved)\b[^.?!]{0,30}"
    r"\b(?:personal|private|own name|my name|wrong|old|first|one|it|already)\b|"
    r"\b(?:personal|private) one\b|(?:下载|下|打印|开)(?:好|完)?了?[^。？！?!]{0,3}(?:个人|私人)|"
    r"(?:已经|都|早就|早)?(?:下载|下好|下了|下过|打印|开|保存)(?:好)?(?:了|过)[^。？！?!]{0,6}(?:个人|私人|自己|发票|的)|"
    r"(?:个人|私人|自己名字)(?:的|抬头)?[^。？！?!]{0,6}(?:已经|都)?(?:下载|下好|下了|下过|打印|开)(?:好)?(?:了|过)",
    re.IGNORECASE,
)
# What to do now, or whether it can still change: "what now", "now what", "怎么办", "咋办",
# "还能改吗", "can it still be changed".
_WHAT_NOW = re.compile(
    r"\b(?:what now|now what|what do i do|what should i do|what can i do|what next|"
    r"can (?:it|that|i) (?:still )?(?:be )?(?:chang|fix|correct|redo|swap)\w*|is it too late)\b|"
    r"怎么办|咋办|咋整|怎么弄|咋弄|还能改|能改吗|能不能改|来得及|晚了吗|然后呢|现在呢|[?？]\s*$",
    re.IGNORECASE,
)
# The Reading detail for it (handlers/dispatcher.py routes it here).
CORRECTION = "invoice_correction"
# The answers about one order's invoice (``for_order``).
_ORDER_INVOICE_REPLIES = (
    "invoice_ready",
    "invoice_before_dispatch",
    "invoice_before_dispatch_undated",
)
_INVOICE_ENTRIES = ENTRIES | {"invoice-corrected"}


def asks_after_download(turn: Turn) -> bool:
    """True for "I already downloaded the personal one, what now", "我已经下载了个人的 怎么办"
    right after an invoice answer: that invoice's correction to the company's details (not a
    delivery note, an account change nor a detail for a person to act on)."""
    subject = turn.dialogue.subject_in_play()
    invoiced = subject is not None and subject.entry in _INVOICE_ENTRIES
    if not invoiced:
        # An order's own invoice answer may leave the order as the subject: the invoice
        # answered in this conversation all the same.
        said = (*(f"faq:{e}" for e in _INVOICE_ENTRIES), *_ORDER_INVOICE_REPLIES)
        invoiced = any(turn.dialogue.variant(key) is not None for key in said)
    text = turn.message.text
    return invoiced and _HAD_ONE.search(text) is not None and _WHAT_NOW.search(text) is not None


def correction(turn: Turn) -> list[Reply]:
    """The invoice had in their own name changed to the company's: where, and when it comes."""
    turn.answered_from(COMPANY_ENTRY)
    return [turn.reply("invoice_correction")]


def _request(turn: Turn) -> Case | None:
    """The open invoice request of this conversation, if one was made."""
    return next(
        (
            c
            for c in turn.context.open_cases
            if c.reason == REASON and c.status is not CaseStatus.CLOSED
        ),
        None,
    )


async def note_tax_number(turn: Turn) -> list[Reply]:
    """Put the tax number on the invoice request (made now if there is none) and say so,
    with the order it is for; never ask for the number again."""
    number = tax_number(turn)
    assert number is not None  # checked by the reading
    order = turn.order_in_play
    order = None if order is not None and order.upper() == number else order
    case = _request(turn)
    if case is None:
        case = await turn.deps.cases.open(
            customer_id=turn.customer_id,
            kind=CaseKind.INQUIRY,
            priority=Priority.NORMAL,
            reason=REASON,
            summary=with_order(turn.say("invoice_request_summary"), order),
            topic="invoice",
        )
    elif order is not None:
        await turn.deps.cases.update(case.number, summary=with_order(case.summary, order))
    # The number is data with an author and a time: a note of its own, not summary text.
    await turn.deps.cases.add_note(
        case.number, author="customer", text=f"VAT / tax number: {number}"
    )
    turn.outcome.case = case.number
    key = "invoice_tax_noted_order" if order else "invoice_tax_noted"
    return [turn.reply(key, tax=number, order=order or "", number=case.number)]


# The parcel's arrival asked ("大概几号能到", "when will it get here"), and the papers named.
_ARRIVES = re.compile(
    r"\b(?:arriv\w*|get here|gets here|deliver\w*|reach(?:es)? me)\b|"
    # (Not "看到", "找到" the papers: seen, found.)
    r"(?<![看找])到(?!账|时)|送达",
    re.IGNORECASE,
)
_PAPERS = re.compile(r"\b(?:invoices?|receipts?|invoce)\b|发票|收据|开票|票", re.IGNORECASE)


def asks_arrival(text: str) -> bool:
    """True when a time question is about the parcel's arrival, not the papers ("大概几号能到",
    "and when will it get here" after the invoice's answer)."""
    return _ARRIVES.search(text) is not None and _PAPERS.search(text) is None


# The answers whose invoice an order number given next (or named with them) is asked for.
FOR_ORDER = frozenset({"invoice", WHEN_ENTRY})


def for_order(turn: Turn, order: Order, *, entry: str) -> list[Reply] | None:
    """The invoice of one order, from where it is: not shipped yet, when it comes
    (``before_dispatch``); shipped or delivered, that it is there to download (asked where,
    not when: when it is issued is the entry's own answer); None for a cancelled order, or
    when the message asks when the parcel comes, not the paper."""
    if order.status == "processing":
        return before_dispatch(turn, order)
    if entry == WHEN_ENTRY or order.status not in ("shipped", "delivered"):
        return None
    if asks_arrival(turn.message.text):
        return None
    # (Its carrier says it has gone; not its tracking: the status is not asked again.)
    return [turn.reply("invoice_ready", order=order.number, carrier=order.carrier or "-")]


def before_dispatch(turn: Turn, order: Order) -> list[Reply] | None:
    """When the invoice of an order not shipped yet comes: on the day it ships, with that
    order's ship-by day (no invoice exists yet, so nothing of a corrected one); None for an
    order that has shipped, whose invoice the FAQ answer covers."""
    if order.status != "processing":
        return None
    if asks_arrival(turn.message.text):
        return None  # "大概几号能到" after the invoice answer: the parcel's day, not the paper's
    day = order.eta_date()
    if day is None:
        return [turn.reply("invoice_before_dispatch_undated", order=order.number)]
    key = (
        "invoice_before_dispatch_late"
        if order.is_late(turn.deps.clock().date())
        else "invoice_before_dispatch"
    )
    turn.outcome.statused.add(order.number)
    return [turn.reply(key, order=order.number, day=day_text(day, turn.language))]
