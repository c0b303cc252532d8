"""The customer will pay another way: "ok nvm ill try paypal", "算了 我用支付宝试试".

Said after a payment failed (the conversation's topic is payment), it is neither a "no" to
an offer nor something for a case: acknowledged, with whether that way works at checkout.
"""

from __future__ import annotations

import re

from handlers.clauses import clauses
from handlers.pay_ways import METHODS_ENTRY, NAMES, named, taken
from handlers.turn import Turn
from handlers.types import Reply

INTENT = "pay_another_way"
# How customers say they will use another way to pay.
_WILL_TRY = re.compile(
    r"\b(?:i'?ll|ill|i will|i'?m gonna|im gonna|gonna|i'?m going to|im going to|let me|lemme|"
    r"i'?ll just|will)\s+(?:just\s+)?(?:try|use|pay (?:with|by|via|through)|go with|switch to)\s+"
    r"(?:my\s+|a\s+|the\s+)?(?P<en>paypal|apple\s*pay|google\s*pay|alipay|wechat(?:\s*pay)?|"
    r"(?:credit|debit|another|other|different)?\s*card|visa|mastercard|amex|klarna|cash)|"
    r"(?:我|那我)?(?:就|还是)?(?:用|换|改用|换成|换个|试试|试下)(?:用)?(?P<zh>支付宝|微信支付|微信|"
    r"paypal|贝宝|信用卡|银行卡|储蓄卡|别的卡|其他卡|apple\s*pay|花呗|货到付款)",
    re.IGNORECASE,
)
_PAYMENT_TOPIC = "ask_payment"
# A question about the way just named, with no name of its own: "可以吧", "that ok?".
_ASKS_IT = re.compile(
    r"^\W*(?:(?:is )?(?:that|it) (?:ok(?:ay)?|fine|alright)|ok|right|works?|"
    r"可以吧|可以吗|行吗|行吧|能用吗|没问题吧|支持吗)\W*$",
    re.IGNORECASE,
)


def method(text: str) -> str | None:
    """The way to pay the customer says they will try, as they wrote it (lower case); the
    most precise way the message names ("fine ill use my card. do u take amex": amex)."""
    found = _WILL_TRY.search(text)
    if found is None:
        return None
    said = " ".join((found.group("en") or found.group("zh")).lower().split())
    ways = named(text)
    return ways[0] if len(ways) == 1 and ways[0] != said else said


def one_request(turn: Turn) -> bool:
    """True when every clause of a message that says the customer will pay another way
    names a way to pay ("fine ill use my card. do u take amex", "行吧 那我用微信付 可以吧"):
    one request, that way answered, not a second answer about refunds."""
    parts = clauses(turn.message.text)
    return tries(turn) and all(named(p) or _ASKS_IT.search(p) for p in parts)


def tries(turn: Turn) -> bool:
    """True when, with payment the topic, the customer says they will pay another way."""
    topic = turn.dialogue.topic
    if topic not in (_PAYMENT_TOPIC, INTENT) or method(turn.message.text) is None:
        return False
    # "用花呗分期的话这个券还能用吗": a question about a code, whatever way to pay it names.
    named = turn.deps.knowledge.named(turn.message.text)
    return named is None or "discount" not in named.tags


async def acknowledge(turn: Turn) -> list[Reply]:
    """Fine, and whether that way is taken at checkout (the knowledge base's payment-methods
    answer says); if it fails too, we look into it."""
    said = method(turn.message.text) or ""
    entry = turn.deps.knowledge.entry(METHODS_ENTRY)
    known = NAMES.get(said)
    name = said if known is None else (known[2] if turn.language == "zh" else known[1])
    if entry is not None and known is not None and taken(known[0], entry.answer("en")):
        return [turn.reply("pay_other_way", method=name)]
    methods = entry.answer(turn.language) if entry is not None else ""
    head = turn.say("pay_other_way_not_taken", method=name)
    return [Reply(f"{head} {methods}".strip())]
