"""Whether a way to pay is taken: "can i pay with paypal", "微信支付可以不", "分期呢".

The knowledge base's payment-methods answer is the one place that says which ways are taken
and on what condition; a question about one way is answered yes or no from it, with the one
condition that applies, instead of the whole list.
"""

from __future__ import annotations

import re

from handlers.basket import amount_named
from handlers.turn import Turn

# The knowledge-base entry that says which ways are taken.
METHODS_ENTRY = "payment-methods"
# What each way customers name is called in the payment-methods answer (in English), and
# how to say it to them in English and in Chinese. Whether it is taken is that answer's to
# say: a way it names in a sentence without a "not" is taken.
NAMES: dict[str, tuple[str, str, str]] = {
    "paypal": ("PayPal", "PayPal", "PayPal"),
    "pay pal": ("PayPal", "PayPal", "PayPal"),
    "贝宝": ("PayPal", "PayPal", "PayPal"),
    "apple pay": ("Apple Pay", "Apple Pay", "Apple Pay"),
    "applepay": ("Apple Pay", "Apple Pay", "Apple Pay"),
    "google pay": ("Google Pay", "Google Pay", "Google Pay"),
    "googlepay": ("Google Pay", "Google Pay", "Google Pay"),
    "alipay": ("Alipay", "Alipay", "支付宝"),
    "支付宝": ("Alipay", "Alipay", "支付宝"),
    "huabei": ("Huabei", "Huabei", "花呗"),
    "花呗": ("Huabei", "Huabei", "花呗"),
    "wechat": ("WeChat Pay", "WeChat Pay", "微信支付"),
    "wechat pay": ("WeChat Pay", "WeChat Pay", "微信支付"),
    "微信": ("WeChat Pay", "WeChat Pay", "微信支付"),
    "微信支付": ("WeChat Pay", "WeChat Pay", "微信支付"),
    "card": ("Visa", "a card", "银行卡"),
    "credit card": ("Visa", "a credit card", "信用卡"),
    "debit card": ("Visa", "a debit card", "借记卡"),
    "another card": ("Visa", "another card", "别的卡"),
    "other card": ("Visa", "another card", "别的卡"),
    "different card": ("Visa", "another card", "别的卡"),
    "visa": ("Visa", "Visa", "Visa"),
    "mastercard": ("Mastercard", "Mastercard", "Mastercard"),
    "master card": ("Mastercard", "Mastercard", "Mastercard"),
    "amex": ("American Express", "American Express", "美国运通"),
    "american express": ("American Express", "American Express", "美国运通"),
    "运通": ("American Express", "American Express", "美国运通"),
    "美国运通": ("American Express", "American Express", "美国运通"),
    "运通卡": ("American Express", "American Express", "美国运通"),
    "万事达": ("Mastercard", "Mastercard", "Mastercard"),
    "万事达卡": ("Mastercard", "Mastercard", "Mastercard"),
    "维萨": ("Visa", "Visa", "Visa"),
    "信用卡": ("Visa", "a credit card", "信用卡"),
    "银行卡": ("Visa", "a card", "银行卡"),
    "储蓄卡": ("Visa", "a debit card", "储蓄卡"),
    "借记卡": ("Visa", "a debit card", "借记卡"),
    "别的卡": ("Visa", "another card", "别的卡"),
    "其他卡": ("Visa", "another card", "别的卡"),
    "klarna": ("Klarna", "Klarna", "Klarna"),
    "afterpay": ("Afterpay", "Afterpay", "Afterpay"),
    "cash": ("Cash on delivery", "cash", "现金"),
    "cash on delivery": ("Cash on delivery", "cash on delivery", "货到付款"),
    "pay on delivery": ("Cash on delivery", "cash on delivery", "货到付款"),
    "cod": ("Cash on delivery", "cash on delivery", "货到付款"),
    "货到付款": ("Cash on delivery", "cash on delivery", "货到付款"),
    "到付": ("Cash on delivery", "cash on delivery", "货到付款"),
}
_NAMED = re.compile(
    "|".join(
        # (Not \b: "paypal能用吗" has no word boundary between the Latin and the Chinese.)
        rf"(?<![a-z]){re.escape(k)}(?![a-z])" if k.isascii() else re.escape(k)
        for k in sorted(NAMES, key=len, reverse=True)
    ).replace(r"\ ", r"\s*"),
    re.IGNORECASE,
)
# Paying in parts: the answer's sentence that says on what condition.
_INSTALMENTS = re.compile(
    r"\binstal+ments?\b|\bsplit (?:it|the (?:payment|cost|price)|my payment)\b|"
    r"\bmonthly (?:payments?|instal\w*)\b|\bpay (?:it )?(?:off )?(?:over time|monthly|in parts)\b|"
    r"\bbuy now,? pay later\b|分期|分几期|分[3三]期|分月付",
    re.IGNORECASE,
)
_INSTALMENT_SENTENCE = re.compile(r"instal|分\s*\d+\s*期", re.IGNORECASE)
# Asked for the list, not about one way: "what else can i use besides paypal", "支持哪些".
_WHOLE_LIST = re.compile(
    r"\b(?:which|else|other|others|besides|all)\b|\bwhat(?! about)\b|"
    r"哪些|哪几种|哪种|什么(?:方式|支付|付款)|别的方式|其他方式|都有|还有什么|还能用什么",
    re.IGNORECASE,
)
# Said about a payment made, not asked about a way ("i paid with wechat pay").
_PAID = re.compile(
    r"\bpaid\b|\bi used\b|用的是|是用.{0,6}付的|付的(?:款|钱)?$|付过|"
    r"(?:^|我|是)用的(?!是什么)",
    re.I,
)
# The amount the instalment rule starts at, in its English sentence ("Orders over $200 ...").
_OVER = re.compile(r"\bover \$\s?(\d+(?:\.\d+)?)", re.IGNORECASE)
_NOT = re.compile(r"n't|\bnot\b|\bno\b|\bnever\b|暂不|不支持", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def taken(name: str, methods: str) -> bool:
    """True when the payment-methods answer (English) names ``name`` in a sentence that
    does not say it is not taken ("Cash on delivery isn't available")."""
    return any(name.lower() in s.lower() and not _NOT.search(s) for s in _sentences(methods))


def named(text: str) -> list[str]:
    """The ways to pay the text names, as keys of ``NAMES``, in order, each once; a card
    without a scheme only when nothing more precise is named ("amex card" is American
    Express)."""
    found = [" ".join(m.group().lower().split()) for m in _NAMED.finditer(text)]
    found = [k for k in found if k in NAMES]
    precise = [k for k in found if not _generic(k)]
    if precise:
        found = precise
    said: dict[str, str] = {}
    for key in found:
        said.setdefault(NAMES[key][1], key)  # one way said twice ("wechat pay", "微信"): once
    return list(said.values())


def _generic(key: str) -> bool:
    return NAMES[key][1].startswith(("a ", "another "))


def asks_about_one(text: str) -> bool:
    """True when the text asks whether a particular way (or paying in parts) works, rather
    than for the list of ways or about a payment made."""
    if _WHOLE_LIST.search(text) or _PAID.search(text):
        return False
    return bool(named(text)) or _INSTALMENTS.search(text) is not None


def answer(turn: Turn, methods_en: str, methods: str) -> str | None:
    """Yes or no to the way(s) asked about, with the condition that applies, from the
    payment-methods answer (``methods_en`` in English to read, ``methods`` in the customer's
    language to quote); None when the question is not about one way."""
    text = turn.message.text
    if not asks_about_one(text):
        return None
    zh = turn.language == "zh"
    yes: list[str] = []
    no: list[str] = []
    for key in named(text):
        known, en_name, zh_name = NAMES[key]
        (yes if taken(known, methods_en) else no).append(zh_name if zh else en_name)
    joiner = "和" if zh else " and "
    rule_en = next((s for s in _sentences(methods_en) if _INSTALMENT_SENTENCE.search(s)), "")
    if (
        _INSTALMENTS.search(text)
        and yes
        and not no
        and rule_en
        and not any(NAMES[k][0].lower() in rule_en.lower() for k in named(text))
    ):
        # "花呗分期可以吗", "can i pay with klarna in instalments": paying in parts is the
        # rule's way, not the one named; the shop's rule, said plainly (no "yes, Huabei").
        said = next(s for s in _sentences(methods) if _INSTALMENT_SENTENCE.search(s))
        return turn.say("pay_instalments_other_way", method=joiner.join(yes), rule=_lead_in(said))
    parts: list[str] = []
    if yes:
        parts.append(turn.say("pay_way_yes", method=joiner.join(yes)))
    if no:
        listed = _sentences(methods)[0]
        parts.append(turn.say("pay_way_no", method=joiner.join(no), methods=listed))
    if _INSTALMENTS.search(text):
        rule = next((s for s in _sentences(methods) if _INSTALMENT_SENTENCE.search(s)), None)
        if rule is None:
            parts.append(
                turn.say(
                    "pay_way_no",
                    method="分期" if zh else "instalments",
                    methods=_sentences(methods)[0],
                )
            )
        elif parts:
            parts.append(rule)
        else:
            parts.append(_instalments_for(turn, text, rule_en, rule))
    return ("" if zh else " ").join(parts) if parts else None


def _instalments_for(turn: Turn, text: str, rule_en: str, rule: str) -> str:
    """Paying in parts, for the amount the customer names when the rule depends on one ("can
    i pay the $229 one in instalments": $229 is over the line, yes; "150块的能分期吗": not
    yet); the rule itself when they name none."""
    amount = amount_named(text)
    line = _OVER.search(rule_en)
    if amount is None or line is None:
        return turn.say("pay_instalments", rule=_lead_in(rule))
    key = "pay_instalments_over" if amount >= float(line.group(1)) else "pay_instalments_under"
    return turn.say(key, amount=_money(amount, turn.language), rule=_lead_in(rule))


def _money(amount: float, language: str) -> str:
    figure = f"{amount:.0f}" if amount == int(amount) else f"{amount:.2f}"
    return f"{figure} 美元" if language == "zh" else f"${figure}"


def ways_listed(methods: str) -> str:
    """The payment-methods answer's sentence that lists the ways taken (its first)."""
    sentences = _sentences(methods)
    return sentences[0] if sentences else ""


def _lead_in(sentence: str) -> str:
    """A sentence to follow "Yes:": its first word in lower case unless it is a name
    ("Orders over $200..." -> "orders over $200...", "PayPal ..." stays)."""
    first = sentence.split(" ", 1)[0]
    return sentence[:1].lower() + sentence[1:] if first[1:].islower() else sentence


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]
