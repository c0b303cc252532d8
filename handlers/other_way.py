"""The customer will pay another way: "ok nvm ill try paypal", "算了 我用支付宝试试".

Said after a payment failed (the conversation's topic is payment), it is neither a "no" to
an offer nor something for a case: acknowledged, with whether that way works at checkout.
"""

from __future__ import annotations

import re

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
# The ways the shop takes at checkout (the knowledge base's payment-methods answer), by the
# names customers use; what is not here is not taken.
_ACCEPTED = {
    "paypal": "PayPal",
    "贝宝": "PayPal",
    "apple pay": "Apple Pay",
    "alipay": "Alipay",
    "支付宝": "支付宝",
    "花呗": "花呗",
    "wechat": "WeChat Pay",
    "wechat pay": "WeChat Pay",
    "微信": "微信支付",
    "微信支付": "微信支付",
    "card": "a card",
    "credit card": "a credit card",
    "debit card": "a debit card",
    "another card": "another card",
    "other card": "another card",
    "different card": "another card",
    "visa": "Visa",
    "mastercard": "Mastercard",
    "amex": "American Express",
    "信用卡": "信用卡",
    "银行卡": "银行卡",
    "储蓄卡": "银行卡",
    "别的卡": "别的卡",
    "其他卡": "别的卡",
}
_PAYMENT_TOPIC = "ask_payment"


def method(text: str) -> str | None:
    """The way to pay the customer says they will try, as they wrote it (lower case)."""
    found = _WILL_TRY.search(text)
    if found is None:
        return None
    return " ".join((found.group("en") or found.group("zh")).lower().split())


def tries(turn: Turn) -> bool:
    """True when, with payment the topic, the customer says they will pay another way."""
    topic = turn.dialogue.topic
    return topic in (_PAYMENT_TOPIC, INTENT) and method(turn.message.text) is not None


async def acknowledge(turn: Turn) -> list[Reply]:
    """Fine, and whether that way is taken at checkout; if it fails too, we look into it."""
    said = method(turn.message.text) or ""
    name = _ACCEPTED.get(said)
    if name is None:
        return [turn.reply("pay_other_way_not_taken", method=said)]
    return [turn.reply("pay_other_way", method=name)]
