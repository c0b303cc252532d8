"""Delivery instructions ("leave it with next door", "放门卫"): noted on a case for the order."""

from __future__ import annotations

import logging
import re

from crm_memory import CaseKind, CaseStatus, Priority
from handlers.clauses import ideographs
from handlers.context import DEFECT, says_not_received
from handlers.inquiry import order_number
from handlers.orders import OrderLookupError, names_order, with_order
from handlers.questions import is_question
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


# Asked for, not told about ("can u leave it in the porch if nobody answers" reads like a
# complaint to the engine; "they put it outside and it got nicked" is one).
_REQUESTED = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|u|ya|they|the driver|the courier)\b.{0,12}"
    r"\b(?:leave|put|drop|hand|give)\b|\b(?:pls|please|plz)\b.{0,12}\b(?:leave|put|drop|hand|give)\b|"
    r"^(?:\S+\s+)?(?:leave|put|drop|hand|give)\b|请.{0,4}放|麻烦.{0,4}放|帮我.{0,4}放|^(?:\S{0,12}\s*)?放",
    re.IGNORECASE,
)


async def applies(turn: Turn, intent: str) -> bool:
    """A delivery instruction about an order we know (named now, in play, or remembered),
    read as a delivery question, an order question, nothing known, or a complaint that
    asks for it and names no problem."""
    text = turn.message.text
    if not is_instruction(text) or order_number(turn) is None:
        return False
    if intent in INTENTS:
        return True
    return (
        intent == "complaint"
        and _REQUESTED.search(text) is not None
        and DEFECT.search(text) is None
        and not says_not_received(text)
    )


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
    remember(turn, case_number, number)
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


# What a delivery instruction or a new address was just noted on ("{case}|{order}", a slot
# of the dialogue at the turn it was noted): the details said right after go there too.
NOTED = "delivery_noted"
# The Reading detail for those details (handlers/dispatcher.py routes it here).
DETAIL = "delivery_detail"
# A question in its form: asked, not told ("can they ring first?" is answered, not noted).
# What the engine reads that is never a detail for the courier: a closing, a yes or no, a
# request of its own.
_NOT_DETAIL = {
    "thanks",
    "goodbye",
    "greet",
    "affirm",
    "deny",
    "request_human",
    "cancel_order",
    "ask_case_status",
    "forget_request",
    "ask_my_data",
}
# A product problem ("the lid is cracked") is a complaint of its own, unless said as how
# to deliver ("the buzzer is broken so ring me").
_PROBLEM = re.compile(
    r"\b(?:broken|damaged|faulty|cracked|leak\w*|refund|return|replace\w*|cancel\w*)\b|"
    r"坏了|破损|漏水|退款|退货|换货|取消",
    re.IGNORECASE,
)

# Words about the way to the door: a detail for the courier, whatever else it says.
_WAY_IN = re.compile(
    r"\b(?:buzzer|doorbell|bell|intercom|flat|apartment|apt|floor|gate|door|entrance|stairs|"
    r"lift|elevator|code|mobile|phone|ring|call|text)\b|门铃|门禁|单元|楼|室|门牌|电梯|大门|电话",
    re.IGNORECASE,
)


def remember(turn: Turn, case: int, order: str | None) -> None:
    """Keep for the next message which case a delivery instruction or new address is on."""
    turn.outcome.slots[NOTED] = f"{case}|{order or ''}"


def noted(turn: Turn) -> tuple[int, str] | None:
    """The case and order of the delivery instruction or address noted last turn, if any."""
    slot = turn.dialogue.slot(NOTED)
    if slot is None or slot.turn < turn.dialogue.turn - 1:
        return None
    case, _, order = slot.value.partition("|")
    return (int(case), order) if case.isdigit() else None


def adds_detail(turn: Turn) -> bool:
    """True when a message right after a noted instruction or address only adds to it
    ("the blue door, Mrs Okafor at no. 12", "南门门卫室 找王师傅"): told, not asked, no
    other order, nothing the engine reads as a request of its own."""
    found = noted(turn)
    if found is None:
        return False
    text = turn.message.text.strip()
    other = turn.parse.entity("order_number")
    if other is not None and other.value != found[1]:
        return False
    if is_question(text, form=True) or turn.parse.intent in _NOT_DETAIL:
        return False
    if is_instruction(text):
        return True
    words = len(re.findall(r"[A-Za-z0-9']+", text)) + ideographs(text) // 2
    # "the buzzer is broken so ring my mobile": a problem word about the way in, not the item.
    return words >= 3 and (not _PROBLEM.search(text) or _WAY_IN.search(text) is not None)


async def add_detail(turn: Turn) -> list[Reply]:
    """Put the details on the case the instruction or address is on, and say so; when the
    courier already has the parcel, where the courier must hear them too."""
    found = noted(turn)
    assert found is not None  # checked by adds_detail()
    number, order_number_ = found
    said = " ".join(turn.message.text.split())
    case = next((c for c in turn.context.open_cases if c.number == number), None)
    if case is None or case.status is CaseStatus.CLOSED:
        # Closed meanwhile: a new instruction of its own, when there is an order for it.
        if order_number(turn) is not None:
            return await record(turn)
        return [turn.reply("instruction_more_lost")]
    line = turn.say("instruction_more_line", detail=said)
    await turn.deps.cases.update(number, summary=f"{case.summary}\n{line}")
    turn.outcome.case = number
    remember(turn, number, order_number_)
    quoted = said if len(said) <= 80 else said[:77] + "..."
    order = None
    if turn.deps.orders is not None and order_number_:
        try:
            order = await turn.deps.orders.find(order_number_)
        except OrderLookupError as exc:
            logger.warning("order look-up failed: %s", exc)
    if order is not None and order.status == "shipped" and order.carrier:
        return [
            turn.reply(
                "instruction_more_shipped",
                number=number,
                order=order_number_,
                detail=quoted,
                carrier=order.carrier,
                tracking=order.tracking or "-",
            )
        ]
    return [
        turn.reply("instruction_more", number=number, order=order_number_ or "-", detail=quoted)
    ]
