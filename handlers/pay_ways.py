"""Whether a way to pay is taken: "can i pay with paypal", "微信支付可以不", "分期呢".

The knowledge base's payment-methods answer is the one place that says which ways are taken
and on what condition; a question about one way is answered yes or no from it, with the one
condition that applies, instead of the whole list. Right after paying in parts was answered,
an amount ("its 280 dollars", "总共两百多") is that amount against the rule, and a way ("klarna?",
"那用花呗呢") is paying in parts with that way.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from handlers.basket import amount_named
from handlers.catalogue import CatalogueError, Product
from handlers.clauses import ideographs
from handlers.knowledge import answer_sentences
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply
from nlu import FALLBACK

logger = logging.getLogger(__name__)

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
# How many messages after a product was talked about "can i pay for it in instalments" is
# still about it.
PRODUCT_TURNS = 3


@dataclass(frozen=True, slots=True)
class Priced:
    """The product a payment question is about: its name to say, its price, and the name
    it is looked up by (kept as the product in play)."""

    title: str
    price: float
    query: str


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
    # A company paying from its account ("can we settle it by bank transfer", "公对公打款行不行"):
    # a way like any other, taken only if the payment-methods answer names it.
    "bank transfer": ("Bank transfer", "bank transfer", "银行转账"),
    "wire transfer": ("Bank transfer", "bank transfer", "银行转账"),
    "bank wire": ("Bank transfer", "bank transfer", "银行转账"),
    "对公转账": ("Bank transfer", "bank transfer", "对公转账"),
    "公对公": ("Bank transfer", "bank transfer", "对公转账"),
    "对公打款": ("Bank transfer", "bank transfer", "对公转账"),
    "银行转账": ("Bank transfer", "bank transfer", "银行转账"),
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
    r"分期|分几(?:期|个月|次)|分\s*[\d一二两三四六十]+\s*(?:期|个月|次付)|分月付|按月付",
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
# The way the instalments go through, said not to be had ("I don't have PayPal, then what?",
# "no paypal account", "我没有paypal咋办", "没paypal怎么办"): the other ways, not the same answer.
_NOT_HAD = re.compile(
    r"\b(?:don'?t|dont|do not|doesn'?t|haven'?t|havent|have not|never|can'?t|cant|cannot)\s+"
    r"(?:even\s+)?(?:have|got|use|own|open|make)\b|\bno\s+(?:\w+\s+)?account\b|\bwithout\b|"
    r"没有|没(?=\s*[A-Za-z]|开通|注册|账号|账户)|不用|用不了|开不了|注册不了",
    re.IGNORECASE,
)
_INSTALMENT_SENTENCE = re.compile(r"instal|分\s*\d+\s*期", re.IGNORECASE)
# The terms of paying in parts asked: whether it costs more ("do the payments carry
# interest", "收不收利息", "手续费多少") or how it is spread ("how many payments is that",
# "分几次付", "每月付多少").
_INTEREST = re.compile(
    r"\binterest\b|\bapr\b|\b(?:extra |any |a )?fees?\b|\bextra (?:charge|cost)s?\b|"
    r"\bcost (?:more|extra)\b|"
    r"利息|手续费|免息|额外(?:的)?(?:费|钱)|多收|加钱",
    re.IGNORECASE,
)
_SPREAD = re.compile(
    r"\bhow many (?:months|payments|instal\w*|parts|times|goes)\b|\bover how (?:long|many)\b|"
    r"\bhow long (?:do i|can i|to) (?:pay|spread|split)|\b(?:each|every|per|a) month\b|\bmonthly\b|"
    r"几个月|几期|多少期|分几次|每(?:个)?月|每期",
    re.IGNORECASE,
)
# The rule's own word that paying in parts costs nothing more.
_NO_INTEREST = re.compile(r"interest-free|no interest|免息|无息|不收利息", re.IGNORECASE)
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


def taken(name: str, methods: str) -> bool:
    """True when the payment-methods answer (English) names ``name`` in a sentence that
    does not say it is not taken ("Cash on delivery isn't available")."""
    return any(name.lower() in s.lower() and not _NOT.search(s) for s in answer_sentences(methods))


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
    if _WHOLE_LIST.search(text) or _PAID.search(text) or _GIFT_CARD.search(text):
        return False  # ("half with a gift card and half with paypal": the gift card's answer)
    return bool(named(text)) or _INSTALMENTS.search(text) is not None


# A gift card, voucher or credit paying part of an order (the knowledge base's codes entry).
_GIFT_CARD = re.compile(
    r"\bgift ?cards?\b|\bvouchers?\b|\bstore credit\b|礼品卡|购物卡|代金券", re.IGNORECASE
)


def asks_if_taken(turn: Turn) -> bool:
    """True when a question asks whether a way to pay is taken or paying in parts works
    ("公对公打款行不行", "bank transfer ok?", "could the robovac be bought on instalments")
    however the engine read it (a nod, a remark, a product question)."""
    text = turn.message.text
    if turn.parse.intent not in _NODS or turn.parse.orders or not is_question(text):
        return False
    return asks_about_one(text)


# What the engine makes of "…可以吗", "… ok?", "could the X be bought on instalments" when it
# misses the way to pay named in it: a nod, a remark, the product's own question.
_NODS = frozenset(
    {
        "affirm",
        "deny",
        FALLBACK,
        "feedback_positive",
        "feedback_negative",
        "ask_product_availability",
        "ask_product_info",
    }
)


def asks_terms(text: str) -> bool:
    """True when the text asks what paying in parts costs or how it is spread ("is there
    interest", "how many payments is that", "分几次付", "收不收利息")."""
    return _INTEREST.search(text) is not None or _SPREAD.search(text) is not None


async def priced_product(turn: Turn) -> Priced | None:
    """The product a payment question is about, with its price: the one it names ("can i
    pay for the robovac in parts"), else the one just talked about ("can i pay
    for it in instalments" after the air fryer); None when there is none, or several."""
    catalogue = turn.deps.catalogue
    if catalogue is None or turn.parse.orders:
        return None
    text = turn.message.text
    try:
        found = await catalogue.search(_NAMED.sub(" ", text))
        if not found:
            slot = turn.dialogue.slot("product")
            if slot is None or turn.dialogue.turn - slot.turn > PRODUCT_TURNS:
                return None
            found = (await catalogue.search(slot.value))[:1]
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return None
    return priced(found[0], turn.language) if len(found) == 1 else None


def priced(product: Product, language: str) -> Priced | None:
    """The product as a payment question is about it; None when it has no price."""
    if product.price is None:
        return None
    return Priced(product.title(language), product.price, product.name)


# Asked how to pay that way, not whether: "how do i pay with paypal", "how does apple pay
# work on your site", "怎么用微信支付", "支付宝怎么付款".
_HOW = re.compile(r"\bhow (?:do|can|would|does|to)\b|怎么|如何|咋", re.IGNORECASE)


def answer(
    turn: Turn,
    methods_en: str,
    methods: str,
    *,
    parts: bool = False,
    product: Priced | None = None,
) -> str | None:
    """Yes or no to the way(s) asked about, with the condition that applies, from the
    payment-methods answer (``methods_en`` in English to read, ``methods`` in the customer's
    language to quote); None when the question is not about one way. ``parts``: the message
    follows the instalments answer, so the way or amount it names is about paying in parts.
    ``product``: the product the question is about, whose price paying in parts is
    measured against when no amount is said."""
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
        if product is not None:
            turn.outcome.slots["product"] = product.query  # "how many payments" next: still it
    yes: list[str] = []
    no: list[str] = []
    for key in ways:
        known, en_name, zh_name = NAMES[key]
        (yes if taken(known, methods_en) else no).append(zh_name if zh else en_name)
    joiner = "和" if zh else " and "
    rule_en = next((s for s in answer_sentences(methods_en) if _INSTALMENT_SENTENCE.search(s)), "")
    rule = next((s for s in answer_sentences(methods) if _INSTALMENT_SENTENCE.search(s)), None)
    if in_parts and rule is not None and rule_en and not ways and asks_terms(text):
        # "any interest on that", "分几次付": the terms asked, yes or no first, then for the
        # amount or the product in play whether it qualifies.
        free = _INTEREST.search(text) is not None and _NO_INTEREST.search(rule_en) is not None
        key = "pay_instalments_no_interest" if free else "pay_instalments_terms"
        terms = turn.say(key, rule=_lead_in(rule))
        verdict = _amount_verdict(turn, text, rule_en) or _product_verdict(turn, product, rule_en)
        return f"{terms}{'' if zh else ' '}{verdict}".strip() if verdict else terms
    if in_parts and rule is not None and rule_en and ways and not no:
        in_rule = [k for k in ways if NAMES[k][0].lower() in rule_en.lower()]
        if len(in_rule) == len(ways):
            # "can i split it with paypal", "换paypal可以分期吗": the rule's own way, for
            # the amount when one is said.
            return _instalments_for(turn, text, rule_en, rule, product)
        # "花呗分期可以吗", "can i pay with klarna in instalments": paying in parts is the
        # rule's way, not the one named; the shop's rule, said plainly (no "yes, Huabei").
        other = turn.say("pay_instalments_other_way", method=joiner.join(yes), rule=_lead_in(rule))
        verdict = _amount_verdict(turn, text, rule_en)
        return f"{other}{'' if zh else ' '}{verdict}".strip() if verdict else other
    said: list[str] = []
    if yes:
        # "how do i pay with paypal", "支付宝怎么付款": how, not a bare yes.
        key = "pay_way_how" if _HOW.search(text) and not no else "pay_way_yes"
        said.append(turn.say(key, method=joiner.join(yes)))
    if no:
        listed = answer_sentences(methods)[0]
        said.append(turn.say("pay_way_no", method=joiner.join(no), methods=listed))
    if in_parts:
        if rule is None:
            said.append(
                turn.say(
                    "pay_way_no",
                    method="分期" if zh else "instalments",
                    methods=answer_sentences(methods)[0],
                )
            )
        elif said:
            said.append(rule)
        else:
            said.append(_instalments_for(turn, text, rule_en, rule, product))
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
    if _NOT_HAD.search(text) and amount_said(text) is None:
        return False  # (the other ways to pay: handlers/readings.py ``tells_what_done``)
    if len(re.findall(r"[A-Za-z0-9']+", text)) + ideographs(text) // 2 > _FOLLOW_UP_WORDS:
        return False
    return amount_said(text) is not None or bool(named(text)) or asks_terms(text)


async def follow_up(turn: Turn, *, product: Priced | None = None) -> list[Reply]:
    """Paying in parts for the amount or the way said right after the instalments answer,
    or its terms asked ("any interest on that", "几个月"); ``product``: the one the customer
    says they meant (else the one named or in play)."""
    entry = turn.deps.knowledge.entry(METHODS_ENTRY)
    if entry is None:
        return [turn.reply("help")]
    product = product or await priced_product(turn)
    methods = entry.answer(turn.language)
    said = answer(turn, entry.answer("en"), methods, parts=True, product=product)
    turn.answered_from(entry.id)
    return [Reply(said or entry.answer(turn.language))]


# The Reading detail of the instalments' way said not to be had ("I don't have PayPal").
LACKS_WAY = "pay_lacks_way"
# A sentence of the methods answer about paying in parts (left out of the other ways).
_PARTS_SENTENCE = re.compile(r"instal|分\s*\d+\s*期", re.IGNORECASE)


def lacks_instalments_way(turn: Turn) -> bool:
    """True right after paying in parts was answered, for the way it goes through said not
    to be had ("I don't have PayPal, then what?", "no paypal account here tho", "我没有paypal
    咋办"): the other ways to pay, not the same answer again."""
    slot = turn.dialogue.slot(INSTALMENTS_SLOT)
    if slot is None or slot.turn < turn.dialogue.turn - IN_PLAY_TURNS:
        return False
    text = turn.message.text
    return _NOT_HAD.search(text) is not None and "paypal" in named(text)


async def other_ways(turn: Turn) -> list[Reply]:
    """Paying in parts goes through PayPal only; the ways the methods answer gives for the
    whole amount (its instalments sentence left out)."""
    entry = turn.deps.knowledge.entry(METHODS_ENTRY)
    if entry is None:
        return [turn.reply("help")]
    text = entry.answer(turn.language)
    sentences = re.findall(r"[^.。!！?？]+[.。!！?？]?", text)
    kept = [s.strip() for s in sentences if s.strip() and not _PARTS_SENTENCE.search(s)]
    turn.answered_from(entry.id)
    joiner = "" if turn.language == "zh" else " "
    return [Reply(joiner.join([turn.say("instalments_way_not_had"), *kept]))]


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


def _product_verdict(turn: Turn, product: Priced | None, rule_en: str) -> str:
    """Whether the product's price alone qualifies for paying in parts, or "" for none."""
    line = _OVER.search(rule_en)
    if product is None or line is None:
        return ""
    price = _money(product.price, turn.language)
    if product.price >= float(line.group(1)):
        each = _money(product.price / 3, turn.language)
        key = "pay_instalments_product_amount_over"
        return turn.say(key, product=product.title, price=price, each=each)
    return turn.say("pay_instalments_product_amount_under", product=product.title, price=price)


def _instalments_for(
    turn: Turn, text: str, rule_en: str, rule: str, product: Priced | None = None
) -> str:
    """Paying in parts, for the amount the customer names when the rule depends on one ("can
    i pay the $229 one in instalments": $229 is over the line, yes, in three payments of
    about $76; "150块的能分期吗": not yet, and the ways to pay it at once); else for the
    product asked about (its price); the rule itself when they name neither."""
    said = amount_said(text)
    line = _OVER.search(rule_en)
    if said is None and product is not None and line is not None:
        # "can the robovac be paid in parts": its price against the line.
        price = _money(product.price, turn.language)
        if product.price < float(line.group(1)):
            key = "pay_instalments_product_under"
            return turn.say(key, product=product.title, price=price, rule=_lead_in(rule))
        each = _money(product.price / 3, turn.language)
        key = "pay_instalments_product_over"
        return turn.say(key, product=product.title, price=price, each=each, rule=_lead_in(rule))
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
    sentences = answer_sentences(methods)
    return sentences[0] if sentences else ""


def _lead_in(sentence: str) -> str:
    """A sentence to follow "Yes:": its first word in lower case unless it is a name
    ("Orders over $200..." -> "orders over $200...", "PayPal ..." stays)."""
    first = sentence.split(" ", 1)[0]
    return sentence[:1].lower() + sentence[1:] if first[1:].islower() else sentence
