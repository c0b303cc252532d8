"""Whether a way to pay is taken: "can i pay with paypal", "微信支付可以不", "分期呢".

The knowledge base's payment-methods answer is the one place that says which ways are taken
and on what condition; a question about one way is answered yes or no from it, with the one
condition that applies, instead of the whole list. Right after paying in parts was answered,
an amount ("its 280 dollars", "总共两百多") is that amount against the rule, and a way ("klarna?",
"那用花呗呢") is paying in parts with that way.
"""

from __future__ import annotations

import re

from handlers.basket import amount_named
from handlers.clauses import ideographs
from handlers.turn import Turn
from handlers.types import Reply

# The knowledge-base entry that says which ways are taken.
METHODS_ENTRY = "payment-methods"
# The Reading detail of an amount or a way said right after paying in parts was answered.
INSTALMENTS_FOLLOW_UP = "pay_instalments_follow_up"
# Slots: the way a question was about (a key of ``NAMES``: "can i do instalments with it"
# next is that way), and that paying in parts was answered (an amount next is read against it).
WAY_SLOT = "pay_way"
INSTALMENTS_SLOT = "pay_instalments"
# How many messages after paying in parts was answered a bare amount or way is still about it.
IN_PLAY_TURNS = 2
# The longest message (words, or two ideographs each) read as such a follow-up.
_FOLLOW_UP_WORDS = 12
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
    r"\binstal+(?:ments?|emnts?|mnets?|mnts?)\b|"
    # "split it into 3", "spread it over 4": the count of payments, never an amount of $3.
    r"\b(?:split|spread)(?:ting|ing)?\b[^.?!\d]{0,25}?\b(?:in|into|over)\s+(?:\d|two|three|four|six)\b|"
    r"\bsplit(?:ting)? (?:it|that|this|the (?:payments?|cost|price|bill|total)|my payments?|"
    r"payments?)\b|"
    r"\bspread(?:ing)? (?:it|that|the (?:cost|payments?|price)|my payments?|payments?)\b|"
    r"\bmonthly (?:payments?|instal\w*)\b|"
    r"\bpay\b[^.?!]{0,30}?\b(?:over time|monthly|per month|a month|in parts)\b|"
    r"\b(?:in|into|over) (?:3|three|\d|two|four|six) (?:payments|parts|goes|months)\b|"
    r"\bpay in (?:3|three|4|four)\b|\bbuy now,? pay later\b|\bpay later\b|"
    r"分期|分几期|分\s*[\d一二两三四六十]+\s*(?:期|个月|次付)|分月付|按月付",
    re.IGNORECASE,
)
# A way said by pointing back at the one just asked about ("can i do installments with it").
_WITH_IT = re.compile(
    r"\b(?:with|using|via|through|on|by) (?:it|that|this|them)\b|用(?:它|这个|那个)", re.I
)
# Chinese amounts in words: "两百多", "一百五", "三百块", "两千".
_ZH_DIGITS = dict(zip("一二两三四五六七八九", (1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_ZH_AMOUNT = re.compile(
    r"([一二两三四五六七八九])(千|百)(?:([一二三四五六七八九])十?)?(多|来|出头)?"
)
# English amounts in words: "two hundred and fifty", "three hundred", "a hundred and twenty".
_EN_UNITS = dict(
    zip(
        ("a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
        (1, 1, 2, 3, 4, 5, 6, 7, 8, 9),
        strict=True,
    )
)
_EN_TENS = dict(
    zip(
        ("ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
        range(10, 100, 10),
        strict=True,
    )
)
_EN_AMOUNT = re.compile(
    rf"\b({'|'.join(_EN_UNITS)}) (hundred|thousand)(?:,? (?:and )?({'|'.join(_EN_TENS)}))?\b",
    re.IGNORECASE,
)
# An amount said to be "and more" ("两百多", "200多", "200+", "200 something").
# An amount said as a floor ("its over 200", "那超过200了", "200以上"): the sum is not known.
_FLOOR = re.compile(
    r"\b(?:over|above|more than|at least|upwards of|north of)\s*(?:\$|usd\s*)?\d|"
    r"超过|超了|以上|不止|大于|多于",
    re.IGNORECASE,
)
_MORE = re.compile(r"\d\s*(?:多|来|出头|\+)|\b\d+ ?(?:something|odd|ish)\b", re.I)
# An amount asked about as a refund, a price, a delivery: not the instalments' amount.
_NOT_INSTALMENTS = re.compile(
    r"refund|money back|shipping|delivery|postage|discount|coupon|退|运费|邮费|包邮|优惠|折扣", re.I
)
_INSTALMENT_SENTENCE = re.compile(r"instal|分\s*\d+\s*期", re.IGNORECASE)
# Asked for the list, not about one way: "what else can i use besides paypal", "支持哪些".
_WHOLE_LIST = re.compile(
    r"\b(?:which|else|other|others|besides|all)\b|\bwhat(?! about| if)\b|"
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


def only_ways(text: str) -> bool:
    """True when the text is the names of ways to pay and nothing else ("paypal", "Apple
    Pay!"): names, which say nothing of the language the customer writes in."""
    return bool(named(text)) and not re.search(r"[^\W\d_]", _NAMED.sub(" ", text))


def _generic(key: str) -> bool:
    return NAMES[key][1].startswith(("a ", "another "))


def asks_about_one(text: str) -> bool:
    """True when the text asks whether a particular way (or paying in parts) works, rather
    than for the list of ways or about a payment made."""
    if _WHOLE_LIST.search(text) or _PAID.search(text):
        return False
    return bool(named(text)) or _INSTALMENTS.search(text) is not None


def answer(turn: Turn, methods_en: str, methods: str, *, parts: bool = False) -> str | None:
    """Yes or no to the way(s) asked about, with the condition that applies, from the
    payment-methods answer (``methods_en`` in English to read, ``methods`` in the customer's
    language to quote); None when the question is not about one way. ``parts``: the message
    follows the instalments answer, so the way or amount it names is about paying in parts."""
    text = turn.message.text
    if not parts and not asks_about_one(text):
        return None
    zh = turn.language == "zh"
    in_parts = parts or _INSTALMENTS.search(text) is not None
    ways = named(text)
    if not ways and in_parts and _WITH_IT.search(text):
        # "can i do installments with it" after "do you take apple pay": that way.
        slot = turn.dialogue.slot(WAY_SLOT)
        ways = [slot.value] if slot is not None and slot.value in NAMES else []
    if ways:
        turn.outcome.slots[WAY_SLOT] = ways[0]
    if in_parts:
        turn.outcome.slots[INSTALMENTS_SLOT] = ways[0] if ways else "any"
    yes: list[str] = []
    no: list[str] = []
    for key in ways:
        known, en_name, zh_name = NAMES[key]
        (yes if taken(known, methods_en) else no).append(zh_name if zh else en_name)
    joiner = "和" if zh else " and "
    rule_en = next((s for s in _sentences(methods_en) if _INSTALMENT_SENTENCE.search(s)), "")
    rule = next((s for s in _sentences(methods) if _INSTALMENT_SENTENCE.search(s)), None)
    if in_parts and rule is not None and rule_en and ways and not no:
        in_rule = [k for k in ways if NAMES[k][0].lower() in rule_en.lower()]
        if len(in_rule) == len(ways):
            # "can i split it with paypal", "换paypal可以分期吗": the rule's own way, for
            # the amount when one is said.
            return _instalments_for(turn, text, rule_en, rule)
        # "花呗分期可以吗", "can i pay with klarna in instalments": paying in parts is the
        # rule's way, not the one named; the shop's rule, said plainly (no "yes, Huabei").
        other = turn.say("pay_instalments_other_way", method=joiner.join(yes), rule=_lead_in(rule))
        verdict = _amount_verdict(turn, text, rule_en)
        return f"{other}{'' if zh else ' '}{verdict}".strip() if verdict else other
    said: list[str] = []
    if yes:
        said.append(turn.say("pay_way_yes", method=joiner.join(yes)))
    if no:
        listed = _sentences(methods)[0]
        said.append(turn.say("pay_way_no", method=joiner.join(no), methods=listed))
    if in_parts:
        if rule is None:
            said.append(
                turn.say(
                    "pay_way_no",
                    method="分期" if zh else "instalments",
                    methods=_sentences(methods)[0],
                )
            )
        elif said:
            said.append(rule)
        else:
            said.append(_instalments_for(turn, text, rule_en, rule))
    return ("" if zh else " ").join(said) if said else None


def follows_instalments(turn: Turn) -> bool:
    """True when the message is an amount or a way said right after paying in parts was
    answered ("its 280 dollars", "订单大概300刀", "klarna?", "那用花呗呢", "what about with my
    amex"): paying in parts for that amount or with that way, not an order, a detail to
    change, a refund's route or a delivery price."""
    slot = turn.dialogue.slot(INSTALMENTS_SLOT)
    if slot is None or slot.turn < turn.dialogue.turn - IN_PLAY_TURNS:
        return False
    text = turn.message.text
    if _WHOLE_LIST.search(text) or _PAID.search(text) or _NOT_INSTALMENTS.search(text):
        return False
    if len(re.findall(r"[A-Za-z0-9']+", text)) + ideographs(text) // 2 > _FOLLOW_UP_WORDS:
        return False
    return amount_said(text) is not None or bool(named(text))


async def follow_up(turn: Turn) -> list[Reply]:
    """Paying in parts for the amount or the way said right after the instalments answer."""
    entry = turn.deps.knowledge.entry(METHODS_ENTRY)
    if entry is None:
        return [turn.reply("help")]
    said = answer(turn, entry.answer("en"), entry.answer(turn.language), parts=True)
    turn.answered_from(entry.id)
    return [Reply(said or entry.answer(turn.language))]


def amount_said(text: str) -> tuple[float, bool] | None:
    """The one amount of money the text names, in figures ("its 280 dollars") or in Chinese
    words ("两百多", "一百五"), and whether it was said as "and more" ("两百多", "200+")."""
    # ("in 3 payments", "分3期" count the payments, not the money.)
    text = _INSTALMENTS.sub(" ", text)
    figure = amount_named(text)
    if figure is not None:
        return figure, _MORE.search(text) is not None
    words = _EN_AMOUNT.findall(text)
    if len(words) == 1:
        unit, scale_word, tens = (w.lower() for w in words[0])
        scale = 1000 if scale_word == "thousand" else 100
        return float(_EN_UNITS[unit] * scale + (_EN_TENS[tens] if tens else 0)), False
    found = _ZH_AMOUNT.findall(text)
    if len(found) != 1:
        return None
    first, unit, second, more = found[0]
    scale = 1000 if unit == "千" else 100
    value = _ZH_DIGITS[first] * scale + (_ZH_DIGITS[second] * scale // 10 if second else 0)
    return float(value), bool(more)


def _amount_verdict(turn: Turn, text: str, rule_en: str) -> str:
    """Whether the amount said qualifies for the rule's instalments, or "" when none is said."""
    said = amount_said(text)
    line = _OVER.search(rule_en)
    if said is None or line is None:
        return ""
    amount, more = said
    over = amount >= float(line.group(1)) or (more and amount >= float(line.group(1)) - 1)
    money = _money(amount, turn.language, more=more)
    if over and _FLOOR.search(text):
        # "那超过200了": the line itself quoted, not the order's sum - no share to work out.
        return turn.say("pay_instalments_amount_over_floor", amount=_money(amount, turn.language))
    if over:
        each = _money(amount / 3, turn.language, more=more)
        return turn.say("pay_instalments_amount_over", amount=money, each=each)
    return turn.say("pay_instalments_amount_under", amount=money)


def _instalments_for(turn: Turn, text: str, rule_en: str, rule: str) -> str:
    """Paying in parts, for the amount the customer names when the rule depends on one ("can
    i pay the $229 one in instalments": $229 is over the line, yes, in three payments of
    about $76; "150块的能分期吗": not yet, and the ways to pay it at once); the rule itself
    when they name none."""
    said = amount_said(text)
    line = _OVER.search(rule_en)
    if said is None or line is None:
        return turn.say("pay_instalments", rule=_lead_in(rule))
    amount, more = said
    money = _money(amount, turn.language, more=more)
    if amount >= float(line.group(1)) or (more and amount >= float(line.group(1)) - 1):
        if _FLOOR.search(text):
            floor = _money(amount, turn.language)
            return turn.say("pay_instalments_over_floor", amount=floor, rule=_lead_in(rule))
        each = _money(amount / 3, turn.language, more=more)
        return turn.say("pay_instalments_over", amount=money, each=each, rule=_lead_in(rule))
    methods = turn.deps.knowledge.entry(METHODS_ENTRY)
    listed = ways_listed(methods.answer(turn.language)) if methods is not None else ""
    return turn.say("pay_instalments_under", amount=money, rule=_lead_in(rule), methods=listed)


def _money(amount: float, language: str, *, more: bool = False) -> str:
    """An amount as the customer reads it ("$280", "280 美元"; "200 多美元" for "两百多")."""
    whole = more or amount == int(amount)  # ("两百多" a third of: "66 多", not "66.67 多")
    figure = f"{int(amount)}" if whole else f"{amount:.2f}"
    if language == "zh":
        return f"{figure} 多美元" if more else f"{figure} 美元"
    return f"${figure}+" if more else f"${figure}"


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
