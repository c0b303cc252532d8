"""Not understanding, and handing over to people: two-stage fallback and human requests."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta

from crm_memory import Case, CaseKind, CaseStatus, Direction, Message, Priority
from handlers import context, inquiry
from handlers.agents import display_name
from handlers.clauses import is_rant
from handlers.dialogue import Asked, Purpose, Question
from handlers.hours import back_at as hours_back_at
from handlers.hours import reacts_to_wait, when_words
from handlers.instructions import NOTED as DELIVERY_NOTED
from handlers.orders import names_order, with_order
from handlers.turn import URGENT, Turn
from handlers.types import Handoff, Reply
from handlers.wording import ANOTHER_ORDER, RETRACT
from nlu import FALLBACK
from nlu.sentiment import sentiment

# Intents worth offering as "did you mean" buttons.
TOPICS = ("ask_order_status", *inquiry.ANSWERED, "complaint", "request_human")


# A person asked for in so many words ("get me a real person", "给我转人工"); not "客服" alone,
# which venting names too ("你们客服是摆设吗").
_ASKS_PERSON = re.compile(
    r"\b(?:get|give|want|need|speak|talk|put me through)\b.{0,20}\b(?:person|human|agent|"
    r"someone|manager|supervisor)\b|转人工|人工客服|找人工|要人工|真人|"
    r"(?:找|叫|让)(?:你们|你们的)?(?:经理|主管|领导|负责人|上级|老板|管事的)|"
    r"找(?:你们的?|个)?(?:人|客服)(?:聊|谈|说|处理)",
    re.IGNORECASE,
)


# Someone senior asked for ("get me your manager", "i want a supervisor", "叫你们负责人来",
# "找你们领导"): said back plainly and noted on the case, not only "already with people".
_ASKS_SENIOR = re.compile(
    r"\b(?:manager|managers|supervisor|supervisors|superviser|supervisr|supervsior|manger|mngr|"
    r"boss|team ?lead(?:er)?|"
    r"someone (?:senior|higher up|in charge)|some1 in charge|higher up|head of)\b|"
    r"经理|主管|领导|负责人|上级|老板|管事的",
    re.IGNORECASE,
)


def asks_for_senior(text: str) -> bool:
    """True when the customer asks for someone senior: a manager, supervisor, 负责人."""
    return _ASKS_SENIOR.search(text) is not None


def asks_for_person(text: str) -> bool:
    """True when the customer asks for a person in so many words, whatever else they say."""
    return _ASKS_PERSON.search(text) is not None


# What may stand around a person asked for and say nothing of why ("can i", "please", "now",
# "because", "给我", "麻烦", "客服"): a reason is what is left once they are gone.
_NOT_A_REASON = re.compile(
    r"\b(?:please|pls|plz|now|right now|asap|immediately|today|thanks|thank you|thx|ok|okay|"
    r"hi|hello|hey|because|cause|cuz|coz|since|as|about|regarding|re|it'?s|its|this is|"
    r"can|could|would|may|let|i|me|my|a|an|the|and|so|then|just|really|real|actual|live|"
    r"already|to|with|from|your|you)\b|"
    r"客服|人工|服务|[请麻烦谢您你好吧啊呀呢嘛哈立刻马上现在赶紧快点一下因为关于的了我给要找转叫让帮]",
    re.IGNORECASE,
)
# Where a clause ends: punctuation; in Chinese as typed, a space too.
_CLAUSE_END = re.compile(r"[,，.。!！?？;；]|(?<=[\u4e00-\u9fff])\s|\s(?=[\u4e00-\u9fff\d])")


def _says_nothing(text: str) -> bool:
    return not any(c.isalnum() for c in _NOT_A_REASON.sub(" ", text))


def person_and_reason(text: str) -> tuple[str, str] | None:
    """The person asked for and the reason said with it, as two parts of the message, in
    that order ("i need to talk to someone, still no refund after 2 weeks", "转人工 退货寄回去
    半个月了钱还没退", "still no refund, get me a human"); None when the message asks for a
    person and nothing more ("can i talk to a real person please"), or only vents with it
    ("this is ridiculous, get me a person"), or asks for none."""
    found = _ASKS_PERSON.search(text)
    if found is None:
        return None
    start, end = found.start(), found.end()
    # The ask runs back to the start of its clause ("can i", "给我") and on to its end ("to a
    # human please", "客服"); a run-on goes on with the reason right after it.
    ends = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    if _says_nothing(text[ends[-1] if ends else 0 : start]):
        start = ends[-1] if ends else 0
    after = _CLAUSE_END.search(text, end)
    stop = after.start() if after is not None else len(text)
    if _says_nothing(text[end:stop]):
        end = stop
    ask = text[start:end].strip(" ,，.。;；")
    reason = f"{text[:start]} {text[end:]}".strip(" ,，.。;；!！")
    content = _NOT_A_REASON.sub(" ", reason)
    ideographs = sum(1 for c in content if "\u4e00" <= c <= "\u9fff")
    if is_rant(reason) or (len(re.findall(r"[A-Za-z0-9']+", content)) < 2 and ideographs < 4):
        return None  # "this is ridiculous, get me a person": a person, said crossly
    return ask, reason


def _line(message: Message) -> str:
    who = f"agent {message.agent}" if message.agent else message.sender.value
    text = " ".join(message.text.split())
    return f"{who}: {text if len(text) <= 120 else text[:117] + '...'}"


async def escalate(turn: Turn, *, reason: str, case: Case | None = None) -> tuple[Case, bool]:
    """Hand the customer to people: the given case, the open one, or a new escalation case.

    The reason is recorded on the case and the agents' desk gets the case with its context.

    Returns:
        The case, and False when it had already been handed over.
    """
    cases = turn.deps.cases
    if case is None and turn.outcome.case is not None:
        case = await cases.get(turn.outcome.case)  # opened by an earlier request this turn
    if case is None:
        case = turn.context.open_cases[0] if turn.context.open_cases else None
    if case is None:
        case = await cases.open(
            customer_id=turn.customer_id,
            kind=CaseKind.ESCALATION,
            priority=Priority.NORMAL,
            reason=reason,
            summary=with_order(_whole_message(turn), turn.order_in_play),
        )
    case, fresh = await cases.escalate(case.number, reason)
    if fresh and turn.deps.desk is not None:
        recent = turn.context.recent[-10:]
        inbound = [m.text for m in turn.context.recent if m.direction is Direction.IN][-5:]
        past = await cases.for_customer(turn.customer_id)
        await turn.deps.desk.case_escalated(
            Handoff(
                case=case,
                customer=turn.context.customer,
                identity=turn.message.identity,
                reason=reason,
                recent=tuple(_line(m) for m in recent),
                sentiment_trend=tuple(round(sentiment(t), 2) for t in inbound),
                past_cases=tuple(c for c in past if c.number != case.number),
            )
        )
    if fresh and turn.deps.router is not None:
        await turn.deps.router.escalated(case)
    return case, fresh


def _whole_message(turn: Turn) -> str:
    """The customer's message as they wrote it: a request split from it ("i need to talk to
    someone, still no refund") opens its case with the reason said beside it."""
    stored = (m.text for m in turn.context.recent if m.id == turn.message_record)
    return next(stored, turn.message.text)


def team_away(turn: Turn) -> bool:
    """True outside the agents' business hours."""
    hours = turn.deps.hours
    return hours is not None and not hours.is_open(turn.deps.clock())


def back_at(turn: Turn) -> str:
    """When the team is next at work, in the customer's language: ``Monday 09:00``."""
    return hours_back_at(turn.deps.hours, turn.deps.clock(), turn.language)


# The Reading detail of the wait till the team is back, taken badly; the turn it was met
# (kept with the wordings said, under a key no reply has).
WAIT_TILL_BACK = "wait_till_back"
_WAIT_MET = "wait_till_back_met"


def takes_wait_badly(turn: Turn) -> bool:
    """True out of hours for a cross or incredulous reaction to when the team is back ("great
    so nobody till monday", "monday?? are you serious", "周一?? 那我这两天咋办"), once the bot
    has said it: a case with the team, or the last answer about a person or the hours."""
    if not team_away(turn) or turn.parse.orders or not reacts_to_wait(turn.message.text):
        return False
    said = {"request_human", "ask_opening_hours", "ask_case_status", "complaint"}
    return any(c.escalated_at is not None for c in turn.context.open_cases) or bool(
        said.intersection(turn.dialogue.intents)
    )


def just_told_wait(turn: Turn) -> bool:
    """True right after the bot met the wait till the team is back taken badly, with a case."""
    return turn.dialogue.variant(_WAIT_MET) == turn.dialogue.turn - 1


async def wait_till_back(turn: Turn) -> list[Reply]:
    """The wait till the team is back, taken badly: acknowledged, and what can be done now
    (the case is noted and first in their queue, more can be added to it, and it can be
    flagged urgent); with no case, a person offered so the question waits first in line."""
    when = back_at(turn)
    case = next(
        (c for c in turn.context.open_cases if c.number == turn.dialogue.case),
        turn.context.open_cases[0] if turn.context.open_cases else None,
    )
    if case is None:
        return [turn.offer_human("wait_till_back_no_case", when=when)]
    turn.outcome.case = case.number
    # Said again right after ("ugh, a whole weekend"): shorter, not the whole offer twice.
    key = "wait_till_back_again" if just_told_wait(turn) else "wait_till_back"
    turn.outcome.said[_WAIT_MET] = turn.dialogue.turn  # "yes", "never mind" next: of it
    urgent = turn.button("button_urgent", URGENT)
    return [turn.reply(key, urgent, number=case.number, when=when)]


def _handed_over_from(turn: Turn, key: str, number: int, agent: str) -> Reply:
    """``handed_over`` for a case handed to the team again after ``agent`` gave it back."""
    if team_away(turn):
        return turn.reply(f"{key}_away", number=number, agent=agent, when=back_at(turn))
    return turn.reply(key, number=number, agent=agent)


async def hand_back_to_team(turn: Turn, case: Case) -> Case:
    """A case an agent handed back to the bot, wanted by a person again: back in the team's
    queue (the router gives it out again), noted on the case and told to the desk."""
    agent = case.owner or "the agent"
    requeued = await turn.deps.cases.requeue(case.number)
    line = " ".join(turn.message.text.split())
    await turn.deps.cases.add_note(
        case.number,
        author="bot",
        text=f"The customer asks for a person again after {agent} handed the chat back: {line}",
    )
    if turn.deps.desk is not None:
        await turn.deps.desk.alert(
            f"🙋 #{case.number}: the customer asks for a person again ({agent} had handed "
            "the chat back to the bot).",
            case_number=case.number,
        )
    if turn.deps.router is not None:
        await turn.deps.router.released(case.number, by="bot", reason="asked for a person again")
        requeued = await turn.deps.cases.get(case.number)
    return requeued


def handed_over(turn: Turn, key: str, case: Case) -> Reply:
    """The hand-off notice: people write "right here" in hours; out of hours, when they're
    back and the priority the case waits at (never "the top of their queue" for a case that
    waits its turn)."""
    if team_away(turn):
        return turn.reply(
            f"{key}_away", number=case.number, when=back_at(turn), queued=queued_as(turn, case)
        )
    return turn.reply(key, number=case.number)


def queued_as(turn: Turn, case: Case) -> str:
    """"it's queued at normal priority, taken in turn" / "...urgent, taken before normal
    cases": where the case stands in the team's queue, from its priority."""
    priority = turn.say(f"priority_named_{case.priority.value}")
    ahead = "_ahead" if case.priority.rank >= Priority.HIGH.rank else ""
    return turn.say(f"queued_as{ahead}", priority=priority)


def due_at(turn: Turn, case: Case) -> datetime | None:
    """The moment the customer is to hear on the case by: the agent's resolution target once
    someone has it, the team's first-reply target once handed over, else the one working
    day the bot's cases are answered in; None when there is no target."""
    hours = turn.deps.hours
    target = turn.deps.sla.targets.get(case.priority)
    start = case.escalated_at or case.opened_at
    if case.status is CaseStatus.ASSIGNED or case.escalated_at is not None:
        if target is None:
            return None
        span = target.resolution if case.status is CaseStatus.ASSIGNED else target.first_response
    else:
        span = hours.working_day() if hours is not None else timedelta(days=1)
    return hours.after_working(start, span) if hours is not None else start + span


def reply_due(turn: Turn, case: Case) -> str | None:
    """When the customer will hear on the case, in words ("today (Tuesday) 16:00", "明天（周三）
    09:00"), see ``due_at``. None when that moment has passed (no promise of a time already
    gone)."""
    now, due = turn.deps.clock(), due_at(turn, case)
    if due is None or due <= now:
        return None
    return when_words(turn.deps.hours, due, now, turn.language)


def after_hours(turn: Turn) -> list[Reply]:
    """Outside business hours: when the team is back; the case waits in their queue."""
    if not team_away(turn):
        return []
    return [turn.reply("outside_hours", when=back_at(turn))]


async def request_human(turn: Turn, *, reason: str = "asked for a human") -> list[Reply]:
    """Escalate to people; a customer whose case is already with them is told so. A person
    offered for something (switching an order to express) is asked for that thing."""
    asked = turn.dialogue.asked
    if (
        asked is not None
        and asked.offers(Question.HUMAN)
        and asked.purpose is Purpose.EXPRESS
        and asked.order is not None
    ):
        return await switch_to_express(turn, asked.order)
    case, fresh = await escalate(turn, reason=reason)
    turn.outcome.case = case.number
    if fresh:
        await _note_subject(turn, case)
    had = display_name(case.owner)
    again = case.status is CaseStatus.ASSIGNED and case.number in turn.handed_back
    if again:
        # The agent gave the chat back to the bot: a person wanted now is a new hand-off of
        # the same case, not "Maria has it".
        case = await hand_back_to_team(turn, case)
    if asks_for_senior(turn.message.text):
        # The wish itself is for the team to act on: a note of its own on the case, and the
        # case raised so that it is picked up sooner.
        line = " ".join(turn.message.text.split())
        await turn.deps.cases.add_note(
            case.number, author="bot", text=f"Customer asks for a manager or supervisor: {line}"
        )
        raised = case.priority.rank < Priority.HIGH.rank
        if raised:
            case = await turn.deps.cases.update(case.number, priority=Priority.HIGH)
        if again:
            said = _handed_over_from(turn, "senior_again", case.number, had)
        else:
            key = "human_senior" if fresh else "human_senior_already"
            said = handed_over(turn, key, case)
        priority = turn.say(f"priority_named_{case.priority.value}")
        level = turn.say("senior_raised" if raised else "senior_priority", priority=priority)
        gap = "" if turn.language == "zh" else " "
        return [replace(said, text=f"{said.text}{gap}{level}")]
    if again:
        return [_handed_over_from(turn, "human_again", case.number, had)]
    if case.status is CaseStatus.ASSIGNED and case.owner:
        # An agent has it (handed back to the bot for now, or a complaint an agent took before
        # anyone asked for a person): that agent, as the greeting says.
        return [
            turn.reply(
                "human_already_owner", number=case.number, agent=display_name(case.owner)
            )
        ]
    if not fresh and not team_away(turn):
        # Asked again while people have it: that they have it and by when, not a new hand-off.
        when = reply_due(turn, case)
        if when is not None:
            return [turn.reply("human_already_due", number=case.number, when=when)]
    return [handed_over(turn, "human_requested" if fresh else "human_already", case)]


async def _note_subject(turn: Turn, case: Case) -> None:
    """A person asked for right after a knowledge-base answer ("can i talk to someone now
    then" after the reset e-mail's checks): what that answer was about, a note on the case,
    so the agent starts from it rather than asking again."""
    subject = turn.dialogue.subject_in_play()
    if subject is None or subject.entry is None:
        return
    entry = turn.deps.knowledge.entry(subject.entry)
    if entry is None:
        return
    asked = entry.questions[0] if entry.questions else entry.id
    await turn.deps.cases.add_note(
        case.number,
        author="bot",
        text=f"Asked for a person right after the bot's answer on {entry.id} ({asked})",
    )


# The Reading detail of a person asked for and, right after, not wanted any more.
WITHDRAWN = "handover_withdrawn"
# Why a person is not needed after all: "i figured it out", "sorted it myself", "自己弄好了".
_NO_NEED = re.compile(
    r"\bno need\b|\bfigured it out\b|\bsorted (?:it|now)\b|\bfound it\b|\ball good\b|"
    r"不需要了|不用转|弄好了|搞定了|解决了|找到了",
    re.IGNORECASE,
)


def withdraws_handover(turn: Turn) -> bool:
    """True for "actually nvm i figured it out", "算了 不用了 我自己弄好了", "wait no dont"
    right after the customer asked for a person (not a person asked for again)."""
    text = turn.message.text
    # Right after the hand-over, or after the wait till the team is back was taken badly
    # ("monday?? are you serious" - "ok forget it"): the person just asked for.
    return (
        ("request_human" in turn.dialogue.intents or just_told_wait(turn))
        and bool(turn.context.open_cases)
        and not asks_for_person(text)
        and (RETRACT.search(text) is not None or _NO_NEED.search(text) is not None)
    )


async def withdraw_handover(turn: Turn) -> list[Reply]:
    """The person asked for is not needed: a case opened only for the hand-over and not yet
    taken is closed; a case with more on it (or with an agent) keeps going, with a note."""
    cases = sorted(turn.context.open_cases, key=lambda c: c.opened_at, reverse=True)
    case = next((c for c in cases if c.number == turn.dialogue.case), cases[0])
    line = " ".join(turn.message.text.split())
    await turn.deps.cases.add_note(
        case.number, author="bot", text=f"Customer no longer needs a person: {line}"
    )
    turn.outcome.case = case.number
    if case.kind is CaseKind.ESCALATION and case.owner is None:
        await turn.deps.cases.close(case.number)
        return [turn.reply("handover_withdrawn", number=case.number)]
    return [turn.reply("handover_withdrawn_noted", number=case.number)]


async def strongly_negative(turn: Turn) -> list[Reply]:
    """A very unhappy customer is handed to people whatever they asked; not when this turn's
    answer already offers a person (the customer chooses: "alipay keeps failing??")."""
    if turn.parse.sentiment > turn.deps.negative_sentiment:
        return []
    asked = turn.outcome.asked
    if asked is not None and asked.offers(Question.HUMAN):
        return []
    case, fresh = await escalate(turn, reason="strongly negative sentiment")
    if not fresh:
        return []
    turn.outcome.case = case.number
    return [handed_over(turn, "escalated_notice", case)]


async def fallback(turn: Turn) -> list[Reply]:
    """First miss: ask to rephrase with the two likeliest topics; second in a row: offer a human.

    A message we don't understand but that names an order is taken as a question about it.
    """
    if turn.parse.entity("order_number") is not None:
        return await inquiry.order_status(turn)
    turn.outcome.unresolved = True
    if turn.dialogue.misses + 1 >= 2:
        if any(c.escalated_at is not None for c in turn.context.open_cases):
            case = turn.context.open_cases[0]
            return [handed_over(turn, "fallback_with_team", case)]
        return [turn.offer_human("fallback_human")]
    likely = [s.name for s in turn.parse.ranking if s.name in TOPICS][:2]
    buttons = [turn.button(f"topic_{name}", f"intent:{name}") for name in likely]
    return [turn.reply("fallback_rephrase", *buttons)]


async def out_of_scope(turn: Turn) -> list[Reply]:
    return [turn.reply("out_of_scope")]


def missed(turn: Turn) -> bool:
    """True when this turn ended not understood (the dispatcher counts misses in a row)."""
    return bool(turn.outcome.intents) and all(i == FALLBACK for i in turn.outcome.intents)


async def new_address(turn: Turn) -> list[Reply]:
    """The new delivery address the bot asked for: a case for the team, who change it before
    the order ships, with the address and the order on it; one case for each order when the
    message names several ("send both to the new address: ...")."""
    asked = turn.dialogue.asked
    # Said back as written, so the customer sees the address the team will use.
    address = context.written_address(turn.message.text)
    text = " ".join(turn.message.text.split())
    several = list(dict.fromkeys(e.value for e in turn.parse.orders))
    if len(several) > 1 and (asked is None or asked.case is None):
        replies: list[Reply] = []
        for each in several:
            summary = f"New delivery address: {text}"
            replies += await _address_for(turn, each, address, summary, one_of_several=True)
        return replies
    order = asked.order if asked is not None and asked.order else turn.order_in_play
    if asked is not None and asked.purpose is Purpose.ADDRESS and asked.case is not None:
        # The order of an address already on a case (the address came first).
        case = await turn.deps.cases.get(asked.case)
        await turn.deps.cases.update(case.number, summary=with_order(case.summary, order))
        given = re.search(r"^New delivery address: (.+)$", case.summary, re.MULTILINE)
        address = context.written_address(given.group(1)) if given else address
        return await _address_for(turn, order, address, case=case)
    earlier = _address_case(turn, order)
    if earlier is not None:
        # "no wait, it should be 33 Oak St", "不对 是建国路98号": the order's address on its
        # case replaced (one case per order's address), said to replace the one before.
        await turn.deps.cases.update(
            earlier.number, summary=f"{earlier.summary}\n{REPLACED_ADDRESS} {text}"
        )
        replies = await _address_for(turn, order, address, case=earlier)
        replaced = turn.say("address_replaced_line")
        space = "" if turn.language == "zh" else " "
        return [replace(replies[0], text=f"{replaced}{space}{replies[0].text}"), *replies[1:]]
    return await _address_for(turn, order, address, f"New delivery address: {text}")


# The line a corrected address is added to its case with, under the first one.
REPLACED_ADDRESS = "Corrected delivery address (replaces the one above):"
# The customer says what they wrote before was wrong: "i meant", "should be", "no wait",
# "typo", "not 3", "不对", "写错了", "应该是", "是98号不是88号", "我是说".
_CORRECTS = re.compile(
    r"\bi (?:meant|mean)\b|\bmeant to\b|\bshould (?:be|have been|'?ve been)\b|"
    r"\b(?:no|nah) wait\b|\bwait,? no\b|\b(?:typo|my bad|my mistake|correction|oops)\b|"
    r"\bwrong (?:one|number|address|street|house|flat|postcode)\b|\bnot \d+\w?\b|"
    r"\b(?:sorry|actually),? (?:it'?s|its|make (?:it|that))\b|"
    r"不对|错了|说错|写错|打错|弄错|搞错|应该是|不是.{1,12}?是|是.{1,12}?不是|更正|我是说|改一下",
    re.IGNORECASE,
)


def _address_case(turn: Turn, order: str | None) -> Case | None:
    """The order's open case with a new delivery address on it, if any."""
    if order is None:
        return None
    for case in sorted(turn.context.open_cases, key=lambda c: c.number, reverse=True):
        if (
            case.status is not CaseStatus.CLOSED
            and "New delivery address: " in case.summary
            and names_order(case.summary, order)
        ):
            return case
    return None


def corrects_address(turn: Turn) -> bool:
    """True when the message corrects the new address given for the order in play ("no wait,
    it should be 33 Oak St", "不对 是建国路98号"): the address replaced, not a detail for
    the driver added beside it."""
    return (
        _CORRECTS.search(turn.message.text) is not None
        and _address_case(turn, turn.order_in_play) is not None
    )


async def _address_for(
    turn: Turn,
    order: str | None,
    address: str,
    summary: str = "",
    *,
    case: Case | None = None,
    one_of_several: bool = False,
) -> list[Reply]:
    """The new address of one order on a case for the team (``case``, or one opened with
    ``summary``), handed to them, and said back: changed before it ships, or the carrier
    asked to redirect it; with no order, the order asked for. ``one_of_several``: a case
    for each order of one message, each named by its order (one message opens one case per
    reason)."""
    found = await inquiry.find_order(turn, order) if order is not None else None
    shipped = found is not None and found.status == "shipped"
    why = (
        "address change: ask the carrier to redirect"
        if shipped
        else "address change before shipping"
    )
    if case is None:
        case = await turn.deps.cases.open(
            customer_id=turn.customer_id,
            kind=CaseKind.INQUIRY,
            priority=Priority.HIGH,  # it must be done before the parcel leaves (or arrives)
            reason=f"address change, order {order}" if one_of_several else "address change",
            summary=with_order(summary, order),
        )
    case, _ = await escalate(turn, reason=why, case=case)
    turn.outcome.case = case.number
    if order is None:
        # The address came first: kept on the case, and the order asked for it (the team
        # can find it from the account if the customer has no number).
        turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.ADDRESS, case=case.number))
        key = "address_kept_away" if team_away(turn) else "address_kept"
        return [turn.reply(key, number=case.number, when=back_at(turn), address=address)]
    # The flat number or "ring first" said next goes on this case too.
    turn.outcome.slots[DELIVERY_NOTED] = f"{case.number}|{order}"
    if shipped and found is not None:
        # Already with the carrier: the team asks them to redirect it; the customer can do
        # it faster on the carrier's tracking page.
        return [
            turn.reply(
                "address_passed_shipped",
                order=order,
                number=case.number,
                carrier=found.carrier or "-",
                tracking=found.tracking or "-",
                address=address,
            )
        ]
    key = "address_passed_away" if team_away(turn) else "address_passed"
    return [turn.reply(key, order=order, number=case.number, when=back_at(turn), address=address)]


# The Reading detail: the new address just noted, asked for another order too.
SAME_ADDRESS = "same_address"
# The same again, for another order or both: "same for the other order", "both of them",
# "the other one too", "两个都改", "另一个也一样".
_SAME = re.compile(
    r"\b(?:same|both|too|as well|also|likewise)\b|一样|同样|也|都|两个|俩", re.IGNORECASE
)
# Asking where an order is, not for a change: "does the other one ship friday too".
_WHERE_OR_WHEN = re.compile(
    r"\b(?:when|where|status|arriv\w*|ship(?:ped|s)?|track\w*|deliver(?:ed|y)?|come|coming)\b|"
    r"多久|几天|啥时候|什么时候|哪天|到哪|到了|发货|发了|物流",
    re.IGNORECASE,
)
# The longest such request (words, or two ideographs each).
_SAME_WORDS = 12


def same_address(turn: Turn) -> tuple[int, str, list[str]] | None:
    """The case and order of the new address noted in this conversation, and the other
    orders this message wants it for ("same for the other order pls", "both of them", "两个
    都改吧", "另一个也一样"): the orders it points at or names besides that one, none yet for
    another order not named ("same for my other order" with one order named: its number is
    asked for, and the number sent next takes it); None when it asks something else, or
    gives an address of its own (``new_address`` takes that one)."""
    slot = turn.dialogue.slot(DELIVERY_NOTED)
    text = turn.message.text
    asked = turn.dialogue.asked
    waited = (
        asked is not None
        and asked.question is Question.ORDER_NUMBER
        and asked.purpose is Purpose.ADDRESS_TOO
        and bool(turn.parse.orders)
    )
    if slot is None:
        return None
    if not waited and (_SAME.search(text) is None or context.length(text) > _SAME_WORDS):
        return None
    if context.ADDRESS_SHAPE.search(text) or _WHERE_OR_WHEN.search(text):
        return None
    if context.DEFECT.search(text) or context.wants_cancel(text, turn.parse.intent):
        return None
    case, _, noted = slot.value.partition("|")
    others = [e.value for e in turn.parse.orders if e.value != noted]
    if not case.isdigit():
        return None
    if not others and not (ANOTHER_ORDER.search(text) or context.OTHER_ONE.search(text)):
        return None
    return int(case), noted, list(dict.fromkeys(others))


async def same_address_too(turn: Turn) -> list[Reply]:
    """The new address noted for one order, put on the other order(s) too: one case each, as
    for any new address, and the first order said back beside them."""
    found = same_address(turn)
    assert found is not None  # checked by the reading
    number, first, others = found
    case = await turn.deps.cases.get(number)
    given = re.search(r"^New delivery address: (.+)$", case.summary, re.MULTILINE)
    address = context.written_address(given.group(1)) if given else ""
    if not others:
        # "same for my other order", its number not given: asked for, to take the address.
        turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.ADDRESS_TOO))
        return [turn.reply("address_same_which", address=address)]
    replies = [turn.reply("address_same_first", order=first, number=number, address=address)]
    for order in others:
        summary = f"New delivery address: {address}\n(the same as for order {first})"
        replies += await _address_for(turn, order, address, summary, one_of_several=True)
    return replies


async def switch_to_express(turn: Turn, order: str) -> list[Reply]:
    """The switch to express the bot offered, taken ("ok yes switch it to express", "好 就这么
    办"): a request on a case for the team, who make it before the order ships, said back
    with what express costs."""
    price = inquiry.express_price(turn) or turn.say("express_price_usual")
    text = " ".join(turn.message.text.split())
    request = with_order(f"Switch to express delivery ({price}): {text}", order)
    case = _case_about(turn, order)
    if case is not None:
        # A case already open about this order (a person asked for it): the switch goes on
        # it, never a second case beside it.
        await turn.deps.cases.add_note(case.number, author="bot", text=request)
        if case.priority.rank < Priority.HIGH.rank:
            case = await turn.deps.cases.update(case.number, priority=Priority.HIGH)
    else:
        case = await turn.deps.cases.open(
            customer_id=turn.customer_id,
            kind=CaseKind.INQUIRY,
            priority=Priority.HIGH,  # it must be done before the parcel leaves
            reason="express upgrade",
            summary=request,
        )
    case, _ = await escalate(turn, reason="express upgrade before shipping", case=case)
    turn.outcome.case = case.number
    key = "express_requested_away" if team_away(turn) else "express_requested"
    return [turn.reply(key, order=order, number=case.number, price=price, when=back_at(turn))]


def _case_about(turn: Turn, order: str) -> Case | None:
    """The open case in play when it is about ``order`` (or names no order), else None."""
    in_play = turn.dialogue.case
    for case in turn.context.open_cases:
        if case.number == in_play and (
            names_order(case.summary, order) or "order: " not in case.summary
        ):
            return case
    return None
