"""Customers asking about their own case: its number, status, owner, what happens next, when."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from crm_memory import Case, CaseStatus, Priority
from handlers import escalation, inquiry
from handlers.agents import close_for_rating, display_name
from handlers.catalogue import CatalogueError, Product
from handlers.context import (
    DEFECT,
    chosen_remedy,
    delivered_not_received,
    length,
    says_not_received,
)
from handlers.dialogue import Question, Told
from handlers.greeting import ORDER_LINE, case_about, case_kind, case_status_line, only_missing
from handlers.hours import when_words
from handlers.orders import OrderLookupError, names_order
from handlers.questions import is_question
from handlers.sla import working_time
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import ASKS_WHEN, REFUND_WORDS, VENTING
from nlu.sentiment import is_sarcastic, names_a_problem

CASE_STATUS = "ask_case_status"
# Set when a message raised the open case's priority: a complaint said in the same message
# ("催一下 我要投诉") is already on the case (handlers/complaint.py says it once).
HURRIED = "case_hurried_now"
# "how much longer?", "还要多久": the customer wants a time, not the status again.
HOW_LONG = re.compile(
    ASKS_WHEN.pattern + r"|how soon|\beta\b|what time|几点|还要等|要等到", re.IGNORECASE
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


async def case_for_order(turn: Turn, order: str | None) -> Case | None:
    """The open case a trouble with ``order`` goes on: the current case, unless that case is
    about another order (this order's trouble then gets a case of its own: None)."""
    case = await current_case(turn)
    if (
        case is not None
        and order is not None
        and ORDER_LINE.search(case.summary)
        and not names_order(case.summary, order)
    ):
        return None
    return case


async def bot_identity(turn: Turn) -> list[Reply]:
    """ "Are you a bot?": yes, and a person is one message away; with a case open, who has
    it (the agent, else the team), said once, rather than the case's status."""
    case = await current_case(turn)
    if case is None:
        return [turn.reply("bot_identity", company=turn.deps.company)]
    if case.owner:
        return [
            turn.reply(
                "bot_identity_case_owner",
                company=turn.deps.company,
                number=case.number,
                agent=display_name(case.owner),
            )
        ]
    return [turn.reply("bot_identity_case", company=turn.deps.company, number=case.number)]


async def case_status(turn: Turn) -> list[Reply]:
    """The case's number, status and age, and what happens next, from the case itself.

    The case is the one the message describes ("the leaking machine", "破壁机那个"), open
    or closed recently, else the one the conversation is about; a description that matches
    none of the customer's cases is said so, with the case they do have.
    """
    found = await described(turn)
    if found.cases:
        best = found.cases[0]
        if best.status is CaseStatus.CLOSED:
            turn.outcome.case = best.number
            return [_closed(turn, best)]
        return await _status(turn, best)
    case = await current_case(turn)
    if case is not None and found.names_something:
        # "the headphones complaint" with only a late-parcel case: not that one's status as
        # if it were the headphones'.
        replies = await _status(turn, case)
        first = replies[0]
        text = f"{turn.say('case_no_match')}\n{first.text}"
        return [Reply(text, buttons=first.buttons), *replies[1:]]
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
    return await _status(turn, case)


def _closed(turn: Turn, case: Case) -> Reply:
    """A closed case asked after: closed, when and by whom, and a new one offered."""
    closed = case.closed_at or turn.deps.clock()
    by = turn.say("case_closed_by", agent=display_name(case.owner)) if case.owner else ""
    if by and turn.language != "zh":
        by = f" {by}"  # (the template's own leading space is stripped when it is rendered)
    return turn.reply(
        "case_closed_status",
        number=case.number,
        reason=case_about(turn, case),
        ago=ago(turn.deps.clock() - closed, turn.language),
        by=by,
    )


# What a case question asks for, answered as asked rather than with the whole status block:
# its number ("whats the case number again", "工单号是多少"), who has it ("who's handling
# it", "谁在处理", "有人管吗"), or the customer telling how long they have waited ("its been 5
# days already", "都等了一个礼拜了": their wait, not the case's age, is what is answered).
# Said short or slangy too: "wats the ticket no", "my ref?", "case #", "ref num pls",
# "我那个案子号是多少来着", "我的单子编号发一下", "把工单号发我一下", "受理号是啥" (not an
# order's, a parcel's or an invoice's number).
_ASKS_NUMBER = re.compile(
    r"(?<!\bin )\b(?:case|ticket|reference|ref)\s*(?:number|num|nr|no\b\.?|#|id\b)|"
    r"\b(?:complaint|claim)\s*(?:number|#|id\b)|"
    r"\bwhat(?:'?s|s| is| was| were)\s+(?:my|the|our|me)\s+(?:case|ticket|reference|ref)\b|"
    r"\b(?:my|the|your|ur)\s+(?:case|ticket)\s*#|"
    r"^\W*(?:and\s+|so\s+|ok\s+)?(?:my\s+)?(?:ref|reference)\W*(?:again|pls|please|plz)?\W*$|"
    r"工单号|工单编号|单号是多少|(?<!订单)(?<!快递)(?<!运单)(?<!物流)(?<!发票)编号(?:是)?(?:多少|啥|几|什么)|"
    r"工单是几号|是几号工单|(?:案子|案件|单子|投诉|受理|售后)(?:的)?(?:号|编号|单号)",
    re.IGNORECASE,
)


# The case's priority asked: "what priority is my case", "is it marked urgent?", "how urgent
# is my ticket", "did you flag it as high", "我的工单是什么优先级", "啥优先级", "是加急的吗",
# "算紧急吗": the priority it has (set by the bot or a person), never "for the team to decide".
_ASKS_PRIORITY = re.compile(
    r"\bwhat(?:'?s| is)? (?:the |my |its )?priority\b|\bwhat priority\b|\bhow urgent\b|"
    r"\bpriority (?:is|of|does) (?:it|my|the)\b|"
    r"^\W*(?:(?:and|so|ok|but)\W+)?(?:is|was|has) "
    r"(?:it|my (?:case|ticket|complaint)|the case|this)\b.{0,25}"
    r"\b(?:urgent|high|flagged|marked|prioriti[sz]ed|priority)\b|"
    r"^\W*(?:(?:and|so|ok|but)\W+)?did (?:you|u|they) (?:mark|flag|set|make) "
    r"(?:it|my case|the case) (?:as )?(?:urgent|high|a priority)\b|"
    r"优先级|(?:是|算)(?:不是)?(?:加急|紧急|优先)的?(?:吗|么|不|没|呢)|(?:是不是|算不算)(?:加急|紧急)",
    re.IGNORECASE,
)


def asks_priority(text: str) -> bool:
    """True when the customer asks what priority their case has ("what priority is my case",
    "is it marked urgent?", "我的工单是加急的吗"), not asks for it to be raised."""
    return _ASKS_PRIORITY.search(text) is not None and _RAISE_IT.search(text) is None


# Asked to raise it, in the same words: "can you make it high priority", "能不能给我加急".
_RAISE_IT = re.compile(
    r"\b(?:make|mark|set|put|raise|bump|change)\b.{0,20}\b(?:urgent|high|priority)\b\s*(?:pls|please)?"
    r"\s*$|给我加急|帮我加急|(?:能|可以)(?:不能)?(?:给我|帮我)?(?:加急|提高优先级)",
    re.IGNORECASE,
)


def _priority_is(turn: Turn, case: Case) -> Reply:
    """The case's priority as it is set, what it means for the wait (the team's first-reply
    target for it), and where the case stands."""
    target = turn.deps.sla.targets.get(case.priority)
    meaning = (
        turn.say(
            f"case_priority_means_{case.priority.value}",
            target=within(target.first_response, turn.language),
        )
        if target is not None
        else ""
    )
    if escalation.team_away(turn):
        # Out of hours the priority is what happens when they're back, said with when.
        back = turn.say("priority_team_back", when=escalation.back_at(turn))
        meaning = f"{meaning}{'' if turn.language == 'zh' else ' '}{back}".strip()
    return turn.reply(
        "case_priority_is",
        number=case.number,
        priority=turn.say(f"priority_named_{case.priority.value}"),
        means=meaning,
        state=case_state(turn, case),
    )


# Another number asked for: the parcel's, the order's, the invoice's ("快递单号是多少").
_OTHER_NUMBER = re.compile(
    r"\b(?:tracking|order|parcel|invoice|vat|phone)\s*(?:number|no\b|#|id\b)|"
    r"(?:快递|运单|物流|订单|发票|手机|电话)(?:的)?(?:单号|编号|号码|号)",
    re.IGNORECASE,
)


def asks_number(text: str) -> bool:
    """True when the message asks for the case's own number, in whatever words ("wats the
    ticket no", "my ref?", "我那个案子号是多少来着", "把工单号发我一下"), not a parcel's or an
    order's."""
    return _ASKS_NUMBER.search(text) is not None and _OTHER_NUMBER.search(text) is None


_ASKS_OWNER = re.compile(
    r"\bwho(?:'?s| is| are)? (?:\w+ )?(?:handling|dealing with|looking (?:at|into)|working on|"
    r"in charge of|on)\b|\banyone (?:handling|dealing with|looking at|working on|on)\b|"
    r"\bhas (?:any|some)one (?:picked|taken|looked)\b|"
    r"谁(?:在)?(?:处理|跟进|负责|管)|有人(?:在)?(?:处理|管|跟进|负责|看)(?:吗|没|了吗)?|哪位(?:在)?(?:处理|负责)|"
    # "is maria still on it?", "is an agent on my case", "Maria还在跟进吗": whether someone is.
    r"\bis (?:\w+ ){0,2}(?:still )?(?:on (?:it|this|that|my case|the case)|handling (?:it|this|my)|"
    r"dealing with (?:it|this|my)|looking (?:at|into) (?:it|this|my)|working on (?:it|this|my))\b|"
    r"还在(?:处理|跟进|负责|管)(?:吗|么|没|不)|(?:有人|有客服|客服|人工)在(?:处理|跟进|跟|管)(?:吗|么|没|呢)?|"
    r"^\W*(?:还)?在(?:处理|跟进|跟|管)(?:吗|么|没|呢)",
    re.IGNORECASE,
)


def asks_owner(text: str) -> bool:
    """True when the message asks who has the case, or whether someone is on it ("who's
    handling it", "is maria still on it?", "还有人在跟进吗")."""
    return _ASKS_OWNER.search(text) is not None

_WAITED = re.compile(
    r"(?:been|waited|waiting(?: for)?|over|almost|nearly)\s+((?:\d+|a|an|one|two|three|four|five|"
    r"six|seven|eight|nine|ten|a couple of|a few)\s+(?:days?|weeks?|hours?|months?))|"
    r"\b((?:\d+|two|three|four|five|six|seven|ten) (?:days?|weeks?))\s+(?:already|now|and)\b|"
    r"(?:等了|都|已经)(?:快|差不多|将近)?((?:\d+|[一二两三四五六七八九十半]+)\s*(?:个)?(?:天|周|星期|礼拜|小时|月))|"
    # "一个多礼拜了连个回复都木有", "三天了还没人理我": a wait, then what has not come.
    r"(?<!买了)(?<!用了)(?<![才刚买用第])"
    r"((?:\d+|[一二两三四五六七八九十半]+)\s*(?:个多|多个|个)?(?:天|周|星期|礼拜|小时|月))了?[，,\s]*"
    r"(?=还|都|也|连|(?:没|木)有?人)",
    re.IGNORECASE,
)


def waited_said(text: str) -> str | None:
    """How long the customer says they have waited, as said ("5 days", "一个礼拜"), or None."""
    found = _WAITED.search(text)
    return None if found is None else next(g for g in found.groups() if g)


# A refund or a return the case is about ("want a refund", "returned the blender", "退款").
_REFUND_CASE = re.compile(REFUND_WORDS.pattern + r"|\breturn\w*\b|退货|退回", re.IGNORECASE)
# Where the money is, asked in a few words: "where's my money", "wheres my money??", "my
# refund?", "any update on the refund", "still no refund", "钱呢", "退款呢", "钱退了没",
# "退款到哪了".
_MONEY_NEWS = re.compile(
    r"\bwhere(?:'?s|s| is)? (?:my|the|me) (?:money|refund|cash|dosh)\b|"
    r"^\W*(?:and |so |ok )?(?:my |the )?(?:money|refund|cash)\s*\?|"
    r"\b(?:any|an?) (?:news|update|word)s? (?:on|about|re) (?:my |the )?(?:refund|money|return)\b|"
    r"\bhow(?:'?s| is) (?:my|the) refund\b|\bstill no (?:refund|money)\b|"
    r"\bwhen (?:do|will|can|would) i (?:get|see|have) (?:my |the )?(?:money|refund)\b|"
    r"钱呢|款呢|我的钱|退款呢|钱(?:退|到)了?(?:吗|没|么)|退款(?:到哪|进度|怎么样|咋样|到了?(?:吗|没))|"
    r"(?:钱|退款)(?:什么时候|啥时候|多久)(?:能|会|才)?(?:到|退|回)",
    re.IGNORECASE,
)


def about_refund(case: Case) -> bool:
    """True for a case about a refund or a return (what was reported, or added to it)."""
    return _REFUND_CASE.search(f"{case.reason}\n{case.summary}") is not None


def asks_refund_news(text: str) -> bool:
    """True when the message asks, in a few words, where the refund is ("where's my money",
    "钱呢", "any update on the refund"): with a refund's case open, that case's news."""
    return _MONEY_NEWS.search(text) is not None and length(text) <= 12


async def refund_news(turn: Turn, case: Case) -> list[Reply]:
    """Where a refund's case stands: its state, what happens next (the return reaching our
    warehouse, the refund the way they paid, the bank), and when the team answers; the
    question noted for the team."""
    turn.outcome.case = case.number
    line = turn.message.text.strip()
    await turn.deps.cases.add_note(
        case.number, author="bot", text=f"The customer asks where the refund is: {line}"
    )
    news = turn.say(
        "refund_case_news",
        number=case.number,
        reason=case_about(turn, case),
        state=case_state(turn, case),
    )
    when = escalation.reply_due(turn, case)
    if case.number in turn.handed_back:
        after = turn.say("case_next_handed_back")
    elif when is not None:
        after = turn.say("refund_case_by", when=when)
    else:
        after = turn.say("refund_case_overdue")
    return [Reply(f"{news}\n{after}")]


def case_state(turn: Turn, case: Case) -> str:
    """Where a case stands, in a few words: "waiting for our team" / "being handled by Maria"
    / back with the bot after Maria handed it back."""
    if case.status is CaseStatus.ASSIGNED and case.number in turn.handed_back:
        return turn.say("status_handed_back", agent=display_name(case.owner))
    if case.status is CaseStatus.ASSIGNED:
        return turn.say("status_assigned", agent=display_name(case.owner))
    return turn.say(f"status_{case.status.value}")


async def _as_asked(turn: Turn, case: Case) -> list[Reply] | None:
    """The one thing a case question asks, answered plainly; None for a general question."""
    text = turn.message.text
    if HOW_LONG.search(text) or (still_nothing(text) and not VENTING.search(text)):
        # "还要多久才有人处理", "still nothing arrived": how much longer, from the case and
        # the hours (sorry said there when the wait is past what we aim for).
        return None
    if _WHAT_NOW.search(text) and case_kind(case) in _REPLACED:
        # "咋整" after a wrong item: the options again, briefly, or the one chosen.
        return [await _options(turn, case)]
    said = waited_said(text)
    if said is not None:
        await turn.deps.cases.add_note(
            case.number, author="bot", text=f"The customer says they have waited {said}."
        )
        return [
            turn.reply(
                "case_waited_long", number=case.number, waited=said, state=case_state(turn, case)
            )
        ]
    if (
        # "等了这么久 一句回复都没有", "not a single word from anyone": the silence told flatly.
        (
            VENTING.search(text)
            or is_sarcastic(text)
            # ("咋还没人处理" asks: the status, with a person offered when it waits.)
            or (names_a_problem(text) and not is_question(text))
        )
        and not DEFECT.search(text)
        and not _ASKS_NUMBER.search(text)
    ):
        # "你们这什么破售后", "great, still no reply from anyone" read as a case question:
        # sorry first, and where it stands; the grievance noted for the team.
        await turn.deps.cases.add_note(
            case.number, author="bot", text=f"The customer is unhappy: {text.strip()}"
        )
        turn.outcome.case = case.number
        return [turn.reply("complaint_vented", number=case.number, state=case_state(turn, case))]
    if _ASKS_OWNER.search(text):
        if case.number in turn.handed_back:
            agent = display_name(case.owner)
            return [turn.reply("case_owner_handed_back", number=case.number, agent=agent)]
        if case.status is CaseStatus.ASSIGNED and case.owner:
            return [
                turn.reply(
                    "case_owner_is", number=case.number, agent=display_name(case.owner)
                )
            ]
        if escalation.team_away(turn):
            # "周末有人处理吗" on a Friday night: nobody yet, and when the team is back.
            when = escalation.back_at(turn)
            return [turn.reply("case_owner_none_away", number=case.number, when=when)]
        return [turn.reply("case_owner_none", number=case.number)]
    if asks_priority(text):
        return [_priority_is(turn, case)]
    if _ASKS_NUMBER.search(text):
        return [
            turn.reply(
                "case_number_is",
                number=case.number,
                reason=case_about(turn, case),
                state=case_state(turn, case),
            )
        ]
    return None


async def _status(turn: Turn, case: Case) -> list[Reply]:
    """An open case's status, age and next step; shorter when just told; the number, the
    owner or an apology for the wait when that is what the message is about."""
    turn.outcome.case = case.number
    now = turn.deps.clock()
    answered = await _as_asked(turn, case)
    if answered is not None:
        return answered
    text = turn.message.text
    if about_refund(case) and (asks_refund_news(text) or asks_for_update(text)):
        # "where's my money", "钱呢", "any news" with a refund's case open: that case.
        return await refund_news(turn, case)
    if still_nothing(turn.message.text) and not HOW_LONG.search(turn.message.text):
        # "still nothing arrived", "还是没消息": the step the case waits on and its time, else
        # the case's wait and when the team answers.
        step = _step_asked_after(turn.message.text, case)
        if step is not None:
            return [turn.reply(f"case_eta_{step}", number=case.number)]
        return await estimate(turn, case)
    if HOW_LONG.search(turn.message.text):
        step = _step_asked_after(turn.message.text, case)
        if step is None and _bare_after_refund(turn, case):
            step = "refund"  # "how long does that take" right after the refund was chosen
        if step is None and _bare_after_money(turn):
            step = await money_step(turn, case)  # "how long" after the money wanted today
        if step is not None:
            # "how long will that take" after a missing parcel, "多久能退" after a refund
            # wish: how long that step takes by our policy, not the team's queue.
            return [turn.reply(f"case_eta_{step}", number=case.number)]
        replaced = case_kind(case) in _REPLACED or DEFECT.search(case.reason) is not None
        asked = turn.message.text
        if only_missing(case.summary) and (
            _GETS_IT.search(asked) or _REPLACEMENT_ITEM.search(asked)
        ):
            # "啥时候补发", "so when do i get the cable": the missing part is sent, nothing
            # comes back first.
            return [turn.reply("missing_eta", number=case.number)]
        if _REPLACEMENT_ITEM.search(turn.message.text) and replaced:
            # "how long will the new one take": the replacement's way to them, not the
            # team's queue (a fault in the words the defect path knows counts too:
            # "doesnt heat", "盖子关不上").
            return [turn.reply("replacement_eta", number=case.number)]
        order = ORDER_LINE.search(case.summary)
        if order is not None and not replaced and asks_arrival(asked):
            # "whatever just tell me when its coming", "你就告诉我啥时候能到" about a late
            # parcel's case: where that parcel is and when (the order), not the queue.
            status = await inquiry.status_of(turn, order.group(1))
            if status:
                return status
        return await estimate(turn, case)
    if CASE_STATUS in turn.dialogue.intents and turn.dialogue.case == case.number:
        # Asked again straight after the answer: not the same block again. A young case
        # gets what happens next; one that has waited, an apology and the next step.
        if now - case.opened_at < timedelta(hours=1):
            key = "case_next_waiting" if case.escalated_at is not None else "case_next_review"
            ref = turn.say("case_ref_about", number=case.number, reason=case_about(turn, case))
            return [Reply(f"{ref} {turn.say(key)}")]
        if case.number in turn.handed_back:
            agent = display_name(case.owner)
            return [turn.reply("case_owner_handed_back", number=case.number, agent=agent)]
        if case.status is CaseStatus.ASSIGNED:
            # A person has it: them, and that they know the customer is waiting (noted on
            # the case for them), never "waiting for our team" beside "Maria has it".
            await turn.deps.cases.add_note(
                case.number, author="bot", text="The customer asked again for news."
            )
            agent = display_name(case.owner)
            return [turn.reply("case_still_with_agent", number=case.number, agent=agent)]
        if case.escalated_at is None:
            return [turn.offer_human("case_still_waiting_offer", number=case.number)]
        return [turn.reply("case_still_waiting", number=case.number)]
    lines = [
        case_status_line(turn, case),
        turn.say("case_age", ago=ago(now - case.opened_at, turn.language)),
    ]
    if case.number in turn.handed_back:
        lines.append(turn.say("case_next_handed_back"))
    elif case.status is CaseStatus.ASSIGNED:
        lines.append(turn.say("case_next_assigned", agent=display_name(case.owner)))
    elif case.escalated_at is not None:
        lines.append(waiting_line(turn))
    elif case.number in turn.outcome.owned_up:
        pass  # the missed time was just owned up to and the case raised: one apology, not two
    elif now - case.opened_at > timedelta(days=1):
        # Past the one working day we promise: say so, and offer a person now.
        lines.append(turn.say("case_next_overdue"))
        return [turn.offer_human("case_status_lines", lines="\n".join(lines))]
    elif escalation.team_away(turn):
        # "周末有人处理吗" on a Friday night: when the team is back, not "one working day".
        lines.append(turn.say("case_next_closed", when=escalation.back_at(turn)))
    elif asks_for_update(turn.message.text):
        # "so? any update", "还没好吗": where it stands, not a person offered again.
        lines.append(turn.say("case_next_review_update"))
    else:
        lines.append(turn.say("case_next_review"))
    return [Reply("\n".join(lines))]


# "so? any update", "anything yet??", "还没好吗", "有进展吗", "咋样了": news of the open case,
# asked with nothing else in it.
_UPDATE = re.compile(
    r"\b(?:any|anything|no|got an?|an?)\s+(?:updates?|news|progress|word)\b|\banything yet\b|"
    r"\bany(?:thing)? new\b|\bheard anything\b|\bupdate\s*\?|\bstill nothing\b|\bnews\s*\?|"
    r"\bhows? it going\b|\bhow(?:'?s| is) it (?:going|looking)\b|"
    r"(?:还)?没好(?:吗|么|啊|呢)|好了没|好了吗|弄好了?(?:吗|没)|有(?:什么|啥)?新?(?:进展|消息|结果|动静|回复)"
    r"(?:了)?(?:吗|没|么|不)|进展(?:如何|怎么样|咋样)|(?:怎么样|咋样)了|还要(?:多久|等多久)",
    re.IGNORECASE,
)


# "still nothing arrived", "still no reply", "还是没消息", "一直没动静" with a case open: the news
# has not come; where the case stands, what happens next and when (not a detail for the case).
_STILL_NOTHING = re.compile(
    r"\bstill (?:nothing|no (?:news|word|reply|replies|answer|response|update|call|e-?mail|"
    r"message|sign|refund|parcel|package)|not? (?:heard|here|arrived|come|received|got)|"
    r"(?:haven'?t|havent|have not|didn'?t|didnt|did not) (?:heard|got|received|had))\b|"
    # (Not "pressed it and nothing happened": a fault, told.)
    r"\bnothing (?:yet|so far|has (?:come|arrived)|arrived|came|come)\b|"
    r"\b(?:no ?one|nobody|no-one) (?:has )?(?:replied|answered|got back|gotten back|contacted)\b|"
    r"还是?没(?:有)?(?:任何)?(?:消息|动静|回复|回音|结果|进展|下文|人回|人理|人联系|收到|到)|"
    r"一直没(?:有)?(?:消息|动静|回复|回音|人回|人理|人联系|收到)|没(?:有)?下文|石沉大海|杳无音信",
    re.IGNORECASE,
)


def still_nothing(text: str) -> bool:
    """True when the customer says the news (or the parcel) has still not come ("still
    nothing arrived", "还是没消息"), with nothing else asked or told; not their own e-mail or
    call left unanswered ("and nobody answered my email either"): that is told, with an
    apology, on the case."""
    return (
        _STILL_NOTHING.search(text) is not None
        and length(text) <= 10
        and _THEIR_OWN_TRY.search(text) is None
        # "great, still no reply from anyone": bitter, heard with an apology on the case.
        and not is_sarcastic(text)
    )


# What the customer tried themselves: "my email", "my calls", "我发的邮件", "打电话".
_THEIR_OWN_TRY = re.compile(
    r"\bmy (?:e-?mails?|calls?|messages?|voicemails?|letters?)\b|邮件|电话|留言", re.IGNORECASE
)


# Whether the courier has answered ("快递那边有回复没", "物流那边给说法了吗", "has the courier got
# back to you", "did dhl reply yet"): the chase the team made, asked after.
_COURIER_REPLY = re.compile(
    r"(?:快递|物流|快递公司|承运商)(?:那边|那儿|那头)?(?:有|给)?(?:没有|没)?(?:什么|啥)?"
    r"(?:回复|回话|答复|回音|说法|回应)|"
    r"\b(?:courier|carrier|dhl|ups|fedex|dpd|royal mail|delivery company)\b.{0,20}"
    r"\b(?:repl(?:y|ied)|got back|get back|respond(?:ed)?|answer(?:ed)?|said anything)\b|"
    r"\b(?:heard|hear|any word) (?:back )?from (?:the )?(?:courier|carrier|dhl|ups|fedex|dpd)\b",
    re.IGNORECASE,
)


def asks_for_update(text: str) -> bool:
    """True when the message asks only for news of the open case ("so? any update", "还没
    好吗", "did the address change go through", "加急弄了没"): short, nothing else asked, not
    about a parcel ("any news on my order?")."""
    if _COURIER_REPLY.search(text):
        return True  # "快递那边有回复没": what the team asked the courier, the case's news
    if _PARCEL_WORDS.search(text) and not _CASE_NOUNS.search(text):
        return False  # "any news on my order?": the parcel, answered from the order
    return (
        (_UPDATE.search(text) is not None and length(text) <= 7)
        or still_nothing(text)
        or asks_if_done(text)
    )


# "did the address change go through", "has it been sorted yet", "did u change it", "改地址
# 弄好了没", "加急弄了没", "地址改了吗": whether what was asked for on the case is done.
_WENT_THROUGH = re.compile(
    r"\b(?:did|has|have|is)\s+(?:the\s+|my\s+|that\s+|this\s+)?(?:[a-z']+\s+){0,3}?"
    r"(?:go|gone|went|gotten|got|been put)\s+through\b|"
    r"\b(?:did|has|have)\s+(?:you|u|you guys|u guys|they|the team|some(?:one|body)|any(?:one|body))"
    r"\s+(?:already\s+)?(?:changed?|updated?|done|do|sort(?:ed)?|process(?:ed)?|expedited?|"
    r"fix(?:ed)?|handled?|dealt with)\s+(?:it|that|this|the|my)\b|"
    r"\b(?:is|was|has)\s+(?:the\s+|my\s+|that\s+|it\s+|this\s+)(?:[a-z']+\s+){0,3}?(?:been\s+)?"
    r"(?:done|sorted|processed|changed|updated|handled|expedited|dealt with)\b|"
    r"(?:弄|办|改|处理|搞|加急|安排|登记|换|催)(?:好|完|妥)?了(?:没|吗|么|没有)|"
    r"(?:弄|办|处理|搞|改)(?:好|完|妥)(?:没|吗|么|没有)|(?:搞定|办妥|生效|改过来)了?(?:没|吗|么|没有)",
    re.IGNORECASE,
)
# A payment's own question ("did my payment go through", "付款成功了吗"), not the case's.
_PAYMENT_WORDS = re.compile(r"\bpa(?:y|id|yment)\b|\bcharged?\b|\bcard\b|付款|支付|扣款|扣钱", re.I)


def asks_if_done(text: str) -> bool:
    """True when the message asks whether what the case is for has been done ("did the
    address change go through", "加急弄了没", "all done?", "好了吗"): short, and not about a
    payment."""
    return (
        (_WENT_THROUGH.search(text) is not None or _BARE_DONE.search(text) is not None)
        and length(text) <= 10
        and _PAYMENT_WORDS.search(text) is None
    )


# Only whether it is done, in a word or two: "all done?", "done?", "sorted?", "is that it
# done now", "好了吗", "好了没", "完成了吗".
_BARE_DONE = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|all|is it|is that|it'?s|its|that'?s|thats)\s+)*"
    r"(?:done|sorted|finished|through|gone through|all set)(?:\s+(?:now|yet|then))?\W*$|"
    r"^\W*(?:那|所以)?(?:好了|弄好了|办好了|完成了|成功了|改了|生效了)(?:吗|没|么|没有|嘛)[?？\s]*$",
    re.IGNORECASE,
)


def waiting_line(turn: Turn, case: Case | None = None) -> str:
    """The next step of a case waiting for a person: when the team is back if it is away
    now, else the queue; a case an agent has, that agent (the same status the greeting
    gives, never "waiting for the next person" beside "being handled by Maria")."""
    if case is not None and case.number in turn.handed_back:
        return turn.say("case_next_handed_back")
    if case is not None and case.status is CaseStatus.ASSIGNED and case.owner:
        return turn.say("case_next_assigned", agent=display_name(case.owner))
    if escalation.team_away(turn):
        return turn.say("case_next_closed", when=escalation.back_at(turn))
    return turn.say("case_next_waiting")


# The replacement item asked after ("the new one", "the replacement", "换的新的", "补发的").
_REPLACEMENT_ITEM = re.compile(
    r"\b(?:new one|new ones|replac\w*ment|new (?:kettle|one|pair|unit|item|set|machine))\b|"
    r"\b(?:right|correct|proper) (?:one|ones|item|thing|size|colou?r|model|order)\b|对的|正确的|"
    r"\bsend (?:me )?(?:it|the new|a new)\b|"
    r"新的|换的|换货|补发|重发|新(?:机器|耳机|壶)|给我(?:发|寄)|(?:发|寄)给我",
    re.IGNORECASE,
)
# "what do i do now", "咋整", "那怎么办": what the customer can do about their item.
_WHAT_NOW = re.compile(
    r"^\W*(?:so |ok |okay |and )?(?:what now|now what|what do i do(?: now)?|what should i do"
    r"(?: now)?|what are my options|what can i do|what can you do)\b|"
    r"咋整|咋办|怎么办|怎么弄|怎么处理(?:呢|啊)?[?？]*$|那(?:现在)?(?:咋|怎么)(?:搞|弄)",
    re.IGNORECASE,
)


async def options(turn: Turn, case: Case) -> Reply | None:
    """A faulty, wrong or missing item's options (or the one chosen); None for other cases."""
    return await _options(turn, case) if case_kind(case) in _REPLACED else None


async def _options(turn: Turn, case: Case) -> Reply:
    """A faulty, wrong or missing item's options in two lines, or the one already chosen."""
    about, state = case_about(turn, case), case_state(turn, case)
    missing = only_missing(case.summary)
    chosen = await chosen_on(turn, case.number)
    kind = "missing_" if missing else ""
    if chosen is not None:
        return turn.reply(
            "case_option_chosen",
            number=case.number,
            about=about,
            state=state,
            choice=turn.say(f"choice_{kind}{chosen}"),
            next=turn.say(f"remedy_next_{kind}{chosen}"),
        )
    key = f"case_options_{kind}".rstrip("_")
    return turn.reply(key, number=case.number, about=about, state=state)


# Who the note with the customer's choice of remedy is from (the desk, the agents' card),
# and how it starts; the latest such note stands.
AUTHOR = "bot"
CHOICE_NOTE = "Customer's choice: "


async def chosen_on(turn: Turn, number: int) -> str | None:
    """The remedy ("refund" / "replacement") the customer chose last on a case, if any."""
    notes = await turn.deps.cases.notes(number)
    made = [n.text for n in notes if n.author == AUTHOR and n.text.startswith(CHOICE_NOTE)]
    if not made:
        return None
    return made[-1].removeprefix(CHOICE_NOTE).split(" ", 1)[0]


# The missing part asked after: getting it, sending it ("when do i get the cable", "啥时候补").
_GETS_IT = re.compile(
    r"\b(?:get|receive|have|send|sending|sent|ship|ships|arrive|come)\b|"
    r"补|收到|到手|发(?:货|出|过来|给我)?|寄",
    re.IGNORECASE,
)
# The case kinds a replacement is sent for.
_REPLACED = frozenset({"faulty", "wrong", "missing"})


# The money asked after ("how long till i get the money", "多久能退", "钱几天到账").
_MONEY = re.compile(
    r"\b(?:money|refund\w*|paid back|reimburs\w*|my cash)\b|钱|退款|能退|退回来|到账|退给我",
    re.IGNORECASE,
)
# Something given back asked after ("when do i get it back", "啥时候退给我").
_BACK = re.compile(
    r"\b(?:get|see|have|receive)\s+(?:it|that|them|this)\s+back\b|\bback (?:on|to|in) my\b|"
    r"退(?:给我|回|还)|还给我|返还",
    re.IGNORECASE,
)
# A bare "how long" / "多久" (nothing else named): on a charge case, the charge's time.
_BARE = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|hmm|um)\W+)*(?:how long|how many days|when)\W*"
    r"(?:(?:will|does|would) (?:it|that|this) take)?\W*$|"
    r"^\W*(?:那|所以)?(?:要)?(?:多久|几天|多长时间)(?:啊|呢|呀)?\W*$",
    re.IGNORECASE,
)
# A person asked after ("when will someone contact me", "几点有人回我"): the team's queue.
_PERSON = re.compile(
    r"\b(?:some ?one|some ?body|any ?one|any ?body|a person|an agent|a human|your team|"
    r"contact|call|ring|reply|respond|answer|get back|hear back|pick(?:s|ed)? (?:it|this) up)\b|"
    r"有人|客服|回复|回我|联系|处理|接手|理我",
    re.IGNORECASE,
)


def _bare_after_refund(turn: Turn, case: Case) -> bool:
    """True for a bare "how long does that take", "要多久" right after the customer chose
    the refund on this case: that refund's time, not the team's queue."""
    text = turn.message.text
    return (
        turn.dialogue.told_just_now(Told.REFUND)
        and _chosen(case) == "refund"
        and _PERSON.search(text) is None
        and length(text) <= _BARE_AFTER_WORDS
    )


def _bare_after_money(turn: Turn) -> bool:
    """True for a bare "how long will that take", "要多久" right after the case's money was
    wanted today: that money's time, not the team's queue."""
    text = turn.message.text
    return (
        turn.dialogue.told_just_now(Told.CASE_MONEY)
        and _PERSON.search(text) is None
        and length(text) <= _BARE_AFTER_WORDS
    )


# The longest bare time question read against the refund just chosen (words).
_BARE_AFTER_WORDS = 8


def _step_asked_after(text: str, case: Case) -> str | None:
    """The step of the case a "how long" asks after, when policy says how long it takes:
    ``trace`` (the carrier asked where a parcel shown delivered went), ``refund`` (the money
    back for a return the customer chose a refund for), ``trace_refund`` (the money for a
    parcel that never came), ``charge`` (a charge taken twice, given back); None for the
    team's own queue."""
    if _PERSON.search(text):
        return None
    said = f"{case.reason}\n{case.summary}"
    lost = delivered_not_received(said) or (
        says_not_received(said) and case_kind(case) not in ("faulty", "wrong", "missing")
    )
    if case_kind(case) == "payment" and (
        _MONEY.search(text) or _BACK.search(text) or _BARE.search(text)
    ):
        # "so when do i get it back", "how long" on a double charge: the charge's check and
        # reversal (which says when the payments team looks), not the team's queue.
        return "charge"
    if _MONEY.search(text):
        if lost:
            return "trace_refund"
        if case_kind(case) == "payment":
            # "so when do i see that money again" on a double charge: the charge's reversal.
            return "charge"
        chosen = _chosen(case)
        # (Nothing chosen yet on a faulty, wrong or missing item's case: "退回来要多久" asks
        # how long the refund would take, not the team's queue.)
        replaced = chosen is None and case_kind(case) in _REPLACED
        return "refund" if chosen == "refund" or replaced else None
    return "trace" if lost else None


# The parcel itself asked after ("when is it coming", "啥时候能到"), not the team's answer.
_ARRIVES = re.compile(
    r"\b(?:coming|come|arriv\w*|get here|be here|turn up|show up|deliver\w*)\b|"
    r"(?:能|会|才|可以)到|送到|送来|到货|到手|到家",
    re.IGNORECASE,
)


def asks_arrival(text: str) -> bool:
    """True when a "when" asks when the parcel comes, not when someone answers."""
    return _ARRIVES.search(text) is not None and _PERSON.search(text) is None


def asks_how_long_for(text: str, case: Case) -> bool:
    """True when "how long" asks after a step of the case that has its own time ("how long
    till you send the right one" on a wrong item, the money of a charge, a late parcel's
    arrival): answered from the case (``case_status``), not the knowledge base's nearest."""
    if HOW_LONG.search(text) is None:
        return False
    replaced = case_kind(case) in _REPLACED
    return (
        (replaced and _REPLACEMENT_ITEM.search(text) is not None)
        or _step_asked_after(text, case) is not None
        or (not replaced and ORDER_LINE.search(case.summary) is not None and asks_arrival(text))
    )


def _chosen(case: Case) -> str | None:
    """The remedy the customer last chose on the case, in their own words on it."""
    for line in reversed(case.summary.splitlines()):
        choice = chosen_remedy(line)
        if choice is not None:
            return choice
    return None


# The Reading detail of the case's money wanted sooner than its step gives it.
MONEY_NOW = "case_money_now"
# Now, today: "today", "right now", "asap", "今天", "马上", "现在".
_NOW = re.compile(
    r"\b(?:today|tonight|now|right now|right away|immediately|straight away|asap|this (?:morning|"
    r"afternoon|evening)|by (?:tonight|tomorrow))\b|今天|今日|今晚|马上|立刻|立即|现在|当天|赶紧",
    re.IGNORECASE,
)
# The money (or a refund) wanted back: "my money back", "refund me", "退钱", "今天就要退".
_WANTS_MONEY = re.compile(
    _MONEY.pattern + "|" + _BACK.pattern + r"|\brefund me\b|\b(?:pay|paid) me back\b|退",
    re.IGNORECASE,
)
# Longer than this, the message says more than that the money is wanted now.
_MONEY_NOW_WORDS = 14


def wants_money_now(text: str) -> bool:
    """True when the customer wants the money back now or today ("I want my money back
    today", "refund me right now", "今天就要退", "马上把钱退给我"), in a few words, no fault."""
    return (
        _NOW.search(text) is not None
        and _WANTS_MONEY.search(text) is not None
        and length(text) <= _MONEY_NOW_WORDS
        and DEFECT.search(text) is None
    )


async def money_step(turn: Turn, case: Case) -> str | None:
    """The step the case's money waits on, when policy says how long it takes: ``charge``
    (a charge taken twice, checked and given back), ``trace_refund`` (a parcel late or lost:
    traced, then refunded if lost), ``refund`` (a refund owed for what goes back); None when
    the case owes no money."""
    kind = case_kind(case)
    if kind == "payment":
        return "charge"
    said = f"{case.reason}\n{case.summary}"
    lost = delivered_not_received(said) or (
        says_not_received(said) and kind not in ("faulty", "wrong", "missing")
    )
    if lost or kind == "late":
        return "trace_refund"
    on_case = ORDER_LINE.search(case.summary)
    order = await inquiry.find_order(turn, on_case.group(1)) if on_case is not None else None
    if order is not None and order.is_late(turn.deps.clock().date()):
        return "trace_refund"  # the case's order overdue, however the case was worded
    if about_refund(case) or _chosen(case) == "refund":
        return "refund"
    return None


async def money_now(turn: Turn) -> list[Reply]:
    """The case's money wanted today: when it comes by the case's own step, that it can't be
    sped up from here, and what can (the case already urgent, else a person or its priority
    raised); the wish noted on the case for the team."""
    case = await case_for_order(turn, turn.order_in_play)
    step = None if case is None else await money_step(turn, case)
    if case is None or step is None:
        return await case_status(turn)
    await turn.deps.cases.add_note(
        case.number, author="bot", text=f"The customer wants the money sooner: {turn.message.text}"
    )
    turn.outcome.case = case.number
    turn.explained(Told.CASE_MONEY)
    when = turn.say(f"case_eta_{step}", number=case.number)
    if case.priority.rank >= Priority.HIGH.rank:
        return [Reply(f"{when} {turn.say('case_money_sooner_urgent', number=case.number)}")]
    sooner = turn.offer_human("case_money_sooner", number=case.number)
    return [Reply(when), sooner]


def past_target(turn: Turn, case: Case) -> bool:
    """True when an open case has waited past what we aim for: the team's first-reply target
    for its priority once handed over, else the one working day the bot promises (``estimate``
    apologises and raises it or offers a person then); an agent's case is never."""
    if case.status is CaseStatus.ASSIGNED:
        return False
    now, hours = turn.deps.clock(), turn.deps.hours
    target = turn.deps.sla.targets.get(case.priority)
    if case.escalated_at is not None and target is not None:
        return working_time(hours, case.escalated_at, now) >= target.first_response
    day = hours.working_day() if hours is not None else timedelta(days=1)
    due = hours.after_working(case.opened_at, day) if hours is not None else case.opened_at + day
    return due <= now


async def estimate(turn: Turn, case: Case) -> list[Reply]:
    """How much longer: from the business hours and how long the case has waited, not the
    status again. A case with people is timed by the team's targets for its priority (the
    first reply while it waits, the resolution once someone has it); one the bot opened by
    the one working day we aim for. Past either, an apology, and the case raised or a person
    offered."""
    now, hours = turn.deps.clock(), turn.deps.hours
    waited = ago(now - case.opened_at, turn.language)
    ref = turn.say("case_ref", number=case.number)
    target = turn.deps.sla.targets.get(case.priority)
    if case.status is CaseStatus.ASSIGNED:
        if target is None:
            return [
                Reply(
                    f"{ref} {turn.say('case_next_assigned', agent=display_name(case.owner))}"
                )
            ]
        return await _assigned_estimate(turn, case, target.resolution)
    if case.escalated_at is not None and target is not None:
        return await _team_estimate(turn, case, target.first_response)
    day = hours.working_day() if hours is not None else timedelta(days=1)
    due = hours.after_working(case.opened_at, day) if hours is not None else case.opened_at + day
    if case.escalated_at is not None:
        # Past the working day we aim for: the wait owns an apology, and the case says it.
        late = "_late" if due <= now else ""
        if late:
            await turn.deps.cases.add_note(
                case.number, author="bot", text=f"The customer has waited {waited} for a reply."
            )
        if hours is not None and not hours.is_open(now):
            when = when_words(hours, hours.next_open(now), now, turn.language)
            queued = escalation.queued_as(turn, case)
            return [
                turn.reply(
                    f"case_eta_away{late}", number=case.number, when=when, ago=waited, queued=queued
                )
            ]
        return [turn.reply(f"case_eta_queue{late}", number=case.number, ago=waited)]
    if due <= now and target is not None:
        # Past the working day: a person offered, with when the team would answer.
        reply_by = now + target.first_response
        if hours is not None:
            reply_by = hours.after_working(now, target.first_response)
        return [
            turn.offer_human(
                "case_eta_overdue_sla",
                number=case.number,
                ago=waited,
                target=within(target.first_response, turn.language),
                when=when_words(hours, reply_by, now, turn.language),
            )
        ]
    if due <= now:
        return [turn.offer_human("case_eta_overdue", number=case.number, ago=waited)]
    if hours is not None and not hours.is_open(now):
        # "明天几点有人回我" at night: when the team is back, for this case.
        when = when_words(hours, hours.next_open(now), now, turn.language)
        queued = escalation.queued_as(turn, case)
        return [
            turn.reply("case_eta_away", number=case.number, when=when, ago=waited, queued=queued)
        ]
    when = when_words(hours, due, now, turn.language)
    replies = [turn.reply("case_eta", number=case.number, when=when, ago=waited)]
    if case_kind(case) == "payment":
        replies.append(turn.reply("payment_check_next"))  # and how the money comes back
    return replies


# Notes of a time told to the customer, and of owning up to it once it passed: agents see
# what was promised; the bot apologises for a missed time once.
PROMISE_NOTE = "Told the customer they will hear by "
MISSED_NOTE = "Promised time missed: "


async def promise(turn: Turn, case: Case) -> str | None:
    """When the customer will hear on the case, in words (``reply_due``), noted on the case
    as a promise made; None when that moment has passed (nothing promised)."""
    when = escalation.reply_due(turn, case)
    if when is not None:
        await turn.deps.cases.add_note(case.number, author=AUTHOR, text=f"{PROMISE_NOTE}{when}")
    return when


async def missed_promise(turn: Turn, case: Case) -> str | None:
    """The apology for a time told to the customer ("you'll hear by tomorrow 10:00") that
    passed with nobody answering, the case raised to high priority: said once, in the first
    reply of the next conversation; None when nothing promised was missed (or an agent has
    the case, or it was owned up to already)."""
    if case.status is not CaseStatus.OPEN:
        return None
    notes = [n for n in await turn.deps.cases.notes(case.number) if n.author == AUTHOR]
    promised = [n for n in notes if n.text.startswith(PROMISE_NOTE)]
    if not promised or any(n.text.startswith(MISSED_NOTE) for n in notes):
        return None
    now, due = turn.deps.clock(), escalation.due_at(turn, case)
    if due is None or due > now:
        return None
    when = when_words(turn.deps.hours, due, now, turn.language)
    await turn.deps.cases.add_note(
        case.number, author=AUTHOR, text=f"{MISSED_NOTE}{when}; raised to high priority"
    )
    if case.priority.rank < Priority.HIGH.rank:
        await turn.deps.cases.update(case.number, priority=Priority.HIGH)
    return turn.say("case_promise_missed", number=case.number, when=when)


def within(span: timedelta, language: str) -> str:
    """A target in words: ``30 minutes``, ``1 hour``, ``4 hours`` (``30 分钟``, ``1 小时``)."""
    minutes = max(1, int(span.total_seconds() // 60))
    if minutes < 60 or minutes % 60:
        amount, unit = minutes, ("minute", "分钟")
    else:
        amount, unit = minutes // 60, ("hour", "小时")
    if language == "zh":
        return f"{amount} {unit[1]}"
    return f"{amount} {unit[0]}{'' if amount == 1 else 's'}"


async def _team_estimate(turn: Turn, case: Case, first_reply: timedelta) -> list[Reply]:
    """A case waiting for people: how long it has waited, the team's first-reply target in
    working time, and the moment that makes (after the team is back, when it is away). Past
    the target: sorry, the wait noted, and the case raised to high priority at least."""
    now, hours = turn.deps.clock(), turn.deps.hours
    start = case.escalated_at or case.opened_at
    waited = ago(now - start, turn.language)
    target = within(first_reply, turn.language)
    away = hours is not None and not hours.is_open(now)
    back = when_words(hours, hours.next_open(now), now, turn.language) if hours else ""
    if working_time(hours, start, now) >= first_reply:
        await turn.deps.cases.add_note(
            case.number, author="bot", text=f"The customer has waited {waited} for a reply."
        )
        raised = case.priority if case.priority.rank >= Priority.HIGH.rank else Priority.HIGH
        key = "case_eta_sla_late" if raised is not case.priority else "case_eta_sla_late_kept"
        if raised is not case.priority:
            await turn.deps.cases.update(case.number, priority=raised)
        text = turn.say(
            key,
            number=case.number,
            ago=waited,
            target=target,
            priority=turn.say(f"priority_{raised.value}"),
        )
        if away:
            text = f"{text} {turn.say('case_eta_back', when=back)}"
        return [Reply(text)]
    due = hours.after_working(start, first_reply) if hours is not None else start + first_reply
    when = when_words(hours, due, now, turn.language)
    if away:
        return [
            turn.reply(
                "case_eta_sla_away",
                number=case.number,
                ago=waited,
                target=target,
                when=when,
                back=back,
            )
        ]
    return [turn.reply("case_eta_sla", number=case.number, ago=waited, target=target, when=when)]


async def _assigned_estimate(turn: Turn, case: Case, resolution: timedelta) -> list[Reply]:
    """An agent has the case: who, and by when cases like it are resolved (the team's
    resolution target from the hand-over); past it, sorry and the wait noted for them."""
    now, hours = turn.deps.clock(), turn.deps.hours
    start = case.escalated_at or case.opened_at
    agent = display_name(case.owner)
    if working_time(hours, start, now) >= resolution:
        await turn.deps.cases.add_note(
            case.number, author="bot", text="The customer is waiting for news."
        )
        return [turn.reply("case_eta_assigned_late", number=case.number, agent=agent)]
    due = hours.after_working(start, resolution) if hours is not None else start + resolution
    when = when_words(hours, due, now, turn.language)
    return [turn.reply("case_eta_assigned", number=case.number, agent=agent, when=when)]


# Asking after news of something ("any news about the leaking machine?", "what happened with
# the broken blender thing", "那个漏水的壶怎么样了", "上次投诉的那个有结果没").
_NEWS = re.compile(
    r"\bany (?:news|update|updates|word|progress|luck|joy)\b|\bnews (?:on|about|of)\b|"
    r"\bupdates? (?:on|about|re|for)\b|\bwhat(?:'s|s| is| has)? happen(?:ed|ing|s)\b|"
    r"\bwhat (?:came|come) of\b|\bhow(?:'s|s| is| are) (?:the |my |it |that |things )?.{0,40}"
    r"\bgoing\b|\bwhere (?:are|r) (?:we|you|u) (?:at )?with\b|\bheard (?:anything|back)\b|"
    r"\b(?:sorted|fixed|resolved|dealt with) yet\b|\bstatus (?:of|on)\b|\bfollow(?:ing)? up on\b|"
    r"怎么样了|咋样了|如何了|怎样了|有结果|结果(?:呢|怎么样|如何)|有(?:没有|没)?进展|进度|"
    r"处理(?:得|的)?(?:怎么样|咋样|如何)|处理到哪|到哪一步|(?:有|给)(?:个)?说法(?:了)?(?:没|吗)|"
    r"有消息(?:了)?(?:没|吗)|有回音|搞定了?(?:没|吗)|解决了?(?:没|吗)|弄好了?(?:没|吗)|"
    # "still waiting to hear about the toaster", "did anyone look at my saucepan yet", "what's
    # the latest", "风扇的事有人管吗", "现在啥情况", "处理了没".
    r"\bwaiting (?:to hear|for news|for an update|for word) (?:back )?(?:about|on|re|regarding)\b|"
    r"\b(?:did|has) (?:anyone|anybody|someone|somebody|any1) (?:look(?:ed)?|check(?:ed)?) "
    r"(?:at|into|on)\b|"
    r"\bwhat'?s the latest\b|\bwhats the latest\b|\bany (?:news|word|update) yet\b|"
    r"有人管(?:吗|没|嘛)|(?:现在|目前)?(?:啥|什么)情况了?[?？]?$|处理了(?:没|吗|么)|"
    # "花瓶那个怎么说", "退款那事咋说", "what's the story with the vase": the verdict asked for.
    r"(?:怎么|咋)说(?:了|呢|啊|嘞)?\W*$|\bwhat'?s the (?:story|deal|word|verdict) (?:with|on)\b",
    re.IGNORECASE,
)
# Naming a case as such: "the complaint", "my ticket", "上次投诉的", "那个工单".
_CASE_WORDS = re.compile(
    r"\b(?:case|ticket|complaint|claim|issue|problem)\b|投诉|工单|上次(?:说|反映|报)的|反映的|"
    r"那个事|那件事|那事",
    re.IGNORECASE,
)
# Orders and parcels: "any news on my order?" is about the parcel unless a case is named.
_PARCEL_WORDS = re.compile(
    r"\b(?:order|parcel|package|delivery|shipment|tracking|refund)\b|订单|快递|包裹|物流|退款",
    re.IGNORECASE,
)
# Words that describe nothing: the question around the description.
_EN_STOP = frozenset(
    re.findall(
        r"\w+",
        "about after again all also and any anything are back been but can case claim "
        "complaint day days did does doing done earlier for from get going got had happen "
        "happened happening has have hey hello heard hi hiya how hows ill issue its just last "
        "latest luck made make mine news now one ones other our please pls problem progress "
        "reported said should some someone sorted status still stuff tell than thanks that the "
        "thing things this ticket time told update updates was week were what whats when where "
        "which while who why will with word yesterday you your today ago wait waiting long "
        "anyone reply contact person agent team hear",
    )
)
# Characters that make a Chinese pair of characters a question word, not a description.
_ZH_FUNCTION = frozenset(
    "的了吗呢吧啊呀么嘛那这个事件些样怎咋啥什如何有没结果进展度处理到哪步一是在好我你您们他她它"
    "上次投诉工单说反映问题还又也就都跟和给让被把从对下单买"
)


def asks_after(text: str) -> bool:
    """True when a message asks after news of something (its status, what came of it)."""
    return _NEWS.search(text) is not None


def _stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s", "y"):
        if len(word) - len(ending) >= 4 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def _description(text: str) -> set[str]:
    """What a text is about: English stems, order numbers, Chinese pairs of characters."""
    lowered = text.lower()
    words = {_stem(w) for w in re.findall(r"[a-z]{3,}", lowered) if w not in _EN_STOP}
    words |= {m.upper() for m in _ORDER_LIKE.findall(lowered)}
    chinese = "".join(c if "\u4e00" <= c <= "\u9fff" else " " for c in text)
    for run in chinese.split():
        words |= {
            run[i : i + 2]
            for i in range(len(run) - 1)
            if not any(c in _ZH_FUNCTION for c in run[i : i + 2])
        }
    return words


_ORDER_LIKE = re.compile(r"\b[a-z]{0,3}-?\d{4,}(?:-\d+)*\b", re.IGNORECASE)


async def _products_named(turn: Turn, text: str) -> list[Product]:
    catalogue = turn.deps.catalogue
    if catalogue is None:
        return []
    try:
        return await catalogue.search(text)
    except CatalogueError:
        return []


def _names_product(text: str, product: Product) -> bool:
    lowered = text.lower()
    names = (product.name, product.name_zh, *product.aliases)
    return any(name and name.lower() in lowered for name in names)


async def _case_text(turn: Turn, case: Case) -> str:
    """Everything a case is about: its words, and the items of the orders on it."""
    text = f"{case.reason}\n{case.summary}"
    orders = turn.deps.orders
    if orders is None:
        return text
    for number in re.findall(r"^order: (\S+)$", case.summary, re.MULTILINE):
        try:
            order = await orders.find(number)
        except OrderLookupError:
            continue  # a shop that does not answer describes nothing more
        if order is not None:
            text += f"\n{order.items}"
    return text


# Closed cases are asked after by what they were about for this long after they closed.
RECENTLY_CLOSED = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Described:
    """The customer's cases a message describes, best first, and whether it names something
    (a product, an order) that a case could be about, matched or not."""

    cases: tuple[Case, ...]
    names_something: bool
    has_cases: bool = False  # any case (open, or closed recently) to ask after at all


async def described(turn: Turn) -> Described:
    """The customer's cases (open, or closed recently) that the message describes by what
    they are about: their words, their orders, the products on them."""
    text = turn.message.text
    asked = _description(text)
    products = await _products_named(turn, text)
    now = turn.deps.clock()
    cases = [
        c
        for c in await turn.deps.cases.for_customer(turn.customer_id)
        if c.status is not CaseStatus.CLOSED
        or (c.closed_at is not None and now - c.closed_at <= RECENTLY_CLOSED)
    ]
    in_play = turn.dialogue.case
    scored: list[tuple[float, Case]] = []
    for case in cases:
        about = await _case_text(turn, case)
        score = float(len(asked & _description(about)))
        if any(_names_product(about, product) for product in products):
            score += 2
        if score:
            # On a tie, the case the conversation is about, then the newest.
            scored.append((score + (0.5 if case.number == in_play else 0), case))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].opened_at.timestamp()))
    names = bool(products) or bool(_ORDER_LIKE.search(text))
    return Described(tuple(case for _, case in scored), names, has_cases=bool(cases))


def _short(text: str) -> bool:
    return length(text) <= 8


# A reply to the customer asked after ("when will someone get back to me", "明天几点有人回我").
_TO_ME = re.compile(
    r"\b(?:contact|call|ring|phone|reply to|respond to|get back to|answer|message|write to|"
    r"e-?mail)\s+(?:me|us)\b|\bhear (?:back|from (?:you|someone|anyone|somebody))\b|"
    r"回我|回复我|联系我|给我回|理我|找我|打给我|答复我",
    re.IGNORECASE,
)


def asks_when_answered(turn: Turn) -> bool:
    """True when, with a case open, the customer asks when someone will answer them ("when
    will someone actually contact me", "明天几点有人回我"): the case's wait and the team's
    hours together, not the opening hours alone."""
    text = turn.message.text
    return (
        bool(turn.context.open_cases)
        and HOW_LONG.search(text) is not None
        and _TO_ME.search(text) is not None
        and not turn.parse.orders
        and not DEFECT.search(text)
    )


async def asks_about_a_case(turn: Turn) -> bool:
    """True when the message asks after one of the customer's cases by what it is about
    ("any news about the leaking machine?", "那个漏水的壶怎么样了", "上次投诉的那个有结果没"),
    or, right after a case's status, names another one ("and the air fryer one?")."""
    text = turn.message.text
    asked = turn.dialogue.asked
    if asked is not None and asked.question in (Question.ORDER_NUMBER, Question.ADDRESS):
        return False  # the answer to the bot's question, read as such
    news = asks_after(text)
    follow_up = (
        not news
        and turn.dialogue.topic == CASE_STATUS
        and _short(text)
        and (is_question(text) or _ANOTHER.search(text) is not None)
        and not DEFECT.search(text)
    )
    if not (news or follow_up):
        return False
    if _COURIER_REPLY.search(text):
        return True  # "快递那边有回复没": what the team asked the courier, the case's news
    if _PARCEL_WORDS.search(text) and not _CASE_NOUNS.search(text):
        return False  # "any news on my order?": the parcel, answered from the order
    found = await described(turn)
    if follow_up:
        # Only a case other than the one just told, named by what it is about.
        return bool(found.cases) and found.cases[0].number != turn.dialogue.case
    # "上次投诉的那个有结果没": a case named as such, when the customer has one to ask after.
    return bool(found.cases) or (found.has_cases and _CASE_WORDS.search(text) is not None)


def names_a_case(text: str) -> bool:
    """True when the words name a case as such ("my complaint", "the ticket", "投诉", "工单")."""
    return _CASE_WORDS.search(text) is not None


def names_own_case(turn: Turn) -> bool:
    """True for a short message that says it is about the customer's open case ("hi its
    about my case, order 5512-0071", "re my complaint", "关于我的工单 C-88120"), any order it
    names being one on an open case: that case's status, not the order's nor an FAQ."""
    text = turn.message.text
    if not turn.context.open_cases or _ABOUT_CASE.search(text) is None:
        return False
    if DEFECT.search(text) or length(text) > _ABOUT_CASE_WORDS:
        return False  # a new fault or more told: a detail for the case, read as one
    return all(
        any(order.value in c.summary for c in turn.context.open_cases)
        for order in turn.parse.orders
    )


# The case named as what the message is about: "its about my case", "re my complaint",
# "following up on the ticket", "关于我的工单", "投诉的事".
_ABOUT_CASE = re.compile(
    r"\b(?:about|re|regarding|concerning|following up on|follow up on|with|for) (?:my|the|our|"
    r"this|that|ur|your|me) (?:case|ticket|complaint|claim)\b|"
    r"关于.{0,4}(?:工单|投诉)|(?:工单|投诉)(?:的事|那事|那个事)",
    re.IGNORECASE,
)
_ABOUT_CASE_WORDS = 14


# "and the air fryer one?", "那炸锅那个呢": another of the same kind of thing.
_ANOTHER = re.compile(r"^(?:and|what about|how about|also)\b|^(?:那|还有)", re.IGNORECASE)
_CASE_NOUNS = re.compile(r"\b(?:case|ticket|complaint|claim)\b|投诉|工单", re.IGNORECASE)


CLOSE = "close_case"
# "it arrived, you can close the case", "工单可以关了": the customer closes their own case.
# The object must be the case (never "cancel my order"); "don't close it" is no request.
_CLOSE_A_CASE = re.compile(
    r"\b(?:close|cancel|withdraw|drop|shut)\s+(?:the\s+|my\s+|that\s+|this\s+|our\s+)?"
    r"(?:case|ticket|complaint|claim)\b|"
    r"\b(?:case|ticket|complaint)\s+(?:can|could|may)\s+be\s+closed\b|"
    r"\b(?:you can|u can|pls|please|plz|feel free to|go ahead and)\s+close\s+(?:it|that|this)\b|"
    r"(?:工单|投诉)(?:可以|能|就|先)?(?:关|关闭|关掉|撤销|撤回|取消|结)(?:掉|了|吧)?|"
    r"(?:关|关闭|关掉|撤销|撤回|结)(?:掉|了)?(?:这个|那个|我的|我那个)?(?:工单|投诉)|"
    # "那个单子关了吧": a 单子 closed is the case (an order is cancelled, never closed).
    r"单子(?:可以|能|就|先)?(?:关|关闭|关掉|结)(?:掉|了|吧)|(?:关|关闭|关掉)(?:掉|了)?(?:这个|那个|我的)单子|"
    r"\b(?:close|shut) (?:it|that|this)(?: one)? (?:pls|please|plz|now|then|thanks|thx)\b",
    re.IGNORECASE,
)
_KEEP_OPEN = re.compile(
    r"\b(?:don'?t|do not|dont|no need to|not)\s+(?:\w+\s+){0,2}(?:close|cancel|withdraw)|"
    r"(?:不要|别|先别|不用|不能|还不能|没法)(?:\S{0,3})(?:关|撤|取消|结)",
    re.IGNORECASE,
)


# "nah forget the case, it works again", "工单不用了 又好了": no longer wanted. Read only with a
# case open (with none, "forget the case, which courier is it" is about not opening one).
_NOT_WANTED = re.compile(
    r"\b(?:forget|never ?mind|nvm|scrap|skip)\s+(?:about\s+)?(?:the\s+|my\s+|that\s+|this\s+)?"
    r"(?:case|ticket|complaint|claim)\b|"
    r"\b(?:don'?t|do not|dont|no longer)\s+need\s+(?:the\s+|my\s+|that\s+|this\s+|a\s+)?"
    r"(?:case|ticket|complaint)\b(?!\s+(?:opened|open))|"
    r"\bno need for (?:the|a|that|this|my) (?:case|ticket|complaint)\b|"
    r"(?:工单|投诉)(?:就|也)?(?:不用了|不要了|不需要了|算了)|不用(?:再)?(?:处理|跟进)了|"
    r"(?:工单|投诉)(?:不用|不需要)(?:处理|跟进)了",
    re.IGNORECASE,
)


def no_longer_wanted(text: str) -> bool:
    """True when the customer says the open case is not needed any more ("nah forget the
    case", "工单不用了"); the caller checks that a case is open."""
    return _NOT_WANTED.search(text) is not None and _KEEP_OPEN.search(text) is None


def asks_to_close(text: str) -> bool:
    """True when the customer asks for their case to be closed ("you can close the ticket",
    "工单可以关掉了"), not when they ask to keep it open or to cancel an order."""
    return _CLOSE_A_CASE.search(text) is not None and _KEEP_OPEN.search(text) is None


# The problem went away on its own, or was the customer's doing: "works now", "it's working
# again", "my bad, it wasnt plugged in", "false alarm", "能用了", "又好了", "插头没插紧",
# "是我自己操作错了".
_SOLVED = re.compile(
    r"\b(?:works? (?:now|again|fine(?: now)?)|(?:it'?s|its|it is) (?:working|fine) (?:now|again)|"
    r"working (?:now|again|fine now)|fixed it|sorted it(?: out)?|solved it|figured (?:it )?out|"
    r"false alarm|my (?:bad|mistake)|user error|"
    r"(?:wasn'?t|was not|wasnt) (?:plugged|switched|turned|put) (?:in|on)(?: properly| right)?|"
    r"(?:hadn'?t|didn'?t|did not) (?:plug|switch|turn)(?:ed)? it (?:in|on)|"
    r"forgot to (?:plug|switch|turn))\b|"
    r"(?:能用了|可以用了|又好了|没问题了|正常了|修好了|弄好了|搞定了|解决了)(?!\s*(?:没|吗|么|嘛|呢|不|吧[?？]))|"
    r"虚惊一场|"
    r"插头没插|没插好|没插紧|没插上|没插稳|没开开关|开关没开|"
    r"是我(?:自己)?(?:的问题|操作错了|搞错了|弄错了|没弄好)|我(?:自己)?(?:搞错|弄错|操作错)了",
    re.IGNORECASE,
)
# Still wrong after all: "works now but still leaks", "又好了 但还是有异响", "not working again".
_NOT_SOLVED = re.compile(
    r"\b(?:not|n'?t|no longer|still|stopped|again\?)\b[^.?!]{0,12}\b(?:work\w*|fix\w*|solv\w*|"
    r"sort\w*|fine)\b|\bbut\b|\bstill\b|还是|依然|仍然|又坏|不能用|用不了|但是|不过|可是",
    re.IGNORECASE,
)
# The Reading detail of a problem that went away, told with its case open.
SOLVED = "case_solved_itself"


def solved_itself(text: str) -> bool:
    """True when the customer says the problem went away or was their own doing ("works now",
    "插头没插紧"), nothing still wrong and nothing asked."""
    return (
        _SOLVED.search(text) is not None
        and _NOT_SOLVED.search(text) is None
        and not is_question(text)
    )


async def close_solved(turn: Turn) -> list[Reply]:
    """The problem gone: its case closed with the customer's words noted, glad it works, and
    how to come back if it returns (no rating asked: nothing was handled)."""
    case = await current_case(turn)
    if case is None:
        return [turn.reply("glad_solved_no_case")]
    await turn.deps.cases.add_note(
        case.number, author=AUTHOR, text=f"Solved by the customer: {turn.message.text.strip()}"
    )
    await close_for_rating(turn.deps, case.number, by="customer")
    turn.outcome.case = case.number
    return [turn.reply("case_solved_itself", number=case.number)]


# Dropping it, said of nothing in particular: "never mind then", "forget it", "actually dont
# bother", "leave it", "scrap that", "那算了", "不搞了 算了", "拉倒吧", "不折腾了".
_DROPS_IT = re.compile(
    r"\b(?:never ?mind|nevermind|nvm|forget (?:it|about it|that)|scrap (?:it|that)|leave it|"
    r"drop it|don'?t (?:bother|worry about it)|dont (?:bother|worry about it)|no need|"
    r"not worth it|(?:i'?ll|ill|i will) live with it)\b|"
    r"算了|拉倒|不(?:搞|弄|折腾|处理|麻烦)了|不用了|不要了|别(?:管|弄)了",
    re.IGNORECASE,
)
# What may stand beside it and keep it a plain drop ("ok never mind then", "那就算了吧",
# "leave it, its fine"): anything else ("算了 直接退款吧") is a request of its own.
_BESIDE_DROP = re.compile(
    r"\b(?:ok(?:ay)?|oh|ah|well|actually|nah|no|meh|eh|hmm|fine|alright|then|so|just|pls|"
    r"please|its|it'?s|fine|ok|i guess|tbh|honestly|really|it|about|that)\b|"
    r"[那就吧了啊呀哎唉行好的嗯哦噢呃额算]",
    re.IGNORECASE,
)
# A case opened this long ago at most, in the bot's last answer, is "just opened".
_JUST_OPENED = timedelta(minutes=30)
# The Reading detail of a case withdrawn right after it was opened.
WITHDRAWN = "case_withdrawn"


def drops_just_opened(turn: Turn) -> bool:
    """True when the customer drops it ("never mind then", "forget it", "那算了") right after
    the bot's last answer opened a case nobody has taken yet: that case is withdrawn (not a
    no to an offer that leaves it standing for the team, nor "sorry you have to wait")."""
    text = turn.message.text.strip()
    if turn.parse.orders or is_question(text) or _DROPS_IT.search(text) is None:
        return False
    rest = _BESIDE_DROP.sub(" ", _DROPS_IT.sub(" ", text))
    if any(c.isalnum() for c in rest):
        return False
    asked = turn.dialogue.asked
    if asked is not None and asked.turn >= turn.dialogue.turn - 1:
        return False  # a no to what the bot just offered (a person): the case stays
    return _just_opened(turn) is not None


def _just_opened(turn: Turn) -> Case | None:
    """The open case the bot's last answer was about (a complaint), opened minutes ago and
    still untaken."""
    # The last turn answered a complaint about this case (its opening, said in that answer).
    dialogue = turn.dialogue
    if dialogue.case is None or "complaint" not in dialogue.intents:
        return None
    now = turn.deps.clock()
    return next(
        (
            c
            for c in turn.context.open_cases
            if c.number == dialogue.case
            and c.owner is None
            and c.escalated_at is None
            and now - c.opened_at <= _JUST_OPENED
        ),
        None,
    )


async def withdraw_just_opened(turn: Turn) -> list[Reply]:
    """The case the customer just dropped: closed with their words noted, and said plainly
    that nothing more is done (no rating asked: nothing was handled)."""
    case = _just_opened(turn)
    if case is None:
        return await close_on_request(turn)
    await turn.deps.cases.add_note(
        case.number, author=AUTHOR, text=f"Withdrawn by the customer: {turn.message.text}"
    )
    await close_for_rating(turn.deps, case.number, by="customer")
    turn.outcome.case = case.number
    return [turn.reply("case_withdrawn", number=case.number)]


async def close_on_request(turn: Turn) -> list[Reply]:
    """Close the customer's open case at their word, with their words noted on it, and ask
    for a rating as when an agent closes it; with no open case, say so."""
    case = await current_case(turn)
    if case is None:
        return [turn.reply("case_close_none")]
    await turn.deps.cases.add_note(
        case.number, author="bot", text=f"Closed at the customer's request: {turn.message.text}"
    )
    _, rating = await close_for_rating(turn.deps, case.number, by="customer")
    turn.outcome.case = case.number
    return [turn.reply("case_closed_on_request", *rating, number=case.number)]


HURRY = "hurry_case"
# "pls make this urgent", "can you speed it up", "加急处理一下", "帮我催一下": the open case
# matters more to the customer than its priority says.
_HURRY = re.compile(
    r"\b(?:make|mark|flag|treat|put|set)\s+(?:it|this|that|my case|the case|my ticket)?\s*"
    r"(?:as\s+)?(?:urgent|a priority|high priority|priority)\b|"
    r"\b(?:speed|hurry)\s+(?:it|this|things|that)\s+up\b|\bexpedite\b|"
    r"\burgent(?:ly)?\s*(?:please|pls|plz)\b|\b(?:please|pls|plz)\s+hurry\b|"
    r"\bthis is urgent\b|\bit'?s urgent\b|"
    r"加急|紧急处理|尽快处理|优先处理|快点处理|抓紧处理|帮我催|催一下|催催|很急|急用|着急用",
    re.IGNORECASE,
)


def asks_to_hurry(text: str) -> bool:
    """True when the customer asks for their case to be handled sooner (not "加急弄了没",
    whether the hurry asked before was done)."""
    if asks_priority(text):
        return False  # "is it marked urgent?", "是加急的吗": the priority it has, asked
    return _HURRY.search(text) is not None and not asks_if_done(text)


NOTIFY = "notify_me"
# "k well let me know", "keep me posted", "行吧 有消息通知我": asks to be told when there is
# news on the open case; nothing else asked.
_NOTIFY = re.compile(
    r"\b(?:let me know|keep me (?:posted|updated|in the loop)|update me|notify me|ping me|"
    r"get back to me|(?:message|text|tell) me when)\b|"
    r"(?:有(?:什么)?(?:消息|进展|结果|动静|回复)(?:了)?(?:的话)?[\s,，]*)?(?:就|再)?(?:麻烦)?"
    r"(?:通知|告诉|联系|回复)(?:我|一下我)(?:一声|一下)?|等(?:你们的?)?(?:消息|通知)",
    re.IGNORECASE,
)


# "when exactly will someone get back to me", "那你们啥时候联系我": asks when, a status question.
_ASKS_WHEN_THEY = re.compile(
    r"^\W*(?:so |and |ok |but )?when\b|\bwhen (?:exactly |will|would|are|do|can|is)\b|"
    # "just tell me when its coming": when the parcel comes, asked.
    r"\bwhen (?:it|its|it'?s|it is|they|they'?re|theyre|the \w+|my \w+)\s+"
    r"(?:is |are |will |will be |gonna )?"
    r"(?:coming|arriving|arrive|come|get(?:ting)? here|be here|turn(?:ing)? up|deliver\w*)\b|"
    r"\bhow (?:long|soon)\b|啥时候|什么时候|多久|几点|哪天|几号|多长时间",
    re.IGNORECASE,
)


def asks_to_be_told(text: str) -> bool:
    """True for a short message asking to hear when there is news ("k well let me know"),
    not asking when that will be ("when exactly will someone get back to me")."""
    return (
        _NOTIFY.search(text) is not None
        and length(text) <= 10
        and "?" not in text
        and "？" not in text
        and _ASKS_WHEN_THEY.search(text) is None
    )


# Whether the customer hears of it ("will i receive an e-mail once its done", "do i get a
# confirmation?", "will you text me", "will i be notified", "到时候会有短信提醒吗",
# "会发邮件给我吗", "有确认邮件吗"): how they are told, not the shop's own e-mail address.
_ASKS_IF_TOLD = re.compile(
    r"\b(?:will|do|would|should|can)\s+(?:i|we)\s+(?:also\s+)?(?:get|receive|be sent|have)\s+"
    r"(?:an?\s+|any\s+|some\s+)?(?:confirmation\s+)?(?:e-?mail|mail|text|sms|message|"
    r"notification|confirmation|update)s?\b|"
    r"\b(?:will|would|do|can)\s+(?:you|u|they|the team|someone|somebody)\s+(?:also\s+)?"
    r"(?:e-?mail|text|sms|message|notify|inform|confirm (?:it )?(?:to|with))\s+(?:me|us)\b|"
    r"\b(?:will|do|would|should|can)\s+(?:i|we)\s+(?:also\s+)?(?:be|get)\s+(?:notified|informed|"
    r"told|e-?mailed|texted|messaged|updated|contacted)\b|"
    # "will u confirm it by email", "do you send an sms when theres news", "will u let me know
    # by text": the way they are told, asked of us.
    r"\b(?:will|do|would|can)\s+(?:you|u|they|the team|someone|somebody)\s+(?:also\s+)?"
    r"send\s+(?:me\s+|us\s+)?(?:an?\s+|any\s+)?(?:confirmation\s+)?(?:e-?mail|mail|text|sms|"
    r"message|notification|confirmation|update)s?\b|"
    r"\b(?:will|do|would|can)\s+(?:you|u|they|the team|someone|somebody)\s+(?:also\s+)?"
    r"(?:confirm|let (?:me|us) know|tell (?:me|us)|update (?:me|us))\b.{0,20}"
    r"\b(?:by|via|over|through|per|with an?)\s+(?:e-?mail|mail|text|sms|message)\b|"
    r"\b(?:is|will) there (?:be )?(?:an?\s+|any\s+)?(?:confirmation|e-?mail|notification)\b|"
    r"\bhow (?:will|do|would) i (?:know|hear|find out|be told)\b|"
    # (会 is ours to do; 能/可以 only with 给我发/收到: "可以发邮件吗" asks to write to us.)
    r"(?:会(?:不会)?(?:有|发|收到|给我发|通知|告诉)?|(?:能|可以)(?:给我发|收到|有))"
    r"(?:我)?(?:个|一个|一封|一条)?"
    r"(?:短信|邮件|通知|消息|确认(?:邮件|短信)?)(?:通知|提醒|告诉)?(?:给)?(?:我)?"
    r"(?:吗|么|嘛|不|没|啊|呀|[?？]|$)|"
    r"(?:会|能)(?:通知|告诉)(?:我|一下我)(?:吗|么|嘛|不)|(?:怎么|咋|如何)(?:通知|告诉)我|"
    r"有没有(?:确认)?(?:短信|邮件|通知)|(?:有|会有)(?:确认)?(?:短信|邮件|通知)(?:吗|么|嘛)|"
    r"(?:我)?(?:怎么|咋)(?:知道|收到通知)",
    re.IGNORECASE,
)
# What to do, not how they hear: "how will i know which size", "how do i know u got it".
_TOLD_ABOUT_ELSE = re.compile(
    r"\bhow (?:will|do|would) i know (?:which|what|if it fits|u got|you got|it arrived)|"
    r"\b(?:reset|password|verification|verify|login|log in|code|newsletter|promo)\b|"
    r"\b(?:back in stock|in stock|restock\w*|re-stock\w*|available again|sold out|out of stock)\b|"
    r"密码|验证码|登录|优惠|促销|到货|补货|有货|上架|缺货",
    re.IGNORECASE,
)
NOTIFIED = "notified_how"  # detail of a NOTIFY reading: whether and how they are told


# The way asked about is a text message ("do I get a text", "会发短信吗"): told plainly that
# the news comes here and by e-mail.
_BY_TEXT = re.compile(r"\b(?:text|texts|texted|sms|txt)\b|短信", re.IGNORECASE)


def asks_if_texted(text: str) -> bool:
    """True when the customer asks to be told by text message (SMS)."""
    return _BY_TEXT.search(text) is not None


def asks_if_told(text: str) -> bool:
    """True for "will i receive an e-mail once its done", "到时候会有短信提醒吗": whether the
    customer hears when it is done (the chat, then a confirmation e-mail), short and about
    nothing else."""
    return (
        _ASKS_IF_TOLD.search(text) is not None
        and _TOLD_ABOUT_ELSE.search(text) is None
        and length(text) <= 14
    )


def told_about_else(text: str) -> bool:
    """True when a message that asks to be told is about something else to hear of: a
    product back in stock ("烤面包机到货了 能通知我吗": its page's 'Notify me'), a code."""
    return _TOLD_ABOUT_ELSE.search(text) is not None


async def notify(turn: Turn, *, how: bool = False) -> list[Reply]:
    """The open case's team writes here when there is news: said plainly, the case named, no
    hand-over offered again; asked whether they will hear (``how``): here, then a
    confirmation e-mail when it is done. With no open case, a message not understood."""
    case = await current_case(turn)
    texted = how and asks_if_texted(turn.message.text)
    if case is None and how:
        # "will u confirm it by email", "发货了会短信通知吗" before any case: how the shop
        # tells them of their orders (the shipping e-mail), and that this chat confirms here.
        return [turn.reply("notified_how_texted" if texted else "notified_how")]
    if case is None:
        return await escalation.fallback(turn)
    turn.outcome.case = case.number
    key = "case_notified_how" if how else "case_will_notify"
    key = "case_notified_how_texted" if texted else key
    return [turn.reply(key, number=case.number)]


async def hurry(turn: Turn) -> list[Reply]:
    """Raise the open case's priority at the customer's word (to high, or one step above it,
    up to urgent), their words noted on it for the team, and say where it stands; with no
    open case, what they want handled sooner is taken as a complaint."""
    case = await current_case(turn)
    if case is None:
        return await escalation.fallback(turn)
    ranks = list(Priority)
    raised = ranks[min(max(case.priority.rank + 1, Priority.HIGH.rank), Priority.URGENT.rank)]
    changed = raised.rank > case.priority.rank
    await turn.deps.cases.update(case.number, priority=raised if changed else None)
    await turn.deps.cases.add_note(
        case.number, author="bot", text=f"The customer asks for it sooner: {turn.message.text}"
    )
    turn.outcome.case = case.number
    turn.outcome.said[HURRIED] = turn.dialogue.turn  # a complaint said with it: not again
    key = "case_hurried" if changed else "case_hurried_already"
    priority = turn.say(f"priority_{raised.value if changed else case.priority.value}")
    return [
        turn.reply(key, number=case.number, priority=priority),
        Reply(case_status_line(turn, case)),
    ]
