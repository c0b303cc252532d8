"""Price and availability questions, answered from the product catalogue."""

from __future__ import annotations

import logging
import re

from handlers import inquiry
from handlers.catalogue import CatalogueError, Product, product_phrase
from handlers.turn import Turn
from handlers.types import Reply

logger = logging.getLogger(__name__)

INTENT = "ask_product_availability"
PRODUCT_INFO = "ask_product_info"

# "how much is ...", "空气炸锅多少钱": the price leads the answer, not "yes, we sell it".
_PRICE = re.compile(
    r"how\s*much|price|cost|charge|expensive|cheap|多少钱|价|咋卖|怎么卖|贵|便宜|多少米"
)
# "and toasters?", "what about the kettle", "那咖啡机呢": a product named after a product
# question, with nothing else around it.
_ANOTHER = re.compile(
    r"^(?:(?:ok|okay|so|and|hm+|also)[\s,]+)*(?:what about|how about|and|also)\s+(?:the\s+|a\s+)?"
    r"(?P<en>[a-z][a-z\s-]{1,30}?)[\s?!.]*(?:\b(?:need|want|got|do you|in stock)\b.*)?$|"
    r"^(?:那|那个|还有)(?P<zh>[\u4e00-\u9fff]{2,8}?)(?:呢|有吗|有没有|有货吗|有货没)",
    re.IGNORECASE,
)
# "is the toaster back soon", "when will it be in stock again", "还会补货吗", "啥时候有货":
# when it can be bought, so the stock (and restock date) leads the answer.
RESTOCK = re.compile(
    r"\bback\b|restock|re-stock|in stock|\bstock\b|available|availability|sold out|"
    r"out of stock|\bget more\b|\bany left\b|"
    r"补货|有货|现货|库存|到货|上架|缺货|没货|断货|卖完|还有吗|还有没有",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(r"\b(?:what|whats|how|is|are|it|that|this|them|one)\b", re.I)
# "do you sell the milk frother separately", "配件单独卖吗": parts and accessories of a
# product are on its page (the knowledge base says where), not products of the catalogue.
_PARTS = re.compile(
    r"separate(?:ly)?|spare|replacement|accessor|parts?\b|filters?\b|单独|单买|配件|滤网|滤芯|刷头",
    re.IGNORECASE,
)


async def availability(turn: Turn) -> list[Reply]:
    """ "do you sell dishwashers" / "空气炸锅多少钱": yes with price and stock, or an honest no.

    The product is the one the question names, else the one the conversation is about ("is
    the black one in stock" after asking about the coffee machine). A question about parts
    or accessories, or one that names no product at all, is answered from the knowledge base.
    """
    text = inquiry.question(turn)
    if _PARTS.search(text):
        # Read as the product question it is, so that "how long is it?" follows it up.
        turn.outcome.intents[-1:] = [PRODUCT_INFO]
        entry = turn.deps.knowledge.find(text, intent=PRODUCT_INFO)
        return [Reply(entry.answer(turn.language))] if entry else [turn.reply("help")]
    catalogue = turn.deps.catalogue
    entity = turn.parse.entity("product")
    slot = turn.dialogue.slot("product")
    another = _ANOTHER.search(text.strip())
    tail = (another.group("en") or another.group("zh")) if another else None
    if tail is not None and (_PRICE.search(tail) or _NOT_A_NAME.search(tail)):
        tail = None  # "and whats the price": about the product in play, named by none
    named = [q for q in (product_phrase(text), entity.value if entity else None, tail) if q]
    asked = named or ([slot.value] if slot is not None else [])
    if catalogue is None or not asked:
        return await inquiry.answer(turn)
    found: list[Product] = []
    try:
        for query in dict.fromkeys(asked):
            found = await catalogue.search(query)
            if found:
                break
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return [turn.reply("catalogue_failed", product=asked[0])]
    if not found:
        return [turn.reply("catalogue_missing", product=asked[0])]
    # "how much?" next: about this product, however the engine read its name.
    turn.outcome.slots["product"] = query
    turn.outcome.intents[-1:] = [INTENT]
    about_price = bool(_PRICE.search(text))
    about_stock = not about_price and bool(RESTOCK.search(text))
    lines = (_line(turn, product, about_price, about_stock) for product in found[:3])
    return [Reply("\n".join(lines))]


async def info(turn: Turn) -> list[Reply]:
    """A product question: one about a catalogue product's stock or price ("when will the
    toaster be back in stock", "吸尘器啥时候补货") is answered from the catalogue, with its
    restock date; anything else (warranty, colours, advice) from the knowledge base."""
    text = inquiry.question(turn)
    catalogue = turn.deps.catalogue
    phrase = product_phrase(text)
    entity = turn.parse.entity("product")
    slot = turn.dialogue.slot("product")
    # "how much is that" after the air fryer's warranty: the product in play.
    named = phrase or (entity.value if entity else None) or (slot.value if slot else None)
    if (
        catalogue is None
        or named is None
        or _PARTS.search(text)
        or not (RESTOCK.search(text) or _PRICE.search(text))
    ):
        return await inquiry.answer(turn)
    try:
        found = await catalogue.search(named)
    except CatalogueError:
        found = []  # the knowledge base's answer then; availability would say it is down
    if not found:
        return await inquiry.answer(turn)
    return await availability(turn)


def _line(turn: Turn, product: Product, about_price: bool, about_stock: bool = False) -> str:
    """One product: its name, price and whether it can be ordered now (or when again)."""
    if product.stock is None:
        stock = turn.say("catalogue_stock_unknown")
    elif product.stock > 0:
        stock = turn.say("catalogue_in_stock", count=product.stock)
    elif product.restock is not None and product.restock >= turn.deps.clock().date():
        stock = turn.say("catalogue_sold_out_until", date=product.restock.isoformat())
    else:
        # No date, or one already past with nothing in stock: no date we can stand by.
        stock = turn.say("catalogue_sold_out")
    price = product.price_text()
    if not price:
        key = "catalogue_found_no_price"
    elif about_stock:
        key = "catalogue_restock"
    else:
        key = "catalogue_price" if about_price else "catalogue_found"
    return turn.say(key, product=product.title(turn.language), price=price, stock=stock)
