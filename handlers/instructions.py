"""Delivery instructions ("leave it with next door", "放门卫"): noted on a case for the order."""

from __future__ import annotations

import logging
import re

from crm_memory import CaseKind, CaseStatus, Priority
from handlers.inquiry import order_number
from handlers.orders import OrderLookupError, names_order, with_order
from handlers.turn import Turn
from handlers.types import Reply
from nlu import FALLBACK

logger = logging.getLogger(__name__)

REASON = "delivery instruction"
# What the engine may read an instruction as: a delivery question, the order it is about,
# or nothing it knows. (A complaint stays a complaint: "they left it outside and it's gone".)
INTENTS = ("ask_delivery", "ask_order_status", FALLBACK)

# Where or how the parcel should be left, said as an instruction: "leave it with next door",
# "put it in the locker", "ring twice", "放门卫", "放快递柜", "备注放邻居家", "先打我电话".
_EN = re.compile(
    r"\b(?:leave|put|drop|hand|give)\s+(?:it|them|the (?:parcel|package|box|order)|my "
    r"(?:parcel|package|order)|at|with|in|on|to|by|behind|through)\b.{0,40}?"
    r"\b(?:neighbou?rs?|next door|door(?:step)?|porch|reception|concierge|porter|caretaker|"
    r"security|gate|garage|shed|locker|letterbox|mailroom|garden|bin|number \d+|no\.? ?\d+|"
    r"front|back|safe place|outside|downstairs|shop)\b|"
    r"\b(?:ring|knock|call me|text me|phone me)\b.{0,30}\b(?:bell|twice|loud|when|before|close)\b|"
    r"\bdelivery notes?:|\bgate code\b|\bcode for the (?:gate|door)\b",
    re.IGNORECASE,
)
_ZH = re.compile(
    r"放(?:在)?(?:门卫|快递柜|丰巢|驿站|菜鸟|物业|前台|门口|家门口|邻居|隔壁|保安|传达室|收发室|大堂|"
    r"楼下|一楼|车库|鞋柜)|交给(?:门卫|邻居|物业|前台|保安)|(?:先|到了)?打(?:我)?电话|"
    r"别打电话|发短信就行|敲门|备注(?:一下)?放|代收"
)
# "can they leave it with a neighbour?" asks how it works (the FAQ says); said with an
# order, it is what the customer wants for that order.
_QUESTION_ONLY = re.compile(r"^\s*(?:what if|what happens|how do|how does|如果|要是)", re.I)


def is_instruction(text: str) -> bool:
    """True when the message tells us where or how the parcel should be left."""
    if _QUESTION_ONLY.search(text):
        return False
    return bool(_EN.search(text) or _ZH.search(text))


async def applies(turn: Turn) -> bool:
    """A delivery instruction about an order we know (named now, in play, or remembered)."""
    return is_instruction(turn.message.text) and order_number(turn) is not None


async def record(turn: Turn) -> list[Reply]:
    """Note the instruction on a case for the order (one case per order: a second
    instruction goes on the same case) and say honestly who must hear it: before dispatch
    our team adds it to the label; once the courier has it, the courier's tracking page is
    the only place the driver reads.
    """
    number = order_number(turn)
    assert number is not None  # checked by applies()
    order = None
    if turn.deps.orders is not None:
        try:
            order = await turn.deps.orders.find(number)
        except OrderLookupError as exc:
            logger.warning("order look-up failed: %s", exc)
    if order is not None and order.status in ("delivered", "cancelled"):
        return [turn.reply(f"instruction_{order.status}", order=order.number)]
    said = " ".join(turn.message.text.split())
    line = turn.say("instruction_line", instruction=said)
    quoted = said if len(said) <= 80 else said[:77] + "..."
    existing = next(
        (
            c
            for c in turn.context.open_cases
            if c.reason == REASON
            and c.status is not CaseStatus.CLOSED
            and names_order(c.summary, number)
        ),
        None,
    )
    if existing is not None:
        await turn.deps.cases.update(existing.number, summary=f"{existing.summary}\n{line}")
        case_number = existing.number
    else:
        case = await turn.deps.cases.open(
            customer_id=turn.customer_id,
            kind=CaseKind.INQUIRY,
            priority=Priority.NORMAL,
            reason=REASON,
            summary=with_order(line, number),
            topic="delivery",
        )
        case_number = case.number
    turn.outcome.case = case_number
    if order is not None and order.status == "shipped" and order.carrier:
        return [
            turn.reply(
                "instruction_shipped",
                order=number,
                number=case_number,
                carrier=order.carrier,
                tracking=order.tracking or "-",
                instruction=quoted,
            )
        ]
    return [turn.reply("instruction_noted", order=number, number=case_number, instruction=quoted)]
