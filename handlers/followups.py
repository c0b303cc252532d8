"""Short follow-ups that point back: "the first one", "第二个呢", "what day is it", "废话",
and those read against what the last answer was about ("i paid with paypal", "多久能开好")."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from handlers import cases, context, inquiry
from handlers.acts import Act
from handlers.arrival import working_days_after
from handlers.catalogue import CatalogueError
from handlers.clauses import ideographs
from handlers.dialogue import ENTITY_TURNS, Asked, Dialogue, Purpose, Question, Subject, Told
from handlers.hours import days_named, holiday_named, without_days
from handlers.knowledge import FaqEntry, KnowledgeBase, asks_of_answer
from handlers.orders import Order, OrderLookupError, names_order, order_key
from handlers.questions import is_question
from handlers.turn import Deps, Turn
from handlers.types import Reply
from handlers.wording import ASKS_WHEN, MONEY, RETURN
from nlu import Entity, ParseResult

logger = logging.getLogger(__name__)

# Where an order entity came from when the customer pointed at it by position, or by the
# item in it ("the dishwasher one", "台灯那个呢").
POINTED = "pointed"
BY_ITEM = "item"
# Reading details: the exact day of the order in play; an answer that did not help.
EXACT_DAY = "exact_day"
PUSHBACK = "pushback"
WHY_SHIPPED = "why_shipped"  # "how come?" after a change refused because the order shipped
WHY = "why"  # "why?", "为啥" after an answer whose entry says why (a card declined)
SAID = "said_already"  # "do they expire?" when the answer just given says so
ARRIVAL = "arrival"  # "when will it arrive" after an order's ship-by day
ITEM_ON_ORDER = "item_on_order"  # "the charger came too right?": an item of the order in play
# "still nothing" after the last step the knowledge base has for it: a person offered.
STILL_FAILING = "still_failing"

# An order by its place among those named in this conversation.
_FIRST = re.compile(
    r"\b(?:the )?(?:first|frist|fisrt|firts|1st|earlier|former) (?:one|order|parcel|package|"
    r"delivery)\b|第一(?:个|单|笔|件)|头一个|前一个|前面(?:那|这|的)(?:个|单|一单)|之前那(?:个|单)|"
    r"先(?:问|查)的那(?:个|单)",
    re.IGNORECASE,
)
_SECOND = re.compile(
    r"\b(?:the )?(?:second|secnd|seccond|secound|2nd|latter|later) (?:one|order|parcel|"
    r"package|delivery)\b|第二(?:个|单|笔|件)|(?<!最)后一个|后面(?:那|这|的)(?:个|单|一单)",
    re.IGNORECASE,
)
# The third of three or more, and the last of them: "the third one", "and the last one?",
# "第三个呢", "最后一个", "最后那单".
_THIRD = re.compile(
    r"\b(?:the )?(?:third|3rd) (?:one|order|parcel|package|delivery)\b|第三(?:个|单|笔|件)",
    re.IGNORECASE,
)
_LAST = re.compile(
    r"\b(?:the )?(?:last|final|bottom) (?:one|order|parcel|package|delivery)\b|"
    r"最后(?:一个|那个|那单|一单|一笔|那笔|这个|这单)",
    re.IGNORECASE,
)
# The orders the customer named together in one message ("where are A-1001, A-1002 and
# B-2231"), joined by "|", in the order named: "the second one", "the last one" count in it
# even after one of them was talked about again.
LISTED = "orders_listed"
_OTHER = re.compile(
    r"\b(?:the )?(?:other|otehr|othr|oter) (?:one|order|parcel|package|delivery)\b|"
    r"另(?:外)?一(?:个|单|笔|件)|另外那(?:个|单)|另外(?:个|一单)|另一(?:个)?单",
    re.IGNORECASE,
)
# Both orders named in this conversation at once: "when do both arrive", "are they both
# shipped", "两个都啥时候到", "俩单都发了吗".
_BOTH = re.compile(
    r"\b(?:both|bothe|boht|all of them|all of those|all (?:my|the|these|those|of my) "
    r"(?:two |2 )?(?:orders|parcels|packages))\b|"
    r"\b(?:the|my|these|those) (?:two|2) (?:orders|parcels|packages|ones)\b|"
    r"(?:两|俩|二)(?:个|单|笔|件)?(?:单|订单|单子|包裹)?(?:都|一起)|两单|俩单",
    re.IGNORECASE,
)
# "what day is that exactly", "具体哪天", "星期几到": the date itself, with its weekday.
_EXACT_DAY = re.compile(
    r"\b(?:what|which) (?:day|date)\b|\bexact (?:day|date)\b|\bwhen exactly\b|\bexactly when\b|"
    r"\bday of the week\b|具体(?:是)?(?:哪天|哪一天|几号|什么时候|啥时候|日期)|哪一天|"
    r"星期几|礼拜几|周几|几月几(?:号|日)",
    re.IGNORECASE,
)
# An answer the customer says did not help, or repeats what they were told before.
_PUSHBACK = re.compile(
    r"\b(?:doesn'?t|does not|didn'?t|did not|won'?t|not) (?:really |even |much |actually )?"
    r"help(?:ing)?\b|\b(?:isn'?t|wasn'?t|not) (?:very |really |at all )?helpful\b|"
    r"\bno help\b|"
    # "thats exactly what you said last time", "that's what the last guy told me too".
    r"\b(?:that'?s|thats|this is) (?:exactly |just |literally )?what (?:you|u|they|"
    r"(?:the|your) (?:last|other|previous) (?:guy|person|agent|lady|one|bot)|your (?:colleague|"
    r"agent|team)) (?:said|told me|say)\b|\byou (?:guys )?told me (?:that|this) "
    r"(?:already|before|last time)\b|"
    r"\byou (?:already )?said (?:that|this)(?: already| before)?\b|"
    r"\bsame (?:thing|answer|reply|message) (?:again|as before|as last time)\b|"
    r"\byou keep saying\b|\bi (?:already )?know (?:that|this)(?: already)?\b|"
    r"\btell me something i don'?t know\b|\b(?:that'?s )?not what i asked\b|"
    r"\byou'?re not listening\b|\b(?:that )?doesn'?t answer\b|\bthanks for nothing\b|"
    r"废话|早就(?:超过|过了|到了|该到|知道|说过)|超过(?:好几天|好多天|很久|好久)了|说了等于没说|等于没说|"
    r"上次(?:也|就)?(?:是)?(?:这么|这样)说|(?:之前|上回|上次|那个客服|别的客服|另一个客服)[^，。,\s]{0,6}"
    r"(?:也|就)(?:是)?(?:这么|这样)(?:说|讲|回)|(?:又|还)是(?:这句|这套|这些话)|每次都(?:这么|这样)说|"
    r"你(?:都|已经)?说过了|这(?:个)?我(?:早)?(?:就)?知道|还用你说|有什么用|有啥用|没啥用|一点用都没有|"
    r"答非所问|我问的不是这个|没解决(?:我的)?问题|"
    # "you don't understand", "are you even reading", "说了半天没用", "你根本没听懂", "答的啥".
    r"\byou (?:don'?t|dont|do not|didn'?t|didnt) (?:understand|get it|get what i)\b|"
    r"\bnot what i (?:meant|mean|said)\b|\bare you (?:even )?(?:reading|listening)\b|"
    r"\bread (?:my|what i) (?:message|wrote|said)\b|"
    r"说了(?:半天|这么多|那么多)?(?:也|都)?没用|(?:根本|完全)?没听懂|听不懂(?:人话|我)|"
    r"(?:答|回|说)的(?:是)?(?:啥|什么)(?:啊|呀)?(?:\s|$)|(?:跟|和)我问的不是一回事|不是我(?:要)?问的",
    re.IGNORECASE,
)
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS_ZH = "一二三四五六日"


def orders_in_play(dialogue: Dialogue) -> list[str]:
    """The order numbers of the last turns, in the order they were put in play."""
    seen = [
        s.value
        for s in dialogue.slots
        if s.kind == "order_number" and dialogue.turn - s.turn <= ENTITY_TURNS
    ]
    return list(dict.fromkeys(seen))


def known_orders(dialogue: Dialogue, remembered: Sequence[str] = ()) -> list[str]:
    """The customer's orders we know of: those remembered from earlier conversations
    (``remembered``, oldest first) that are not in play, then those of the last turns in
    the order they were put in play; so the last is the one talked about last."""
    in_play = orders_in_play(dialogue)
    keys = {order_key(n) for n in in_play}
    earlier = [n for n in dict.fromkeys(remembered) if order_key(n) not in keys]
    return [*earlier, *in_play]


def pointed_order(text: str, dialogue: Dialogue, *, known: Sequence[str] = ()) -> str | None:
    """The order a message points at by position ("the first one", "第二个", "the other
    one") when two or more of the customer's orders are known (named in this conversation,
    or ``known`` from earlier ones); None otherwise."""
    orders = orders_in_play(dialogue)
    if len(orders) < 2:
        # One named lately, another remembered from before: "the other one" is that one;
        # among more remembered, which is meant is not known.
        orders = known_orders(dialogue, known)
        if len(orders) != 2:
            return None
    found = [
        (match.start(), which)
        for which, pattern in (
            ("first", _FIRST),
            ("second", _SECOND),
            ("third", _THIRD),
            ("last", _LAST),
            ("other", _OTHER),
        )
        for match in pattern.finditer(text)
    ]
    if not found:
        return None
    # "the first one got here, what about the second one": the one asked about comes last.
    which = max(found)[1]
    if which == "other":
        return orders[-2]  # the other one: not the one talked about last
    # A position counts in the orders as the customer listed them, when they did.
    listed = listed_orders(dialogue) or orders
    position = {"first": 0, "second": 1, "third": 2, "last": len(listed) - 1}[which]
    return listed[position] if position < len(listed) else None


def listed_orders(dialogue: Dialogue) -> list[str]:
    """The orders named together in one message lately, in the order named ([] if none)."""
    slot = dialogue.slot(LISTED)
    return slot.value.split("|") if slot is not None else []


def pointed_orders(text: str, dialogue: Dialogue, *, known: Sequence[str] = ()) -> list[str]:
    """The orders a message points at: both of the last two named ("are both shipped",
    "两个都到了吗"), else the one pointed at by position (``pointed_order``); none when fewer
    than two of the customer's orders are known."""
    orders = orders_in_play(dialogue)
    if len(orders) < 2:
        orders = known_orders(dialogue, known)
        orders = orders if len(orders) == 2 else []
    if len(orders) >= 2 and _BOTH.search(text):
        return orders[-2:]
    number = pointed_order(text, dialogue, known=known)
    return [] if number is None else [number]


# Another order than the one talked about, asked after with no number: "and the other one?",
# "what about my second order", "i have another order too", "那另一个呢", "我第二个订单呢",
# "还有一单呢". With one order named in this conversation it is an order not named yet.
_ANOTHER_ORDER = re.compile(
    r"\b(?:another|my other|my second|my 2nd) (?:order|parcel|package|delivery)\b|"
    r"还有一(?:个|单)(?:订单|单子|包裹)?(?:呢|咋样|怎么样|到哪)",
    re.IGNORECASE,
)
# What the customer wants done besides where it is: asked with its own number, for that.
_OTHER_ORDER_ASKS = re.compile(
    r"\b(?:cancel|return|refund|money|send (?:it |them )?back|address|same|both)\b|"
    r"取消|退|钱|地址|一样|也|都|两个",
    re.IGNORECASE,
)
# The reading's detail: "and the other one?" with one order named, its number asked for.
OTHER_ORDER = "other_order"
# The answers after which "the other one" is another order.
_ORDER_TALK = (
    "ask_order_status",
    "ask_delivery",
    "complaint",
    context.CASE_STATUS,
    context.OFFER_AGAIN,
    context.NEW_ADDRESS,
    context.CANCEL_ORDER,
)


def asks_other_order(turn: Turn) -> bool:
    """True when a short message asks after another order than the one talked about, with
    no number ("and the other one?", "what about my second order", "那另一个呢", "我第二个订单
    呢") while one order is named in this conversation: that order's number is asked for,
    to say where it is (never the first order again, nor a case about it)."""
    text = turn.message.text
    if turn.parse.orders or not _short(text) or len(orders_in_play(turn.dialogue)) != 1:
        return False
    if not (_OTHER.search(text) or _SECOND.search(text) or _ANOTHER_ORDER.search(text)):
        return False
    return (
        turn.dialogue.topic in _ORDER_TALK
        and context.DEFECT.search(text) is None
        and _OTHER_ORDER_ASKS.search(text) is None
        and not context.wants_cancel(text, turn.parse.intent)
    )


def other_order(turn: Turn) -> list[Reply]:
    """The other order's number asked for, to say where it is."""
    turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.ORDER_STATUS))
    return [turn.reply("order_other_number")]


def with_pointed_order(
    parse: ParseResult, dialogue: Dialogue, *, known: Sequence[str] = ()
) -> ParseResult:
    """The parse with the order(s) pointed at as ``order_number`` entities, when the message
    names none itself (``known``: the orders remembered from earlier conversations)."""
    if parse.entity("order_number") is not None:
        return parse
    entities = tuple(
        Entity("order_number", number, 0, 0, "", source=POINTED)
        for number in pointed_orders(parse.text, dialogue, known=known)
    )
    return replace(parse, entities=(*parse.entities, *entities)) if entities else parse


# The order meant by its date among those named: "the newest one", "whats the latest
# order", "the most recent one", "最新那个", "最近下的那单"; "the oldest one", "最早那个".
_NEWEST = re.compile(
    r"\b(?:the )?(?:newest|latest|most recent) (?:one|order|parcel|package|delivery)\b|"
    r"最新(?:的)?(?:那个|那单|一个|一单|这个|那笔|订单|单子)|最近(?:下)?(?:的)?(?:那个|那单|一单)",
    re.IGNORECASE,
)
_OLDEST = re.compile(
    r"\b(?:the )?(?:oldest|earliest) (?:one|order|parcel|package|delivery)\b|"
    r"最早(?:的)?(?:那个|那单|一个|一单|下的|订单)|最老(?:的)?(?:那个|那单)",
    re.IGNORECASE,
)
# How far along an order is: a newer order is further back (not shipped yet before one on
# its way, before one delivered); among equals, the later date is the newer order.
_STAGE = {"delivered": 0, "shipped": 1, "processing": 2}


async def with_order_by_date(
    parse: ParseResult, dialogue: Dialogue, deps: Deps, *, known: Sequence[str] = ()
) -> ParseResult:
    """The parse with the order meant by its date ("the newest one", "最新那个", "the oldest
    one") as an ``order_number`` entity, of two or more orders named lately (else the two
    known): the one placed last is the one least far along, then the latest date."""
    text = parse.text
    if parse.entity("order_number") is not None or deps.orders is None:
        return parse
    newest = _NEWEST.search(text) is not None
    if not newest and _OLDEST.search(text) is None:
        return parse
    orders = listed_orders(dialogue) or orders_in_play(dialogue)
    if len(orders) < 2:
        orders = known_orders(dialogue, known)
        if len(orders) != 2:
            return parse
    found: list[Order] = []
    for number in orders:
        try:
            order = await deps.orders.find(number)
        except OrderLookupError as exc:
            logger.warning("order look-up failed: %s", exc)
            return parse
        if order is not None and order.status in _STAGE:
            found.append(order)
    if len(found) < 2:
        return parse

    def age(order: Order) -> tuple[int, date]:
        return (_STAGE[order.status], order.eta_date() or date.min)

    ranked = sorted(found, key=age)
    if age(ranked[0]) == age(ranked[-1]):
        return parse  # nothing tells them apart
    meant = ranked[-1] if newest else ranked[0]
    entity = Entity("order_number", meant.number, 0, 0, "", source=POINTED)
    return replace(parse, entities=(*parse.entities, entity))


# A message about an order's item that asks after the product itself (its price, stock, a
# colour), not the order.
_ABOUT_PRODUCT = re.compile(
    r"\b(?:price|cost|how much|in stock|stock|sell|buy|colou?r|cheaper|available)\b|"
    r"多少钱|价格|有货|有没有货|库存|卖|买(?!的|了)|颜色|便宜",
    re.IGNORECASE,
)
# The answers after which an order named by its item is the order asked about.
_ORDER_TOPICS = ("ask_order_status", "ask_delivery", "complaint")


async def with_order_by_item(
    parse: ParseResult,
    dialogue: Dialogue,
    deps: Deps,
    *,
    known: Sequence[str] = (),
    cases: Sequence[str] = (),
) -> ParseResult:
    """The parse with the order meant by the item in it ("the dishwasher one", "and the lamp,
    which courier", "微波炉那个呢") as an ``order_number`` entity: of the orders named in this
    conversation (two or more), the one holding the product the message names, when exactly
    one does, orders were what the last answer was about, and the message names no order
    itself nor asks after the product ("how much is the blender" stays a product question).
    When the bot asked for an order number, the item picks among ``known`` too (the orders the
    customer told us before) and one order is enough; so too when the message asks after an
    order ("is the lamp on its way yet", "台灯寄到哪儿了", "cancel the blender"), whatever the
    last answer was about (``cases``: the open cases' summaries, whose orders are left to
    them)."""
    if parse.entity("order_number") is not None or deps.orders is None or deps.catalogue is None:
        return parse
    asked = dialogue.asked
    if asked is not None and asked.question is Question.ORDER_NUMBER and asked.case is None:
        # "it's the kettle one", "买的榨汁机" for the number asked for: the order of the
        # customer's known ones (named lately, or remembered) that holds it, even one.
        orders = list(dict.fromkeys((*known, *orders_in_play(dialogue))))
        if not orders or context.length(parse.text) > _FOLLOW_UP_WORDS:
            return parse
        return await _holding(parse, orders, deps)
    if _ABOUT_PRODUCT.search(parse.text) or context.length(parse.text) > _FOLLOW_UP_WORDS:
        return parse
    if _ASKS_AFTER_ORDER.search(parse.text) and not _ASKS_OF_PRODUCT.search(parse.text):
        # "is the lamp on its way yet", "台灯寄到哪儿了", "cancel the blender": where the order
        # holding it is (or what to do with it), of all the customer's orders we know, even
        # one; never the catalogue's stock, nor another order remembered. (An order an open
        # case is about is that case's: "any news on the kettle" asks after the case.)
        picked = await _holding(parse, known_orders(dialogue, known), deps)
        entity = picked.entity("order_number")
        if entity is not None and any(names_order(c, entity.value) for c in cases):
            return parse
        return picked
    orders = orders_in_play(dialogue)
    # With one order in play the item picks nothing out: "能不能鼠标我留着 你们再给我发个台灯"
    # about the only order is a request about it, not "where is the lamp's order".
    if dialogue.topic not in _ORDER_TOPICS or len(orders) < 2:
        return parse
    return await _holding(parse, orders, deps)


# What asks after an order rather than a product: its news, where it is, whether it came or
# shipped, its cancellation ("is the lamp on its way yet", "the toaster for my mum never came",
# "台灯寄到哪儿了", "耳机那单不要了 取消吧").
_ASKS_AFTER_ORDER = re.compile(
    r"\b(?:news|update|updates|where(?:'?s| is| are)|wheres|arriv\w*|here yet|not here|"
    r"still (?:not|no|nothing|waiting)|(?:not|\w*n'?t|never) (?:yet )?(?:come|came|arrived|"
    r"received|shipped|turned up|shown up|showed up|got here|been delivered)|shipped|"
    r"dispatched|coming|get here|"
    r"on (?:its|the) way|(?:has|have|did|is) (?:it |they )?"
    r"(?:shipped|dispatched|come|came|left)|track\w*|cancel\w*|order|parcel|package)\b|"
    r"到哪|到了(?:吗|没|嘛)|到没到|还没(?:到|收到|发)|没收到|发货|发了(?:吗|没|嘛)|物流|快递|"
    r"进度|取消|那单|这单|订单|单子|什么时候到|啥时候到|几时到|咋还没",
    re.IGNORECASE,
)
# Asked of the product itself though an order word is there: "can i order the toaster in
# red", "does the lamp ship to ireland", "能订台灯吗".
_ASKS_OF_PRODUCT = re.compile(
    r"\b(?:can i|could i|want to|wanna|like to|how (?:do|can) i) (?:order|buy|get)\b|"
    r"\bship(?:s|ping)? to\b|\bdeliver(?:s|y)? to\b|能(?:订|下单)|想(?:订|下单)|怎么(?:订|下单)",
    re.IGNORECASE,
)


async def _holding(parse: ParseResult, orders: list[str], deps: Deps) -> ParseResult:
    """The parse with the one of ``orders`` holding the product it names, when one does."""
    assert deps.orders is not None
    named = await items_asked(parse.text, deps)
    if not named:
        return parse
    holding = []
    for number in orders[-6:]:
        try:
            order = await deps.orders.find(number)
        except OrderLookupError as exc:
            logger.warning("order look-up failed: %s", exc)
            return parse
        if order is not None and named & await held_items(order, deps):
            holding.append(order.number)
    if len(holding) != 1:
        return parse
    entity = Entity("order_number", holding[0], 0, 0, "", source=BY_ITEM)
    return replace(parse, entities=(*parse.entities, entity))


# Where a message turns from one item to the one it asks about: "the lamp is fine, the
# charger tho", "headphones came but what about the keyboard", "耳机没问题 键盘呢".
_TURNS_TO = re.compile(r"[,，;；]|\bbut\b|\bwhat about\b|\bhow about\b|但是?|可是|不过", re.I)


async def items_asked(text: str, deps: Deps) -> set[str]:
    """The catalogue products a message asks after: those of its last part when it turns
    from one item to another ("the lamp is fine, the charger tho": the charger), else all
    it names."""
    assert deps.catalogue is not None
    parts = [p for p in _TURNS_TO.split(text) if p and p.strip()]
    if len(parts) > 1:
        last = {p.sku for p in await deps.catalogue.search(parts[-1])}
        if last:
            return last
    return {p.sku for p in await deps.catalogue.search(text)}


async def held_items(order: Order, deps: Deps) -> set[str]:
    """The catalogue products of an order's items, each looked up on its own ("laptop stand;
    keyboard; mouse" is three products, not one search)."""
    assert deps.catalogue is not None
    held: set[str] = set()
    for each in _ITEMS.split(order.items):
        if each.strip():
            held |= {p.sku for p in await deps.catalogue.search(each)}
    return held


# Asks whether an item came with the order, or is part of it: "the charger came too right?",
# "is the lamp in there as well", "那个充电器呢 也一起到了吧", "鼠标也在这单里吗".
_ALSO_IN_IT = re.compile(
    r"\b(?:too|as well|aswell|also|als|included|incl|in (?:it|there|the (?:box|parcel|package|"
    r"order))|with it|came|come|arrived?|part of)\b|也|一起|一块|一并|这单里|那单里|单里",
    re.IGNORECASE,
)


# Between the items of an order: "electric kettle; charger", "2x water bottle, lamp".
_ITEMS = re.compile(r"[;,，、]")


async def item_of_order(turn: Turn) -> tuple[Order, str] | None:
    """The order in play and the item of it a short message asks after ("the charger came
    too right?" with a case open on the kettle of the same order), when the item it names is
    one of that order's and it asks whether it came or is part of it; else None."""
    number = turn.order_in_play
    text = turn.message.text
    catalogue, orders = turn.deps.catalogue, turn.deps.orders
    if number is None or catalogue is None or orders is None:
        return None
    if context.length(text) > _FOLLOW_UP_WORDS or not _ALSO_IN_IT.search(text):
        return None
    if context.DEFECT.search(text) or _ABOUT_PRODUCT.search(text):
        return None  # "the charger is broken too", "is the charger in stock"
    try:
        order = await orders.find(number)
        named = await catalogue.search(text) if order is not None else []
        held = set()
        for each in _ITEMS.split(order.items if order is not None else ""):
            held |= {p.sku for p in await catalogue.search(each)} if each.strip() else set()
    except (OrderLookupError, CatalogueError) as exc:
        logger.warning("look-up failed: %s", exc)
        return None
    item = next((p for p in named if p.sku in held), None)
    if order is None or item is None:
        return None
    return order, item.title(turn.language)


async def item_on_order(turn: Turn) -> list[Reply]:
    """That the item asked after is part of the order in play, and where the order is."""
    found = await item_of_order(turn)
    if found is None:
        return await inquiry.order_status(turn)
    order, item = found
    head = turn.reply("order_item_on_it", item=item, order=order.number)
    return [head, *await inquiry.status_of(turn, order.number)]


def by_item(turn: Turn) -> bool:
    """True when the message's order is the one holding the item it names."""
    entity = turn.parse.entity("order_number")
    return entity is not None and entity.source == BY_ITEM


def points_back(turn: Turn) -> bool:
    """True when the order of this message was pointed at by position ("the second one") or
    by its item right after orders were talked about ("the dishwasher one yeah"), and the
    message asks where it is (not a problem with it, which the complaint path reads with the
    order)."""
    entity = turn.parse.entity("order_number")
    text = turn.message.text
    asked = turn.dialogue.asked
    if (
        asked is not None
        and asked.question is Question.ORDER_NUMBER
        and asked.purpose not in (None, Purpose.ORDER_STATUS)
    ):
        return False  # "it's the kettle one" for the number asked to cancel: that request's
    return (
        entity is not None
        and entity.source in (POINTED, BY_ITEM)
        and context.DEFECT.search(text) is None
        # "yes open a case for the rice cooker": the case offered, for that order.
        and not context.asks_for_a_case(text)
        and not context.says_not_received(text)
        and not context.wants_cancel(text, turn.parse.intent)
        # "send both to the new address: 7 Mill Lane": the address for them, not where they are.
        and not context.gives_address(turn)
        and turn.parse.intent not in ("ask_returns_refunds", "ask_payment", "request_human")
    )


# A question of the message's own about an order ("when does it come", "到哪了").
_OWN_QUESTION = re.compile(
    r"\b(?:when|where|how long|status|arriv\w*|come|coming|get here|ship\w*|track\w*)\b|"
    r"多久|几天|啥时候|什么时候|哪天|到哪|到了|发货|发了|物流",
    re.IGNORECASE,
)


def question_carried(turn: Turn) -> str | None:
    """The question about an order a follow-up that names only the order takes from the
    last answer ("and the lamp?" after which courier has the kettle: the lamp's courier);
    the courier asked in so many words ("which courier has the second one") too."""
    text = turn.message.text.strip()
    if context.asks_carrier(turn, text) or _SAME_CARRIER.search(text):
        return context.CARRIER
    subject = turn.dialogue.subject_in_play()
    if subject is None or _OWN_QUESTION.search(turn.message.text):
        return None
    return subject.detail


# "也是这家吗" (the same courier?) about an order pointed at.
_SAME_CARRIER = re.compile(
    r"\b(?:same (?:courier|carrier)|deliver(?:ing|s)? it)\b|这家|同一家", re.IGNORECASE
)


def asks_exact_day(turn: Turn) -> bool:
    """ "what day is that exactly", "具体哪天" about the order in play."""
    text = turn.message.text
    return (
        _EXACT_DAY.search(text) is not None
        and turn.order_in_play is not None
        and (turn.parse.entity("order_number") is not None or turn.dialogue.topic in _ORDER_ANSWERS)
        and _short(text)
        and context.DEFECT.search(text) is None
        # "when exactly will someone get back to me": the team's hours, not the parcel's day.
        and context.offered_thing(text) is None
        and _ABOUT_PEOPLE.search(text) is None
    )


# The answers after which "what day exactly" is about the order's date.
_ORDER_ANSWERS = ("ask_order_status", "ask_delivery", context.OFFER_AGAIN, context.NEW_ADDRESS)
_ABOUT_PEOPLE = re.compile(
    r"\b(?:get back|reply|respond|answer|call|contact|hear)\b|回复|回我|联系|答复|处理", re.I
)


def pushes_back(turn: Turn) -> bool:
    """True when the customer says the last answer did not help ("doesnt really help me does
    it", "你这不是废话吗", "早就超过了好吗", "that's what you said last time")."""
    text = turn.message.text
    return (
        turn.dialogue.topic is not None
        and turn.parse.entity("order_number") is None
        and _PUSHBACK.search(text) is not None
        and _short(text)
    )


def _short(text: str) -> bool:
    return len(re.findall(r"[A-Za-z0-9']+", text)) + ideographs(text) // 2 <= 12


def format_day(day: date, language: str) -> str:
    """A date as customers say it: "Thursday 26 November", "11月26日（周四）"."""
    if language == "zh":
        return f"{day.month}月{day.day}日（周{_WEEKDAYS_ZH[day.weekday()]}）"
    return f"{_WEEKDAYS_EN[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


async def _dated_order(turn: Turn) -> tuple[Order, date] | list[Reply]:
    """The order in play and its date, when it has one and is not late; else the replies to
    give instead: its status again (what we know, and a case or a person), or the look-up
    failure."""
    number = turn.order_in_play
    orders = turn.deps.orders
    if number is None or orders is None:
        return await inquiry.order_status(turn, follow_up=True)
    try:
        order = await orders.find(number)
    except OrderLookupError as exc:
        logger.warning("order look-up failed: %s", exc)
        return [turn.reply("order_lookup_failed", order=number)]
    eta = order.eta_date() if order is not None else None
    if order is None or eta is None or order.is_late(turn.deps.clock().date()):
        return await inquiry.order_status(turn, follow_up=True)
    return order, eta


async def exact_day(turn: Turn) -> list[Reply]:
    """The order's date with its weekday; a late or dateless order gets its status again in
    other words (what we know, and a case or a person). Of both orders: each one's."""
    return await inquiry.each_order(turn, _exact_day)


async def _exact_day(turn: Turn) -> list[Reply]:
    found = await _dated_order(turn)
    if isinstance(found, list):
        return found
    order, eta = found
    if order.status == "cancelled":
        return await inquiry.order_status(turn, follow_up=True)
    key = {
        "delivered": "order_day_delivered",
        "processing": "order_day_ships",
    }.get(order.status, "order_day_arrives")
    turn.outcome.statused.add(order.number)
    return [turn.reply(key, order=order.number, day=format_day(eta, turn.language))]


async def pushback(turn: Turn) -> list[Reply]:
    """Sorry, without the same answer again: the open case it is on, or a person offered."""
    turn.outcome.unresolved = True
    case = await cases.current_case(turn)
    if case is not None:
        turn.outcome.case = case.number
        return [turn.offer_human("pushback_case", number=case.number)]
    return [turn.offer_human("pushback")]


# What a message that only answers the bot does, or one that reports a problem ("still
# nothing in my bank account", "never got it"): no follow-up on the subject; their own
# readings take them.
_NOT_FOLLOW_UPS = (
    Act.AFFIRM,
    Act.DENY,
    Act.ACKNOWLEDGE,
    Act.THANKS,
    Act.BYE,
    Act.WANTS_PERSON,
    Act.CHITCHAT,
    Act.REFUND_NOT_RECEIVED,
    Act.NEVER_DELIVERED,
    Act.COMPLAINT_MORE,
)
# The longest message (words, or two ideographs each) read as a follow-up on the subject.
_FOLLOW_UP_WORDS = 12
# The tag of entries about several orders at once (what follows the status of two or more:
# sending them together), and of entries that say how long something takes (what a time
# question is first about).
ORDERS_TAG = "orders"
TIME_TAG = "time"
WEEKEND_TAG = "weekend"  # the knowledge entries about weekend days (delivery on a Sunday)


def leads_to(subject: Subject, knowledge: KnowledgeBase) -> tuple[list[str], tuple[str, ...]]:
    """The entries a follow-up on the subject may be about, most likely first, and those
    the subject's answer lists as its follow-ups.

    The answer's ``follow_ups``, and its own entry when its text was not the answer (the
    cancellation asked for, the charge sent to the team); after the status of two or more
    orders, the entries tagged ``orders``. The answer just given is not among them: asked
    again, it is read as before (the same topic, looked up strictly).
    """
    entry = knowledge.entry(subject.entry) if subject.entry is not None else None
    listed: tuple[str, ...] = entry.follow_ups if entry is not None else ()
    ids = list(listed)
    if entry is not None and not subject.shown:
        ids.append(entry.id)
    if len(subject.orders) >= 2:
        ids += [e.id for e in knowledge.entries if ORDERS_TAG in e.tags]
    shown = entry.id if entry is not None and subject.shown else None
    return [i for i in dict.fromkeys(ids) if i != shown], listed


def _short_follow_up(turn: Turn, text: str) -> Subject | None:
    """The subject of the last answer, when this message is a short follow-up to it (no
    order named, no fault told, not the answer to a question the bot asked); else None."""
    subject = turn.dialogue.subject_in_play()
    if (
        subject is None
        or context.length(text) > _FOLLOW_UP_WORDS
        or turn.parse.orders
        or context.DEFECT.search(text)
        or _answers_the_question(turn)
    ):
        return None
    return subject


def on_the_subject(turn: Turn) -> context.Reading | None:
    """A short follow-up read against what the last answer was about: the knowledge-base
    entry it leads to that answers it ("i paid with paypal" after the refund answer: the
    PayPal refund; "多久能开好" after the invoice: when it is issued; "能不能两个一起发"
    after two orders' status: sending them together), or None to read it afresh."""
    text = turn.message.text.strip()
    subject = _short_follow_up(turn, text)
    if subject is None:
        return None
    # "saturday ok?" names a day and asks if it will do, whatever its "ok" sounds like.
    same = _same_question_new_day(turn, subject)
    if same is not None:
        return context.Reading(same.intent, entry=same.id)
    # "who pays postage" right after a price: that price's postage (delivery's, or sending
    # it back), not the entry nearest to "postage".
    priced = _same_postage(turn, subject, text)
    if priced is not None:
        return context.Reading(priced.intent, entry=priced.id)
    # "i dont see it", "还没看到发票啊" after an answer on where something is: when it gets
    # there (whatever the act reader makes of "not seen", it is no missing parcel).
    appears = _when_it_appears(turn, subject, text)
    if appears is not None:
        return context.Reading(appears.intent, entry=appears.id)
    # "who do i talk to about the discount?", "折扣的事找谁谈" right after an answer that says
    # whom to ask (the business sales team, a person): that answer, not an entry nearer the
    # words (a student discount) nor "not sure".
    contact = _contact_of_the_subject(turn, subject, text)
    if contact is not None:
        return context.Reading(contact.intent, entry=contact.id)
    # "多久能开出来", "when is it issued then", "那啥时候有": a time question that brings no
    # topic of its own is the time of what the last answer was about.
    timed_entry = _time_of_the_subject(turn, subject, text)
    if timed_entry is not None:
        return context.Reading(timed_entry.intent, entry=timed_entry.id)
    still = _still_nothing(turn, subject, text)
    if (
        context.read_act(turn, text) in _NOT_FOLLOW_UPS
        and not _money_of_the_charge(turn, subject, text)
        and not still
    ):
        # (A question of what the answer already says is that, whatever the act reader
        # hears in it: "and is there a time limit on spending them" is no complaint.)
        return _said_already(turn, subject, text)
    knowledge = turn.deps.knowledge
    candidates, listed = leads_to(subject, knowledge)
    if still:
        # "试过了 还是没有" after what to try: the answer's own next step for it not working
        # (its follow-up that only follows, not one of how long it takes), however few of
        # its words are said.
        step = next(
            (
                e
                for e in map(knowledge.entry, listed)
                if e and e.only_follows and TIME_TAG not in e.tags
            ),
            None,
        )
        if step is not None:
            return context.Reading(step.intent, entry=step.id)
        last = knowledge.entry(subject.entry) if subject.entry is not None else None
        if last is not None and last.only_follows and TIME_TAG not in last.tags:
            # "still no code" after the last step there is: a person, not an entry nearer
            # its words (the phone number changed).
            return context.Reading(last.intent, detail=STILL_FAILING)
        # ("still nothing" asks no time: not the entry of how long it takes.)
        candidates = [i for i in candidates if TIME_TAG not in _tags(knowledge, i)]
        listed = tuple(i for i in listed if TIME_TAG not in _tags(knowledge, i))
    preferred = [listed]
    timed: tuple[str, ...] = ()
    if context.read_act(turn, text) is Act.ASK_HOW_LONG:
        # "how long?", "要多久啊": the subject's time first (the invoice's, the charge's),
        # which needs only cover the question (a bare one is like no entry's words).
        timed = tuple(i for i in candidates if TIME_TAG in _tags(knowledge, i))
        preferred.append(timed)
    entry = knowledge.follow_up(
        text, candidates, preferred=tuple(preferred), covering=timed, listed=listed
    )
    if entry is None and still:
        # "been 20 min, nothing" after how to reset the password: its first follow-up (the
        # e-mail that has not come); after the last step there is (an only-follows entry,
        # or one leading nowhere), a person, not the same answer again.
        last = knowledge.entry(subject.entry) if subject.entry is not None else None
        if listed and not (last is not None and last.only_follows):
            first = knowledge.entry(listed[0])
            if first is not None:
                return context.Reading(first.intent, entry=first.id)
        intent = last.intent if last is not None else turn.parse.intent
        return context.Reading(intent, detail=STILL_FAILING)
    if entry is None:
        # "do they expire?", "会过期吗" after how points work: what that answer said of it,
        # pointed at (not the gift cards' expiry, whose entry is nearest the words).
        return _said_already(turn, subject, text)
    if _weekday_for_weekend(entry, text):
        return None
    return context.Reading(entry.intent, entry=entry.id)


# A follow-up that points back at what the answer was about: "do they expire?", "can i
# use it online", "它会过期吗"; or, in Chinese, asks with no subject at all ("会过期吗").
_REFERS_BACK = re.compile(
    r"\b(?:it|its|they|them|their|those|these|that|this|one|ones)\b|它|这些|那些|这个|那个|"
    r"^\W*(?:会|能|可以|要|还|也|是不是|有没有|有)",
    re.IGNORECASE,
)
# A request to act, not a question about what was said: "can you open a case for it please",
# "帮我查一下".
_ASKS_TO_ACT = re.compile(
    r"^\W*(?:(?:ok|okay|so|then|and)[\s,]+)?(?:can|could|would|will) (?:you|u) (?!tell\b)|"
    r"\b(?:please|pls|plz)\b|帮我|麻烦|给我|请你",
    re.IGNORECASE,
)


def _said_already(turn: Turn, subject: Subject, text: str) -> context.Reading | None:
    """The reading of a follow-up pointing back at the answer just given that asks about
    nothing that answer does not already say (its part pointed at, ``SAID``); else None."""
    if subject.entry is None or not subject.shown or not is_question(text):
        return None
    knowledge = turn.deps.knowledge
    if _ASKS_TO_ACT.search(text):
        return None
    if (
        _REFERS_BACK.search(text) is None
        and not knowledge.names_only(subject.entry, text)
        and not asks_of_answer(text)
    ):
        return None  # "how much is delivery" after the points: a subject of its own
    entry = knowledge.entry(subject.entry)
    if entry is None or not knowledge.said_in(entry.id, text, turn.language):
        return None
    return context.Reading(entry.intent, entry=entry.id, detail=SAID)


async def said_again(turn: Turn, entry_id: str) -> list[Reply]:
    """The sentences of the answer just given that say what the follow-up asks, pointed at
    ("As I said: Points never all expire at once: ...")."""
    sentences = turn.deps.knowledge.said_in(entry_id, turn.message.text, turn.language)
    if not sentences:
        return await answer_on_the_subject(turn, entry_id)
    joiner = "" if turn.language == "zh" else " "
    turn.answered_from(entry_id)  # still what a next follow-up is about
    return [turn.reply("said_already", said=joiner.join(sentences))]


# "Still nothing", "还是没有": what the answer said to try did not work, whatever the act
# reader makes of it (a refund not come, a no).
_STILL_NOTHING = re.compile(
    r"\bstill (?:nothing|no\b|not\b|none|hasn'?t|hasnt|isn'?t|doesn'?t|didn'?t)|"
    r"\bnothing (?:came|come|yet|arrived|at all|so far)\b|\bno luck\b|"
    r"还是(?:没有|没|不行|收不到|没收到|不来)|依然没|仍然没|也没有$|都没有$|"
    # The wait said instead: "been 20 min, nothing", "its been half an hour and no email",
    # "waited like an hour", "nothing yet", "还没收到啊", "等了二十分钟了", "都半小时了".
    r"\b(?:been|waited|waiting)\b(?:\s+\w+){0,3}?\s+(?:\d+\s*|an?\s+|half an?\s+|a few\s+|"
    r"few\s+|(?:ten|fifteen|twenty|thirty|forty|fifty)\s+)(?:min(?:ute)?s?|hours?|hrs?)\b|"
    r"\bnothing yet\b|\bno (?:e-?mails?|mails?|codes?|texts?|sms|links?) (?:yet|still|at all)\b|"
    r"还没(?:收到|来|到|有)|一直没(?:收到|来|到)|"
    r"(?:等了|都|已经|这都)[^，。,！!？?]{0,6}(?:分钟|小时|钟头|半天|好久)",
    re.IGNORECASE,
)
# What makes "still nothing" about money or a parcel.
_OF_MONEY_OR_PARCEL = re.compile(
    MONEY.pattern + r"|\b(?:parcel|package|delivery|order|item|card|account balance)\b|"
    r"包裹|快递|货|订单|银行",
    re.IGNORECASE,
)


def _still_nothing(turn: Turn, subject: Subject, text: str) -> bool:
    """True for "still nothing", "试过了 还是没有" right after an answer on something to try
    that is not about money nor a parcel (a text's code, an e-mail): its follow-up."""
    if subject.entry is None or not _STILL_NOTHING.search(text):
        return False
    if _OF_MONEY_OR_PARCEL.search(text):
        return False
    entry = turn.deps.knowledge.entry(subject.entry)
    return entry is not None and not _OF_MONEY_OR_PARCEL.search(" ".join(entry.tags))


# Who to take it up with: "who do i talk to about that", "who should i contact", "找谁谈",
# "该联系谁", "跟谁说".
_WHO_TO_ASK = re.compile(
    r"\bwho (?:do|should|can|would|shall) (?:i|we) (?:talk|speak|write|go|ask|contact|e-?mail|"
    r"message|call|reach)\b|\bwho (?:to|should i) (?:talk|speak|contact|ask|write)\b|"
    r"\bwho (?:handles|deals with|sorts)\b|\bhow (?:do|can) (?:i|we) (?:contact|reach|get hold of) "
    r"(?:them|someone|somebody|the team|that team)\b|"
    r"找谁|联系谁|问谁|(?:跟|和|同)谁(?:谈|说|聊|联系|沟通|对接)|谁(?:负责|来谈|对接)|怎么联系(?:他们|对方)?",
    re.IGNORECASE,
)
# An answer that says whom to ask: a person, a team, an e-mail address.
_NAMES_CONTACT = re.compile(
    r"\b(?:a person|our (?:\w+ )?(?:team|sales team)|e-?mail)\b|@|转人工|客服|团队|邮件|邮箱", re.I
)


def _contact_of_the_subject(turn: Turn, subject: Subject, text: str) -> FaqEntry | None:
    """The last answer's entry, for "who do i talk to about the discount?" when that answer
    says whom to ask; None otherwise (or when the message names an order)."""
    if subject.entry is None or _WHO_TO_ASK.search(text) is None or turn.parse.orders:
        return None
    entry = turn.deps.knowledge.entry(subject.entry)
    if entry is None or _NAMES_CONTACT.search(entry.answer(turn.language)) is None:
        return None
    return entry


def _weekday_for_weekend(entry: FaqEntry, text: str) -> bool:
    """True when a weekend entry was found for a message naming only working days: "and if i
    order now, by wednesday?" asks whether it arrives by then (read afresh), not about
    Sunday delivery, which "and sundays?" asks."""
    days = days_named(text)
    return WEEKEND_TAG in entry.tags and bool(days) and max(days) < 5


def _money_of_the_charge(turn: Turn, subject: Subject, text: str) -> bool:
    """True for "钱啥时候退回来", "when is my money back" right after a payment problem
    (a charge taken twice): the money asked after is that charge's, not a refund that has
    not come after a return."""
    entry = turn.deps.knowledge.entry(subject.entry) if subject.entry is not None else None
    return (
        entry is not None
        and entry.intent == "ask_payment"
        and context.read_act(turn, text) is Act.REFUND_NOT_RECEIVED
        and ASKS_WHEN.search(text) is not None
    )


# Tags of entries that give a price, and of those about sending something back.
PRICE_TAG = "price"
RETURNS_TAG = "returns"
DELIVERY_TAG = "delivery"


def _same_postage(turn: Turn, subject: Subject, text: str) -> FaqEntry | None:
    """The price the last answer gave or leads to, for a short question on postage ("and
    who pays postage on that" after the delivery prices: those prices; "do i pay the
    postage?" after the exchange answer: the return's postage it lists as a follow-up),
    not the entry nearest to "postage". A message that turns from delivery to sending back
    is not about the delivery prices."""
    if subject.entry is None:
        return None
    knowledge = turn.deps.knowledge
    entry = knowledge.entry(subject.entry)
    if entry is None or not _asks_postage(knowledge, entry, text):
        return None
    own = (entry.id,) if subject.shown else ()
    for entry_id in (*own, *entry.follow_ups):
        tags = _tags(knowledge, entry_id)
        if PRICE_TAG not in tags:
            continue
        if RETURNS_TAG not in tags and RETURN.search(text):
            return None  # "and if i send it back?" after the delivery prices: the return's
        return knowledge.entry(entry_id)
    return None


# What sending costs, in any wording: "postage", "do i have to pay to ship it back", "is the
# delivery charge on me", "快递费谁付", "寄回去要钱吗".
_POSTAGE_WORDS = re.compile(
    r"\b(?:shipping|postage|posting|delivery|courier|carriage)\b|"
    r"\bship(?:ping)? (?:it |them )?back\b|"
    r"\b(?:send|post|mail)(?:ing)? (?:it |them |this )?back\b|"
    r"运费|邮费|快递费|寄费|邮寄费|配送费|包邮|寄回|退回去|寄过来|发货费",
    re.IGNORECASE,
)
# Who pays, in any wording: "who pays", "who covers that", "is it on me", "do i pay",
# "free?", "谁出", "要我付吗", "要钱吗", "收费吗".
_WHO_PAYS = re.compile(
    r"\bwho (?:pays|covers|foots|is paying|pays for|covers the cost of)\b|"
    r"\b(?:on me|on you|my cost|your cost|for free|free\b)|"
    r"\b(?:do|will|would|should|must|shall) (?:i|we) (?:have to |need to |gotta )?pay\b|"
    r"\bpay (?:for|to)\b|\b(?:i|we) (?:have|need) to pay\b|"
    r"\bcharge(?:d)? (?:me|for)\b|"
    r"\bcost(?:s)? (?:me )?(?:anything|extra|money)\b|"
    # Paying on top, or free: "do i pay extra", "any extra fee", "that free?", "is it free".
    r"\b(?:pay|paying|charge|charged|cost|costs) (?:anything |something |a bit )?(?:extra|more)\b|"
    r"\bextra (?:fee|charge|cost|costs|money)\b|\b(?:that|it|this|is it|is that) free\b|"
    r"谁(?:来)?(?:出|付|承担|负责|掏)|(?:要|让)我(?:来)?(?:出|付|承担)|我(?:来)?(?:出|付|承担)(?:吗|嘛|么)|"
    r"要钱|收钱|收费|花钱|免费|加钱|(?:额外|另外|还要|还得|要|得)(?:再)?(?:付|交|出|掏|加)(?:钱|费|运费)|"
    r"(?:额外|另外)(?:收|加|付)|多收|多付|补(?:钱|差价)",
    re.IGNORECASE,
)


# Words beside a who-pays question that add no subject: "do i have to pay *extra*",
# "要*额外*付钱吗" (not "the extra charge" of a card, which names no price in play).
_ON_TOP = re.compile(
    r"\b(?:extra|more|additional|anything|something|on top|as well|too|also)\b|额外|另外|还要|再",
    re.IGNORECASE,
)


def _asks_postage(knowledge: KnowledgeBase, entry: FaqEntry, text: str) -> bool:
    """True when a short follow-up asks what sending costs or who pays it: postage named
    ("and shipping?", "快递费谁付"), or who pays with nothing of its own beyond the answer
    ("who covers that" after the delivery prices)."""
    if context.POSTAGE.search(text) or (_POSTAGE_WORDS.search(text) and _WHO_PAYS.search(text)):
        return True
    if not _WHO_PAYS.search(text):
        return False
    rest = _ON_TOP.sub(" ", _WHO_PAYS.sub(" ", _POSTAGE_WORDS.sub(" ", text)))
    return not knowledge.new_words(rest, (entry.id, *entry.follow_ups))


def asks_postage(text: str) -> bool:
    """True when the words ask what sending costs or who pays it ("is the delivery on
    me this time", "这次邮费谁来付", "do i pay to send it back"), whatever answer came before."""
    if context.POSTAGE.search(text):
        return True
    return _POSTAGE_WORDS.search(text) is not None and _WHO_PAYS.search(text) is not None


def postage_on_the_subject(turn: Turn) -> context.Reading | None:
    """ "do i have to pay to ship it back" after a returns answer, "who covers that" after
    the delivery prices: the price the last answer gave or leads to (read before the
    readings of how to send something back, which would give the returns text again)."""
    text = turn.message.text.strip()
    subject = _short_follow_up(turn, text)
    if subject is None:
        return None
    priced = _same_postage(turn, subject, text)
    return None if priced is None else context.Reading(priced.intent, entry=priced.id)


def _time_of_the_subject(turn: Turn, subject: Subject, text: str) -> FaqEntry | None:
    """For a when / how long question that names nothing the last answer's entries do not
    ("多久能开出来", "那啥时候有", "when do i get it" after the invoice), the entry of those
    that says how long (its own when it was the answer, else the first follow-up tagged
    ``time``); None when the question brings a topic of its own or no entry says how long.
    After an order's status the order's own readings answer (no entry then)."""
    if subject.entry is None or ASKS_WHEN.search(text) is None or context.PARCEL.search(text):
        return None
    knowledge = turn.deps.knowledge
    entry = knowledge.entry(subject.entry)
    if entry is None or DELIVERY_TAG in entry.tags:
        return None
    if MONEY.search(text) and not {"payment", "refund"} & set(entry.tags):
        return None  # "when do i get my money" after the invoice is no invoice question
    if knowledge.new_words(text, (entry.id, *entry.follow_ups)):
        return None
    own = (entry.id,) if subject.shown else ()
    for entry_id in (*entry.follow_ups, *own):
        if TIME_TAG in _tags(knowledge, entry_id):
            return knowledge.entry(entry_id)
    return None


# "i don't see it", "can't find it", "where is it", "where then", "找不到", "还没看到发票啊":
# what the last answer said where to find has not appeared.
_NOT_SEEN = re.compile(
    r"\b(?:don'?t|dont|do not|can'?t|cant|cannot|couldn'?t|could not|didn'?t|didnt) "
    r"(?:see|find|locate|get to|download)\b|"
    r"\b(?:not|isn'?t|isnt|aren'?t|nothing) (?:there|showing|visible|appearing|in there)\b|"
    r"\bno sign of (?:it|them)\b|\bwhere (?:is|'s|are) (?:it|they|that)\b|"
    r"\bstill (?:nothing|not there|not showing|no sign|isn'?t there|missing)\b|"
    r"\bnothing (?:yet|there|showing)\b|\b(?:it'?s|its|it is) not there\b|"
    r"\bnot (?:there|showing|in there)(?: yet)?\b|"
    r"\bwhere (?:do|can|would|should) i (?:find|see|get|download)\b|"
    # A bare "where then", "where tho", "so where?": where that thing is, asked again.
    r"^\W*(?:(?:ok|okay|so|and|but)\W+)?where\W*(?:then|tho|though|now|exactly)?\W*$|"
    r"找不到|没找到|没看到|没看见|看不到|看不见|没有看到|不显示|没(?:有)?显示|没(?:有)?出来|"
    r"在哪(?:里|儿)?(?:看|找|下载|查|呢|啊|$)|哪里(?:看|找|下载|查)|"
    r"还(?:是)?没(?:有)?(?:啊|呀|呢|哦|$|[\s,，。!！?？])|(?:看|找|查|刷新)(?:了|过)(?:也|还)?没(?:有)?|"
    r"^没(?:有)?(?:啊|呀|呢)?[\s。!！?？]*$",
    re.IGNORECASE,
)


def _when_it_appears(turn: Turn, subject: Subject, text: str) -> FaqEntry | None:
    """For a short "not there / where is it" after an answer that leads to when its thing
    appears (the invoice: when it is issued), that entry: the subject's own when it says
    how long, else the first follow-up it lists that does. Not when the message names a
    parcel or an order ("i can't find my parcel" is the order's), nor after a delivery
    answer (what is not there is the parcel), nor when it says money or a parcel has not
    come (their own readings)."""
    if subject.entry is None or not _NOT_SEEN.search(text) or context.PARCEL.search(text):
        return None
    knowledge = turn.deps.knowledge
    entry = knowledge.entry(subject.entry)
    if entry is None or DELIVERY_TAG in entry.tags:
        return None
    # "still nothing" reads like money or a parcel not come; after an answer about neither
    # (the invoice), with no money named, it is that answer's thing.
    money = MONEY.search(text) or {"refund", "payment"} & set(entry.tags)
    if money and context.read_act(turn, text) in (Act.REFUND_NOT_RECEIVED, Act.NEVER_DELIVERED):
        return None
    steps = (knowledge.entry(i) for i in entry.follow_ups)
    if any(e and e.only_follows and TIME_TAG not in e.tags for e in steps):
        # "still nothing" after the checks for an e-mail: the answer's next step for it
        # not coming (on_the_subject), not how long it takes.
        return None
    own = (entry.id,) if subject.shown else ()
    for entry_id in (*own, *entry.follow_ups):
        if TIME_TAG in _tags(knowledge, entry_id):
            return knowledge.entry(entry_id)
    return None


# A message that names a thing and asks nothing of its own: "what about sundays", "and
# saturday?", "那周日呢", "礼拜天呢".
_ELLIPTICAL = re.compile(
    r"^(?:(?:ok|okay|right|so|hm+|oh)[\s,]+)?(?:and|n|what about|how about|wbu)\b|"
    r"^那|呢[\s?？。!！]*$",
    re.IGNORECASE,
)
# A day offered back and asked if it will do: "saturday ok?", "is saturday fine", "would
# sat work", "周六可以吗", "礼拜六行不".
_WILL_DO = re.compile(
    r"\b(?:ok|okay|fine|possible|work|works|alright|good|poss)\b|"
    r"可以|行(?:吗|不|么|嘛|吧|不行)?|能(?:吗|不)|成吗|ok吗",
    re.IGNORECASE,
)


def _same_question_new_day(turn: Turn, subject: Subject) -> FaqEntry | None:
    """The entry just answered again for a follow-up that names only another day its answer
    speaks of ("what about sundays" after weekend delivery: no Sunday delivery; "saturday
    ok?" after the collection of a return: collected Monday to Saturday), not another
    topic's answer about that day. The team's own hours on a day come from the business
    hours (context reads those), not from an entry."""
    if subject.entry is None or not subject.shown:
        return None
    entry = turn.deps.knowledge.entry(subject.entry)
    text = turn.message.text.strip()
    hours = turn.deps.hours
    if entry is None or (entry.intent == "ask_opening_hours" and hours and hours.windows):
        return None
    if DATES_TAG in entry.tags and _OCCASION.search(text) and context.length(text) <= 6:
        # "maybe around christmas?", "圣诞节前后呢" after "we don't announce sales ahead":
        # the same answer for that time too, not the team's holiday hours.
        return entry
    bare = not turn.deps.knowledge.new_words(without_days(text), (entry.id,))
    if not (_ELLIPTICAL.search(text) or _WILL_DO.search(text) or bare):
        return None
    answer = entry.answer(turn.language)
    if holiday_named(text) and context.length(text) <= 6:
        # "what about bank holidays", "节假日呢": the same answer when it speaks of them.
        said = _HOLIDAYS_SAID.get(turn.language, _HOLIDAYS_SAID["en"])
        return entry if said in answer.lower() else None
    days = days_named(text)
    if not days or context.length(text) > 6:
        return None
    names = _WEEKDAYS_EN if turn.language == "en" else tuple(f"周{d}" for d in _WEEKDAYS_ZH)
    spoken = [d for d, name in enumerate(names) if name.lower() in answer.lower()]
    # The day named, or days the answer gives as a range ("Monday to Saturday": not Sunday).
    return entry if all(d in spoken for d in days) or len(spoken) >= 2 else None


# The tag of entries whose answer is the same for any date or occasion asked next (sales are
# not announced ahead: not before Christmas either).
DATES_TAG = "dates"
# A time of year or an occasion: "around christmas", "black friday", "next month", "双十一",
# "圣诞节前后", "过年".
_OCCASION = re.compile(
    r"\b(?:christmas|xmas|new year|easter|black friday|cyber monday|boxing day|thanksgiving|"
    r"valentine'?s?|mother'?s day|father'?s day|summer|winter|spring|autumn|fall|halloween|"
    r"the holidays|holiday season|next (?:week|month|year)|end of (?:the )?(?:month|year))\b|"
    r"双十一|双11|双十二|双12|618|黑五|圣诞|元旦|新年|春节|过年|年底|年末|国庆|五一|中秋|"
    r"下个?月|月底|暑假|寒假|情人节|年货节",
    re.IGNORECASE,
)
# How an answer says it speaks of public holidays.
_HOLIDAYS_SAID = {"en": "holiday", "zh": "节假日"}


def delivery_in_play(turn: Turn) -> bool:
    """True when the last answer was about delivering an order ("能放快递柜吗" next is about
    where it is delivered, not where a return is dropped off) and the message says nothing
    of sending anything back."""
    subject = turn.dialogue.subject_in_play()
    entry = turn.deps.knowledge.entry(subject.entry) if subject and subject.entry else None
    delivery = turn.dialogue.topic == "ask_delivery" or (
        entry is not None and entry.intent == "ask_delivery"
    )
    return delivery and _SENDS_BACK.search(turn.message.text) is None


_SENDS_BACK = re.compile(
    r"\breturn|\bsend (?:it |them |this )?back|\bpost (?:it |them )?back|退|寄回|寄还", re.I
)


def _answers_the_question(turn: Turn) -> bool:
    """True when the message answers what the bot asked: the new address it asked for, or
    "i don't have it" to the order number; not a follow-up on the subject."""
    asked = turn.dialogue.asked
    if asked is None:
        return False
    if asked.question is Question.ADDRESS:
        return True
    return (
        asked.question is Question.ORDER_NUMBER
        and context.read_act(turn, turn.message.text.strip()) is Act.NO_ORDER_NUMBER
    )


def _tags(knowledge: KnowledgeBase, entry_id: str) -> tuple[str, ...]:
    entry = knowledge.entry(entry_id)
    return entry.tags if entry is not None else ()


async def still_failing(turn: Turn) -> list[Reply]:
    """ "still nothing", "都半小时了" after the last step the knowledge base gives for it
    (the e-mail or code checked for, sent again): sorry, and a person offered, who can
    confirm the account and send it by hand."""
    turn.outcome.unresolved = True
    return [turn.offer_human("still_failing")]


async def answer_on_the_subject(turn: Turn, entry_id: str) -> list[Reply]:
    """The answer of the entry the follow-up was read against."""
    entry = turn.deps.knowledge.entry(entry_id)
    if entry is None:
        return await inquiry.answer(turn)
    return await inquiry.answer_from(turn, entry)


# A bare "why": "how come?", "why not", "y", "为啥", "为什么不行", "咋就不能改了", "怎么会这样".
_BARE_WHY = re.compile(
    r"^\W*(?:but |so |ok |and )?(?:why|how come|whys that|why's that|why not|how so|"
    r"what'?s the reason|whats the reason)\b|^\W*y\W*$|"
    r"^\W*(?:那|可是|但是)?(?:为啥|为什么|凭什么|咋就|怎么就|怎么会|咋会|怎么回事|咋回事|什么原因|啥原因|咋)",
    re.IGNORECASE,
)


def asks_bare_why(text: str) -> bool:
    """True for a short bare "why": "how come?", "y", "为啥", "怎么会这样"."""
    text = text.strip()
    return _BARE_WHY.search(text) is not None and len(text) <= 40


def asks_why_shipped(turn: Turn) -> bool:
    """True for "how come?", "为啥不行" right after the bot said a change to an order can't
    be made because it has shipped (a cancel, express, a new address)."""
    text = turn.message.text.strip()
    return (
        turn.dialogue.told_just_now(Told.SHIPPED_REFUSAL)
        and turn.order_in_play is not None
        and _BARE_WHY.search(text) is not None
        and len(text) <= 40
    )


async def why_shipped(turn: Turn) -> list[Reply]:
    """The reason, said once: the parcel is in the carrier's hands, out of our warehouse, so
    only the carrier can change it now (not the refusal again, not a person)."""
    number = turn.order_in_play or "-"
    order = await inquiry.find_order(turn, number)
    carrier = (order.carrier if order is not None else None) or "-"
    return [turn.reply("why_shipped", order=number, carrier=carrier)]


# The reason asked for: "why?", "how come", "why not", "为啥", "咋回事", "什么原因".
_ASKS_WHY = re.compile(
    r"\bwhy\b|\bhow come\b|\bwhy'?s that\b|\bwhat'?s the reason\b|\bwhats the reason\b|"
    r"为什么|为啥|凭什么|咋回事|怎么回事|什么原因|啥原因|咋就|怎么就|咋会|怎么会",
    re.IGNORECASE,
)


def why_entry(turn: Turn) -> FaqEntry | None:
    """The entry the last answer was about, when a short follow-up asks why ("why tho",
    "how come?", "为啥啊", "咋回事") bringing nothing of its own beyond that answer
    ("为什么不能退" after the returns text), whether or not the entry says why (``why``
    answers honestly when it does not); None otherwise."""
    subject = turn.dialogue.subject_in_play()
    text = turn.message.text.strip()
    if (
        subject is None
        or subject.entry is None
        or _ASKS_WHY.search(text) is None
        or context.length(text) > 8
        or turn.parse.orders
        or context.DEFECT.search(text)
    ):
        return None
    knowledge = turn.deps.knowledge
    entry = knowledge.entry(subject.entry)
    if entry is None:
        return None
    if knowledge.new_words(_ASKS_WHY.sub(" ", text), (entry.id,)):
        return None
    return entry


async def why(turn: Turn, entry_id: str) -> list[Reply]:
    """The reason the entry gives; the subject stays that entry. An entry that gives none
    ("why?" after how to change an e-mail): said honestly, and a person offered who can
    explain (never the answer again, nor the open case's status)."""
    entry = turn.deps.knowledge.entry(entry_id)
    if entry is None:
        return await inquiry.answer(turn)
    turn.answered_from(entry.id, shown=False)
    reason = entry.why(turn.language)
    if reason is None:
        # "how come it takes that long" after the Alipay refund's answer: the reason of the
        # answer it follows up (the refund's time, which lists it under follow_ups).
        parent = next(
            (
                e
                for e in turn.deps.knowledge.entries
                if entry.id in e.follow_ups and e.why(turn.language) is not None
            ),
            None,
        )
        reason = parent.why(turn.language) if parent is not None else None
    if reason is None:
        return [turn.offer_human("why_unknown")]
    return [Reply(reason)]


# When the parcel gets to the customer, not when it leaves: "when will it arrive", "when
# does it get to me", "啥时候能到", "几号能收到".
_ARRIVES = re.compile(
    r"\barriv\w*|\bget (?:here|to me|to my|it)\b|\bi (?:get|receive) it\b|\breach(?:es)? me\b|"
    r"\bdeliver\w*|\bcome\b|\bbe (?:here|with me)\b|"
    r"能到|送到|收到|到货|到手|送达|到我|到家",
    re.IGNORECASE,
)
# The day asked for in other words: "几号能收到", "which day will it come", "by when".
_ARRIVAL_DAY = re.compile(r"\b(?:what|which) day\b|\bby when\b|几号|哪天|哪一天|星期几|周几", re.I)


def asks_arrival(turn: Turn) -> bool:
    """True for "when will it actually arrive", "啥时候能到" right after the status of an order
    not shipped yet (which gave only the day it leaves the warehouse)."""
    text = turn.message.text
    subject = turn.dialogue.subject_in_play()
    return (
        subject is not None
        and turn.order_in_play is not None
        and turn.order_in_play in subject.orders
        and bool(ASKS_WHEN.search(text) or _ARRIVAL_DAY.search(text))
        and _ARRIVES.search(text) is not None
        and _short(text)
        and context.DEFECT.search(text) is None
        and not MONEY.search(text)
    )


async def arrival(turn: Turn) -> list[Reply]:
    """The expected arrival of an order not shipped yet: its ship-by day and standard
    delivery after it; any other order (shipped, late, dateless) gets its status again.
    Asked of both orders ("and when do both get here"): each one's."""
    return await inquiry.each_order(turn, _arrival)


async def _arrival(turn: Turn) -> list[Reply]:
    found = await _dated_order(turn)
    if isinstance(found, list):
        return found
    order, eta = found
    if order.status != "processing":
        return await inquiry.order_status(turn, follow_up=True)
    # Standard delivery once it has left the warehouse (config conversation.shipping).
    first, last = (working_days_after(eta, n) for n in turn.deps.shipping.standard_days)
    turn.outcome.statused.add(order.number)
    return [
        turn.reply(
            "order_arrival_after_dispatch",
            order=order.number,
            ships=format_day(eta, turn.language),
            first=format_day(first, turn.language),
            last=format_day(last, turn.language),
        )
    ]
