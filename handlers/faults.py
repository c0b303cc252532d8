"""Which of several orders named in one message the problem is about, and the one in play."""

from __future__ import annotations

import re
from dataclasses import replace

from handlers.context import DEFECT, delivered_not_received
from handlers.turn import Turn
from nlu import Entity
from nlu.sentiment import names_a_problem

# Where what is said of one order ends and what is said of the next begins: punctuation,
# "but" / "though" / "while", and in Chinese a comma, a space between words, 但是 / 可是 / 不过.
_CUT = re.compile(
    r"[,，.。;；!！?？]+|\s+-\s+|\b(?:but|however|though|tho|while|whereas|and)\b|"
    r"但是|可是|不过|而且|(?<=[\u4e00-\u9fff])\s+(?=\S)",
    re.IGNORECASE,
)
# Said of an order that is all right: "came fine", "all good", "没问题", "好好的".
_FINE = re.compile(
    r"\b(?:fine|ok|okay|all good|good|great|perfect|perfectly|alright|all right|no (?:problems?|"
    r"issues?)|works?|working)\b|"
    r"没问题|没毛病|没事|好好的|挺好|很好|都好|正常|完好|能用|好用",
    re.IGNORECASE,
)
# A problem said without the defect words: never came, still waiting, late.
_PROBLEM = re.compile(
    r"\b(?:never|not|hasn'?t|hasnt|didn'?t|didnt|still no)\b.{0,20}\b(?:arrived|came|come|"
    r"here|received|turned up|delivered|shipped)\b|\blate\b|\bdelayed\b|\bwrong\b|"
    r"没收到|没到|还没|延误|不对|少了|少个|缺|丢了",
    re.IGNORECASE,
)


def _problem(words: str) -> bool:
    return bool(
        DEFECT.search(words)
        or _PROBLEM.search(words)
        or names_a_problem(words)
        or delivered_not_received(words)
    )


def _said_of(text: str, orders: tuple[Entity, ...]) -> dict[str, str]:
    """What the message says of each order: the stretch that names it, with any stretch
    after it that names none ("H-7701那单台灯坏了 开不了" ...), or before the first order."""
    said: dict[str, str] = {o.value: "" for o in orders}
    pending = ""
    current: str | None = None
    bare: list[str] = []  # "A-1001 and A-1003 are both broken": said of the next one too
    for piece in _CUT.split(text):
        if not piece or not piece.strip():
            continue
        named = [o.value for o in orders if o.text and o.text in piece]
        if len(set(named)) > 1:
            return {}  # two orders in one stretch: what is said of which, the words don't tell
        if named:
            current = named[0]
            said[current] += f" {pending} {piece}"
            pending = ""
            for waiting in bare:
                said[waiting] += f" {piece}"
            rest = piece.replace(next(o.text for o in orders if o.value == current), " ")
            bare = [current] if not _SAYS.search(_FILLER.sub(" ", rest)) else []
        elif current is None:
            pending += f" {piece}"
        else:
            said[current] += f" {piece}"
            for waiting in bare:
                said[waiting] += f" {piece}"
            bare = []
    return said


# A stretch that only names its order ("order A-1001", "订单A-1001") says nothing of it.
_FILLER = re.compile(
    r"\b(?:order|orders|no|number|my|the|both|and|also)\b|订单号?|单号|和|跟|还有", re.I
)
_SAYS = re.compile(r"[A-Za-z]{2,}|[\u4e00-\u9fff]")


def order_at_fault(text: str, orders: tuple[Entity, ...]) -> Entity | None:
    """Of two or more orders named in one message, the one the problem is about ("H-3301
    came fine but H-3302 is missing the charger", "H-7701坏了 H-7702倒是好好的"): the only
    one problem words are said of, else the only one not said to be fine. None when one
    order is named, or the words don't single one out."""
    distinct = {o.value: o for o in orders}
    if len(distinct) < 2:
        return None
    said = _said_of(text, orders)
    if not said:
        return None
    troubled = [value for value, words in said.items() if _problem(words)]
    if len(troubled) == 1:
        return distinct[troubled[0]]
    if troubled:
        return None
    unclaimed = [value for value, words in said.items() if not _FINE.search(words)]
    return distinct[unclaimed[0]] if len(unclaimed) == 1 else None


def focused(turn: Turn) -> Turn:
    """The request with the order its problem is about first among its orders, so the case
    is opened (or the detail noted) on that one, and the one in play after this turn; the
    request unchanged when it names one order or the words don't single one out."""
    orders = turn.parse.orders
    fault = order_at_fault(turn.message.text, orders)
    if fault is None:
        return turn
    others = tuple(e for e in turn.parse.entities if e.kind != "order_number" or e is not fault)
    turn.outcome.slots["order_number"] = fault.value
    return replace(turn, parse=replace(turn.parse, entities=(fault, *others)))
