"""Inquiries: answers about delivery, returns, payment, account, hours, products, and orders."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace

from crm_memory import Direction
from handlers import declined, invoice, pay_ways
from handlers.arrival import ByDay, by_day, day_text
from handlers.catalogue import CatalogueError, product_names
from handlers.clauses import ideographs
from handlers.dialogue import CARRIER, Asked, Purpose, Question, Subject, Told
from handlers.hours import (
    DAY_NAMES,
    back_at,
    closed_days,
    day_ahead,
    day_times,
    days_named,
    describe,
    holiday_named,
    weekday_ahead,
    zone_label,
)
from handlers.knowledge import DELIVERY_TIMES, FaqEntry, asks_new_order_time
from handlers.orders import Order, OrderLookupError, names_order
from handlers.regions import REGIONS, Region, region_named
from handlers.turn import HUMAN, Turn
from handlers.types import Button, ContentKind, Reply
from handlers.wording import ANOTHER_ORDER, MONEY, RETURN, SENT_BACK, VENTING
from nlu import FALLBACK

logger = logging.getLogger(__name__)


ANSWERED = (
    "ask_delivery",
    "ask_returns_refunds",
    "ask_payment",
    "ask_account",
    "ask_opening_hours",
    "ask_product_info",
)
OPEN_CASE = "opencase"
ADDRESS = "delivery-address"
HOURS = "opening-hours"
COUNTRIES = "delivery-countries"
_HOW_LONG_OR_COST = re.compile(
    r"how long|how many days|how much|\bcost|\bfee|\bprice|\bwhen\b|\bdays?\b|多久|几天|"
    r"多少钱|运费|邮费|费用|什么时候|啥时候",
    re.IGNORECASE,
)
CANCEL = "order-cancel"
RETURNS_POLICY = "returns-policy"
REFUND_TIMING = "refund-timing"
# How a return is done, asked beside the refund ("how do i return it and get my money back").
_HOW_TO_RETURN = re.compile(
    r"\bhow (?:do|can|would|should) (?:i|we) (?:return|send (?:it |them |this )?back)\b|"
    r"怎么退货|如何退货|退货(?:怎么|如何)(?:弄|办|操作|退)",
    re.IGNORECASE,
)
# How long, not how much: "how many days to canada", "寄新加坡几天到".
_HOW_LONG = re.compile(
    r"how long|how many days|how soon|\bwhen\b|\bdays?\b|多久|几天|多长时间|什么时候|啥时候",
    re.IGNORECASE,
)
# Orders answered from one message that names several ("where are A-1001 and A-1002").
MAX_ORDERS = 3
# FAQ answers that end by asking for the order number, and what it is for: a payment the
# team must check, a refund that has not come after a return.
ASKS_FOR_ORDER = {"payment-problem": Purpose.PAYMENT, "refund-after-return": Purpose.REFUND}
# The entry on getting an order faster: with an order in play, answered for that order.
EXPRESS = "delivery-express"
# The Reading detail of express asked for free (handlers/dispatcher.py routes it here).
FREE_EXPRESS = "free_express"
# "i paid for express", "我付了加急的钱": express paid for, not asked about.
_PAID = re.compile(r"\b(?:paid|pay|payed|paying)\b|付了|花了|交了|给了|多付|出了", re.IGNORECASE)


# Express named for an order: "can my order 63410 go express? its slow", "send it express",
# "能改加急吗"; not the courier "SF Express".
_NAMES_EXPRESS = re.compile(r"(?<!sf )\bexpress\b|\bnext[- ]day\b|加急|次日达", re.IGNORECASE)


# A faster delivery asked for free, as a goodwill gesture: "can I get express shipping for
# free since it's late", "upgrade me to next day at no charge", "都晚了 能免费给我升级顺丰吗",
# "加急费能免了吗". Not "is delivery free" (the free-delivery threshold).
_FREE = re.compile(
    r"\bfor free\b|\bfree (?:of charge|upgrade)\b|\bat no (?:extra )?(?:charge|cost)\b|"
    r"\bno (?:extra )?charge\b|\bwithout (?:paying|charge|charging)\b|\bcomplimentary\b|"
    r"\bon the house\b|\bwaive\w*|\bfree(?=\s+(?:express|next[- ]day|upgrade))|"
    r"免费|不要钱|不收费|不加钱|不另收|白送|(?:加急|运)费(?:能|可以)?(?:免|减)",
    re.IGNORECASE,
)
# A faster delivery named: express, next day, an upgrade, faster, or the faster courier.
_UPGRADE = re.compile(
    r"(?<!sf )\bexpress\b|\bnext[- ]day\b|\bupgrad\w*|\bfaster\b|\bspeed (?:it )?up\b|"
    r"\bpriority (?:shipping|delivery)\b|加急|次日达|升级|(?:改|换)(?:成|到)?顺丰|快一点|快点",
    re.IGNORECASE,
)


# A faster delivery asked of an order: "can the first one come faster", "could the second
# one get here quicker", "第一个能快点吗", "第二个能早点到吗".
_FASTER = re.compile(
    r"\b(?:faster|quicker|sooner|earlier|speed (?:it |that )?up|hurry (?:it )?up|rush(?:ed)?|"
    r"express|next[- ]day)\b|快点|快一点|快些|加急|早点|早一点|提前",
    re.IGNORECASE,
)


def asks_faster(text: str) -> bool:
    """True when the message asks for an order to come faster (not where it is)."""
    return _FASTER.search(text) is not None


def asks_free_express(text: str) -> bool:
    """True when a faster delivery is asked for free ("can I get express shipping for free
    since it's late", "都晚了 能免费给我升级顺丰吗"): a goodwill upgrade, which only the team
    may give, never "delivery is free" nor the express price alone."""
    return _FREE.search(text) is not None and _UPGRADE.search(text) is not None


async def free_express(turn: Turn) -> list[Reply]:
    """What the shop's terms allow for a free upgrade: express costs extra as a rule; an order
    still with us can be switched, the charge waived only by the team (a person offered); one
    that has left can't go faster, free or paid (a person offered for the delay)."""
    turn.answered_from(EXPRESS)
    number = turn.order_in_play
    order = None if number is None else await find_order(turn, number)
    if order is not None and order.status == "processing":
        offer = turn.offer_human("express_free_unshipped", order=order.number)
        # A yes asks the team for the switch of this order (and whether the charge goes).
        turn.ask(Asked(Question.HUMAN, purpose=Purpose.EXPRESS, order=order.number))
        return [offer]
    if order is not None and order.status == "shipped":
        late = order.is_late(turn.deps.clock().date())
        key = "express_free_shipped_late" if late else "express_free_shipped"
        return [turn.offer_human(key, order=order.number, carrier=order.carrier or "-")]
    return [turn.reply("express_free")]


# The FAQ entry of a sign-in code that has not come, the way it is sent not said.
CODE_MISSING = "code-not-received"


def names_code_missing(turn: Turn) -> bool:
    """True when the message tells of a sign-in code that has not come, however long it was
    waited for ("等了好几分钟了 登录验证码还是没来", "been waiting ages and still no login
    code"): one request, the code's checks, not a complaint beside it."""
    entry = turn.deps.knowledge.named(turn.message.text, intent="ask_account")
    return entry is not None and entry.id == CODE_MISSING


def code_missing(turn: Turn) -> bool:
    """True for a sign-in code that has not come, said cold ("still no code on my phone, been
    waiting 10 min", "haven't got my login code yet") while the engine read a complaint, a
    refund or nothing: the code's checks (not a refund waited on, nor a case). Right after
    an answer it is a follow-up of that answer, read as such."""
    if turn.parse.intent not in ("complaint", "ask_returns_refunds", FALLBACK):
        return False
    if turn.context.open_cases or just_answered(turn):
        return False
    entry = turn.deps.knowledge.named(turn.message.text, intent="ask_account")
    return entry is not None and entry.id == CODE_MISSING


async def asks_express(turn: Turn) -> bool:
    """True when the customer asks for express for an order still with us (named or in
    play), with nothing pending: the switch offered, not only its status."""
    if turn.dialogue.asked is not None or turn.parse.intent == "ask_delivery":
        return False  # read as express anyway (the FAQ entry's way)
    return await express_for_order(turn)


async def express_for_order(turn: Turn) -> bool:
    """True when the message names express (not paid for already) and the order in play is
    still with us and on time: it can still be switched ("能改加急吗" with a case open about
    that order is the switch, not the case hurried)."""
    text = turn.message.text
    if _NAMES_EXPRESS.search(text) is None or _PAID.search(text):
        return False
    number = turn.order_in_play
    order = None if number is None else await find_order(turn, number)
    return (
        order is not None
        and order.status == "processing"
        and not order.is_late(turn.deps.clock().date())
    )


def order_number(turn: Turn) -> str | None:
    """The order number in this message or the conversation, else the one remembered (not
    for a message about another order than those, "where is my other order")."""
    in_play = turn.order_in_play
    if in_play is not None:
        return in_play
    if ANOTHER_ORDER.search(turn.message.text):
        return None
    fact = turn.context.fact("order_number")
    return fact.value if fact is not None else None


def just_answered(turn: Turn) -> bool:
    """True when the bot's last turn answered from the FAQ (this message may follow it up)."""
    last = turn.dialogue.turn - 1
    return any(key.startswith("faq:") and index == last for key, index in turn.dialogue.said)


def knows(turn: Turn, intent: str) -> bool:
    """True when the knowledge base has entries for the intent."""
    return any(entry.intent == intent for entry in turn.deps.knowledge.entries)


def question(turn: Turn) -> str:
    """What the customer asked: this text, or for a pressed topic button the last text they
    wrote (only typed messages carry an intent in the history)."""
    if turn.message.kind is ContentKind.TEXT:
        return turn.message.text
    typed = [
        m.text for m in turn.context.recent if m.direction is Direction.IN and m.intent is not None
    ]
    return typed[-1] if typed else ""


async def answer(turn: Turn, *, asked: str | None = None, intent: str | None = None) -> list[Reply]:
    """The knowledge-base entry closest to the question among the intent's entries; with an
    order number in a delivery question, that order's status too.

    ``asked``: the question to look up instead of the words written (a follow-up such as
    "how long?" read against the conversation's topic); ``intent``: the topic it was read
    against, when not the one the NLU engine gave.
    """
    hours = turn.deps.hours
    if (intent or turn.parse.intent) == "ask_opening_hours" and hours is not None and hours.windows:
        days = days_named(asked or question(turn))
        if holiday_named(asked or question(turn)):
            # "open on bank holidays?", "国庆有人吗", "easter monday?": the team is off (the
            # holiday wins over the weekday it falls on); when it is there.
            turn.answered_from(HOURS)
            return [
                turn.reply(
                    "hours_holiday",
                    hours=describe(hours, turn.language),
                    zone=zone_label(hours, turn.language),
                )
            ]
        if days:
            # "and on saturdays?": that day's hours, not the whole week's paragraph again.
            turn.answered_from(HOURS)
            return [Reply(_hours_on(turn, days))]
        ahead = day_ahead(asked or question(turn))
        if ahead is not None and (ahead > 0 or asked is not None):
            # "and tomorrow?", "那明天呢": that date's weekday in the shop's time zone.
            turn.answered_from(HOURS)
            return [Reply(_hours_ahead(turn, ahead))]
    if (intent or turn.parse.intent) == "ask_delivery" and asks_new_order_time(
        asked or question(turn)
    ):
        # "if I order now when will it arrive": the shipping times (to the country named),
        # whatever order was talked about before; no order number to ask for.
        new_order = _new_order_times(
            turn, region_named(asked or question(turn)), asked or question(turn)
        )
        if new_order is not None:
            return [new_order]
    if (intent or turn.parse.intent) == "ask_delivery":
        region = region_named(asked or question(turn))
        if region is not None and turn.order_in_play and turn.parse.orders:
            # A country asked about beside an order in play ("对了 你们发日本吗" with a case
            # open) is about that country, unless an order is named with it ("send A-1001 to
            # canada").
            region = None
        refused = _refused_before(turn) if region is None and not turn.parse.orders else None
        if refused is not None and _HOW_LONG_OR_COST.search(asked or question(turn)):
            # "how much is shipping there", "那运费多少" right after "we don't ship to Norway":
            # no price nor time for a country we don't deliver to, not the home country's.
            turn.outcome.slots[REGION_SLOT] = refused.en
            turn.outcome.unresolved = True
            there = refused.name(turn.language)
            return [turn.offer_human("delivery_region_no_follow", region=there)]
        # "how long does delivery take to germany": the delivery times for a country on the
        # list; whether we ship there at all only answers "do you ship to ...".
        beyond = _HOW_LONG_OR_COST.search(asked or question(turn))
        if region is not None and not (turn.deps.delivery.serves(region) and beyond):
            return [_region_answer(turn, region)]
        if region is not None and _HOW_LONG.search(asked or question(turn)):
            # "and to canada? how many days": how long it takes there, from the knowledge base.
            times = _new_order_times(turn, region)
            if times is not None:
                return [times]
    refund = (intent or turn.parse.intent) == "ask_returns_refunds"
    if refund and asked is None and turn.order_in_play:
        # "where's my refund?" / "那我钱呢" about a cancelled order: that order's refund, not
        # the policy.
        order = await find_order(turn, turn.order_in_play)
        if order is not None and order.status == "cancelled":
            turn.explained(Told.CANCEL_REFUND)  # "so what now" next: that order's
            return [turn.reply("order_cancelled_refund", order=order.number)]
    if refund and turn.order_in_play and not SENT_BACK.search(question(turn)):
        # "我要退款" / "how do i get my money back" about an order that has not left the
        # warehouse: nothing is sent back, it is cancelled and refunded (not the returns text);
        # "how long?" right after that answer is about the same refund.
        follow_up = asked is not None and turn.dialogue.told_just_now(Told.UNSHIPPED_REFUND)
        # "i want to return it" about an order not shipped: nothing to send back either.
        wants_back = MONEY.search(question(turn)) or RETURN.search(question(turn))
        if follow_up or (asked is None and wants_back):
            order = await find_order(turn, turn.order_in_play)
            if order is not None and order.status == "processing":
                turn.explained(Told.UNSHIPPED_REFUND)
                key = "order_unshipped_refund_when" if follow_up else "order_unshipped_refund"
                return [turn.offer_human(key, order=order.number)]
    # A typed question gets the entry that answers it or, when none does, an honest "not
    # sure" and a person, never the nearest answer of the topic (asked whether we gift-wrap,
    # not the shipping text). A pressed topic button asks for the topic's answer itself.
    typed = turn.message.kind is ContentKind.TEXT
    topic = intent or turn.parse.intent
    entry = turn.deps.knowledge.find(asked or question(turn), intent=topic)
    if entry is None and typed and asked is None:
        # "mailed the blender back on monday when is the refund coming": the product it
        # is about is no topic word the FAQ lacks; looked up again without its name.
        # (Nothing left once the product is out, "does it come with a charger": that
        # product was what it asked about.)
        bare = await without_products(turn, question(turn))
        if bare != question(turn) and turn.deps.knowledge.says_something(bare):
            entry = turn.deps.knowledge.find(bare, intent=topic)
    if entry is None and typed:
        turn.outcome.unresolved = True
        return [turn.offer_human("faq_unknown")]
    if entry is None:
        entry = turn.deps.knowledge.closest(question(turn), intent=topic)
    if entry is None:
        return [turn.reply("help")]
    return await answer_from(turn, entry)


async def without_products(turn: Turn, text: str) -> str:
    """The text with the catalogue's names of the products it names taken out (the name as
    the customer wrote it: "the espresso machine", "搅拌机"), for a look-up of what it asks."""
    catalogue = turn.deps.catalogue
    if catalogue is None:
        return text
    try:
        found = await catalogue.search(text)
    except CatalogueError as exc:
        logger.warning("catalogue search failed: %s", exc)
        return text
    bare = text
    for product in found:
        for name in sorted(product_names(product), key=len, reverse=True):
            if name:
                bare = re.sub(re.escape(name), " ", bare, flags=re.IGNORECASE)
    return " ".join(bare.split())


async def answer_from(turn: Turn, entry: FaqEntry) -> list[Reply]:
    """The answer of one knowledge-base entry (its gist when the conversation already has
    it), with what goes with it: an order number asked for, the order's status."""
    said = f"faq:{entry.id}"
    if entry.id == EXPRESS and turn.order_in_play is not None:
        # "can u send it express", "我付了加急的钱 咋还这么慢" about the order in play: what
        # express means for that order, not the general text ending "send me the number".
        express = await _express_for(turn, entry, turn.order_in_play)
        if express is not None:
            return express
    if entry.id in invoice.FOR_ORDER and turn.order_in_play is not None:
        # "can i get the invoice for 77310", "when is it issued" about an order, or its number
        # sent after the invoice answer: that order's invoice, from where it is (not shipped
        # yet: none exists, it comes when that order ships, on its own day).
        order = await find_order(turn, turn.order_in_play)
        its_own = invoice.for_order(turn, order, entry=entry.id) if order is not None else None
        if its_own is not None:
            turn.answered_from(entry.id)
            return its_own
    if entry.id == ADDRESS and turn.order_in_play is not None:
        # The order named (now or earlier): what can be done for it, not the policy again.
        changed = await _new_address(turn, turn.order_in_play)
        if changed is not None:
            turn.answered_from(entry.id)
            subject = turn.outcome.subject
            if turn.outcome.asked is not None and subject is not None and await _shipped(turn):
                # "how come?" next: why only the carrier can change it now.
                turn.outcome.subject = replace(subject, told=Told.SHIPPED_REFUSAL)
            return changed
    # The same answer as earlier in this conversation, in the same language, would not
    # help: the customer has it above, and the question goes beyond what the FAQ says. (A
    # pressed topic button asks for the answer itself.)
    again = (
        turn.message.kind is ContentKind.TEXT
        and turn.dialogue.variant(said) is not None
        and turn.dialogue.language == turn.language
        and said not in turn.outcome.said
    )
    text = (
        opening_hours(turn)
        if entry.id == HOURS and turn.deps.hours is not None
        else entry.answer(turn.language)
    )
    in_play = turn.order_in_play
    if entry.id == pay_ways.METHODS_ENTRY:
        # "can i pay with paypal", "分期呢": yes or no to that way, not the list again.
        product = await pay_ways.priced_product(turn)
        one_way = pay_ways.answer(turn, entry.answer("en"), text, product=product)
        if one_way is not None:
            # ("cash on delivery?" read as delivery is answered, and acted on, as payment.)
            turn.outcome.intents[-1:] = [entry.intent]
            turn.answered_from(entry.id)
            return [Reply(one_way)]
    if again:
        # Not the same paragraph again ("As I mentioned: ..."): the sentence that answers
        # the question, said plainly. It is still what the answer is about: "我买个60块的呢"
        # next is read against it.
        turn.outcome.subject = Subject(entry=entry.id, shown=True, turn=turn.dialogue.turn)
        return [turn.reply("faq_repeat", brief=_gist(text, question(turn)))]
    turn.answered_from(entry.id)  # when it was given, and what the answer is about
    if entry.id == HOURS:
        return [Reply(text)]
    if entry.id == ADDRESS and in_play is None:
        # "send me the order number and the new address": either may come first.
        turn.ask(Asked(Question.ADDRESS))
    if entry.id == EXPRESS and in_play is None:
        # "can you rush my order?" with no order known: a number next ("its 53100",
        # "订单号63100") is the order to say express for, not a status request.
        turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.EXPRESS))
    if entry.id in ASKS_FOR_ORDER and in_play is None:
        # The answer ends "send me the order number": read the number as meant for that.
        turn.ask(Asked(Question.ORDER_NUMBER, purpose=ASKS_FOR_ORDER[entry.id]))
    replies = [Reply(entry.answer(turn.language))]
    policy = next((e for e in turn.deps.knowledge.entries if e.id == RETURNS_POLICY), None)
    if entry.id == REFUND_TIMING and policy is not None and _HOW_TO_RETURN.search(question(turn)):
        # "how do i return it and get my money back": how the return goes, then the money.
        # (Marked as given; the money stays what the answer is about.)
        turn.outcome.said[f"faq:{policy.id}"] = turn.dialogue.turn
        replies.insert(0, Reply(policy.answer(turn.language)))
    if turn.parse.intent == "ask_delivery" and turn.parse.entity("order_number"):
        replies += await order_status(turn)
    elif (
        entry.id == CANCEL
        and in_play is not None
        and not (turn.dialogue.topic == "ask_order_status" and turn.dialogue.asked is not None)
    ):
        # (Not again when its status, with the offer still open, was the last answer.)
        # "cancel A-1002, it hasn't shipped yet has it?": whether it still can be, from
        # where that order is, beside how.
        turn.outcome.intents.append("ask_order_status")
        replies += await order_status(turn)
    return replies


async def _express_for(turn: Turn, entry: FaqEntry, number: str) -> list[Reply] | None:
    """Express for one order, from where it is: not shipped yet, it can still be switched
    (the entry's terms, and a person to do it); shipped, the carrier sets the pace (which
    one, and the date or, late, what we know); paid for and late, an apology first; delivered,
    nothing left to speed up. None for an order unknown or cancelled (the general answer)."""
    order = await find_order(turn, number)
    if order is not None and order.status == "delivered":
        # "urgent!! can A-1003 go express": nothing left to speed up (its address is not
        # what was asked about).
        turn.answered_from(entry.id)
        return [turn.reply("express_delivered", order=order.number, eta=order.eta or "-")]
    if order is None or order.status not in ("processing", "shipped"):
        return None
    turn.answered_from(entry.id)
    late = order.is_late(turn.deps.clock().date())
    paid = _PAID.search(question(turn)) is not None
    if order.status == "processing" and not late:
        terms = _gist(entry.answer(turn.language), "")
        offer = turn.offer_human("express_unshipped", order=order.number, terms=terms)
        # A yes ("ok switch it to express", "行 帮我改加急吧") asks the team for the switch of
        # this order, at express's price (escalation.request_human), not a bare hand-off.
        turn.ask(Asked(Question.HUMAN, purpose=Purpose.EXPRESS, order=order.number))
        return [offer]
    if paid and late:
        first = turn.reply("express_paid_late", order=order.number, eta=order.eta)
    elif order.status == "shipped":
        # "how come?" next: why only the carrier sets the pace now. The subject stays
        # express for that order, as after a new address (a corrected number asks it again).
        subject = turn.outcome.subject
        if subject is not None:
            turn.outcome.subject = replace(subject, told=Told.SHIPPED_REFUSAL)
        else:
            turn.explained(Told.SHIPPED_REFUSAL)
        first = turn.reply(
            "express_shipped",
            order=order.number,
            carrier=order.carrier or "-",
            tracking=order.tracking or "-",
        )
    else:
        first = None
    status = await order_status(turn, follow_up=True)
    return [first, *status] if first is not None else status


def gist(text: str, question: str) -> str:
    """The sentence of an answer nearest the question, else its first (see ``_gist``)."""
    return _gist(text, question)


def _gist(text: str, question: str) -> str:
    """The sentence of an answer nearest the question ("那邮费是谁出": the one on postage),
    else its first; a one-sentence answer is cut at its semicolons first."""
    parts = [p.strip() for p in _SENTENCE_END.split(text.strip()) if p.strip()]
    if len(parts) == 1:
        parts = [p.strip() for p in re.split(r"[;；]", parts[0]) if p.strip()]
    asked = _units(question)
    if _ASKS_PRICE.search(question):
        # "how much extra is that": the sentence with the price, whatever else it shares.
        parts = [p for p in parts if MONEY_FIGURE.search(p)] or parts
    days = set(days_named(question))
    if days or holiday_named(question):
        # "星期天呢", "bank holiday?": the sentence that speaks of that day, whatever else
        # it shares with the question.
        said = [p for p in parts if days & set(days_named(p)) or (not days and holiday_named(p))]
        parts = said or parts
    best = max(parts, key=lambda p: (len(asked & _units(p)), -parts.index(p)))
    if best.endswith(tuple(".!?。！？")):
        return best
    return best + ("。" if ideographs(best) else ".")


_ASKS_PRICE = re.compile(
    r"how much|\bcost|\bprice|\bfee\b|\bextra\b|多少钱|多少|价格|费用|加钱|多付", re.IGNORECASE
)
# A price said in an answer, the whole figure so that it can be quoted back: "$9.90",
# "9.90 美元".
MONEY_FIGURE = re.compile(r"[$€£¥]\s?\d(?:[\d.,]*\d)?|\d(?:[\d.,]*\d)?\s*(?:美元|元)")


def express_price(turn: Turn) -> str | None:
    """What express delivery costs, as the knowledge base's express answer says it in the
    customer's language ("$9.90", "9.90 美元"); None when it names no price."""
    entry = next((e for e in turn.deps.knowledge.entries if e.id == EXPRESS), None)
    found = MONEY_FIGURE.search(entry.answer(turn.language)) if entry is not None else None
    return found.group().strip() if found is not None else None


def _units(text: str) -> set[str]:
    """Words of three letters or more, and ideographs: what a question and an answer share."""
    lowered = text.lower()
    return set(re.findall(r"[a-z]{3,}", lowered)) | set(re.findall(r"[\u4e00-\u9fff]", lowered))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


async def find_order(turn: Turn, number: str) -> Order | None:
    """The order, or None when it is unknown or the shop cannot be asked now."""
    if turn.deps.orders is None:
        return None
    try:
        return await turn.deps.orders.find(number)
    except OrderLookupError as exc:
        logger.warning("order look-up failed: %s", exc)
        return None


async def carrier(turn: Turn) -> list[Reply]:
    """ "which courier is that": the carrier and tracking of the order in play."""
    together = turn.dialogue.named_together("order_number")
    if turn.parse.entity("order_number") is None and len(together) > 1:
        # "哦对了 你们用啥快递" right after two orders' status: each one's courier, not
        # the last one's alone (nor the order number asked for).
        replies = []
        for each in together[:MAX_ORDERS]:
            replies.extend(await _carrier_of(turn, each))
        turn.outcome.subject = Subject(orders=tuple(together[:MAX_ORDERS]), detail=CARRIER)
        return replies
    number = turn.order_in_play
    return await _carrier_of(turn, number) if number is not None else await order_status(turn)


async def _carrier_of(turn: Turn, number: str) -> list[Reply]:
    """One order's carrier and tracking number (``carrier``)."""
    order = await find_order(turn, number)
    if order is None or order.status not in ("processing", "shipped", "delivered"):
        return await _order_status(turn, number, follow_up=False)
    if order.carrier:
        # "and the lamp?" next asks the same of the lamp's order (handlers/followups.py).
        turn.outcome.subject = Subject(orders=(order.number,), detail=CARRIER)
        return [
            turn.reply(
                "order_carrier", order=order.number, carrier=order.carrier, tracking=order.tracking
            )
        ]
    if order.status == "processing":
        return [turn.reply("order_carrier_none", order=order.number)]
    return await _order_status(turn, number, follow_up=False)


async def ordered_recently(turn: Turn) -> list[Reply]:
    """An order number we could not find, and the customer says when they ordered: why it may
    not show, where to check the number, and a person who can find it by e-mail."""
    asked = turn.dialogue.asked
    number = asked.order if asked is not None and asked.order else turn.order_in_play
    turn.outcome.unresolved = True
    return [turn.offer_human("order_unknown_recent", order=number or "?")]


def _hours_on(turn: Turn, days: tuple[int, ...]) -> str:
    """The team's hours on the days named, working days with the same hours said once."""
    hours = turn.deps.hours
    assert hours is not None
    names = DAY_NAMES.get(turn.language, DAY_NAMES["en"])
    groups: list[tuple[list[int], str]] = []
    for day in days:
        times = day_times(hours, day)
        if groups and groups[-1][1] == times and groups[-1][0][-1] == day - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], times))
    to = "至" if turn.language == "zh" else " to "
    lines = []
    for group, times in groups:
        label = names[group[0]] if len(group) == 1 else f"{names[group[0]]}{to}{names[group[-1]]}"
        if times:
            zone = zone_label(hours, turn.language)
            lines.append(turn.say("hours_day", day=label, times=times, zone=zone))
        else:
            lines.append(turn.say("hours_day_closed", day=label))
    return " ".join(lines)


def _new_order_times(turn: Turn, region: Region | None, text: str = "") -> Reply | None:
    """The knowledge base's shipping times for an order not placed yet, for the country
    named when it is on the delivery list (one not on it is said so); None when the
    knowledge base has no shipping times. A day named ("will it come by friday") is
    answered with the dates (handlers/arrival.py)."""
    if region is not None and not turn.deps.delivery.serves(region):
        return _region_answer(turn, region)
    entry = next((e for e in turn.deps.knowledge.entries if e.id == DELIVERY_TIMES), None)
    if entry is None:
        return None
    turn.answered_from(entry.id)
    verdict = by_day(turn.deps.shipping, turn.deps.clock(), text) if region is None else None
    if verdict is not None:
        return _by_day_reply(turn, verdict)
    times = entry.answer(turn.language)
    if region is None:
        return turn.reply("delivery_new_order", times=times)
    return turn.reply("delivery_new_order_region", times=times, region=region.name(turn.language))


def by_day_reply(turn: Turn, text: str) -> Reply | None:
    """ "need it by friday", "周五前能到吗" with an order not placed yet: the day's date,
    whether standard delivery makes it and express's day; None when no day is named."""
    verdict = by_day(turn.deps.shipping, turn.deps.clock(), text)
    return None if verdict is None else _by_day_reply(turn, verdict)


def _by_day_reply(turn: Turn, verdict: ByDay) -> Reply:
    """ "will it come by friday": the day's date, standard delivery's days and whether they
    make it, and express's day."""
    language = turn.language
    return turn.reply(
        "delivery_by_day",
        target=day_text(verdict.target, language),
        standard=turn.say(
            f"delivery_by_day_standard_{verdict.standard}",
            first=day_text(verdict.standard_first, language),
            last=day_text(verdict.standard_last, language),
        ),
        express=turn.say(
            f"delivery_by_day_express_{verdict.express}",
            day=day_text(verdict.express_day, language),
        ),
    )


# The country the last delivery answer was about (its English name).
REGION_SLOT = "region"


def _refused_before(turn: Turn) -> Region | None:
    """The country the bot has just said it does not deliver to, if the last turns did."""
    slot = turn.dialogue.slot(REGION_SLOT)
    if slot is None or turn.dialogue.turn - slot.turn > 2:
        return None
    region = next((r for r in REGIONS if r.en == slot.value), None)
    return region if region is not None and not turn.deps.delivery.serves(region) else None


def _region_answer(turn: Turn, region: Region) -> Reply:
    """ "do you ship to Australia?", "寄台湾吗": yes for a country on the delivery list; for
    one not on it, said so plainly with a person to check, not the whole list again."""
    name = region.name(turn.language)
    turn.answered_from(COUNTRIES)
    turn.outcome.slots[REGION_SLOT] = region.en
    if turn.deps.delivery.serves(region):
        return turn.reply("delivery_region_yes", region=name)
    turn.outcome.unresolved = True
    return turn.offer_human("delivery_region_no", region=name)


def _hours_ahead(turn: Turn, ahead: int) -> str:
    """The team's hours today / tomorrow / the day after, the weekday named with it."""
    hours = turn.deps.hours
    assert hours is not None
    day = weekday_ahead(hours, turn.deps.clock(), ahead)
    name = DAY_NAMES.get(turn.language, DAY_NAMES["en"])[day]
    when = turn.say(f"hours_when_{ahead}", day=name)
    times = day_times(hours, day)
    if times:
        zone = zone_label(hours, turn.language)
        return turn.say("hours_ahead", when=when, times=times, zone=zone)
    return turn.say("hours_ahead_closed", when=when)


def opening_hours(turn: Turn) -> str:
    """The team's hours from the configuration (not a fixed FAQ text), and whether they
    are in now or when they are back."""
    hours = turn.deps.hours
    if hours is None or not hours.windows:  # no hours configured: people are always there
        return turn.say("hours_always")
    now = turn.deps.clock()
    if hours.is_open(now):
        state = turn.say("hours_now_open")
    else:
        state = turn.say("hours_now_closed", when=back_at(turn.deps.hours, now, turn.language))
    closed = closed_days(hours, turn.language)
    return turn.say(
        "hours_answer" if closed else "hours_answer_all_week",
        hours=describe(hours, turn.language),
        zone=zone_label(hours, turn.language),
        closed=closed,
        now=state,
    )


async def _shipped(turn: Turn) -> bool:
    """True when the order in play is with the carrier."""
    order = None if turn.order_in_play is None else await find_order(turn, turn.order_in_play)
    return order is not None and order.status == "shipped"


async def _new_address(turn: Turn, number: str) -> list[Reply] | None:
    """A new delivery address for the order in play: how, given where the order is."""
    if turn.deps.orders is None:
        return None
    try:
        order = await turn.deps.orders.find(number)
    except OrderLookupError:
        return None
    if order is not None and order.status == "delivered":
        # "it was delivered to my old address": too late to redirect; what can still be done.
        return [turn.reply("address_delivered", order=order.number, carrier=order.carrier or "-")]
    if order is None or order.status not in ("processing", "shipped"):
        return None
    # "send me the new address": the next message is read as that address (shipped too:
    # the team asks the carrier to redirect it).
    turn.ask(Asked(Question.ADDRESS, order=order.number))
    return [
        turn.reply(
            f"address_{order.status}",
            order=order.number,
            carrier=order.carrier or "-",
            tracking=order.tracking or "-",
        )
    ]


async def no_order_number(turn: Turn) -> list[Reply]:
    """Asked for an order number to look an order up, the customer has none at hand."""
    turn.outcome.unresolved = True
    return [turn.offer_human("order_no_number")]


# A sentiment score this low on a status question earns an apology before the status.
UPSET = -0.4
# Said crossly, whatever the sentiment score makes of it: swearing, "seriously", "到底",
# "咋回事", "还送不送了", "等疯了" (venting words: handlers/wording.py).
_CROSS = re.compile(
    r"\b(?:hell|damn\w*|bloody|f+[*u#@]+\w*|fuck\w*|fkn|freaking|frigging|effing|wtf|ffs|"
    r"seriously|for god'?s sake|ffs)\b|到底|搞什么|搞啥|什么鬼|啥玩意|咋回事|怎么回事|"
    r"还(?:发|到|送)不(?:发|到|送)|等疯了|急死|气死|有病吧",
    re.IGNORECASE,
)


def asked_crossly(turn: Turn) -> bool:
    """True for a question asked in anger ("WHERES MY PARCEL GONE", "where the hell is my
    parcel", "包裹到底在哪啊", "还送不送了 咋回事啊"): sorry for it before the answer."""
    text = turn.message.text
    letters = [c for c in text if c.isascii() and c.isalpha()]
    shouted = len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.7
    return (
        turn.parse.sentiment < UPSET
        or shouted
        or _CROSS.search(text) is not None
        or VENTING.search(text) is not None
    )


async def each_order(turn: Turn, answer: Callable[[Turn], Awaitable[list[Reply]]]) -> list[Reply]:
    """``answer`` for each order the message names or points at ("when do both arrive",
    "两个都发了吗"), in the order they were named; for the one order in play when it names
    fewer than two."""
    named = list(dict.fromkeys(e.value for e in turn.parse.orders))
    if len(named) < 2:
        return await answer(turn)
    replies = []
    for number in named[:MAX_ORDERS]:
        entities = tuple(
            e for e in turn.parse.entities if e.kind != "order_number" or e.value == number
        )
        replies.extend(await answer(replace(turn, parse=replace(turn.parse, entities=entities))))
    return replies


async def order_status(turn: Turn, *, follow_up: bool = False) -> list[Reply]:
    """Look the order up; reuse a remembered order number; ask for one when none is known.

    An order past its ETA is said to be late, with an apology and an offer of a case or a
    person.
    """
    named = list(dict.fromkeys(e.value for e in turn.parse.orders))
    if len(named) > 1:
        # "C-3301跟C-3302到哪了", "and both?": each order's status, in the order named.
        replies = []
        for each in named[:MAX_ORDERS]:
            replies.extend(await _order_status(turn, each, follow_up=follow_up))
        return replies
    number = order_number(turn)
    if number is None:
        turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.ORDER_STATUS))
        # "WHERES MY PARCEL GONE", "包裹到底在哪啊": sorry for the wait first, then the number.
        return [turn.reply("order_ask_number_sorry" if asked_crossly(turn) else "order_ask_number")]
    if turn.order_in_play is not None:
        return await _order_status(turn, number, follow_up=follow_up)
    # Only remembered: of several, the one still coming, the others named briefly.
    number, others = await _remembered_meant(turn, number)
    replies = await _order_status(turn, number, follow_up=follow_up)
    if others and replies:
        briefly = [turn.say(f"order_brief_{o.status}", order=o.number) for o in others]
        sep = "、" if turn.language == "zh" else ", "
        others_line = turn.say("order_others_known", others=sep.join(briefly))
        # In the same message as the status: one answer to one question.
        replies[-1] = replace(replies[-1], text=f"{replies[-1].text}\n\n{others_line}")
    return replies


# The statuses of an order still to come.
_COMING = ("processing", "shipped")


async def _remembered_meant(turn: Turn, number: str) -> tuple[str, list[Order]]:
    """The order meant by "where is my order" when several are remembered from earlier
    conversations: the latest told us that is still coming (not the old delivered one talked
    about last), and the others (latest first, a few), to name briefly beside it."""
    known = list(
        dict.fromkeys(
            f.value
            for f in sorted(turn.context.facts, key=lambda f: f.learned_at, reverse=True)
            if f.kind == "order_number"
        )
    )
    if len(known) < 2:
        return number, []
    found = [o for o in [await find_order(turn, each) for each in known] if o is not None]
    coming = [o for o in found if o.status in _COMING]
    if not coming:
        return number, []
    meant = coming[0]
    return meant.number, [o for o in found if o.number != meant.number][:MAX_ORDERS]


def unknown_order(turn: Turn, number: str, purpose: Purpose) -> list[Reply]:
    """An order number the shop does not know: what was looked up and what the shop's
    numbers look like, asked again once. The number stays with the question ("I only ordered
    it yesterday" is about it). A second number not found is not asked for a third time: a
    person can find the order by the customer's e-mail."""
    asked = turn.dialogue.asked
    if asked is not None and asked.question is Question.ORDER_NUMBER and asked.order:
        turn.outcome.unresolved = True
        return [turn.offer_human("order_unknown_again", order=number)]
    turn.ask(Asked(Question.ORDER_NUMBER, purpose=purpose, order=number))
    return [turn.reply("order_unknown", order=number)]


async def status_of(turn: Turn, number: str) -> list[Reply]:
    """One order's status, whichever order is in play (the order of a case asked about)."""
    return await _order_status(turn, number, follow_up=False)


async def _order_status(turn: Turn, number: str, *, follow_up: bool) -> list[Reply]:
    """One order's status (``order_status`` for the order named or in play)."""
    orders = turn.deps.orders
    if orders is None:
        return [turn.reply("order_lookup_failed", order=number)]
    try:
        order = await orders.find(number)
    except OrderLookupError as exc:
        logger.warning("order look-up failed: %s", exc)
        return [turn.reply("order_lookup_failed", order=number)]
    if order is None:
        return unknown_order(turn, number, Purpose.ORDER_STATUS)
    if order.number in turn.outcome.statused:
        # Two requests in one message about one order ("where is it, been days"): its
        # status once, not again in other words.
        return []
    turn.outcome.statused.add(order.number)
    if order.is_late(turn.deps.clock().date()):
        case = next(
            (c for c in turn.context.open_cases if names_order(c.summary, order.number)), None
        )
        if case is not None:
            # A case about this late order is open already: that case, not a new one offered.
            return [
                turn.reply(
                    "order_late_case_open",
                    order=order.number,
                    number=case.number,
                    eta=order.eta,
                    carrier=order.carrier or "-",
                    tracking=order.tracking or "-",
                )
            ]
        turn.outcome.unresolved = True
        if declined.recently(turn):
            # The customer just said no to a case or a person: where it is, no offer again.
            return [turn.reply("order_late_declined", order=order.number, eta=order.eta)]
        turn.ask(Asked(Question.OPEN_CASE, order=order.number, also=(Question.HUMAN,)))
        # "how long?" / "why?" after hearing it is late: what we know, not the same words.
        key = "order_late_follow_up" if follow_up else f"order_late_{order.status}"
        return [
            turn.reply(
                key,
                Button(turn.say("button_open_case"), OPEN_CASE),
                Button(turn.say("button_person"), HUMAN),
                order=order.number,
                eta=order.eta,
                carrier=order.carrier or "-",
                tracking=order.tracking or "-",
            )
        ]
    if follow_up and order.status == "cancelled":
        # "why was it cancelled?": what we can and cannot say, the money, and a person.
        turn.outcome.unresolved = True
        return [turn.offer_human("order_cancelled_why", order=order.number)]
    if follow_up and order.status in ("processing", "shipped"):
        # "when will it arrive?" right after the status: the date, not the same sentence.
        return [eta_reply(turn, order)]
    if order.status == "delivered" and not follow_up:
        # "delivered on ...; if it didn't reach you, tell me": "i never got it" opens a case.
        turn.ask(Asked(Question.OPEN_CASE, order=order.number, purpose=Purpose.NOT_RECEIVED))
    arrives = order.arrives_by(turn.deps.shipping.standard_days[1])
    detail = turn.say(
        f"order_{order.status}{_undated(order)}",
        eta=order.eta or "-",
        arrive=arrives.isoformat() if arrives is not None else "-",
        carrier=order.carrier or "-",
        tracking=order.tracking or "-",
    )
    # Asked in anger ("说取消就取消", "WHERES MY PARCEL GONE"): sorry first, then where it is.
    key = "order_status_sorry" if asked_crossly(turn) else "order_status"
    return [_time_slot(turn, order, turn.reply(key, order=order.number, detail=detail))]


def _undated(order: Order) -> str:
    """The suffix of the status wordings for an order with no date yet (an order source that
    gives none): they say so instead of "by -"."""
    return "_undated" if not order.eta and order.status in ("processing", "shipped") else ""


def eta_reply(turn: Turn, order: Order) -> Reply:
    """When an order on its way (or still with us) should arrive: the carrier's date, or
    for one not shipped yet its ship date and the day standard delivery brings it."""
    arrives = order.arrives_by(turn.deps.shipping.standard_days[1])
    reply = turn.reply(
        f"order_eta_{order.status}{_undated(order)}",
        order=order.number,
        eta=order.eta or "-",
        arrive=arrives.isoformat() if arrives is not None else "-",
    )
    return _time_slot(turn, order, reply)


async def late_where(turn: Turn, number: str) -> Reply | None:
    """Where a late order is and what happens now, for a case about it: with which carrier
    and how late (the carrier asked to trace it, then a new one or a refund), or still in
    our warehouse; None when the order is not late (or cannot be looked up)."""
    order = await find_order(turn, number)
    today = turn.deps.clock().date()
    eta = order.eta_date() if order is not None else None
    if order is None or eta is None or not order.is_late(today):
        return None
    turn.outcome.statused.add(order.number)
    late = (today - eta).days
    days = f" {late} 天" if turn.language == "zh" else f"{late} day{'s' if late != 1 else ''}"
    if order.status == "processing":
        return turn.reply("case_late_unshipped", order=order.number, eta=order.eta, days=days)
    return turn.reply(
        "case_late_where",
        order=order.number,
        eta=order.eta,
        days=days,
        carrier=order.carrier or turn.say("the_carrier").lower(),
        tracking=order.tracking or "-",
    )


# The time of day asked ("what time will it come", "几点能到", "上午还是下午"): the carrier
# gives a date, not a slot; an agent says so rather than answering with the date alone.
_TIME_OF_DAY = re.compile(
    r"\bwhat time\b|\bwhich time\b|\btime ?slot\b|\bmorning or (?:the )?afternoon\b|"
    r"\bwhat hour\b|\bam or pm\b|几点|上午还是下午|什么时间段|哪个时间段|早上还是|白天还是晚上",
    re.IGNORECASE,
)


def _time_slot(turn: Turn, order: Order, reply: Reply) -> Reply:
    """The status, and when the time of day was asked for an order on its way, that the
    carrier gives no time slot."""
    if order.status not in ("processing", "shipped") or not _TIME_OF_DAY.search(question(turn)):
        return reply
    slot = turn.say("order_no_time_slot", carrier=order.carrier or turn.say("the_carrier"))
    joiner = "" if turn.language == "zh" else " "
    return Reply(f"{reply.text}{joiner}{slot}", buttons=reply.buttons)
