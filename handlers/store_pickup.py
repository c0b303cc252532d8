"""Collecting an order from a store oneself: "can i pick it up in store instead", "我去门店自提吧".

Store pick-up can be chosen until the parcel leaves the warehouse (faq.yml's address entry):
answered from where the order in play is, never as the collection of a return.
"""

from __future__ import annotations

import re

from handlers import context, inquiry
from handlers.dialogue import Asked, Purpose, Question
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import RETURN

DETAIL = "store_pickup"

# Where: a store or shop of ours ("in store", "from your shop", "one of your branches",
# "click and collect", "门店", "店里", "到店").
_STORE = re.compile(
    r"\b(?:in|at|from|to) (?:the |a |your |ur |one of (?:your|ur) |nearest |local )?"
    r"(?:stores?|shops?|branch(?:es)?|outlets?)\b|\bin-?store\b|\bstore pick-?up\b|"
    r"\bclick (?:and|&|n|'n'?) collect\b|门店|店里|店内|到店|实体店|线下店|专卖店",
    re.IGNORECASE,
)
# Fetching it oneself ("collect it myself", "come and get it in person", "grab it",
# "自提", "自取", "自己去拿"; not "自提点", a pick-up point, nor "取消").
_FETCH = re.compile(
    r"\b(?:pick(?:ing)? (?:\w+ ){0,3}up|pick-?up|collect(?:ing)?|grab(?:bing)?|fetch(?:ing)?|"
    r"get (?:it|them)|come (?:and |to |n )?(?:get|pick|collect|grab)|"
    r"swing by)\b|自提(?!点)|自取|取货|提货|拿货|"
    r"(?:去|来|过去|过来|到店|店里|门店)\S{0,4}?(?:取|拿|提)(?!消|供|醒|建|意|问|交)",
    re.IGNORECASE,
)
_MYSELF = re.compile(
    r"\b(?:myself|my ?self|in person|personally)\b|自己|亲自|我(?:直接)?(?:去|过去|来)",
    re.IGNORECASE,
)
# Handing the item back, or a locker / pick-up point (faq `delivery-locker`).
_NOT_THIS = re.compile(
    r"\brefund|\blabel\b|\blocker|\bpick-?up point|\bparcel ?shop|快递柜|驿站|自提点|代收点|退|"
    r"\bcourier (?:to )?collect|上门",
    re.IGNORECASE,
)


def asks(turn: Turn) -> bool:
    """True when the customer would rather fetch the order from a store themselves."""
    text = turn.message.text
    store = _STORE.search(text) is not None
    if RETURN.search(text) or _NOT_THIS.search(text):
        return False
    if context.DEFECT.search(text) and not store:
        return False  # (DEFECT reads "instead of" as a wrong item; a store named is no fault)
    if turn.dialogue.topic == "ask_returns_refunds" and not store:
        return False  # "can you collect it" after a return is the return's collection
    fetch = _FETCH.search(text) is not None
    zh_self = re.search(r"自提(?!点)|自取", text) is not None
    return zh_self or (fetch and (store or _MYSELF.search(text) is not None))


async def answer(turn: Turn) -> list[Reply]:
    """Store pick-up for the order in play, from where it is; without one, how and its number."""
    number = turn.order_in_play
    order = await inquiry.find_order(turn, number) if number is not None else None
    turn.answered_from("delivery-address")
    if order is None:
        turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.ORDER_STATUS))
        return [turn.reply("store_pickup_ask_order")]
    if order.status == "processing":
        return [turn.offer_human("store_pickup_possible", order=order.number)]
    if order.status == "shipped":
        return [
            turn.reply(
                "store_pickup_shipped",
                order=order.number,
                carrier=order.carrier or "-",
                tracking=order.tracking or "-",
            )
        ]
    return [turn.reply(f"store_pickup_{order.status}", order=order.number)]
