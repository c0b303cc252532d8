"""A question asked while a case is open: answered, not filed as more detail for the case.

With a case open, customers ask about it and around it: "what if it's already shipped",
"要是已经发货了呢", "why cant u just cancel it for me", "so nobody till monday?? great",
"can i just keep them and get the headphones as well", "那要是我不想寄回去咋办". Each gets an
answer: from the case when it asks when or what next (its status, the team's hours), from
the knowledge base when that knows it; otherwise what only a person can decide is said to be
theirs, and the question is noted on the case (a note of its own) so they answer it.
Details about the problem ("it's leaking from the bottom too") still go on the case: they are
no question.
"""

from __future__ import annotations

import re

from crm_memory import Case
from handlers import escalation
from handlers.cases import asks_how_long_for, asks_owner, case_status, current_case, waiting_line
from handlers.context import (
    DEFECT,
    Reading,
    about_the_case,
    asks_for_a_case,
    states_preference,
)
from handlers.inquiry import knows
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply
from nlu import FALLBACK

INTENT = "case_question"
AUTHOR = "bot"
# What the engine reads a question around an open case as, when its words fit no topic
# well: the problem again, a remark, or the nearest FAQ topic at a low confidence.
_MISREAD = {FALLBACK, "complaint", "feedback_negative", "feedback_positive", "affirm", "deny"}
_SURE = 0.6
# Read so, a question is answered already: the case's status and owner, a person.
_ANSWERED_SO = {"ask_case_status", "request_human"}
# "what if it's already shipped", "要是已经发货了呢": a case supposed, not the case's status.
_WHAT_IF = re.compile(r"\bwhat if\b|\bsuppose\b|要是|如果|万一|假如", re.IGNORECASE)
# Asking leave for something ("can i just keep them", "能不能我留着"): a decision, not the
# case's status.
_MAY_I = re.compile(
    r"^(?:(?:so|ok|okay|and|but|well)[\s,]+)*(?:can|could|may)\s+(?:i|we|you|u)\b|"
    r"\bam i (?:allowed|able) to\b|能不能|可不可以|行不行|可以.{0,12}吗",
    re.IGNORECASE,
)
# Keeping what they have: "can i just keep it", "我留着", "不退回".
_KEEPS = re.compile(r"\bkeep(?:ing)?\b|留着|留下|不(?:用)?(?:寄|退)回", re.IGNORECASE)
# When the team gets to it: "nobody till monday?", "today?", "周末有人吗", "要等到周一吗".
_WHEN = re.compile(
    r"\b(?:till|until|til|before|by)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|"
    r"\b(?:today|tonight|tomorrow|this week|the weekend|weekend|nobody|no one|anyone)\b|"
    r"周[一二三四五六日末天]|礼拜|星期|今天|明天|有人(?:处理|管|看)?吗|没人",
    re.IGNORECASE,
)


# The item said (or supposed) to be on its way back already: "what if the courier already
# has it", "i already posted it back, is that ok?", "要是快递已经取走了呢", "我已经寄回去了咋办".
_ALREADY_SENT = re.compile(
    r"\b(?:already|just)\b.{0,25}\b(?:sent|posted|shipped|mailed|dropped (?:it )?off|handed|"
    r"gave|given)\b|\b(?:courier|driver|carrier|postman|ups|dhl|dpd|fedex)\b.{0,12}\b(?:already )?"
    r"(?:has|had|took|taken|picked|collected)\b|\b(?:with|out with) the (?:courier|carrier|post)\b|"
    r"(?:已经|都|早就)(?:寄|发|交给快递|给快递|被快递|让快递)|快递(?:已经|都|早就)?(?:取走|拿走|收走|揽收)",
    re.IGNORECASE,
)
# The case kinds whose item goes back to us with a label: a fault, a wrong item.
_SENT_BACK_KINDS = ("faulty", "wrong")
ALREADY_SENT = "case_already_sent"


def asks_already_sent(turn: Turn, case_kind_of: str | None) -> bool:
    """True when, with a faulty or wrong item's case open, the customer asks about (or
    supposes) the item already on its way back, before the label: what to do with that."""
    text = turn.message.text
    if case_kind_of not in _SENT_BACK_KINDS or turn.parse.orders or DEFECT.search(text):
        return False
    if _ALREADY_SENT.search(text) is None:
        return False
    return _WHAT_IF.search(text) is not None or is_question(text, form=True)


async def already_sent(turn: Turn) -> list[Reply]:
    """The item already on its way back: fine; its tracking asked for the case (the question
    noted on it), and the remedy goes ahead once it reaches us."""
    case = await current_case(turn)
    if case is None:
        return await escalation.fallback(turn)
    await turn.deps.cases.add_note(
        case.number,
        author=AUTHOR,
        text=f"The customer says the item may already be on its way back: {turn.message.text}",
    )
    turn.outcome.case = case.number
    return [turn.reply("case_already_sent", number=case.number)]


def asks(turn: Turn, *, has_open_case: bool, read_as: Reading) -> bool:
    """True for a question, with a case open, that the conversation's context could not
    place (``read_as``, what ``context.read`` made of it): taken for the problem again or a
    remark, or left to the engine's unsure guess. Not the problem told again (a defect, an
    order number), not a case asked for, not a choice made ("i'd rather have a refund")."""
    text = turn.message.text
    if not has_open_case or not is_question(text, form=True):
        return False
    parse = turn.parse
    guessed = (
        read_as.intent == parse.intent
        and parse.confidence < _SURE
        and read_as.question is None
        and read_as.detail is None
        and read_as.entry is None
        and not read_as.follow_up
    )
    # Leave asked for that no answer of ours covers ("can i just keep the earbuds and get
    # refunded the difference?"): for the team to decide, whatever topic its words are near.
    unanswered_leave = _MAY_I.search(text) is not None and turn.deps.knowledge.find(text) is None
    # "what if i already opened the box tho" with a wrong item's case open: a case supposed,
    # answered beside where the case stands, whatever FAQ entry its words name.
    supposed = _WHAT_IF.search(text) is not None and read_as.question is not None
    if read_as.intent in _ANSWERED_SO or (
        read_as.intent not in _MISREAD and not guessed and not unanswered_leave and not supposed
    ):
        return False
    return not (
        parse.orders
        or DEFECT.search(text)
        or asks_for_a_case(text)
        or states_preference(text) is not None
    )


async def answer(turn: Turn) -> list[Reply]:
    """The answer to a question asked with a case open: the case's status for when and what
    next, the knowledge base's answer, else who decides, with the question noted for them."""
    case = await current_case(turn)
    if case is None:
        return await escalation.fallback(turn)
    text = turn.message.text
    hypothetical = _WHAT_IF.search(text) is not None or _MAY_I.search(text) is not None
    if _WHEN.search(text) or (
        not hypothetical
        and (about_the_case(turn) or asks_how_long_for(text, case) or asks_owner(text))
    ):
        turn.outcome.intents[-1:] = ["ask_case_status"]
        if _WHEN.search(text) and escalation.team_away(turn):
            # "so nobody till monday??": when the team is back, said first.
            turn.outcome.case = case.number
            ref = turn.say("case_ref", number=case.number)
            closed = turn.say("case_next_closed", when=escalation.back_at(turn))
            return [Reply(f"{ref} {closed}")]
        return await case_status(turn)
    knowledge = turn.deps.knowledge
    entry = knowledge.find(text)
    if entry is not None and _KEEPS.search(text) and not _KEEPS.search(entry.answer("en")):
        # "can i just keep it and get a new tray sent as well": keeping what they have is for
        # the team to decide; an answer that says nothing of keeping (the faulty one goes back
        # first) is no answer to it.
        entry = None
    topic = turn.dialogue.topic
    if entry is None and hypothetical and topic is not None and knows(turn, topic):
        # "要是已经发货了呢" after a cancellation: what the topic's answer says of that case.
        entry = knowledge.find(text, intent=topic)
    if entry is not None:
        turn.outcome.intents[-1:] = [entry.intent]
        if hypothetical:
            # The case supposed is about their problem: the answer, and the case goes on.
            ref = turn.say("case_ref", number=case.number)
            return [Reply(f"{entry.answer(turn.language)}\n{ref} {waiting_line(turn, case)}")]
        return [Reply(entry.answer(turn.language))]
    return await _for_the_team(turn, case)


async def _for_the_team(turn: Turn, case: Case) -> list[Reply]:
    """Only a person can say: that, the question noted on the case, and when they are in."""
    await turn.deps.cases.add_note(
        case.number, author=AUTHOR, text=f"Customer asks: {turn.message.text.strip()}"
    )
    turn.outcome.case = case.number
    noted = turn.say("case_question_noted", number=case.number)
    return [Reply(f"{noted} {waiting_line(turn, case)}")]
