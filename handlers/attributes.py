"""An attribute a short follow-up asks of the subject in play ("is it waterproof", "多大")."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from handlers import basket, cases, complaint, context
from handlers.catalogue import CatalogueError, Product, product_phrase
from handlers.dialogue import SUBJECT_TURNS
from handlers.products import INTENT, PRODUCT_INFO, asks_stock_or_price, comparison_asked
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import EXCHANGE, RETURN

logger = logging.getLogger(__name__)

# Reading details: a product's attribute from the catalogue; express for what a case sends.
DETAIL = "product_attribute"
EXPRESS = "case_express"


@dataclass(frozen=True, slots=True)
class Attribute:
    """Something customers ask of a product: how they ask it (``asked``), how the catalogue
    states it in a product's capacity, power and features (``said``), and whether the
    product's own name may state it ("Water bottle 750 ml": its size)."""

    name: str
    asked: re.Pattern[str]
    said: re.Pattern[str]
    in_name: bool = False


_MEASURE = r"\d+(?:\.\d+)?\s*(?:l|ml|litres?|liters?|mah|升|毫升|毫安)(?![a-z])"
# Most specific first: "how long does the battery last" is the battery, not a size.
ATTRIBUTES = (
    Attribute(
        "water",
        re.compile(
            r"water[- ]?(?:proof|resistant|resistance|tight)|\bsplash|\bshower|\bswim|\brain\b|"
            r"\bwet\b|\bip ?[x\d]\d?\b|防水|防泼水|进水|泡水|淋雨|沾水|游泳|洗澡|下水",
            re.I,
        ),
        re.compile(r"water|\bipx?\d|防水|泼水", re.I),
    ),
    Attribute(
        "battery",
        re.compile(
            r"batter(?:y|ies)|\bbatt\b|\bcharge (?:last|lasts)|"
            r"how long (?:does |will )?(?:it|the charge|a charge) last|\blast(?:s)? on a charge|"
            r"\bcharges?\b.{0,12}\bhow (?:long|many)|"
            r"续航|电池|电量|充一次|充满|待机|能用多久|用多久",
            re.I,
        ),
        re.compile(r"batter|a charge|\bmah\b|in the case|续航|电池|毫安|充电", re.I),
    ),
    Attribute(
        "power",
        re.compile(r"\bwatts?\b|wattage|\bpower(?:ful)?\b|功率|多少瓦|瓦数|几瓦|费电|耗电", re.I),
        re.compile(r"\d\s*w\b|瓦", re.I),
    ),
    Attribute(
        "noise",
        re.compile(
            r"\bloud\b|\bnoisy\b|\bnoise\b|\bquiet\b|\bdb\b|decibel|噪音|噪声|吵|声音大|静音|分贝",
            re.I,
        ),
        re.compile(r"\bdb\b|noise|quiet|分贝|降噪|静音", re.I),
    ),
    Attribute(
        "weight",
        re.compile(
            r"\bweigh|\bheavy\b|\bhow light\b|重量|多重|重不重|沉不沉|有多沉|几斤|几公斤", re.I
        ),
        re.compile(r"\d\s*(?:kg|g)\b|公斤|千克|克\b|斤", re.I),
    ),
    Attribute(
        "colour",
        re.compile(
            r"colou?rs?\b|\bblack\b|\bwhite\b|\bgr[ae]y\b|\bsilver\b|\bpink\b|颜色|几个色|几种色|"
            r"\b(?:red|blue|green|yellow|purple|navy|beige|gold|rose gold|cream)\b|"
            r"什么色|啥色|配色|黑色|白色|灰色|银色|粉色|[红蓝绿黄紫金米]色|其他色|别的色",
            re.I,
        ),
        re.compile(
            r"colou?r|\bblack\b|\bwhite\b|\bgr[ae]y\b|\bsilver\b|颜色|配色|黑色|白色|灰色|银色",
            re.I,
        ),
    ),
    Attribute(
        "size",
        re.compile(
            r"\bhow (?:big|large|small|tall|wide|much (?:does it|will it|can it) hold)\b|"
            r"\bsize\b|\bcapacity\b|\bdimensions?\b|\bvolume\b|\bhow many (?:litres|liters|cups|"
            r"ml)\b|\bhold(?:s)? (?:much|enough)\b|多大|大小|尺寸|容量|几升|多少升|装多少|能装|"
            r"多高|多宽|体积",
            re.I,
        ),
        re.compile(_MEASURE + r"|place settings|\bcups\b|套|杯", re.I),
        in_name=True,
    ),
)
# What a case sends going faster: "can you send it express", "能加急寄吗", "next day?".
_EXPRESS = re.compile(
    r"\bexpress\b|\bnext[- ]day\b|\bfaster\b|\bquicker\b|\bsooner\b|\bfast\b|\brush\b|"
    r"加急|快递加急|次日达|快点|快一点|尽快|早点",
    re.I,
)


def asks_express(text: str) -> bool:
    """True when the message asks for something sent faster ("can you send it express",
    "能加急寄吗", "next day?")."""
    return _EXPRESS.search(text) is not None


# The longest message (words, or two ideographs each) read as asking an attribute.
_FOLLOW_UP_WORDS = 12


def asked_of(text: str) -> Attribute | None:
    """The attribute the words ask about, if any (the first of ``ATTRIBUTES`` that fits)."""
    return next((a for a in ATTRIBUTES if a.asked.search(text)), None)


def facts(product: Product, attribute: Attribute, language: str) -> list[str]:
    """What the catalogue says of the product's attribute: its capacity, power and features
    that state it, in ``language`` (features else in English); [] when it says nothing."""
    features = product.features_zh if language == "zh" and product.features_zh else product.features
    parts = [product.capacity, product.power, *re.split(r"\s*[,，、;；]\s*", features)]
    found = [p for p in parts if p and attribute.said.search(p)]
    if not found and attribute.in_name:
        found = re.findall(_MEASURE, product.title(language), re.I)
    return list(dict.fromkeys(found))


# "do you have / sell the air fryer in black", "有没有黑色的空气炸锅", "你们卖不卖…": whether we
# carry the product named (the catalogue's availability answer), not one of its attributes.
_SELLS = re.compile(
    r"\b(?:do|did|does)\s+(?:you|u|ya)\s+(?:guys\s+)?(?:have|sell|carry|stock|do)\b|"
    r"\b(?:got|have)\s+(?:you\s+)?any\b|有没有|有卖|卖不卖|卖吗|有得卖",
    re.IGNORECASE,
)


async def _product_asked(turn: Turn, text: str) -> str | None:
    """The product a short attribute question is about: the one it names of its own ("is the
    blender waterproof": a new subject), else the one the last answer was about ("is it
    waterproof", "多大"); None when it names an order, a fault, a comparison, several
    products or one we do not carry."""
    dialogue = turn.dialogue
    catalogue = turn.deps.catalogue
    if (
        catalogue is None
        or turn.parse.orders
        or context.length(text) > _FOLLOW_UP_WORDS
        or context.DEFECT.search(text)
        or comparison_asked(text) is not None
        # "can i swap my keyboard for another colour": the exchange, not its colours.
        or EXCHANGE.search(text)
    ):
        return None
    try:
        named = await catalogue.search(text)
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return None
    if len(named) == 1:
        # Asked of a product named of its own: a question, not a wish ("i want a black one")
        # nor its price or stock (the catalogue's availability answer).
        # "do you have the air fryer in black" asks whether we sell it: its availability.
        ask = is_question(text) and not asks_stock_or_price(text) and not _SELLS.search(text)
        return named[0].name if ask else None
    slot = dialogue.slot("product")
    if (
        named
        or slot is None
        or dialogue.topic not in (INTENT, PRODUCT_INFO)
        or slot.turn < dialogue.turn - SUBJECT_TURNS
    ):
        return None
    phrase = product_phrase(text)
    return slot.value if phrase is None or phrase == slot.value else None


def _sends_for_case(turn: Turn) -> str | None:
    """``complaint.SENDS_PART`` or ``SENDS_NEW`` when the last answers said the open case
    sends the customer a missing part or a new item; else None."""
    for key in (complaint.SENDS_PART, complaint.SENDS_NEW):
        said = turn.dialogue.variant(key)
        if said is not None and 0 < turn.dialogue.turn - said <= SUBJECT_TURNS:
            return key
    return None


async def asks(turn: Turn, *, has_open_case: bool) -> context.Reading | None:
    """What a short follow-up asking an attribute of the subject in play means: a product's
    attribute from the catalogue ("is it waterproof", "续航咋样"), its delivery cost ("and
    shipping?", "运费多少"), express for the part or item a case sends ("can you send it
    express", "能加急寄过来吗"); None when it names a subject of its own or no attribute."""
    text = turn.message.text.strip()
    if (
        has_open_case
        and _sends_for_case(turn)
        and _EXPRESS.search(text)
        and context.length(text) <= _FOLLOW_UP_WORDS
        and not turn.parse.orders
    ):
        return context.Reading("complaint", detail=EXPRESS)
    if asked_of(text) is None and not (basket.asks(text) or context.POSTAGE.search(text)):
        return None
    if await _product_asked(turn, text) is None:
        return None
    if (basket.asks(text) or context.POSTAGE.search(text)) and not RETURN.search(text):
        return context.Reading("ask_delivery", detail=basket.DETAIL)
    # "is the black one in stock" is its stock (the catalogue's availability answer).
    if asked_of(text) is not None and not asks_stock_or_price(text):
        return context.Reading(PRODUCT_INFO, detail=DETAIL)
    return None


async def answer(turn: Turn) -> list[Reply]:
    """The product's attribute as the catalogue states it, or plainly that it does not say
    (with what it does list); the product stays the one in play."""
    text = turn.message.text.strip()
    attribute = asked_of(text)
    named = await _product_asked(turn, text)
    catalogue = turn.deps.catalogue
    if attribute is None or named is None or catalogue is None:
        return [turn.reply("help")]
    try:
        found = await catalogue.search(named)
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return [turn.reply("catalogue_failed", product=named)]
    if not found:
        return [turn.reply("catalogue_missing_again", product=named)]
    product = found[0]
    turn.outcome.slots["product"] = named
    turn.outcome.intents[-1:] = [PRODUCT_INFO]
    title = product.title(turn.language)
    what = turn.say(f"attribute_{attribute.name}")
    stated = facts(product, attribute, turn.language)
    joined = ("，" if turn.language == "zh" else ", ").join(stated)
    if stated:
        return [turn.reply("product_attribute", product=title, what=what, facts=joined)]
    specs = product.specs(turn.language)
    if specs:
        return [turn.reply("product_attribute_unknown", product=title, what=what, specs=specs)]
    return [turn.reply("product_attribute_unlisted", product=title, what=what)]


async def express_for_case(turn: Turn) -> list[Reply]:
    """Express for what the open case sends (the missing part, the new item): only the team
    can arrange it, so the wish is noted on the case and said so, with when it usually
    ships (not an address change, nor the delivery options of an order)."""
    case = await cases.current_case(turn)
    sends = _sends_for_case(turn)
    if case is None or sends is None:
        return [turn.reply("help")]
    await turn.deps.cases.add_note(
        case.number, author="bot", text=f"The customer asks for it by express: {turn.message.text}"
    )
    turn.outcome.case = case.number
    key = "case_express_part" if sends == complaint.SENDS_PART else "case_express_new"
    return [turn.reply(key, number=case.number)]
