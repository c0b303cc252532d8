"""Which product to buy, from the catalogue: "what rice cooker would you recommend for 2 people"."""

from __future__ import annotations

import logging
import re

from handlers import products
from handlers.catalogue import CatalogueError, Product, size_of
from handlers.turn import Turn
from handlers.types import Reply

logger = logging.getLogger(__name__)

# The Reading detail of a recommendation asked for (handlers/dispatcher.py routes it here).
DETAIL = "product_advice"
# When the bot listed a kind's models and asked whom it is for: "just me", "for 5 of us",
# "mostly soups", "两个人", "预算60" next is the answer to that.
ASKED_WHO = "advice:asked_who"

# Advice asked for, not a product's price or a comparison of two named ones: "what would you
# recommend", "which kettle is best", "whats a good blender for smoothies", "which one should
# i get", "空气炸锅有啥推荐的", "买哪款好", "电炖锅哪个好用", "适合三口人的有吗", "帮我挑一个".
_ADVICE = re.compile(
    r"\brecomm?end\w*|\brecs?\b|\b(?:any|your) (?:suggestions?|tips|advice)\b|"
    r"\b(?:which|what) (?:[a-z'-]+ ){0,5}(?:is|would be|'s|s|are) (?:the )?(?:best|better|good|"
    r"right|ideal|most suitable)\b(?! (?:way|time|place|method|day|thing to do)\b)|"
    r"\bwhich (?:[a-z-]+ ){0,3}(?:should|shall|would|do you think) (?:i|we) "
    r"(?:get|buy|go for|choose|pick|take)\b|\bwhat (?:[a-z-]+ ){0,3}should (?:i|we) (?:get|buy|"
    r"go for|choose)\b|\bwhat(?:'s| is|s| are)? (?:a |some )?(?:good|decent|nice) (?:[a-z-]+ ?)"
    r"{1,3}(?:for|to|if|\?|$)|\b(?:the )?best (?:[a-z-]+ ){1,3}for\b|\bhelp me (?:choose|pick|"
    r"decide)\b|\bgood (?:one|option|choice) for\b|"
    r"\b(?:would|do|can|could) (?:you|u|ya) (?:suggest|recommend)\b|"
    r"\b(?:which|what)(?: one)? (?:would|do) (?:you|u) (?:go for|get|pick|choose|buy|take)\b|"
    r"推荐|哪(?:个|款|种|台|一款|一个)(?:比较|更|最)?(?:好|好用|合适|适合|实用|划算)|"
    r"(?:买|选|要|挑)哪(?:个|款|种|台|一款|一个)|怎么选|咋选|如何选|帮(?:我|忙)(?:选|挑)|"
    r"(?:有|有没有)(?:啥|什么)好(?:的|用)|适合.{0,10}(?:的|吗|嘛|呢)|性价比",
    re.IGNORECASE,
)
# Whom it is for, in people: "for 2 people", "family of four", "just me", "一家三口", "两个人用".
_NUMBERS = {
    **dict.fromkeys(("1", "one", "一", "单"), 1),
    **dict.fromkeys(("2", "two", "两", "二", "俩"), 2),
    **dict.fromkeys(("3", "three", "三"), 3),
    **dict.fromkeys(("4", "four", "四"), 4),
    **dict.fromkeys(("5", "five", "五"), 5),
    **dict.fromkeys(("6", "six", "六"), 6),
    **dict.fromkeys(("7", "seven", "七"), 7),
    **dict.fromkeys(("8", "eight", "八"), 8),
}
_COUNT = r"(?P<n>[1-8]|one|two|three|four|five|six|seven|eight|[一两二俩三四五六七八])"
_PEOPLE = (
    re.compile(
        r"\b(?:for|of|feeds?|serves?|cook for|cooking for)\s+(?:about |around |like )?"
        + _COUNT
        + r"\b(?!\s*(?:l|litres?|liters?|ml|cups?|w|watts?|years?|days?|hours?|mins?|minutes?)\b)",
        re.IGNORECASE,
    ),
    re.compile(_COUNT + r"\s*(?:people|persons|ppl|adults|of us|person)\b", re.IGNORECASE),
    re.compile(r"(?:一家|家里|全家|我们|家庭)?" + _COUNT + r"\s*(?:口人|口之家|口|个人|人)"),
)
_ONE = re.compile(
    r"\bjust (?:me|myself)\b|\bfor (?:me|myself) (?:only|alone)\b|\b(?:living|live) alone\b|"
    r"\bsingle person\b|自己用|我自己|一个人|单身|独居",
    re.IGNORECASE,
)
_TWO = re.compile(
    r"\b(?:a couple|the two of us|(?:me|myself) and (?:my|the) (?:wife|husband|partner|hubby|"
    r"missus|gf|bf|girlfriend|boyfriend|fianc[ée]e?|roommate|flatmate|housemate|mum|mom|dad|"
    r"son|daughter|other half))\b|"
    r"两口子|夫妻|小两口|情侣|(?:我|我自己)(?:和|跟)(?:老婆|老公|媳妇|爱人|对象|男朋友|女朋友|室友)",
    re.I,
)
_FAMILY = re.compile(r"\bfamil(?:y|ies)\b|\bkids\b|\bchildren\b|一家人|全家|家庭|孩子|小孩", re.I)
# A budget: "under 60", "below $100", "no more than 80", "100以内", "预算80", "不超过100".
_BUDGET = re.compile(
    r"\b(?:under|below|less than|max|up to|no more than|within|budget(?: is| of)?)\s*"
    r"[$£€]?\s*(?P<en>\d+(?:\.\d+)?)|"
    r"(?:预算|不超过|不到|低于)\s*(?P<zh>\d+(?:\.\d+)?)|(?P<zh2>\d+(?:\.\d+)?)\s*(?:块|元|刀)?(?:以内|以下|之内)",
    re.IGNORECASE,
)
# What it is for: the words after "for", "to", "用来", "做": "for smoothies", "用来煮粥".
_USE = re.compile(
    r"\b(?:for|to make|to cook|making|cooking)\s+(?P<en>[a-z][a-z\s-]{2,30})|"
    r"(?:用来|拿来|适合|能|可以)?(?P<zh>[煮做蒸炖打榨烤炸煲泡][\u4e00-\u9fff]{1,4})",
    re.IGNORECASE,
)
_STOP = frozenset(
    (
        *("a", "an", "the", "my", "our", "me", "us", "i", "we", "and", "or", "of", "for", "to"),
        *("it", "them", "that", "this", "one", "some", "any", "people", "person", "ppl"),
        *("family", "kids", "small", "big", "flat", "house", "home", "daily", "use", "everyday"),
    )
)


def asks(text: str) -> bool:
    """True when the words ask which product to buy ("which blender is best for smoothies",
    "空气炸锅有啥推荐的"), not its price, stock or a part."""
    return _ADVICE.search(text) is not None


def people(text: str) -> int | None:
    """How many people the product is for, when the words say ("for 2 people", "family of
    four", "just me", "一家三口", "两个人用"); a family unnumbered counts as four."""
    for pattern in _PEOPLE:
        for found in pattern.finditer(text):
            number = _NUMBERS.get(found.group("n").lower())
            if number is not None:
                return number
    # "just me and my wife": two, whatever "just me" says alone.
    if _TWO.search(text):
        return 2
    if _ONE.search(text):
        return 1
    if _FAMILY.search(text):
        return 4
    return None


def suits(product: Product, count: int) -> bool:
    """True when the shop says the product is for as many people as ``count``."""
    serves = product.serves_range()
    return serves is not None and serves[0] <= count <= serves[1]


def by_people(choices: list[Product], count: int) -> Product | None:
    """The one of several sizes for that many people: the one the shop says suits them,
    else by capacity (the smallest for one or two, the biggest for five or more, the middle
    else); None when capacity cannot tell them apart."""
    fitting = [p for p in choices if suits(p, count)]
    if fitting:
        return min(fitting, key=lambda p: (size_of(p) or 0.0, p.price or 0.0))
    sized = sorted((p for p in choices if size_of(p) is not None), key=lambda p: size_of(p) or 0)
    if len(sized) < 2 or size_of(sized[0]) == size_of(sized[-1]):
        return None
    if any(p.serves_range() for p in sized):
        # The sizes the shop gives are all for fewer or more people than asked.
        fewest = min(sized, key=lambda p: (p.serves_range() or (0, 0))[1])
        most = max(sized, key=lambda p: (p.serves_range() or (0, 0))[1])
        return most if count > (most.serves_range() or (0, 0))[1] else fewest
    if count <= 2:
        return sized[0]
    if count >= 5:
        return sized[-1]
    return sized[len(sized) // 2]


def _budget(text: str) -> float | None:
    found = _BUDGET.search(text)
    if found is None:
        return None
    return float(found.group("en") or found.group("zh") or found.group("zh2"))


def _uses(text: str) -> list[str]:
    """The words saying what the product is for ("smoothies", "煮粥"), stop words left out."""
    words: list[str] = []
    for found in _USE.finditer(text):
        if found.group("en"):
            words += [w for w in re.findall(r"[a-z]+", found.group("en").lower()) if w not in _STOP]
        elif found.group("zh"):
            words.append(found.group("zh")[:2])
    return words


def _fits_use(product: Product, words: list[str], language: str) -> str | None:
    """What of the product answers the use ("smoothie maker", "煮粥"): its name or a feature
    holding one of the words; None when nothing does."""
    said = [*product.aliases, product.name, product.name_zh]
    features = [
        f
        for text in (product.features, product.features_zh)
        for f in re.split(r"\s*[,，、;；]\s*", text)
        if f
    ]
    for word in words:
        stem = word[:-1] if word.isascii() and word.endswith("s") and len(word) > 4 else word
        # An English word from its start ("tea" is not in "steam"); Chinese anywhere.
        holds = re.compile(rf"\b{re.escape(stem)}" if stem.isascii() else re.escape(stem), re.I)
        for feature in features:
            if holds.search(feature):
                shown = product.features_zh if language == "zh" else product.features
                return next(
                    (f for f in re.split(r"\s*[,，、;；]\s*", shown) if holds.search(f)), feature
                )
        if any(holds.search(name) for name in said if name):
            return product.specs(language) or product.title(language)
    return None


async def kind_of(turn: Turn) -> list[Product]:
    """The products of the kind the advice is about: the kind the words name, else the one
    in play; empty when neither is known."""
    catalogue = turn.deps.catalogue
    if catalogue is None:
        return []
    named = await catalogue.search(turn.message.text)
    if not named:
        # The product in play, else the pair just compared ("there's 5 of us" after them).
        for kind in ("product", products.PAIR_SLOT):
            slot = turn.dialogue.slot(kind)
            if slot is not None and slot.turn >= turn.dialogue.turn - products.IN_PLAY_TURNS:
                named = await catalogue.search(slot.value.split("|")[0])
                break
        if not named:
            return []
    every: dict[str, Product] = {}
    for product in named:
        for alike in await catalogue.alike(product):
            every[alike.sku] = alike
    return sorted(every.values(), key=lambda p: (size_of(p) or 0.0, p.price or 0.0))


def _says_who_for(turn: Turn) -> bool:
    """True right after the bot asked whom the product is for, for words that say it ("just
    the two of us", "family of 4", "under 60", "两个人用", "主要炖汤"); or, unasked, how many
    people it is for right after products were shown or compared (``tells_household``)."""
    text = turn.message.text
    if len(text) > 80:
        return False
    if turn.dialogue.variant(ASKED_WHO) != turn.dialogue.turn - 1:
        return tells_household(turn)
    return people(text) is not None or _budget(text) is not None or bool(_uses(text))


# A household told with other business than the choice: an order, a fault, a question of its
# own ("there's 5 of us waiting on A-1003", "我家五口人 怎么退货").
_OTHER_BUSINESS = re.compile(
    r"\b(?:order|parcel|package|deliver\w*|refund|return\w*|cancel\w*|broken|faulty|"
    r"case|agent|person|human)\b|\d{4,}|订单|快递|包裹|退|取消|坏|人工|客服|工单",
    re.IGNORECASE,
)


def tells_household(turn: Turn) -> bool:
    """True for how many people it is for, said as a plain statement right after products
    were shown or compared ("there's 5 of us", "it's just me and my wife", "我家五口人",
    "主要一个人用"): context for the choice, answered with the model that fits."""
    text = turn.message.text
    if people(text) is None or _OTHER_BUSINESS.search(text) or turn.parse.orders:
        return False
    last = turn.dialogue.turn - 1
    return any(
        shown is not None and shown.turn == last
        for shown in (turn.dialogue.slot("product"), turn.dialogue.slot(products.PAIR_SLOT))
    )


async def applies(turn: Turn) -> bool:
    """True for advice asked about a kind the catalogue sells, named or in play, with no
    order named; or whom it is for, said when the bot asked."""
    if turn.parse.entity("order_number") is not None:
        return False
    if not asks(turn.message.text) and not _says_who_for(turn):
        return False
    try:
        return bool(await kind_of(turn))
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return False


async def answer(turn: Turn) -> list[Reply]:
    """The products of the kind with size, price and stock, and the one that fits what the
    customer said (how many people, what for, a budget) with the reason; with nothing said
    to choose by, what sets them apart and a question about who it is for."""
    text = turn.message.text
    try:
        choices = await kind_of(turn)
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return [turn.reply("catalogue_failed", product=text)]
    if not choices:
        return await products.availability(turn)
    language = turn.language
    turn.outcome.intents[-1:] = [products.INTENT]
    kind = products.kind_name(turn, choices)
    budget = _budget(text)
    pool = [p for p in choices if budget is None or (p.price is not None and p.price <= budget)]
    lines: list[str] = []
    if not pool:
        cheapest = min(choices, key=lambda p: p.price or 0.0)
        lines.append(turn.say("advice_over_budget", kind=kind, budget=_money(budget, cheapest)))
        pool = [cheapest]
    count = people(text)
    # "for headphones", "炖锅有啥": words that name the kind are not what it is for.
    lowered = text.lower()
    named = {
        w
        for p in choices
        for n in (p.name, p.name_zh, *p.aliases)
        if n and n.lower() in lowered
        for w in re.findall(r"[a-z]+|[\u4e00-\u9fff]+", n.lower())
    }
    uses = [w for w in _uses(text) if not any(w in n or n in w for n in named)]
    picked: Product | None = None
    reasons: list[str] = []
    if uses:
        fitting = [(p, _fits_use(p, uses, language)) for p in pool]
        matched = [(p, why) for p, why in fitting if why]
        if matched:
            picked = matched[0][0]
            reasons.append(turn.say("advice_because_use", feature=matched[0][1]))
            pool = [p for p, _ in matched]
    if count is not None and len(pool) > 1:
        sized = by_people(pool, count)
        if sized is not None:
            picked = sized
            reasons = [_people_reason(turn, sized, count)]
    elif count is not None and len(pool) == 1 and pool[0].serves_range() is not None:
        picked = pool[0]
        reasons.append(_people_reason(turn, pool[0], count))
    if picked is None and len(pool) == 1:
        picked = pool[0]
        if budget is not None and len(choices) > 1:
            reasons.append(turn.say("advice_because_budget", price=picked.price_text()))
    if picked is None and budget is not None:
        picked = max(pool, key=lambda p: p.price or 0.0)  # the most the budget buys
        reasons.append(turn.say("advice_because_budget", price=picked.price_text()))
    if picked is not None:
        turn.outcome.slots["product"] = picked.name
        title = picked.title(language)
        key = "advice_only_one" if len(choices) == 1 else "advice_pick"
        lines += [turn.say(key, kind=kind, product=title), *reasons]
    else:
        lines.append(turn.say("advice_many", kind=kind, count=len(choices)))
    # Every model of the kind (the one picked alone when it is the only one): what sets it
    # apart, its price and stock.
    lines += [_line(turn, p) for p in choices[:6]]
    if picked is None:
        # Nothing to choose by: the models listed are what "is it in stock", "the big one"
        # and "哪个好" next are about, as after the kind's range.
        turn.outcome.slots["product"] = choices[0].name
        turn.outcome.slots[products.PAIR_SLOT] = "|".join(p.name for p in choices[:2])
        lines.append(turn.say("advice_ask_who"))
        turn.outcome.said[ASKED_WHO] = turn.dialogue.turn
    return [Reply("\n".join(lines))]


def _line(turn: Turn, product: Product) -> str:
    """One model: its name, what the catalogue says of it, its price and stock."""
    specs = product.specs(turn.language)
    title = product.title(turn.language)
    if specs:
        title = f"{title}（{specs}）" if turn.language == "zh" else f"{title} ({specs})"
    return turn.say(
        "range_line",
        product=title,
        price=product.price_text() or turn.say("range_no_price"),
        stock=products.stock_text(turn, product),
    )


def _people_reason(turn: Turn, product: Product, count: int) -> str:
    """Why that size for that many people: the shop's own "for 2-4 people" (said honestly
    when even the biggest is for fewer), else its capacity."""
    title = product.title(turn.language)
    serves = product.serves_range()
    if serves is None:
        return turn.say("advice_because_size", product=title, size=product.capacity, count=count)
    if count > serves[1]:
        key = "advice_serves_over"
    elif count < serves[0]:
        key = "advice_serves_under"
    else:
        key = "advice_because_serves"
    return turn.say(key, product=title, serves=product.serves, count=count)


def _money(amount: float | None, like: Product) -> str:
    """An amount in the product's currency, written as its prices are."""
    return Product(sku="", name="", price=amount, currency=like.currency).price_text()
