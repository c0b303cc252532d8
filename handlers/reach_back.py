"""The customer's own phone number or e-mail, kept on their profile and case; a call back noted."""

from __future__ import annotations

import re
from dataclasses import replace

from handlers import inquiry
from handlers.cases import current_case, waiting_line
from handlers.turn import Turn
from handlers.types import Reply

# The reading's detail (handlers/readings.py) the dispatcher acts on.
DETAIL = "reach_back"
# An e-mail told to say who the customer is, with an order to find (identifies_for_order).
IDENTIFIED = "identified"
AUTHOR = "bot"
# How a note starts, so a later "call me" finds the number given before (handlers/data:
# notes are their own rows; this prefix is their kind).
PHONE_NOTE = "Customer's phone:"
EMAIL_NOTE = "Customer's e-mail:"
CALL_NOTE = "Customer asks for a call back"

# A phone number as people type it: "07700 900123", "+44 7700-900-123", "138 0013 8000",
# "13800138000" (9 digits or more, so never an order number such as 61001 or C-4511).
# (Chinese characters are word characters: only Latin letters and digits bound it.)
PHONE_NUMBER = re.compile(r"(?<![A-Za-z0-9-])\+?\d(?:[ \-.]?\d){8,14}(?![A-Za-z0-9-])")
EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# The shop's own e-mail, repeated back, is not the customer's.
_SHOPS = re.compile(r"@acme-home\.example", re.IGNORECASE)
# A call back asked for: "call me", "ring me back", "can someone phone me", "give me a call",
# "打电话给我", "给我回个电话", "打我手机", "回电".
CALL_ME = re.compile(
    r"\b(?:call|ring|rign|phone|cal)(?:ing)?\s+(?:me|m)\b|\bgive me a (?:call|ring|bell)\b|"
    r"\bcall ?back\b|\bring ?back\b|\bcall me back\b|"
    r"(?:打|回|拨)(?:个|一个|一下)?电话(?:给|跟)我|(?:给|跟)我(?:回|打|拨)(?:个|一个|一下)?电话|"
    r"回(?:个|一个)?电话|回电|打我(?:的)?(?:电话|手机)|电话联系我",
    re.IGNORECASE,
)
# The courier to ring on arrival, a delivery instruction (handlers/instructions.py): "到了先打
# 我电话", "tell the driver to call me when hes outside", "call me before delivering".
_ON_ARRIVAL = re.compile(
    r"\b(?:driver|courier|delivery (?:guy|man|driver)|postman)\b|\bbefore (?:deliver|arriv|coming)|"
    r"\bon arrival\b|\bwhen (?:you|they|he|she)(?:'re| are|'s| is)? (?:here|outside|arrive)|"
    r"先打|到了|到之前|送(?:到|来|货)?(?:之)?前|快递员|快递小哥|司机|派送",
    re.IGNORECASE,
)
# Saying it is theirs: "my number is", "reach me on", "手机号是", "邮箱是" (a bare number
# with a case open counts too).
_THEIRS = re.compile(
    r"\bmy (?:phone|mobile|cell|number|no\.?|email|e-mail|mail)\b|"
    r"\b(?:reach|contact|text|get) me\b|"
    r"我的?(?:手机|电话|邮箱|号码)|(?:手机|电话|邮箱)(?:号码|号|地址)?(?:是|:|：)",
    re.IGNORECASE,
)


# A detail told as the customer's new one: "my new number is ...", "my email is now ...",
# "changed my mobile to ...", "新手机号 139...", "我邮箱换了 现在是 ...".
_NEW_DETAIL = re.compile(
    r"\bnew (?:phone|mobile|cell|number|no\.?|e-?mail|mail|contact)\b|\b(?:is|'s) now\b|"
    r"\bnow (?:is|it'?s)\b|\bchanged? (?:my|it to|to)\b|\bupdated?\b|\bswitched\b|"
    # (The contact named with the change: "改成杭州市…… 139…" is a new address with a phone.)
    r"新(?:的)?(?:手机|电话|号码|邮箱)|(?:手机|电话|号码|邮箱)号?(?:换|改|变)(?:了|成|为)|"
    r"现在(?:是|用)|以后(?:用|联系)",
    re.IGNORECASE,
)


def tells_new_contact(turn: Turn) -> bool:
    """True when, no case open, the customer tells their own phone or e-mail as theirs or as
    their new one ("my new number is 07700 900123", "新手机号 13912345678"): kept on the
    profile and confirmed (not the shop's phone line, nor the account's settings)."""
    text = turn.message.text
    if CALL_ME.search(text):
        return False  # "can someone call me on ..." with no case: a person asked for
    email, phone = email_in(text), phone_in(text)
    if phone is not None and turn.is_order_number(phone):
        phone = None
    if email is None and phone is None:
        return False
    if phone is None and email is not None and identifies(turn, email):
        return False  # who they are, for what else they ask: not a new address to write to
    return _THEIRS.search(text) is not None or _NEW_DETAIL.search(text) is not None


# The e-mail said as what the account or the order is under: "my account is under ...",
# "i ordered with ...", "registered with", "注册邮箱是", "下单用的邮箱", "账号是".
_IDENTIFIES = re.compile(
    r"\b(?:account|order|orders|purchase)\b[^.?!]{0,20}\b(?:under|with|using)\b|"
    r"\b(?:registered|signed up|sign in|signed in|log ?in|logged in|ordered|bought|booked)\b"
    r"[^.?!]{0,15}\b(?:with|using|under|as)\b|\b(?:it'?s|its|this is|i'?m|im)\s+"
    r"(?:\w+\s+){0,2}?(?:on|from|with) (?:the |my )?account\b|"
    r"注册|登录|登陆|账号|帐号|账户|下单(?:用|时|的)|买的时候|用.{0,4}邮箱(?:下|买)",
    re.IGNORECASE,
)


def identifies(turn: Turn, email: str) -> bool:
    """True when the e-mail is told to say who the customer is, not given as a new one to
    write to: the one on their profile already ("my email is anna@..." when it is), or said
    as the account's or the order's ("i ordered with ...", "注册邮箱是 ...")."""
    if _NEW_DETAIL.search(turn.message.text):
        return False
    known = turn.context.customer.email
    if known and known.strip().lower() == email.strip().lower():
        return True
    return _IDENTIFIES.search(turn.message.text) is not None


def phone_in(text: str) -> str | None:
    """The phone number written in the text, as written; None without one."""
    found = PHONE_NUMBER.search(text)
    return found.group(0).strip() if found else None


def email_in(text: str) -> str | None:
    """The customer's e-mail address written in the text (not the shop's); None without one."""
    for found in EMAIL_ADDRESS.finditer(text):
        if not _SHOPS.search(found.group(0)):
            return found.group(0)
    return None


def call_with_number(text: str) -> bool:
    """True when one message asks for a call back and gives the number to call."""
    return CALL_ME.search(text) is not None and phone_in(text) is not None


def gives_or_asks(turn: Turn) -> bool:
    """True when the message gives the customer's phone or e-mail while a case is open
    ("btw my number is 07700 900456", "邮箱是xx@qq.com"), or asks to be called ("call me",
    "给我回个电话"): noted, not read as a person asked for or as the account's settings."""
    text = turn.message.text
    if not turn.context.open_cases:
        # No case to put it on: "can someone call me on monday" is a person asked for,
        # handed over with its case (handlers/escalation.py); a new number, the profile's.
        return tells_new_contact(turn)
    if CALL_ME.search(text):
        return _ON_ARRIVAL.search(text) is None
    email = email_in(text)
    if email is not None:
        return not identifies(turn, email) or phone_in(text) is not None
    phone = phone_in(text)
    if phone is None or turn.is_order_number(phone):
        # "订单号6677889900", "2026112300457" when asked for the order: an order, not a phone.
        return False
    # "my number is ...", "reach me on ...", or the number alone (asked for a call back).
    return _THEIRS.search(text) is not None or len(text.strip()) <= len(phone) + 3


async def _keep(turn: Turn, email: str | None) -> None:
    """The e-mail told becomes the profile's contact address (what the team writes to). (The
    phone and e-mail are kept as facts on the customer by the dispatcher, with the turn's
    closing write, as every phone or e-mail the engine finds is.)"""
    if email is not None:
        await turn.deps.customers.update(turn.context.customer.id, email=email)


async def _known_phone(turn: Turn) -> str | None:
    """The phone number the customer gave earlier, noted on one of their cases."""
    notes = await turn.deps.cases.notes_for_customer(turn.context.customer.id)
    for note in sorted(notes, key=lambda n: n.created_at, reverse=True):
        if note.text.startswith(PHONE_NOTE):
            return note.text.removeprefix(PHONE_NOTE).strip()
    return None


async def _call_awaits_number(turn: Turn, number: int) -> bool:
    """True when the case's latest call-back request was noted without a number."""
    calls = [n for n in await turn.deps.cases.notes(number) if n.text.startswith(CALL_NOTE)]
    latest = max(calls, key=lambda n: n.created_at, default=None)
    return latest is not None and latest.text.startswith(f"{CALL_NOTE}:")


async def note(turn: Turn) -> list[Reply]:
    """The phone or e-mail put on the open case and confirmed; a call back asked for noted
    with the number (given now or before), when the team phones and when they are in."""
    text = turn.message.text
    phone, email, call = phone_in(text), email_in(text), CALL_ME.search(text) is not None
    await _keep(turn, email)
    case = await current_case(turn)
    if case is None:
        # No case: on the profile, as the CRM keeps what it knows of a customer.
        saved = [turn.say("contact_saved_phone", phone=phone)] if phone is not None else []
        saved += [turn.say("contact_saved_email", email=email)] if email is not None else []
        return [Reply("\n".join(saved) or turn.say("help"))]
    if phone is not None and not call:
        # The number for a call back asked for earlier without one: that call, now noted.
        call = await _call_awaits_number(turn, case.number)
    turn.outcome.case = case.number
    # The customer's words on the case (what the team reads), the details as bot notes.
    await turn.deps.cases.update(case.number, summary=f"{case.summary}\n{text.strip()}".strip())
    lines: list[str] = []
    if phone is not None:
        await turn.deps.cases.add_note(case.number, author=AUTHOR, text=f"{PHONE_NOTE} {phone}")
    if email is not None:
        await turn.deps.cases.add_note(case.number, author=AUTHOR, text=f"{EMAIL_NOTE} {email}")
        lines.append(turn.say("contact_noted_email", number=case.number, email=email))
    if call:
        known = phone or await _known_phone(turn)
        if known is None:
            await turn.deps.cases.add_note(
                case.number, author=AUTHOR, text=f"{CALL_NOTE}: {text.strip()}"
            )
            lines.append(turn.say("callback_needs_number", number=case.number))
        else:
            await turn.deps.cases.add_note(
                case.number, author=AUTHOR, text=f"{CALL_NOTE} on {known}: {text.strip()}"
            )
            lines.append(turn.say("callback_noted", number=case.number, phone=known))
        lines.append(waiting_line(turn, case))
    elif phone is not None:
        lines.insert(0, turn.say("contact_noted_phone", number=case.number, phone=phone))
    return [Reply("\n".join(lines))]


# An order asked after beside the e-mail: "cant find my order", "where is my parcel", "查下订单".
_ORDER_WORDS = re.compile(
    r"\b(?:order(?:s|ed)?|parcels?|packages?|deliver(?:y|ies)|purchases?|tracking)\b|订单|包裹|快递|单子|物流",
    re.IGNORECASE,
)


def identifies_for_order(turn: Turn) -> bool:
    """True for "cant find my order, my email is ..." with the e-mail on the profile, or "i
    ordered with ..., where is it", "注册邮箱是 ... 帮我查下订单": the e-mail says who they
    are and the order is what they ask; not a new contact address saved over theirs."""
    text = turn.message.text
    email = email_in(text)
    if email is None or phone_in(text) is not None or not identifies(turn, email):
        return False
    return bool(turn.parse.orders) or _ORDER_WORDS.search(text) is not None


async def identified(turn: Turn) -> list[Reply]:
    """The e-mail taken as who they are (the profile's, or the one they ordered with, which
    the team can look orders up by), then the order they ask after: its status, or its
    number asked for."""
    email = email_in(turn.message.text) or ""
    known = turn.context.customer.email or ""
    same = bool(known) and known.strip().lower() == email.strip().lower()
    line = turn.say("email_on_account" if same else "email_ordered_with", email=email)
    replies = await inquiry.order_status(turn)
    if not replies:
        return [Reply(line)]
    first = replies[0]
    return [replace(first, text=f"{line}\n{first.text}"), *replies[1:]]
