"""Spare parts and accessories of a product, from the catalogue: "any spare filters for it"."""

from __future__ import annotations

import logging
import re

from handlers import care, context, picked, products
from handlers.catalogue import CatalogueError, Part, Product, product_names
from handlers.dialogue import SUBJECT_TURNS
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply

logger = logging.getLogger(__name__)

# The Reading detail of a part asked for (handlers/dispatcher.py routes it here).
DETAIL = "product_part"

# Parts in general: "spare parts", "accessories", "配件", "替换的", "备用的".
_PARTS_WORDS = re.compile(
    r"\bspares?\b|\breplacement\b|\baccessor\w*|\bparts?\b|配件|替换|备用|备件|耗材",
    re.IGNORECASE,
)
# Buying one: "do you sell", "can i buy another", "where do i get a new", "有没有卖", "能单买吗".
_BUYS = re.compile(
    r"\b(?:sell|buy|get|order|purchase|have|got|stock|carry)\b|\b(?:another|extra|new|second|"
    r"spare|replacement)\b|separately|单独|单买|另买|再买|多买|买|卖|有没有|有吗|有卖|换(?:个|一个)?新",
    re.IGNORECASE,
)
# Buying it outright, said so: "buy", "purchase", "sell", "on its own", "separately", "单买",
# "单独卖", "能买吗" (not "get a new one": that is a replacement, the case's).
_BUYS_OUTRIGHT = re.compile(
    r"\b(?:buy|purchase|sell|sold|order)\b|\bon (?:its|their) own\b|\bseparately\b|"
    r"单买|单独(?:买|卖|购买)|另买|买(?:吗|么|得到|到|一个|个)|卖(?:吗|么|不)|有卖",
    re.IGNORECASE,
)
# What customers ask for that is a part of a product, whether or not the catalogue lists it.
_PART_NOUNS = re.compile(
    r"\b(?:lids?|filters?|bowls?|baskets?|jugs?|carafes?|blades?|brush(?:es)?|pads?|pots?|"
    r"trays?|batter(?:y|ies)|cables?|cords?|plugs?|seals?|gaskets?|nozzles?|cups?|liners?|"
    r"heads?|bags?|mounts?|chargers?|docks?|handles?|knobs?|caps?)\b|"
    r"盖子|盖|内胆|滤网|滤芯|炸篮|篮子|杯子|杯|刀片|刀头|刀组|刷头|边刷|拖布|电池|充电器|底座|线|密封圈|蒸笼|蒸架|把手|尘袋",
    re.IGNORECASE,
)
# The part is missing from an order or broken: a case's matter (handlers/complaint.py).
_MISSING = re.compile(
    r"\bmissing\b|\bwasn'?t in\b|\bnot in the box\b|\bdidn'?t come with\b|\bcame without\b|"
    r"少了(?!一?个?(?:\d|零|〇|数字|位数))|少个(?!\d|零|〇|数字)|缺了|缺少|没有收到|没收到|没给|漏发|补发",
    re.IGNORECASE,
)
_SIZE = re.compile(r"\s*(?:[\d.]+\s*(?:升|l|ml)\b|（[^）]*）|\([^)]*\))", re.IGNORECASE)


# How near a part its breaking is said, in characters: "the inner pot of my rice cooker
# cracked", "内胆坏了" (Chinese says as much in fewer).
_BESIDE = 24
_BESIDE_ZH = 8
_CLAUSE_END = re.compile(r"[.?!;。？！；]")


def broken_bought(text: str) -> bool:
    """True for a broken part asked to be bought outright ("内胆坏了能单买吗", "can i buy a
    new jug if mine cracks"), not replaced ("the lid broke, can i get a new one")."""
    if _BUYS_OUTRIGHT.search(text) is None or not is_question(text):
        return False
    # The part itself broken, said beside it ("内胆坏了", "the lid cracked", "broken jug"), not
    # the product broken and parts asked about apart ("the vacuum stopped charging ... and do
    # you sell batteries": a fault for a case, and a question).
    for clause in _CLAUSE_END.split(text):
        for part in _PART_NOUNS.finditer(clause):
            beside = _BESIDE if part.group(0).isascii() else _BESIDE_ZH
            near = clause[max(0, part.start() - beside) : part.end() + beside]
            if context.DEFECT.search(near):
                return True
    return False


# What the delivery-cost answer of a product is read as (handlers/basket.py).
_DELIVERY = "ask_delivery"


def asks_about(text: str) -> bool:
    """True when the words ask to buy a part or accessory ("do you sell spare filters",
    "can i buy another lid", "有没有替换的内胆", "配件单独卖吗"), not a part missing or broken
    (unless asked to buy outright all the same: "内胆坏了能单买吗", "can i buy a new jug if
    mine cracks")."""
    if _MISSING.search(text):
        return False
    if context.DEFECT.search(text) and not broken_bought(text):
        return False
    if _PARTS_WORDS.search(text):
        return True
    return _PART_NOUNS.search(text) is not None and _BUYS.search(text) is not None


async def product_of(turn: Turn) -> Product | None:
    """The product the part is for: the one named, else the one in play; None for neither
    (the knowledge base's answer then)."""
    catalogue = turn.deps.catalogue
    if catalogue is None:
        return None
    chosen = await picked.one(turn)
    if chosen is not None:
        return chosen  # "a spare lid for the big one", "大的那个配件多少钱"
    text = turn.message.text
    named = await catalogue.search(_PART_NOUNS.sub(" ", text))
    if len(named) == 1:
        return named[0]
    if named:
        return None
    slot = turn.dialogue.slot("product")
    # (Also the product whose delivery cost was the last answer, "do you sell dishwashers and
    # how much is delivery" - "any spare parts for it?", or one named earlier in this message.)
    talked = turn.dialogue.topic in (products.INTENT, products.PRODUCT_INFO) or (
        slot is not None
        and slot.turn >= turn.dialogue.turn - 1
        and turn.dialogue.topic == _DELIVERY
    )
    if slot is not None and (
        slot.turn == turn.dialogue.turn
        or (slot.turn >= turn.dialogue.turn - SUBJECT_TURNS and talked)
    ):
        found = await catalogue.search(slot.value)
        return found[0] if len(found) == 1 else None
    if turn.context.open_cases:
        # "can i buy the lid on its own" with the kettle's case open: the case's item.
        return await care.ordered(turn)
    return None


async def applies(turn: Turn, *, has_open_case: bool) -> bool:
    """True for a part asked to buy for a catalogue product named or in play, with no order
    named. With a case open, only a part asked to buy in so many words ("can i buy the lid on
    its own", "配件能单买吗"): the catalogue answers that; a part wanted otherwise ("i need a
    new lid") and one missing from the order are the case's to send."""
    text = turn.message.text
    catalogue = turn.deps.catalogue
    if turn.parse.orders or catalogue is None or not asks_about(text):
        return False
    if has_open_case and (_BUYS_OUTRIGHT.search(text) is None or not is_question(text)):
        return False
    if context.POSTAGE.search(text):
        return False  # "is delivery free if i buy a spare filter": the delivery price's
    try:
        # "a usb cable and a phone case" are products of their own, not parts of another.
        rest = text.lower()
        for noun in {m.group(0) for m in _PART_NOUNS.finditer(rest)}:
            for product in await catalogue.search(noun):
                if any(noun in n.lower() for n in product_names(product) if n):
                    rest = rest.replace(noun, " ")
        return asks_about(rest) and await product_of(turn) is not None
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return False


def _head(part: Part) -> list[str]:
    """The words that name a part: the English name's last word ("Inner bowl 3 L": bowl), its
    Chinese name without its size ("3 升内胆": 内胆)."""
    english = re.findall(r"[a-z]+", _SIZE.sub("", part.name).lower())
    english = [w for w in english if w != "l"]
    words = [english[-1]] if english else []
    words = [w[:-2] if w.endswith("shes") else w[:-1] if w.endswith("s") else w for w in words]
    chinese = re.sub(r"[\d.\s]+升?", "", _SIZE.sub("", part.name_zh))
    return [*words, *([chinese] if len(chinese) >= 2 else [])]


def _named(text: str, part: Part) -> bool:
    lowered = text.lower()
    for word in _head(part):
        if word.isascii():
            if re.search(rf"\b{re.escape(word)}(?:e?s)?\b", lowered):
                return True
        elif word in text or (len(word) > 2 and word[-2:] in text):
            return True
    return False


async def answer(turn: Turn) -> list[Reply]:
    """The part asked for with its price, from the product's parts in the catalogue; all of
    them when parts are asked in general; honestly not listed (what is, and a person
    offered) when it is not among them."""
    text = turn.message.text
    try:
        product = await product_of(turn)
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        product = None
    if product is None:
        return await products.info(turn)
    language = turn.language
    turn.outcome.intents[-1:] = [products.PRODUCT_INFO]
    turn.outcome.slots["product"] = product.name
    title = product.title(language)
    # A part broken, bought all the same: the warranty may replace it free.
    covered = [turn.reply("part_broken_warranty")] if broken_bought(text) else []
    if not product.parts:
        return [*covered, turn.offer_human("part_none", product=title)]
    asked = [p for p in product.parts if _named(text, p)]
    listed = _listed(turn, asked or list(product.parts), product.currency)
    if asked:
        return [turn.reply("part_found", product=title, parts=listed), *covered]
    if _PART_NOUNS.search(text) is None or _only_general(text, product):
        return [turn.reply("part_list", product=title, parts=listed), *covered]
    return [*covered, turn.offer_human("part_not_listed", product=title, parts=listed)]


def _only_general(text: str, product: Product) -> bool:
    """True when the part words are the product's own name ("kettle", "水杯" is no cup)."""
    rest = text.lower()
    for name in product_names(product):
        if name:
            rest = rest.replace(name.lower(), " ")
    return _PART_NOUNS.search(rest) is None


def _listed(turn: Turn, parts: list[Part], currency: str) -> str:
    """The parts with their prices, in the customer's language."""
    separator = "；" if turn.language == "zh" else "; "
    shown = []
    for part in parts:
        price = Product(sku="", name="", price=part.price, currency=currency).price_text()
        name = part.title(turn.language)
        if price:
            name = f"{name}（{price}）" if turn.language == "zh" else f"{name} ({price})"
        shown.append(name)
    return separator.join(shown)
