"""The free return label of an open case asked after ("has the label come yet? i dont see any
email", "退货面单发了吗 邮箱里没看到"): how and when it comes, and the wait noted for the team."""

from __future__ import annotations

import re

from handlers.cases import AUTHOR, current_case
from handlers.remedy import item_case_open
from handlers.turn import Turn
from handlers.types import Reply

# The Reading detail (handlers/readings.py, routed in handlers/dispatcher.py).
DETAIL = "return_label"
# The label named: "label", "lable", "return slip", "面单", "退货单".
_LABEL = re.compile(r"\b(?:labels?|lables?|return slip|shipping slip)\b|面单|退货单", re.I)
# ...asked after: come yet, sent, where, not in the inbox ("i dont see any email", "没看到").
_AFTER = re.compile(
    r"\b(?:yet|come|came|coming|arrive\w*|sent|send|get|got|where|wheres|received|see|seen|"
    r"e-?mail|inbox|spam|when)\b|发了|发过|到了|收到|没看到|没见|在哪|啥时候|什么时候|多久|还没",
    re.IGNORECASE,
)


def asks(turn: Turn) -> bool:
    """True when, with a faulty, wrong or incomplete item's case open, the customer asks
    after its return label (not how returns work in general, which the FAQ answers)."""
    text = turn.message.text
    if _LABEL.search(text) is None or _AFTER.search(text) is None:
        return False
    return item_case_open(turn)


async def answer(turn: Turn) -> list[Reply]:
    """The label comes by e-mail from the team, usually within a working day of the case;
    the customer's wait is noted on the case so the team sees it."""
    case = await current_case(turn)
    if case is None:
        return [turn.reply("return_label_no_case")]
    turn.outcome.case = case.number
    await turn.deps.cases.add_note(
        case.number,
        author=AUTHOR,
        text=f"The customer is waiting for the return label: {turn.message.text.strip()}",
    )
    return [turn.reply("return_label_pending", number=case.number)]
