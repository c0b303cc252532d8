"""How many of a product the customer wants: "have you got 15 in stock", "那我拿两个"."""

from __future__ import annotations

import logging
import re

from handlers import context, inquiry
from handlers.catalogue import CatalogueError, Product
from handlers.products import INTENT, PRODUCT_INFO, stock_text
from handlers.turn import Turn
from handlers.types import Reply

logger = logging.getLogger(__name__)

# The Reading detail: a count of the product named or in play.
DETAIL = "product_quantity"
# How many messages after a product was talked about a bare count is still about it.
IN_PLAY_TURNS = 3
# The longest message (words, or ideographs) read as a count asked.
_SHORT = 14

_EN_NUMBERS = {
    "a couple": 2,
    "a couple of": 2,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a dozen": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "fifty": 50,
}
_ZH_DIGITS = dict(zip("一二两三四五六七八九", (1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
# What a number counts when it is no count of the product: time, money, sizes, other things.
_NOT_COUNTED = (
    r"(?:%|\$|dollars?|usd|bucks|quid|pounds?|euros?|days?|weeks?|months?|years?|yrs?|hours?|"
    r"hrs?|mins?|minutes?|secs?|seconds?|l|ml|litres?|liters?|w|watts?|mah|cups?|slices?|"
    r"people|persons|ppl|pm|am|o'?clock|th|st|nd|rd|inch(?:es)?|cm|mm|kg|g|stars?|times|"
    r"orders?|emails?|e-mails?|messages?|texts?|calls?|cases?|tickets?|questions?|parcels?|"
    r"packages?|boxes|refunds?|payments?|instal\w*|charges?|points?|codes?|percent|off|"
    # A rate, not a count: "like 3 a day", "2 per week", "5 every morning".
    r"an? (?:day|week|month|night|morning)|per|every|each)\b"
)
# "have you got 15 in stock", "we'd need four of those", "can i get five", "are there 12 left",
# "i'll take two": a verb of having or getting, then a count (up to 3 digits: never an
# order number), then nothing that says it counts something else.
_EN = re.compile(
    r"\b(?:do (?:you|u|ya) (?:guys )?(?:have|got|stock)|have (?:you|u) got|you got|got any|"
    r"are there|is there|need|want|wanna|get|buy|order|take|like|reserve|grab)\s+"
    r"(?:about |around |at least |like |maybe |only |just )?"
    r"(?P<n>\d{1,3}|" + "|".join(sorted(_EN_NUMBERS, key=len, reverse=True)) + r")\b"
    r"(?!\s*(?:-\s*)?" + _NOT_COUNTED + r")(?![.,]\d)",
    re.IGNORECASE,
)
# "那我拿两个", "有12个现货吗", "买3台", "能来五个不", "库存够20件吗": a verb of having or getting,
# a count and a measure word (not "两个月", "三个订单").
_ZH = re.compile(
    r"(?:要|买|来|订|拿|有|备|够|需要|想要|想买|能买|可以买|下单)\s*"
    r"(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个|台|件|只|套|把|部|份|支|单位)"
    r"(?!月|小时|钟|星期|礼拜|工作日|订单|问题|快递|包裹|人|期|次)"
)


def _number(said: str) -> int | None:
    said = said.strip().lower()
    if said.isdigit():
        return int(said)
    if said in _EN_NUMBERS:
        return _EN_NUMBERS[said]
    if said and all(c in _ZH_DIGITS or c == "十" for c in said):
        if "十" not in said:
            return _ZH_DIGITS[said] if len(said) == 1 else None
        tens, _, units = said.partition("十")
        return (_ZH_DIGITS.get(tens, 1) if tens else 1) * 10 + (_ZH_DIGITS.get(units, 0))
    return None


def count_asked(text: str) -> int | None:
    """The count of a product the words ask for or about ("have you got 15 in stock": 15,
    "那我拿两个": 2), None when they ask none."""
    found = _EN.search(text) or _ZH.search(text)
    if found is None:
        return None
    count = _number(found.group("n"))
    return count if count is not None and count > 0 else None


async def _product(turn: Turn, text: str) -> Product | None:
    """The one product the count is of: named in the words, else the one in play."""
    named = await _named(turn, text)
    if named is not None:
        return named if isinstance(named, Product) else None
    return await _in_play(turn)


async def _in_play(turn: Turn) -> Product | None:
    """The product the last few turns were about, as the catalogue has it."""
    slot = turn.dialogue.slot("product")
    if slot is None or turn.dialogue.turn - slot.turn > IN_PLAY_TURNS:
        return None
    try:
        found = await turn.deps.catalogue.search(slot.value) if turn.deps.catalogue else []
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return None
    return found[0] if found else None


async def _named(turn: Turn, text: str) -> Product | bool | None:
    """The one product the words name (beside the count); False when they name several
    (which one is not ours to guess); None when they name none (or there is no catalogue)."""
    catalogue = turn.deps.catalogue
    if catalogue is None:
        return None
    try:
        named = await catalogue.search(_EN.sub(" ", _ZH.sub(" ", text)))
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return None
    if len(named) == 1:
        return named[0]
    return False if named else None


async def asks(turn: Turn) -> bool:
    """True when the message asks for a count of the product named or in play ("have you
    got 15 in stock", "we'd need four of those", "那我拿两个", "有12个现货吗", "do you have
    8 kettles"), not a product called "15", nor a nod, nor a fault with an order."""
    text = turn.message.text.strip()
    if turn.parse.orders or context.DEFECT.search(text) or context.length(text) > _SHORT:
        return False
    if count_asked(text) is None:
        return False
    named = await _named(turn, text)
    if named is not None:
        return isinstance(named, Product)  # (several named: which one is not ours to guess)
    in_play = turn.dialogue.topic in (INTENT, PRODUCT_INFO) or turn.dialogue.slot("product")
    return bool(in_play) and await _in_play(turn) is not None


async def answer(turn: Turn) -> list[Reply]:
    """Whether that many of the product can be ordered: enough in stock (with the total),
    only so many, or none now (and when again); the product stays the one in play."""
    text = turn.message.text.strip()
    count = count_asked(text)
    product = await _product(turn, text)
    if count is None or product is None:
        return [turn.reply("help")]
    turn.outcome.slots["product"] = product.name
    turn.outcome.intents[-1:] = [INTENT]
    title = product.title(turn.language)
    if product.stock is None or product.stock <= 0:
        stock = stock_text(turn, product)
        return [turn.reply("quantity_none", product=title, count=count, stock=stock)]
    if product.stock < count:
        return [turn.reply("quantity_short", product=title, count=count, stock=product.stock)]
    if product.price is None:
        return [turn.reply("quantity_enough_no_price", product=title, count=count)]
    each = product.price_text()
    total = _total(product, count)
    enough = turn.reply("quantity_enough", product=title, count=count, price=each, total=total)
    # "周五前要一个电饭煲": enough in stock, and whether an order now makes that day.
    by_then = inquiry.by_day_reply(turn, text)
    return [enough if by_then is None else Reply(f"{enough.text}\n{by_then.text}")]


def _total(product: Product, count: int) -> str:
    """The price of ``count`` of the product, written as its own price is."""
    one = product.price_text()
    figure = f"{(product.price or 0.0) * count:,.2f}"
    found = re.search(r"[\d,]+(?:\.\d+)?", one)
    return one[: found.start()] + figure + one[found.end() :] if found else figure
