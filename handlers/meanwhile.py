"""What to do meanwhile, asked with a case open: advice for its situation, and where it stands.

"so what do i do now", "should i go ask the neighbours?", "要不要我自己去找找", "我这几天该干嘛"
with a case open asks what is theirs to do while our team works on it. The answer depends on
what the case is about: a parcel marked delivered but not there (where to look, whom to ask,
the carrier's photo; a neighbour who is out), a late parcel (the tracking, nothing else), a
faulty item (stop using it, keep it and its parts), a wrong item (keep it unused, no sending
back before the label), a missing part (the packaging once more), a charge (not to pay again,
the statement line). Then where the case stands, so the customer knows it goes on without
them.
"""

from __future__ import annotations

import re

from crm_memory import Case
from handlers import escalation, lost_parcel, next_step
from handlers.cases import HOW_LONG, current_case, options, waiting_line
from handlers.clauses import ideographs
from handlers.context import DEFECT, asks_for_a_case
from handlers.greeting import case_kind
from handlers.questions import is_question
from handlers.timing import asks_when
from handlers.turn import Turn
from handlers.types import Reply

DETAIL = "case_meanwhile"

# What the customer asks to do themselves, in the ways people write it: "what should i do
# meanwhile", "should i go knock on the neighbours", "do i need to call the courier", "is there
# anything i can do", "要不要我自己去找找", "我要不要联系快递", "我是不是得等着", "这几天我该干嘛".
_MY_PART = re.compile(
    r"\bwh?at (?:should|shall|can|do|must) (?:i|we|u)\s+(?:\w+\s+){0,2}?do\b|"
    r"\b(?:should|shall|must) (?:i|we)\b(?!\s+(?:get|have|receive|expect)\b)|"
    r"\b(?:do|would) (?:i|we) (?:need|have) to\b|\bam i (?:supposed|meant|expected) to\b|"
    r"\b(?:is there )?anything (?:i|we) (?:can|could|should|need to|have to) do\b|"
    r"\b(?:meanwhile|in the meantime|for now)\b.{0,20}\?|\bwh?at (?:now|next)\b|\bnow what\b|"
    r"要不要我|我要不要|我(?:是不是|需不需要|用不用|该不该|要不)(?:要|得|该|去)?|"
    r"我(?:该|应该|需要|得|能|可以)(?:做|干|怎么|咋)|我(?:能|可以)做(?:点)?(?:什么|啥)|"
    r"(?:这|那)(?:期间|段时间|几天|两天|阵子)我|我(?:这|那)(?:期间|段时间|几天|两天|阵子)(?:该|要|能|得)|"
    r"我自己(?:去)?(?:找|问|查|联系|打)|"
    r"现在(?:该)?(?:怎么办|咋办|咋整)|(?:那|所以)(?:我)?(?:该|应该)?(?:怎么办|咋办|咋整)|"
    r"(?:那)?我(?:就)?(?:只能)?(?:干等|等着)(?:吗|么|呗|啊|[?？])",
    re.IGNORECASE,
)
# A neighbour who took it (or may have) is out: "the neighbour isnt home", "no one answers next
# door", "邻居不在家", "隔壁没人".
_NEIGHBOUR_OUT = re.compile(
    r"\b(?:neighbou?rs?|next door)\b.{0,30}\b(?:not (?:home|in|there|answering)|isn'?t (?:home|in|"
    r"there)|isnt (?:home|in|there)|aren'?t (?:home|in)|away|out|no answer|didn'?t answer|"
    r"not answering)\b|\b(?:neighbou?rs?|next door)\b.{0,20}\bno ?(?:one|body)(?:'?s| is)? "
    r"(?:home|in|there|answer\w*)\b|"
    r"\bno ?(?:one|body) (?:is )?(?:home |in )?(?:next door|at the neighbou?rs?)\b|"
    r"(?:邻居|隔壁)(?:家)?.{0,6}(?:不在|没人|没在|出门|外出|没回|不开门)",
    re.IGNORECASE,
)
# The situations advice is written for (responses.yml ``meanwhile_<situation>``).
_SITUATIONS = {
    "late": "late",
    "faulty": "faulty",
    "wrong": "wrong",
    "missing": "missing",
    "payment": "payment",
}


def asks(turn: Turn, *, has_open_case: bool) -> bool:
    """True when, with a case open, the customer asks what they should do themselves, not a
    fault told, an order named, a case or a person asked for."""
    text = turn.message.text
    if not has_open_case or turn.parse.orders or DEFECT.search(text):
        return False
    if asks_for_a_case(text) or escalation.asks_for_person(text):
        return False
    if HOW_LONG.search(text) or asks_when(text):
        return False  # "so how long am i supposed to wait": the wait, answered as such
    if next_step.asks(text):
        return True
    if _MY_PART.search(text) is None:
        return False
    # (Chinese says it asks by its words, "要不要", "该干嘛", with no mark; English by its form.)
    return is_question(text) or "?" in text or ideographs(text) > 0


def situation(turn: Turn, case: Case) -> str:
    """What the case is about, as far as advice goes: delivered (marked so, not there), late,
    faulty, wrong, missing, payment, or other."""
    if lost_parcel.case_marked_delivered(case):
        return "delivered"
    return _SITUATIONS.get(case_kind(case), "other")


def advice(turn: Turn, case: Case, *, searched: bool = False) -> str:
    """The practical advice for the case's situation (a neighbour who is out, said first);
    once the customer has looked where a parcel marked delivered could be, not where to look
    again but that nothing more is theirs to do."""
    said = situation(turn, case)
    lines = []
    if said == "delivered" and _NEIGHBOUR_OUT.search(turn.message.text):
        lines.append(turn.say("meanwhile_neighbour_out"))
    if said == "delivered" and searched:
        lines.append(turn.say("meanwhile_delivered_searched"))
    else:
        lines.append(turn.say(f"meanwhile_{said}"))
    return " ".join(lines)


async def answer(turn: Turn) -> list[Reply]:
    """Advice for what the customer can do while the case is worked on, and where it stands."""
    case = await current_case(turn)
    if case is None:
        return await escalation.fallback(turn)
    turn.outcome.case = case.number
    searched = _NEIGHBOUR_OUT.search(turn.message.text) is not None
    text = advice(turn, case, searched=searched)
    chosen = await options(turn, case)
    if chosen is not None:
        # A faulty, wrong or missing item: its options (or the one chosen) and where the case
        # stands first, then what to do with the item meanwhile.
        return [Reply(f"{chosen.text}\n{text}", buttons=chosen.buttons)]
    ref = turn.say("case_ref", number=case.number)
    return [Reply(f"{text}\n{ref} {waiting_line(turn, case)}")]


async def with_advice(turn: Turn, replies: list[Reply]) -> list[Reply]:
    """The replies to where the customer looked for a parcel marked delivered ("neighbour's
    out too, what now"), and, when the message also asks what to do, the advice after them."""
    if not asks(turn, has_open_case=True):
        return replies
    case = await current_case(turn)
    if case is None:
        return replies
    return [*replies, Reply(advice(turn, case, searched=True))]
