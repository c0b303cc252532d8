"""What the courier does after a delivery answer: the days it delivers, and its own page."""

from __future__ import annotations

import re

from handlers import context, followups, hurry, next_step, too_slow
from handlers.complaint import deadline_said
from handlers.dialogue import Told
from handlers.hours import asks_team_hours, days_named, holiday_named
from handlers.inquiry import find_order
from handlers.questions import is_question
from handlers.regions import region_named
from handlers.turn import Turn
from handlers.types import Reply

# The knowledge-base entry on whom the courier calls or texts, and when.
CALL_ENTRY = "courier-call"
# Reading details (handlers/dispatcher.py routes them here).
DAY = "courier_day"  # "sunday?", "周末呢" after an order's date: does the courier come then
PAGE = "courier_page"  # "how do i change it on dpd then" after "redirect it on their page"

# The answers after which a day is the delivery's: an order's status or date, a delivery
# answer, an address that only the courier can change now.
_DELIVERY_TOPICS = ("ask_order_status", "ask_delivery", context.NEW_ADDRESS, context.OFFER_AGAIN)
# The longest message (words, two ideographs each) read as a bare day.
_DAY_WORDS = 6
# Words that make a day about people, not the parcel: "sunday, anyone there?", "周六有人吗",
# "saturday can i call", "周末客服在吗".
_PEOPLE = re.compile(
    r"\b(?:open|opening|closed?|team|staff|agents?|someone|somebody|anyone|anybody|people|"
    r"person|human|support|call|phone|chat|online|reply|answer|back)\b|"
    r"客服|人工|有人|上班|营业|开门|在线|回复|电话",
    re.IGNORECASE,
)
# Someone coming that day, told as the reason it is needed: "周三爸妈过来", "my parents
# arrive wednesday", "guests over on saturday".
_VISIT = re.compile(
    r"\b(?:parents?|guests?|family|friends?|visitors?|mum|mom|dad|in-?laws|relatives)\b"
    r"[^.?!]{0,20}\b(?:com(?:e|es|ing)|arriv\w*|visit\w*|over|staying)\b|"
    r"(?:爸妈|父母|爸爸|妈妈|家人|朋友|客人|亲戚|公婆|岳父母|老人)[^。？！?!]{0,4}(?:过来|要来|来玩|来住|来家|到家)",
    re.IGNORECASE,
)
# Whether it comes in time for a day: "周三就要 来得及吗", "will it make it for friday".
_IN_TIME = re.compile(
    r"来得及|来不来得及|赶得上|赶不赶得上|赶得及|\bin time\b|\bmake it (?:by|for|before)\b", re.I
)
# Sending something back: a return's collection day is its own answer.
_SENDS_BACK = re.compile(
    r"\breturn|\bcollect|\bpick ?up\b|\bsend (?:it |them |this )?back|退|寄回|取件|上门", re.I
)


def asks_delivery_day(turn: Turn) -> bool:
    """True for a bare day right after an order's date or a delivery answer ("sunday?",
    "and saturday", "weekends too?", "周日送吗", "周末呢", "礼拜六呢"): whether the courier
    delivers then. After the team's hours the same words are about the team (context)."""
    text = turn.message.text
    # An order number's words are not a day ("五五一二零" has the May Day holiday's 五一).
    for order in turn.parse.orders:
        text = text.replace(order.text, " ")
    text = text.strip()
    if context.length(text) > _DAY_WORDS or not (days_named(text) or holiday_named(text)):
        return False
    if turn.dialogue.topic == "ask_opening_hours" or turn.dialogue.topic is None:
        return False
    if _PEOPLE.search(text) or asks_team_hours(text) or _SENDS_BACK.search(text):
        return False
    if context.DEFECT.search(text) or too_slow.NOT_YET.search(text) or hurry.hastens(text):
        return False  # a fault, a parcel still not come, or haste
    if deadline_said(text) is not None or _IN_TIME.search(text) or _VISIT.search(text):
        # "周四前必须到 家里办酒", "周三爸妈过来": the day it is needed by
        return False
    subject = turn.dialogue.subject_in_play()
    entry = (
        turn.deps.knowledge.entry(subject.entry)
        if subject is not None and subject.entry is not None
        else None
    )
    if entry is not None and followups.WEEKEND_TAG in entry.tags and subject is not None:
        # Right after the delivery days themselves: that answer again for the day
        # (handlers/followups.py), not twice the same days.
        return not subject.shown
    return turn.dialogue.topic in _DELIVERY_TOPICS or (
        entry is not None and entry.intent == "ask_delivery"
    )


async def delivery_day(turn: Turn) -> list[Reply]:
    """Whether couriers deliver on the day named, then the order in play's own date."""
    text = turn.message.text
    days = set(days_named(text))
    if holiday_named(text) or days == {6}:
        key = "courier_day_no"
    elif 6 in days:
        key = "courier_day_weekend"
    else:
        key = "courier_day_yes"
    replies = [turn.reply(key)]
    if turn.order_in_play is not None and await find_order(turn, turn.order_in_play):
        replies += await followups.exact_day(turn)
    return replies


# How or where it is done with the courier: "how do i change it on dpd then", "where on the
# courier site", "which page", "在顺丰上咋改", "在哪改啊", "快递官网怎么弄".
_HOW_WHERE = re.compile(
    r"\b(?:how|where|which|wher|hw|wat|what)\b|咋|怎么|怎样|如何|哪|啥地方",
    re.IGNORECASE,
)
_THERE = re.compile(
    r"\b(?:dhl|ups|dpd|fedex|evri|hermes|royal mail|sf(?: express)?|courier|carrier|their|"
    r"tracking|site|website|web|app|page|link|redirect\w*|myself|my ?self|online)\b|"
    r"顺丰|快递|物流|官网|网站|页面|网页|app|小程序|跟踪|改派|自己|那边|上面|里|"
    # The change itself, asked how or where: "where do i change it", "在哪改啊".
    r"\b(?:change|chang|redirect|do (?:it|that|this))\b|改|弄|操作",
    re.IGNORECASE,
)


def asks_on_courier_page(turn: Turn) -> bool:
    """True for "how do i change it on dpd then", "where on the courier site", "那在顺丰上咋改"
    right after the bot said a shipped parcel is redirected on the courier's tracking page."""
    text = turn.message.text.strip()
    if not turn.dialogue.told_just_now(Told.SHIPPED_REFUSAL) or turn.order_in_play is None:
        return False
    if context.length(text) > 12 or context.DEFECT.search(text):
        return False
    if next_step.asks(text):
        return True  # "and what now", "那然后呢": the step left is on the courier's page
    return _HOW_WHERE.search(text) is not None and _THERE.search(text) is not None


async def on_courier_page(turn: Turn) -> list[Reply]:
    """Where on the courier's own page it is done, with the order's tracking number."""
    number = turn.order_in_play
    order = await find_order(turn, number) if number is not None else None
    if order is None or order.status != "shipped":
        return await followups.exact_day(turn)
    turn.outcome.statused.add(order.number)
    turn.explained(Told.SHIPPED_REFUSAL)
    return [
        turn.reply(
            "courier_page_how",
            order=order.number,
            carrier=order.carrier or "-",
            tracking=order.tracking or "-",
        )
    ]


# Choosing or changing the courier ("can i choose the carrier", "能换个快递吗"): how carriers
# are picked, not which one has the order.
_CHOOSES = re.compile(
    r"\b(?:choose|choosing|chose|pick|change|switch|select|prefer|options?|instead)\b|选|换|指定|改",
    re.IGNORECASE,
)
# The longest message read as the carrier of the order in play.
_CARRIER_WORDS = 12
# Which courier, in so many words: "who's delivering it", "which courier is bringin it",
# "哪家快递送", "用的什么快递" (not "where on the courier site": how it is done there).
_WHICH_CARRIER = re.compile(
    r"\b(?:which|what|who)\b.{0,25}\b(?:courier|carrier|delivery company|shipping company)\b|"
    r"\bwho(?:'?s| is| will be| will)?\s+(?:deliver\w*|bring\w*|ship\w*|carry\w*)\b|"
    r"\b(?:courier|carrier)\s*[?？]|哪家快递|什么快递|啥快递|哪个快递|快递是哪|用的哪家|"
    r"哪家(?:送|发|配送)",
    re.IGNORECASE,
)
_HOW_THERE = re.compile(r"\b(?:how|where)\b|怎么|咋|在哪|如何", re.IGNORECASE)


def asks_carrier_of_order(turn: Turn) -> bool:
    """True for "who's delivering it", "and who's the courier for it", "哪家快递送" with an
    order in play, whatever was just said of it (its invoice, its return, a product on it):
    that order's carrier and tracking, not how carriers are picked by destination nor the
    topic's FAQ answer; "which courier do you use for Canada", "能换个快递吗" ask no order's."""
    text = turn.message.text
    if turn.order_in_play is None or context.length(text) > _CARRIER_WORDS:
        return False
    if context.DEFECT.search(text) or _CHOOSES.search(text) or region_named(text) is not None:
        return False
    return _WHICH_CARRIER.search(text) is not None and _HOW_THERE.search(text) is None


# What was wrong or late: a driver who did not call, a parcel not come, a fault, a lateness
# ("the driver never called and took it back", "快递没打电话就走了"): a complaint, not the
# question of who is called.
_WENT_WRONG = re.compile(
    r"\b(?:didn'?t|didnt|did not|never|hasn'?t|hasnt|wouldn'?t|won'?t answer|refused|rude|"
    r"late|lost|yet|again|still)\b|没(?:有)?(?:打|联系|通知|来|到|送)|不接|态度|乱|又|还没|丢",
    re.IGNORECASE,
)


def asks_who_is_called(turn: Turn) -> bool:
    """True for "could the courier ring my housemate rather than me", "can the driver text my
    sister", "快递员能打给我邻居吗", "送货师傅能联系我同事吗": a question about whom the courier
    contacts (the number on the order, how to add a note or another number), however sure
    the engine is of a complaint; not a courier said to have failed to call."""
    text = turn.message.text
    if not is_question(text) or context.DEFECT.search(text) or _WENT_WRONG.search(text):
        return False
    entry = turn.deps.knowledge.entry(CALL_ENTRY)
    return entry is not None and entry.named_in(text) and entry.fits(text)
