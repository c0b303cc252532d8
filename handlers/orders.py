"""Order look-up: where a customer's order is, from a CSV file or the shop's HTTP API."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from handlers.arrival import working_days_after
from handlers.shop_api import ShopApi

SAMPLE_ORDERS = Path(__file__).resolve().parent / "data" / "orders.csv"
STATUSES = ("processing", "shipped", "delivered", "cancelled")


class OrderLookupError(Exception):
    """The order system could not be asked."""


@dataclass(frozen=True, slots=True)
class Order:
    """What the shop knows about one order."""

    number: str
    status: str
    carrier: str = ""
    tracking: str = ""
    eta: str = ""
    items: str = ""

    def eta_date(self) -> date | None:
        """The ETA as a date, when the shop gave one in ISO form."""
        try:
            return date.fromisoformat(self.eta.strip()[:10])
        except ValueError:
            return None

    def arrives_by(self, delivery_days: int) -> date | None:
        """The latest day it should reach the customer: a shipped order's ETA; for one not
        shipped yet (whose ETA is the day it leaves us) that day plus ``delivery_days``
        working days of standard delivery at most."""
        day = self.eta_date()
        if day is None or self.status not in ("processing", "shipped"):
            return None
        if self.status == "shipped":
            return day
        return working_days_after(day, delivery_days)

    def is_late(self, today: date) -> bool:
        """Not yet delivered (nor cancelled) and its ETA has passed."""
        eta = self.eta_date()
        return self.status in ("processing", "shipped") and eta is not None and eta < today


def normalise_order_number(text: str) -> str:
    """``a1001`` and ``#A-1001`` both become ``A-1001`` style: upper case, no ``#``."""
    return text.strip().lstrip("#").strip().upper()


def order_key(number: str) -> str:
    """How orders are indexed: ``#a-1001``, ``A1001`` and ``A-1001`` are the same order."""
    return normalise_order_number(number).replace("-", "")


def names_order(summary: str, order: str) -> bool:
    """Whether a case summary has the ``order: N`` line for exactly this order (order 1234 is
    not on the case of order 12345)."""
    return re.search(rf"^order: {re.escape(order)}$", summary, re.MULTILINE) is not None


def with_order(summary: str, order: str | None) -> str:
    """A case summary with an ``order: N`` line for the order, unless it is already there."""
    if order is None or names_order(summary, order):
        return summary
    return f"{summary}\norder: {order}".strip()


# A letter prefix and digits, maybe with a digit group before the dash (A-1001, A77-3301).
_PREFIX = r"[A-Za-z]{1,3}-?(?:\d{1,8}-)?\d{4,12}"
# An order number introduced by order words, in English or Chinese: "order no. 88231",
# "order #88231", "订单号 1234567890123", "单号88231"; so introduced, a letter prefix may have
# as few as two digits after it ("order T-47", "单号H52").
_INTRODUCED = re.compile(
    r"(?:\borders?(?:\s*(?:no\.?|nr\.?|num(?:ber)?s?|ids?|#))?|订单(?:号|编号)?|单号)"
    r"\s*(?:is|was|:|：|是|为|#)?\s*#?\s*(\d{5,20}|" + _PREFIX + r"|[A-Za-z]{1,3}-?\d{2,3})"
    r"(?![A-Za-z0-9_-])",
    re.IGNORECASE,
)
# The next of several order numbers listed after the first: "orders 82301 and 82302",
# "订单92301和92302", "A-1001, A-1003 & A-1005".
_LISTED = re.compile(
    r"\s*(?:,|，|、|&|/|\band\b|\bor\b|和|跟|与|及|还有)\s*(?:(?:order|订单号?)\s*)?#?\s*"
    r"(\d{5,20}|" + _PREFIX + r")(?![A-Za-z0-9_-])",
    re.IGNORECASE,
)
_AMAZON = re.compile(r"(?<![\d-])\d{3}-\d{7}-\d{7}(?![\d-])")
# "#55120", "#A-7712" (a case's number is digits only, and short: "#12").
_HASHED = re.compile(r"(?<![\w#])#\s?(\d{4,20}|" + _PREFIX + r")(?![\dA-Za-z_-])")
# Letter-prefixed numbers (A-1001, a1001, SO12345, and with a digit group before the dash:
# A77-3301, X2026-5531), read whole: an order only if the shop knows it or it was introduced
# as one; "RTX4090" in a product question is not.
_PREFIXED = re.compile(r"(?<![A-Za-z0-9_#@.-])" + _PREFIX + r"(?![A-Za-z0-9_@-])")
# A bare number is certainly an order number when the bot has just asked for one; so is a number
# in dash-separated groups ("4471-22", "2024-118842"), as some shops print them.
# (A date, "2026-11-20", is none.)
_BARE = re.compile(
    r"(?<![\dA-Za-z+-])(?!\d{4}-\d{1,2}-\d{1,2}(?![\d-]))"
    r"(?:\d{4,20}|\d{2,10}(?:-\d{2,10}){1,3})(?![\d-])"
)
# A number on its own, in the shape of the shop's numbers (5-20 digits): "tracking says
# delivered but i never got it. 55102", "8812345" with no order word. A candidate only: it
# counts when the order source knows it (a phone number, a quantity, a postcode is no order).
_LONE = re.compile(
    # (A full stop or comma after it ends the sentence, "its 81460. new address is ...";
    # followed by a digit it is a decimal or a thousands mark. One digit and a full stop
    # before it count a list, "1.88231到哪了 2.…", not a decimal.)
    r"(?:(?<![\d+.,:/$€£¥-])|(?<=(?<![\w.,$€£¥])[1-9]\.))"
    r"\d{5,20}(?![\d:/-]|[.,]\d|\s*(?:mah|ml|w|mm|cm|kg|g|元|块)\b)",
    re.IGNORECASE,
)
# Dash-separated groups with no order word ("the power bank from 7712-0042 is getting hot"):
# a candidate like a lone number, an order only when the shop knows it (a phone number in
# groups is none).
_GROUPED = re.compile(
    r"(?<![\dA-Za-z+-])(?!\d{4}-\d{1,2}-\d{1,2}(?![\d-]))\d{2,10}(?:-\d{2,10}){1,3}(?![\d-])"
)
# A number the customer calls their order after it: "77801这个单", "88231那单", "88231的订单".
_TRAILED = re.compile(r"(?<![\d-])(\d{5,20})\s*(?=(?:这个?|那个?|的)?(?:订单|单子|单))")
# A number given as "the other one": "and the other one? 88411", "那另一个呢 88521".
_OTHER_ONE = re.compile(
    r"(?:\b(?:the )?(?:other|another|second|2nd) (?:one|order|parcel|package)|另一个|另外一个|"
    r"另外那个|第二个)(?:单|订单|单子|包裹)?\s*(?:呢|吗)?\s*[?？,，:：]*\s*(?:is |是)?#?\s*"
    r"(\d{5,20})(?![\d-])",
    re.IGNORECASE,
)

# An order number said digit by digit, in words: "five five one two zero", "oh eight eight two
# three one", "五五一二零", "幺三八八二" (five digits at least: fewer are a quantity or a time).
_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_DIGIT_ZH = {"零": "0", "〇": "0", "幺": "1", "一": "1", "二": "2", "三": "3", "四": "4",
             "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}  # fmt: skip
_WORD = r"(?:zero|oh|o|nought|one|two|three|four|five|six|seven|eight|nine)"
_SPELLED = re.compile(
    rf"(?<![A-Za-z])(?:{_WORD}[\s,-]+){{4,19}}{_WORD}(?![A-Za-z])|[零〇幺一二三四五六七八九]{{5,20}}",
    re.IGNORECASE,
)
# An order number typed in groups with spaces: "55 120", "8823 1", "5 5 1 2 0" (two or three
# groups, the first of two digits at least, or one digit at a time; 5-10 digits in all; a
# time "10 30" has too few, a mobile number "138 1234 5678" too many).
# (A phone number's groups, "+44 20 7946 0321", "020 7946 0321", are none.)
_SPACED = re.compile(
    r"(?<![\d.,:/+$€£¥-])(?<!\d )(?<!\+\d )(?<!\+\d\d )(?<!\+\d\d\d )(?!0)"
    r"(?:\d{2,6}(?: \d{1,6}){1,2}|\d(?: \d){4,9})(?![\d.,:/-]| \d)"
)
# Order words just before a number written in an unusual form make it certain: "order five
# five...", "order no. 55 120", "单号：五五一二零", "订单 55 120".
_INTRO_BEFORE = re.compile(
    r"(?:\borders?(?:\s*(?:no\.?|nr\.?|num(?:ber)?|id|#))?|订单(?:号|编号)?|单号)"
    r"\s*(?:is|was|:|：|是|为|#)?\s*#?\s*$",
    re.IGNORECASE,
)


def _spelled_digits(words: str) -> str:
    """The digits of a number said in words ("five five one" -> "551", "五五一" -> "551")."""
    if any("\u4e00" <= c <= "\u9fff" or c == "〇" for c in words):
        return "".join(_DIGIT_ZH[c] for c in words)
    return "".join(_DIGIT_WORDS[w.lower()] for w in re.findall(r"[A-Za-z]+", words))


@dataclass(frozen=True, slots=True)
class OrderMention:
    """An order number found in a message: where, and whether the wording makes it certain."""

    value: str
    start: int
    end: int
    certain: bool


class OrderNumbers:
    """Finds order numbers the way shops number them, plus the shop's own patterns.

    Args:
        patterns: regexes for the shop's numbers (config ``conversation.order_patterns``); a
            group, if any, is the number.
    """

    def __init__(self, patterns: Sequence[str] = ()) -> None:
        try:
            self._own = [re.compile(p) for p in patterns]
        except re.error as exc:
            raise ValueError(f"order pattern {exc.pattern!r}: {exc}") from exc

    def mentions(self, text: str, *, expected: bool = False) -> list[OrderMention]:
        """Every order-number candidate in ``text``, in order, without overlaps.

        ``expected``: the bot asked for an order number, so a bare number is one (certain);
        otherwise a lone number in the shop's shape is a candidate to check with the shop.
        """
        found: list[OrderMention] = []

        def add(match: re.Match[str], certain: bool) -> None:
            group = 1 if match.re.groups else 0
            start, end = match.span(group)
            if any(m.start < end and start < m.end for m in found):
                return
            value = normalise_order_number(match.group(group))
            found.append(OrderMention(value, start, end, certain))

        for pattern in self._own:
            for match in pattern.finditer(text):
                add(match, True)
        for pattern, certain in (
            (_INTRODUCED, True),
            (_AMAZON, True),
            (_HASHED, True),
            (_TRAILED, True),
            (_OTHER_ONE, True),
        ):
            for match in pattern.finditer(text):
                add(match, certain)
        for match in _PREFIXED.finditer(text):
            add(match, expected)
        # Said in words or typed in groups: the digits, certain when asked for or introduced
        # by order words, else a candidate the shop must know.
        for pattern in (_SPELLED, _SPACED):
            for match in pattern.finditer(text):
                digits = (
                    _spelled_digits(match.group())
                    if pattern is _SPELLED
                    else match.group().replace(" ", "")
                )
                most = 20 if pattern is _SPELLED else 10
                # Groups of five digits or more are numbers of their own ("92301 92304").
                whole = pattern is _SPACED and any(len(g) >= 5 for g in match.group().split())
                if whole or not 5 <= len(digits) <= most or any(
                    m.start < match.end() and match.start() < m.end for m in found
                ):
                    continue
                sure = expected or _INTRO_BEFORE.search(text, 0, match.start()) is not None
                found.append(OrderMention(digits, match.start(), match.end(), sure))
        # Numbers listed after a certain one are orders too ("orders 82301 and 82302").
        for mention in [m for m in found if m.certain]:
            at = mention.end
            while (listed := _LISTED.match(text, at)) is not None:
                add(listed, True)
                at = listed.end()
        if expected:
            for match in _BARE.finditer(text):
                add(match, True)
        else:
            for pattern in (_LONE, _GROUPED):
                for match in pattern.finditer(text):
                    add(match, False)
        return sorted(found, key=lambda m: m.start)


class OrderLookup(Protocol):
    """Finds orders by number."""

    async def find(self, number: str) -> Order | None:
        """The order, or None when the shop has no such order.

        Raises:
            OrderLookupError: when the order system cannot be reached.
        """
        ...


class TurnOrders:
    """An order look-up for one turn: each order number is asked of the shop once (a turn
    looks an order up while reading the message and again while answering it), a failure
    too, so a shop that is down is waited for once.

    Args:
        lookup: the shop's look-up.
    """

    def __init__(self, lookup: OrderLookup) -> None:
        self._lookup = lookup
        self._seen: dict[str, Order | OrderLookupError | None] = {}

    async def find(self, number: str) -> Order | None:
        key = order_key(number)
        if key not in self._seen:
            try:
                self._seen[key] = await self._lookup.find(number)
            except OrderLookupError as exc:
                self._seen[key] = exc
        found = self._seen[key]
        if isinstance(found, OrderLookupError):
            raise found
        return found


def resolve_eta(value: str, today: date) -> str:
    """An ETA as written, or for ``+2d`` / ``-3d`` / ``0d`` (days from today, unsigned meaning
    ahead: demo and test data that stays current) the ISO date it stands for."""
    match = re.fullmatch(r"\s*([+-]?\d{1,4})\s*d\s*", value)
    if match is None:
        return value.strip()
    return (today + timedelta(days=int(match.group(1)))).isoformat()


class CsvOrderLookup:
    """Orders from a CSV export (``order_number,status,carrier,tracking,eta,items``).

    An ETA may be relative (``+2d``: two days after ``today``), so the demo orders stay current.
    """

    def __init__(self, path: Path, *, today: date | None = None) -> None:
        day = today or datetime.now(UTC).date()
        self._orders: dict[str, Order] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                status = (row.get("status") or "").strip().lower()
                number = normalise_order_number(row.get("order_number") or "")
                if not number or status not in STATUSES:
                    raise ValueError(f"{path}:{line}: need order_number and a status {STATUSES}")
                # Indexed without dashes: customers write A1001 as often as A-1001.
                self._orders[order_key(number)] = Order(
                    number=number,
                    status=status,
                    carrier=(row.get("carrier") or "").strip(),
                    tracking=(row.get("tracking") or "").strip(),
                    eta=resolve_eta(row.get("eta") or "", day),
                    items=(row.get("items") or "").strip(),
                )

    async def find(self, number: str) -> Order | None:
        return self._orders.get(order_key(number))


class HttpOrderLookup(ShopApi):
    """Orders from the shop's API: GET a URL template such as
    ``https://shop.example/api/orders/{order}``; 404 means no such order, and a JSON body
    ``{"status", "carrier", "tracking", "eta", "items"}`` describes it.

    Args:
        url_template: with ``{order}`` where the order number goes.
        timeout, headers, transport: as for ``ShopApi``.
    """

    placeholder = "order"
    error = OrderLookupError
    what = "order"

    async def find(self, number: str) -> Order | None:
        key = normalise_order_number(number)

        def order(body: Any) -> Order:
            status = str(body["status"]).lower()
            if status not in STATUSES:
                raise OrderLookupError(f"order API gave unknown status {status!r} for {key}")
            return Order(
                number=str(body.get("order_number") or key),
                status=status,
                carrier=str(body.get("carrier") or ""),
                tracking=str(body.get("tracking") or ""),
                eta=str(body.get("eta") or ""),
                items=str(body.get("items") or ""),
            )

        return await self._get(key, order, about=f" for {key}")
