"""The requests in one message, each with its own parse, and order numbers as shops write them."""

from __future__ import annotations

import re
from dataclasses import replace

from handlers import (
    advice,
    cancel,
    combine,
    context,
    corrected,
    declined,
    delivery_options,
    escalation,
    faults,
    feedback,
    followups,
    hours,
    hurry,
    inquiry,
    instructions,
    invoice,
    lost_parcel,
    other_way,
    pair,
    pay_trouble,
    products,
    proposals,
    questions,
    reach_back,
    refund_route,
    refund_wait,
    remedy,
    returns,
    sarcasm,
    security,
    service,
)
from handlers.catalogue import CatalogueError, distinct_choice, product_phrase
from handlers.clauses import MAX_REQUESTS, clauses, ideographs, is_rant, strip_greeting
from handlers.complaint import needs_it_by, no_order_payment, other_order_trouble
from handlers.dialogue import Question
from handlers.inquiry import asks_free_express
from handlers.knowledge import asks_new_order_time
from handlers.orders import OrderLookupError
from handlers.parts import broken_bought
from handlers.products import asks_stock_or_price, not_as_shown
from handlers.turn import Deps, Turn
from handlers.wording import ANOTHER_ORDER, RHETORICAL, VENTING
from nlu import FALLBACK, Entity, NluEngine, ParseResult

# Intents that set the topic follow-ups are read against ("how long?", "why?").
SMALL_TALK = {
    "greet",
    "goodbye",
    "thanks",
    "affirm",
    "deny",
    FALLBACK,
}
SPLIT_CONFIDENCE = 0.45
PRODUCT_AVAILABILITY = "ask_product_availability"
PRODUCT_INFO = "ask_product_info"
# Requests an order named elsewhere in the same message belongs to.
ORDER_INTENTS = {
    "ask_order_status",
    "complaint",
    "request_human",
    "ask_returns_refunds",
    "ask_delivery",
}


# The topics a wish about a problem ("i want my money back") reads as on its own.
_REMEDY_INTENTS = frozenset({"ask_returns_refunds", "ask_payment", FALLBACK})

_REQUESTING = re.compile(
    r"\b(?:i need|i want|i'?d like|can i get|send me|give me)\b|帮我|给我|我要|麻烦", re.I
)


# Being ready to pay for what was just asked ("could you ship it next day instead? willing to
# pay", "加急吧 加钱也行"): part of that request, not a question about ways to pay.
_WILLING_TO_PAY = re.compile(
    r"^\W*(?:(?:i'?m|im|i am|we'?re|happy|ok|okay|fine|i'?d be|id be)\s+)*"
    r"(?:willing|happy|ready|glad|ok|okay|fine)?\s*(?:to\s+)?(?:pay|paying)"
    r"(?:\s+(?:extra|more|for it|the (?:extra|difference|fee)|whatever))*\W*$|"
    r"^\W*(?:i )?(?:don'?t|dont|do not) mind paying(?:\s+(?:extra|more|for it))?\W*$|"
    r"^\W*i'?ll pay(?:\s+(?:extra|more|for it|the difference))?\W*$|"
    r"^\W*(?:加钱|多付点?钱?|多花点?钱|我(?:来)?(?:出|付)(?:钱|运费)?)(?:也)?(?:行|可以|没(?:关系|问题|事)|都行)?\W*$|"
    r"^\W*(?:愿意|可以)(?:加钱|多付|付钱)\W*$",
    re.IGNORECASE,
)


def _aside(part: str, parse: ParseResult) -> bool:
    """A "complaint" clause beside other requests that names no problem ("the oven is like
    600"): more words for its neighbour, not a case to open."""
    return (
        parse.intent == "complaint"
        and parse.entity("order_number") is None
        and not context.DEFECT.search(part)
        # "收据丢了 能补开吗": the receipt is what is asked about, however glum.
        and (parse.sentiment > -0.3 or context.names_papers(part))
    )


# "A-8830怎么回事", "what's going on with 88231": an order named with "what's up", no request
# of its own; the clause after it ("还没到") says what the question is.
_WHATS_UP = re.compile(
    r"怎么回事|咋回事|怎么了|咋了|什么情况|啥情况|搞什么|\bwhat'?s (?:going on|up|happening)"
    r"(?: with)?\b|\bwhat happened(?: to| with)?\b|\bany news (?:on|about)\b|\b(?:hi|hey|so|um|uh|"
    r"erm|ok|okay|order|my|the|re|regarding|about)\b|订单(?:号)?|我的|那个|这个|请问|[啊呀呢吧哈嘛哦喂]",
    re.IGNORECASE,
)


# "why", "what's going on", "怎么回事" said after a problem: asking about that problem.
_WHY_ONLY = re.compile(
    r"怎么回事|咋回事|怎么了|咋了|什么情况|啥情况|为什么|为啥|搞什么|\bwhat'?s (?:going on|up|"
    r"happening)\b|\bwhy\b|\bhow come\b|\bwtf\b|\bseriously\b",
    re.IGNORECASE,
)
_PARTICLES = re.compile(r"[啊呀呢吧哈嘛哦喂]|\b(?:so|like|then|tho|though|ok)\b", re.IGNORECASE)


def _asks_why_only(part: str) -> bool:
    """True for a clause that only asks why or what is going on ("怎么回事", "wtf??")."""
    if _WHY_ONLY.search(part) is None:
        return False
    return not any(c.isalnum() for c in _PARTICLES.sub(" ", _WHY_ONLY.sub(" ", part)))


def _names_an_order_only(part: str, parse: ParseResult) -> bool:
    """True for a clause that is an order number and "what's up" words only ("A-8830怎么回事")."""
    orders = parse.orders
    if not orders:
        return False
    rest = part
    for order in orders:
        rest = rest.replace(order.text, " ")
    return not any(c.isalnum() for c in _WHATS_UP.sub(" ", rest))


# "订单是8812345", "order no is 61007", "its A-1001": the order given, nothing asked.
_GIVES_ORDER = re.compile(
    r"\b(?:the|my|its?|it'?s|order|no|number|num|is|was|was for|from|for|on|ref|#)\b|"
    r"订单(?:号|编号)?|单号|是|为|[:：#.,，。]",
    re.IGNORECASE,
)


def _gives_order_only(part: str, parse: ParseResult) -> bool:
    """True for a clause that only gives the order number ("订单是8812345"): beside a
    complaint, it is what the case is about, not a status question of its own."""
    rest = part
    for order in parse.orders:
        rest = rest.replace(order.text, " ")
    return bool(parse.orders) and not any(c.isalnum() for c in _GIVES_ORDER.sub(" ", rest))


def _order_for_complaint(part: str, parse: ParseResult) -> bool:
    """True for a clause beside a complaint that names the order and asks nothing about it
    ("order no is A-3002", "订单A-3002 刚到的"): the complaint's order."""
    if _gives_order_only(part, parse):
        return True
    return (
        bool(parse.orders)
        and parse.intent in ("ask_order_status", "ask_delivery")
        and not questions.is_question(part)
        and not _REQUESTING.search(part)
    )


def _for_the_cancel(part: str, parse: ParseResult) -> bool:
    """Beside a request to cancel, a clause that says why ("got the wrong size") or asks
    whether the order has left ("it hasnt shipped yet has it"): words for the cancel, whose
    answer says where the order is."""
    if context.wants_cancel(part, parse.intent):
        return False
    return context.cancel_reason(part) or (
        parse.intent in ("ask_order_status", "ask_delivery")
        and parse.entity("order_number") is None
        and context.asks_if_shipped(part)
    )


# A question with no subject of its own, asked of the clause before it: "用过一次了 还能退吗",
# "我想退个东西 怎么弄", "lost the receipt. is that a problem?", "opened it, can i still
# return it": one request, not a second answer about whatever the last one was.
_ASKS_OF_IT = re.compile(
    r"^(?:(?:so|and|but|then|ok|okay)[\s,]+)*(?:is (?:that|it|this) (?:ok(?:ay)?|a problem|"
    r"fine|an issue|allowed|still ok(?:ay)?)|(?:does|will) (?:that|it|this) (?:matter|"
    r"be a problem|be ok(?:ay)?)|is that gonna be a problem|"
    r"(?:can|could) i still (?:return|send|do) (?:it|them|that)(?: back)?|"
    r"(?:can|could) i still|still ok(?:ay)?|how do i do (?:that|it)|how does that work)\W*$|"
    r"^(?:那|这样|这种)?(?:还)?(?:能|可以|能不能|可不可以)(?:退|退货|退吗|换|换货)?(?:吗|不|么|嘛|吧)?\W*$|"
    r"^(?:那|这样)?(?:还)?(?:能退|可以退|能换|可以换|能补开|能补|能重开|可以补开?|可以重开)"
    r"(?:吗|不|么|嘛|吧)?\W*$|"
    r"^(?:那|这样|这种)?(?:行|可以|有问题|没问题|有影响|影响|要紧)(?:吗|不|么|没)\W*$|"
    r"^(?:那|那我|我)?(?:该)?(?:怎么弄|咋弄|怎么搞|咋搞|怎么操作|咋操作|怎么做|咋整)(?:呢|啊|呀)?\W*$|"
    # "卡过期了 怎么更新", "old card, how do i change it": doing it to what the clause before named.
    r"^(?:那|那我|我)?(?:要|该)?(?:怎么|咋|如何)(?:更新|换|更换|改|修改|删|删除|删掉|解绑|算|计算)(?:呢|啊|呀|一下|的)?\W*$|"
    r"^(?:(?:so|and|ok)[\s,]+)?how (?:do|can) i (?:update|change|replace|remove|delete) "
    r"(?:it|that|this|them)\W*$",
    re.IGNORECASE,
)


# A clause that only sets a condition for the question after it: "要是退了", "如果取消的话",
# "万一坏了" (English keeps "if ..." with its question when clauses are cut).
_CONDITION_FIRST = re.compile(
    r"^(?:如果|要是|假如|万一|若是|假设)[^。？！?!]*$|^[^。？！?!]{0,12}(?:要是|如果|假如)[^。？！?!]{0,10}"
    r"(?:了|的话)$|^[^。？！?!]{1,16}的话$"
)


def _asks_of_it(part: str, parse: ParseResult) -> bool:
    """True for a short question that asks of the clause before it and names nothing."""
    return (
        parse.entity("order_number") is None
        and parse.entity("product") is None
        and _ASKS_OF_IT.search(part.strip()) is not None
    )


def _product_told(part: str, parse: ParseResult) -> bool:
    """True for a product question by the engine's reading that asks nothing: "收到个烤面包机",
    "its a toaster not the kettle" (a statement, no request in it)."""
    return (
        parse.intent in (PRODUCT_AVAILABILITY, PRODUCT_INFO)
        and not questions.is_question(part)
        and not _REQUESTING.search(part)
        and not asks_stock_or_price(part)
    )


def _no_request(part: str, parse: ParseResult, deps: Deps) -> bool:
    """True for a clause that asks nothing an answer could be given for on its own."""
    if parse.entity("order_number") is not None or parse.entity("product") is not None:
        return False
    if parse.intent == PRODUCT_AVAILABILITY:
        return product_phrase(part) is None
    return (
        parse.intent in context.KNOWLEDGE_TOPICS
        and not questions.is_question(part)
        and deps.knowledge.find(part) is None
    )


def _same_entry(turn: Turn, before: str, part: str, intent: str) -> bool:
    """True when the FAQ answers both parts with one entry: the same question twice."""
    if intent not in context.KNOWLEDGE_TOPICS:
        return False
    first = turn.deps.knowledge.find(before, intent=intent)
    return first is not None and first == turn.deps.knowledge.find(part, intent=intent)


def _one_invoice(turn: Turn, before: str, part: str, intent: str) -> bool:
    """True when both parts are answered by invoice entries: the invoice asked for, and the
    company's details for it, are one request answered once."""
    if intent not in context.KNOWLEDGE_TOPICS:
        return False
    found = [turn.deps.knowledge.find(text, intent=intent) for text in (before, part)]
    return all(entry is not None and _INVOICE_TAG in entry.tags for entry in found)


# The knowledge base's tag of its invoice entries.
_INVOICE_TAG = "invoice"


def _two_entries(turn: Turn, before: str, part: str, intent: str) -> bool:
    """True when the FAQ answers the two parts with two different entries, each close."""
    if intent not in context.KNOWLEDGE_TOPICS:
        return False
    first = turn.deps.knowledge.find(before, intent=intent)
    second = turn.deps.knowledge.find(part, intent=intent)
    return first is not None and second is not None and first != second


def _two_products(before: str, first: ParseResult, part: str, second: ParseResult) -> bool:
    """True when two clauses each name a product, and not the same one."""
    names = []
    for text, parse in ((before, first), (part, second)):
        entity = parse.entity("product")
        names.append(product_phrase(text) or (entity.value if entity else None))
    return None not in names and names[0] != names[1]


def _of_the_product_before(before: str, first: ParseResult, part: str, parse: ParseResult) -> bool:
    """True when the clause before is about a product ("吸尘器呢", "the kettle") and this one
    asks a product question ("啥时候补货", "how much") naming none: asked of that product."""
    products = (PRODUCT_AVAILABILITY, PRODUCT_INFO)
    entity = first.entity("product")
    if not (product_phrase(before) or entity or first.intent in products):
        return False
    if not asks_stock_or_price(part):
        return False  # "保几年" beside "电热毯有保修吗": a question of its own kind
    return product_phrase(part) is None and parse.entity("product") is None


# "how much is it", "and what does that cost", "那个多少钱": the price of what the clause
# before named.
_ITS_PRICE = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:how much|what(?:'s| is| does)?)\b.{0,12}\b(?:it|that|this|they|"
    r"them|those)\b.{0,10}$|^\W*(?:and\s+)?how much\W*$|^(?:那|这)?(?:个|它)?(?:要)?多少钱\W*$",
    re.IGNORECASE,
)


async def _sibling_named(
    turn: Turn, before: str, first: ParseResult, part: str, parse: ParseResult
) -> str | None:
    """The catalogue product a clause points at by a word of its own among the kin of the
    product named before it ("do you sell robot vacuums and how much is the cordless one",
    "有没有扫地机器人 无线那个多少钱"): a second product asked about, by its name; else None."""
    catalogue = turn.deps.catalogue
    entity = first.entity("product")
    name = product_phrase(before) or (entity.value if entity else None)
    if catalogue is None or name is None or parse.entity("product") is not None:
        return None
    if product_phrase(part) is not None or not (
        asks_stock_or_price(part) or questions.is_question(part)
    ):
        return None
    try:
        found = await catalogue.search(name)
        if len(found) != 1:
            return None
        kin = [p for p in await catalogue.alike(found[0]) if p != found[0]]
    except CatalogueError:
        return None
    chosen = distinct_choice(part, [found[0], *kin])
    return chosen[0].name if len(chosen) == 1 and chosen[0] != found[0] else None


def _its_price(part: str, parse: ParseResult) -> bool:
    """True for a short price question pointing back ("how much is it") beside another
    request: the price of what that one is about, not the last answer's subject."""
    if parse.entity("order_number") is not None or parse.entity("product") is not None:
        return False
    return bool(_ITS_PRICE.search(part.strip()))


# A price in an answer ("$9.90"): that answer says what its subject costs.
_PRICED = re.compile(r"\$\s?\d")


def _delivery_price(
    turn: Turn, before: str, first: ParseResult, part: str, parse: ParseResult
) -> bool:
    """True for a bare price question ("and how much", "多少钱") right after a delivery
    question that names no product and whose answer gives no price ("can you ship to
    Canada"): what delivery costs. After "is express worth it" the answer has express's
    price: the question is that one's, more words for it."""
    if not (
        first.intent == "ask_delivery"
        and first.entity("product") is None
        and product_phrase(before) is None
        and _its_price(part, parse)
    ):
        return False
    entry = turn.deps.knowledge.find(before, intent="ask_delivery")
    return entry is None or _PRICED.search(entry.answer("en")) is None


def substantial(text: str) -> bool:
    """More than a word or two: worth answering even when not understood."""
    cjk = ideographs(text)
    return len(text.split()) >= 3 or cjk >= 4 or any(c.isdigit() for c in text)


async def with_orders(
    parse: ParseResult, deps: Deps, *, expected: bool, checked: frozenset[str] | None = None
) -> ParseResult:
    """Order numbers as shops number them, in place of what the NLU engine found.

    A candidate only the shape suggests (``RTX4090``) counts when the shop knows it; a
    bare number counts when the bot has just asked for an order number. ``checked``: the
    orders already found in the whole message, so a part of it asks the shop nothing again.
    """
    mentions = deps.order_numbers.mentions(parse.text, expected=expected)
    found: list[Entity] = []
    for mention in mentions:
        if not mention.certain and checked is not None:
            if mention.value not in checked:
                continue
        elif not mention.certain:
            try:
                known = deps.orders is not None and await deps.orders.find(mention.value)
            except OrderLookupError:
                known = False
            if not known:
                continue
        found.append(
            Entity(
                "order_number",
                mention.value,
                mention.start,
                mention.end,
                parse.text[mention.start : mention.end],
                source="orders",
            )
        )
    kept = tuple(
        e
        for e in parse.entities
        if e.kind != "order_number"
        and not (e.kind == "phone" and any(f.start < e.end and e.start < f.end for f in found))
    )
    entities = tuple(sorted((*kept, *found), key=lambda e: e.start))
    return replace(parse, entities=entities)


# Who or what a request is for ("so i can forward it to my mum", "asking for a friend",
# "给我朋友看", "帮我妈问的"): a clause of its own, or the end of the request's sentence.
_WHO_FOR_EN = (
    r"(?:(?:and|just|oh|its|it'?s|im|i'?m)\s+)*(?:"
    r"so (?:that )?(?:i|we|she|he|they) (?:can|could|may)\b|"
    r"(?:i'?m |im )?asking (?:for|on behalf of)\b|"
    r"(?:it'?s |its |this is )?(?:for|on behalf of) (?:my|a|our) (?:mum|mom|mother|dad|father|"
    r"husband|wife|partner|friend|sister|brother|son|daughter|gran|grandma|nan|boss|colleague|"
    r"flatmate|neighbour|neighbor|kid|kids|family)\b|"
    r"to (?:show|send|forward|give) (?:it |them |this )?to (?:my|a)\b)"
    r"[\w\s'.,!]{0,50}$"
)
_WHO_FOR_ZH = (
    r"(?:我)?(?:想|要|好)?(?:截图|转发|发|拿)?(?:给|帮|替)(?:我)?(?:的)?"
    r"(?:朋友|妈妈?|老妈|爸爸?|老爸|老公|老婆|家人|同事|室友|闺蜜|对象|男朋友|女朋友|孩子|儿子|女儿|"
    r"邻居|领导|老板|爷爷|奶奶|外婆|姥姥)(?:看|问的?|问问|买的?|查的?|转发)?(?:的|一下|下)?"
    r"[。！!,，\s]*$"
)
_WHO_FOR = re.compile(rf"^(?:{_WHO_FOR_EN}|{_WHO_FOR_ZH})", re.IGNORECASE)
_WHO_FOR_TAIL = re.compile(rf"[\s,，.。;；!！-]+(?:{_WHO_FOR_EN}|{_WHO_FOR_ZH})", re.IGNORECASE)


def says_who_for(text: str) -> bool:
    """True for a clause that only says who or what the request beside it is for."""
    return _WHO_FOR.search(text.strip(" ,，.。")) is not None


# Asking for something beside a fault: "帮我开下发票", "can you send the invoice", "please".
_ASKS_FOR = re.compile(
    r"\b(?:can|could|would|will) (?:you|u)\b|\b(?:please|pls|plz|i (?:want|need|would like))\b|"
    r"帮我|帮忙|请|麻烦|能不能|可以|我要|我想",
    re.IGNORECASE,
)


async def _fault_with_its_order(turn: Turn, parts: list[str]) -> bool:
    """True for a fault of a product we sell told with its order and how little it was used
    ("咖啡机底下一直渗水 单号A-1003 买来才用过三回"): one complaint. Not a coupon that "用不了"
    beside an invoice asked for, nor two problems, nor a question beside it."""
    if not 1 < len(parts) <= 3 or len({o.value for o in turn.parse.orders}) != 1:
        return False
    faults = [p for p in parts if context.DEFECT.search(p)]
    if len(faults) != 1 or any(questions.is_question(p) for p in parts):
        return False
    if any(_ASKS_FOR.search(p) for p in parts if p is not faults[0]):
        return False
    catalogue = turn.deps.catalogue
    if catalogue is None:
        return False
    try:
        return bool(await catalogue.search(faults[0]))
    except CatalogueError:
        return False


async def _without_who_for(turn: Turn, nlu: NluEngine) -> Turn:
    """The turn read without a closing "...so i can show my mum" / "...给我朋友看": the
    request is what comes before it (the words are kept, the intent is the request's)."""
    text = turn.message.text.strip()
    tail = _WHO_FOR_TAIL.search(text)
    if tail is None or not text[: tail.start()].strip():
        return turn
    head = await nlu.parse(text[: tail.start()])
    if not head.understood or head.intent == turn.parse.intent:
        return turn
    parse = replace(
        turn.parse, intent=head.intent, confidence=head.confidence, ranking=head.ranking
    )
    return replace(turn, parse=parse)


async def split_requests(turn: Turn, nlu: NluEngine) -> list[Turn]:
    """The requests in one message, each with its own parse: a greeting before a question
    is dropped, up to three distinct requests are kept; one request keeps the whole text.

    Each request carries how the whole message feels, not only its part ("where's A-1001?
    your app is garbage": the order's answer is sorry too, "... just fantastic." is not
    praise); this is the one place that is set. A request naming several orders has the one
    its problem is about first ("A-1001 came fine but A-1003 is missing the charger"):
    ``faults.focused``.
    """
    turn = await _without_who_for(turn, nlu)
    requests = await _requests(turn, nlu)
    return [faults.focused(_in_whole_mood(request, turn)) for request in requests]


def _in_whole_mood(request: Turn, whole: Turn) -> Turn:
    if request is whole:
        return whole
    mood = whole.parse
    parse = replace(request.parse, sentiment=mood.sentiment, sentiment_label=mood.sentiment_label)
    return replace(request, parse=parse)


async def _request(turn: Turn, nlu: NluEngine, text: str) -> Turn:
    """One part of the message as a request of its own, with the message's orders."""
    checked = frozenset(e.value for e in turn.parse.orders)
    parse = await with_orders(await nlu.parse(text), turn.deps, expected=False, checked=checked)
    if parse.entity("order_number") is None and turn.parse.orders:
        parse = replace(parse, entities=(*parse.entities, *turn.parse.orders))
    return _part(turn, text, parse)


def _part(turn: Turn, text: str, parse: ParseResult) -> Turn:
    """The request of one part of the message: its words and parse, in the message's
    conversation. A message about another order than the one in play, not naming it
    ("另外一个订单的东西不想要了 怎么退货"): every part is about that other order, none about
    the order in play (as ``Turn.order_in_play`` reads the whole message)."""
    dialogue = turn.dialogue
    if not turn.parse.orders and ANOTHER_ORDER.search(turn.message.text):
        slots = tuple(s for s in dialogue.slots if s.kind != "order_number")
        dialogue = replace(dialogue, slots=slots)
    return replace(turn, message=replace(turn.message, text=text), parse=parse, dialogue=dialogue)


def _only_tells(part: str) -> bool:
    """True for a clause that asks nothing and names no problem ("已经付款了", "I already
    paid for my order"): context for a question beside it."""
    return (
        not questions.is_question(part)
        and _REQUESTING.search(part) is None
        and context.DEFECT.search(part) is None
        and _NOT_SO.search(part) is None
        and _ASKING_WORDS.search(part) is None
        and context.length(part) <= _TOLD_WORDS
    )


# Words that make a clause a question without its question mark: "wheres A-1002 at",
# "can i pay by installments", "A-1002到哪了".
_ASKING_WORDS = re.compile(
    r"\b(?:where|wheres|what|whats|when|whens|how|hows|why|which|who|whos|can|could|do|does|"
    r"did|is|are|will|would|should|any)\b|哪|什么|啥|几|怎么|咋|吗|呢|多少|能不能|可不可以|是否|有没有",
    re.IGNORECASE,
)


# The longest clause read as only context for the question beside it.
_TOLD_WORDS = 8
# What a fact told before a question may read as, besides the question's own topic: an
# order's ("I already paid for my order").
_TELLS_OF = ("ask_order_status",)
# A clause that says something did not happen or is still so ("it hasn't come", "还没到") tells
# of a problem, with an answer of its own.
_NOT_SO = re.compile(
    r"\b(?:not|no|never|still|yet|nothing|wrong|without)\b|n'?t\b|没|不|未|仍|依然|错",
    re.IGNORECASE,
)


def _sent_for_it(part: str, parse: ParseResult) -> bool:
    """True for "can you send one?", "could you send a new jug", "能补发一个吗", "我要换黑色的"
    beside a problem told: the remedy asked for it (sending what is missing, broken or wrong),
    not a question about delivery or stock."""
    if parse.intent == "complaint":
        return False
    return remedy.asks_to_send(part) or _SWAP_FOR.search(part) is not None


# The right one wanted for a wrong one: "i want to swap it for the black one", "exchange
# them for a size M", "我要换黑色的", "给我换成大号".
_SWAP_FOR = re.compile(
    r"\b(?:swap|exchange|change)\s+(?:it|them|this|that)?\s*(?:for|to|into)\s+(?:a|an|the)?\s*"
    r"[\w-]+(?:\s+(?:one|ones|size|colou?r|version))?\b|"
    r"(?:我要|我想|给我|帮我|能|可以)?换(?:成|个|一个|一下)?[\w]{1,4}?的(?:吧|吗|嘛)?$|"
    r"(?:我要|我想|给我|帮我)换(?:成|个|一个)[\w]{1,4}",
    re.IGNORECASE,
)


def _charge_and_chase(first: str, then: str) -> bool:
    """True for a charge to check, then the courier to chase ("扣了两次钱 还有帮我催一下快递"):
    two things to have done, not a story and the request it leads to."""
    chased = lost_parcel.chases(then) and not lost_parcel.chases(first)
    return chased and context.charge_to_check(first)


async def _requests(turn: Turn, nlu: NluEngine) -> list[Turn]:
    """The requests as parsed, each with its part's own mood (``split_requests`` sets it)."""
    if proposals.switches_to_refund(turn):
        return [turn]  # "我不要换货了 我要退款": one change, the exchange made a refund
    if await corrected.product_meant(turn) is not None or await corrected.corrected_item(turn):
        # "不是空气炸锅 是搅拌机", "not the kettle, the toaster": one correction, the product
        # meant in place of the one before (never both answered side by side).
        return [turn]
    if turn.context.open_cases and await cancel.whole_again(turn, has_open_case=True):
        # "no forget it, cancel the whole order" while one item was to come off: one request,
        # the case back to the whole order (not a withdrawal, then a cancellation).
        return [turn]
    withdrawn = cancel.withdraws_then_asks(turn) or proposals.then_asks(turn)
    if withdrawn is not None:
        # "actually nvm, can i change it to express instead": the cancellation taken back,
        # and the question answered (not the question alone, the case left standing).
        return [await _request(turn, nlu, text) for text in withdrawn]
    greeted, rest = strip_greeting(turn.message.text.strip())
    asked_after_no = declined.then_asks(rest)
    if asked_after_no is not None:
        # "nah dont bother, when will it get here then": the question, as after a greeting.
        greeted, rest = True, asked_after_no
    offer = turn.dialogue.asked
    offered = offer is not None and (
        offer.offers(Question.HUMAN) or offer.offers(Question.OPEN_CASE)
    )
    asked_after_nod = context.nod_then_asks(rest) if asked_after_no is None and offered else None
    if asked_after_nod is not None:
        # "好吧 那有没有新的券" after an offer: no yes to it, the question (as after a greeting).
        greeted, rest = True, asked_after_nod
    person = escalation.person_and_reason(rest)
    if person is not None and not context.asks_if_bot(rest) and not context.DEFECT.search(rest):
        # "i need to talk to someone, still no refund after 2 weeks", "转人工 退货寄回去半个月
        # 了钱还没退": the person asked for (the case handed over, with the whole message on
        # it), then the reason answered on that case, never one half alone. (A fault with
        # it is one complaint handed over, below; "你是真人吗" asks what the bot is.)
        ask, reason = person
        handover = await _request(turn, nlu, ask)
        handover = replace(
            handover,
            parse=replace(handover.parse, intent="request_human", confidence=1.0),
        )
        return [handover, await _request(turn, nlu, reason)]
    if escalation.takes_wait_badly(turn):
        return [turn]  # "monday?? are you serious": one reaction to the wait, not two requests
    whole = turn.message.text
    if service.complained(whole) and not escalation.asks_for_person(whole):
        # "昨天打你们电话 说两句就挂了我电话", "客服说会处理结果没人联系我": one story of how they
        # were treated (its "客服" no greeting), not a question about the phone line beside it.
        return [turn]
    parts = clauses(rest)
    whole_sarcasm = sarcasm.sarcasm_as_a_whole(turn)
    if len(parts) == 1 and not whole_sarcasm:
        # "51001又晚了 真棒": the trouble answered, the praise beside it met as sarcasm.
        parts = list(sarcasm.split_praise(parts[0]) or parts)
    untouched = len(parts) == 1 and parts[0] == rest.strip(" ,，.。;；")
    if (untouched or not parts) and not greeted:
        return [turn]
    beside = sarcasm.story_and_praise(parts) if len(parts) > 1 and not whole_sarcasm else None
    if not greeted and beside is not None:
        # "lovely. still stuck in transit. great job": the trouble, then the praise beside it
        # met as sarcasm (never merged into one remark to thank for).
        return [await _request(turn, nlu, part) for part in beside]
    if not greeted and len(parts) > 1 and context.one_story(turn, rest):
        return [turn]
    today = turn.deps.clock().date()
    if no_order_payment(rest) and context.asks_for_a_case(rest):
        # "付款失败了 没有订单号 帮我开个工单": one case about that payment (no order to go by),
        # not the card's answer, an order's status and a case beside each other.
        return [turn]
    if refund_wait.told_overdue(rest, today) or refund_wait.sent_back_waiting(rest, today):
        # "cancelled 73102 like 12 days ago, where is my money?? nothing on my card": one
        # refund waited on, its days set against its time (not a card question beside it).
        return [turn]
    if not greeted and len(parts) > 1 and remedy.refuses_replacement(turn):
        # "a replacement? nah it'll probably break too": one answer, the replacement turned
        # down (not how replacements work, then a remark).
        return [turn]
    if (
        len(parts) > 1
        and turn.context.open_cases
        and all(is_rant(p) or RHETORICAL.search(p) or VENTING.search(p) for p in parts)
        and any(RHETORICAL.search(p) for p in parts)
    ):
        # "搞什么啊 开什么玩笑" with a case open: one outburst, one apology.
        return [turn]
    if (
        len(parts) <= 2
        and escalation.asks_for_person(turn.message.text)
        and context.DEFECT.search(turn.message.text)
    ):
        # "给我转人工客服 买的电水壶漏水": the problem is the complaint, handed to the person
        # asked for (one case, with its remedy path), not a bare hand-off and a detail for it.
        return [turn]
    if await _fault_with_its_order(turn, parts):
        # "咖啡机底下一直渗水 单号A-1003 买来才用过三回", "toaster stopped working, order
        # A-1003, used it twice": one fault told with its order and how little it was used,
        # one complaint (not the product's price and stock, nor a case without its order).
        return [turn]
    if feedback.fault_after_good_news(turn.message.text):
        # "到了 挺快的 就是壶盖裂了", "arrived today lol but the lid is cracked": one defect
        # complaint, the arrival and the praise its story (no small talk, no glad-it-came).
        return [turn]
    if remedy.wants(turn) or lost_parcel.asks(turn.message.text):
        # "外壳裂了 我要退款", "东西都没收到 直接退款吧": the problem and the remedy wanted,
        # one request
        return [turn]
    if broken_bought(turn.message.text) or products.replaces_old(turn.message.text):
        # "电饭煲内胆坏了能单买吗", "之前的吹风机坏了 想买个新的 有推荐吗": one wish to buy,
        # the breakage its reason (not a complaint case beside a question).
        return [turn]
    if hurry.reads(turn) is not None:
        return [turn]  # "挺急的 能快点吗": one hurry about the last answer, not two requests
    if hours.asks_for_anyone(turn.message.text) and hours.days_named(turn.message.text):
        # "周六呢 有人吗", "saturday? anyone there": whether anyone is there that day, one
        # question (not the day's answer plus a greeting for "有人吗").
        return [turn]
    if inquiry.names_code_missing(turn):
        # "等了好几分钟了 登录验证码还是没来": the wait is the code's story, one request
        # (its checks and the next step), not a complaint case beside the code's answer.
        return [turn]
    if other_order_trouble(turn) is not None:
        # "A-1005也延误了 一起加到工单里": another order's trouble and where it goes, one
        # complaint (not the open case's status beside it).
        return [turn]
    if declined.declines(turn):
        return [turn]  # "never mind then, ill check with my bank": one "no", not two requests
    if turn.context.open_cases and needs_it_by(turn.message.text):
        # "this is so annoying i needed it for the weekend", "烦死了 周末要用的" with a case
        # open: one grievance with its deadline, for the case (not a question about weekends).
        return [turn]
    changed_mind = returns.tried_not_liked(turn) or returns.not_a_fault(turn)
    if changed_mind or not_as_shown(turn.message.text):
        # "就试戴了一下 音质不喜欢", "颜色和图上不太一样 不想要了", "没坏 就是太吵了": one
        # change of mind
        return [turn]
    if returns.gift_asked(turn) is not None:
        return [turn]  # "朋友送的礼物 想换 没有订单号": one gift to send back, number and all
    if returns.wants_return(turn) or returns.asks_without_order(turn):
        return [turn]  # "手表不想要了 能退吗 订单80808": one return, the reason is part of it
    if asks_free_express(turn.message.text):
        return [turn]  # "都晚了 能免费给我升级顺丰吗": the delay is why it is asked, one request
    if invoice.asks_after_download(turn):
        return [turn]  # "我开了个人的了 怎么办啊": the invoice had, and what now: one question
    if combine.asks(turn):
        return [turn]  # "能和另一单C-4534一起寄吗 合并发货": one question about both orders
    if security.one_request(turn):
        return [turn]  # "有人登了我的号 还改了密码", "邮箱也被改了 登不上去了": one story
    if reach_back.call_with_number(turn.message.text):
        return [turn]  # "给我回个电话吧 我手机号是138 0013 8000": one call back, to that number
    if refund_route.asks(turn):
        return [turn]  # "钱退到哪 我是花呗付的": one question, the method is part of it
    if turn.deps.knowledge.asked_whole(rest) is not None:
        # "旧手机号停用了 收不到验证码": clauses an FAQ entry names together (its `whole`),
        # one question answered once, not a phone answer and an e-mail answer.
        return [turn]
    if other_way.one_request(turn):
        return [turn]  # "fine ill use my card. do u take amex": one way to pay, answered
    if pay_trouble.one_request(turn.message.text) and not lost_parcel.chases(rest):
        # "884201这单扣了我两次款 用的支付宝", "微信支付付不了啊 一直提示失败": one payment
        # problem, the way paid is part of it
        return [turn]
    if pair.asks(turn):
        return [turn]  # "the coffee machine and the espresso one": two products, one question
    if feedback.suggests(rest) and not turn.parse.orders:
        return [turn]  # "works fine. why not add a quick start card": one suggestion, thanked
    if advice.asks(rest) and not turn.parse.orders:
        return [turn]  # "想买个电饭煲 能煮粥的 推荐一下": one wish for advice, its use in it
    if combine.asks(turn):
        return [turn]  # "two orders 61001 and 61002 can u send them together": one question
    if delivery_options.asks(rest, order_named=bool(turn.parse.orders)):
        return [turn]  # "白天不在家 能放快递柜不": why, then the option asked for: one question
    if asks_new_order_time(rest, as_if=False):
        return [turn]  # "if i order it now when will it arrive": one question, not a request
    if not greeted and instructions.adds_detail(turn):
        return [turn]  # "the blue door, Mrs Okafor. shes always in": one detail for the courier
    if followups.by_item(turn) and followups.points_back(turn):
        return [turn]  # "双肩包那个单呢 也是这家吗": one question about the order of that item
    checked = frozenset(e.value for e in turn.parse.orders)
    parsed = []
    for part in parts:
        parse = await nlu.parse(part)
        parse = await with_orders(parse, turn.deps, expected=False, checked=checked)
        parsed.append((part, parse))
    requests: list[tuple[str, ParseResult]] = []
    waited = False
    complained = any(p.intent == "complaint" for _, p in parsed)
    waited_sarcastically = sarcasm.praise_about_wait(turn.message.text)
    # "can i cancel my order? got the wrong size": the reason for the cancel, not a complaint.
    cancelling = any(context.wants_cancel(part, p.intent) for part, p in parsed)
    for part, parse in parsed:
        weak = not context.asks_if_bot(part) and (
            not parse.understood
            or parse.confidence < SPLIT_CONFIDENCE
            or (len(parsed) > 1 and (is_rant(part) or parse.intent in SMALL_TALK))
            # "thought so lol" beside a real request: an aside, not a request of its own.
            or (len(parsed) > 1 and parse.intent == "out_of_scope" and not substantial(part))
            or (len(parsed) > 1 and _aside(part, parse))
            # "...so i can forward it to my mum", "...给我朋友看": who or what the request is
            # for, not a product question of its own.
            or (len(parsed) > 1 and says_who_for(part))
            or (len(parsed) > 1 and _WILLING_TO_PAY.search(part) is not None)
            # "leaks water all over. great quality lol": praise beside a complaint in one
            # message is sarcasm, words for the complaint, not feedback to thank for.
            or (complained and parse.intent == "feedback_positive")
            # "so nobody has looked at it yet?? great": praise of a wait is sarcasm too.
            or (parse.intent == "feedback_positive" and waited_sarcastically)
            # "打算给同事买个生日礼物 能开那种礼品收据吗": read as praise, but no word praises or
            # thanks; why the question beside it is asked, not a remark to thank for.
            or (
                len(parsed) > 1
                and parse.intent == "feedback_positive"
                and not feedback.praises(part)
            )
            # "我没取消啊 你们搞什么" beside an order question: a product question that names
            # no product, or a remark no FAQ entry covers, is more words for its neighbour,
            # not a paragraph of its own.
            or (len(parsed) > 1 and _no_request(part, parse, turn.deps))
            or (cancelling and _for_the_cancel(part, parse))
            # "发错货了 我买的是水壶 收到个烤面包机": a product told of beside a complaint, not
            # asked about, is the complaint's story (no price or stock of it tacked on).
            or (complained and _product_told(part, parse))
            # "...came without the jug. Can you send one?": what is wanted done about the
            # problem told, not a delivery question of its own (two orders sent together).
            or (len(parsed) > 1 and complained and _sent_for_it(part, parse))
        )
        if weak and requests and _charge_and_chase(requests[-1][0], part):
            weak = False  # "扣了两次钱 还有帮我催一下快递": two things to have done
        # "A-1003的发票帮我开一下": a request in the imperative asks as much as a question.
        asks = questions.is_question(part) or bool(_REQUESTING.search(part))
        lament = bool(requests) and requests[-1][1].intent in ORDER_INTENTS
        if lament and context.says_waited(part):
            # "都好几天了" after "where's A-1005": how long they waited (no "how many days?"
            # for the FAQ), and no reason to read the whole message as something else.
            weak = waited = True
        elif (
            weak
            and len(parsed) > 1
            and asks
            and not is_rant(part)
            and not says_who_for(part)
            and not (complained and _sent_for_it(part, parse))
        ):
            # "how long does it usually take" beside "do you ship to ireland": a question
            # the engine missed that the FAQ answers is a request of its own.
            entry = turn.deps.knowledge.find(part)
            if entry is not None and not _no_request(
                part, replace(parse, intent=entry.intent), turn.deps
            ):
                parse = replace(parse, intent=entry.intent, confidence=SPLIT_CONFIDENCE)
                weak = False
        sibling = await _sibling_named(turn, *requests[-1], part, parse) if requests else None
        if sibling is not None:
            # "...and how much is the cordless one": the other product, a question of its
            # own (not the price of the one before, merged into its answer).
            product = Entity("product", sibling, 0, 0, "", source="catalogue")
            parse = replace(
                parse,
                intent=PRODUCT_AVAILABILITY,
                confidence=max(parse.confidence, SPLIT_CONFIDENCE),
                entities=(*parse.entities, product),
            )
            weak = False
        elif requests and _delivery_price(turn, *requests[-1], part, parse):
            # "can you ship to Canada and how much": the price asked is the delivery's, a
            # question of its own (not the price of a product, merged into the first).
            parse = replace(parse, intent="ask_delivery", confidence=SPLIT_CONFIDENCE)
            weak = False
        elif requests and _asks_of_it(part, parse):
            weak = True  # "用过一次了 还能退吗": the question is the clause before's
        elif (
            requests
            and requests[-1][1].intent == "complaint"
            and parse.intent in _REMEDY_INTENTS
            and remedy.wants_done(part)
            and not _charge_and_chase(requests[-1][0], part)
        ):
            # "charged twice for A-1001 and i want the extra money back", "A-1001扣了我两次钱
            # 多扣的要退回来": what is wanted done about the problem goes on its case, not the
            # returns policy appended as a second answer.
            weak = True
        elif (complained and _order_for_complaint(part, parse)) or (
            requests
            and (_of_the_product_before(*requests[-1], part, parse) or _its_price(part, parse))
        ):
            # "我要投诉 电饭锅内胆是坏的 订单是8812345", "门是坏的 订单A-3002 刚到的": the
            # complaint's order, no status asked (no "if it didn't reach you" about an item
            # the customer has in hand), whatever the FAQ would make of it.
            # "吸尘器呢 啥时候补货", "the kettle, how much": the product named, then what is
            # asked of it: one product question, not a second answer (about the product in
            # play, or the FAQ's words on stock).
            weak = True
        # Two questions of one kind ("return X and when's my refund") are two answers; two
        # statements of one kind ("sent it back ten days ago, still no money") are one story.
        same = (
            bool(requests)
            and parse.intent == requests[-1][1].intent
            # "do you have the air fryer in black and how much is the kettle": two products
            # asked about, two answers.
            and not _two_products(*requests[-1], part, parse)
            # "扣了两次钱 另外帮我催一下快递": the courier chased is a request of its own.
            and not _charge_and_chase(requests[-1][0], part)
        )
        told = (
            same
            and not asks
            and not questions.is_question(requests[-1][0])
            # "need an invoice for A-1003 and my coupon isnt working": two FAQ entries.
            and not _two_entries(turn, requests[-1][0], part, parse.intent)
        )
        # "能分期付款吗 分期可以不": the same question asked twice over is one answer, not
        # the same FAQ paragraph twice in one reply.
        asked_again = same and (
            _same_entry(turn, requests[-1][0], part, parse.intent)
            # "A-1003的发票帮我开一下 要公司抬头": one invoice, with what goes on it.
            or _one_invoice(turn, requests[-1][0], part, parse.intent)
        )
        # "已经付款了 还能补用吗": a bare statement of the topic, then the question about it:
        # what the question is asked under, not an FAQ paragraph of its own.
        told_first = (
            bool(requests)
            and not weak
            and asks
            and parse.intent in context.KNOWLEDGE_TOPICS
            and requests[-1][1].intent in (parse.intent, *_TELLS_OF)
            and _only_tells(requests[-1][0])
            # ("重复扣款了 怎么回事": the why is about the story, read as the story, below.)
            and not _asks_why_only(part)
        )
        if told_first:
            requests[-1] = (f"{requests[-1][0]} {part}", parse)
            continue
        if requests and (
            weak or told or asked_again or (same and parse.intent not in context.KNOWLEDGE_TOPICS)
        ):
            # Not a request of its own: more words for the one before.
            text = f"{requests[-1][0]} {part}"
            requests[-1] = (text, requests[-1][1])
            continue
        requests.append((part, parse))
    if (
        len(requests) > 1
        and _aside(*requests[0])
        and requests[0][1].sentiment >= 0  # nothing wrong said ("重复扣款了" is a problem)
        and questions.is_question(requests[1][0])
        and not _asks_why_only(requests[1][0])  # "台灯等了快两周了 啥情况": about the story
    ):
        # "I ordered the blender last week and it arrived fine. Does it come with a
        # warranty?": a "complaint" that names no problem, told before a question, only says
        # what the question is about: the question answered (with the product it named), no
        # case opened for the story.
        question, asked = requests[1]
        told_of = requests[0][1].entity("product")
        if told_of is not None and asked.entity("product") is None:
            asked = replace(asked, entities=(*asked.entities, told_of))
        requests[:2] = [(question, asked)]
        if len(requests) == 1 and not greeted:
            return [_part(turn, question, asked)]
    if len(requests) > 1 and (
        is_rant(requests[0][0])
        or (requests[0][1].intent in SMALL_TALK and not context.asks_if_bot(requests[0][0]))
        or ((complained or waited_sarcastically) and requests[0][1].intent == "feedback_positive")
        # "打算给同事买个生日礼物 能开那种礼品收据吗": why the question is asked, not praise.
        or (requests[0][1].intent == "feedback_positive" and not feedback.praises(requests[0][0]))
        # "东西早就寄回去了 钱咋还没退": an opening clause the engine barely reads (under
        # SPLIT_CONFIDENCE, above the fallback threshold) is the story of the request after it.
        or (
            requests[0][1].confidence < SPLIT_CONFIDENCE
            and not context.asks_if_bot(requests[0][0])
            and not _charge_and_chase(requests[0][0], requests[1][0])
        )
        or (cancelling and _for_the_cancel(*requests[0]))
        # "A-8830怎么回事 还没到": the order named first, the question after it.
        or _names_an_order_only(*requests[0])
        # "台灯要是退了 积分还在吗": the condition first, the question asked under it.
        or _CONDITION_FIRST.search(requests[0][0].strip()) is not None
        # "太慢了吧 帮我提交个工单": the grumble is the case's reason, not feedback to thank for.
        or (
            requests[0][1].intent == "feedback_negative" and context.asks_for_a_case(requests[1][0])
        )
    ):
        # Venting first, then the request: the words go with the request.
        rant, (text, parse) = requests[0][0], requests[1]
        requests[:2] = [(f"{rant} {text}", parse)]
    if len(requests) > 1 and _asks_why_only(requests[-1][0]):
        # "订单60512扣了我两次钱 怎么回事", "charged twice for 88231, wtf": the why is about the
        # problem just told, no request of its own (nor the nearest FAQ answer tacked on).
        story, story_parse = requests[-2]
        requests[-2:] = [(f"{story} {requests[-1][0]}", story_parse)]
    if not greeted and len(requests) <= 1:
        whole_is_small_talk = turn.parse.intent in SMALL_TALK and turn.parse.intent != FALLBACK
        single = requests[0][1] if requests else None
        if (
            single is not None
            and single.understood
            and single.intent not in SMALL_TALK
            and (not turn.parse.understood or whole_is_small_talk or waited)
        ):
            # "好的 那顺便问下发票在哪开": the question, understood once the "ok" is off;
            # an order named anywhere in the message still goes with it.
            parse = requests[0][1]
            if parse.entity("order_number") is None:
                parse = replace(parse, entities=(*parse.entities, *turn.parse.orders))
            return [replace(turn, parse=replace(parse, text=turn.parse.text))]
        return [turn]
    if greeted and len(requests) == 1:
        text = requests[0][0]
        parse = await with_orders(await nlu.parse(text), turn.deps, expected=False, checked=checked)
        if parse.intent == "greet" or (not parse.understood and not substantial(text)):
            return [turn]  # "hello again": a greeting all the same
        requests = [(text, parse)]
    named = turn.parse.orders
    out = []
    for text, parse in requests[:MAX_REQUESTS]:
        if (
            parse.entity("order_number") is None
            and turn.parse.entity("order_number")
            and (
                parse.intent in ORDER_INTENTS
                # "Q-7701怎么还没到 帮我开个工单": the case asked for is about that order.
                or context.asks_for_a_case(text)
                or any(e.text and e.text in text for e in named)
            )
        ):
            # An order named anywhere in the message belongs to every request in it.
            parse = replace(parse, entities=(*parse.entities, *named))
        out.append(_part(turn, text, parse))
    return out
