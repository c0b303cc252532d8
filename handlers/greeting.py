"""Greetings, goodbyes, thanks and yes/no: personal, from the customer's history."""

from __future__ import annotations

from crm_memory import Case, CaseStatus
from handlers import survey
from handlers.segments import AT_RISK
from handlers.turn import Turn
from handlers.types import Reply

LOW_RATING = 2


def case_status_line(turn: Turn, case: Case) -> str:
    """``Your case #7 (damaged kettle) is being handled by Maria.``"""
    if case.status is CaseStatus.ASSIGNED:
        status = turn.say("status_assigned", agent=case.owner or "")
    else:
        status = turn.say(f"status_{case.status.value}")
    return turn.say("open_case_status", number=case.number, reason=case.reason, status=status)


def is_returning(turn: Turn) -> bool:
    """True when the customer wrote to us before this message."""
    return not turn.context.is_new and len(turn.context.recent) > 1


def in_conversation(turn: Turn) -> bool:
    """True when this message continues a conversation already going on (no welcome then)."""
    if turn.context.is_new:
        return False
    current = turn.conversation_id
    return current is not None and any(
        m.conversation_id == current and m.id != turn.message_record for m in turn.context.recent
    )


async def greet(turn: Turn) -> list[Reply]:
    """Welcome new customers with what the bot can do; welcome back returning ones by name,
    with their open cases' status and an apology after a low rating. Inside a conversation,
    a short hello: no second welcome."""
    if in_conversation(turn):
        if turn.context.open_cases:  # "hello??" while waiting: where the case stands
            lines = [case_status_line(turn, case) for case in turn.context.open_cases]
            return [Reply("\n".join(lines))]
        return [turn.reply("greet_again", name=turn.name)]
    if not is_returning(turn):
        return [Reply(turn.say("greet_new", name=turn.name, company=turn.deps.company))]
    # A softer welcome after a bad rating, or for anyone whose recent contact went badly.
    low = turn.context.last_csat is not None and turn.context.last_csat <= LOW_RATING
    if low:
        key = "greet_back_sorry"
    elif turn.context.customer.segment == AT_RISK:
        key = "greet_back_at_risk"
    else:
        key = "greet_back"
    lines = [turn.say(key, name=turn.name)]
    lines += [case_status_line(turn, case) for case in turn.context.open_cases]
    lines.append(turn.say("how_can_i_help"))
    return [Reply("\n".join(lines))]


async def bot_identity(turn: Turn) -> list[Reply]:
    """ "Are you a bot?": yes, and a person is one message away."""
    return [turn.reply("bot_identity", company=turn.deps.company)]


async def chitchat(turn: Turn) -> list[Reply]:
    """Small talk: a friendly word, then back to what the bot is for."""
    return [turn.reply("chitchat")]


async def detail_after_answer(turn: Turn) -> list[Reply]:
    """A detail after an answer ("the new one is anna@example.com") the bot cannot act on:
    where the customer does it, or a person who will."""
    turn.outcome.unresolved = True
    return [turn.offer_human("detail_after_answer")]


async def help_(turn: Turn) -> list[Reply]:
    return [turn.reply("help")]


async def goodbye(turn: Turn) -> list[Reply]:
    return [turn.reply("goodbye", name=turn.name), *await survey.offer_bot_rating(turn)]


async def thanks(turn: Turn) -> list[Reply]:
    return [turn.reply("thanks_reply"), *await survey.offer_bot_rating(turn)]


async def acknowledge(turn: Turn) -> list[Reply]:
    """ "ok", "k", "好的" after an answer, with nothing asked: a short nod, not a new topic."""
    return [turn.reply("ack")]


async def deny(turn: Turn) -> list[Reply]:
    return [turn.reply("deny_ack")]
