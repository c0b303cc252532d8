"""The last thing proposed or set going in this conversation: taken back, or done again for
the other order."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from handlers import cancel, context, followups, lost_parcel, products, remedy, returns
from handlers.dialogue import Proposal, Proposed
from handlers.orders import OrderLookupError
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import ANOTHER_ORDER, RETRACT
from nlu import Entity

logger = logging.getLogger(__name__)

# The Reading details (handlers/readings.py): the last thing taken back; done again for the
# other order.
DETAIL = "proposal_withdrawn"
# An exchange proposed turned into a refund ("no exchange, i want my money back").
TO_REFUND = "proposal_to_refund"
AGAIN = "proposal_again"
# A change of mind is about what was proposed this many turns ago at most.
_TURNS = 4

# Taking an exchange, a return or a refund back in so many words: "forget the refund",
# "no exchange then", "don't need the return", "i'll keep it", "the white one is fine",
# "不换了", "换货取消掉", "别退了", "留着吧", "白的也挺好看".
_TAKES_BACK = re.compile(
    r"\b(?:forget|scrap|drop|skip|cancel|withdraw|call off|undo|stop|no need for|"
    r"(?:do ?n'?t|dont|do not) (?:need|want|bother with)|never ?mind)\s+(?:about\s+)?"
    r"(?:the |my |that |this |a )?(?:exchange|swap|return|refund|replacement|send(?:ing)? "
    r"(?:it )?back)\b|"
    r"\b(?:no|not)\s+(?:an? )?(?:exchange|swap|return|refund|replacement)\b|"
    r"\b(?:i'?ll|ill|i will|i'?d rather|gonna|going to|can|let me|just|actually|i wanna|"
    r"i want to)?\s*keep(?:ing)? (?:it|them|the \w+|that one|this one|that|this)\b|"
    r"\b(?:it'?s|its|is|are|looks?|actually) (?:fine|ok|okay|alright|good|nice|not bad)\b|"
    r"\b(?:i|we) (?:like|love) it\b|\bgrown on me\b|"
    r"(?:不|别|不用|不要|甭|先不|还是不)(?:想|用|要|帮我)?(?:换|退)(?:货|款|了|啦)?(?:了)?|"
    r"(?:换货|退货|退款|换新|换)(?:就|还是|的事)?(?:取消|不要|不用|算了|撤回|撤销|作废)|"
    r"(?:取消|撤回|撤销)(?:掉)?(?:换货|退货|退款)|"
    r"留着|自己留|先用着|凑合用|将就用|也(?:挺|还|蛮|很)?(?:好看|好|行|不错|可以)",
    re.IGNORECASE,
)
# The kinds in the customer's own words: the one they name is the one taken back.
_KIND_WORDS = (
    (Proposal.EXCHANGE, re.compile(r"exchange|swap|replacement|换", re.IGNORECASE)),
    (Proposal.RETURN, re.compile(r"return|refund|send(?:ing)? (?:it )?back|退", re.IGNORECASE)),
)
# An exchange or a return asked for: what an answer about the item proposes.
_EXCHANGE = re.compile(
    r"\bexchange|\bswap|\breplac|\bdifferent (?:size|colou?r)|换(?:货|个|一个|成|颜色|尺码|大|小)",
    re.IGNORECASE,
)
_RETURN = re.compile(r"\breturn|\bsend (?:it|them) back|退货|退回|寄回|退掉|退了", re.IGNORECASE)


# What a change of mind takes back here (a cancellation's is handlers/cancel.py's).
_TAKEN_BACK = (Proposal.EXCHANGE, Proposal.RETURN)


def in_play(turn: Turn) -> Proposed | None:
    """The last thing proposed or set going, when it came in the last few turns."""
    proposed = turn.dialogue.proposed
    if proposed is None or turn.dialogue.turn - proposed.turn > _TURNS:
        return None
    return proposed


def remember(turn: Turn, request: Turn, reading: context.Reading, *, before: set[int]) -> None:
    """What a request's answer proposed or set going (``turn.outcome.proposed``): the
    cancellation taken on a case, the replacement or refund chosen, the exchange or the return
    answered; an order named for the one in play goes with it. ``before``: the numbers of the
    cases open before the turn (a case not among them was opened for it)."""
    outcome = turn.outcome
    if reading.detail in (DETAIL, AGAIN, cancel.WITHDRAW):
        return
    kind = _kind(request, reading)
    order = request.order_in_play
    case = outcome.case
    if kind is None:
        current = outcome.proposed or in_play(turn)
        if current is not None and current.order is None and request.parse.orders:
            # "55121" sent for the exchange just answered: the exchange of that order.
            outcome.proposed = Proposed(
                current.kind, order=order, case=current.case or case, opened=current.opened
            )
        return
    current = in_play(turn)
    if (
        reading.detail == returns.DETAIL
        and current is not None
        and current.kind is Proposal.EXCHANGE
        and not _RETURN.search(request.message.text)
    ):
        kind = Proposal.EXCHANGE  # the order of the exchange, answered with its return window
    outcome.withdrawn = False
    outcome.proposed = Proposed(
        kind, order=order, case=case, opened=case is not None and case not in before
    )


def _kind(request: Turn, reading: context.Reading) -> Proposal | None:
    text = request.message.text
    if reading.detail == lost_parcel.CHASE:
        return Proposal.CHASE if request.outcome.case is not None else None
    if reading.intent == cancel.INTENT and reading.detail is None:
        return Proposal.CANCEL if request.outcome.case is not None else None
    if reading.detail == TO_REFUND:
        return Proposal.RETURN  # "no exchange, my money back": a return now
    if reading.detail == context.REMEDY:
        return Proposal.RETURN if context.chosen_remedy(text) == "refund" else Proposal.EXCHANGE
    if reading.entry == products.EXCHANGE_ENTRY:
        return Proposal.EXCHANGE
    if reading.intent not in ("ask_returns_refunds", "complaint"):
        return None
    if _EXCHANGE.search(text):
        return Proposal.EXCHANGE
    if reading.detail == returns.DETAIL or reading.entry in (returns.USED, returns.POLICY):
        return Proposal.RETURN
    if _RETURN.search(text) and reading.intent == "ask_returns_refunds":
        return Proposal.RETURN
    return None


def switches_to_refund(turn: Turn) -> bool:
    """True for "no exchange actually, i want my money back", "我不要换货了 我要退款" with an
    exchange proposed (no case yet): the same return, the money back instead of a new one;
    not the exchange withdrawn with nothing sent back, nor how refunds reach a wallet."""
    proposed = in_play(turn)
    if proposed is None or proposed.kind is not Proposal.EXCHANGE or proposed.case is not None:
        return False
    text = turn.message.text
    return not context.DEFECT.search(text) and context.chosen_remedy(text) == "refund"


async def to_refund(turn: Turn) -> list[Reply]:
    """The exchange dropped for a refund: said so, then that order's return (its window, how,
    when the money comes), or the returns policy with no order in play."""
    return [turn.reply("exchange_to_refund"), *await returns.answer(turn)]


def withdraws(turn: Turn) -> bool:
    """True for "actually keep it, the white one is fine", "forget the refund", "白的也挺好看
    不换了", "换货取消掉", "算了" with an exchange or a return proposed in the last turns: that
    one taken back (a cancellation's is handled by handlers/cancel.py)."""
    proposed = in_play(turn)
    if proposed is None or proposed.kind not in _TAKEN_BACK:
        return False
    split = then_asks(turn)
    if split is None:
        text = turn.message.text
        if proposed.case is not None and context.chosen_remedy(text) is not None:
            # "算了 不换了 直接退款吧" with the replacement on a case: the choice changed
            # there, the earlier one replaced (handlers/remedy.py).
            return False
        if proposed.case is None and returns.keeps_it(turn):
            return False  # "nevermind ill keep it" after the returns answer (returns.kept)
        return _takes_back(text, proposed, alone=True)
    return _takes_back(split[0], proposed, alone=False)


def _takes_back(text: str, proposed: Proposed, *, alone: bool) -> bool:
    if context.DEFECT.search(text):
        return False  # "keep it? it's broken": a fault, not a change of mind
    named = [kind for kind, words in _KIND_WORDS if words.search(text)]
    if named and proposed.kind not in named and _TAKES_BACK.search(text):
        return False  # "forget the refund" when an exchange was the last: not this one
    if _TAKES_BACK.search(text):
        return True
    # "算了", "never mind": only when that is about all the message says ("and don't bother
    # sending me another canned message" takes back nothing).
    return RETRACT.search(text) is not None and context.length(text) <= (4 if alone else 6)


# Where a change of mind may end and a request begin: a comma or a stop, "just", "but",
# "instead", "can you", a space between Chinese words ("算了 再等等 帮我催一下快递").
_PIECES = re.compile(
    r"[,，;；。!！]+|\.\s+|\s+(?=(?:just|but|and|instead|please|pls|can you|could you|"
    r"send|ship)\b)|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])",
    re.IGNORECASE,
)


def resends_instead(turn: Turn) -> bool:
    """True for "just send the right one", "给我补发一个" right after this message took a return
    or an exchange back ("forget the refund, just send the right one"): the replacement
    chosen instead (a case opened for it), not feedback nor a plain complaint."""
    return turn.outcome.withdrawn and remedy.asks_to_send(turn.message.text)


def then_asks(turn: Turn) -> tuple[str, str] | None:
    """(the change of mind, the request after it) for "forget the refund, just send the right
    one", "算了 再等等 帮我催一下快递" with an exchange or a return in play: two requests, the
    first taking it back; None otherwise."""
    proposed = in_play(turn)
    if proposed is None or proposed.kind not in _TAKEN_BACK:
        return None
    parts = [p.strip() for p in _PIECES.split(turn.message.text) if p and p.strip()]
    if len(parts) < 2:
        return None
    # The pieces that each take it back, from the start ("算了", "再等等"); the rest asks.
    taken = 0
    while taken < len(parts) and _takes_back(parts[taken], proposed, alone=False):
        taken += 1
    if taken == 0:
        return None
    lead, rest = " ".join(parts[:taken]), " ".join(parts[taken:])
    if _takes_back(rest, proposed, alone=True) or context.length(rest) < 2:
        return None  # all of it takes back ("不换了 白的也挺好看"): one request
    if proposed.case is not None and context.chosen_remedy(rest) is not None:
        # "算了 直接退款吧" with the replacement on a case: the choice changed there.
        return None
    return lead, rest


async def withdraw(turn: Turn) -> list[Reply]:
    """The exchange or the return taken back: said so, its case closed when it was opened for
    it (else the change noted there), and nothing more set going for it."""
    proposed = in_play(turn)
    if proposed is None:
        return [turn.reply("help")]
    turn.outcome.withdrawn = True
    turn.outcome.proposed = None
    item = await _item(turn, proposed.order)
    kind = proposed.kind.value
    what = turn.say(f"proposal_{kind}_item", item=item) if item else turn.say(f"proposal_{kind}")
    if proposed.order is not None:
        turn.outcome.slots["order_number"] = proposed.order
    case = None
    if proposed.case is not None:
        case = next((c for c in turn.context.open_cases if c.number == proposed.case), None)
    if case is None:
        return [turn.reply("proposal_withdrawn", what=what)]
    line = f"{what.capitalize()} withdrawn by the customer: {turn.message.text.strip()}"
    await turn.deps.cases.add_note(case.number, author="bot", text=line)
    turn.outcome.case = case.number
    if proposed.opened and case.owner is None:
        # Opened only for it: closed, so nobody sends a label or a new one.
        await turn.deps.cases.close(case.number)
        return [turn.reply("proposal_withdrawn_closed", what=what, number=case.number)]
    return [turn.reply("proposal_withdrawn_noted", what=what, number=case.number)]


async def _item(turn: Turn, number: str | None) -> str:
    """What the order holds, to say it is kept ("the juicer"); "" when unknown."""
    if number is None or turn.deps.orders is None:
        return ""
    try:
        order = await turn.deps.orders.find(number)
    except OrderLookupError as exc:
        logger.warning("order look-up failed: %s", exc)
        return ""
    return order.items if order is not None else ""


# The same again for another order: "the other order too", "same for 55121", "还有一个订单也是",
# "另一个也一样", "两个都要".
_SAME = re.compile(
    r"\b(?:same|too|as well|also|likewise|both)\b|一样|同样|也是|也要|"
    r"也(?:帮我|给我)?(?:取消|退|换|催)|都(?:要|取消|退|换|催)|两个都|俩都",
    re.IGNORECASE,
)
# Asking where it is, not for the same done: "does the other one ship friday too".
_WHERE_OR_WHEN = re.compile(
    r"\b(?:when|where|status|arriv\w*|track\w*|come|coming)\b|多久|几天|啥时候|什么时候|哪天|到哪|到了",
    re.IGNORECASE,
)
# The longest such request (words, or two ideographs each).
_SAME_WORDS = 10
# The intent each kind is done again as.
_INTENTS = {
    Proposal.CANCEL: cancel.INTENT,
    Proposal.EXCHANGE: "ask_returns_refunds",
    Proposal.RETURN: "ask_returns_refunds",
    Proposal.CHASE: "complaint",
}


def again_for(turn: Turn) -> tuple[Proposed, str] | None:
    """(what was last set going, the other order) for "the other order too", "same for
    55121", "还有一个订单也是" after the customer named two orders: the same done for that
    one; None when the message asks something else or no other order is known."""
    proposed = in_play(turn)
    text = turn.message.text
    if proposed is None or proposed.order is None or _SAME.search(text) is None:
        return None
    if context.length(text) > _SAME_WORDS or _WHERE_OR_WHEN.search(text):
        return None
    if context.DEFECT.search(text) or context.ADDRESS_SHAPE.search(text):
        return None
    named = [e.value for e in turn.parse.orders if e.value != proposed.order]
    if named:
        return proposed, named[0]
    if not (ANOTHER_ORDER.search(text) or context.OTHER_ONE.search(text) or "both" in text):
        return None
    others = [o for o in followups.orders_in_play(turn.dialogue) if o != proposed.order]
    return (proposed, others[-1]) if len(others) == 1 else None


def again_intent(proposed: Proposed) -> str:
    """The intent the same thing done again for another order is acted on as."""
    return _INTENTS[proposed.kind]


async def again(turn: Turn) -> list[Reply]:
    """The last thing set going, done for the other order as if asked for it by number (the
    cancellation from where that order is, the chase on a case, the return's window)."""
    found = again_for(turn)
    if found is None:
        return [turn.reply("help")]
    proposed, other = found
    entity = Entity("order_number", other, 0, 0, "", source="orders")
    kept = tuple(e for e in turn.parse.entities if e.kind != "order_number")
    request = replace(turn, parse=replace(turn.parse, entities=(*kept, entity)))
    turn.outcome.slots["order_number"] = other
    if proposed.kind is Proposal.CANCEL:
        replies = await cancel.cancel_order(request)
    elif proposed.kind is Proposal.CHASE:
        replies = await lost_parcel.chase(request)
    else:
        replies = await returns.answer(request)
    turn.outcome.proposed = replace(proposed, order=other, case=turn.outcome.case)
    return replies
