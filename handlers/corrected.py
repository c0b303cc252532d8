"""A correction: another order number, or another item, replaces the one given before."""

from __future__ import annotations

import re
from dataclasses import replace

from crm_memory import Case, CaseKind, Direction
from handlers import attributes, pay_ways, products
from handlers.cases import AUTHOR, current_case
from handlers.catalogue import CatalogueError, Product, product_names
from handlers.context import DEFECT
from handlers.dialogue import Asked, Dialogue, Purpose, Question
from handlers.greeting import ORDER_LINE
from handlers.inquiry import ADDRESS, EXPRESS
from handlers.orders import OrderLookupError, names_order, normalise_order_number, order_key
from handlers.turn import Deps, Turn
from handlers.types import Reply
from handlers.wording import ANOTHER_ORDER
from nlu import Entity, ParseResult

DETAIL = "corrected_order"
# Answers about one order that a corrected number asks again for the right one.
ORDER_ENTRIES = frozenset({EXPRESS, ADDRESS})

# The customer says the number they gave was wrong, in so many words: "wrong one", "typo",
# "打错了", "写错", "输错", "单号发错了", "号码搞错了", "更正一下". ("发错货", "你们搞错了" are
# about the parcel, not the number.)
_CORRECTS = re.compile(
    r"\bwrong (?:one|number|no\.?|order(?: (?:number|no\.?))?|#)|\btypo\b|\bmis-?typed?\b|"
    r"\bcorrect(?:ion| one| number)\b|"
    r"(?:打|写|输|填|说|看)错|(?:单号|订单号|号码|号)(?:发|给|弄|搞|填)错|发错(?:了)?(?:单号|号)|"
    r"更正|纠正",
    re.IGNORECASE,
)
# An apology, "oops", "i mean", "should be", "应该是" corrects only in a message that is little
# more than the number: "oops A-1005", "i mean 88231", "不好意思 是X2026-5531", "是这个 JD884422"
# ("i mean A-1009 hasnt come either and its been weeks" asks about another order).
_SORRY = re.compile(
    r"\b(?:oops|whoops|oopsie|my bad|sorry|soz|sry|actually|no wait|i mean(?:t)?|"
    r"(?:should|shld) (?:have )?(?:be|been|say|said|read)|not (?:that one|this one))\b|"
    r"不好意思|抱歉|是这个|不是这个|不对|应该是",
    re.IGNORECASE,
)
# Words besides the number in such a message; more, and it asks something of its own.
_FEW_WORDS = 6


def corrects(text: str, numbers: list[str]) -> bool:
    """True when the message says the order number given before was wrong."""
    if _CORRECTS.search(text) is not None:
        return True
    if _SORRY.search(text) is None:
        return False
    rest = text
    for number in numbers:
        rest = rest.replace(number, " ")
    rest = _SORRY.sub(" ", rest)
    words = re.findall(r"[A-Za-z']+", rest)
    han = re.findall(r"[\u4e00-\u9fff]", rest)
    return len(words) + len(han) // 2 <= _FEW_WORDS


# The old number named as the wrong one in the same breath: "A-1005 not A-1003",
# "是A-1005不是A-1003", "A-1005 instead of A-1003".
_NEGATED = (
    r"(?:\bnot\b|\binstead of\b|\brather than\b|不是|而不是)\s*(?:order\s*|订单号?\s*)?#?\s*$"
)


def with_corrected_order(parse: ParseResult) -> ParseResult:
    """The message's order numbers without the one it calls wrong ("oops it's A-1005 not
    A-1003"): only the corrected number stays in play."""
    orders = parse.orders
    if len(orders) < 2 or not corrects(parse.text, [e.text for e in orders]):
        return parse
    wrong = {
        e.start
        for e in orders
        if re.search(_NEGATED, parse.text[: e.start], re.IGNORECASE) is not None
    }
    if not wrong or len(wrong) == len(orders):
        return parse
    return replace(parse, entities=tuple(e for e in parse.entities if e.start not in wrong))


# A number typed without the shop's prefix in a correction: "oops, 1003 not 1001", "写错了
# 是1003", "sorry i meant 1003" (three digits at least: fewer are a quantity or a day).
_BARE_DIGITS = re.compile(r"(?<![A-Za-z0-9#-])\d{3,8}(?![0-9])")
# The prefix of a number in the shop's shape: "A-" of "A-1001", "B" of "B2231".
_PREFIX = re.compile(r"^([A-Z]{1,3}-?)(\d+)$")


async def with_prefixed_correction(
    parse: ParseResult, dialogue: Dialogue, deps: Deps
) -> ParseResult:
    """A correction naming its number without the prefix the shop uses ("oops, 1003 not
    1001", "写错了 是1003") with an order in play: each bare number as that order's prefix
    makes it, an ``order_number`` entity when the order source knows it (the one in play
    is known), so the correction reads as one of a whole number."""
    if parse.orders or deps.orders is None:
        return parse
    before = dialogue.slot("order_number")
    shape = _PREFIX.match(normalise_order_number(before.value)) if before is not None else None
    if before is None or shape is None:
        return parse
    bare = list(_BARE_DIGITS.finditer(parse.text))
    if not bare or not corrects(parse.text, [m.group() for m in bare]):
        return parse
    found: list[Entity] = []
    for match in bare:
        number = f"{shape.group(1)}{match.group()}"
        if match.group() != shape.group(2):
            try:
                if await deps.orders.find(number) is None:
                    continue
            except OrderLookupError:
                continue
        else:
            number = before.value
        found.append(
            Entity(
                "order_number", number, match.start(), match.end(), match.group(), source="orders"
            )
        )
    if not found:
        return parse
    entities = tuple(sorted((*parse.entities, *found), key=lambda e: e.start))
    return replace(parse, entities=entities)


def wrong_order(turn: Turn) -> str | None:
    """The order given before that this message corrects, or None: the message says the
    number was wrong and names one order, another than the one in play from earlier turns."""
    orders = turn.parse.orders
    if len(orders) != 1 or not corrects(turn.message.text, [orders[0].text]):
        return None
    before = turn.dialogue.slot("order_number")
    if before is None or order_key(before.value) == order_key(orders[0].value):
        return None
    return before.value


def case_with(turn: Turn, order: str) -> int | None:
    """The open case that has ``order`` on it, the one in play first."""
    numbers = [c.number for c in turn.context.open_cases if names_order(c.summary, order)]
    if turn.dialogue.case in numbers:
        return turn.dialogue.case
    return numbers[-1] if numbers else None


async def on_case(turn: Turn, number: int, wrong: str, right: str) -> list[Reply]:
    """The case's wrong order replaced by the right one, and the customer told so."""
    case = await turn.deps.cases.get(number)
    summary = re.sub(
        rf"^order: {re.escape(wrong)}$", f"order: {right}", case.summary, flags=re.MULTILINE
    )
    await turn.deps.cases.update(number, summary=summary)
    turn.outcome.case = number
    return [turn.reply("order_corrected_on_case", number=number, order=right, wrong=wrong)]


# The Reading detail of an order said to be the wrong one for the case just opened, the
# right one not named yet ("wrong order, the other one", "不对 是另一个订单").
OTHER_FOR_CASE = "corrected_other_order"
# "the other one", "not that order", "另一个", "不是这个单": the order meant is another.
_OTHER_ONE = re.compile(
    r"\b(?:the )?(?:other|another|different) (?:one|order|number)\b|"
    r"\bnot (?:that|this|the right) (?:one|order|number)\b|"
    r"另(?:外)?一(?:个|单|笔)|另外(?:那|这)?(?:个|单)|别的(?:订单|单)|不是(?:这|那)(?:个|单|一单)",
    re.IGNORECASE,
)


# The order itself said to be the wrong one: "wrong order", "wrong order number", "订单错了",
# "单号不对".
_ORDER_WRONG = re.compile(
    r"\bwrong (?:order|number|order number)\b|(?:订单|单号|单子)(?:号)?(?:错了|不对|搞错|弄错)|"
    r"(?:错|不对)的?(?:订单|单子?)",
    re.IGNORECASE,
)


def other_order_for_case(turn: Turn) -> tuple[int, str] | None:
    """The case just opened or spoken of and the order on it, when the message says that
    order is the wrong one without naming the right one ("hang on, wrong order. the other
    one", "不对 是另一个订单", "sorry not that order"); None otherwise."""
    text = turn.message.text
    if turn.parse.orders or turn.dialogue.case is None or not corrects(text, []):
        return None
    if DEFECT.search(text) or re.search(r"\d", text):
        # "sorry, they sent the wrong one": the parcel's fault; "oops typo, its flat 2", "写错
        #了 应该是3单元": an address corrected, not the order
        return None
    if not (_OTHER_ONE.search(text) or ANOTHER_ORDER.search(text) or _ORDER_WRONG.search(text)):
        return None
    case = next((c for c in turn.context.open_cases if c.number == turn.dialogue.case), None)
    if case is None:
        return None
    orders = ORDER_LINE.findall(case.summary)
    return (case.number, orders[0]) if len(orders) == 1 else None


def ask_right_order(turn: Turn) -> list[Reply]:
    """The right order's number asked for, to go on the case in place of the wrong one."""
    found = other_order_for_case(turn)
    if found is None:
        return [turn.reply("help")]
    number, wrong = found
    turn.outcome.case = number
    turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.COMPLAINT, case=number, order=wrong))
    return [turn.reply("order_other_for_case", number=number, wrong=wrong)]


# The Reading detail of an item corrected on the case just opened (handlers/readings.py).
ITEM = "corrected_item"
# How a note says the item the case is about was corrected (its own row, never parsed back).
ITEM_NOTE = "Item corrected by the customer: "

# The customer says they named the wrong thing: "sorry i meant the kettle", "not the
# toaster, the kettle", "my bad its the blender", "说错了 是吹风机坏了", "不是烤面包机 是电水
# 壶", "是吹风机不是电水壶", "搞错了".
_ITEM_CORRECTS = re.compile(
    r"\bi (?:meant|mean|ment)\b|\bmeant to (?:say|write|type)\b|"
    r"\b(?:my (?:bad|mistake)|wrong (?:item|thing|product|one)|correction)\b|"
    r"\bnot the \w+(?: \w+)?\s*[,;-]?\s*(?:it'?s|its|it is|it was|but|the)\b|"
    r"\b(?:actually|sorry|sry|soz|oops)\b.{0,12}\b(?:it'?s|its|it is|it was) the\b|"
    # "switch it to the kettle not the fryer", "change it to the kettle", "the
    # kettle not the toaster": the item named in place of another.
    r"\b(?:make|change|switch|put) (?:it|that|the case|this)(?: (?:over|back))? "
    r"(?:to |about |for )?(?:the|my)\b|\bnot (?:the|my) \w+(?: \w+)?\s*[.!]*$|"
    r"(?:改成|改为|应该是)(?:那个)?[\u4e00-\u9fff]{1,6}(?:那个|那单|坏了)?$|"
    r"说错|写错|打错|搞错|弄错|口误|不是.{1,10}?(?:是|而是)|是.{1,10}?不是|更正|纠正|"
    r"我(?:说|问|指)的是|我是(?:说|问|指)",
    re.IGNORECASE,
)
# The Reading detail of another product meant than the one the last answer was about.
PRODUCT = "corrected_product"
# What the last answer was about for "i meant the dishwasher" to ask it again of that one.
_ABOUT_PRODUCTS = frozenset({products.INTENT, products.PRODUCT_INFO, "ask_payment"})


def _corrects_after_product(turn: Turn) -> bool:
    """True when the message says another thing was meant right after an answer about a
    product (its price, an attribute, paying for it)."""
    slot = turn.dialogue.slot("product")
    if turn.deps.catalogue is None or slot is None or turn.dialogue.turn - slot.turn > 1:
        return False
    if not set(turn.dialogue.intents) & _ABOUT_PRODUCTS:
        return False  # the last answer was about something else (a case's item: corrected_item)
    return _ITEM_CORRECTS.search(turn.message.text) is not None and not turn.parse.orders


async def product_meant(turn: Turn) -> Product | None:
    """The catalogue product the customer says they meant, right after an answer about
    another ("sorry i meant the dishwasher", "不对 我说的是洗碗机", "not the kettle, the
    toaster"); None when the message corrects nothing, names no one product besides the
    one answered about, or the last answer was about no product."""
    catalogue, slot = turn.deps.catalogue, turn.dialogue.slot("product")
    if catalogue is None or slot is None or not _corrects_after_product(turn):
        return None
    try:
        answered = await catalogue.search(slot.value)
        before = {p.sku for p in answered}
        found = await catalogue.search(turn.message.text)
        if found and all(p.sku in before for p in found):
            # "不是空气炸锅 是搅拌机": the search finds the longer name, the one answered about;
            # the words left once it is taken out name the one meant.
            found = await catalogue.search(_without_names(turn.message.text, answered))
    except CatalogueError:
        return None
    meant = [p for p in found if p.sku not in before]
    return meant[0] if len(meant) == 1 else None


def _without_names(text: str, named: list[Product]) -> str:
    """The text with every name of these products taken out."""
    for product in named:
        for name in sorted(product_names(product), key=len, reverse=True):
            if name:
                text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    return text


# The thing said to be meant, at the end of the correction: "no i meant the milk frother",
# "sorry its the juicer", "我说的是榨汁机", "不对 是榨汁机".
_MEANT = re.compile(
    r"\b(?:meant|mean|ment|it'?s|its|it is|it was)\s+(?:the |a |an |my )?"
    r"(?P<en>[a-z][a-z -]{1,30}?)\s*(?:,?\s*not\b.*)?[.!?]*$|"
    r"(?:说的是|问的是|指的是|我是说|我是问|是)(?P<zh>[\u4e00-\u9fff]{2,8}?)(?:啊|呀|吧|呢|哈)?[。！？!?]*$",
    re.IGNORECASE,
)


# The customer's own slip in naming what they asked about: "sorry i meant the toaster", "my
# bad, meant to say the blender", "说错了 我是想问烤面包机", "口误" (not "不是冻结 是扣款了",
# which contradicts what the bot said).
_SLIP = re.compile(
    r"\bi (?:meant|mean|ment)\b|\bmeant to (?:say|write|type|ask)\b|\bmy (?:bad|mistake)\b|"
    r"说错|写错|打错|口误|我是想问|我想问的是|我问的是",
    re.IGNORECASE,
)


async def meant_unsold(turn: Turn) -> str | None:
    """The product the customer says they meant, right after a product answer, when it is
    one we do not sell ("no i meant the milk frother"): to say so, never "say it another
    way"; None otherwise."""
    catalogue = turn.deps.catalogue
    found = _MEANT.search(turn.message.text.strip())
    if catalogue is None or found is None or not _corrects_after_product(turn):
        return None
    phrase = (found.group("en") or found.group("zh") or "").strip()
    try:
        return phrase if phrase and not await catalogue.search(phrase) else None
    except CatalogueError:
        return None


async def product_again(turn: Turn) -> list[Reply]:
    """The last question asked again of the product the customer meant: paying for it in
    parts, the attribute just told, else its price and stock (one we do not sell: said
    so); it is the product in play from now on."""
    product = await product_meant(turn)
    if product is None:
        unsold = await meant_unsold(turn)
        if unsold is None:
            return [turn.reply("help")]
        # "how much?" next is about the one we do not sell, not the one before it.
        turn.outcome.slots["product"] = unsold
        turn.outcome.intents[-1:] = [products.INTENT]
        return [turn.reply("catalogue_missing", product=unsold)]
    turn.outcome.slots["product"] = product.name
    parts = turn.dialogue.slot(pay_ways.INSTALMENTS_SLOT)
    if parts is not None and turn.dialogue.turn - parts.turn <= 1:
        turn.outcome.intents[-1:] = ["ask_payment"]
        return await pay_ways.follow_up(turn, product=pay_ways.priced(product, turn.language))
    if attributes.last_asked(turn) is not None:
        return await attributes.answer(turn, meant=product.name)
    turn.outcome.intents[-1:] = [products.INTENT]
    return [Reply(products.line(turn, product, about_price=True))]


def corrects_item_named(text: str) -> bool:
    """True when the message says the customer named the wrong thing ("sorry i meant the
    toaster", "说错了 我是想问烤面包机")."""
    return _SLIP.search(text) is not None


def asked_before(turn: Turn) -> str | None:
    """What the customer wrote just before this message, in this conversation, if anything."""
    current = turn.conversation_id
    said = [
        m.text
        for m in turn.context.recent
        if m.direction is Direction.IN
        and m.conversation_id == current
        and m.id != turn.message_record
    ]
    return said[-1] if said else None


# An item named as the wrong one: "not the toaster", "不是烤面包机".
_NOT_BEFORE = re.compile(
    r"(?:\bnot (?:the |my |a |an )?|\binstead of (?:the |my )?|不是(?:那个|这个)?)\s*$", re.I
)
# Between an order's items: "electric kettle, toaster", "电水壶、吹风机".
_ITEMS = re.compile(r"[;,，、]|\band\b")


def _named(text: str, item: str) -> tuple[int, str] | None:
    """Where and how an item of the order is named in the text (all of it, or for English
    its last word: "the kettle" for "electric kettle"), else None."""
    low, item = text.lower(), item.strip().lower()
    if not item:
        return None
    at = low.find(item)
    if at >= 0:
        return at, text[at : at + len(item)]
    last = item.split()[-1] if item.isascii() else ""
    if len(last) < 4:
        return None
    found = re.search(rf"\b{re.escape(last)}s?\b", low)
    return (found.start(), text[found.start() : found.end()]) if found else None


async def _items_named(turn: Turn, case: Case) -> list[tuple[int, str]]:
    """The items the message names, where: products the engine knows, and the items of the
    case's order (or the order in play) as they are written in the message."""
    text = turn.message.text
    # (Where the message has the product's words: the engine's offsets are of the text it
    # read, which may be a part of the message.)
    named = {
        (at if (at := text.find(e.text)) >= 0 else e.start): e.text
        for e in turn.parse.entities
        if e.kind == "product"
    }
    found = ORDER_LINE.search(case.summary)
    number = found.group(1) if found else turn.order_in_play
    if number is not None and turn.deps.orders is not None:
        try:
            order = await turn.deps.orders.find(number)
        except OrderLookupError:
            order = None
        for item in _ITEMS.split(order.items if order is not None else ""):
            seen = _named(text, item)
            if seen is not None and not any(s <= seen[0] < s + len(w) for s, w in named.items()):
                named[seen[0]] = seen[1]
    return sorted(named.items())


async def corrected_item(turn: Turn) -> tuple[Case, str, str | None] | None:
    """The case this conversation just opened or spoke of, the item the message says it is
    really about, and the one it says it is not ("sorry i meant the kettle not the toaster",
    "说错了 是吹风机坏了"); None when the message corrects no item."""
    text = turn.message.text
    if turn.dialogue.case is None or _ITEM_CORRECTS.search(text) is None:
        return None
    case = await current_case(turn)
    if case is None or case.number != turn.dialogue.case or case.kind is not CaseKind.COMPLAINT:
        return None
    if any(not names_order(case.summary, o.value) for o in turn.parse.orders):
        return None  # another order named: the order's correction (wrong_order), not this
    named = await _items_named(turn, case)
    wrong = [w for at, w in named if _NOT_BEFORE.search(text[:at])]
    right = [w for at, w in named if w not in wrong]
    if not right:
        return None
    about = case.reason.partition(":")[0].strip().lower() if ":" in case.reason else ""
    if right[0].lower() == about and not wrong:
        return None  # the item the case is about already, said again
    # The item before, when not named now: the case's, as the customer wrote it (never the
    # catalogue's English name said back to a customer writing Chinese).
    earlier = about if about and about in case.summary.lower() else None
    before = wrong[0] if wrong else earlier
    return case, right[0], before


async def _order_with_item(turn: Turn, item: str, current: str | None) -> str | None:
    """Another order named in this conversation that holds ``item`` while the case's order
    ``current`` does not, the latest named; None when the case's order has it or none does."""
    lookup = turn.deps.orders
    if lookup is None:
        return None

    async def holds(number: str) -> bool:
        try:
            order = await lookup.find(number)
        except OrderLookupError:
            return False
        if order is None:
            return False
        return any(
            _named(item, i) is not None or _named(i, item) is not None
            for i in _ITEMS.split(order.items)
        )

    if current is None or await holds(current):
        return None
    named = [s.value for s in turn.dialogue.slots if s.kind == "order_number"]
    for number in reversed(named):
        if order_key(number) != order_key(current) and await holds(number):
            return number
    return None


async def item_on_case(turn: Turn) -> list[Reply]:
    """The case amended to the item the customer meant: its reason names it, their words and
    a note of the correction go on it, and they are told; no second case, and the order on
    it is not asked for again."""
    found = await corrected_item(turn)
    if found is None:
        return [turn.reply("help")]
    case, item, before = found
    _, colon, rest = case.reason.partition(":")
    what = rest.strip() if colon else case.reason
    line = turn.message.text.strip()
    await turn.deps.cases.update(
        case.number, reason=f"{item}: {what}"[:200], summary=f"{case.summary}\n{line}".strip()
    )
    note = f"{ITEM_NOTE}{item}" + (f" (not {before})" if before else "")
    await turn.deps.cases.add_note(case.number, author=AUTHOR, text=note)
    turn.outcome.case = case.number
    order = ORDER_LINE.search(case.summary)
    moved = await _order_with_item(turn, item, order.group(1) if order else None)
    if order is not None and moved is not None:
        # The item is on another order named in this conversation: the case moves to it.
        summary = (await turn.deps.cases.get(case.number)).summary
        summary = re.sub(
            rf"^order: {re.escape(order.group(1))}$", f"order: {moved}", summary, flags=re.M
        )
        await turn.deps.cases.update(case.number, summary=summary)
        was = turn.say("item_corrected_was", item=before) if before else ""
        if turn.language != "zh":
            was = f" {was}" if was else ""
        kept = turn.say("item_corrected_moved", order=moved, wrong=order.group(1))
        return [turn.reply("item_corrected", number=case.number, item=item, was=was, order=kept)]
    was = turn.say("item_corrected_was", item=before) if before else ""
    kept = turn.say("item_corrected_order", order=order.group(1)) if order else ""
    if turn.language != "zh":
        # (Wordings are stripped when said: the space before an English aside put back.)
        was = f" {was}" if was else ""
    return [turn.reply("item_corrected", number=case.number, item=item, was=was, order=kept)]
