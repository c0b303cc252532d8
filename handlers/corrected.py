"""A corrected order number: "sorry wrong one its W-20391" replaces the order given before."""

from __future__ import annotations

import re
from dataclasses import replace

from handlers.inquiry import ADDRESS, EXPRESS
from handlers.orders import names_order, order_key
from handlers.turn import Turn
from handlers.types import Reply
from nlu import ParseResult

DETAIL = "corrected_order"
# Answers about one order that a corrected number asks again for the right one.
ORDER_ENTRIES = frozenset({EXPRESS, ADDRESS})

# The customer says the number they gave was wrong, in so many words: "wrong one", "typo",
# "打错了", "写错", "输错", "单号发错了", "号码搞错了", "更正一下". ("发错货", "你们搞错了" are
# about the parcel, not the number.)
_CORRECTS = re.compile(
    r"\bwrong (?:one|number|no\.?|order(?: (?:number|no\.?))?|#)|\btypo\b|\bmis-?typed?\b|"
    r"\bcorrect(?:ion| one| number)\b|"
    r"(?:打|写|输|填|说|看)错|(?:单号|订单号|号码|号)(?:发|给|弄|搞|填)错|发错(?:了)?(?:单号|号)|"
    r"更正|纠正",
    re.IGNORECASE,
)
# An apology, "oops", "i mean", "should be", "应该是" corrects only in a message that is little
# more than the number: "oops A-1005", "i mean 88231", "不好意思 是X2026-5531", "是这个 JD884422"
# ("i mean A-1009 hasnt come either and its been weeks" asks about another order).
_SORRY = re.compile(
    r"\b(?:oops|whoops|oopsie|my bad|sorry|soz|sry|actually|no wait|i mean(?:t)?|"
    r"(?:should|shld) (?:have )?(?:be|been|say|said|read)|not (?:that one|this one))\b|"
    r"不好意思|抱歉|是这个|不是这个|不对|应该是",
    re.IGNORECASE,
)
# Words besides the number in such a message; more, and it asks something of its own.
_FEW_WORDS = 6


def corrects(text: str, numbers: list[str]) -> bool:
    """True when the message says the order number given before was wrong."""
    if _CORRECTS.search(text) is not None:
        return True
    if _SORRY.search(text) is None:
        return False
    rest = text
    for number in numbers:
        rest = rest.replace(number, " ")
    rest = _SORRY.sub(" ", rest)
    words = re.findall(r"[A-Za-z']+", rest)
    han = re.findall(r"[\u4e00-\u9fff]", rest)
    return len(words) + len(han) // 2 <= _FEW_WORDS


# The old number named as the wrong one in the same breath: "A-1005 not A-1003",
# "是A-1005不是A-1003", "A-1005 instead of A-1003".
_NEGATED = (
    r"(?:\bnot\b|\binstead of\b|\brather than\b|不是|而不是)\s*(?:order\s*|订单号?\s*)?#?\s*$"
)


def with_corrected_order(parse: ParseResult) -> ParseResult:
    """The message's order numbers without the one it calls wrong ("oops it's A-1005 not
    A-1003"): only the corrected number stays in play."""
    orders = parse.orders
    if len(orders) < 2 or not corrects(parse.text, [e.text for e in orders]):
        return parse
    wrong = {
        e.start
        for e in orders
        if re.search(_NEGATED, parse.text[: e.start], re.IGNORECASE) is not None
    }
    if not wrong or len(wrong) == len(orders):
        return parse
    return replace(parse, entities=tuple(e for e in parse.entities if e.start not in wrong))


def wrong_order(turn: Turn) -> str | None:
    """The order given before that this message corrects, or None: the message says the
    number was wrong and names one order, another than the one in play from earlier turns."""
    orders = turn.parse.orders
    if len(orders) != 1 or not corrects(turn.message.text, [orders[0].text]):
        return None
    before = turn.dialogue.slot("order_number")
    if before is None or order_key(before.value) == order_key(orders[0].value):
        return None
    return before.value


def case_with(turn: Turn, order: str) -> int | None:
    """The open case that has ``order`` on it, the one in play first."""
    numbers = [c.number for c in turn.context.open_cases if names_order(c.summary, order)]
    if turn.dialogue.case in numbers:
        return turn.dialogue.case
    return numbers[-1] if numbers else None


async def on_case(turn: Turn, number: int, wrong: str, right: str) -> list[Reply]:
    """The case's wrong order replaced by the right one, and the customer told so."""
    case = await turn.deps.cases.get(number)
    summary = re.sub(
        rf"^order: {re.escape(wrong)}$", f"order: {right}", case.summary, flags=re.MULTILINE
    )
    await turn.deps.cases.update(number, summary=summary)
    turn.outcome.case = number
    return [turn.reply("order_corrected_on_case", number=number, order=right, wrong=wrong)]
