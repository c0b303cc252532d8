"""Two products side by side, from the catalogue: "whats the difference between the coffee
machine and the espresso one", "扫地机器人跟吸尘器哪个好", then "and in price?", "ok ill get
the cheaper one", "那就便宜的那个吧"."""

from __future__ import annotations

import logging
import re

from handlers import advice, attributes, difference, products
from handlers.catalogue import (
    CatalogueError,
    Product,
    distinct_choice,
    only_a_size,
    size_of,
    size_sold,
    sizes_asked,
    without_sizes,
)
from handlers.context import length
from handlers.picked import models_in_play
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply

logger = logging.getLogger(__name__)

# The Reading detail of a comparison of two products, and of a choice between them
# (handlers/dispatcher.py routes them here); both are read as a product question.
DETAIL = "product_pair"
CHOICE = "product_pair_choice"
# The slot kind holding the two products compared, by name, "first|second": what "the
# cheaper one" and "the difference in price" next refer to.
SLOT = products.PAIR_SLOT
# How many turns after the comparison its products are still what "the cheaper one" means.
_IN_PLAY_TURNS = 2
# The longest bare comparison read against two products asked one after the other.
_COMPARE_WORDS = 6

# How a product is more or less than another in something the catalogue may state: "which
# is quieter, X or Y", "哪个更安静" (the attribute is handlers/attributes.py's).
_COMPARATIVE_EN = (
    r"quieter|louder|noisier|less noisy|lighter|heavier|bigger|larger|smaller|more compact|"
    r"more powerful|less powerful|stronger|uses? less (?:power|electricity|energy)|"
    r"more (?:energy[- ])?efficient|lasts? longer|longer battery"
)
_COMPARATIVE_ZH = r"更?(?:安静|静音|声音小|噪音小|轻|轻便|重|省电|耐用|续航长|功率大|容量大)"
# "the difference between X and Y", "X vs Y", "compare X with Y", "which is better, X or Y",
# "X or Y, which one": the two sides as the customer named them.
_PAIRS_EN = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bdiff(?:erence|erences|rence|erance)?s?\b\s+(?:is there\s+)?(?:between|btw|b/w)\s+"
        r"(?P<a>.+?)\s+(?:and|&|vs\.?|versus|or)\s+(?P<b>.+?)[\s?!.]*$",
        r"\bcompar(?:e|ing)\b\s+(?P<a>.+?)\s+(?:and|with|to|vs\.?|versus)\s+(?P<b>.+?)[\s?!.]*$",
        r"(?:which|what)(?:'s| is| one is| one|s)?\s+(?:better|best|cheaper|the better one|"
        r"you recommend|would you get|should i (?:get|buy|go for)|" + _COMPARATIVE_EN + r")"
        r"[\s,:-]+(?P<a>.+?)\s+or\s+(?P<b>.+?)[\s?!.]*$",
        # (A point inside a size is part of the name: "slow cooker 3.5l vs 6l".)
        r"^(?:(?:so|ok|hm+|and)[\s,]+)?(?:the\s+)?(?P<a>[a-z][\w\s.-]{1,40}?)\s+(?:vs\.?|versus)\s+"
        r"(?P<b>[\w\s-]{2,40}?)(?:[\s,?!.]+(?:what|whats|which|any|is|how)\b.*)?[\s?!.]*$",
        r"^(?:(?:so|ok|hm+|and)[\s,]+)?(?:should i (?:get|buy|go for)\s+)?(?P<a>[\w\s.-]{2,40}?)\s+"
        r"or\s+(?P<b>[\w\s.-]{2,40}?)[\s,?!.]+(?:which|what)\b.{0,20}\b(?:better|best|cheaper|"
        r"recommend|difference)\b",
    )
)
_PAIR_ZH = re.compile(
    r"(?P<a>[\u4e00-\u9fffA-Za-z0-9 .]{2,12}?)(?:跟|和|与|同|还是|对比|比)"
    r"(?P<b>[\u4e00-\u9fffA-Za-z0-9 .]{2,12}?)"
    r"(?:比)?(?:起来)?(?:到底)?(?:哪个|哪款|哪一个|哪种|哪台|有什么|有啥|有何|啥|的|之间的|之间)?"
    r"(?:区别|差别|不同|好|更好|划算|便宜|值|比较好|推荐|选哪|怎么选|差在哪|"
    + _COMPARATIVE_ZH
    + r")"
)
# Two products priced in one question, not yet compared: "how much is the kettle and the
# blender", "price of the toaster and kettle", "电水壶和搅拌机多少钱", "烤面包机跟水壶分别啥价".
# Both are answered side by side, and "the difference between them" next is that pair.
# Asked whether we have both: "do u have the air fryer and the desk lamp", "are the toaster
# and the kettle in stock", "空气炸锅和台灯都有货吗".
_PRICED_EN = re.compile(
    r"\b(?:how much|hw much|how mch|price|prices|cost)\s+(?:is|are|r|for|of|do|does)\s+"
    r"(?P<a>[\w\s-]{2,40}?)\s+(?:and|&|n|plus)\s+(?P<b>[\w\s-]{2,40}?)"
    r"(?:\s+(?:cost|costs|each|then|pls|please))*[\s?!.]*$|"
    r"\b(?:do|d) (?:you|u|ya|yall) (?:still )?(?:have|got|sell|stock|carry)\s+(?:any\s+)?"
    r"(?P<c>[\w\s-]{2,40}?)\s+(?:and|&|n|plus)\s+(?P<d>[\w\s-]{2,40}?)"
    r"(?:\s+(?:in stock|available|too|as well|then|pls|please))*[\s?!.]*$|"
    r"^(?:(?:so|ok|and|hi|hey)[\s,]+)?(?:are|r|is)\s+(?P<e>[\w\s-]{2,40}?)\s+(?:and|&|n|plus)\s+"
    r"(?P<f>[\w\s-]{2,40}?)\s+(?:both\s+)?(?:in stock|available)[\s?!.]*$",
    re.IGNORECASE,
)
_PRICED_ZH = re.compile(
    r"(?P<a>[\u4e00-\u9fffA-Za-z0-9 ]{2,12}?)(?:跟|和|与|还有|加)"
    r"(?P<b>[\u4e00-\u9fffA-Za-z0-9 ]{2,12}?)"
    r"(?:分别|各|都|一共)?(?:是)?(?:多少钱|多钱|啥价|什么价|几块|价格|卖多少|有货|有没有货|有现货|"
    r"还有货|有卖|卖不卖|有吗|有没有)"
)
# Two products named together and nothing else asked: "tell me about the headphones and the
# earbuds", "kettle n blender?", "do u have the toaster and the microwave", "无线耳机和蓝牙耳机",
# "介绍一下电饭煲跟空气炸锅": both answered side by side (not the first alone), so "whats the
# difference between them", "区别在哪" next is that pair.
_NAMED_EN = re.compile(
    r"^(?:(?:ok|okay|so|and|hi|hey|hm+|also)[\s,]+)*(?:(?:(?:can|could) (?:you|u) |pls |please )?"
    r"(?:tell me(?: more)?|what can you tell me|info|details|specs|any info|anything)\s+"
    r"(?:about|on|of|for)\s+|(?:do (?:you|u) (?:have|sell|stock)|(?:have you|u) got|got|"
    r"what about|how about|and)\s+)?(?P<a>[a-z][\w-]*(?:\s+[\w-]+){0,3}?)\s+(?:and|&|n|plus)\s+"
    r"(?P<b>[a-z][\w-]*(?:\s+[\w-]+){0,3}?)(?:\s+(?:pls|please|then|too))?[\s?!.]*$",
    re.IGNORECASE,
)
_NAMED_ZH = re.compile(
    r"^(?:介绍一下|介绍下|说说|讲讲|看看|请问|那)?(?P<a>[\u4e00-\u9fffA-Za-z0-9 ]{2,12}?)"
    r"(?:跟|和|与|还有)(?P<b>[\u4e00-\u9fffA-Za-z0-9 ]{2,12}?)"
    r"(?:呢|吧|介绍一下|介绍下|怎么样|咋样|都有吗|有吗|有没有)?[？?！!。~～\s]*$"
)
# "whats the difference between them", "which is better", "哪个好", "有啥区别", "差价咋算"
# right after two products: those two compared.
_THEM = re.compile(
    r"\bdiff(?:erence|erences|rence|erance)?s?\b(?:\s+(?:between|btw|b/w)\s+(?:them|the two|"
    r"those|these|both))?\s*[?!.]*$|\b(?:which|what)(?:'s| is| one is| one|s)?\s+(?:better|best|"
    r"the better one|you recommend|would you get|should i (?:get|buy|go for))\b|"
    r"\bhow do (?:they|the two) compare\b|\bwhich (?:one |of them |of the two )?(?:suits|fits|"
    r"for)\b|"
    # "and between those two?", "what sets them apart", "how are they different".
    r"^\W*(?:(?:and|so|ok|okay|n|but)\s+)*(?:what about\s+|how about\s+)?between (?:those|these|"
    r"the|them)(?: two| 2| both)?\s*[?!.]*$|"
    r"\bsets? (?:them|the two|those|these|those two|these two|em) apart\b|"
    r"\bhow (?:are|r|do) (?:they|the two|those two|these two|em) (?:differ|different)\b|"
    r"(?:哪里|哪儿|哪)(?:不一样|不同)|不一样在哪|差在哪|"
    r"哪个(?:更)?好|哪(?:个|款|一个|种)(?:更|比较)?(?:划算|值|推荐|合适|适合)|选哪(?:个|款)|(?:有)?(?:什么|啥)(?:区别|不同|不一样)|"
    r"区别(?:是)?(?:什么|啥|在哪)|差价|差别",
    re.IGNORECASE,
)
# Leading words of a side that are not its name ("what's the difference between the ...").
_SIDE_NOISE = re.compile(
    r"^(?:(?:the|a|an|your|ur|this|that|those|these)\s+)+|\s+(?:one|ones|model|thing)$|"
    r"^(?:请问|问下|问一下|想问下?|那个|这个|你们的?|你家的?)|(?:这个|那个|这款|那款|的)$",
    re.IGNORECASE,
)
# "the difference in price", "差多少钱", "哪个便宜": the two just compared, by price.
_PRICE_AGAIN = re.compile(
    r"\bdiff(?:erence)?\b.{0,20}\b(?:price|cost)|\bprice (?:difference|diff)\b|"
    r"\bhow much (?:more|less|cheaper|dearer)\b|\bwhich (?:one )?is cheaper\b|"
    r"差多少|价格?差|价钱差|贵多少|便宜多少|哪个便宜|哪个贵|价格(?:有)?(?:什么|啥)?区别",
    re.IGNORECASE,
)
# "the cheaper one", "ill get the cheaper", "便宜的那个", "要贵的": one of the two, by price.
_CHEAPER = re.compile(
    r"\bcheaper\b|\bcheapest\b|\bless expensive\b|\blower price\b|便宜(?:的|点的|些的|那)", re.I
)
_DEARER = re.compile(
    r"\b(?:dearer|pricier|more expensive|expensive one|priciest)\b|贵(?:的|点的|些的|那)", re.I
)
# "the bigger one", "大的那个": one of the two, by capacity.
_BIGGER = re.compile(
    r"\b(?:bigger|larger|biggest|largest)\b|\b(?:big|large) (?:one|size|model)\b|"
    r"(?<!多)大(?:一)?(?:点|些)?的|容量大|大号|哪(?:个|款|台|一个)(?:更|比较)?大(?![小])",
    re.I,
)
_SMALLER = re.compile(
    r"\b(?:smaller|smallest|more compact)\b|\b(?:small|little|mini) (?:one|size|model)\b|"
    r"(?<!多)小(?:一)?(?:点|些)?的|容量小|小号|小巧|哪(?:个|款|台|一个)(?:更|比较)?小(?![巧])",
    re.I,
)
# Words that take one of the two, not only ask of it ("ill get", "i'll take", "那就要").
_TAKES = re.compile(
    r"\b(?:get|take|buy|order|go (?:with|for)|pick|choose|want|ll have)\b|"
    r"那就|就要|我要|要了|买|选|拿|下单",
    re.IGNORECASE,
)


# "is the espresso one worth the extra", "贵的值得吗": the two weighed against each other.
_WORTH = re.compile(
    r"\bworth (?:it|the (?:extra|money|difference|price|upgrade)|paying (?:more|extra)|more)\b|"
    r"值得|值不值|值吗|值么|划算吗",
    re.IGNORECASE,
)
# Who it is for: "for a family of four", "just me", "一家四口", "一个人用": by capacity.
_PEOPLE_MANY = re.compile(
    r"\bfamil(?:y|ies)\b|\bkids\b|\b(?:3|4|5|6|7|8|three|four|five|six|seven|eight)\s*"
    r"(?:people|persons|ppl|of us|adults)\b|\bof (?:3|4|5|6|three|four|five|six)\b|"
    r"一家|全家|家庭|家里人|(?:三|四|五|六|七|八|[3-8])(?:个|口)人?|几口人|人多",
    re.IGNORECASE,
)
_PEOPLE_FEW = re.compile(
    r"\b(?:one|1|single|two|2) (?:person|people|persons|ppl)\b|"
    r"\bjust (?:me|myself|the two of us)\b|"
    r"\bfor (?:me|myself)\b|\b(?:living alone|live alone|a couple|single)\b|"
    r"(?:一|1|两|二|2)个人|自己用|单身|独居|一人|两人|人少",
    re.IGNORECASE,
)
# Said as a choice ("ill get", "take the", "那就", "我要"), or the choice alone ("the cheaper
# one", "便宜的那个吧").
_CHOOSES = re.compile(
    r"\b(?:get|take|buy|order|go (?:with|for)|pick|choose|want|have)\b|\bone\b|^\W*the\b|"
    r"那就|就要|我要|要|买|选|拿|下单|那个|那款|这个|吧",
    re.IGNORECASE,
)


def sides(text: str) -> tuple[str, str] | None:
    """The two products a message compares, as the customer named them, or None."""
    return _two_named((*_PAIRS_EN, _PAIR_ZH), text)


def priced(text: str) -> tuple[str, str] | None:
    """The two products one question asks the price of ("how much is the kettle and the
    blender", "电水壶和搅拌机多少钱") or names together with nothing else asked ("tell me about
    the headphones and the earbuds", "无线耳机和蓝牙耳机"), as the customer named them, or None."""
    return _two_named((_PRICED_EN, _PRICED_ZH, _NAMED_EN, _NAMED_ZH), text)


# A question's words inside what was read as a product's name.
_ASKED = re.compile(
    r"\b(?:how|what|whats|where|when|why|which|much|price|cost|is|are|does|do|can)\b|"
    r"多少|怎么|什么|啥|吗|呢",
    re.IGNORECASE,
)


def _two_named(patterns: tuple[re.Pattern[str], ...], text: str) -> tuple[str, str] | None:
    """The two different products the first matching pattern names (its groups a and b)."""
    for pattern in patterns:
        found = pattern.search(text.strip())
        if found is not None:
            named = [g for g in found.groups() if g is not None]
            if any(_ASKED.search(side) for side in named[:2]):
                continue  # "do you have X and how much is Y": two questions, not two names
            first, second = _side(named[0]), _side(named[1])
            if first and second and first != second:
                return first, second
    return None


def _side(words: str) -> str:
    words = " ".join(words.split())
    for _ in range(3):
        words = _SIDE_NOISE.sub("", words).strip(" ,，")
    return words


def asks(turn: Turn) -> bool:
    """True when the message compares two products by name ("coffee machine or espresso
    machine, which is better"), no order named."""
    return turn.parse.entity("order_number") is None and sides(turn.message.text) is not None


async def prices_two(turn: Turn) -> bool:
    """True when one question asks the price of two catalogue products ("how much is the
    kettle and the blender", "电水壶和搅拌机多少钱"); not "how much is shipping and returns"."""
    named = priced(turn.message.text)
    if named is None or turn.deps.catalogue is None or turn.parse.entity("order_number"):
        return False
    try:
        return await _both(turn, *named) is not None
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return False


# The models of one kind compared: "whats the difference between the slow cookers", "compare
# your two slow cookers", "两款电炖锅有啥区别", "电炖锅有什么不同".
_KIND_EN = re.compile(
    r"\b(?:diff(?:erence|erences|rence|erance)?s?\s+(?:between|btw|b/w)|compare|comparing)\s+"
    r"(?:the|your|ur|yr)?\s*(?:two|2|both)?\s*(?P<k>[a-z][a-z -]{2,30}?)\s*[?!.]*$|"
    # "how do ur two slow cookers differ", "what makes the 2 slow cookers different"
    r"\b(?:how|in what way)\s+(?:do|does)\s+(?:the|your|ur|yr)?\s*(?:two|2|both)?\s*"
    r"(?P<d>[a-z][a-z -]{2,30}?)\s+differ\b|"
    r"\bwhat makes\s+(?:the|your|ur|yr)?\s*(?:two|2|both)\s+(?P<m>[a-z][a-z -]{2,30}?)\s+"
    r"different\b",
    re.IGNORECASE,
)
_KIND_ZH = re.compile(
    r"(?:两款|两个|两种|这两款|那两款|几款)?(?P<k>[\u4e00-\u9fff]{2,6}?)(?:之间)?(?:有|是)?"
    r"(?:什么|啥|哪些)?(?:区别|不同|差别|不一样)"
)


async def _kind_sides(turn: Turn) -> tuple[str, str] | None:
    """The two models of the kind a message compares (the catalogue has exactly two of it),
    by name, or None."""
    catalogue = turn.deps.catalogue
    text = turn.message.text.strip()
    found = _KIND_EN.search(text) or _KIND_ZH.search(text)
    if found is None or catalogue is None or sides(text) is not None:
        return None
    kind = _side(next(g for g in found.groups() if g))
    if not kind or _ASKED.search(kind) or _PRONOUN.match(kind):
        return None
    try:
        models = await catalogue.search(kind)
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return None
    if len(models) != 2:
        return None
    return models[0].name, models[1].name


async def kind_two(turn: Turn) -> bool:
    """True when the message compares the two models of one kind ("whats the difference
    between the slow cookers", "两款电炖锅有啥区别"), no order named."""
    return turn.parse.entity("order_number") is None and await _kind_sides(turn) is not None


# "is the pro worth the extra", "is the espresso one worth it": the side weighed.
_WORTH_SIDE = re.compile(
    r"\b(?:is|are|r)\s+(?:the|a|an|that|this|your)?\s*(?P<a>[a-z][\w\s-]{0,25}?)\s+(?:really\s+)?"
    r"worth\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"^(?:it|that|this|they|them|one|those|these)$", re.IGNORECASE)


def _worth_side(turn: Turn) -> tuple[str, str] | None:
    """ "is the pro worth the extra" right after one product: "pro" against that product."""
    found = _WORTH_SIDE.search(turn.message.text)
    slot = turn.dialogue.slot("product")
    if found is None or slot is None or slot.turn < turn.dialogue.turn - _IN_PLAY_TURNS:
        return None
    if not _WORTH.search(turn.message.text):
        return None
    side = _side(found.group("a"))
    if not side or _PRONOUN.match(side) or side.lower() == slot.value.lower():
        return None
    return side, slot.value


def _pair_in_play(turn: Turn) -> tuple[str, str] | None:
    # (Until another product is named: "how much is the kettle" then "is the big one in
    # stock" is no longer about the two.)
    names = models_in_play(turn)
    return (names[0], names[1]) if len(names) == 2 else None


def _talked_about(turn: Turn) -> tuple[str, str] | None:
    """The last two different products of the last turns, one asked after the other ("how
    much is the robot vacuum" - "and the cordless one?"), older first; None without two."""
    dialogue = turn.dialogue
    recent = [
        s.value
        for s in dialogue.slots
        if s.kind == "product" and dialogue.turn - s.turn <= _IN_PLAY_TURNS + 1
    ]
    names = list(dict.fromkeys(reversed(recent)))  # newest first, each once
    return (names[1], names[0]) if len(names) >= 2 else None


# Words that point at several products: "what sets them apart", "the two", "这俩".
_PLURAL = re.compile(
    r"\b(?:them|they|the two|those|these|both|em)\b|俩|两(?:个|款|种|台)|它们", re.I
)


async def _kind_of_one(turn: Turn) -> tuple[str, str] | None:
    """ "what sets them apart" right after one product of a kind of two ("do you have
    headphones" answered with one of them): that product and the other of its kind; None
    otherwise."""
    name = _kind_in_play(turn)
    catalogue = turn.deps.catalogue
    if name is None or catalogue is None:
        return None
    try:
        found = await catalogue.search(name)
        alike = await catalogue.alike(found[0]) if found else []
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return None
    if len(alike) != 2:
        return None
    one = found[0]
    other = next(p for p in alike if p.sku != one.sku)
    return one.name, other.name


async def _last_two(turn: Turn) -> tuple[str, str] | None:
    """The two products last talked about, when they are two the catalogue tells apart,
    else the one in play and the other of its kind ("do you sell vacuum cleaners" answered
    with one, then "what sets them apart"); the two talked about when neither fits."""
    talked = _talked_about(turn)
    if talked is not None and turn.deps.catalogue is not None:
        try:
            if await _both(turn, *talked) is not None:
                return talked
        except CatalogueError as exc:
            logger.warning("catalogue look-up failed: %s", exc)
            return talked
    return await _kind_of_one(turn) or talked


async def follows_up(turn: Turn) -> str | None:
    """Right after two products were compared: ``DETAIL`` for "and the difference in price?"
    (the two again, by price), ``CHOICE`` for "ill get the cheaper one", "便宜的那个吧",
    "ok the robot one then", "那就扫地机器人吧" (one of the two, by price or by name); else
    None."""
    named = _pair_in_play(turn)
    text = turn.message.text
    if turn.parse.entity("order_number") is not None:
        return None
    if named is None and _worth_side(turn) is not None:
        return DETAIL  # "is the pro worth the extra" after one product: that one and "the pro"
    if named is None:
        # "difference between them", "有啥区别" after two products asked one after the other.
        # Only the comparison, in few words: "can i keep the earbuds and get refunded the
        # difference" is money settled (a case's question), not the two compared.
        them = _THEM.search(text) or _PRICE_AGAIN.search(text)
        if not them or length(text) > _COMPARE_WORDS or difference.settles(text):
            return None
        if _talked_about(turn) is not None:
            return DETAIL
        return DETAIL if _PLURAL.search(text) and await _kind_of_one(turn) else None
    if _PRICE_AGAIN.search(text) or _THEM.search(text) or _WORTH.search(text):
        return DETAIL
    if attributes.WHICH.search(text) and (_PEOPLE_MANY.search(text) or _PEOPLE_FEW.search(text)):
        return DETAIL  # "we're a family of five, which one": the two, by who they are for
    if compares_in_attribute(text) or (
        attributes.WHICH.search(text) and (_BIGGER.search(text) or _SMALLER.search(text))
    ):
        # "which one is quieter", "哪个声音小", "哪个大": the two side by side in it, not
        # the first one's line alone.
        return DETAIL
    if not _CHOOSES.search(text):
        return None
    if any(w.search(text) for w in (_CHEAPER, _DEARER, _BIGGER, _SMALLER)):
        return CHOICE
    return CHOICE if await _named_of(turn, named) is not None else None


async def _named_of(turn: Turn, named: tuple[str, str]) -> Product | None:
    """The one of the two products the message points at by its words ("the robot one",
    "扫地机器人"), or None when its words name neither or both."""
    if turn.deps.catalogue is None:
        return None
    try:
        pair = await _both(turn, *named)
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return None
    if pair is None:
        return None
    picked = distinct_choice(turn.message.text, list(pair))
    return picked[0] if len(picked) == 1 else None


async def _product(turn: Turn, name: str, other: Product | None) -> Product | None:
    """The catalogue product a side names: by its words, else ("the espresso one" beside the
    coffee machine) the one of the other side's kind that the words point at."""
    catalogue = turn.deps.catalogue
    assert catalogue is not None
    found = await catalogue.search(name)
    sized = sizes_asked(name)
    if sized and any(size_of(p) for p in found):
        # "电炖锅3升": of the kind named, only that size; none when it is not sold (never the
        # kind's other size in its place).
        found = [p for p in found if size_sold(p, sized[0][1])]
        return found[0] if found and (other is None or found[0].sku != other.sku) else None
    if other is not None:
        found = [p for p in found if p.sku != other.sku] or found
    if len(found) > 1:
        found = distinct_choice(name, found) or found
    if found:
        return found[0]
    if sizes_asked(name):
        # "the 4l and 6l": a capacity of the kind beside it, or of the kind in play.
        return await _of_size(turn, name, other)
    if other is None:
        return None
    picked = distinct_choice(name, await catalogue.alike(other))
    return picked[0] if len(picked) == 1 and picked[0].sku != other.sku else None


async def _of_size(turn: Turn, name: str, other: Product | None) -> Product | None:
    """The product of ``other``'s kind (else of the kind in play) with the capacity the
    words name, or None when the shop has none of that size."""
    catalogue = turn.deps.catalogue
    assert catalogue is not None
    kind = [other] if other is not None else []
    slot = turn.dialogue.slot("product")
    if not kind and slot is not None:
        kind = await catalogue.search(slot.value)
    alike = {p.sku: p for k in kind for p in await catalogue.alike(k)}
    wanted = sizes_asked(name)[0][1]
    return next((p for p in alike.values() if size_of(p) == wanted), None)


def _kind_in_play(turn: Turn) -> str | None:
    """The product talked about in the last turns, whose sizes "the 4l and 6l" may be."""
    slot = turn.dialogue.slot("product")
    if slot is None or slot.turn < turn.dialogue.turn - _IN_PLAY_TURNS:
        return None
    return slot.value


def _sized_sides(first: str, second: str) -> tuple[str, str]:
    """A size alone beside a product named with its size is that product's size: "电炖锅3升
    跟6升" compares the 3 L and the 6 L slow cooker, "the 2l or the 6l slow cooker" too."""
    for one, two, swap in ((first, second, False), (second, first, True)):
        if only_a_size(two) and not only_a_size(one) and sizes_asked(one):
            kind = without_sizes(one).strip(" 的")
            if kind:
                return (f"{kind} {two}", one) if swap else (one, f"{kind} {two}")
    return first, second


async def _both(turn: Turn, first: str, second: str) -> tuple[Product, Product] | None:
    first, second = _sized_sides(first, second)
    one = await _product(turn, first, None)
    two = await _product(turn, second, one)
    if one is None and two is not None:
        one = await _product(turn, first, two)
    if one is None or two is None or one.sku == two.sku:
        return None
    return one, two


async def _looked_up(
    turn: Turn, named: tuple[str, str] | None
) -> tuple[Product, Product] | list[Reply]:
    """The two products named, from the catalogue; or the replies when it cannot give both
    (a product question on its own, or the catalogue's failure said)."""
    if named is None or turn.deps.catalogue is None:
        return await products.availability(turn)
    try:
        pair = await _both(turn, *named)
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return [turn.reply("catalogue_failed", product=named[0])]
    if pair is None and all(only_a_size(side) for side in named) and _kind_in_play(turn) is None:
        # "the 2l and 5l" with no product talked about: of which product, asked.
        turn.outcome.intents[-1:] = [products.INTENT]
        sizes = [sizes_asked(side)[0][0] for side in named]
        return [turn.reply("pair_sizes_which", first=sizes[0], second=sizes[1])]
    if pair is None:
        try:
            return await _one_missing(turn, named) or await products.availability(turn)
        except CatalogueError as exc:
            logger.warning("catalogue look-up failed: %s", exc)
            return [turn.reply("catalogue_failed", product=named[0])]
    return pair


async def _one_missing(turn: Turn, named: tuple[str, str]) -> list[Reply]:
    """ "the 4l and 6l" when only a 4 L one is sold: the one we have, and honestly that the
    other is not sold (so there is nothing to compare); empty unless exactly one is found."""
    named = _sized_sides(*named)
    first = await _product(turn, named[0], None)
    second = await _product(turn, named[1], first)
    if first is None and second is not None:
        first = await _product(turn, named[0], second)
    if (first is None) == (second is None):
        return []
    have, missing = (first, named[1]) if first is not None else (second, named[0])
    assert have is not None
    if sizes_asked(missing):
        missing = sizes_asked(missing)[0][0]  # "电炖锅3升": the size is what is not sold
    turn.outcome.intents[-1:] = [products.INTENT]
    turn.outcome.slots["product"] = have.name
    lines = [products.line(turn, have, about_price=True), turn.say("pair_missing", missing=missing)]
    return [Reply("\n".join(lines))]


async def compare(turn: Turn) -> list[Reply]:
    """Both products with their price and stock, and what sets them apart that the catalogue
    knows (the price; capacity, power and features when it has them); a product the
    catalogue does not have is answered as a product question on its own."""
    text = turn.message.text
    named = (
        sides(text)
        or priced(text)
        or await _kind_sides(turn)
        or _pair_in_play(turn)
        or _worth_side(turn)
        or await _last_two(turn)
    )
    pair = await _looked_up(turn, named)
    if isinstance(pair, list):
        return pair
    one, two = pair
    turn.outcome.intents[-1:] = [products.INTENT]
    turn.outcome.slots[SLOT] = f"{one.name}|{two.name}"
    lines = [
        *_by_attribute(turn, text, pair),
        *_by_size(turn, text, pair),
        *(products.line(turn, p, about_price=True) for p in pair),
    ]
    cheap, dear = sorted(pair, key=lambda p: p.price or 0.0)
    if cheap.price is not None and dear.price is not None and cheap.price != dear.price:
        difference = dear.price - cheap.price
        lines.append(
            turn.say(
                "pair_difference",
                dearer=dear.title(turn.language),
                cheaper=cheap.title(turn.language),
                amount=_money(difference, dear),
            )
        )
    elif cheap.price is not None and cheap.price == dear.price:
        lines.append(turn.say("pair_same_price"))
    if sides(text) is not None or (
        any(p.search(text) for p in (_THEM, _WORTH, _KIND_EN, _KIND_ZH))
        and not _PRICE_AGAIN.search(text)
    ):
        # Asked afresh, not "and in price?" after the two: what the catalogue says sets
        # them apart (capacity, power, features), else where the rest is compared.
        specs = [(p.title(turn.language), p.specs(turn.language)) for p in pair]
        if all(said for _, said in specs):
            lines += [turn.say("pair_specs", product=name, specs=said) for name, said in specs]
            lines.append(turn.say("pair_which"))
        else:
            lines.append(turn.say("pair_details"))
    return [Reply("\n".join(lines))]


async def choose(turn: Turn) -> list[Reply]:
    """ "ill get the cheaper one": that one, its price and stock, and how to order it."""
    pair = await _looked_up(turn, _pair_in_play(turn))
    if isinstance(pair, list):
        return pair
    cheap, dear = sorted(pair, key=lambda p: p.price or 0.0)
    text = turn.message.text
    by_price = bool(_CHEAPER.search(text) or _DEARER.search(text))
    named = distinct_choice(text, list(pair))
    by_size = not by_price and bool(_BIGGER.search(text) or _SMALLER.search(text))
    if by_size:
        small, big = sorted(pair, key=lambda p: size_of(p) or 0.0)
        if size_of(small) is None or size_of(small) == size_of(big):
            return await compare(turn)  # no capacity to tell them apart: side by side
        picked = small if _SMALLER.search(text) and not _BIGGER.search(text) else big
        if is_question(text):
            # "大的那个多少钱", "the bigger one?": which one that is, not an order taken.
            turn.outcome.intents[-1:] = [products.INTENT]
            turn.outcome.slots["product"] = picked.name
            which = _by_size(turn, text, pair)
            return [Reply("\n".join([*which, products.line(turn, picked, about_price=True)]))]
    elif not by_price and len(named) == 1:
        picked = named[0]  # "ok the robot one then", "那就扫地机器人吧"
    else:
        picked = dear if _DEARER.search(text) and not _CHEAPER.search(text) else cheap
    if is_question(text) and attributes.asked_of(text) is not None:
        # "the cheaper one, can it crush ice?": that one's attribute, not an order taken.
        return await attributes.answer(turn, of=picked.name)
    turn.outcome.intents[-1:] = [products.INTENT]
    turn.outcome.slots["product"] = picked.name
    if is_question(text) and not _TAKES.search(text):
        # "is the cheaper one in stock", "便宜的那款有货吗": its stock or price, no order taken.
        about_stock = bool(products.RESTOCK.search(text))
        about_price = not about_stock and products.asks_stock_or_price(text)
        return [Reply(products.line(turn, picked, about_price, about_stock))]
    key = "pair_chosen" if picked.stock is None or picked.stock > 0 else "pair_chosen_sold_out"
    head = turn.say(key, product=picked.title(turn.language))
    return [Reply("\n".join([head, products.line(turn, picked, about_price=True)]))]


# What two products are compared in that the catalogue states as a figure or a line (not
# their size, which ``_by_size`` answers, nor what is alike for every product).
_COMPARED_IN = frozenset(
    {"noise", "power", "weight", "battery", "water", "material", "leak", "heat"}
)


def compares_in_attribute(text: str) -> bool:
    """True for "which of them" asked in something the catalogue may state of each ("which
    one is quieter", "which has the longer battery", "哪个声音小", "哪款不漏水"): the models
    in play compared in it (power and capacity, by their figures, are handlers/attributes.py's
    own)."""
    attribute = attributes.asked_of(text)
    return (
        attribute is not None
        # (How many people each suits picks one by what the shop says, ``_by_size``.)
        and attribute.name in (_COMPARED_IN - {"power"}) | {"people"}
        and attributes.WHICH.search(text) is not None
    )


def asks_in_attribute(turn: Turn) -> bool:
    """True for "which one is quieter" with two models in play (listed or compared): the
    two side by side in it (``follows_up``), not the attribute of one of them."""
    return _pair_in_play(turn) is not None and compares_in_attribute(turn.message.text)


def _by_attribute(turn: Turn, text: str, pair: tuple[Product, Product]) -> list[str]:
    """ "which is quieter, the robot vacuum or the cordless one", "哪个更安静": each one's
    line on it from the catalogue, or plainly that it states it for one or neither (never
    a guess at which); [] when no such attribute is asked."""
    attribute = attributes.asked_of(text)
    if attribute is None or attribute.name not in _COMPARED_IN:
        return []
    what = turn.say(f"attribute_{attribute.name}")
    said = [(p.title(turn.language), attributes.facts(p, attribute, turn.language)) for p in pair]
    listed = [f"{name} {', '.join(facts)}" for name, facts in said if facts]
    missing = [name for name, facts in said if not facts]
    if not missing:
        mark = "；" if turn.language == "zh" else "; "
        return [turn.say("pair_attribute", what=what, each=mark.join(listed))]
    if listed:
        return [turn.say("pair_attribute_one", what=what, each=listed[0], missing=missing[0])]
    return [turn.say("pair_attribute_none", what=what, first=missing[0], second=missing[1])]


def _by_size(turn: Turn, text: str, pair: tuple[Product, Product]) -> list[str]:
    """What capacity says of the two, when asked: which suits a family or one person ("which
    is better for a family of four", "哪个适合一个人用"), which is "the bigger one"; said so
    when the catalogue gives no capacity to go by. Empty when size is not asked about."""
    many, few = _PEOPLE_MANY.search(text), _PEOPLE_FEW.search(text)
    bigger = _BIGGER.search(text) is not None
    smaller = _SMALLER.search(text) is not None and not bigger
    if not (many or few or bigger or smaller):
        return []
    small, big = sorted(pair, key=lambda p: size_of(p) or 0.0)
    if size_of(small) is None or size_of(big) is None or size_of(small) == size_of(big):
        return [turn.say("pair_no_size")]
    count = advice.people(text)
    fits = None
    if (many or few) and count is not None and any(p.serves for p in pair):
        # The shop says how many people each is for: by that, not by capacity alone.
        fits = advice.by_people(list(pair), count)
    if fits is not None:
        other = big if fits is small else small
        return [
            turn.say(
                "pair_suits_serves",
                product=fits.title(turn.language),
                serves=fits.serves,
                count=count,
                other=other.title(turn.language),
                other_serves=other.serves or "?",
            )
        ]
    if many or few:
        key, picked, other = (
            ("pair_suits_bigger", big, small) if many else ("pair_suits_smaller", small, big)
        )
    else:
        key, picked, other = ("pair_bigger", big, small) if bigger else ("pair_smaller", small, big)
    return [
        turn.say(
            key,
            product=picked.title(turn.language),
            size=picked.capacity,
            other=other.title(turn.language),
            other_size=other.capacity,
        )
    ]


def _money(amount: float, like: Product) -> str:
    """An amount in the product's currency, written as its prices are."""
    return Product(sku="", name="", price=amount, currency=like.currency).price_text()
