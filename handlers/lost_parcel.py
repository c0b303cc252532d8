"""A refund asked for a parcel that never arrived: a case, the carrier checked, refund or resend."""

from __future__ import annotations

import logging
import re

from crm_memory import Case, CaseKind, Direction, Priority
from handlers.agents import close_for_rating
from handlers.cases import AUTHOR, CHOICE_NOTE, case_for_order, chosen_on, current_case
from handlers.complaint import complaint
from handlers.context import CHASE_CARRIER, DEFECT, length, says_not_received
from handlers.dialogue import Asked, Purpose, Question, Told
from handlers.greeting import ORDER_LINE, problem_kind
from handlers.inquiry import find_order
from handlers.orders import OrderLookupError, names_order, with_order
from handlers.questions import is_question
from handlers.remarks import tells_arrived
from handlers.searched import SearchedOnce
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import ASKS_WHEN, REFUND_WORDS, SENT_BACK

logger = logging.getLogger(__name__)

# The reading's detail: the message asks for its money back for a parcel that never came.
DETAIL = "lost_parcel_refund"
# The readings' details: when that refund comes; the carrier chased ("催一下快递").
WHEN = "lost_parcel_when"
CHASE = CHASE_CARRIER
NOTHING_BACK = "lost_parcel_nothing_back"  # "do i need to send anything back": no, nothing came
# "if it turns out lost just refund me", "要是真丢了就直接退钱": the choice should the parcel
# be lost.
IF_LOST = "lost_parcel_if_lost"

# Money back wanted, in so many words ("i just want my money back", "just refund me",
# "直接退款吧", "钱退我吧"); not "where is my refund" (a refund that has not come).
_WANTS_MONEY_WORDS = re.compile(
    r"\b(?:i (?:just |only |really )?(?:want|need|would like|'d like|wanna)|i'?d (?:like|rather)|"
    r"(?:just |pls |please |plz )?(?:give|send|get) me|can i (?:just )?(?:get|have))\s+"
    r"(?:a |my |the |a full |my full )?(?:refund|money back)\b|"
    r"\b(?:just |pls |please |plz |then )?refund (?:me|it|my money)\b|"
    r"\b(?:refund|money back)\s*(?:please|pls|plz|then|instead|asap)\b|"
    r"(?:直接|给我|帮我|我要|我想|要求|就想|只想)(?:给我)?.{0,3}(?:退款|退钱)|"
    r"(?:退款|退钱)(?:吧|就行|就好|得了)|钱退(?:给)?我|把钱退",
    re.IGNORECASE,
)
_WANTS_MONEY = SearchedOnce(_WANTS_MONEY_WORDS)  # asks() and asks_about_the_case(), a turn
# The parcel is not coming, beyond what "I never got it" says: "never gonna arrive", "lost".
_NOT_COMING = re.compile(
    r"\bnever (?:gonna|going to|will|coming|arriving) ?(?:arrive|come|turn up|get here)?\b|"
    r"\b(?:got |been |is )?lost (?:in the post|in transit|it)\b|\b(?:gone|went) missing\b|"
    # "so is it lost or what", "has it been lost", "did dpd lose it", "u lost it?"
    r"\b(?:is|has) (?:it|my (?:parcel|order|package)|the (?:parcel|order|package)) "
    r"(?:been |got |gotten )?lost\b|\b(?:did|have|has) \w+ (?:lose|lost) it\b|"
    r"\b(?:u|you|they|dpd|dhl|ups|the courier) lost it\b|\bit'?s lost\b|\bits lost\b|"
    r"一直没(?:到|收到)|(?:都|还|根本|压根)没(?:收到|到)|丢件|(?:快递|包裹)丢了|"
    # Tracking gone stale: "hasnt updated in a week", "stuck at the depot", "物流一个星期没动".
    r"\b(?:tracking|it)\b.{0,30}\b(?:hasn'?t|has not|hasnt|not|hadn'?t|never) "
    r"(?:been )?(?:updated?|moved|changed)\b|\bno (?:movement|updates?|tracking updates?)\b|"
    r"\bstuck (?:at|in|on)\b|(?:物流|快递|包裹|单号).{0,10}(?:没|不)(?:有)?(?:更新|动)|卡在|不动了",
    re.IGNORECASE,
)


# Should the parcel be lost, said as a condition: "if it's lost", "if they can't find it",
# "if it doesnt turn up", "要是丢了", "万一丢件", "找不到的话".
_IF_LOST = re.compile(
    r"\b(?:if|in case|should)\b.{0,20}?\b(?:(?:is |was |gets? |got |been |has been )?lost|"
    r"(?:can'?t|cannot|cant|couldn'?t|don'?t|dont|doesn'?t|doesnt|won'?t|wont|never) "
    r"(?:find|locate|track|trace|turn up|show up|arrive|come|get here)|"
    r"(?:go(?:es)?|went) missing)\b|"
    r"(?:要是|如果|万一|假如|若是)?.{0,4}(?:丢了|丢件|弄丢|找不到|找不回|寄丢)(?:了)?的话|"
    r"(?:要是|如果|万一|假如|若是).{0,6}(?:丢了|丢件|弄丢|找不到|找不回|寄丢|到不了|不到)",
    re.IGNORECASE,
)
# The new one wanted instead: "just send me a new one", "resend it", "重新发一个", "补发".
_RESEND = re.compile(
    r"\b(?:send|ship|post)\b.{0,12}\b(?:new one|another(?: one)?|replacement|again)\b|"
    r"\bre-?(?:send|ship)\b|\breplace (?:it|them)\b|\ba replacement\b|"
    r"重新(?:给我|帮我)?(?:发|寄)|补发|补寄|重发|再(?:给我|帮我)?(?:发|寄)(?:一|个)|换(?:一|个)新的|"
    r"(?:发|寄)(?:一|个|一个)新的",
    re.IGNORECASE,
)


# Both remedies named as the question: "do i get my money back or a new one?", "是退款还是补发",
# "replacement or refund then?": which there will be asked, no choice made.
_EITHER = re.compile(
    r"\b(?:money|refund\w*)\b.{0,30}\bor\b.{0,15}\b(?:new one|replacement|another|resend)\b|"
    r"\b(?:new one|replacement|another one|resend)\b.{0,30}\bor\b.{0,20}\b(?:money|refund\w*)\b|"
    r"退(?:款|钱).{0,8}(?:还是|或者|或).{0,8}(?:补发|重发|新的|换)|"
    r"(?:补发|重发|新的|换货).{0,8}(?:还是|或者|或).{0,8}退(?:款|钱)",
    re.IGNORECASE,
)


def choice_if_lost(text: str) -> str | None:
    """The remedy the customer chooses should the parcel be lost ("if it's lost just refund
    me": "refund"; "找不到的话就给我重新发一个": "replacement"), or None."""
    if _IF_LOST.search(text) is None or DEFECT.search(text) or _EITHER.search(text):
        return None
    if _RESEND.search(text):
        return "replacement"
    if _WANTS_MONEY.search(text) or re.search(r"\brefund|money back|退款|退钱", text, re.I):
        return "refund"
    return None


def chooses_if_lost(turn: Turn) -> bool:
    """True for "if it turns out lost just refund me", "要是真丢了就直接退钱" about the order
    in play (a late parcel) or the open case: the choice taken, never "not sure" nor a
    person."""
    if choice_if_lost(turn.message.text) is None:
        return False
    return turn.order_in_play is not None or bool(turn.context.open_cases)


def asks_either_if_lost(turn: Turn) -> bool:
    """True for "if they can't find it do i get my money back or a new one?", "要是丢了是退款
    还是补发" about the order in play or the open case: which there will be, asked (the
    customer's to choose), no choice made."""
    text = turn.message.text
    if _IF_LOST.search(text) is None or DEFECT.search(text) or _EITHER.search(text) is None:
        return False
    return turn.order_in_play is not None or bool(turn.context.open_cases)


async def record_if_lost(turn: Turn) -> list[Reply]:
    if asks_either_if_lost(turn):
        # Asked which, not chosen: theirs to choose, and the choice goes on the case.
        case = await current_case(turn)
        number = f" #{case.number}" if case is not None else ""
        if case is not None:
            turn.outcome.case = case.number
        return [turn.reply("lost_parcel_either", case=number)]
    """The choice should the parcel be lost, on the parcel's case (the open one, else one
    opened for the late order at normal priority: nothing is lost yet, nobody is rushed in),
    and what happens: the carrier asked first, then the refund or a new one as chosen."""
    choice = choice_if_lost(turn.message.text) or "refund"
    order = turn.order_in_play
    case = await case_for_order(turn, order)  # another order's case: this parcel gets its own
    opened = ""
    if case is not None:
        # (Its priority kept: nothing is lost yet, the choice is for if it is.)
        line = turn.message.text.strip()
        await turn.deps.cases.update(
            case.number, summary=with_order(f"{case.summary}\n{line}".strip(), order)
        )
    else:
        line = f"{turn.say('case_late_order', order=order or '?')}: {turn.message.text.strip()}"
        case = await turn.deps.cases.open(
            customer_id=turn.customer_id,
            kind=CaseKind.COMPLAINT,
            priority=Priority.NORMAL,
            reason=turn.say("case_late_order", order=order or "?"),
            summary=with_order(line, order),
            topic="delivery",
        )
        carrier = await _carrier(turn, order)
        opened = turn.say("if_lost_opened", name=turn.name, number=case.number, carrier=carrier)
    turn.outcome.case = case.number
    before = await chosen_on(turn, case.number)
    note = f"{CHOICE_NOTE}{choice} (if the parcel is lost; said in the chat)"
    if before is not None and before != choice:
        note += f"; replaces the earlier choice: {before}"
    await turn.deps.cases.add_note(case.number, author=AUTHOR, text=note)
    turn.explained(Told.REPLACEMENT if choice == "replacement" else Told.LOST_PARCEL_REFUND)
    noted = turn.say(f"lost_choice_{choice}", number=case.number)
    return [Reply(f"{opened}\n{noted}".strip())]


# A case about an order that has not come yet ("Order 55102 is late", "订单 A-1001 配送延误").
_LATE = re.compile(r"\b(?:late|delayed|overdue)\b|延误|延迟|还没到|没送到", re.IGNORECASE)


def asks_about_the_case(turn: Turn) -> bool:
    """True when the customer wants their money back for a parcel that never came, said in
    this message, a message before in this conversation, or the complaint case open about it
    ("never arrived, its been a week" - "i just want a refund at this point", "A-1005一直没收到"
    - "那直接退款吧"): not the refund after a return, as nothing came."""
    text = turn.message.text
    if asks(text):
        return True
    if _WANTS_MONEY.search(text) is None or DEFECT.search(text):
        return False
    return any(_never_came(said) for said in _told_before(turn))


# Money back asked in a few words ("那退款呢", "what about a refund", "refund instead?",
# "能退款吗"); not a refund waited on ("where is my refund", "退款还没到"), nor its time.
_ASKS_MONEY = re.compile(r"\b(?:refund|money back)\b|退款|退钱|钱(?:能|可以)?退", re.IGNORECASE)
_WAITED_ON = re.compile(
    r"\b(?:where|yet|still|arrived?|came|hasn'?t|haven'?t|not (?:got|received|seen))\b|"
    r"还没|没到|没收到|到账|到哪",
    re.IGNORECASE,
)
# The longest such request (words, or two ideographs each).
_ASK_MONEY_WORDS = 10


async def asks_for_late(turn: Turn) -> bool:
    """True when the customer asks for their money or a new one instead of a parcel that is
    late ("can i just get a refund instead", "那退款呢", "能直接退款吗", "ok so send a new one
    then", "那就给我重新发一个吧" after its late status): nothing has
    come, so the lost parcel's path (the carrier checked, then a refund or a new one, their
    choice noted), not the refund after a return."""
    text = turn.message.text
    asked = _WANTS_MONEY.search(text) is not None or (
        (_ASKS_MONEY.search(text) is not None or _RESEND.search(text) is not None)
        and length(text) <= _ASK_MONEY_WORDS
    )
    if not asked or DEFECT.search(text) or SENT_BACK.search(text):
        return False
    if _WAITED_ON.search(text) or ASKS_WHEN.search(text):
        return False
    number = turn.order_in_play
    if number is None:
        return False
    try:
        order = await find_order(turn, number)
    except OrderLookupError as exc:
        logger.warning("order look-up failed: %s", exc)
        return False
    return (
        order is not None
        and order.status == "shipped"
        and order.is_late(turn.deps.clock().date())
    )


def _told_before(turn: Turn) -> list[str]:
    """The summaries of their open complaint cases, oldest first, then what the customer
    wrote earlier in this conversation (the last messages): where a parcel that never came
    was told. Newest last, so the story told most recently is found first (a kettle's fault
    told just now, with an older case about a parcel that never came, is the kettle's)."""
    earlier = [
        m.text
        for m in turn.context.recent[-8:]
        if m.direction is Direction.IN
        and m.conversation_id == turn.conversation_id
        and m.id != turn.message_record
    ]
    complaints = sorted(
        (c for c in turn.context.open_cases if c.kind is CaseKind.COMPLAINT),
        key=lambda c: c.opened_at,
    )
    return [*(c.summary for c in complaints), *earlier]


def _never_came(text: str) -> bool:
    """True when the words say a parcel has not come (not a refund, not a faulty item)."""
    if DEFECT.search(text) or REFUND_WORDS.search(text):
        return False
    return (
        says_not_received(text)
        or _NOT_COMING.search(text) is not None
        or _LATE.search(text) is not None
    )


def asks(text: str) -> bool:
    """True when the customer wants their money back for a parcel they never received
    ("never got it, i just want my money back", "东西都没收到 直接退款吧"): the lost parcel's
    path, not the refund after a return (which first has the item sent back)."""
    wants = _WANTS_MONEY.search(text)
    if wants is None:
        return False
    rest = f"{text[: wants.start()]} {text[wants.end() :]}"
    return says_not_received(rest) or _NOT_COMING.search(rest) is not None


async def _add_to_case(turn: Turn, case: Case, line: str, order: str | None) -> None:
    """The parcel's open case told this (the order on it), raised to high if lower."""
    turn.outcome.case = case.number
    await turn.deps.cases.update(
        case.number,
        summary=with_order(f"{case.summary}\n{line}".strip(), order),
        priority=Priority.HIGH if case.priority.rank < Priority.HIGH.rank else None,
    )


async def _case_for(turn: Turn, order: str | None) -> Case | None:
    """The open case about the order (one case per order), else the case the conversation
    is about unless that one is about another order."""
    if order is not None:
        about = [c for c in turn.context.open_cases if names_order(c.summary, order)]
        if about:
            return max(about, key=lambda c: c.opened_at)
    case = await current_case(turn)
    if case is None or order is None or ORDER_LINE.search(case.summary) is None:
        return case
    return None  # about another order: this parcel gets its own


async def refund(turn: Turn) -> list[Reply]:
    """A case for the order (opened, or the open one added to; the order number asked for
    when none is in play), and what the team does: asks the carrier where the parcel is,
    then refunds in full or sends a new one, and how long that takes."""
    order = turn.order_in_play
    line = turn.say("case_lost_parcel", order=order or "?")
    line = f"{line}: {turn.message.text.strip()}"
    case = await _case_for(turn, order)
    if case is not None:
        # The parcel's case is open: the refund asked goes on it, and the path is the
        # answer (not "for a faulty item you choose...", which a refund said to a
        # complaint would get).
        await _add_to_case(turn, case, line, order)
        replies: list[Reply] = []
    else:
        replies = await complaint(turn, line=line, order=order, path_told=True)
    if turn.outcome.case is None:
        return replies
    # The remedy chosen (the money, or a new one sent: "just send a new one then"): a note
    # of its own on the case (what the team acts on; "when do i get it" next is this
    # refund's), the earlier choice it replaces said.
    text = turn.message.text
    resend = _RESEND.search(text) is not None and _ASKS_MONEY.search(text) is None
    choice = "replacement" if resend else "refund"
    before = await chosen_on(turn, turn.outcome.case)
    note = f"{CHOICE_NOTE}{choice} (said in the chat; the parcel never came)"
    if before is not None and before != choice:
        note += f"; replaces the earlier choice: {before}"
    await turn.deps.cases.add_note(turn.outcome.case, author=AUTHOR, text=note)
    carrier = await _carrier(turn, order)
    if resend:
        path = turn.reply("lost_choice_replacement", number=turn.outcome.case)
    else:
        path = turn.reply("lost_parcel_refund", number=turn.outcome.case, carrier=carrier)
    # "how long for the refund then" next is this refund's, not a return's (asks_when).
    turn.explained(Told.REPLACEMENT if resend else Told.LOST_PARCEL_REFUND)
    # The case, then what happens with it, then anything else (the order number asked for).
    return [*replies[:1], path, *replies[1:]]


# The money asked after, with when (wording.ASKS_WHEN): "how long for the refund", "退款要多久".
_MONEY = re.compile(r"\b(?:refund(?:ed)?|money|paid back)\b|退款|退钱|钱|到账", re.IGNORECASE)


def asks_when(turn: Turn) -> bool:
    """True for "how long for the refund then", "那退款要多久" once this conversation gave
    the lost parcel's path (the refund after the carrier's check), or a bare "how long?"
    right after it: that refund's timing, not a return's ("after it reaches our warehouse")."""
    text = turn.message.text
    if ASKS_WHEN.search(text) is None or DEFECT.search(text):
        return False
    if turn.dialogue.told_just_now(Told.LOST_PARCEL_REFUND):
        return True
    told = turn.dialogue.variant(DETAIL) is not None or DETAIL in turn.outcome.said
    return told and _MONEY.search(text) is not None


async def refund_when(turn: Turn) -> list[Reply]:
    """The lost parcel's refund timing: the carrier's check, then the refund and its days."""
    case = await current_case(turn)
    turn.explained(Told.LOST_PARCEL_REFUND)
    if case is None:
        return [turn.reply("lost_parcel_when_no_case")]
    return [turn.reply("lost_parcel_when", number=case.number)]


# Someone to chase the courier: "can someone actually chase the courier", "pls chase dhl",
# "你们能不能催一下快递", "帮我催催快递", "联系一下快递公司".
_CHASE = re.compile(
    r"\b(?:chase|chasing|contact|call|ring|phone|email|check with|follow up with|push|"
    r"hurry(?: up)?|speak to|talk to|get on to|get onto)\s+(?:up\s+)?(?:with\s+)?"
    r"(?:the |your |ur )?"
    r"(?:courier|carrier|driver|delivery (?:company|guy|man|driver|firm)|post office|"
    r"dhl|ups|dpd|fedex|royal mail|evri|hermes|usps|gls|sf express)s?\b|"
    r"\b(?:courier|carrier)s?\b.{0,20}\b(?:chased|chase)\b|"
    # "can you chase it", "chase them up", "push them", "hurry them up" about the parcel.
    r"\b(?:chase|chasing|chse|chace)\s+(?:it|them|this|that|em|'em)\b|"
    r"\b(?:push|hurry|nudge|prod)\s+(?:them|em|'em)\b|"
    r"催(?:一下|一催|催|下)?(?:快递|物流|派送|配送|快递员|快递公司)|"
    r"(?:联系|问问|问一下|打电话给|找)(?:一下|下)?(?:快递|物流|快递员|快递公司)|"
    r"(?:让|叫)(?:快递|快递员)(?:快点|赶紧|尽快)",
    re.IGNORECASE,
)


# "帮我催一下", "催催呗" with no case open: the parcel chased (with a case open, the case's
# own hurry: handlers/cases.py).
_BARE_CHASE = re.compile(
    r"^(?:亲|你好|您好)?[\s,，]*(?:麻烦|能不能|能|可以|请)?(?:你|您)?(?:帮我|帮忙|给我)?"
    r"催(?:一下|一催|催|下)?(?:吧|呗|嘛|呀|啊|哈)?[\s,，。.!！~～]*$"
)


def chases(text: str) -> bool:
    """True when the words ask for the courier to be chased ("pls chase dhl", "帮我催催快递")."""
    return _CHASE.search(text) is not None


def asks_to_chase(turn: Turn) -> bool:
    """True when the customer asks us to chase the courier about their parcel: a request to
    act, not feedback, a person's takeover nor the carrier's choice ("can you chase the
    courier" with no order in play asks which order)."""
    text = turn.message.text
    if DEFECT.search(text):
        return False
    if _CHASE.search(text) is not None:
        return True
    return not turn.context.open_cases and _BARE_CHASE.match(text.strip()) is not None


async def chase(turn: Turn) -> list[Reply]:
    """The carrier chased: the open case updated with the request (or a case opened for the
    order in play), who chases and by when."""
    # (Another order's case is no place for this one's chase: a case of its own then.)
    case = await case_for_order(turn, turn.order_in_play)
    if case is None and turn.order_in_play is None:
        # Which order's carrier: the number sent next is chased (Purpose.CHASE), whatever
        # else the message asked it for too.
        turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.CHASE))
        return [turn.reply("chase_ask_number")]
    line = turn.say("case_chase_carrier")
    if case is None:
        order = turn.order_in_play
        replies = await complaint(turn, line=f"{line}: {turn.message.text.strip()}", order=order)
        if turn.outcome.case is None:
            return replies
        number = turn.outcome.case
    else:
        order = turn.order_in_play
        turn.outcome.case = case.number
        await turn.deps.cases.update(
            case.number, summary=f"{case.summary}\n{line}: {turn.message.text.strip()}".strip()
        )
        replies = []
        number = case.number
    carrier = await _carrier(turn, order)
    chased = turn.reply("lost_parcel_chase", number=number, carrier=carrier)
    return [*replies[:1], chased, *replies[1:]]


async def _carrier(turn: Turn, order: str | None) -> str:
    """The order's carrier and tracking number, as an aside to "the carrier"; "" unknown."""
    found = None
    if order is not None and turn.deps.orders is not None:
        try:
            found = await turn.deps.orders.find(order)
        except OrderLookupError as exc:
            logger.warning("order look-up failed: %s", exc)
    if found is None or not found.carrier or not found.tracking:
        return f" ({found.carrier})" if found is not None and found.carrier else ""
    aside = turn.say("lost_parcel_carrier", carrier=found.carrier, tracking=found.tracking)
    # (Wordings are stripped when said: the space before an English aside is put back here.)
    return aside if turn.language == "zh" else f" {aside}"


# The readings' details: a parcel marked delivered and not received, looked for where it
# could be (or said missing beside the carrier's "delivered"); the parcel found after all.
DELIVERED = "lost_parcel_delivered"
FOUND = "lost_parcel_found"

# Where a parcel marked delivered may be: "checked with neighbours", "not in the safe place",
# "问了门卫", "物业也说没有".
_PLACE = re.compile(
    r"\bneighbou?rs?\b|\bnext door\b|\bsafe ?place\b|\bporch\b|\bdoorstep\b|\bshed\b|"
    r"\bgarden\b|\bgarage\b|\bbins?\b|\breception\b|\bconcierge\b|\bmail ?room\b|"
    r"\bpost ?room\b|\bporter\b|\bcaretaker\b|\bbuilding\b|\blobby\b|\blocker\b|"
    r"\bletter ?box\b|\bmailbox\b|\beverywhere\b|\bround the back\b|"
    r"邻居|隔壁|门卫|保安|物业|前台|门口|快递柜|丰巢|驿站|菜鸟|传达室|收发室|大堂|楼下|信箱|家里|附近|到处",
    re.IGNORECASE,
)
# ...and it was not there: "nothing", "not there either", "no luck", "也没有", "都说没看到".
_NOT_THERE = re.compile(
    r"\bnothing\b|\bnope\b|\bno luck\b|\bno sign\b|\bnot (?:there|in|at|with|by|under|behind)\b|"
    r"\b(?:isn'?t|isnt|wasn'?t|wasnt|aren'?t|weren'?t) (?:there|in|at|with)\b|\beither\b|"
    r"\b(?:don'?t|dont|didn'?t|didnt|doesn'?t|doesnt|haven'?t|havent|hasn'?t|hasnt) "
    r"(?:have|got|get|see|seen|take|taken|receive|received|find|found)\b|"
    r"\bno ?(?:one|body)\b.{0,20}\b(?:has|took|seen|got)\b|\bcan'?t find\b|\bcouldn'?t find\b|"
    # ("tried next door, nobody home": nobody there to ask.)
    r"\bno ?(?:one|body)(?:'?s| is| was)? (?:home|in|there|answer\w*)\b|"
    r"没有|没看到|没见(?:到|着|过)|没收|没拿|不在|找不到|没找到|都没|也没",
    re.IGNORECASE,
)
# Found after all: "found it, it was in the shed, sorry", "nvm it turned up", "找到了 在快递柜里".
_FOUND = re.compile(
    r"\bfound (?:it|them|the (?:parcel|package|box))\b|\b(?:it|the (?:parcel|package|box)) "
    r"(?:turned up|showed up|was (?:in|at|behind|under|with|by) )|\bneighbou?r (?:had|has) it\b|"
    r"\bgot it (?:now|after all)\b|\bit'?s here (?:now|after all)\b|"
    r"找到了|找着了|收到了|拿到了|在(?:邻居|隔壁|门卫|物业|快递柜|驿站|丰巢|门口|楼下|前台)[^，,。]{0,4}(?:找到|拿到|里|那)",
    re.IGNORECASE,
)


# What happened at the door, told about a parcel marked delivered: "i was home all day",
# "nobody knocked", "the driver never rang", "no card through the door", "my doorbell camera
# shows no one", "the photo isn't my door", "signed by someone i don't know"; "我一整天都在家",
# "根本没人敲门", "快递员也没打电话", "监控显示没人来过", "签收照片不是我家门", "签收人我不认识".
_AT_THE_DOOR = re.compile(
    r"\b(?:i|we|someone|somebody|my \w+)(?:'?m|'?re| am| are| was| were| have been|'?ve been)"
    r" (?:\w+ ){0,2}(?:home|in|in the house|in all day|here all day)\b|"
    r"\bno ?(?:body|one)\b.{0,20}\b(?:knock\w*|rang|ring\w*|call\w*|came|come|buzz\w*|"
    r"text\w*)\b|"
    r"\b(?:driver|courier|delivery (?:guy|man|person)|postman|he|she|they)\b.{0,15}"
    r"\b(?:never|didn'?t|didnt|did not) (?:\w+ )?(?:knock\w*|ring|rang|call\w*|buzz\w*|come|"
    r"came|text\w*|show(?:ed)? up)\b|"
    r"\bno (?:card|note|slip|calling card|missed delivery card|call|text|knock)\b|"
    r"\b(?:camera|cctv|doorbell|footage|video)\b|"
    r"\b(?:photo|picture|pic)\b.{0,30}\b(?:not|isn'?t|isnt|wrong|someone else'?s|another)\b|"
    # The proof of delivery set against where they live: "the photo shows door 12, i'm at 21",
    # "left at the wrong flat", "照片上是12号 我家是21号".
    r"\b(?:photo|picture|pic|proof|image)\b.{0,40}\b(?:shows?|showing|has|of|says)\b.{0,40}"
    r"\b(?:i(?:'?m| am)? (?:at|in|live)|i live|my (?:door|house|flat|number|address|building) "
    r"(?:is|says)|we(?:'?re| are)? (?:at|in|live))\b|"
    r"\b(?:wrong|another|different|someone else'?s) (?:door|house|flat|apartment|address|building|"
    r"number|unit|street)\b|"
    r"(?:照片|图片|签收图).{0,12}(?:是|显示|拍的).{0,12}(?:我家|我住|我们家|我是)|"
    r"(?:送错|放错)(?:了)?(?:门|楼|地方|单元|户|家)|"
    r"\bsigned (?:for )?by\b|\bsignature\b|"
    r"(?:一直|一整天|整天|全天|都|就|人)在家|没人(?:敲门|按门铃|打电话|联系|来过|送)|"
    r"(?:没|也没|都没|没有|从没)(?:人)?(?:给我)?(?:敲门|打电话|打过电话|按门铃|联系我|通知我|发短信)|"
    r"监控|摄像头|门铃|签收(?:照片|图片|人|的人)|照片.{0,8}不是|不是我(?:家|签)|不认识|"
    r"没签(?:过|收)|谁签的",
    re.IGNORECASE,
)


def _marked_delivered(turn: Turn) -> bool:
    """True when the conversation is about a parcel the carrier shows delivered: the bot just
    gave a delivered status ("tell me if it didn't reach you"), the customer said so
    earlier in this conversation, or a case is open about a parcel that never came."""
    asked = turn.dialogue.asked
    if asked is not None and asked.purpose is Purpose.NOT_RECEIVED:
        return True
    return any(says_not_received(said) for said in _told_before(turn))


def searched(turn: Turn) -> bool:
    """True when, about a parcel marked delivered, the customer says they looked where it
    could be and it is not there ("checked with neighbours, nothing", "not in the safe place
    either", "问了门卫也没有"): the parcel's case, not where couriers leave parcels again."""
    text = turn.message.text
    if DEFECT.search(text) or _FOUND.search(text):
        return False
    looked = _PLACE.search(text) is not None and _NOT_THERE.search(text) is not None
    return (looked or tells_door(text)) and _marked_delivered(turn)


def tells_door(text: str) -> bool:
    """True for what happened at the door said as a statement ("i was home all day, nobody
    knocked", "快递员也没打电话"): more for the case, not a question about deliveries."""
    return _AT_THE_DOOR.search(text) is not None and not is_question(text, auxiliaries=False)


def found(turn: Turn) -> bool:
    """True when the parcel marked delivered and missing turned up after all ("found it, it
    was in the shed, sorry", "找到了 在快递柜里 不好意思")."""
    return _FOUND.search(turn.message.text) is not None and _marked_delivered(turn)


def number_found(turn: Turn) -> bool:
    """True when what was found is the order number the bot waits for ("找到了 A-1003",
    "found it: 88231"), not the parcel."""
    asked = turn.dialogue.asked
    return bool(turn.parse.orders) and asked is not None and asked.question is Question.ORDER_NUMBER


def arrived_after_all(turn: Turn) -> bool:
    """True when the customer says, as news, that the parcel the conversation is about came
    after all ("it turned up this afternoon btw", "已经收到了 不用管了", "oh wait found it, was
    at the neighbours"): after a late or missing parcel's status, with its case open, or
    about a parcel marked delivered. Glad, and its case closed (never an apology, nor more
    for the case)."""
    text = turn.message.text
    if not tells_arrived(text):
        return False
    if _marked_delivered(turn):
        return True
    late = [c for c in turn.context.open_cases if problem_kind(c.reason) in ("late", None)]
    if late and len(late) == len(turn.context.open_cases):
        return True
    return not turn.context.open_cases and turn.dialogue.topic in _PARCEL_TOPICS


# The topics of a parcel's status just given (late, or its offer of a case made again).
_PARCEL_TOPICS = ("ask_order_status", "offer_again")


def about_the_parcel(turn: Turn) -> bool:
    """True when the whole message looks for the parcel marked delivered, or found it."""
    return found(turn) or searched(turn)


# The line a case for a parcel marked delivered and not received starts with, in either
# language (responses.yml ``case_delivered_missing``).
_MARKED_LINE = re.compile(r"\bMarked delivered, not received\b|显示签收但未收到")


def case_marked_delivered(case: Case) -> bool:
    """True when the case is about a parcel the carrier shows delivered that never came."""
    return _MARKED_LINE.search(case.summary) is not None or says_not_received(case.reason)


async def delivered_missing(turn: Turn) -> list[Reply]:
    """A case for the parcel marked delivered and not received (opened, or the open one
    added to, with the order on it), and what the team does: the carrier's proof of
    delivery and GPS scan, then a replacement or a full refund, and by when."""
    order = turn.order_in_play
    line = f"{turn.say('case_delivered_missing', order=order or '?')}: {turn.message.text.strip()}"
    case = await current_case(turn)
    if case is not None:
        await _add_to_case(turn, case, line, order)
        if turn.dialogue.variant("lost_parcel_delivered") is not None:
            # The path was given in this conversation: where they looked (what happened at
            # the door), noted for it.
            looked = _PLACE.search(turn.message.text) and not tells_door(turn.message.text)
            key = "lost_parcel_delivered_noted" if looked else "lost_parcel_delivered_told"
            return [turn.reply(key, number=case.number)]
        replies: list[Reply] = []
    else:
        replies = await complaint(turn, line=line, order=order)
    if turn.outcome.case is None:
        return replies
    carrier = await _carrier(turn, order)
    path = turn.reply("lost_parcel_delivered", number=turn.outcome.case, carrier=carrier)
    # (Not Told.LOST_PARCEL_REFUND: "那到底啥时候处理啊" next asks about the case, not a refund.)
    return [*replies[:1], path, *replies[1:]]


async def found_after_all(turn: Turn) -> list[Reply]:
    """Glad it turned up: the open case about it closed with the customer's words noted (a
    rating asked, as for any case closed), else nothing to do."""
    case = await current_case(turn)
    if case is None:
        return [turn.reply("lost_parcel_found")]
    await turn.deps.cases.add_note(
        case.number, author="bot", text=f"Parcel found by the customer: {turn.message.text}"
    )
    _, rating = await close_for_rating(turn.deps, case.number, by="customer")
    turn.outcome.case = case.number
    return [turn.reply("lost_parcel_found_case", *rating, number=case.number)]


# Sending something back asked about: "do i need to send anything back", "should i post
# something back", "do i need a return label", "do i have to return it", "要寄回去吗",
# "需要退回什么吗", "用不用寄回", "需要退货吗", "要退面单吗".
_SEND_BACK = re.compile(
    r"\b(?:send|post|ship|mail|return|take|bring|give)\b.{0,25}\bback\b|"
    r"\breturn (?:it|them|anything|something|stuff|the \w+)\b|\breturn label\b|"
    r"\b(?:have|need|got) to return\b|"
    r"寄回|退回|寄.{0,6}回(?:去|来)?|退货|(?:退货|退回|寄回)?面单",
    re.IGNORECASE,
)
# A question's marks beside the words: "?", "吗", "要不要", "用不用", "or".
_ASKED = re.compile(
    r"[?？吗么嘛]|要不要|用不用|需不需要|不需要|\bor\b\W*$|"
    r"^\W*(?:(?:so|and|but|ok|okay|then|wait)\W+)?"
    r"(?:do|does|should|must|shall|will|would|can|have|need|is|am)\b",
    re.IGNORECASE,
)
# The longest such question (words, two ideographs each).
_ASK_WORDS = 14


def asks_what_to_send_back(turn: Turn) -> bool:
    """True when the customer asks whether to send anything back about a parcel that never
    came ("my parcel never arrived" - "do i need to send anything back", "一直没收到" - "要寄
    回去吗"): the last story they told is a parcel that did not come, not a faulty item."""
    text = turn.message.text
    if _SEND_BACK.search(text) is None or DEFECT.search(text) or _POLICY.search(text):
        return False
    if len(text.split()) > _ASK_WORDS or not (is_question(text, form=True) or _ASKED.search(text)):
        return False
    story = next(
        (t for t in reversed(_told_before(turn)) if DEFECT.search(t) or _not_here(t)), None
    )
    return story is not None and _not_here(story)


# The shop's rules asked about ("whats your return policy", "退货政策是啥", "退货规定"): a
# question in general, answered from the knowledge base, not about the parcel that never came.
_POLICY = re.compile(r"\bpolic(?:y|ies)\b|\brules?\b|政策|规定|规则", re.IGNORECASE)


# A parcel that did not come, in more words than the refund's path needs: "never showed up",
# "never came at all", "didnt arrive", "it hasnt shown up" (not "didn't come with a cable").
_NOT_HERE = re.compile(
    r"\bnever (?:showed|shown|turned|came|come|arrived|got here|got to me|delivered|reached)\b|"
    r"\b(?:didn'?t|did not|hasn'?t|has not|haven'?t|have not|hadn'?t)\s+"
    r"(?:arrived?|come|came|turned up|shown up|showed up|show up|turn up|got here|get here|"
    r"been delivered|reached me)\b(?!\s+(?:with|in)\b)|"
    r"没(?:到|收到|送到|来)|丢了",
    re.IGNORECASE,
)


def _not_here(text: str) -> bool:
    """True when the words say a parcel has not come (the refund path's words, or more)."""
    return _never_came(text) or (_NOT_HERE.search(text) is not None and DEFECT.search(text) is None)


async def nothing_back(turn: Turn) -> list[Reply]:
    """Nothing to send back: the parcel never reached the customer; the case that is open
    about it (or the order in play) and what happens next."""
    number = turn.order_in_play
    order = await find_order(turn, number) if number is not None else None
    if order is not None and order.status == "cancelled":
        order = None
    case = await current_case(turn)
    if case is not None:
        turn.outcome.case = case.number
        key = "lost_nothing_back_case"
    else:
        key = "lost_nothing_back"
    if order is None:
        key += "_no_order"
    return [
        turn.reply(key, order=order.number if order else "", number=case.number if case else "")
    ]
