"""Price and availability questions, answered from the product catalogue."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import datetime, time

from crm_memory import Direction
from handlers import inquiry, picked
from handlers.arrival import by_day, day_text
from handlers.catalogue import (
    BETTER,
    BIG_ONE,
    BIGGER,
    BY_SIZE,
    CHEAPER,
    CHEAPEST,
    SMALL_ONE,
    SMALLER,
    CatalogueError,
    Product,
    compared,
    distinct_choice,
    head_of,
    kind_asked,
    names_head,
    only_quality,
    product_names,
    product_phrase,
    size_of,
    size_sold,
    sizes_asked,
    without_sizes,
)
from handlers.clauses import ideographs
from handlers.dialogue import Slot
from handlers.knowledge import asks_new_order_time
from handlers.turn import Turn
from handlers.types import Reply

logger = logging.getLogger(__name__)

INTENT = "ask_product_availability"
WHICH = "catalogue:which"  # when the bot asked which of two similar products was meant
# The slot kind holding two products answered together, by name, "first|second": what "the
# cheaper one", "which is better" and "the difference in price" next refer to (handlers/pair.py).
PAIR_SLOT = picked.PAIR_SLOT
# "the robot one", "the cheaper one", "扫地的那个", "蓝牙的那款": one of several, by a word.
_ONE = re.compile(r"\b[a-z]+ ones?\b|[\u4e00-\u9fff]的?(?:那个|那款|那种|这个|这款)", re.I)
PRODUCT_INFO = "ask_product_info"

# "how much is ...", "空气炸锅多少钱": the price leads the answer, not "yes, we sell it".
_PRICE = re.compile(
    r"how\s*much|price|cost|charge|expensive|cheap|多少钱|价|咋卖|怎么卖|贵|便宜|多少米"
)
# "and toasters?", "what about the kettle", "那咖啡机呢": a product named after a product
# question, with nothing else around it.
_ANOTHER = re.compile(
    r"^(?:(?:ok|okay|so|and|hm+|also)[\s,]+)*(?:what about|how about|and|also|n|&|plus)\s+"
    r"(?:the\s+|a\s+)?"
    r"(?P<en>[a-z][a-z\s-]{1,30}?)[\s?!.]*(?:\b(?:need|want|got|do you|in stock)\b.*)?$|"
    # "ok and the stand mixer, is that in stock": the name before its question.
    r"^(?:(?:ok|okay|so|and|hm+|also)[\s,]+)*(?:what about|how about|and|also|n|&|plus)\s+"
    r"(?:the\s+|a\s+)?(?P<named>[a-z][a-z\s-]{1,30}?)\s*[,;:-]+\s*(?:is|are|does|do|can|how|"
    r"what|whats|what's|any|got)\b.*$|"
    r"^(?:那|那个|还有)(?P<zh>[\u4e00-\u9fff]{2,8}?)(?:呢|有吗|有没有|有货吗|有货没)",
    re.IGNORECASE,
)
# "is the toaster back soon", "when will it be in stock again", "还会补货吗", "啥时候有货":
# when it can be bought, so the stock (and restock date) leads the answer.
RESTOCK = re.compile(
    r"\bback\b|restock|re-stock|in stock|\bstock\b|available|availability|sold out|"
    r"out of stock|\bget more\b|\bany left\b|"
    # "still got the toaster?", "do you still have the blender": whether it can be bought.
    r"\bstill (?:got|have|sell|selling|carry|stock|do)\b|"
    r"补货|有货|现货|库存|到货|上架|缺货|没货|断货|卖完|还有吗|还有没有|还会有|会再有|再有|"
    r"(?:啥时候|什么时候|啥时|几时|何时|哪天)(?:能|会|才|可以)?有",
    re.IGNORECASE,
)


def asks_stock_or_price(text: str) -> bool:
    """True when the words ask a product's price or whether (when) it can be bought ("how
    much does it weigh", "how much power does it use" ask no price)."""
    if RESTOCK.search(text):
        return True
    if _HOW_MUCH_OF_IT.search(text) and not _PRICE_WORDS.search(text):
        return False
    return bool(_PRICE.search(text))


# "How much" of something other than money: "how much does it weigh", "how much power does
# the kettle use", "how much does the blender hold".
_HOW_MUCH_OF_IT = re.compile(
    r"\bhow\s*much\s+(?:(?:power|electricity|energy|water|space|room|noise|weight|rice|"
    r"coffee|food)\b|(?:does|do|will|would|can|could)\b.*\b(?:weigh|weighs|hold|holds|use|"
    r"uses|draw|draws|take|takes|fit|fits)\b)",
    re.IGNORECASE,
)
_PRICE_WORDS = re.compile(r"\bprice|\bcost|\bexpensive|\bcheap|\$|钱|价|贵|便宜", re.IGNORECASE)


_NOT_A_NAME = re.compile(r"\b(?:what|whats|how|is|are|it|that|this|them|one|ones)\b", re.I)
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
    tail = said = (
        (another.group("en") or another.group("named") or another.group("zh")) if another else None
    )
    if tail is not None and (_PRICE.search(tail) or _NOT_A_NAME.search(tail) or only_quality(tail)):
        # "and whats the price", "小的那个有货吗": about the product in play, named by none
        tail = None
    # "my old hairdryer died, need a new one": the kind of the old one, to buy new.
    old = old_one_named(text)
    named = [q for q in (product_phrase(text), entity.value if entity else None, tail, old) if q]
    pick = await picked.one(turn)
    if pick is not None:
        # "is the cheaper one in stock", "大的那个多少钱" after two models listed or compared:
        # that one (not the kind compared by price again).
        named = [pick.name]
    if not named and catalogue is not None:
        # "fine whats the smoothie maker then": a product the catalogue knows in words no
        # question pattern reads is still the product asked about, not the one before it.
        named = await _named_in(turn, text)
    if not named and slot is not None and catalogue is not None and sizes_asked(text):
        # "那个5L的呢", "do you have a 6l one": that size of the kind in play, or honestly
        # none (never the product of the kind nearest the words "6l one").
        return await _of_size(turn, slot.value, sizes_asked(text)[0])
    if said is not None and slot is not None and catalogue is not None:
        # "and the double drawer one", "那个双篮的呢": a kind of the product in play we do
        # not make, said so (never the same product's price again as if it were that one).
        unmade = await _variant_not_sold(turn, said, slot.value)
        if unmade is not None:
            return unmade
    one_of = asked_which(turn) or (not named and _ONE.search(text) is not None)
    if slot is not None and catalogue is not None and one_of:
        # "the robot vac", "扫地的那个" after "which one?"; "and the robot one?" after the
        # cordless vacuum: the product among the similar ones that the words point at.
        chosen = await _chosen(turn, text, slot.value)
        if chosen is not None:
            named = [chosen]
    earlier = await remembered(turn) if catalogue is not None and slot is None else None
    back = await wanted_back(turn) if not named else None
    if back is not None:
        # "到货了通知我", "let me know when it's back" the day after a product was sold out:
        # that product's stock and restock date (not a case's news, nor "which product?"); or
        # that we do not sell the one asked after then.
        named = [back]
    asked = named or ([slot.value] if slot is not None else [])
    if catalogue is None or not asked:
        return await inquiry.answer(turn)
    found: list[Product] = []
    phrase = product_phrase(text)
    listed = [] if named else _listed(turn)
    try:
        for query in dict.fromkeys(asked):
            if listed:
                # "有货吗", "how much" right after a kind's models were listed: those models.
                found = [p for name in listed for p in (await catalogue.search(name))[:1]]
                break
            found = await catalogue.search(query)
            if query == phrase:
                # "kettle descaler", "配套的咖啡豆": the kettle's or the coffee machine's name
                # is in the words, but the thing asked for is something else.
                found = [p for p in found if names_head(query, p)]
            if found or query == phrase:
                # The customer's own words name what they want: a name the engine found
                # inside them ("kettle" in "kettle descaler") is not asked about.
                break
        if not found and earlier is not None and distinct_choice(asked[0], [earlier]):
            # "can you tell me when the cordless is back" the day after the cordless vacuum:
            # that one, by a word of its name (not "we don't carry cordless").
            query, found = earlier.name, [earlier]
        nearest = await _nearest(turn, asked[0]) if not found else []
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return [turn.reply("catalogue_failed", product=asked[0])]
    if not found:
        # "how much?" next is about this one, which we do not sell, never the product
        # asked about before it.
        turn.outcome.slots["product"] = asked[0]
        turn.outcome.intents[-1:] = [INTENT]
        # "how much is it", "那多少钱" about the one we just said we don't sell: no price,
        # and what can be done instead, not the same "we don't carry it" again.
        again = not named and slot is not None and asked[0] == slot.value
        if nearest:
            lines = [line(turn, p, about_price=True) for p in nearest[:2]]
            key = "catalogue_missing_again_nearest" if again else "catalogue_missing_nearest"
            head = turn.say(key, product=asked[0])
            return [Reply("\n".join([head, *lines]))]
        key = "catalogue_missing_again" if again else "catalogue_missing"
        return [turn.reply(key, product=asked[0])]
    plain = (
        not listed and pick is None and comparison_asked(text) is None and kind_asked(text) is None
    )
    missing = _size_not_sold(text, found) if plain else None
    if missing is not None:
        # "is the 7l air fryer available", "有没有2升的电饭煲" of a kind sold in other sizes:
        # that size is not sold, and the sizes that are, never another size's stock as if
        # it were the one asked about.
        return await _of_size(turn, query, missing)
    # "how much?" next: about this product, however the engine read its name.
    turn.outcome.slots["product"] = query
    if listed:
        turn.outcome.slots[PAIR_SLOT] = "|".join(listed)  # still those models next turn
    turn.outcome.intents[-1:] = [INTENT]
    if phrase is not None and phrase == kind_asked(text):
        return await _range(turn, found, phrase)
    way = comparison_asked(text)
    if way is not None and pick is None:
        return await _comparison(turn, found, way)
    if len(found) > 1 and earlier is not None and earlier in found and wants_it_back(text):
        # "notify me when the vacuum is available again" the day after the cordless one:
        # that one, not every vacuum and "which one?".
        found = [earlier]
        turn.outcome.slots["product"] = earlier.name
    about_price = bool(_PRICE.search(text))
    about_stock = not about_price and bool(RESTOCK.search(text))
    lines = [line(turn, product, about_price, about_stock) for product in found[:3]]
    if len(found) == 1 and found[0].stock == 0 and _TELL_ME.search(text) and wants_it_back(text):
        # "let me know when it's back", "到货了通知我": the bot cannot, the page's button can.
        lines.append(turn.say("catalogue_tell_me_back"))
    on_shelf = len(found) == 1 and (found[0].stock is None or found[0].stock > 0)
    by_then = inquiry.by_day_reply(turn, text) if on_shelf else None
    if by_then is not None:
        # "need a kettle by friday, doable?": in stock, and whether an order now makes the day.
        lines.append(by_then.text)
    if len(found) > 1 and not listed:
        # "vacuum": the cordless one or the robot? Both, and which one they mean; the
        # answer ("the robot one", "扫地的那个") picks it.
        turn.outcome.said[WHICH] = turn.dialogue.turn
        names = [p.title(turn.language) for p in found[:3]]
        lines.append(turn.say("catalogue_which", first=names[0], second=names[1]))
    return [Reply("\n".join(lines))]


# "有小的划痕", "有个大的裂缝": a flaw's size, not a size of the product asked for.
_FLAW = r"划|刮|问题|毛病|缺|裂|坑|洞|瑕|凹|口子|破"
# "anything cheaper?", "the cheapest kettle", "有没有便宜点的", "比这个好一点的": the product's
# kind compared by price, not the one product's price again.
_COMPARISONS = (
    (
        # "the big one", "the biggest", "那个大的有货没", "大的多少钱": the largest of the
        # kind in play, its price and stock (not "nothing bigger than it").
        BIG_ONE,
        re.compile(
            r"\b(?:the|that) (?:big|large|biggest|largest) (?:one|size|version|model)\b|"
            r"\bthe (?:biggest|largest)\b|"
            r"(?:那个|那款|这个|这款|那台)大的(?!" + _FLAW + r")|大的(?:那个|那款|那种|那台)|"
            r"^大的(?!" + _FLAW + r")|最大的(?:那个|那款)?",
            re.IGNORECASE,
        ),
    ),
    (
        SMALL_ONE,
        re.compile(
            r"\b(?:the|that) (?:small|little|mini|smallest) (?:one|size|version|model)\b|"
            r"\bthe smallest\b|"
            r"(?:那个|那款|这个|这款|那台)小的(?!" + _FLAW + r")|小的(?:那个|那款|那种|那台)|"
            r"^小的(?!" + _FLAW + r")|最小的(?:那个|那款)?",
            re.IGNORECASE,
        ),
    ),
    (
        CHEAPEST,
        re.compile(
            r"\bcheapest\b|\blowest[- ]pric|\bleast expensive\b|最便宜|最实惠|最低价|最划算",
            re.IGNORECASE,
        ),
    ),
    (
        CHEAPER,
        re.compile(
            r"\bcheaper\b|\bless expensive\b|\blower[- ]pric|\bmore affordable\b|\bbudget\b|"
            r"便宜(?:一)?(?:点|些)|更便宜|还便宜|便宜的|实惠(?:一)?点|更实惠|(?:价格|价钱)?低一?点的",
            re.IGNORECASE,
        ),
    ),
    (
        BIGGER,
        re.compile(
            r"\b(?:bigger|larger)\b|\bmore capacity\b|\bhigher capacity\b|\bbigger size\b|"
            r"大一?(?:点|些|号)(?:的)?|更大|大号|大容量|容量(?:更)?大|大一点|加大|"
            r"\ba (?:big|large) (?:one|size|version|model)\b|(?:有没有|有)大的(?!" + _FLAW + r")",
            re.IGNORECASE,
        ),
    ),
    (
        SMALLER,
        re.compile(
            r"\b(?:smaller|more compact|compact(?:er)?)\b|\bless capacity\b|"
            r"小一?(?:点|些|号)(?:的)?|更小|小号|小容量|容量小|小巧|"
            r"\ba (?:small|little|mini) (?:one|size|version|model)\b|"
            r"(?:有没有|有)小的(?!" + _FLAW + r")",
            re.IGNORECASE,
        ),
    ),
    (
        BETTER,
        re.compile(
            r"\b(?:anything|something|any|a|the) better\b|\bbetter (?:one|model|version|option|"
            r"kind|than (?:this|that|it|the))\b|\bhigher[- ]end\b|"
            r"\bmore (?:premium|powerful|advanced)\b|\bupgrade\b|"
            r"\bstep up\b|好一?点的|好一?些的|更好|高端一?点|高级一?点|档次高|升级",
            re.IGNORECASE,
        ),
    ),
)


def comparison_asked(text: str) -> str | None:
    """``CHEAPER``, ``CHEAPEST`` or ``BETTER`` when the words compare products ("anything
    cheaper?", "最便宜的耳机多少钱", "比这个好一点的"), else None."""
    for way, words in _COMPARISONS:
        if words.search(text):
            return way
    return None


def compares(turn: Turn) -> bool:
    """True for a comparison about a product named here or the one just talked about, with
    no order named ("anything cheaper?" after the headphones' price, "cheaper earbuds")."""
    text = turn.message.text
    if comparison_asked(text) is None or turn.parse.entity("order_number") or _PARTS.search(text):
        return False
    if product_phrase(text) is not None or turn.parse.entity("product") is not None:
        return True
    dialogue = turn.dialogue
    slot = dialogue.slot("product")
    return (
        dialogue.topic in (INTENT, PRODUCT_INFO)
        and slot is not None
        and slot.turn >= dialogue.turn - IN_PLAY_TURNS
    )


async def _comparison(turn: Turn, found: list[Product], way: str) -> list[Reply]:
    """The products of the kind asked about compared by price: the cheaper ones, the
    cheapest, or a step up, each with its price and stock; said plainly when there is none."""
    catalogue = turn.deps.catalogue
    assert catalogue is not None
    if way in (BIG_ONE, SMALL_ONE):
        return await _one_by_size(turn, found, way)
    # Of several that fit the name, a cheaper one than the dearest, a better one than the
    # cheapest, a bigger one than the smallest ("the bigger one?" after both slow cookers:
    # the 6 L, not "nothing is bigger than the 6 L"), a smaller one than the biggest.
    if way in BY_SIZE:
        sized = sorted(found, key=lambda p: size_of(p) or 0.0)
        base = sized[0] if way == BIGGER else sized[-1]
    else:
        priced = sorted(found, key=lambda p: p.price or 0.0)
        base = priced[-1] if way == CHEAPER else priced[0]
    try:
        alike = await catalogue.alike(base)
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return [turn.reply("catalogue_failed", product=base.title(turn.language))]
    alike = list({p.sku: p for p in (*alike, *found)}.values())
    picked = compared(base, alike, way)
    name, price = base.title(turn.language), base.price_text()
    if way in BY_SIZE and size_of(base) is None:
        # No capacity to compare ("a bigger mouse"): said so, with the others of its kind.
        others = [p for p in alike if p.sku != base.sku][:2]
        lines = [turn.say("compare_no_size", product=name, price=price)]
        return [Reply("\n".join([*lines, *(line(turn, p, about_price=True) for p in others)]))]
    if not picked or (way == CHEAPEST and len(alike) == 1):
        key = {
            CHEAPER: "compare_none_cheaper",
            BETTER: "compare_none_better",
            BIGGER: "compare_none_bigger",
            SMALLER: "compare_none_smaller",
        }.get(way, "compare_only_one")
        others = [p for p in alike if p.sku != base.sku][:2]
        lines = [turn.say(key, product=name, price=price)]
        lines += [line(turn, p, about_price=True) for p in others]
        return [Reply("\n".join(lines))]
    turn.outcome.slots["product"] = picked[0].name
    if way == CHEAPEST and picked[0].price is not None:
        # One sentence: which one, its price and stock, named by its kind ("the cheapest
        # headphones we have"), never the product talked about before.
        cheapest = picked[0]
        said = turn.say(
            "compare_cheapest",
            kind=kind_name(turn, [base, cheapest]),
            product=cheapest.title(turn.language),
            price=cheapest.price_text(),
            stock=stock_text(turn, cheapest),
        )
        return [Reply(said)]
    if way == CHEAPEST:
        head = turn.say("compare_cheapest_of", product=picked[0].title(turn.language))
    else:
        heads = {CHEAPER: "compare_cheaper", BIGGER: "compare_bigger", SMALLER: "compare_smaller"}
        head = turn.say(heads.get(way, "compare_better"), product=name, price=price)
    return [Reply("\n".join([head, *(line(turn, p, about_price=True) for p in picked[:3])]))]


async def _one_by_size(turn: Turn, found: list[Product], way: str) -> list[Reply]:
    """ "how much is the big one", "小的那个有货吗": the largest (smallest) of the kind in play,
    with its price or stock; all of the kind when their capacities cannot tell them apart."""
    catalogue = turn.deps.catalogue
    assert catalogue is not None
    try:
        alike = [p for f in found for p in await catalogue.alike(f)]
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return [turn.reply("catalogue_failed", product=found[0].title(turn.language))]
    every = list({p.sku: p for p in (*found, *alike)}.values())
    sized = sorted((p for p in every if size_of(p) is not None), key=lambda p: size_of(p) or 0.0)
    text = turn.message.text
    about_price = bool(_PRICE.search(text))
    about_stock = not about_price and bool(RESTOCK.search(text))
    if not sized:
        lines = [line(turn, p, about_price, about_stock) for p in every[:3]]
        return [Reply("\n".join(lines))]
    picked = sized[-1] if way == BIG_ONE else sized[0]
    turn.outcome.slots["product"] = picked.name
    return [Reply(line(turn, picked, about_price, about_stock))]


async def _range(turn: Turn, found: list[Product], kind: str) -> list[Reply]:
    """ "how many kinds of kettle do you have", "空气炸锅有几款": every product of the kind, each
    with its size, price and stock; the two of a kind of two are then what "which is better",
    "the bigger one" and "差价多少" next compare."""
    catalogue = turn.deps.catalogue
    assert catalogue is not None
    kinds: list[Product] = []
    try:
        for product in found:
            kinds += await catalogue.alike(product)
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
    every = list({p.sku: p for p in (*found, *kinds)}.values())
    every.sort(key=lambda p: (size_of(p) or 0.0, p.price or 0.0))
    name = _kind_named(turn, kind, every)
    if len(every) == 1:
        head = turn.say("range_one", kind=name)
    else:
        head = turn.say("range_many", kind=name, count=len(every))
        turn.outcome.slots[PAIR_SLOT] = "|".join(p.name for p in every[:2])
    lines = [range_line(turn, p) for p in every[:6]]
    tail = [turn.say("range_which")] if len(every) > 1 else []
    return [Reply("\n".join([head, *lines, *tail]))]


def _listed(turn: Turn) -> list[str]:
    """The models of a kind the last answer listed (handlers/products.py ``_range``), by
    name; empty when the product in play came from anywhere else."""
    dialogue = turn.dialogue
    kind, listed = dialogue.slot("product"), dialogue.slot(PAIR_SLOT)
    if kind is None or listed is None or listed.turn != kind.turn:
        return []
    if listed.turn < dialogue.turn - IN_PLAY_TURNS:
        return []
    return [name for name in listed.value.split("|") if name]


async def _of_size(turn: Turn, kind: str, size: tuple[str, float]) -> list[Reply]:
    """The product of the kind in play with the capacity asked for; when there is none, said
    so, with the sizes the kind comes in."""
    catalogue = turn.deps.catalogue
    assert catalogue is not None
    try:
        found = await catalogue.search(kind)
        every = list({p.sku: p for f in found for p in await catalogue.alike(f)}.values())
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return [turn.reply("catalogue_failed", product=kind)]
    if not every:
        return [turn.reply("catalogue_missing", product=kind)]
    turn.outcome.intents[-1:] = [INTENT]
    written, wanted = size
    fits = [p for p in every if (size_of(p) or 0.0) and abs((size_of(p) or 0.0) - wanted) < 1e-6]
    if fits:
        turn.outcome.slots["product"] = fits[0].name
        return [Reply(line(turn, fits[0], about_price=True))]
    every.sort(key=lambda p: (size_of(p) or 0.0, p.price or 0.0))
    head = turn.say("size_missing", size=written, kind=_kind_named(turn, kind, every))
    return [Reply("\n".join([head, *(range_line(turn, p) for p in every[:6])]))]


def _size_not_sold(text: str, found: list[Product]) -> tuple[str, float] | None:
    """The capacity a question names ("the 7l air fryer") when the products its name found
    come in capacities and none is that one; None otherwise (no size named, or one sold)."""
    asked = sizes_asked(text)
    sized = [p for p in found if size_of(p) is not None]
    if len(asked) != 1 or not sized or any(size_sold(p, asked[0][1]) for p in sized):
        return None
    return asked[0]


def product_in_play(turn: Turn) -> Slot | None:
    """The product of a product answer a few turns ago at most, with no order named now."""
    dialogue = turn.dialogue
    slot = dialogue.slot("product")
    if dialogue.topic not in (INTENT, PRODUCT_INFO) or slot is None:
        return None
    if slot.turn < dialogue.turn - IN_PLAY_TURNS or turn.parse.entity("order_number"):
        return None
    return slot


async def asks_size(turn: Turn) -> bool:
    """True for "有没有5升的", "那个5L的呢", "do you have a 6l one" right after a product
    answer, naming no other product: that capacity of the kind in play."""
    if product_in_play(turn) is None:
        return False
    return bool(sizes_asked(turn.message.text)) and product_phrase(turn.message.text) is None


def asks_range(turn: Turn) -> bool:
    """True for "how many kinds of kettle do you have", "你们吹风机有哪些": a kind's range."""
    return turn.parse.entity("order_number") is None and kind_asked(turn.message.text) is not None


def range_line(turn: Turn, product: Product) -> str:
    """One product of a range: its name, its capacity when the name does not hold it, its
    price and stock."""
    title = product.title(turn.language)
    size = product.capacity
    # "Air fryer 4 L" holds its size; its Chinese name says it in 升, so look at the English.
    shown = size and size.replace(" ", "").lower() not in product.name.replace(" ", "").lower()
    sized = (
        (f"{title}（{size}）" if turn.language == "zh" else f"{title} ({size})") if shown else title
    )
    return turn.say(
        "range_line",
        product=sized,
        price=product.price_text() or turn.say("range_no_price"),
        stock=stock_text(turn, product),
    )


def _kind_named(turn: Turn, asked: str, products: list[Product]) -> str:
    """The kind as the customer called it in Chinese ("空气炸锅"), else as the catalogue
    groups it."""
    # Its size is not the kind: "5升的电饭煲" is a kind of 电饭煲 ("没有5升的" says the size).
    bare = re.sub(r"^的+|的+$", "", without_sizes(asked)).strip()
    if turn.language == "zh" and ideographs(bare):
        return bare
    return kind_name(turn, products)


# A size written at the end of a Chinese name: "空气炸锅 4 升", "洗碗机（12 套）".
_SIZE_IN_NAME = re.compile(
    r"\s*(?:[\d.]+\s*(?:升|毫升|毫安|l|ml|套|片)|（[^）]*）|\([^)]*\))\s*$", re.I
)


def kind_name(turn: Turn, products: list[Product]) -> str:
    """What the products are, in the customer's language: the catalogue's category in
    English ("headphones"); in Chinese the end their names share ("无线耳机", "蓝牙耳机":
    "耳机"), else "同类商品"."""
    if turn.language != "zh":
        return next((p.category for p in products if p.category), "option")
    # Sizes are no part of the kind: "电炖锅 3.5 升", "电炖锅 6 升" are both "电炖锅".
    names = [_SIZE_IN_NAME.sub("", p.title("zh")) for p in products]
    shared = ""
    while len(shared) < min(map(len, names)) and len({n[-len(shared) - 1] for n in names}) == 1:
        shared = names[0][-len(shared) - 1 :]
    return shared if len(shared) >= 2 else "同类商品"


async def _nearest(turn: Turn, asked: str) -> list[Product]:
    """What we carry nearest to a product we do not: products of the same kind, found by
    the asked phrase's head noun alone ("toaster oven" -> the microwave oven); never the
    product named only as what the thing is for (the kettle, for "kettle descaler")."""
    catalogue = turn.deps.catalogue
    head = head_of(asked)
    if catalogue is None or not head.isascii() or head == asked.strip().lower():
        return []
    return [p for p in await catalogue.search(head) if names_head(asked, p)]


def asked_which(turn: Turn) -> bool:
    """True right after the bot asked which of two similar products the customer means."""
    return turn.dialogue.variant(WHICH) == turn.dialogue.turn - 1


async def _chosen(turn: Turn, text: str, asked: str) -> str | None:
    """The name of the product the words pick among the ones like the product asked about."""
    catalogue = turn.deps.catalogue
    assert catalogue is not None
    try:
        candidates = await catalogue.search(asked)
        if len(candidates) == 1:
            # "and the robot one?" after the cordless vacuum: one of its kind (its category),
            # told apart by the new word.
            candidates = await catalogue.alike(candidates[0])
    except CatalogueError:
        return None
    picked = distinct_choice(text, candidates) if len(candidates) > 1 else candidates
    return picked[0].name if len(picked) == 1 else None


# A variant described, not named: "double drawer one", "glass ones", "个双篮的", "带烘干的".
_VARIANT = re.compile(
    r"^(?:the\s+|a\s+)?(?P<en>[a-z][a-z\s-]*?)\s+ones?$|^[个款种台只]?(?P<zh>[\u4e00-\u9fff]{1,6}?)的$",
    re.IGNORECASE,
)
# What other readings take: a size, a price or a comparison ("the bigger one", "便宜的"), a
# colour (which the catalogue does not list), which of several ("the other one", "第二个").
_NOT_A_VARIANT = re.compile(
    r"\b(?:big\w*|small\w*|large\w*|little|mini|cheap\w*|expensive|pricier|better|best|"
    r"new\w*|old\w*|same|other|first|second|last|next|previous|that|this|black|white|red|"
    r"blue|green|gr[ae]y|silver|pink|yellow|purple|gold|rose|colou?r\w*)\b|"
    r"大|小|贵|便宜|好|新|旧|同|另|第|上|下|前|后|这|那|黑|白|红|蓝|绿|灰|银|粉|黄|紫|金|色|\d",
    re.IGNORECASE,
)
_STOP_WORDS = frozenset(
    {
        *("with", "and", "a", "an", "the", "of", "in", "for", "has", "having", "that", "is"),
        *("are", "do", "does", "you", "u", "have", "got", "any", "it", "there", "your", "one"),
    }
)


async def _variant_not_sold(turn: Turn, tail: str, in_play: str) -> list[Reply] | None:
    """That no model of the kind in play is the variant described ("the double drawer one"
    after the air fryer), with the models there are; None when the words name a product, a
    size, a colour or a comparison, or a feature some model of the kind has."""
    catalogue = turn.deps.catalogue
    assert catalogue is not None
    match = _VARIANT.match(tail.strip())
    if match is None:
        return None
    described = (match.group("en") or match.group("zh") or "").strip().lower()
    if not described or _NOT_A_VARIANT.search(described) or sizes_asked(described):
        return None
    try:
        current = await catalogue.search(in_play)
        kind = await catalogue.alike(current[0]) if current else []
        named = await catalogue.search(described)
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return None
    words = [w for w in re.findall(r"[a-z]+", described) if w not in _STOP_WORDS]

    def named_by(product: Product) -> bool:
        names = " ".join(product_names(product)).lower()
        if match.group("zh"):
            return described in names or any(n and n in described for n in product_names(product))
        return any(re.search(rf"\b{w}", names) for w in words)

    if not kind or any(named_by(p) for p in (*named, *kind)):
        return None  # "the espresso one", "is the robot one", "扫地的": a product by its name

    def has(product: Product) -> bool:
        said = " ".join((*product_names(product), product.features, product.features_zh))
        said = said.lower()
        if match.group("zh"):
            return described in said
        return bool(words) and all(re.search(rf"\b{w}", said) for w in words)

    if any(has(p) for p in kind):
        return None  # "the glass one" of blenders: the model with it, as asked
    turn.outcome.slots["product"] = in_play
    turn.outcome.intents[-1:] = [INTENT]
    title = (current[0] if current else kind[0]).title(turn.language)
    head = turn.say("catalogue_variant_missing", what=described, product=title)
    lines = [line(turn, p, about_price=True) for p in kind[:3]]
    return [Reply("\n".join([head, *lines]))]


async def _named_in(turn: Turn, text: str) -> list[str]:
    """The catalogue's name of a product the words name, if one (as a one-item list)."""
    catalogue = turn.deps.catalogue
    if catalogue is None:
        return []
    try:
        found = await catalogue.search(text)
        slot = turn.dialogue.slot("product")
        kept = await catalogue.search(slot.value) if slot is not None else []
    except CatalogueError:
        return []
    if len(found) == 1:
        return [found[0].name]
    if (
        len(found) > 1
        and len({p.category for p in found}) == 1
        and kept
        and not {p.sku for p in found} & {p.sku for p in kept}
    ):
        # "电炖锅呢" after the rice cooker: a name that is several models of one kind,
        # another than the one in play, is asked about now (not the rice cooker again).
        return [text.strip()]
    return []


# Asked to describe a product: "tell me about the slow cooker", "any info on the espresso
# machine", "whats the toaster like", "specs of the kettle", "介绍一下电炖锅", "说说那个电水壶",
# "参数发我看看".
DESCRIBE = "describe"
_DESCRIBE = re.compile(
    r"\btell (?:me|us) (?:(?:a (?:bit|little) |some(?:thing)? )?(?:more )?)?about\b|"
    r"\b(?:more |any |some )?info(?:rmation)? (?:on|about|for)\b|\bdetails? (?:on|of|about|for)\b|"
    r"\bspecs?\b|\bspecifications?\b|\bwhat do (?:you|u) know about\b|\bdescribe\b|"
    r"^\W*(?:so\s+)?what(?:'?s| is) (?=(?:the |that |this |your )?[a-z0-9 -]{2,40}? like\W*$)|"
    r"介绍|说说|讲讲|参数|规格|详情|配置|详细信息|(?:怎么样|咋样)[呢啊呀]?\W*$",
    re.IGNORECASE,
)
# "tell me more", "more details?", "详细说说" with nothing named: the product in play.
_MORE = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|hmm)\W+)*(?:can you |could you |pls |please )?(?:tell me )?more"
    r"(?: details| info(?:rmation)?)?(?: about (?:it|that|that one|this one))?"
    r"(?: pls| please)?\W*$|"
    r"^\W*(?:tell me about it|what(?:'?s| is) it like)\W*$|"
    r"^\W*(?:那|这个|那个)?(?:详细|具体)?(?:介绍|说说|讲讲)(?:一)?下?(?:呢|吧)?\W*$|"
    r"^\W*(?:那|这个|那个)?(?:具体|详细)?参数(?:呢|有吗|发我看看)?\W*$",
    re.IGNORECASE,
)


async def describes(turn: Turn) -> str | None:
    """The catalogue's name of the one product the message asks to be described, or of the
    product in play for "tell me more"; None otherwise (a kind of several models is its
    range, an order named is the order's)."""
    text = turn.message.text
    if turn.parse.orders:
        return None
    if _MORE.search(text):
        slot = product_in_play(turn)
        return slot.value if slot is not None else None
    if _DESCRIBE.search(text) is None:
        return None
    named = await _named_in(turn, _DESCRIBE.sub(" ", text))
    return named[0] if named else None


async def describe(turn: Turn) -> list[Reply]:
    """What the catalogue says of the product (capacity, power, features, who it suits),
    its price and stock; the product is then the one in play."""
    name = await describes(turn)
    catalogue = turn.deps.catalogue
    if name is None or catalogue is None:
        return [turn.reply("help")]
    try:
        found = await catalogue.search(name)
    except CatalogueError:
        return [turn.reply("catalogue_failed", product=name)]
    if not found:
        return [turn.reply("catalogue_missing_again", product=name)]
    product = found[0]
    turn.outcome.slots["product"] = product.name
    turn.outcome.intents[-1:] = [PRODUCT_INFO]
    specs = product.specs(turn.language)
    serves = product.serves_range()
    if serves is not None:
        people = (
            f"适合 {serves[0]}-{serves[1]} 人"
            if turn.language == "zh"
            else f"for {serves[0]}-{serves[1]} people"
        )
        specs = ("，" if turn.language == "zh" else ", ").join(p for p in (specs, people) if p)
    price = product.price_text() or turn.say("range_no_price")
    key = "product_described" if specs else "product_described_bare"
    return [
        turn.reply(
            key,
            product=product.title(turn.language),
            specs=specs,
            price=price,
            stock=stock_text(turn, product),
        )
    ]


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
        # "got a toaster?": a question in the shape of one about buying it, naming it.
        or not (
            RESTOCK.search(text)
            or _PRICE.search(text)
            or phrase is not None
            or comparison_asked(text) is not None
        )
    ):
        return await inquiry.answer(turn)
    try:
        found = await catalogue.search(named)
    except CatalogueError:
        found = []  # the knowledge base's answer then; availability would say it is down
    if not found:
        return await inquiry.answer(turn)
    return await availability(turn)


def line(turn: Turn, product: Product, about_price: bool, about_stock: bool = False) -> str:
    """One product: its name, price and whether it can be ordered now (or when again)."""
    stock = stock_text(turn, product)
    price = product.price_text()
    if not price:
        key = "catalogue_found_no_price"
    elif about_stock:
        key = "catalogue_restock"
    else:
        key = "catalogue_price" if about_price else "catalogue_found"
    return turn.say(key, product=product.title(turn.language), price=price, stock=stock)


def stock_text(turn: Turn, product: Product) -> str:
    """Whether a product can be ordered now, or when again."""
    if product.stock is None:
        stock = turn.say("catalogue_stock_unknown")
    elif product.stock > 0:
        stock = turn.say("catalogue_in_stock", count=product.stock)
    elif product.restock is not None and product.restock >= turn.deps.clock().date():
        stock = turn.say("catalogue_sold_out_until", date=product.restock.isoformat())
    else:
        # No date, or one already past with nothing in stock: no date we can stand by.
        stock = turn.say("catalogue_sold_out")
    return stock


# "when's it back", "啥时候补货", "还会有吗": when the product just talked about can be bought.
_WHEN_BACK = re.compile(
    r"\bwhen(?:'s|s| is| will| do| does| are)?\b.{0,25}\b(?:back|restock\w*|in stock|available|"
    r"come in|get (?:it|them|more|some) in)\b|\b(?:back|restocked|in stock) when\b|"
    r"\brestock|\bcome[s]? back\b|\bbe back\b|\bback (?:soon|in stock)\b|\bget(?:ting)? more\b|"
    r"\bany (?:idea|clue|eta) when\b|"
    r"补货|到货|再有|还会有|会有吗|(?:啥时候|什么时候|啥时|几时|何时|哪天)(?:能|会|才|可以|再)?(?:有|上架|到)",
    re.IGNORECASE,
)
# How recent the product in play must be for "when's it back" to be about it.
IN_PLAY_TURNS = 2


# An item that is fine but not as the shop showed it: "i like it but the colour is off",
# "doesn't look like the photo", "色差有点大", "颜色跟图片不一样", "货不对板".
_NOT_AS_SHOWN = re.compile(
    r"\bcolou?r(?:s)?(?: is| are|'s| looks?| seems?)? "
    r"(?:a (?:bit|little) |kinda |quite |totally |way )?"
    r"(?:off|different|not (?:right|the same)|weird|wrong)\b|"
    r"\b(?:not|isn'?t|doesn'?t look|don'?t look) (?:what|like|how)\b.{0,20}"
    r"\b(?:photos?|pictures?|pics?|images?|website|site|listing|ad)\b|"
    r"\blooks? (?:nothing like|different (?:from|than|to|in)|different)\b.{0,20}"
    r"\b(?:photos?|pictures?|pics?|images?|website|site|listing)\b|"
    r"\bnot as (?:pictured|shown|described|advertised)\b|"
    r"色差|颜色(?:不对|有点?怪|偏)|(?:颜色|实物|样子)?(?:跟|和|与)(?:图片|图|照片|网上|页面|详情页|描述)"
    r"(?:上的?)?(?:(?:不太|不是很|不怎么)一样|(?:完全|很|有点)?(?:不一样|不同)|不符|差(?:别)?(?:很多|太多|好多|挺大|有点大|很大))|货不对板|"
    r"实物(?:跟|和|与)?图(?:片)?不符",
    re.IGNORECASE,
)
# The knowledge-base entry for swapping an item for another size or colour.
EXCHANGE_ENTRY = "exchange"
# Another size or colour asked for in so many words: "can i swap it for a L", "exchange it
# for a bigger one", "can i change it for another colour", "能换个颜色吗", "想换一个小一码的",
# "换大一号", "能换一个吗". Not an address, a way to pay, a day or a person ("换个地址",
# "换个方式付", "swap my card"), nor a new one for a faulty item (handlers/remedy.py).
_WANTS_EXCHANGE = re.compile(
    r"\b(?:swap|swop|exchange)(?:ped|ping)?\b(?! (?:rate|my (?:card|address)|(?:the )?"
    r"(?:address|card|payment|delivery|day|date|slot))\b)(?!.{0,20}\b(?:refund|new one|"
    r"replacement|working one)\b)|"
    r"\bchange (?:it|them|this|that|the \w+) (?:for|to|into) (?:a |an |the )?(?:another|other|"
    r"different|bigger|smaller|larger|size|colou?r|[smlx]{1,3}\b)|"
    r"\b(?:different|another|other|bigger|smaller|larger) (?:size|colou?r)\b.{0,20}"
    r"\b(?:instead|swap|exchange)\b|"
    r"换(?:个|一个|一|成|一下)?(?:别的|其他|其它|另一个|另外一个)?"
    r"(?:颜色|色|尺码|码|尺寸|号|大小|款|款式|型号|size)|"
    r"换(?:个|一个|成)?(?:大|小)(?:一|1|一点|点|些)?(?:点|些|码|号|的)|"
    r"换(?:一)?个(?:吗|嘛|呢|行吗|可以吗|可以不|行不|不|呀|啊|[?？]|$)|"
    # "我想换货", "能换货吗", "申请换货": the exchange asked for by its name.
    r"(?:想|要|申请|能|可以|怎么|咋)换货|"
    # The colour or size said not to suit, beside or before the ask: "颜色不喜欢", "尺码小了",
    # "too small", "doesn't fit".
    r"颜色不(?:喜欢|好看|合适)|不喜欢(?:这个|那个)?(?:颜色|尺码|款式)|"
    r"(?:尺码|尺寸|码数)(?:不合适|不对|偏大|偏小|小了|大了)|"
    r"\b(?:too (?:small|big|large|tight|loose)|(?:doesn'?t|does not|dont|don'?t) fit|"
    r"(?:don'?t|dont|do not) (?:like|love) the colou?r)\b",
    re.IGNORECASE,
)


def not_as_shown(text: str) -> bool:
    """True when the customer says an item is not as shown ("i like it but the colour is
    off", "颜色跟图片不一样"): a statement about the item they have, answered with the free
    exchange or return (not the product's specs, nor feedback thanked for)."""
    return _NOT_AS_SHOWN.search(text) is not None


def wants_exchange(text: str) -> bool:
    """True when the customer asks to swap an item for another size or colour ("can i swap
    it for a L", "能换个颜色吗", "想换一个小一码的"): the free exchange."""
    return _WANTS_EXCHANGE.search(text) is not None and _NOT_GOODS.search(text) is None


# What else customers change: "账号绑定的邮箱想换一个", "change my card", "换个地址".
_NOT_GOODS = re.compile(
    r"邮箱|手机号|电话|号码|密码|地址|账号|账户|银行卡|支付|付款|\b(?:e-?mail|phone|number|"
    r"password|address|account|card|payment)\b",
    re.IGNORECASE,
)


# Asked to be told when it can be bought again: "let me know when it's back", "notify me
# when the cordless is in", "到货了通知我", "有货了告诉我一声".
_TELL_ME = re.compile(
    r"\b(?:let|tell|notify|message|ping|text|e-?mail|inform) (?:me|us)\b|\bnotif(?:y|ication)\b|"
    r"通知|告诉我|跟我说|提醒我|说一声",
    re.IGNORECASE,
)


def wants_it_back(text: str) -> bool:
    """True when the words ask when a product can be bought again, or to be told when it can
    ("when's it back", "let me know when it's back in stock", "到货了通知我")."""
    return _WHEN_BACK.search(text) is not None or (
        _TELL_ME.search(text) is not None and RESTOCK.search(text) is not None
    )


async def remembered(turn: Turn) -> Product | None:
    """The catalogue product the customer's last messages (an earlier conversation's too)
    asked about, by the words they wrote ("do you have the cordless vacuum": not every
    vacuum); None when none names one product, or the catalogue cannot say."""
    catalogue = turn.deps.catalogue
    if catalogue is None:
        return None
    written = [
        m.text
        for m in turn.context.recent
        if m.direction is Direction.IN and m.id != turn.message_record
    ]
    try:
        for text in reversed(written):
            phrase = product_phrase(text)
            found = await catalogue.search(phrase) if phrase else []
            if len(found) == 1:
                return found[0]
            if found:
                return None  # the last one asked about was several: none of them for sure
    except CatalogueError:
        return None
    return None


# What else comes back or arrives: money, a parcel, an order ("when will i get my money back").
_NOT_STOCK = re.compile(
    r"\b(?:refund\w*|money|order\w*|parcel|package|deliver\w*|case|ticket|agent|team)\b|"
    r"钱|退|订单|快递|包裹|物流|工单|客服",
    re.IGNORECASE,
)


async def wanted_back(turn: Turn) -> str | None:
    """The product an earlier conversation found sold out, or asked after and found we do not
    sell ("hair dryers"), when this message, naming no product and none in play, asks when it
    is back or to be told ("到货了通知我", "can you let me know when it's back in stock"): its
    name; None otherwise."""
    text = turn.message.text
    if turn.parse.orders or _PARTS.search(text) or turn.dialogue.slot("product") is not None:
        return None
    if product_phrase(text) is not None or not wants_it_back(text) or _NOT_STOCK.search(text):
        return None
    earlier = await remembered(turn)
    if earlier is not None:
        return None if earlier.stock != 0 and earlier.restock is None else earlier.name
    return await _asked_not_sold(turn)


async def _asked_not_sold(turn: Turn) -> str | None:
    """The product the customer's last product question asked after, when the catalogue has
    nothing by that name ("do you sell hair dryers"); None otherwise."""
    catalogue = turn.deps.catalogue
    asked = [
        m.text
        for m in turn.context.recent
        if m.direction is Direction.IN
        and m.id != turn.message_record
        and m.intent in (INTENT, PRODUCT_INFO)
        and product_phrase(m.text) is not None
    ]
    if catalogue is None or not asked:
        return None
    phrase = product_phrase(asked[-1])
    try:
        return phrase if phrase and not await catalogue.search(phrase) else None
    except CatalogueError:
        return None


def asks_when_back(turn: Turn) -> bool:
    """True for "when's it back" / "还会有吗" right after a product answer, about that
    product (no other product, no order named): its stock and restock date answer it."""
    text = turn.message.text
    slot = product_in_play(turn)
    if slot is None:
        return False
    if _WHEN_BACK.search(text) is None or _PARTS.search(text):
        return False
    named = product_phrase(text)
    return named is None or named == slot.value


async def names_a_product(turn: Turn) -> bool:
    """True for a message the engine could not read that names one catalogue product while
    products are the topic ("fine whats the smoothie maker then"): asked about, that one."""
    if turn.dialogue.topic not in (INTENT, PRODUCT_INFO):
        return False
    if turn.parse.entity("order_number") is not None or _PARTS.search(turn.message.text):
        return False
    if turn.parse.understood:
        # However the engine read it, "n the blender", "and the rice cooker?" names another
        # product and nothing else: that one asked about like the last.
        return await _another_named(turn)
    words = len(re.findall(r"[A-Za-z0-9']+", turn.message.text)) + ideographs(turn.message.text)
    return words <= _SHORT and bool(await _named_in(turn, turn.message.text))


# A wish to have a product, said rather than asked: "my mum wants an air fryer for xmas",
# "thinking of getting a rice cooker", "looking for a kettle", "想给我妈买个空气炸锅", "看中了
# 你们的扫地机器人".
_WANTS = re.compile(
    r"\b(?:wants?|wanting|need|needs|needing|looking (?:for|at|to (?:buy|get))|after|"
    r"thinking (?:of|about) (?:getting|buying)|planning (?:to|on) (?:buy|get)\w*|"
    r"(?:would|'d) like|interested in|in the market for|shopping for|"
    r"want(?:ed)? to (?:buy|get|order))\s+(?:a |an |the |one of (?:your|the|ur) |some |new )?|"
    r"想要|想买|要买|打算买|准备买|想入|想给.{1,6}买|看中|看上|想搞个|想整个|想弄个",
    re.IGNORECASE,
)


# What is wanted done with one already bought: "want to send back the blender", "想退电水壶".
_NOT_A_WISH = re.compile(
    r"\b(?:send|sent|ship|post|mail)\w*\s+(?:\w+\s+){0,3}?back\b|\breturn\w*|\brefund\w*|"
    r"\bcancel\w*|\bexchange\w*|\bswap\w*|\breplace\w*|\brepair\w*|\bfix\w*|"
    # (Nor how it comes: "空气炸锅想要最快的快递", "want next-day delivery for the kettle".)
    r"\bdeliver\w*|\bshipping\b|\bexpress\b|\bnext[- ]day\b|\bpostage\b|"
    r"退|换|取消|修|坏|快递|配送|发货|送到|次日达|加急",
    re.IGNORECASE,
)


def says_a_wish(text: str) -> bool:
    """True when the words say someone wants to have something ("my mum wants an air fryer",
    "想买个电饭煲"), not something done with one already bought ("want to send back the
    blender", "想退电水壶")."""
    return _WANTS.search(text) is not None and _NOT_A_WISH.search(text) is None


async def wants_a_product(turn: Turn) -> bool:
    """True for a message the engine could not read that says the customer (or someone)
    wants one catalogue product, with no order or part in it ("my mum wants an air fryer
    for xmas lol"): that product's price and stock, and it is in play for "how big is it"
    next (not "say it another way"). (A fault told with it is the caller's to rule out.)"""
    text = turn.message.text
    if turn.parse.understood or turn.parse.orders or _PARTS.search(text):
        return False
    if not says_a_wish(text):
        return False
    return bool(await _named_in(turn, text))


# An order about to be placed: "thinking of ordering the blender", "im going to order the
# kettle tomorrow", "planning to order a fan", "准备下单那个咖啡机", "打算买个电饭煲".
_PLANS = re.compile(
    r"\b(?:(?:going|gonna|about|planning|plan|intend(?:ing)?|hoping) (?:to |on )?|"
    r"thinking (?:of|about) |considering |(?:i|we) (?:will|might|may) |i'?ll |we'?ll )"
    r"(?:order|buy|get|purchase|grab|pick up)(?:ing)?\b|"
    r"(?:准备|打算|计划|想|正想|要|考虑)(?:要)?(?:下单|入手|买|购买|订)",
    re.IGNORECASE,
)


async def plans_to_buy(turn: Turn) -> bool:
    """True for an order about to be placed for one catalogue product, nothing wrong told
    and no order named ("thinking of ordering the blender", "planning to order a fan for my
    office", "准备下单那个咖啡机"): that product's price and stock (the engine reads "order"
    and a product as a complaint about one: no case for what has not been bought)."""
    text = turn.message.text
    if turn.parse.orders or _PARTS.search(text) or _NOT_A_WISH.search(text):
        return False
    if not _PLANS.search(text) or turn.parse.sentiment < -0.3:
        return False
    return bool(await _named_in(turn, text))


# One of the customer's own, old or broken, to be replaced by buying a new one: "my old
# kettle broke so i need a new one", "之前的吹风机坏了 想买个新的".
_OLD_ONE = re.compile(
    r"\b(?:old|previous|last|ancient|current|existing)\b|旧的|之前的|以前的|原来的|老的|家里的|"
    # "旧吹风机坏了": 旧 before the name (not 依旧 / 仍旧, "still").
    r"(?<![依仍照])旧(?=[\u4e00-\u9fff])|"
    r"用了\s*(?:\d+|[一二三四五六七八九十几好多])\s*年",
    re.IGNORECASE,
)
_BUYS_NEW = re.compile(
    r"\b(?:buy|get|order|need|want|after|looking for)\b.{0,12}\b(?:a new|new one|another|"
    r"replacement)\b|\bwhich (?:ones? )?(?:do you|would you|should i)|\brecommend|"
    r"想买|要买|买个新|买一个新|再买|重新买|换个新的?.{0,4}(?:买|推荐)|推荐|有什么好",
    re.IGNORECASE,
)


def replaces_old(text: str) -> bool:
    """True when the words say a new one is to be bought because the customer's old one
    broke or is old ("my old kettle broke so i need a new one", "之前的吹风机坏了 想买个新的")."""
    return _OLD_ONE.search(text) is not None and _BUYS_NEW.search(text) is not None


# The old one named before the words that say it broke: "my old hairdryer died", "our
# ancient vacuum finally gave up", "家里的旧电饭煲坏了", "之前的吹风机不行了".
_OLD_NAMED_EN = re.compile(
    r"\b(?:old|previous|ancient|existing)\s+(?P<p>[a-z][a-z\- ]{1,30}?)\s+"
    r"(?:(?:has|have|had|is|was|just|finally|totally|completely|then)\s+){0,2}"
    r"(?:died|dead|broke|broken|bust(?:ed)?|gave (?:up|out)|packed (?:up|in)|conked out|"
    r"stopped|quit|kicked the bucket|gone|went|fell apart|is done|blew up|fried)\b",
    re.IGNORECASE,
)
_OLD_NAMED_ZH = re.compile(
    r"(?:旧的|之前的|以前的|原来的|老的|家里的|用了\s*(?:\d+|[一二三四五六七八九十几好多])\s*年的)?"
    r"(?:(?<![依仍照])旧|老)?(?P<p>[\u4e00-\u9fff]{2,6}?)"
    r"(?:又|也|终于|彻底|已经|都)?(?:坏了|坏掉|坏啦|不行了|不能用了|用不了了?|报废|挂了|罢工|寿终正寝)"
)
# Words for the old one that name no product, or say it came from this shop ("the one you
# sent", "你们家的"): that one broken is the shop's complaint, not a new one to buy.
_NOT_AN_OLD_PRODUCT = re.compile(
    r"\b(?:one|ones|thing|stuff|order|parcel|package|item|unit|address|number|account|card|"
    r"phone number|email|password|it)\b|"
    r"订单|包裹|快递|东西|这个|那个|地址|账号|手机号|它",
    re.IGNORECASE,
)
_BOUGHT_HERE = re.compile(
    r"\b(?:from you|from u|you (?:sent|sold)|u sent|i (?:bought|got|ordered) (?:it |one )?"
    r"(?:from|here|off) (?:you|u|here|this shop)|your (?:shop|store|site))\b|"
    r"你们家?的|你家的|在你们|从你们|你们(?:寄|发|卖)|在这(?:里|儿)?买",
    re.IGNORECASE,
)


def old_one_named(text: str) -> str | None:
    """The product the customer's own old one is, named before the words that say it broke
    and a new one is wanted ("my old hairdryer died, need a new one" -> "hairdryer", "家里的旧
    电饭煲坏了 想买个新的" -> "电饭煲"); None when no new one is wanted, it names no product, or
    it was bought here ("the old one you sent broke": the shop's complaint)."""
    if not replaces_old(text) or _BOUGHT_HERE.search(text):
        return None
    found = _OLD_NAMED_EN.search(text) or _OLD_NAMED_ZH.search(text)
    if found is None:
        return None
    phrase = re.sub(r"^(?:的|个|台|只)", "", found.group("p").strip()).strip()
    if not phrase or len(phrase.split()) > 3 or _NOT_AN_OLD_PRODUCT.search(phrase):
        return None
    return phrase


async def replaces_own_old(turn: Turn) -> bool:
    """True for a new one to be bought because the customer's old one broke ("my old kettle
    broke so i need a new one, which do you have", "之前的吹风机坏了 想买个新的 有推荐吗"),
    no order named: that product's price and stock, those of its kind, or that the shop
    does not sell it ("my old hairdryer died") (no case for what the shop never sold)."""
    text = turn.message.text
    if turn.parse.orders or not replaces_old(text) or _BOUGHT_HERE.search(text):
        return False
    return old_one_named(text) is not None or bool(await _named_in(turn, text))


async def needed_by_day(turn: Turn) -> bool:
    """True for "need a coffee machine by saturday, doable?", "周五前要一个电饭煲": one
    catalogue product and a day it is needed by, no order named: whether it is in stock and
    an order now makes the day (not "say it another way", nor a placed order's date)."""
    text = turn.message.text
    if turn.parse.orders or _PARTS.search(text) or not _BY_A_DAY.search(text):
        return False
    if asks_new_order_time(text) or _NOT_A_DEADLINE.search(text):
        return False  # "if i buy one today..." is the new order's dates; "sent it back on monday"
    if by_day(turn.deps.shipping, turn.deps.clock(), text) is None:
        return False
    return bool(await _named_in(turn, text))


# A day something is needed by: "by friday", "before saturday", "by tomorrow", "周五前",
# "星期六之前", "来得及吗", "赶得上".
_BY_A_DAY = re.compile(
    r"\b(?:by|before|in time for)\s+(?:this |next |the )?(?:(?:mon|tues|wednes|thurs|fri|satur|"
    r"sun)day|tomorrow|tmr|the weekend)\b|(?:周|星期|礼拜)[一二三四五六日天]\s*(?:前|之前|以前)|"
    r"明天(?:前|之前)|来得及|赶得上|赶得及",
    re.IGNORECASE,
)
# What was done on a day, not needed by it: a return, a refund.
_NOT_A_DEADLINE = re.compile(
    r"\b(?:sent|posted|returned|mailed|dropped|shipped)\b.{0,20}\bback\b|\brefund|"
    r"退货|退款|寄回|退回",
    re.IGNORECASE,
)


# Whether it can be bought now, asked in so many words ("still got", "in stock", "还有货吗"):
# narrower than ``RESTOCK``, whose "back" is also a parcel sent back.
_STOCK_ASKED = re.compile(
    r"\bstill (?:got|have|sell|selling|carry|stock)\b|\bin stock\b|\bany left\b|"
    r"还有货|有货|有现货|还有吗|还有没有|还有没",
    re.IGNORECASE,
)


async def asks_stock_named(turn: Turn) -> bool:
    """True when a message, however long, asks whether a catalogue product it names can be
    bought ("loved it at my mum's, still got the toaster?", "同事也想买 搅拌机还有货吗"):
    that product's stock, not the general stock text nor what the rest reads as; no
    order named, no part."""
    text = turn.message.text
    if turn.parse.entity("order_number") is not None or _PARTS.search(text):
        return False
    phrase = product_phrase(text)
    if phrase is None or not _STOCK_ASKED.search(text) or turn.deps.catalogue is None:
        return False
    try:
        found = await turn.deps.catalogue.search(phrase)
    except CatalogueError:
        return False
    return any(names_head(phrase, p) for p in found)


async def _another_named(turn: Turn) -> bool:
    """True when the message is "and"/"what about" and a catalogue product's name, no more."""
    another = _ANOTHER.search(turn.message.text.strip())
    tail = (another.group("en") or another.group("zh")) if another else None
    if tail is None or turn.deps.catalogue is None:
        return False
    try:
        found = await turn.deps.catalogue.search(tail)
    except CatalogueError:
        return False
    said = " ".join(tail.lower().split())
    return len(found) == 1 and any(
        said in (n.lower(), f"{n.lower()}s") for n in product_names(found[0])
    )


# The longest message (words, or ideographs) read as naming a product and nothing else.
_SHORT = 10


# Read when an order placed now for the product in play, sold out, would arrive.
AFTER_RESTOCK = "products:after_restock"


async def sold_out_in_play(turn: Turn) -> Product | None:
    """The product just talked about when it is sold out (and no other product is named);
    None otherwise, or when the catalogue cannot say."""
    catalogue = turn.deps.catalogue
    slot = turn.dialogue.slot("product")
    if catalogue is None or slot is None or slot.turn < turn.dialogue.turn - IN_PLAY_TURNS:
        return None
    named = product_phrase(turn.message.text)
    if named is not None and named != slot.value:
        return None
    try:
        found = await catalogue.search(slot.value)
    except CatalogueError:
        return None
    if not found or found[0].stock is None or found[0].stock > 0:
        return None
    return found[0]


async def orders_sold_out(turn: Turn) -> bool:
    """True for "if i order now will it come by friday", "今天下单明天能到吗", "那现在下单啥
    时候到" right after a product shown sold out: it ships only once restocked, so the
    delivery days count from then (not as if it were on the shelf)."""
    if turn.parse.entity("order_number") is not None:
        return False
    if not asks_new_order_time(turn.message.text):
        return False
    return await sold_out_in_play(turn) is not None


async def after_restock(turn: Turn) -> list[Reply]:
    """When an order placed now for the sold-out product in play arrives: after its restock
    date, standard and express counted from then; with no date, that none can be given."""
    product = await sold_out_in_play(turn)
    if product is None:
        return await inquiry.answer(turn)
    title = product.title(turn.language)
    today = turn.deps.clock().date()
    if product.restock is None or product.restock < today:
        return [turn.reply("restock_order_no_date", product=title)]
    times = turn.deps.shipping
    # Stock arrives in the morning of the restock date: orders waiting leave that day.
    ships = datetime.combine(product.restock, time(9, 0), tzinfo=times.zone)
    first, last = times.standard(ships)
    language = turn.language
    reply = turn.reply(
        "restock_order_arrives",
        product=title,
        date=day_text(product.restock, language),
        first=day_text(first, language),
        last=day_text(last, language),
        express=day_text(times.express(ships), language),
    )
    verdict = by_day(times, turn.deps.clock(), turn.message.text)
    if verdict is not None and verdict.target < times.express(ships):
        missed = turn.say("restock_order_misses_day", target=day_text(verdict.target, language))
        reply = replace(reply, text=f"{missed} {reply.text}")
    return [reply]
