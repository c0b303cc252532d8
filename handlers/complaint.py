"""Complaints become numbered cases with a priority; more detail is added to the open case."""

from __future__ import annotations

import re
from dataclasses import replace

from crm_memory import Case, CaseKind, Direction, Priority
from handlers import escalation
from handlers.cases import (
    HURRIED,
    case_for_order,
    case_state,
    current_case,
    past_target,
    waited_said,
)
from handlers.context import (
    ADDRESS_SHAPE,
    DEFECT,
    WHOLE_PARCEL,
    WRONG_ITEM,
    asks_for_a_case,
    denies_defect,
    only_order,
    says_not_received,
    states_preference,
)
from handlers.dialogue import Asked, Purpose, Question, Told
from handlers.feedback import feedback, is_praise, topic_of
from handlers.greeting import ORDER_LINE, case_kind, case_status_line, only_missing, problem_kind
from handlers.hazard import HAZARD, advice
from handlers.inquiry import OPEN_CASE, find_order, late_where
from handlers.orders import names_order, with_order
from handlers.questions import is_question
from handlers.segments import AT_RISK
from handlers.service import complained as about_service
from handlers.turn import HUMAN, Turn
from handlers.types import Button, Reply
from handlers.wording import REFUND_WORDS, REPEAT, RHETORICAL, VENTING
from nlu.sentiment import is_sarcastic, names_a_problem
from nlu.types import SentimentLabel

# Words that make a complaint more urgent, in English and Chinese.
URGENT_WORDS = re.compile(
    r"lawyer|solicitor|attorney|\bsue\b|court|police|fraud|scam|律师|起诉|法院|报警|骗", re.I
)
# What raises a complaint above normal (brief C28): a hazard (its words: handlers/hazard.py),
# a parcel lost, money taken wrongly, or the customer saying it is urgent. An ordinary fault
# ("broken, want refund", "坏了 退款") stays normal: a fault is the everyday case.
HAZARD_WORDS = HAZARD.pattern
LOST_WORDS = re.compile(
    r"\bnever (?:came|arrived|got|received|turned up|showed up)\b|\bnot received\b|"
    r"\blost (?:in the post|in transit|parcel|package)\b|"
    r"\b(?:parcel|package|order) (?:is |was )?lost\b|"
    r"\b(?:gone|went) missing\b|未收到|没收到|丢件|(?:快递|包裹)丢了|弄丢",
    re.I,
)
MONEY_WRONG = re.compile(
    r"\bcharged (?:me )?(?:for (?:something|nothing|an order|a cancelled)|without)|"
    r"\btook (?:my )?money\b|\bmoney (?:was )?taken\b|\bunauthori[sz]ed (?:charge|payment)|"
    r"乱扣|莫名(?:其妙)?(?:被)?扣|没(?:下单|买).{0,6}扣",
    re.I,
)
URGENT_SAID = re.compile(
    r"\b(?:urgent(?:ly)?|asap|emergency|right away|immediately)\b|急|紧急|加急", re.I
)
SERIOUS_WORDS = re.compile(
    "|".join(w.pattern for w in (HAZARD_WORDS, LOST_WORDS, MONEY_WRONG, URGENT_SAID)), re.I
)
# A charge to check: twice, too much, or money taken with no order.
# The knowledge-base entry on payments gone wrong: what a charge case is about.
PAYMENT_ENTRY = "payment-problem"
PAYMENT_PROBLEM = re.compile(
    r"(?:charged|debited|billed) (?:me )?(?:twice|two times|2 times|double|2x|too much)|"
    r"double[- ]charged|"
    r"charged .{0,30}twice|two (?:charges|payments)|duplicate (?:charge|payment)|"
    r"paid twice|taken twice|"
    # "the money left my bank twice", "payment came out of my account two times".
    r"\b(?:money|payment|charge|amount)\b.{0,40}\b(?:twice|two times|2 times|2x)\b|"
    r"扣了?(?:我)?(?:两回|好几次|好几笔|几笔钱)|扣了?(?:我)?两次|扣(?:了)?(?:我)?两(?:次|遍|笔)|两笔(?:钱|款)|重复扣|多扣|扣款两次|付了两次|"
    r"两笔扣款|扣了.{0,6}两次",
    re.I,
)
# No order to go by: "there is no order number", "the order never went through", "payment
# failed" (a failed payment places none), "没有订单号", "订单没生成", "付款失败".
NO_ORDER = re.compile(
    r"\bno order\b|\bno order (?:number|no|#)|\bwithout an? order\b|"
    r"\border (?:never|didn'?t|didnt|did not|wasn'?t|wasnt|was not) (?:go through|went through|"
    r"placed|created|made)\b|\b(?:payment|checkout|card)\b.{0,20}\b(?:failed|declined|didn'?t go "
    r"through|did not go through)\b|"
    r"(?:没|没有)(?:订单号|单号|订单|生成订单|下单成功)|订单(?:也|都)?(?:没|没有)(?:生成|下成|成功)|"
    r"(?:付款|支付|下单)(?:失败|不成功|没成功)",
    re.IGNORECASE,
)
# Money trouble in the customer's words: a payment, a charge, money taken.
MONEY_TROUBLE = re.compile(
    r"\bpayment\b|\bcharg\w*|\bdebit\w*|\bpaid\b|\bmoney\b|扣|付款|支付|钱",
    re.IGNORECASE,
)


def no_order_payment(text: str) -> bool:
    """True when the words tell a payment's trouble with no order to go by ("payment failed,
    there is no order number", "付款失败了 没有订单号")."""
    return NO_ORDER.search(text) is not None and MONEY_TROUBLE.search(text) is not None


def payment_before(turn: Turn) -> str | None:
    """The customer's last message before this one when it told money trouble with a
    payment (answered on payments) or a refund (answered on returns: "我要退货退款") and this
    one only asks for a case ("can you open a case", "帮我建个工单"): what the case is about,
    so that later questions about the money find it; else None."""
    if not asks_for_a_case(turn.message.text) or MONEY_TROUBLE.search(turn.message.text):
        return None
    if turn.dialogue.topic == "ask_returns_refunds":
        said = [
            m.text
            for m in turn.context.recent
            if m.direction is Direction.IN and m.id != turn.message_record
        ]
        refund = bool(said) and REFUND_WORDS.search(said[-1]) is not None
        return said[-1].strip() if refund else None
    if turn.dialogue.topic != "ask_payment":
        return None
    said = [
        m.text
        for m in turn.context.recent
        if m.direction is Direction.IN and m.id != turn.message_record
    ]
    if not said or MONEY_TROUBLE.search(said[-1]) is None:
        return None
    return said[-1].strip()


VIP_TIERS = {"vip", "gold", "platinum"}
REPLACEMENT = "complaint_replacement"
# The same for a part missing from the parcel: sent (or refunded), nothing sent back.
MISSING = "complaint_missing"
# Markers (the turn they were said in): the case sends a missing part, or a new item.
SENDS_PART = "sends:part"
SENDS_NEW = "sends:replacement"


def complaint_priority(
    *, text: str, sentiment: float, repeat: bool, tier: str, segment: str = ""
) -> Priority:
    """Normal, raised by strong negative sentiment, serious or legal words, a repeat
    complaint, a VIP customer and a customer at risk of leaving; capped at urgent."""
    level = Priority.NORMAL.rank
    if sentiment <= -0.75:
        level += 1
    if URGENT_WORDS.search(text):
        level += 2
    elif (
        SERIOUS_WORDS.search(text)
        or PAYMENT_PROBLEM.search(text)
        or says_not_received(text)
    ):
        level += 1
    if repeat:
        level += 1
    if tier.lower() in VIP_TIERS:
        level += 1
    if segment == AT_RISK:
        level += 1
    return list(Priority)[min(level, Priority.URGENT.rank)]


# "also ...", "and ...", "还有...": the customer is adding to what they were saying.
_CONTINUES = re.compile(
    r"^\s*(?:also|and|plus|oh and|btw|on top of that)\b|^\s*(?:还有|而且|另外|并且)", re.I
)


async def remark(turn: Turn) -> list[Reply]:
    """Feedback, except a negative remark while a case is open that belongs to the case (it
    continues the complaint, names no other topic, or the case's own): it goes into the case,
    where the person handling it reads it, instead of into feedback."""
    text = turn.message.text
    ironic = is_sarcastic(text)
    sarcastic = ironic and not is_praise(turn.parse)
    if (
        turn.context.open_cases
        and (ironic or names_a_problem(text))
        and await current_case(turn) is not None
    ):
        # "brilliant. just brilliant. still waiting" with a case open: about the case,
        # whatever a praise word made of its sentiment; on the case, with an apology.
        turn.outcome.intents[-1:] = ["complaint"]
        return await complaint(turn)
    if sarcastic and bitter(turn):
        # "wow amazing service, 3 weeks and nothing": a problem, said bitterly. A case,
        # never a thank-you.
        turn.outcome.intents[-1:] = ["complaint"]
        return await complaint(turn)
    if not is_praise(turn.parse):
        case = await current_case(turn)
        if case is not None:
            product = turn.parse.entity("product")
            topic = topic_of(turn.message.text, product.value if product else None)
            if _CONTINUES.search(turn.message.text) or topic is None or topic == case.topic:
                return await complaint(turn)
    return await feedback(turn, sarcastic=sarcastic)


# Praise that reads as a complaint to the intent classifier ("you lot are brilliant, parcel
# came next day"): this sure of a positive feeling, and no problem named, is praise.
PRAISE = 0.5


def plain_praise(turn: Turn) -> bool:
    """True when a message the engine took for a complaint is plain praise."""
    text = turn.message.text
    return (
        turn.parse.sentiment_label is SentimentLabel.POSITIVE
        and turn.parse.sentiment >= PRAISE
        and not is_sarcastic(text)
        and not names_a_problem(text)
        and not DEFECT.search(text)
        and turn.parse.entity("order_number") is None
    )


def bitter(turn: Turn) -> bool:
    """True when praise is said of a problem the words name ("wow amazing service, 3 weeks
    and nothing"): a complaint, whatever the intent classifier made of it."""
    text = turn.message.text
    return is_sarcastic(text) and bool(names_a_problem(text) or DEFECT.search(text))


def sarcastic_remark(turn: Turn) -> bool:
    """True for sarcasm that names no problem ("oh brilliant, another bot."): negative
    feedback, not a case."""
    text = turn.message.text
    return (
        is_sarcastic(text)
        and not bitter(turn)
        and turn.parse.entity("order_number") is None
        and not asks_for_a_case(text)
    )


def _priority_said(turn: Turn, priority: Priority) -> str:
    """The priority as a new case's announcement says it: only when it is urgent."""
    if priority.rank < Priority.HIGH.rank:
        return ""
    return turn.say(f"priority_said_{priority.value}")


def _reason(turn: Turn, line: str) -> str:
    product = turn.parse.entity("product")
    text = " ".join(line.split())
    short = text if len(text) <= 60 else text[:57] + "..."
    return f"{product.value}: {short}" if product else short


def _defect_path(turn: Turn, line: str) -> list[Reply]:
    """For a faulty, damaged, wrong or incomplete item: how the return or replacement goes
    (once a conversation: the customer has read it)."""
    told = turn.dialogue.variant(REPLACEMENT) is not None or REPLACEMENT in turn.outcome.said
    wrong = WRONG_ITEM.search(line) is not None
    # "水杯只有一个 应该两个": fewer than ordered is a missing part too, in words DEFECT lacks.
    missing = only_missing(line)
    if told or not (DEFECT.search(line) or wrong or missing) or denies_defect(line):
        return []
    if problem_kind(line) == "late":
        return []  # "the whole parcel is missing": nothing came, so nothing to send back
    # A missing part: nothing to send back, the part is sent (no return label to wait for).
    reply = turn.reply(MISSING if missing else REPLACEMENT)
    turn.outcome.said.setdefault(REPLACEMENT, 0)
    # What this case sends the customer, and when it was said: "can you send it express"
    # next is about that (handlers/attributes.py).
    turn.outcome.said[SENDS_PART if missing else SENDS_NEW] = turn.dialogue.turn
    return [reply]


async def complaint(
    turn: Turn,
    *,
    line: str | None = None,
    order: str | None = None,
    posted: bool = False,
    path_told: bool = False,
) -> list[Reply]:
    """Open a case (or add to the open one) with the order in play; ask for it when missing.

    Args:
        line: what the case is about, when not the customer's words (an accepted offer).
        order: the order the case is about, when not the one in the conversation.
        posted: a charge the customer says was really taken, not a hold: what the payments
            team does with a real charge, never the hold that drops off by itself.
        path_told: the caller says what the case does next (the lost parcel's refund), so
            not the late parcel's trace beside it.
    """
    cases = turn.deps.cases
    # The customer's own words ("咋还没到 都过了两天了"), not an offer of ours accepted
    # right after the order's lateness was told.
    own_words = line is None
    line = (line or turn.message.text).strip()
    order = order or turn.order_in_play
    existing = await current_case(turn)
    known = {c.number for c in turn.context.open_cases}
    if existing is not None and existing.number in known and _other_product(turn, existing):
        # "my blender smells like burning" with the kettle's case open: one case per order
        # and subject, so the blender gets its own (and not the kettle's order).
        if order is not None and names_order(existing.summary, order):
            order = None
        existing = None
    if (
        existing is not None
        and not own_words
        and order is not None
        and ORDER_LINE.search(existing.summary)
        and not names_order(existing.summary, order)
    ):
        # Our offer of a case about another order than the open case's, taken: a case of
        # its own (one case per order), never that order put beside the first on its case.
        existing = None
    other = another_order(turn, existing) if existing is not None else None
    beside: Case | None = None
    if existing is not None and existing.number in known and other is not None:
        # "also my order B-2232, the strap ripped", "and order A-1005 is late too" with the
        # coffee machine's case on A-1003: another order's problem goes on the open case
        # about that order, else a case of its own, never a line on the first one.
        beside, order = existing, other
        existing = next(
            (c for c in reversed(turn.context.open_cases) if names_order(c.summary, other)), None
        )
    if existing is not None and existing.number not in known and asks_for_a_case(turn.message.text):
        # "等了十来天了 给我开个工单吧": an earlier request of this very message opened the
        # case; its reply says so, and "you already have case #1" beside it contradicts it.
        turn.outcome.case = existing.number
        return []
    if existing is not None:
        turn.outcome.case = existing.number
        priority = complaint_priority(
            text=line,
            sentiment=turn.parse.sentiment,
            repeat=True,
            tier=turn.context.customer.tier,
        )
        await cases.update(
            existing.number,
            summary=with_order(f"{existing.summary}\n{line}".strip(), order),
            priority=priority if priority.rank > existing.priority.rank else None,
        )
        said = turn.message.text
        if asks_for_a_case(said):
            # "open a ticket" with one open: which case it is and where it stands.
            opened = turn.say("case_already_open", number=existing.number)
            return [Reply(f"{opened}\n{case_status_line(turn, existing)}")]
        choice = states_preference(said)
        if choice is not None:
            # "can I just get my money back instead": yes, and it is on the case.
            choice_words = turn.say(f"choice_{choice}")
            return [turn.reply("complaint_preference", number=existing.number, choice=choice_words)]
        if HURRIED in turn.outcome.said and _nothing_new(line):
            # "那能帮我催一下吗 我要投诉": the hurry's reply says it is noted; not twice.
            return []
        if about_service(said):
            # "the lady i phoned just hung up on me": sorry for how they were treated, on the
            # case, and who answers it (not "thanks for the detail").
            return [turn.reply("service_complaint_added", number=existing.number)]
        # A danger told on an open case: the safety advice before the case's news.
        return [*advice(turn, line), await _added(turn, existing, line), *_defect_path(turn, line)]

    past = await cases.for_customer(turn.customer_id)
    repeat = any(c.kind is CaseKind.COMPLAINT for c in past)
    customer = turn.context.customer
    priority = complaint_priority(
        text=line,
        sentiment=turn.parse.sentiment,
        repeat=repeat,
        tier=customer.tier,
        segment=customer.segment,
    )
    earlier = payment_before(turn) if own_words else None
    if earlier is not None:
        # "can you open a case" right after a failed payment was told: the case is about
        # that payment, in the customer's words.
        line = f"{earlier}\n{line}"
    if NO_ORDER.search(line):
        # "payment failed, there is no order number": no order to put on it, or ask for.
        order = None
    payment = PAYMENT_PROBLEM.search(line) is not None
    if payment and order is not None:
        line = f"{turn.say('case_payment_check', order=order)}: {line}"
    product = turn.parse.entity("product")
    case = await cases.open(
        customer_id=turn.customer_id,
        kind=CaseKind.COMPLAINT,
        priority=priority,
        reason=_reason(turn, line),
        summary=with_order(line, order),
        topic=topic_of(line, product.value if product else None) or "other",
    )
    turn.outcome.case = case.number
    key = "complaint_opened_order" if order else "complaint_opened"
    opened = turn.say(
        key,
        name=turn.name,
        number=case.number,
        order=order or "",
        priority=_priority_said(turn, priority),
    )
    beside_order = _order_on(beside.summary) if beside is not None else None
    if beside is not None and beside_order is not None and order is not None:
        # Said so: the first case stays about its own order.
        kept = turn.say("case_other_order_kept", number=beside.number, order=beside_order)
        opened = f"{kept} {opened}"
    replies = [
        # A product that may hurt someone: how to stay safe comes before the case.
        *advice(turn, line),
        Reply(opened),
        *_defect_path(turn, line),
    ]
    if own_words and WHOLE_PARCEL.search(line) and problem_kind(line) == "late":
        # "the whole parcel is missing": the carrier asked first, then a resend or a refund.
        replies.append(turn.reply("lost_parcel_refund", number=case.number, carrier=""))
        turn.explained(Told.LOST_PARCEL_REFUND)
    elif order is not None and own_words and not DEFECT.search(line):
        # A case about a late parcel: where it is and what happens now, not the case alone.
        where = await late_where(turn, order)
        replies += [where] if where is not None else []
    elif order is not None and not own_words and not path_told and await _shipped_late(turn, order):
        # The offer taken right after the lateness was told: not where it is again, but what
        # the case does next (the carrier's trace, then a new one or a refund).
        replies.append(turn.reply("case_eta_trace", number=case.number))
    if payment:
        # Charged twice: the same in any language, the payments team checks the charge.
        replies.append(turn.reply("payment_posted_next" if posted else "payment_check_next"))
        # "how long till the money is back" next is about this charge, not the queue.
        turn.answered_from(PAYMENT_ENTRY, shown=False, case=case.number)
    if order is None and about_service(turn.message.text):
        # How our people or channels treated them: no order to ask for first; what happens
        # next, and an order taken if it is about one.
        replies.append(turn.reply("service_complaint_next", number=case.number))
    elif order is None and no_order_payment(line):
        # A payment that made no order: no number to ask for; what finds the charge instead.
        replies.append(turn.reply("payment_case_details", number=case.number))
    elif order is None:
        purpose = Purpose.PAYMENT if payment else Purpose.COMPLAINT
        turn.ask(Asked(Question.ORDER_NUMBER, purpose=purpose, case=case.number))
        replies.append(turn.reply("complaint_ask_order", number=case.number))
    reason = escalation_reason(
        case, tier=turn.context.customer.tier, at=turn.deps.escalate_priority
    )
    if reason is None and escalation.asks_for_person(turn.message.text):
        # "我要找人工 咖啡机不出水了 订单A-1003": the case, and the person asked for with it.
        reason = "asked for a human"
    if reason is not None:
        await escalation.escalate(turn, reason=reason, case=case)
        replies.append(escalation.handed_over(turn, "escalated_notice", case))
    return replies


# Said as more of the same complaint: "oh and ... too", "also the ...", "还有 ... 也坏了".
_ADDED_TOO = re.compile(
    r"\b(?:too|as well|also)\b|^\W*(?:oh |and |plus )*and\b|^\W*(?:还有|另外|而且|并且)|也",
    re.IGNORECASE,
)


def another_order(turn: Turn, case: Case) -> str | None:
    """The order a problem is told about when it is not the open complaint case's: the case
    has its order already and the message names only other orders, even as the same problem
    again ("and order A-1005 is late too", "A-1005也晚了"): that order, for the case about it
    or a case of its own (one case per order); else None."""
    if case.kind is not CaseKind.COMPLAINT or ORDER_LINE.search(case.summary) is None:
        return None
    named = [o.value for o in turn.parse.orders]
    if not named or any(names_order(case.summary, number) for number in named):
        return None
    return str(named[0])


# Added to the case in so many words: "add it to the case", "put that on my ticket too",
# "一起加到工单里", "也记到工单上".
_ADD_TO_CASE = re.compile(
    r"\b(?:add|put|include|log|note)\b.{0,20}\b(?:case|ticket|complaint)\b|"
    r"\badd (?:it|that|this|them|those)\b|"
    r"(?:加|记|放|添加|补充|算)(?:到|进|在)?(?:这个|那个)?(?:工单|投诉)",
    re.IGNORECASE,
)
# Said as the same trouble once more: "too", "as well", "either", "also", "也", "同样".
_ALSO = re.compile(
    r"\b(?:too|as well|either|also|same (?:thing|problem|issue))\b|也|同样|一样", re.IGNORECASE
)


def other_order_trouble(turn: Turn) -> str | None:
    """The order a trouble is told about, as more of the same ("and order A-1005 is late
    too", "also A-1005 hasn't arrived either", "A-1005也延误了 一起加到工单里"), while the
    open complaint case is about another order: that order, for its own case (or the open
    case about it), never a line on the other order's case nor only its status."""
    named = [o.value for o in turn.parse.orders]
    if len(named) != 1:
        return None
    order = str(named[0])
    if any(names_order(c.summary, order) for c in turn.context.open_cases):
        return None  # its own case is open: what is said goes there as before
    about_other = [
        c
        for c in turn.context.open_cases
        if c.kind is CaseKind.COMPLAINT
        and ORDER_LINE.search(c.summary)
        and not names_order(c.summary, order)
    ]
    if not about_other:
        return None
    text = turn.message.text
    told = (
        problem_kind(text) is not None or DEFECT.search(text) is not None
        or says_not_received(text)
    )
    if not told:
        return None  # "make sure A-1002 doesn't come on a weekend, open a case": no trouble
    added = _ADD_TO_CASE.search(text) is not None or asks_for_a_case(text)
    if not (added or (_ALSO.search(text) and not is_question(text, form=True))):
        return None
    return order


def _other_product(turn: Turn, case: Case) -> bool:
    """True when the message names a product other than the one a complaint case is about,
    and no order on that case ("my blender smells like burning" with the kettle's case)."""
    product = turn.parse.entity("product")
    if product is None or case.kind is not CaseKind.COMPLAINT:
        return False
    text = turn.message.text
    if _ADDED_TOO.search(text) and not HAZARD.search(text):
        # "oh and order B-2231 too, the air fryer had a cracked lid", "还有 ... 台灯也裂了":
        # the customer adds it to the complaint they are making; it goes on that case (a
        # danger, "the kettle makes a burning smell too", is a case of its own all the same).
        return False
    about, colon, _ = case.reason.partition(":")
    if not colon or about.strip().lower() == str(product.value).lower():
        return False
    return not any(names_order(case.summary, o.value) for o in turn.parse.orders)


def escalation_reason(case: Case, *, tier: str, at: Priority) -> str | None:
    """Why a new complaint goes straight to people, if it does: a VIP's complaint is named
    as such even when the tier also raised its priority."""
    if tier.lower() in VIP_TIERS:
        return "VIP complaint"
    if case.priority.rank >= at.rank:
        return "high-priority complaint"
    return None


async def _shipped_late(turn: Turn, number: str) -> bool:
    """True for an order with the carrier past its date (a trace is what its case does)."""
    order = await find_order(turn, number)
    return (
        order is not None
        and order.status == "shipped"
        and order.is_late(turn.deps.clock().date())
    )


async def attach_order(turn: Turn, number: int, order: str) -> list[Reply]:
    """The order number the customer sent after we asked for it goes onto the case."""
    case = await turn.deps.cases.get(number)
    turn.outcome.case = number
    await turn.deps.cases.update(number, summary=with_order(case.summary, order))
    noted = turn.reply("complaint_order_noted", order=order, number=number)
    # "41177" for a case about a late parcel: where that order is, not only "added".
    where = await late_where(turn, order)
    if where is None:
        # "ok" / "好的" next nods to "added", not a go-ahead for the case's remedy again.
        turn.explained(Told.CASE_ORDER)
        return [noted]
    return [noted, where]


# The Reading detail of an order number for the case of this conversation, asked or not.
CASE_ORDER = "case_order"
# The detail of a Reading: more about the case ("the keyboard", "用不了") while its order
# number is asked for: noted on it, and the number still asked for.
CASE_MORE = "case_more"


async def more_while_asked(turn: Turn) -> list[Reply]:
    """What the customer adds to the case while the bot waits for its order number, noted;
    the question stays (the number sent next goes on the case)."""
    asked = turn.dialogue.asked
    replies = await complaint(turn)
    if asked is not None and turn.outcome.asked is None:
        turn.ask(replace(asked, turn=0))
        if asked.case is not None:
            replies.append(turn.reply("case_order_still", number=asked.case))
    return replies


def waits_for_order(turn: Turn) -> int | None:
    """The case of this conversation an order-number-only message is for ("A-5520", "its
    5500123", "订单是A-1506", "单号 77881234"): open, with no order on it yet, whether or not
    the bot's question for it still stands (a case question or a nod in between, or never
    asked). None when it is something else: a question ("where is 58213"), a fault, an order
    already on the case (another number then is another order's), or the bot waiting on
    another question."""
    asked = turn.dialogue.asked
    if asked is not None and asked.question is not Question.HUMAN:
        return None  # the question asked reads the number (its purpose says what for)
    number = waits_for_case_order(turn)
    if number is None or len(turn.parse.orders) != 1:
        return None
    text = turn.message.text.strip()
    if not only_order(turn, text) or is_question(text, auxiliaries=False) or DEFECT.search(text):
        return None
    return number


def waits_for_case_order(turn: Turn) -> int | None:
    """This conversation's open case when it has no order on it yet, else None."""
    number = turn.dialogue.case
    case = next((c for c in turn.context.open_cases if c.number == number), None)
    if case is None or ORDER_LINE.search(case.summary):
        return None
    return case.number


async def without_order(turn: Turn, number: int | None) -> list[Reply]:
    """Asked for the order number of a case, the customer has none at hand: carry on."""
    if number is None:
        return [turn.reply("no_order_ok")]
    turn.outcome.case = number
    # Still welcome later ("found it: 88231"): the question stays open, unasked.
    turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.COMPLAINT, case=number))
    return [turn.reply("complaint_no_order", number=number)]


async def add_detail(turn: Turn, case: Case) -> list[Reply]:
    """What the customer adds while a case is open goes on it, with any order named; a
    problem with another order is a case of its own (``another_order``)."""
    if another_order(turn, case) is not None and (
        DEFECT.search(turn.message.text) or names_a_problem(turn.message.text)
    ):
        return await complaint(turn)
    turn.outcome.case = case.number
    line = turn.message.text.strip()
    # "and now sparks came out of it": a danger raises the case to high priority.
    danger = HAZARD.search(line) is not None
    raise_to = Priority.HIGH if danger and case.priority.rank < Priority.HIGH.rank else None
    await turn.deps.cases.update(
        case.number,
        summary=with_order(f"{case.summary}\n{line}".strip(), turn.order_in_play),
        priority=raise_to,
    )
    return [*advice(turn, line), await _added(turn, case, line), *_defect_path(turn, line)]


def vents_in_question(turn: Turn, line: str) -> bool:
    """True for venting said as a question that asks nothing ("why does this always happen
    to me", "is this a joke", "怎么又坏了", "这都第几次了"): a fault word in it says the fault
    came back, not a new one; an order or a product named is more for the case."""
    return (
        RHETORICAL.search(line) is not None
        and turn.parse.entity("order_number") is None
        and turn.parse.entity("product") is None
        and not escalation.asks_for_person(line)
    )


# The Reading detail of venting asked as a question (handlers/readings.py).
VENTED = "vented"


async def vented(turn: Turn) -> list[Reply]:
    """Venting asked as a question with a case open ("为啥老是坏", "is this a joke"): the
    apology and where the case stands, raised when the fault is back or the wait is past its
    target; a repeat fault is a fact for the team, so its words go on the case too."""
    case = await current_case(turn)
    if case is None:
        return await complaint(turn)
    turn.outcome.case = case.number
    line = turn.message.text.strip()
    if REPEAT.search(line) and DEFECT.search(line):
        await turn.deps.cases.update(case.number, summary=f"{case.summary}\n{line}".strip())
    return [await _vented(turn, case, line)]


async def _vented(turn: Turn, case: Case, line: str) -> Reply:
    """An apology and where the case stands; a repeat fault ("又坏了", "always") or a case
    past the time we aim for is raised (high priority, a note for the team saying why) and
    the reply says so."""
    repeat = REPEAT.search(line) is not None
    if repeat or past_target(turn, case):
        why = "repeat fault" if repeat else "waited past its target"
        await turn.deps.cases.add_note(
            case.number, author="bot", text=f"Customer upset ({why}): {line}"
        )
        if case.priority.rank < Priority.HIGH.rank:
            # Raised once, and said so once: an already raised case is not "raised" again.
            await turn.deps.cases.update(case.number, priority=Priority.HIGH)
            key = "complaint_vented_repeat" if repeat else "complaint_vented_late"
            return turn.reply(key, number=case.number, state=case_state(turn, case))
    if case.owner is None and escalation.team_away(turn):
        when = escalation.back_at(turn)
        return turn.reply("complaint_vented_away", number=case.number, when=when)
    return turn.reply("complaint_vented", number=case.number, state=case_state(turn, case))


# "why is it late", "why did it charge twice", "how come it broke", "为啥会扣两次", "怎么会
# 坏呢", "为什么还没到": why the problem on the case happened (venting said as a question,
# "why does this always happen to me", is RHETORICAL and read before).
_ASKS_WHY = re.compile(
    r"\bwhy\b|\bhow come\b|\bwhat(?:'s| is) the reason\b|\bwhat happened\b|"
    r"为什么|为啥|怎么会|咋会|什么原因|啥原因|怎么回事|咋回事",
    re.IGNORECASE,
)
# What a case is about, named in the why ("late", "charge twice", "broke", "扣两次", "没到"):
# the case's own problem, not another topic asked about with a case open ("why is the
# express so expensive").
_CASE_PROBLEM = re.compile(
    r"\b(?:late|delay\w*|slow|so long|charg\w*|twice|double|broke\w*|died|stopped|faulty|"
    r"not (?:here|arrived|come|working)|missing|wrong|lost|stuck)\b|"
    r"扣|坏|没到|还没|延误|这么慢|发错|少了|丢了|卡住",
    re.IGNORECASE,
)
# A why about the wait itself ("why's it taking so long now", "what's taking so long", "怎么这么
# 慢", "为啥要等这么久"): the case's place in the queue and when the team answers
# (handlers/cases.py), not the cause of the fault.
_ABOUT_THE_WAIT = re.compile(
    r"\btak(?:e|es|ing)\s+(?:so|this|that|such a)\s+long\b|\btaking (?:forever|ages|a while)\b|"
    r"\b(?:is|are|it'?s|its|so)\s+(?:so\s+|this\s+)?slow\b|\bso slow\b|"
    r"(?:怎么|咋|为什么|为啥|干嘛)(?:这么|那么|这样)?(?:慢|久)|(?:要|得)等(?:这么|那么)?(?:久|长)|"
    r"(?:这么|那么|太|好)(?:慢|久)",
    re.IGNORECASE,
)


def asks_about_the_wait(line: str) -> bool:
    """True for a why about how long it is taking ("why's it taking so long now", "咋这么慢啊"),
    not about what went wrong ("why is it late", "为什么还没到")."""
    return _ABOUT_THE_WAIT.search(line) is not None


# The knowledge entry whose ``why`` explains a charge that looks double (faq.yml).
_CHARGE_WHY = "payment-problem"
# The Reading detail of a why asked about the open case's problem (handlers/readings.py).
WHY_CASE = "why_case"


def says_why(line: str) -> bool:
    """True when the words ask a reason ("why", "how come", "为什么", "咋回事"; not "咋整",
    what to do)."""
    return _ASKS_WHY.search(line) is not None


def asks_why(turn: Turn, line: str) -> bool:
    """True for "why is it late", "why did it charge twice", "为啥会扣两次" with a case open: a
    question about the cause, short and naming no other order."""
    return (
        _ASKS_WHY.search(line) is not None
        and _CASE_PROBLEM.search(line) is not None
        and not asks_about_the_wait(line)
        and RHETORICAL.search(line) is None
        and turn.parse.entity("order_number") is None
        and len(line.split()) <= 10
        and len(line) <= 40
    )


async def why_on_case(turn: Turn) -> list[Reply]:
    """Why the problem on the open case happened, as far as the shop knows: a charge that
    looks double is explained (a hold); a late order's carrier and how late it is; for the
    rest, honestly that the team is finding out on the case, and where the case stands."""
    case = await current_case(turn)
    if case is None:
        return await complaint(turn)
    turn.outcome.case = case.number
    replies: list[Reply] = []
    entry = turn.deps.knowledge.entry(_CHARGE_WHY)
    reason = entry.why(turn.language) if entry is not None else None
    if case_kind(case) == "payment" and reason is not None:
        replies.append(Reply(reason))
    order = _order_on(case.summary)
    where = await late_where(turn, order) if order is not None else None
    if where is not None:
        replies.append(where)
    replies.append(
        turn.reply("case_why_checking", number=case.number, state=case_state(turn, case))
    )
    return replies


def _order_on(summary: str) -> str | None:
    found = ORDER_LINE.search(summary)
    return found.group(1) if found else None


def _nothing_new(line: str) -> bool:
    """True when a message adds no fact for the team: no fault, no order, no product."""
    return not (DEFECT.search(line) or WRONG_ITEM.search(line) or PAYMENT_PROBLEM.search(line))


def vents(turn: Turn, line: str) -> bool:
    """True for venting that adds nothing for the team ("this is ridiculous honestly")."""
    return VENTING.search(line) is not None and _adds_nothing(turn, line)


def _bitter_about_it(turn: Turn, line: str) -> bool:
    """True for what a customer adds to an open case that owes them an apology, not thanks:
    venting, sarcasm ("wow amazing service, 2 weeks and still nothing", "呵呵 谢谢你们啊 问题
    一点没解决"), or a wait told bitterly ("still waiting", "三天了还没人理我", "so nobody
    till tomorrow great"), with no new fact for the team."""
    return (
        VENTING.search(line) is not None
        or is_sarcastic(line)
        or names_a_problem(line)
        or _NOBODY_TILL.search(line) is not None
    ) and _adds_nothing(turn, line)


def _adds_nothing(turn: Turn, line: str) -> bool:
    return (
        _nothing_new(line)
        and turn.parse.entity("order_number") is None
        and turn.parse.entity("product") is None
    )


# How new or little used the item is ("its only 2 weeks old", "ive barely used it", "used it
# like 3 times", "都没用几次", "才买了一个礼拜就这样", "刚到货就"): a detail for the case.
_ITEM_AGE = re.compile(
    r"\b(?:only|just|barely|not even|less than|under)\s+(?:about |like |around )?"
    r"(?:a |an |one |two |three |four |five |six |\d+ |a few |a couple of |a couple )?"
    r"(?:days?|weeks?|wks?|months?)\s+old\b|"
    r"\b(?:barely|hardly|only|just|never even|not even)\s+(?:ever\s+)?"
    r"(?:used|worn|opened|touched|switched (?:it )?on)"
    r"(?=\s+(?:it|them|once|twice|\d|a few|a couple)\b|\s*$|\s*[,.!])|"
    r"\bused (?:it|them) (?:like |about |maybe |only |just )?"
    r"(?:once|twice|\w+ times|a (?:few|couple of) times|\d+ times)\b|"
    r"\b(?:bought|got|ordered|had|received) (?:it|them) (?:only |just )?(?:like |about )?"
    r"(?:a |an |one |two |three |\d+ |a few |a couple of )?(?:days?|weeks?|months?) ago\b|"
    r"\bbrand new\b|\bstraight out of the box\b|\bout of the box\b|"
    r"没用几次|没用过几次|才用了?(?:几|一|两|三|\d)|刚用了?(?:几|一|两|三|\d)|没用多久|用了没几天|"
    r"(?:才|刚)(?:买|到|收到)(?:了)?(?:一|两|三|四|五|几|半|\d)|刚买(?:了)?没|买了(?:才|还不到|没)|"
    r"(?:才|刚)(?:收到|到货|拆开)(?:就|没)|全新的|还是新的",
    re.IGNORECASE,
)


def tells_item_age(text: str) -> bool:
    """True when the customer says how new or little used the item is: more for the case
    about it, never a new request or a question for the team."""
    return _ITEM_AGE.search(text) is not None


# A day the customer needs the item by, with why or "need" ("needed it for my daughters
# birthday on saturday", "its a present for friday", "周六孩子过生日要用的", "下周一出差前要到").
_BY_DAY = re.compile(
    r"\b(?:on|by|before|for|this|next|until|till|this coming|coming|arriving|over)\s+"
    r"(?P<en>monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend|tomorrow)\b|"
    r"\b(?P<en2>tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:'?s)?\b"
    r"(?=.{0,30}\b(?:birthday|wedding|party|trip|flight|holiday|anniversary|present|gift)\b)|"
    # "my son's birthday is saturday", "the party's on friday": the event, then its day.
    r"\b(?:birthday|wedding|party|trip|flight|anniversary|dinner)(?:'s| is)?\s+(?:on\s+)?"
    r"(?P<en3>monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow)\b|"
    r"(?P<zh>周[一二三四五六日天末]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|明天|后天|"
    r"下周[一二三四五六日天]?|(?<!\d)\d{1,2}(?:号|日))",
    re.IGNORECASE,
)
_NEEDED = re.compile(
    r"\bneed(?:ed|s)? (?:it|them|this|that)\b|\b(?:birthday|wedding|party|trip|flight|holiday|"
    r"anniversary|present|gift|christmas|xmas|exam|event|move|moving)\b|\bhas to (?:be|arrive)\b|"
    r"\bmust (?:have|arrive|be)\b|\bin time for\b|"
    r"\bguests?\b|\bpeople coming\b|\bhosting\b|\bdinner\b|\bvisitors?\b|"
    r"要用|急用|等着用|过生日|生日|婚礼|出发|出差|旅游|旅行|送人|送礼|礼物|搬家|考试|办酒|请客|来人|"
    r"客人|聚会|开学|(?:之前|以前|前)(?:一定|必须|务必)?(?:要|得|必须)?(?:到|收到|送到)",
    re.IGNORECASE,
)
def needs_it_by(text: str) -> bool:
    """True when the customer says, not asks, the day they need the item by ("i needed it
    for the weekend", "周末要用的"; not "will it come by saturday?")."""
    if deadline_said(text) is None:
        return False
    # "please make it quick", "麻烦快点" ask for speed, not whether it comes by then.
    return not is_question(text) or _HURRY_ASKED.search(text) is not None


_HURRY_ASKED = re.compile(
    r"\b(?:make it|be) (?:quick|fast|snappy|speedy)\b|\b(?:hurry|rush|speed) (?:it|this|up)\b|"
    r"\basap\b|麻烦快|快点|尽快|加快",
    re.IGNORECASE,
)


def deadline_said(text: str) -> str | None:
    """The day the customer needs the item by, as they said it ("Saturday", "周六"), when
    they say they need it by then; None otherwise."""
    if _NEEDED.search(text) is None:
        return None
    # (A street's number is no day: "搬家了 寄到天府大道20号".)
    found = _BY_DAY.search(ADDRESS_SHAPE.sub(" ", text))
    if found is None:
        return None
    day = found.group("en") or found.group("en2") or found.group("en3") or found.group("zh")
    if day.isascii():
        day = day.lower()
        return day.capitalize() if day.endswith("day") and day != "today" else day
    return day


# Nobody until some later time, said as a remark ("so nobody till tomorrow great", "又要等到
# 明天", "周一之前都没人管是吧"): the wait is the grievance.
_NOBODY_TILL = re.compile(
    r"\b(?:nobody|no one|noone|no-one|nothing)\b.{0,20}\b(?:till|until|til|before)\b|"
    r"(?:又|还|得)要?等到|(?:明天|后天|周[一二三四五六日天末]|下周|星期.|礼拜.)(?:之前|以前|前)?.{0,3}"
    r"(?:都)?没人",
    re.IGNORECASE,
)


async def _added(turn: Turn, case: Case, line: str) -> Reply:
    """What the customer added is on the case: said so; a deadline ("needed it for my
    daughters birthday on saturday") is said back, noted and makes the case time-sensitive;
    how long they have waited ("都等了一个礼拜了") is acknowledged with an apology, and
    venting gets an apology and where the case stands instead of a thank-you."""
    day = deadline_said(line)
    if day is not None:
        await turn.deps.cases.add_note(
            case.number, author="bot", text=f"Customer needs it by {day}: {line}"
        )
        if case.priority.rank < Priority.HIGH.rank:
            await turn.deps.cases.update(case.number, priority=Priority.HIGH)
        return turn.reply("case_deadline", number=case.number, day=day)
    waited = waited_said(line) if _nothing_new(line) else None
    if waited is not None:
        return turn.reply(
            "case_waited_long", number=case.number, waited=waited, state=case_state(turn, case)
        )
    if _bitter_about_it(turn, line):
        if case.owner is None and escalation.team_away(turn):
            # "so nobody till tomorrow great": when someone will be there, said plainly.
            when = escalation.back_at(turn)
            return turn.reply("complaint_vented_away", number=case.number, when=when)
        return turn.reply("complaint_vented", number=case.number, state=case_state(turn, case))
    return turn.reply("complaint_added", number=case.number)


async def accept_case_offer(turn: Turn, order: str | None) -> list[Reply]:
    """The customer said yes to a case about a late order (or a refund that has not come)."""
    asked = turn.dialogue.asked
    if asked is not None and asked.purpose is Purpose.REFUND:
        line = turn.say("case_refund_late", for_order=_for_order(turn, order))
    else:
        line = turn.say("case_late_order", order=order or "?")
    return await complaint(turn, line=line, order=order)


def _for_order(turn: Turn, order: str | None) -> str:
    if order is None:
        return ""
    return f"（订单 {order}）" if turn.language == "zh" else f" for order {order}"


async def late_refund(turn: Turn) -> list[Reply]:
    """A refund that has not come ("still nothing on my card"): when refunds come, and our
    team to trace it, on the open case when there is one, else offered as a case or a person."""
    order = turn.order_in_play
    found = await find_order(turn, order) if order is not None else None
    if found is not None:
        order = found.number  # as the shop writes it ("A6650" given, "A-6650" said back)
    # An open case about another order: this refund is not put on it (nor its order beside
    # that one's); a case of its own is offered.
    case = await case_for_order(turn, order)
    if case is not None:
        turn.outcome.case = case.number
        line = turn.message.text.strip()
        await turn.deps.cases.update(
            case.number, summary=with_order(f"{case.summary}\n{line}".strip(), order)
        )
        return [turn.reply("refund_late_case", number=case.number)]
    turn.outcome.unresolved = True
    turn.ask(Asked(Question.OPEN_CASE, order=order, purpose=Purpose.REFUND, also=(Question.HUMAN,)))
    return [
        turn.reply(
            "refund_late",
            Button(turn.say("button_open_case"), OPEN_CASE),
            Button(turn.say("button_person"), HUMAN),
            for_order=_for_order(turn, order),
        )
    ]
