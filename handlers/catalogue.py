"""The product catalogue: whether the shop sells something, its price and stock (CSV or API)."""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from handlers.shop_api import ShopApi

SAMPLE_CATALOGUE = Path(__file__).resolve().parent / "data" / "catalogue.csv"
COLUMNS = (
    *("sku", "name", "name_zh", "aliases", "price", "currency", "stock", "restock"),
    *("category", "capacity", "power", "features", "features_zh", "serves", "parts"),
)


class CatalogueError(Exception):
    """The catalogue could not be asked."""


@dataclass(frozen=True, slots=True)
class Part:
    """A spare part or accessory the shop sells for a product ("Limescale filter", $6)."""

    name: str
    name_zh: str = ""
    price: float | None = None

    def title(self, language: str) -> str:
        """The part's name in ``language``, else its English name."""
        return self.name_zh if language == "zh" and self.name_zh else self.name


@dataclass(frozen=True, slots=True)
class Product:
    """One product the shop sells: its names, price and how many are in stock.

    ``stock`` None means the shop does not say; ``price`` None means no price is published;
    ``restock`` is when a sold-out product is expected back, None when the shop has no date;
    ``category`` groups products a customer compares ("kettles", "audio"), "" for none.
    """

    sku: str
    name: str
    name_zh: str = ""
    aliases: tuple[str, ...] = ()
    price: float | None = None
    currency: str = "USD"
    stock: int | None = None
    restock: date | None = None
    category: str = ""
    # What sets it apart from products of its kind, when the shop says (optional columns):
    # its capacity ("1.7 L", "10000 mAh") and power ("2200 W") as written, its main
    # features in English and Chinese. Comparisons show them side by side.
    capacity: str = ""
    power: str = ""
    features: str = ""
    features_zh: str = ""
    # How many people a size suits, as the shop states it ("2-4"), "" when it does not; the
    # spare parts and accessories sold for it.
    serves: str = ""
    parts: tuple[Part, ...] = ()

    def serves_range(self) -> tuple[int, int] | None:
        """The fewest and most people the product suits ("2-4" -> (2, 4)), None unsaid."""
        found = re.fullmatch(r"\s*(\d+)\s*(?:-|–|to)\s*(\d+)\s*", self.serves)
        if found is None:
            return None
        low, high = int(found.group(1)), int(found.group(2))
        return (low, high) if low <= high else None

    def title(self, language: str) -> str:
        """The product's name in ``language``, else its English name."""
        return self.name_zh if language == "zh" and self.name_zh else self.name

    def specs(self, language: str) -> str:
        """Capacity, power and features in ``language`` (features else in English), "" when
        the shop gives none."""
        features = self.features_zh if language == "zh" and self.features_zh else self.features
        parts = [p for p in (self.capacity, self.power, features) if p]
        return ("，" if language == "zh" else ", ").join(parts)

    def price_text(self) -> str:
        """``$89.00``, or ``89.00 EUR`` for currencies without a sign here; "" when unknown."""
        if self.price is None:
            return ""
        sign = {"USD": "$", "GBP": "£", "EUR": "€"}.get(self.currency.upper())
        return f"{sign}{self.price:.2f}" if sign else f"{self.price:.2f} {self.currency}"


class Catalogue(Protocol):
    """Finds products by what a customer calls them."""

    async def search(self, query: str) -> list[Product]:
        """Products matching the words (best first); empty when the shop does not sell it.

        Raises:
            CatalogueError: when the catalogue cannot be reached.
        """
        ...

    async def alike(self, product: Product) -> list[Product]:
        """The products of the same category as ``product`` (itself included); only itself
        when it has no category.

        Raises:
            CatalogueError: when the catalogue cannot be reached.
        """
        ...


def _words(text: str) -> list[str]:
    """Lower-case words with a plural ``s``/``es`` taken off, so "dishwashers" finds
    "dishwasher"; every Chinese character is a word of its own."""
    words = re.findall(r"[a-z0-9]+|[\u4e00-\u9fff]", text.lower().replace("-", " "))
    return [_singular(w) for w in words]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith(("shes", "ches", "xes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _contains(haystack: list[str], needle: list[str], *, fuzzy: bool = False) -> bool:
    n = len(needle)
    same = _near if fuzzy else str.__eq__
    return n > 0 and any(
        all(same(a, b) for a, b in zip(haystack[i : i + n], needle, strict=True))
        for i in range(len(haystack) - n + 1)
    )


def _near(typed: str, name: str) -> bool:
    """The same word, or one typo away from it ("hedphones", "coker", "blendr"): one letter
    missing, extra, wrong or two swapped; only for Latin words of five letters or more, where
    one letter rarely turns one product into another."""
    if typed == name:
        return True
    if min(len(typed), len(name)) < 5 or abs(len(typed) - len(name)) > 1 or not typed.isalpha():
        return False
    if len(typed) == len(name):
        diff = [i for i, (a, b) in enumerate(zip(typed, name, strict=True)) if a != b]
        if len(diff) == 1:
            return True
        first = diff[0] if len(diff) == 2 else -1
        return (
            first >= 0
            and diff[1] == first + 1
            and typed[first] == name[first + 1]
            and (typed[first + 1] == name[first])
        )
    short, long = sorted((typed, name), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


class CsvCatalogue:
    """Products from a CSV export (``sku,name,name_zh,aliases,price,currency,stock,restock``).

    ``aliases``, separated by ``|``, are the names customers use for the product in either
    language ("airfryer", "烧水的壶", "耳麦"); a question naming one finds the product, and
    an English word one typo away from a name does too. An empty price or stock means not
    published; ``restock`` (optional column, ``YYYY-MM-DD``) is when a sold-out product is
    expected back, empty when there is no date; ``category`` (optional column) groups the
    products "anything cheaper?" compares; ``serves`` (optional) is how many people a size
    suits ("2-4"), what a recommendation goes by; ``parts`` (optional) the spare parts and
    accessories sold for it, ``English name=中文名=price`` separated by ``|``.
    """

    def __init__(self, path: Path) -> None:
        self._products: list[Product] = []
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("sku", "name") if c not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(f"{path}: needs the columns {', '.join(COLUMNS)}")
            for line, row in enumerate(reader, start=2):
                self._products.append(_row(row, f"{path}:{line}"))
        if not self._products:
            raise ValueError(f"{path}: no products")

    async def search(self, query: str) -> list[Product]:
        words = _words(query)
        found: list[Product] = []
        for fuzzy in (False, True):
            # Exact names first; a typo is only tried when no name is written as it is.
            scored: list[tuple[int, Product]] = []
            for product in self._products:
                # The longest name the question contains: "robot vacuum" beats "vacuum";
                # a name's words in another order count too ("the vacuum robot").
                best = max(
                    (
                        len(_words(n))
                        for n in product_names(product)
                        if _contains(words, _words(n), fuzzy=fuzzy) or _all_words(words, n)
                    ),
                    default=0,
                )
                if best:
                    scored.append((best, product))
            top = max((score for score, _ in scored), default=0)
            if top:
                found = [product for score, product in scored if score == top]
                break
        if not found:
            found = self._part_of_a_name(query)
        return of_size_named(query, _siblings_resolved(words, found, self._products))

    async def alike(self, product: Product) -> list[Product]:
        if not product.category:
            return [product]
        return [p for p in self._products if p.category == product.category]

    def _part_of_a_name(self, query: str) -> list[Product]:
        """ "扫地的", "吸尘的机器": Chinese words that are part of a product's name (two
        characters or more in a row), the products sharing the longest such part."""
        han = "".join(re.findall(r"[\u4e00-\u9fff]+", query))
        scored = [
            (max((_common(han, n) for n in product_names(p)), default=0), p) for p in self._products
        ]
        top = max((score for score, _ in scored), default=0)
        return [p for score, p in scored if score == top] if top >= 2 else []


# Where an English product phrase's head noun ends: "air fryer in black", "headphones for
# running", "kettle that boils fast" name the product before these words.
_EN_HEAD_END = re.compile(
    r"\s+(?:in|for|with|from|to|that|which|like|under|over|at|on|of|by|and|or|but)\b.*$"
)
# Words around a Chinese name that are not its head: "扫地的", "电饭锅子", "配套的咖啡豆".
_ZH_HEAD_TAIL = re.compile(r"(?:的|子|那个|这个|那款|这款|那种|这种|呢|吗|啊|呀|卖)+$")


def head_of(phrase: str) -> str:
    """The word a product phrase is about, its head noun: the last word before any "in",
    "for", "with" ... in English ("kettle descaler" -> "descaler", "air fryer in black" ->
    "fryer"), the last character in Chinese ("咖啡豆" -> "豆", "烧水的壶" -> "壶")."""
    # A size is no head: "blender 1.5l" is about the blender, "2升的电饭煲" the rice cooker.
    lowered = " ".join(_SIZE_ASKED.sub(" ", phrase.lower()).split())
    if any("\u4e00" <= c <= "\u9fff" for c in lowered):
        han = "".join(re.findall(r"[\u4e00-\u9fff]+", _ZH_HEAD_TAIL.sub("", lowered)))
        return han[-1:] if han else ""
    words = _words(_EN_HEAD_END.sub("", lowered))
    return words[-1] if words else ""


def names_head(phrase: str, product: Product) -> bool:
    """True when the product is the thing the phrase asks for, not something for it:
    "kettle" and "the black kettle" name the kettle, "kettle descaler" and "咖啡豆" (coffee
    beans, not the coffee machine) do not, although the kettle's and the coffee machine's
    names are in them. A phrase with no head word tells nothing, so it is kept."""
    head = head_of(phrase)
    if not head:
        return True
    if not head.isascii():
        return any(head in n for n in product_names(product))
    return any(_like(head, w) or _near(head, w) for w in _tokens(product))


# How a customer compares products: "anything cheaper?", "the cheapest kettle", "比这个好一点的".
CHEAPER = "cheaper"
CHEAPEST = "cheapest"
BETTER = "better"
# "is there a bigger one", "有小一点的吗": the kind compared by capacity.
BIGGER = "bigger"
SMALLER = "smaller"
BY_SIZE = (BIGGER, SMALLER)
# "the big one", "小的那个": one of the kind's sizes, the largest or the smallest of them.
BIG_ONE = "big_one"
SMALL_ONE = "small_one"

_CAPACITY = re.compile(r"(\d+(?:\.\d+)?)\s*(l|ml|mah)\b", re.IGNORECASE)
_PER_UNIT = {"l": 1000.0, "ml": 1.0, "mah": 1.0}


def size_of(product: Product) -> float | None:
    """A product's capacity as one number to compare within its kind ("1.7 L" -> 1700,
    "750 ml" -> 750); None when it has none."""
    found = _CAPACITY.search(product.capacity or "")
    if found is None:
        return None
    return float(found.group(1)) * _PER_UNIT[found.group(2).lower()]


def compared(base: Product, alike: list[Product], way: str) -> list[Product]:
    """The products of ``base``'s kind that answer the comparison: for ``CHEAPER`` the ones
    that cost less, the nearest price first; for ``CHEAPEST`` the one that costs least (itself,
    maybe); for ``BETTER`` the next one up in price (a step up the range); for ``BIGGER`` /
    ``SMALLER`` the ones with more / less capacity, the nearest first. Products without a
    price (or capacity) are left out; empty when none fits."""
    if way in BY_SIZE:
        base_size = size_of(base)
        if base_size is None:
            return []
        sized = sorted((p for p in alike if size_of(p) is not None), key=lambda p: size_of(p) or 0)
        if way == BIGGER:
            return [p for p in sized if (size_of(p) or 0) > base_size]
        return [p for p in reversed(sized) if (size_of(p) or 0) < base_size]
    priced = sorted((p for p in alike if p.price is not None), key=lambda p: p.price or 0.0)
    if way == CHEAPEST:
        return priced[:1]
    if base.price is None:
        return []
    if way == CHEAPER:
        return [p for p in reversed(priced) if (p.price or 0.0) < base.price]
    return [p for p in priced if (p.price or 0.0) > base.price][:1]


def product_names(product: Product) -> tuple[str, ...]:
    """Every name of a product: English, Chinese and the customers' aliases."""
    return (product.name, product.name_zh, *product.aliases)


def _common(query: str, name: str) -> int:
    """The length of the longest run of characters the query and the name share."""
    best = 0
    for start in range(len(query)):
        for end in range(start + best + 1, len(query) + 1):
            if query[start:end] in name:
                best = end - start
            else:
                break
    return best


def _like(typed: str, word: str) -> bool:
    """A word the customer typed stands for a word of a name: the same, or a Latin prefix of
    three letters or more ("vac" for "vacuum"), or the name's word with an ending ("robotic")."""
    if typed == word:
        return True
    if not (typed.isascii() and word.isascii()) or len(typed) < 3 or len(word) < 3:
        return False
    return word.startswith(typed) or (len(word) >= 4 and typed.startswith(word))


def _all_words(words: list[str], name: str) -> bool:
    """Every word of a Latin name of two words or more is in the question, in any order."""
    wanted = [w for w in _words(name) if w.isascii()]
    return (
        len(wanted) >= 2
        and len(wanted) == len(_words(name))
        and all(any(_like(w, n) for w in words) for n in wanted)
    )


def _tokens(product: Product) -> set[str]:
    return {w for n in product_names(product) for w in _words(n)}


def _siblings_resolved(
    words: list[str], found: list[Product], every: list[Product]
) -> list[Product]:
    """The product meant when a generic name also heads a sibling's name ("vacuum" is in
    "robot vacuum"): the one whose distinguishing words the customer used; both (to ask
    which) when none are."""
    if not found:
        return found
    matched = [_words(n) for p in found for n in product_names(p) if _contains(words, _words(n))]
    group = list(found)
    for product in every:
        if product in group:
            continue
        longer = [_words(n) for n in product_names(product)]
        if any(len(m) > len(n) and _contains(m, n) for n in matched for m in longer):
            group.append(product)
    if len(group) == 1:
        return group
    return _distinct(words, group) or group


def distinct_choice(text: str, products: list[Product]) -> list[Product]:
    """Among similar products, the one the text points at ("the robot one", "扫地的那个");
    empty when its words do not tell them apart."""
    return _distinct(_words(text), products)


def _distinct(words: list[str], products: list[Product]) -> list[Product]:
    """Among similar products, the one the words point at: the only one with a word of its
    own in them ("robot", "扫地", "cordless"), else the only one whose main name they hold
    whole; empty when the words do not tell them apart."""
    marked = []
    for product in products:
        others = set().union(*(_tokens(o) for o in products if o is not product))
        own = _tokens(product) - others
        if any(_like(w, t) for w in words for t in own):
            marked.append(product)
    if len(marked) == 1:
        return marked
    pool = marked or products
    whole = [
        p
        for p in pool
        if any(
            n and all(any(_like(w, t) for w in words) for t in _words(n))
            for n in (p.name, p.name_zh)
        )
    ]
    if len(whole) == 1:
        return whole
    return []


def _row(row: dict[str, str | None], where: str) -> Product:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    if not cell("sku") or not cell("name"):
        raise ValueError(f"{where}: needs sku and name")
    try:
        price = float(cell("price")) if cell("price") else None
        stock = int(cell("stock")) if cell("stock") else None
    except ValueError as exc:
        raise ValueError(f"{where}: price must be a number and stock a whole number") from exc
    try:
        restock = date.fromisoformat(cell("restock")) if cell("restock") else None
    except ValueError as exc:
        raise ValueError(f"{where}: restock must be a date like 2026-12-05") from exc
    return Product(
        sku=cell("sku"),
        name=cell("name"),
        name_zh=cell("name_zh"),
        aliases=tuple(a.strip() for a in cell("aliases").split("|") if a.strip()),
        price=price,
        currency=cell("currency") or "USD",
        stock=stock,
        restock=restock,
        category=cell("category").lower(),
        capacity=cell("capacity"),
        power=cell("power"),
        features=cell("features"),
        features_zh=cell("features_zh"),
        serves=cell("serves"),
        parts=_parts(cell("parts"), where),
    )


def _parts(cell: str, where: str) -> tuple[Part, ...]:
    """The ``parts`` column: parts separated by ``|``, each ``English name=中文名=price``
    (the Chinese name and the price may be left empty)."""
    parts = []
    for item in (i.strip() for i in cell.split("|")):
        if not item:
            continue
        name, _, rest = item.partition("=")
        name_zh, _, price = rest.partition("=")
        try:
            amount = float(price) if price.strip() else None
        except ValueError as exc:
            raise ValueError(f"{where}: a part's price must be a number ({item})") from exc
        if not name.strip():
            raise ValueError(f"{where}: a part needs a name ({item})")
        parts.append(Part(name=name.strip(), name_zh=name_zh.strip(), price=amount))
    return tuple(parts)


class HttpCatalogue(ShopApi):
    """Products from the shop's search API: GET a URL template such as
    ``https://shop.example/api/products?q={query}``; the JSON body is a list of products (or
    ``{"products": [...]}``) with ``sku``, ``name`` and optionally ``name_zh``, ``price``,
    ``currency``, ``stock``, ``restock`` (``YYYY-MM-DD``, when a sold-out product is back),
    ``category``, ``serves``, ``parts`` (a list of ``{name, name_zh, price}``); an empty list
    or 404 means the shop does not sell it. A product's category is searched for by its name
    to compare it with its like.

    Args:
        url_template: with ``{query}`` where the customer's words go.
        timeout, headers, transport: as for ``ShopApi``.
    """

    placeholder = "query"
    error = CatalogueError
    what = "catalogue"

    async def search(self, query: str) -> list[Product]:
        return of_size_named(query, await self._get(query.strip(), _products) or [])

    async def alike(self, product: Product) -> list[Product]:
        if not product.category:
            return [product]
        found = await self.search(product.category)
        same = [p for p in found if p.category == product.category]
        return same if any(p.sku == product.sku for p in same) else [product, *same]


def _products(body: Any) -> list[Product]:
    """The products in the search API's answer."""
    items = body.get("products", []) if isinstance(body, dict) else body
    if not isinstance(items, list):
        raise TypeError("expected a list of products")
    return [
        Product(
            sku=str(item["sku"]),
            name=str(item["name"]),
            name_zh=str(item.get("name_zh") or ""),
            price=float(item["price"]) if item.get("price") is not None else None,
            currency=str(item.get("currency") or "USD"),
            stock=int(item["stock"]) if item.get("stock") is not None else None,
            restock=_date(item.get("restock")),
            category=str(item.get("category") or "").lower(),
            capacity=str(item.get("capacity") or ""),
            power=str(item.get("power") or ""),
            features=str(item.get("features") or ""),
            features_zh=str(item.get("features_zh") or ""),
            serves=str(item.get("serves") or ""),
            parts=tuple(
                Part(
                    name=str(part["name"]),
                    name_zh=str(part.get("name_zh") or ""),
                    price=float(part["price"]) if part.get("price") is not None else None,
                )
                for part in item.get("parts") or ()
            ),
        )
        for item in items
    ]


def _date(value: Any) -> date | None:
    """A restock date from the API; a missing or unreadable one is no date, not an error
    (the customer still hears the stock)."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# What the customer asks about, when the question names a product: "do you sell dishwashers",
# "how much is the air fryer", "is the toaster in stock", "有没有卖洗碗机", "空气炸锅多少钱".
_EN_PATTERNS = (
    r"\b(?:do|does|d|did)\s*(?:you|u|ya|y'?all|your shop|the shop)\s*(?:guys\s*|still\s*)?"
    r"(?:sell|have|carry|stock|offer|got|do)\s+(?:any\s+|a\s+|an\s+|the\s+|some\s+)?(?P<p>.+)",
    r"\b(?:got|have you got|you got|any)\s+(?:any\s+)?(?P<p>.+?)\s+(?:for sale|in stock)",
    # "whatever. got a toaster?", "u got any rice cookers": a short question, the name last.
    # "loved it at my mum's, still got the toaster?": the question may end a sentence.
    r"(?:^|[.!,;?]\s*)(?:(?:and|so|but|hey|hi)\s+)?(?:(?:do |have )?(?:you |u |ya )?(?:still )?"
    r"(?:got|have))\s+(?:a|an|any|the|some)\s+"
    r"(?P<p>[a-z][a-z0-9-]*(?:\s+[a-z][a-z0-9-]*){0,3})\s*[?!.]*$",
    r"^(?:and\s+|so\s+|hi\s+|hey\s+)?(?:you|u|ya)\s+(?:guys\s+)?(?:have|got)\s+"
    r"(?:any\s+|a\s+|an\s+|the\s+)?(?P<p>.+)",
    r"\b(?:you|u|ya)\s+(?:guys\s+)?(?:sell|carry|stock)\s+(?:any\s+|a\s+|an\s+|the\s+)?(?P<p>.+)",
    r"\bwhat\s+(?:does|do|would|will)\s+(?:(?:the|a|an|your|ur)\b)?\s*(?P<p>.+?)\s+"
    r"(?:cost|go for|sell for|set me back)",
    r"\bhow\s*much\s+(?:(?:is|are|r|does|do|for|'s|s)\b)?\s*(?:(?:the|a|an|your|ur|one|that)\b)?"
    r"\s*(?P<p>.+)",
    r"\b(?:price|cost)\s+(?:of|for|on)\s+(?:(?:the|a|an|your|ur)\b)?\s*(?P<p>.+)",
    # (Not "back" itself: "let me know once the toaster is back in stock" names the toaster.)
    r"\b(?:is|are|r)\s+(?:(?:the|your|ur|a|an)\b)?\s*(?!back\b)(?P<p>.+?)\s+"
    r"(?:in stock|available|back in stock|sold out|out of stock|still available|for sale)",
    r"\bwhat(?:'s| is|s)?\s+(?:the\s+)?(?:price|cost)\s+(?:of|for|on)?\s*"
    r"(?:(?:the|a|an)\b)?\s*(?P<p>.+)",
    r"\b(?:looking for|searching for|want to buy|wanna buy|need to buy|want|need)\s+"
    r"(?:(?:a|an|the|some)\b)?\s*(?P<p>.+)",
    # "is the toaster back soon", "when will the microwave be in stock again", "when are
    # the earbuds getting restocked": when something sold out is back.
    r"\b(?:is|are|r|will|when|whens|when's)\s+(?:will\s+|is\s+|are\s+|do\s+|does\s+)?"
    r"(?:the|your|ur|a|an|those|these|that)?\s*(?P<p>[a-z][a-z0-9\s-]*?)\s+(?:(?:is|are)\s+)?"
    r"(?:be\s+|gonna be\s+|"
    r"going to be\s+|getting\s+|get\s+|coming\s+|come\s+)?(?:back|restocked|re-stocked|"
    r"in stock|available again|available)\b",
    # "toaster back in stock when?", "air fryers restocked yet": the name first.
    r"^(?:(?:and|so|ok|okay|hi|hey)[\s,]+)?(?:the\s+|a\s+|an\s+|any\s+)?"
    r"(?P<p>[a-z][a-z0-9-]*(?:\s+[a-z][a-z0-9-]*){0,2})\s+(?:back in stock|restocked|"
    r"in stock again|coming back|back soon)\b",
    # "when do you get more microwaves in", "any idea when u get more toasters back"
    r"\bget (?:more|any|some|new)\s+(?P<p>[a-z][a-z0-9\s-]*?)\s+(?:in|back)\b",
    # "hedphones how much", "the blender price?": the name, then the question, and no more.
    r"^(?:(?:and|so|ok|okay|hi|hey)[\s,]+)?(?:the\s+|a\s+|an\s+|ur\s+|your\s+)?"
    r"(?P<p>[a-z][a-z0-9-]*(?:\s+[a-z][a-z0-9-]*){0,2})\s*[,?!.]*\s*"
    r"(?:how much|price|cost|prices|costs)(?:\s+(?:is it|are they|r they|pls|please|plz))?"
    r"\s*[?!.]*$",
)
_EN_TAIL = re.compile(
    # A point or comma between digits is part of a size ("1.7l", "3.5 litre"), no end.
    r"(?:\s*(?:[?!;]|[.,](?!\d))|\s+(?:cost|costs|go for|sell for|for sale|right now|at all|"
    r"anymore|any more|"
    r"left|remaining|still|"
    r"in stock|there|here|pls|please|plz|now|online|atm|currently|available|today|"
    # "do you sell descaler for it": something for the product in play, named before it.
    r"(?:for|with|to go with|to fit|that fits?) (?:it|them|this|that|this one|that one|mine|the)\b|"
    r"coming back|back in stock|back soon|getting restocked|restocked|"
    r"(?:coming|getting|gonna be|going to be)$|"
    r"on your site|in your shop|or not|by any chance|thanks|thx|ty|too|also|"
    # "how much does the slow cooker weigh": what is asked of it, not part of its name.
    r"weigh|weighs|hold|holds|use|uses|draw|draws|last|lasts|"
    # "whats the price tho", "how much is the kettle then": a word said after, not a name.
    r"tho|though|then|btw|anyway|lol|again)\b|"
    # "toasters and how much r they": a second question after the product ends its name.
    r"\s+(?:and|n|&)\s+(?:how|what|whats|when|where|is|are|r|do|does|can|could|will|would)\b|"
    r"\s+(?:how much|how many|what do|what does|whats|what is|is it|are they|r they|do they)\b).*$",
    re.IGNORECASE,
)
# (A point belongs to a size written in the name: "blender 1.5L多少钱".)
_ZH_NAME = r"(?P<p>[\u4e00-\u9fffA-Za-z0-9 .]+?)"
_ZH_PATTERNS = (
    # "你们家有茶叶卖吗", "有没有配套的咖啡豆卖": the name between "有" and "卖".
    r"(?:有没有|有木有|有)" + _ZH_NAME + r"卖(?:的)?(?:吗|嘛|么|呀|啊|呢|\?|？|$)",
    # "空气炸锅多少钱", "洗碗机有货吗": the name, then the question.
    _ZH_NAME + r"(?:现在|目前|还)?(?:卖|要|得)?(?:多少钱|几多钱|什么价|啥价|啥价格|价格|价钱|"
    r"咋卖|怎么卖|卖多少|多少一个|多少米|有货|有现货|有没有货|还有吗|有吗|卖吗|没货|缺货|到货|"
    # "蓝牙耳机还有没有": whether there are any, the question's last words.
    r"有没有(?=[?？!！。~～\s呀啊呢]*$))",
    # "吸尘器啥时候补货", "烤面包机还会补货吗", "微波炉几时有货": when it is back.
    _ZH_NAME + r"(?:现在|目前|还|也)?(?:啥时候|什么时候|啥时|几时|何时|哪天|多久|要多久)?"
    r"(?:能|会|才|可以|再)?(?:补货|补上|补不补|上架|到货|有货|再有)",
    # "有没有卖洗碗机", "你们卖不卖吸尘器": the question, then the name.
    r"(?:有没有|有木有|有无|卖不卖|卖没卖|有|卖)(?:在)?(?:卖|售|出售|销售)?"
    + _ZH_NAME
    + r"(?:吗|嘛|么|呀|啊|呢|卖吗|的吗|卖的吗|\?|？|$)",
)
_ZH_STRIP = re.compile(
    r"^(?:亲|亲亲|请问|问一下|问下|想问|你好|您好|你们|您们|这边|店里|店铺|家|那个|这个|这款|那款|那|"
    r"你家|你们家|咱们|咱家|一下|还会|还能|还可以|还|现在|目前|在|的|个|台(?!灯)|款|种|以后|之后)+|"
    r"(?:的|呢|呀|啊|吗|嘛|么|没|那种|这种|卖)+$|^(?:配套|搭配|配|专用)的?"
)


# Words that make a "how much is ..." question about something other than a product.
_ARTICLES = frozenset(("the", "a", "an", "ur", "your", "my", "our", "its"))
_NOT_PRODUCTS = frozenset(
    _singular(w)
    for w in [
        *("shipping", "delivery", "postage", "express", "return", "returns", "refund", "fee"),
        *("fees", "tax", "vat", "duty", "duties", "it", "this", "that", "these", "those"),
        *("them", "they", "one", "order", "parcel", "package", "warranty", "membership"),
        *("i", "me", "you", "u", "know", "tell", "what", "whats", "so", "ok", "and"),
        *("minute", "sec", "second", "moment", "question", "chance", "problem"),
        *("tho", "though", "then", "btw", "anyway", "lol", "again"),
        # "do you have any promo codes": a discount question for the knowledge base.
        *("code", "promo", "coupon", "voucher", "discount", "invoice", "receipt", "gift"),
        # "do you have any recommendations": advice asked (handlers/advice.py), not a product.
        *("recommendation", "recommend", "suggestion", "advice", "tip"),
        # "how many points do i get": loyalty points and credit, for the knowledge base.
        *("point", "points", "loyalty", "reward", "rewards", "credit", "balance"),
    ]
)
# "got any left?", "do you still have some?", "any more?": the stock of the product in play,
# not a product named "left" (a name with other words, "left handed mouse", stays a name).
_ONLY_STOCK = frozenset(
    _singular(w)
    for w in ("left", "some", "more", "stock", "in", "any", "remaining", "enough", "spare")
)

_ZH_NOT_PRODUCTS = (
    *("运费", "邮费", "快递", "退", "会员", "发票", "优惠", "折扣", "券", "礼品卡"),
    *("积分", "余额", "购物金"),
    *("订单", "包裹", "这个", "那个", "问题"),
    *("贵不贵", "便宜", "多少"),
    # "有大一点的吗", "有没有小号的": a size asked of the product in play.
    *("大一点", "小一点", "大点", "小点", "大号", "小号", "更大", "更小", "大一些", "小一些"),
    # "有哪些", "有几款": how many of a kind, asked of the kind (kind_asked), not a product.
    *("哪些", "哪几", "哪款", "哪种", "几款", "几种", "几个", "型号"),
    *("货", "它"),  # "那个有货吗", "它还有货吗": the product in play, not a product named 货
    # "多士炉还有没有": the stock of the one named before; "有没有贵一点好一点的": a better one
    # of the kind in play, not products named 没有 or 贵一点.
    *("没有", "贵一点", "好一点", "贵点", "好点", "贵些", "好些", "更好", "更贵", "高级一点"),
    # "有几个颜色", "防水吗", "续航咋样": an attribute of the product in play, not a product.
    *("颜色", "防水", "续航", "电池", "尺寸", "容量", "功率", "重量", "噪音"),
    # "两个有什么不一样", "差别在哪": a question's words, never a product's name.
    *("区别", "差别", "不同", "差在", "啥", "什", "怎么", "咋"),
    # "有保温功能吗", "有啥推荐的", "哪个好用": a feature or advice asked, not a product.
    *("功能", "模式", "推荐", "好用", "啥好", "什么好", "中文", "英文", "说明"),
    # "啥时候有货", "几时到货": when the product in play is back, not a product named 啥时候.
    *("啥时", "什么时候", "几时", "何时", "哪天", "多久", "啥时候"),
)

# Only a colour or a size ("有没有黑色的", "小的那个有货吗", "有红色款没"): asked of the product in
# play, never a product of that name.
_ZH_QUALITY = re.compile(
    r"(?:[黑白灰银粉红蓝绿黄紫金棕米深浅]|什么|啥|其他|其它|别的|别|多少|几)*(?:颜?色|色系)(?:的|款|系)?|"
    r"(?:小|大|迷你|mini)(?:的|款|号|码|尺寸)?"
)


def only_quality(phrase: str) -> bool:
    """True when a Chinese phrase names only a colour or a size ("个小的", "黑色款"): asked of
    the product in play, not a product of its own."""
    bare = _ZH_STRIP.sub("", _ZH_STRIP.sub("", phrase.strip()).strip()).strip()
    return bool(bare) and _ZH_QUALITY.fullmatch(bare) is not None


# The range of a kind asked about, not one product: "how many kinds of kettle do you have",
# "what models of vacuum", "which kettles do you carry", "你们吹风机有哪些", "空气炸锅有几款",
# "有哪些吸尘器". The kind's name is the phrase; the question words are never a product.
_KIND_WORD = r"(?:kinds?|types?|models?|sorts?|versions?|sizes?|styles?|options?|variants?|ranges?)"
_EN_KIND = r"(?P<p>[a-z][a-z0-9-]*(?:\s+[a-z][a-z0-9-]*){0,3}?)"
# What follows the kind in a question about the shop's range ("... do you have", "... are
# there", "... u got"), not about the product in play ("what kind of plug does it have").
_EN_RANGE_END = (
    r"(?:\s+(?:do|d|did|can|could)\s*(?:you|u|ya|y'?all|i|we)\b|\s+(?:have|got)\s+(?:you|u)\b|"
    r"\s+(?:are|r|is)\s+there\b|\s+(?:you|u|ya)\s+(?:guys\s+)?(?:have|got|sell|carry|stock)\b|"
    r"\s+(?:models?|options?|available|in stock|on offer|for sale)\b)"
)
_EN_RANGES = tuple(
    re.compile(p)
    for p in (
        r"\bhow many\s+(?:different\s+)?(?:"
        + _KIND_WORD
        + r"\s+(?:of\s+)?)?"
        + _EN_KIND
        + _EN_RANGE_END,
        r"\b(?:what|which|wat|wht)\s+(?:different\s+)?"
        + _KIND_WORD
        + r"\s+(?:of\s+)?"
        + _EN_KIND
        + r"(?:"
        + _EN_RANGE_END
        + r"|\s*[?!.]*$)",
        r"\b(?:what|which|wat|wht)\s+(?:other\s+)?" + _EN_KIND + r"\s+(?:do|d|did)\s*(?:you|u|ya|"
        r"y'?all)\s*(?:guys\s+)?(?:have|sell|carry|stock|got|offer)\b",
        r"\b(?:what|which|wat|wht)\s+" + _EN_KIND + r"\s+(?:are there|have you got|you got|u got|"
        r"are (?:available|in stock|on sale))\b",
        r"\b(?:show me|list)\s+(?:all\s+)?(?:your|ur|the)\s+" + _EN_KIND + r"\s*[?!.]*$",
        r"\b(?:any|have you got|do you have|got)\s+(?:other|different)\s+(?:"
        + _KIND_WORD
        + r"\s+of\s+)?"
        + _EN_KIND
        + r"\s*(?:\b(?:too|as well|available|in stock)\b)?[?!.]*$",
    )
)
# How many, which ones: "有哪些", "有几款", "有哪几种", "有几个型号", "都有啥", "有什么款".
_ZH_HOW_MANY = (
    r"(?:哪些|哪几(?:款|种|个|类|样)|几(?:款|种|类|样)|几个(?:型号|款式|规格|尺寸|系列|款|品种)|"
    r"多少(?:款|种|类|个型号|个款式)|什么(?:款|型号|款式|规格|尺寸|样的|牌子|种类)?|"
    r"啥(?:款|型号|款式|规格|尺寸|样的|牌子)?)"
)
_ZH_RANGES = tuple(
    re.compile(p)
    for p in (
        # "空气炸锅有几款", "你们吹风机有哪些", "咖啡机都有什么型号的"
        r"(?P<p>[\u4e00-\u9fffA-Za-z0-9 ]{2,14}?)(?:都|一共|总共|共|目前|现在)?(?:有|卖)"
        + _ZH_HOW_MANY
        + r"(?:型号|款式|规格|款|种)?(?:的|可选|可以选|选择)?"
        r"(?:呢|啊|呀|吗|嘛|[?？!！。~～\s,，]|$)",
        # "有哪些吸尘器", "你们有几款电饭煲", "卖什么样的耳机" (a bare "有什么" before a word
        # is any question: "有什么区别", "有什么问题").
        r"(?:有|卖)(?!什么(?!样|款|型号|牌子)|啥(?!样|款|型号|牌子))"
        + _ZH_HOW_MANY
        + r"(?:型号的|款式的|款的|种的|的)?"
        r"(?P<p>[\u4e00-\u9fffA-Za-z0-9 ]{2,10}?)"
        r"(?:可选|可以选|卖|呢|啊|呀|吗|嘛|[?？!！。~～\s,，]|$)",
    )
)
# Words a "what ... do you have" question asks about that are not goods.
_NOT_KINDS = frozenset(
    _singular(w)
    for w in (
        *("colour", "colours", "color", "colors", "size", "sizes", "option", "options", "payment"),
        *("method", "methods", "way", "ways", "time", "times", "hour", "hours", "day", "days"),
        *("brand", "brands", "deal", "deals", "offer", "offers", "sale", "sales", "service"),
        *("services", "store", "stores", "shop", "shops", "language", "languages", "info"),
        *("kind", "type", "model", "sort", "version", "style", "other", "thing", "things"),
        *("product", "products", "item", "items", "stuff", "else", "carrier", "courier"),
        # "how many do you have left", "what sizes do you have": no kind named at all.
        *("do", "does", "did", "you", "u", "have", "are", "is", "there", "left", "we", "it"),
        *("address", "email", "e-mail", "number", "phone", "account", "detail", "details"),
        *("card", "record", "records", "file", "plug", "battery", "warranty", "guarantee"),
    )
)
_ZH_NOT_KINDS = (
    *_ZH_NOT_PRODUCTS,
    "颜色",
    "尺码",
    "款式",
    "型号",
    "规格",
    "办法",
    "方式",
    "服务",
    "活动",
)


@functools.lru_cache(maxsize=32)
def kind_asked(text: str) -> str | None:
    """The kind of product whose range a question asks about ("how many kinds of kettle do
    you have" -> "kettle", "你们吹风机有哪些" -> "吹风机"), as the customer wrote it; None
    when the message asks no such thing or its words are not goods ("what colours do you
    have", "有什么办法")."""
    lowered = " ".join(text.lower().split())
    if any("\u4e00" <= c <= "\u9fff" for c in lowered):
        for pattern in _ZH_RANGES:
            for match in pattern.finditer(lowered):
                phrase = _ZH_STRIP.sub("", match.group("p").strip()).strip()
                phrase = _ZH_STRIP.sub("", phrase).strip()
                if (
                    any("\u4e00" <= c <= "\u9fff" for c in phrase)
                    and len(phrase) <= 10
                    and not any(w in phrase for w in _ZH_NOT_KINDS)
                ):
                    return phrase
        return None
    for pattern in _EN_RANGES:
        found = pattern.search(lowered)
        if found is None:
            continue
        if re.search(r"\b(?:it|this|that|they|them|mine)\b", found.group("p")):
            continue  # "what kind of coffee is it": about the product in play, not a range
        phrase = _EN_TAIL.sub("", found.group("p")).strip(" '\"")
        phrase = re.sub(r"^(?:the|a|an|your|ur|any)\s+", "", phrase)
        words = _words(phrase)
        if words and not (_NOT_PRODUCTS | _NOT_KINDS).intersection(words):
            return phrase
    return None


# A size asked for by its capacity: "the 6l", "5 litre", "那个5L的", "5升的", "500ml", "10000毫安".
_SIZE_ASKED = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*(l|ltr|litres?|liters?|升|ml|毫升|mah|毫安)(?![a-z])",
    re.IGNORECASE,
)
_SIZE_UNIT = {
    "l": 1000.0,
    "ltr": 1000.0,
    "升": 1000.0,
    "ml": 1.0,
    "毫升": 1.0,
    "mah": 1.0,
    "毫安": 1.0,
}


def sizes_asked(text: str) -> list[tuple[str, float]]:
    """The capacities a message names, as written and as one number to compare with
    ``size_of`` ("the 4l and 6l" -> [("4l", 4000), ("6l", 6000)])."""
    found = []
    for match in _SIZE_ASKED.finditer(text):
        unit = match.group(2).lower()
        unit = "l" if unit.startswith(("litre", "liter")) else unit
        found.append((match.group(0).strip(), float(match.group(1)) * _SIZE_UNIT[unit]))
    return found


def without_sizes(text: str) -> str:
    """The words without the capacities they name ("电炖锅4升" -> "电炖锅")."""
    return " ".join(_SIZE_ASKED.sub(" ", text).split())


def of_size_named(query: str, found: list[Product]) -> list[Product]:
    """Of several products that fit a query's name, the ones of the capacity it names ("slow
    cooker 6l", "6升的电炖锅": the 6 L one, not both); all of them when it names none, or a
    size none of them has (the caller says that size is not sold)."""
    wanted = [size for _, size in sizes_asked(query)]
    if len(found) < 2 or not wanted:
        return found
    fits = [p for p in found if any(size_sold(p, w) for w in wanted)]
    return fits or found


def size_sold(product: Product, wanted: float) -> bool:
    """True when the product has the capacity ``wanted`` (a number as ``size_of`` gives)."""
    return abs((size_of(product) or 0.0) - wanted) < 1e-6


def only_a_size(phrase: str) -> bool:
    """True when a phrase is a capacity and nothing else ("5升", "the 6l one", "5L的")."""
    rest = _SIZE_ASKED.sub("", phrase.lower())
    rest = re.sub(r"\b(?:the|a|an|one|ones|model|version)\b|的|那个|这个|款|个|呢|吗", "", rest)
    return bool(_SIZE_ASKED.search(phrase)) and not rest.strip(" ?!.,，？")


# How many the customer wants, before the product's name: "20 of the 1.5l blender", "3x toasters",
# "a couple of those toasters"; the count is the quantity's (handlers/quantity.py), no name.
_COUNT_BEFORE = re.compile(
    r"^(?:\d{1,3}(?![\d.])(?!\s*(?:l|ml|ltr|litres?|liters?|mah)\b)\s*x?|"
    r"a couple|a few|a dozen|two|three|four|five|six|seven|eight|nine|ten|"
    r"twelve|twenty|fifty)\s+(?:(?:units?|pieces?|pcs|items?|more)\s+)?(?:of\s+)?"
    r"(?:(?:the|those|these|your|ur|them)\b\s*)?"
)
# A name written in Latin letters inside Chinese ("toaster", "blender 1.5l", "rice cooker").
_LATIN_NAME = re.compile(r"[a-z][a-z -]{2,30}")


def _latin_name(phrase: str) -> bool:
    """True when a phrase read from a Chinese question is a name in Latin letters, sizes
    aside ("blender 1.5l", "这个toaster" stripped): a product asked about in English words."""
    bare = _SIZE_ASKED.sub("", phrase).strip(" .")
    return _LATIN_NAME.fullmatch(bare) is not None and not _NOT_PRODUCTS.intersection(_words(bare))


def _last_clause(phrase: str) -> str:
    """A Chinese phrase without the clauses before it that a space ends ("孩子开学要用 双肩包"
    -> "双肩包"), as long as what is left still holds a Chinese word beside any size."""
    chunks = phrase.split()
    while len(chunks) > 1 and any("\u4e00" <= c <= "\u9fff" for c in chunks[0]):
        rest = without_sizes(" ".join(chunks[1:]))
        if not any("\u4e00" <= c <= "\u9fff" for c in rest):
            break
        chunks = chunks[1:]
    return " ".join(chunks)


@functools.lru_cache(maxsize=32)  # asked of the same text by a turn's readings and answers
def product_phrase(text: str) -> str | None:
    """The product a price or availability question names, as the customer wrote it, or
    None when it names none ("how much is shipping" is not about a product: the caller
    checks the catalogue and the knowledge base for that)."""
    kind = kind_asked(text)
    if kind is not None:
        return kind
    lowered = " ".join(text.lower().split())
    # Every Chinese pattern needs a Chinese word (有, 卖, 多少钱): without one they are not
    # tried, as their name (any run of letters) would be tried from every position.
    chinese_patterns = _ZH_PATTERNS if any("\u4e00" <= c <= "\u9fff" for c in lowered) else ()
    for pattern in chinese_patterns:
        for match in re.finditer(pattern, lowered):
            phrase = _last_clause(_ZH_STRIP.sub("", match.group("p").strip()).strip())
            phrase = _ZH_STRIP.sub("", phrase).strip()
            chinese = any("\u4e00" <= c <= "\u9fff" for c in phrase)
            if only_a_size(phrase):
                continue  # "有没有5升的": a size of the product in play, not a product
            if not chinese and _latin_name(phrase):
                return phrase
            if (
                chinese
                and len(phrase) <= 12
                and not any(w in phrase for w in _ZH_NOT_PRODUCTS)
                and not only_quality(phrase)
            ):
                return phrase
    for pattern in _EN_PATTERNS:
        found = re.search(pattern, lowered)
        if found is None:
            continue
        phrase = _EN_TAIL.sub("", found.group("p")).strip(" '\"")
        phrase = _COUNT_BEFORE.sub("", phrase).strip()
        if phrase and len(phrase.split()) <= 5 and not _NOT_PRODUCTS.intersection(_words(phrase)):
            if set(_words(phrase)) <= _ONLY_STOCK or only_a_size(phrase):
                continue
            if set(_words(phrase)) <= _ARTICLES:
                continue  # "and the price?": the article the pattern let go, no product
            return phrase
    return None
