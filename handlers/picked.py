"""One of the models in play picked by how it stands against the other ("the big one",
"the cheaper one", "大的那个", "小号的"), whatever is asked of it next."""

from __future__ import annotations

import logging
import re

from handlers.catalogue import (
    BIGGER,
    BY_SIZE,
    CHEAPER,
    SMALLER,
    CatalogueError,
    Product,
    product_phrase,
    size_of,
)
from handlers.turn import Turn

logger = logging.getLogger(__name__)

# The slot kind holding the models a product answer listed or compared, by name,
# "first|second": what "the cheaper one", "which is better" and "the difference in price" next
# refer to (handlers/pair.py, handlers/products.py).
PAIR_SLOT = "product_pair"
# How many turns after they were listed the models are in play when none was asked about since.
IN_PLAY_TURNS = 2

# One of the models listed or compared, picked by how it stands against the other: "the big
# one", "the cheaper one", "the smaller", "大的那个", "便宜的那款", "小号的". (Not "a bigger
# one", "anything cheaper", "有没有大的": another model asked for; nor a flaw, "小的划痕".)
_FLAWED = r"(?!划|刮|裂|坑|洞|口子|缺|瑕)"
_PICKED = (
    (
        CHEAPER,
        re.compile(
            r"\bthe (?:cheap(?:er|est)|less expensive|lower[- ]priced)\b|"
            r"(?<![更还有])便宜(?:一)?(?:点|些)?的|最便宜的(?:那|这)",
            re.IGNORECASE,
        ),
    ),
    (
        "dearer",
        re.compile(
            r"\bthe (?:dearer|pricier|priciest|more expensive|expensive)\b|"
            r"(?<![更还有])贵(?:一)?(?:点|些)?的|最贵的(?:那|这)",
            re.IGNORECASE,
        ),
    ),
    (
        BIGGER,
        re.compile(
            r"\bthe (?:big(?:ger|gest)?|large(?:r|st)?)\b|"
            r"(?<![多更有])大(?:一)?(?:点|些)?的" + _FLAWED + r"|(?<!有)大号|最大的(?:那|这)",
            re.IGNORECASE,
        ),
    ),
    (
        SMALLER,
        re.compile(
            r"\bthe (?:small(?:er|est)?|little|mini)\b|"
            r"(?<![多更有])小(?:一)?(?:点|些)?的" + _FLAWED + r"|(?<!有)小号|最小的(?:那|这)",
            re.IGNORECASE,
        ),
    ),
)


_WHICH = re.compile(r"\bwhich\b|哪", re.IGNORECASE)


def way_of(text: str) -> str | None:
    """How the words pick one of the models in play ("the big one": ``BIGGER``, "便宜的那款":
    ``CHEAPER``, "the pricier": "dearer"), or None when they pick none that way."""
    return next((way for way, words in _PICKED if words.search(text)), None)


def models_in_play(turn: Turn) -> list[str]:
    """The models a kind's answer listed or compared ("the 3.5 L and the 6 L slow cookers"),
    by name, while the talk stays on them: until another product is named, however many
    questions were asked of one of them since; empty otherwise."""
    dialogue = turn.dialogue
    listed = dialogue.slot(PAIR_SLOT)
    if listed is None:
        return []
    names = [name for name in listed.value.split("|") if name]
    since = [s for s in dialogue.slots if s.kind == "product" and s.turn > listed.turn]
    if any(s.value not in names for s in since):
        return []
    if not since and listed.turn < dialogue.turn - IN_PLAY_TURNS:
        return []
    return names


async def one(turn: Turn) -> Product | None:
    """The model in play that "the big one", "the cheaper one", "小号的", "便宜的那款" picks,
    whatever is asked of it (its manual, a spare part, stock, delivery); None when the words
    pick none, or name a product of their own that is not one of them (a product named
    wins over the ones in play)."""
    text = turn.message.text
    way = way_of(text)
    catalogue = turn.deps.catalogue
    names = models_in_play(turn)
    if way is None or catalogue is None or len(names) < 2 or turn.parse.orders:
        return None
    if _WHICH.search(text):
        return None  # "which is the cheaper one": the two compared, not one picked
    try:
        models = [p for name in names for p in (await catalogue.search(name))[:1]]
        phrase = product_phrase(text)
        named = await catalogue.search(phrase) if phrase else []
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return None
    if named and not {p.sku for p in named} & {p.sku for p in models}:
        return None  # "the bigger kettle": another product, named
    if way in BY_SIZE:
        sized = sorted(
            (p for p in models if size_of(p) is not None), key=lambda p: size_of(p) or 0.0
        )
        if len(sized) < 2 or size_of(sized[0]) == size_of(sized[-1]):
            return None
        return sized[-1] if way == BIGGER else sized[0]
    priced = sorted((p for p in models if p.price is not None), key=lambda p: p.price or 0.0)
    if len(priced) < 2 or priced[0].price == priced[-1].price:
        return None
    return priced[0] if way == CHEAPER else priced[-1]
