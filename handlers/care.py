"""Using and looking after a product: "is it normal that it smells", "how do i clean the
basket", "第一次用之前要洗吗", answered from handlers/data/care.yml for the product named, in
play, or on the order talked about."""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path

from handlers import context, hazard, yaml_text
from handlers.catalogue import CatalogueError, Product
from handlers.dialogue import SUBJECT_TURNS
from handlers.inquiry import find_order
from handlers.turn import Turn
from handlers.types import Reply

logger = logging.getLogger(__name__)

DETAIL = "product_care"
GUIDE = Path(__file__).parent / "data" / "care.yml"

# Whether something is normal: "is that normal", "is it supposed to", "正常吗", "是不是坏了".
_NORMAL = re.compile(
    r"\bnormal\b|\bis (?:that|this|it) (?:ok|okay|fine|expected)\b|"
    r"\b(?:supposed|meant) to (?:make|smell|sound|get (?:hot|warm)|do (?:that|this)|"
    r"be (?:this|so|that) (?:loud|hot|noisy|warm|smelly))\b|"
    r"\bshould it (?:be|make|smell|sound|get|do)\b|\bis something wrong with it\b|"
    r"正常|是不是坏了|是不是有问题|有没有问题|没问题吧|要紧吗|要不要紧|有关系吗|有事吗",
    re.IGNORECASE,
)
# What it does, by topic (a question whether that is normal).
_SYMPTOMS = (
    (
        "smell",
        re.compile(r"\bsmell\w*|\bodou?r\w*|\bstinks?\b|\bfumes?\b|味|臭", re.IGNORECASE),
    ),
    (
        "noise",
        re.compile(
            r"\bnois\w*|\bloud\b|\bclick\w*|\bbuzz\w*|\bhum(?:s|ming)?\b|\brattl\w*|\bwhin\w*|"
            r"\bwhistl\w*|\bcrackl\w*|\bsqueak\w*|\bbeep\w*|\bsound\w*|\bfans?\b|"
            r"响|声音|声儿|噪音|噪声|咔|嗡|吱吱|滋滋",
            re.IGNORECASE,
        ),
    ),
    (
        "water",
        re.compile(
            r"\bdrip\w*|\bcondensation\b|\bpuddles?\b|"
            r"\bwater (?:on|under|in|around|coming|drops?|collects|gathers|pools|builds)\b|"
            r"\bsteam\w*|\bdroplets?\b|滴水|水珠|水汽|冒气|蒸汽|积水|有水|出水",
            re.IGNORECASE,
        ),
    ),
    (
        "heat",
        re.compile(
            r"\b(?:gets?|getting|is|very|really|so|quite) (?:hot|warm)\b|"
            r"\bhot (?:on the )?(?:outside|sides?|top)\b|发烫|很烫|发热|好烫|外壳.{0,2}烫|挺烫",
            re.IGNORECASE,
        ),
    ),
)
# How to clean or descale it: "how do i clean the basket", "best way to wash it", "怎么清洗".
_CLEAN = re.compile(
    r"\bhow (?:do|should|can|to|would) (?:i |we |you )?(?:best )?(?:clean|wash|descale)\b|"
    r"\b(?:way|how) to (?:clean|wash|descale)\b|\bcleaning\b|\bdescal\w*|\blimescale\b|"
    r"\bclean (?:it|them|the \w+)\b.*\?|"
    r"(?:怎么|咋|如何|怎样|咋样)(?:样)?(?:清洗|清理|清洁|洗|除垢|去水垢)|清洗方法|除水垢|除垢|"
    r"水垢.{0,3}(?:怎么|咋|如何)",
    re.IGNORECASE,
)
# Before the first use: "do i need to wash it before first use", "第一次用之前要洗吗".
_FIRST_USE = re.compile(
    r"\bfirst (?:time )?(?:use|using|run|go)\b|\bbefore (?:i |we )?(?:first )?(?:use|using)\b|"
    r"\bbefore (?:the )?first\b|"
    r"第一次用|第一次使用|首次使用|初次使用|头一回用|头一次用|用之前|使用前|开始用之前",
    re.IGNORECASE,
)
# The first uses of something new: "the first time i used it", "brand new", "第一次用", "刚买的".
_NEW = re.compile(
    r"\bfirst (?:time|few times|couple of times|uses?|runs?|go|day)\b|\bbrand[- ]new\b|"
    r"\bjust (?:bought|got|arrived|came|unboxed|delivered)\b|\bout of the box\b|"
    r"\b(?:first|1st) (?:time )?(?:i |we )?(?:used|tried|turned|switched|ran)\b|"
    r"第一次|首次|初次|头一回|头一次|头几次|前几次|刚买|新买|刚到|刚收到|刚拿到|新的",
    re.IGNORECASE,
)
# A smell of burning and nothing worse: "burning smell", "smells burnt", "焦味", "糊味". On
# the first uses of a heating appliance that is the factory oil and coating burning off.
_BURNT_SMELL = re.compile(
    r"\bburn(?:ing|t|ed)?(?: plastic| rubber| dust)? (?:smell|odou?r|scent)\w*|"
    r"\b(?:smell|smells|smelled|smelling|smelt)\s+(?:a bit |a little |slightly |kind of |kinda )?"
    r"(?:of |like )?(?:burn(?:ing|t|ed)?|something burning|scorched)\b|"
    r"(?:烧)?焦(?:糊)?(?:的)?味(?:道|儿)?|糊(?:的)?味(?:道|儿)?|烧焦的?味",
    re.IGNORECASE,
)


def first_use_smell(text: str) -> bool:
    """True for "used it for the first time and it gave off a burnt smell, is that ok?", "头
    一次开机有股焦糊味儿 这正常不": a care question about a new appliance (the coating burning
    off), not a fault (handlers/hazard.py) - unless it tells of worse beside the smell (smoke,
    sparks, melting)."""
    if not (_NORMAL.search(text) and _NEW.search(text) and _BURNT_SMELL.search(text)):
        return False
    return not hazard.sounds_dangerous(_BURNT_SMELL.sub(" ", _NORMAL.sub(" ", text)))


# Whether it may go in the dishwasher is the product's attribute (handlers/attributes.py).
_DISHWASHER = re.compile(r"\bdish ?washer\b|洗碗机", re.IGNORECASE)
# Not the product but the parcel, the order, the money: "is it normal the parcel is late".
_NOT_PRODUCT = re.compile(
    r"\b(?:parcel|package|delivery|courier|order|refund|payment|charge|tracking)\b|"
    r"包裹|快递|物流|订单|退款|扣款|付款|发货",
    re.IGNORECASE,
)


# Buying something for it: "do you sell descaler", "got any kettle descaler", "有除垢剂卖吗"
# (the catalogue's answer, handlers/products.py and handlers/parts.py).
_BUYING = re.compile(
    r"\b(?:sell|sells|selling|buy|stock|carry|price|cost|costs|how much|got any|have any)\b|"
    r"\bdescalers?\b|卖|(?:能|可以|想|要|去哪|哪里|在哪|哪儿)买|有货|多少钱|价格|除垢剂|清洁剂",
    re.IGNORECASE,
)


# Something to clean or descale with: "would vinegar work instead?", "lemon juice ok?",
# "柠檬酸可以吗", "用白醋行不行", asked right after the care text (see ``cleaner_asked``).
_CLEANER = re.compile(
    r"\b(?:vinegar|lemons?|lemon juice|citric|citrus|baking soda|bicarb\w*|soda crystals|bleach|"
    r"washing[- ]up liquid|dish ?soap|soap|detergent|descaler|cola|coke|denture tablets?)\b|"
    r"醋|柠檬|苏打|漂白|洗洁精|洗涤剂|除垢剂|清洁剂|可乐|肥皂|消毒液|洗衣粉",
    re.IGNORECASE,
)
# Up to this many words, a message naming a cleaner follows the care text up.
_CLEANER_WORDS = 12


def cleaner_asked(text: str) -> bool:
    """True for a short message naming something to clean with ("would vinegar work
    instead?", "柠檬酸可以吗"): right after the care text, a question about cleaning that
    product (the care text again), not a new topic; never one about buying or a fault."""
    return (
        _CLEANER.search(text) is not None
        and context.length(text) <= _CLEANER_WORDS
        and not context.DEFECT.search(text)
        and not re.search(r"\b(?:sell|buy|price|cost|how much)\b|卖|买|多少钱|价格", text, re.I)
    )


def topic(text: str) -> str | None:
    """What the message asks about using or looking after a product: "smell", "noise",
    "water", "heat" or "other" (whether something is normal), "clean", "first_use"; None
    for none of these (or a danger: handlers/hazard.py says what to do first). A burning
    smell on the first uses is "first_smell"."""
    if first_use_smell(text) and not _NOT_PRODUCT.search(text):
        return "first_smell"
    if hazard.sounds_dangerous(text) or _NOT_PRODUCT.search(text) or _BUYING.search(text):
        return None
    if _NORMAL.search(text):
        for name, words in _SYMPTOMS:
            if words.search(text):
                return name
        return "other"
    if _DISHWASHER.search(text):
        return None
    if _CLEAN.search(text):
        return "clean"
    if _FIRST_USE.search(text) and re.search(
        r"\b(?:wash|clean|rinse|do|need|should|prepare)\b|洗|清|注意|要|需要|得", text, re.I
    ):
        return "first_use"
    return None


async def product_of(turn: Turn) -> Product | None:
    """The product asked about: named in the message, else the product in play, else the
    one on the order talked about; None when there is none to go on."""
    catalogue = turn.deps.catalogue
    if catalogue is None:
        return None
    try:
        named = await catalogue.search(turn.message.text)
        if len(named) == 1:
            return named[0]
        if named:
            return None
        slot = turn.dialogue.slot("product")
        if slot is not None and slot.turn >= turn.dialogue.turn - 2 * SUBJECT_TURNS:
            found = await catalogue.search(slot.value)
            if len(found) == 1:
                return found[0]
        return await ordered(turn)
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return None


async def ordered(turn: Turn) -> Product | None:
    """The product the order talked about holds, the model its items name ("slow cooker 6L":
    the 6 L one); None with no order in play, or one holding several products.

    Raises:
        CatalogueError: when the catalogue cannot be reached.
    """
    number = turn.order_in_play
    if number is None or turn.deps.catalogue is None:
        return None
    order = await find_order(turn, number)
    if order is None or not order.items:
        return None
    found = await turn.deps.catalogue.search(order.items)
    return found[0] if len(found) == 1 else None


async def asks(turn: Turn) -> bool:
    """True for a question about using or looking after a product the shop sells that is
    named, in play or on the order talked about ("is it normal that it clicks", "怎么清洗内
    胆"); a question whether something is normal names what it does, or the product."""
    text = turn.message.text
    asked = topic(text)
    if asked is None:
        return False
    if context.DEFECT.search(text) and asked in ("clean", "first_use", "other"):
        # "it broke, how do i clean it", "按键老失灵 是不是坏了": the fault first.
        return False
    product = await product_of(turn)
    if product is None:
        # The first uses' smell is of a heating appliance, whichever: answered without one.
        return asked == "first_smell"
    if asked == "other":
        # Only with the product named: "is it normal" alone may be of anything.
        catalogue = turn.deps.catalogue
        return catalogue is not None and bool(await catalogue.search(text))
    return True


async def asks_whole(turn: Turn) -> bool:
    """True when the whole message is one such question ("空气炸锅有股味道 是不是坏了",
    "it clicks when it cools, is that ok?"): answered as one, not split into what it does
    and whether that is normal. A longer message may ask something else beside it."""
    return context.length(turn.message.text) <= _WHOLE_WORDS and await asks(turn)


# Up to this many words, a care question is the whole message.
_WHOLE_WORDS = 16


async def answer(turn: Turn) -> list[Reply]:
    """The guide's answer for the product's category (or its default), the product kept in
    play for the next question."""
    text = turn.message.text
    asked = topic(text)
    # "would vinegar work instead?" after the cleaning text: that text, as what to use.
    with_cleaner = asked is None and cleaner_asked(text)
    asked = asked or ("clean" if with_cleaner else "other")
    product = await product_of(turn)
    guide = _guide()
    by_category = guide.get(asked) or guide["other"]
    category = product.category if product is not None else ""
    said = by_category.get(category) or by_category["default"]
    if product is not None:
        name = product.title(turn.language)
        turn.outcome.slots["product"] = product.name
    else:
        name = "电器" if turn.language == "zh" else "appliance"
    said_text = said[turn.language].replace("{product}", name)
    if with_cleaner:
        said_text = f"{turn.say('care_cleaner')}\n{said_text}"
    return [Reply(said_text)]


@cache
def _guide() -> dict[str, dict[str, dict[str, str]]]:
    raw = yaml_text.parse(GUIDE.read_text(encoding="utf-8"))
    guide: dict[str, dict[str, dict[str, str]]] = {}
    for name, answers in raw.items():
        guide[str(name)] = {
            str(category): {str(k): str(v) for k, v in texts.items()}
            for category, texts in answers.items()
        }
    return guide
