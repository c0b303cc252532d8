"""Customers asking about their own case: its number, status, owner, what happens next, when."""

from __future__ import annotations

import re
from datetime import timedelta

from crm_memory import Case, CaseStatus
from handlers import escalation
from handlers.greeting import case_about, case_kind, case_status_line
from handlers.hours import when_words
from handlers.turn import Turn
from handlers.types import Reply

CASE_STATUS = "ask_case_status"
# "how much longer?", "还要多久": the customer wants a time, not the status again.
HOW_LONG = re.compile(
    r"how (?:much )?long|how much longer|\bwhen\b|how soon|\beta\b|what time|"
    r"多久|多长时间|什么时候|啥时候|几点|几天|还要等|要等到",
    re.IGNORECASE,
)


def ago(delta: timedelta, language: str) -> str:
    """``25 minutes`` / ``3 hours`` / ``2 days`` (``25 分钟`` ...): how long a case has waited."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        amount, unit = max(minutes, 1), ("minute", "分钟")
    elif minutes < 48 * 60:
        amount, unit = minutes // 60, ("hour", "小时")
    else:
        amount, unit = minutes // (24 * 60), ("day", "天")
    if language == "zh":
        return f"{amount} {unit[1]}"
    return f"{amount} {unit[0]}{'' if amount == 1 else 's'}"


async def current_case(turn: Turn) -> Case | None:
    """The open case the conversation is about: one this very message opened (an earlier
    request in it), the one in play, else the newest open one."""
    if turn.outcome.case is not None:
        case = await turn.deps.cases.get(turn.outcome.case)
        if case.status is not CaseStatus.CLOSED:
            return case
    cases = sorted(turn.context.open_cases, key=lambda c: c.opened_at, reverse=True)
    in_play = turn.dialogue.case
    return next((c for c in cases if c.number == in_play), cases[0] if cases else None)


async def case_status(turn: Turn) -> list[Reply]:
    """The case's number, status and age, and what happens next, from the case itself."""
    case = await current_case(turn)
    if case is None:
        past = [
            c
            for c in await turn.deps.cases.for_customer(turn.customer_id)
            if c.status is CaseStatus.CLOSED
        ]
        if past:
            last = max(past, key=lambda c: c.opened_at)
            about = case_about(turn, last)
            return [turn.reply("case_none_open_last", number=last.number, reason=about)]
        return [turn.reply("case_none")]
    turn.outcome.case = case.number
    now = turn.deps.clock()
    if HOW_LONG.search(turn.message.text):
        return estimate(turn, case)
    if CASE_STATUS in turn.dialogue.intents:
        # Asked again straight after the answer: not the same block again. A young case
        # gets what happens next; one that has waited, an apology and the next step.
        if now - case.opened_at < timedelta(hours=1):
            key = "case_next_waiting" if case.escalated_at is not None else "case_next_review"
            return [Reply(f"{turn.say('case_ref', number=case.number)} {turn.say(key)}")]
        if case.escalated_at is None and case.status is not CaseStatus.ASSIGNED:
            return [turn.offer_human("case_still_waiting_offer", number=case.number)]
        return [turn.reply("case_still_waiting", number=case.number)]
    lines = [
        case_status_line(turn, case),
        turn.say("case_age", ago=ago(now - case.opened_at, turn.language)),
    ]
    if case.status is CaseStatus.ASSIGNED:
        lines.append(turn.say("case_next_assigned", agent=case.owner or ""))
    elif case.escalated_at is not None:
        hours = turn.deps.hours
        if hours is not None and not hours.is_open(now):
            lines.append(turn.say("case_next_closed", when=escalation.back_at(turn)))
        else:
            lines.append(turn.say("case_next_waiting"))
    elif now - case.opened_at > timedelta(days=1):
        # Past the one working day we promise: say so, and offer a person now.
        lines.append(turn.say("case_next_overdue"))
        return [turn.offer_human("case_status_lines", lines="\n".join(lines))]
    else:
        lines.append(turn.say("case_next_review"))
    return [Reply("\n".join(lines))]


def estimate(turn: Turn, case: Case) -> list[Reply]:
    """How much longer: from the business hours and how long the case has waited, not the
    status again. A case past the one working day we aim for gets an apology and a person."""
    now, hours = turn.deps.clock(), turn.deps.hours
    waited = ago(now - case.opened_at, turn.language)
    ref = turn.say("case_ref", number=case.number)
    if case.status is CaseStatus.ASSIGNED:
        return [Reply(f"{ref} {turn.say('case_next_assigned', agent=case.owner or '')}")]
    if case.escalated_at is not None:
        if hours is not None and not hours.is_open(now):
            when = when_words(hours, hours.next_open(now), now, turn.language)
            return [turn.reply("case_eta_away", number=case.number, when=when, ago=waited)]
        return [turn.reply("case_eta_queue", number=case.number, ago=waited)]
    day = hours.working_day() if hours is not None else timedelta(days=1)
    due = hours.after_working(case.opened_at, day) if hours is not None else case.opened_at + day
    if due <= now:
        return [turn.offer_human("case_eta_overdue", number=case.number, ago=waited)]
    when = when_words(hours, due, now, turn.language)
    replies = [turn.reply("case_eta", number=case.number, when=when, ago=waited)]
    if case_kind(case) == "payment":
        replies.append(turn.reply("payment_check_next"))  # and how the money comes back
    return replies
