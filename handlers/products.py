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
    about_price = bool(_PRICE.search(text))
    return [Reply("\n".join(_line(turn, product, about_price) for product in found[:3]))]


def _line(turn: Turn, product: Product, about_price: bool) -> str:
    """One product: its name, price and whether it can be ordered now."""
    if product.stock is None:
        stock = turn.say("catalogue_stock_unknown")
    elif product.stock > 0:
        stock = turn.say("catalogue_in_stock", count=product.stock)
    else:
        stock = turn.say("catalogue_sold_out")
    price = product.price_text()
    if not price:
        key = "catalogue_found_no_price"
    else:
        key = "catalogue_price" if about_price else "catalogue_found"
    return turn.say(key, product=product.title(turn.language), price=price, stock=stock)
