"""How to reach the shop: its phone line, e-mail and this chat, not the account's own details."""

from __future__ import annotations

import re

from handlers import context, hours
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply

# The knowledge-base entries about reaching the shop (handlers/data/faq.yml).
CONTACT = "contact"
PHONE = "contact-phone"
EMAIL = "contact-email"
ENTRIES = (CONTACT, PHONE, EMAIL)
# The courier calling the customer ("will the driver ring me first", "快递员会打电话吗"): the
# delivery's matter, not the shop's phone line (its words, in the knowledge base's entry).
COURIER_CALL = "courier-call"

# The shop's phone: "whats the phone number", "can i call someone", "is there a number i can
# ring", "客服电话多少", "能打电话吗", "想打个电话问问".
_PHONE = re.compile(
    r"\bphone ?(?:number|no\b|line|support|service)|\btelephone\b|\bhotline\b|"
    r"\b(?:by|on|over) the phone\b|\bphone (?:you|u|someone|somebody|a person|the shop)\b|"
    r"\b(?:call|ring|rign|cal)(?:ing)? (?:you|u|ya|someone|somebody|some1|a person|a human|"
    r"customer (?:service|support)|support|the shop|your team|anyone)\b|"
    r"\bnumber (?:do |should |can |could )?(?:i|we|u|you) (?:can |could )?"
    r"(?:call|ring|phone|dial)\b|\b(?:a|any|your|ur) number to "
    r"(?:call|ring)\b|\bcan (?:i|we) (?:call|ring|phone)\b|"
    r"客服电话|客服(?:的)?(?:号码|热线)|打过去|"
    r"电话(?:号码|号)?(?:是)?(?:多少|几号|是啥|是什么)|(?:打|拨)(?:个|一下|一个)?电话|"
    r"电话客服|人工电话|热线|致电|(?:有|有没有|有无)(?:客服)?电话|电话(?:能|可以)?打(?:通|吗)|400电话",
    re.IGNORECASE,
)
# The shop's e-mail: "do you have an email address", "whats ur email", "can i email you",
# "有没有邮箱", "客服邮箱是多少", "可以发邮件吗".
_EMAIL = re.compile(
    r"\b(?:your|ur|yr|the shop'?s|support|customer (?:service|support)|contact|an?|any)\s+"
    r"e-?mail(?: ?ad+res+)?\b|\be-?mail (?:you|u|ya|support|customer service|the team|your team)\b|"
    r"\b(?:you|u) (?:have|got) (?:an? )?e-?mail\b|\bwhat(?:'?s| is) (?:the |your |ur )?e-?mail\b|"
    r"客服邮箱|(?:你们|贵店|店铺|商家)的?邮箱|(?:有|有没有|有无)(?:个)?(?:客服)?邮箱|邮箱(?:地址)?(?:是)?(?:多少|是啥|是什么)|"
    r"(?:发|写)(?:个)?邮件(?:给你们|联系|行|可以)|可以发邮件|能发邮件",
    re.IGNORECASE,
)
# Reaching the shop at all: "how do i contact you", "get in touch", "联系方式", "怎么联系你们".
_REACH = re.compile(
    r"\bcontact (?:you|u|ya|the shop|your team|customer (?:service|support)|support|details|"
    r"info|information|number)\b|\bget in touch\b|"
    r"\bhow (?:do|can|could) (?:i|we) (?:reach|contact)\b|"
    r"联系方式|(?:怎么|如何|咋|怎样)联系|联系(?:你们|客服|商家|店家)",
    re.IGNORECASE,
)
# Their own phone or e-mail, or mail that did not come: the account's matter, not ours.
_THEIR_OWN = re.compile(
    r"\bmy (?:phone|mobile|e-?mail|number|cell)\b|"
    r"\b(?:change|update|edit|wrong|new|old|different)\b|"
    # "i lost that phone number", "the number is disconnected": their own number gone.
    r"\b(?:lost|changed|switched|disconnected|cancell?ed|stolen|no longer|any ?more)\b|"
    r"(?:停用|不用了|注销|停机|丢了|换了|原来的|以前的|之前的)|"
    r"\b(?:didn'?t|did not|haven'?t|have not|never|not) "
    r"(?:get|got|gotten|receive|received|come|came|arrive)|"
    r"\bno e-?mail\b|\bconfirmation\b|\bverif|\bpassword\b|"
    r"(?:改|修改|换|更换|更新|绑定|验证)(?:个|一下)?(?:手机|电话|邮箱)|(?:手机|电话|邮箱)(?:号)?(?:改|换|错)|"
    r"我的(?:手机|电话|邮箱)|收不到|没收到|验证码|密码|\d{7,}",
    re.IGNORECASE,
)
# What a follow-up to a contact answer names: "ok what about email then", "phone?", "邮箱呢".
# The courier as the one who did or didn't call: "the driver never rang", "快递员也没打电话" told
# as what happened is no question about our phone line.
_COURIER = re.compile(
    r"\b(?:driver|courier|delivery (?:guy|man|person|driver)|postman|postie)\b|"
    r"快递员|快递小哥|送货员|配送员|司机|外卖员",
    re.IGNORECASE,
)
_EMAIL_WORD = re.compile(r"\be-?mail|\bmail\b|邮箱|邮件", re.IGNORECASE)
# "周日打能打通不", "周六能打吗", "is the line open on saturday", "can i dial in on sunday": the
# phone named by calling it, right after its number was given.
_PHONE_WORD = re.compile(
    r"\bphone|\bcall|\bring(?:ing)?\b|\bdial|\bline\b|\bnumber\b|电话|打(?:得|不)?通|打过去|"
    r"(?:能|可以|可|好)打|打(?:吗|么|嘛|不)|有人接|接(?:电话|听)",
    re.IGNORECASE,
)


# The phone line asked for a weekend day ("can i ring on sunday", "周六打过去行吗"): the Reading
# detail of a plain no, then the line's hours (handlers/dispatcher.py routes it here).
WEEKEND = "phone_weekend"
_WEEKEND_DAYS = frozenset({5, 6})


def phone_at_weekend(turn: Turn, entry: str) -> bool:
    """True when the phone line is asked for a weekend day: it is closed then."""
    return entry == PHONE and bool(_WEEKEND_DAYS.intersection(hours.days_named(turn.message.text)))


def weekend_answer(turn: Turn) -> list[Reply]:
    """A plain no for the weekend, then the phone line's hours and the other ways in."""
    entry = turn.deps.knowledge.entry(PHONE)
    said = entry.answer(turn.language) if entry is not None else ""
    turn.answered_from(PHONE)
    return [turn.reply("phone_weekend", answer=said)]


def entry_asked(turn: Turn) -> str | None:
    """The contact entry the message asks for: the phone line, the e-mail or every way to
    reach the shop; a short follow-up right after a contact answer ("ok what about email
    then", "邮箱呢") the channel it names. None when the message is about the customer's own
    phone or e-mail ("change my email", "didn't get the email") or not about contact."""
    text = turn.message.text
    if _THEIR_OWN.search(text):
        return None
    if hours.asks_for_anyone(text):
        # "is anybody going to get in touch with me tmrw": when someone answers (the team's
        # hours, the case's status), not the ways to reach us.
        return None
    courier = turn.deps.knowledge.entry(COURIER_CALL)
    if courier is not None and courier.named_in(text) and courier.fits(text):
        return None
    if _COURIER.search(text) and not is_question(text, auxiliaries=False):
        return None
    phone, email = _PHONE.search(text), _EMAIL.search(text)
    if not (phone or email):
        subject = turn.dialogue.subject_in_play()
        if subject is None or subject.entry not in ENTRIES or context.length(text) > 8:
            return CONTACT if _REACH.search(text) else None
        phone, email = _PHONE_WORD.search(text), _EMAIL_WORD.search(text)
    if phone and email:
        return CONTACT
    if phone:
        return PHONE
    if email:
        return EMAIL
    return CONTACT if _REACH.search(text) else None
