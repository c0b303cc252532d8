"""Where a refund goes, by how the customer paid ("钱退到哪 我是花呗付的"): the FAQ's answer."""

from __future__ import annotations

import re

from handlers.dialogue import Matter, Question
from handlers.knowledge import FaqEntry
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import ASKS_WHEN

# The Reading detail for these questions (handlers/dispatcher.py routes it here).
DETAIL = "refund_route"
# The FAQ entry for refunds in general (the way you paid, and when).
GENERAL = "refund-timing"

# Asking where the money goes, not saying it has not come: "will the refund go back to my
# paypal", "where does that money end up", "钱退到哪", "是退到零钱还是银行卡".
_WHERE = re.compile(
    r"\bwhere (?:does|will|do|did|would|is|'s)\b.{0,30}\b(?:refund|money|it)\b.{0,20}"
    r"\b(?:go|goes|going|end up|land|get sent|be sent|come back)\b|"
    r"\bwhere(?:'s| is| will)? (?:the |my |that )?(?:refund|money) (?:go|going|end up|be sent)\b|"
    r"\b(?:refund|money|it)\b.{0,25}\b(?:go|goes|going|come|comes|be sent|be paid|be returned|"
    r"be credited|end up|land)\s+(?:back\s+)?(?:to|on|onto|into|in)\s+(?:my|the|your|that)\s+"
    r"(?:\w+\s+)?(?:card|paypal|account|wallet|bank|alipay|wechat|amex|visa|mastercard|"
    r"apple pay|original|same)\b|"
    r"\bback (?:to|on|onto|into) (?:my|the) (?:card|paypal|account|wallet|alipay|wechat|credit|"
    r"debit|bank|amex|visa|mastercard|apple pay)|"
    r"\brefund(?:ed)? (?:to|on|onto|into) (?:my|the) (?:card|paypal|account|wallet|alipay|wechat|"
    r"credit|debit|bank|amex|visa|mastercard|apple pay)|"
    r"退(?:到|回|去)(?:了)?(?:哪|什么地方)|(?:钱|款|退款)(?:会)?(?:退)?(?:到|回)哪|"
    r"退(?:到|回)(?:我的?)?(?:零钱|余额|银行卡|信用卡|储蓄卡|花呗|微信|支付宝|原|卡)|"
    r"原路(?:退|返)|退(?:款)?.{0,6}还是.{0,6}(?:零钱|余额|卡|花呗)",
    re.IGNORECASE,
)
# Saying the money has not come ("退到哪了 怎么还没到", "where is my refund, it's late"):
# a late refund, answered as one.
_LATE = re.compile(
    r"还没|没到|没收到|没有收到|不见|怎么还|到现在|\bstill\b|\bnot (?:yet|received|arrived)|"
    r"\bhaven'?t|\bhasn'?t|\bnever\b|\blate\b|\byet\b|\bwhere(?:'s| is) my refund\b",
    re.IGNORECASE,
)
# Each payment method's FAQ entry, and the words that name it. First match wins: "零钱还是
# 银行卡" is about WeChat's change, which only WeChat has.
_METHODS = (
    ("refund-huabei", re.compile(r"花呗|huabei|ant credit pay", re.I)),
    ("refund-wechat", re.compile(r"微信|wechat|weixin|零钱", re.I)),
    ("refund-alipay", re.compile(r"支付宝|alipay|余额宝", re.I)),
    ("refund-paypal", re.compile(r"pay ?pal|贝宝", re.I)),
    (
        "refund-card",
        re.compile(
            r"\b(?:credit|debit|bank)\s*card\b|\bcard\b|\bamex\b|american express|\bvisa\b|"
            r"master ?card|apple pay|google pay|信用卡|银行卡|储蓄卡|借记卡|卡付|刷卡|"
            r"刷的|运通|万事达|维萨|苹果支付",
            re.I,
        ),
    ),
)
# Right after a refund answer: "那信用卡付的呢", "what about apple pay?" (the same question
# about another method), or "i paid with paypal", "我是花呗付的" (the condition the answer
# depends on, said as a statement).
_FOLLOW_UP = re.compile(
    r"^(?:(?:and|so|ok|what about|how about|and if|if|what if)\b|那|如果|要是)|呢[?？\s]*$|"
    r"[?？]\s*$|\b(?:paid|pay|payed|used|bought|via|thru|through|with|by|on)\b|"
    # "it was paypal btw", "twas apple pay": the way paid, told.
    r"\b(?:it was|it's|its|twas|was)\b|"
    r"付的|付款的|支付的|买的|付的款|用的|刷的|用了",
    re.IGNORECASE,
)
# A payment gone wrong, not a refund's route: "i paid with paypal and got charged twice".
_TROUBLE = re.compile(r"twice|double|declin|fail|charged|扣|失败|不了|不上", re.IGNORECASE)
# Whether a way to pay is taken at all ("do u take apple pay", "花呗能用吗"): the ways we
# take (payment-methods), not where a refund goes, whatever the answer before was about.
_TAKEN = re.compile(
    r"\b(?:do|does|can|could|will)\s+(?:you|u|ya|i|we)(?:\s+guys)?\s+(?:take|accept|use|pay|"
    r"support|do)\b|\b(?:accepted|supported)\?|能用吗|能用不|可以用吗|可以用不|支持.{0,8}吗|"
    r"能不能用|能用.{0,6}(?:付|支付)|可以用.{0,6}(?:付|支付)",
    re.IGNORECASE,
)
# A refund asked about in the same message that names the way the customer paid ("退款多久
# 到账 我用的支付宝", "how long does the refund take, i paid with paypal"): one question,
# answered for that way.
_REFUND = re.compile(r"\brefund|\bmoney back\b|退款|退钱|钱.{0,4}退", re.IGNORECASE)
_PAID_WITH = re.compile(
    r"\b(?:paid|payed|pay|used|bought it)\b.{0,12}\b(?:with|by|via|through|on|using)\b|"
    r"\bwas (?:on|with|by)\b|用的|用了|是用|付的|付款的|支付的|买的",
    re.IGNORECASE,
)
# The entries about refunds (their tag in the knowledge base): what such a follow-up leans on.
_REFUNDS = "refund"
# The intent of returns and refunds: while it is the conversation's topic, the way the
# customer paid is said for the refund.
RETURNS_TOPIC = "ask_returns_refunds"


def _method(text: str) -> str | None:
    return next((entry for entry, words in _METHODS if words.search(text)), None)


def asks_where(text: str) -> bool:
    """True when the text asks where refunded money goes ("will it go back on my card", "退到
    哪 原路吗"), not that a refund has not come."""
    return _WHERE.search(text) is not None and _LATE.search(text) is None


def asks(turn: Turn) -> bool:
    """True when the customer asks where a refund goes: in so many words, or naming another
    payment method right after such an answer ("那信用卡付的呢")."""
    text = turn.message.text.strip()
    if _LATE.search(text) or _TAKEN.search(text):
        return False
    asked = turn.dialogue.asked
    if (
        turn.parse.orders
        and asked is not None
        and asked.question is Question.ORDER_NUMBER
        and asked.turn >= turn.dialogue.turn - 2
    ):
        # "its 77812 paid with visa", "订单 556677 微信付的" to the bot's "which order?": the
        # number it asked for (for the charge's case), the way paid said with it.
        return False
    if (
        _REFUND.search(text)
        and _method(text) is not None
        and _PAID_WITH.search(text)
        and not _TROUBLE.search(text)
    ):
        return True
    subject = turn.dialogue.subject_in_play()
    about = _about_refunds(turn)
    if (
        ASKS_WHEN.search(text)
        and subject is not None
        and (about is None or about.id != subject.entry)
    ):
        # "when do i see it back on my card" after a double charge: that charge's time (the
        # subject's own, handlers/followups.py), not where refunds go.
        return False
    if _WHERE.search(text):
        return True
    return (
        # After a refund answer, or a refund the customer was talking about (a late one:
        # "i paid with amex", "用的花呗", "刷的银行卡" say where it goes), or while a return
        # or a refund is the conversation's topic, whatever answer it got ("alipay", "it was
        # paypal" after "can i send the mixer back"): how they paid matters for the refund.
        (
            about is not None
            or turn.dialogue.recent_matter() is Matter.REFUND
            or turn.dialogue.topic == RETURNS_TOPIC
        )
        and _method(text) is not None
        and (_FOLLOW_UP.search(text) is not None or _only_method(text))
        and _TROUBLE.search(text) is None
        and len(text) <= 60
    )


# Words that say nothing beside a payment method named alone ("alipay lol", "支付宝哈").
_FILLER = re.compile(
    r"\b(?:pay|btw|lol|ok|okay|oh|um+|hm+|just|only|the|my)\b|[哦哈啊呀吧的嘛呢噢喔]|[\W_]+",
    re.IGNORECASE,
)


def _only_method(text: str) -> bool:
    """True when the message is a way to pay and nothing more ("alipay", "花呗哈")."""
    rest = text
    for _, words in _METHODS:
        rest = words.sub(" ", rest)
    return not _FILLER.sub("", rest).strip()


def _about_refunds(turn: Turn) -> FaqEntry | None:
    """The refund entry the last answer came from, or leads to (the returns policy: the
    refund), if there is one."""
    subject = turn.dialogue.subject_in_play()
    if subject is None or subject.entry is None or subject.turn != turn.dialogue.turn - 1:
        return None
    knowledge = turn.deps.knowledge
    entry = knowledge.entry(subject.entry)
    if entry is None:
        return None
    about = [entry, *(knowledge.entry(i) for i in entry.follow_ups)]
    return next((e for e in about if e is not None and _REFUNDS in e.tags), None)


def entry_for(turn: Turn) -> FaqEntry | None:
    """The FAQ entry for the method named now, else the one of the refund answer just given
    ("是退到零钱还是银行卡" after the WeChat one), else the general refund entry."""
    knowledge = turn.deps.knowledge
    wanted = _method(turn.message.text)
    if wanted is not None:
        return knowledge.entry(wanted) or knowledge.entry(GENERAL)
    return _about_refunds(turn) or knowledge.entry(GENERAL)


async def answer(turn: Turn) -> list[Reply]:
    """Where the refund goes for the way the customer paid, from the knowledge base."""
    # What the customer is talking about is a refund, for the next turns too ("why so long?").
    turn.outcome.matter = Matter.REFUND
    entry = entry_for(turn)
    if entry is None:
        return [turn.reply("refund_route_general")]
    turn.answered_from(entry.id)
    return [Reply(entry.answer(turn.language))]
