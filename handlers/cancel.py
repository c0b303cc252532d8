"""Cancelling an order, answered from where the order is; the refund's timing after it."""

from __future__ import annotations

import logging
import re

from crm_memory import Case, CaseKind, CaseStatus, Priority
from handlers import escalation, inquiry
from handlers.cases import asks_arrival, asks_if_done, current_case
from handlers.catalogue import CatalogueError
from handlers.clauses import clauses
from handlers.context import length
from handlers.dialogue import Asked, Proposal, Purpose, Question, Told
from handlers.orders import Order, OrderLookupError, names_order, order_key, with_order
from handlers.questions import checks_back
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import ANOTHER_ORDER, RETRACT

logger = logging.getLogger(__name__)

INTENT = "cancel_order"
# Why a cancellation goes to people: the shop's API only looks orders up, so a person
# cancels it in the shop's back office (the case says which order, and the desk shows it).
REASON = "order cancellation"
# Detail of a Reading: "actually dont cancel it" after the bot took a cancellation.
WITHDRAW = "cancel_withdrawn"
# The case topic a cancellation opens (``_request``).
TOPIC = "cancellation"

# Taking a cancellation back: a cancel said with a no, keeping the order, a change of mind.
# Read only with a cancellation in play (``withdraws``), so "keep it" elsewhere is not one.
_WITHDRAW = re.compile(
    r"\b(?:don'?t|dont|do not|no need to|not|never|stop|hold off on|hold the|"
    r"cancel the|undo the|forget the|scrap the|withdraw (?:the|my))\s+(?:\w+\s+)?"
    r"canc[el]{2}(?:l?ation|l?ing)?\b|"
    r"\b(?:keep|keeping)\s+(?:it|the order|my order|the \w+|them|that)\b|"
    r"\bi'?ll keep\b|\bstill want (?:it|them|the order)\b|"
    r"\bchang(?:ed|e) (?:my|of) mind\b|\bmind changed\b|"
    # "can i add a lid to it instead of cancelling", "改成加个东西 而不是取消".
    r"\b(?:instead of|rather than)\s+(?:the\s+)?canc[el]{2}\w*|"
    r"(?:而不是|不是要|代替)取消|"
    r"(?:不|别|不用|不要|甭|先不|暂时不|还是不)(?:要|用|帮我|给我)?(?:再)?取消|"
    r"取消.{0,3}(?:不要了|不用了|撤回|作废)|撤回.{0,4}取消|撤销.{0,4}取消|"
    r"还是要(?:了|吧|的)?|我还要|还要的|改主意|不退了|留着吧|保留订单|照常发",
    re.IGNORECASE,
)
# ... unless the same words still ask for it ("no, do cancel it", "还是取消吧").
_STILL_CANCEL = re.compile(
    r"\bdo cancel\b|\bplease cancel\b|\bstill (?:want to )?cancel\b|还是取消|就取消|确定取消",
    re.IGNORECASE,
)


# A cancellation asked for in so many words: "actually just cancel it", "cancel the order
# instead", "canel it pls", "还是取消吧", "直接取消", "算了 退了吧", "这单不要了 退掉". Not the
# express, the case or a person called off ("cancel the express", "取消加急").
_ASKS = re.compile(
    r"\bca(?:n|nc|cn)e?l+(?:ed|ing)?\b(?!\s+(?:the\s+|that\s+|my\s+)?"
    r"(?:express|upgrade|switch|case|ticket|request|person|agent|call))|"
    r"(?:还是|直接|就|那就|给我|帮我|干脆)?取消(?!加急|工单|转人工)|"
    r"退(?:了|掉)(?:吧|算了)|退单|不要了.{0,3}退",
    re.IGNORECASE,
)


# The item not wanted any more: "i dont want it anymore", "dont need them now", "no longer
# need it", "不想要了", "这个用不上了". Not a thing
# called off ("don't want the express", "工单不要了"): those are the offer's or the case's.
_UNWANTED = re.compile(
    r"\b(?:don'?t|dont|do not|no longer)\s+(?:really\s+|even\s+)?(?:want|need)\s+"
    r"(?:it|them|this|that|(?:the|my)(?: [\w-]+){1,3}?)?\s*"
    r"(?:any ?more|now|at all)\b|"
    r"\bno longer (?:want|need)\b|"
    r"不想要了|(?<![工单加急])不要了|不需要了|用不上了|用不着了",
    re.IGNORECASE,
)
_NOT_THE_ORDER = re.compile(
    r"\b(?:express|upgrade|case|ticket|person|agent|call|survey|newsletter|e-?mails?)\b|"
    r"加急|工单|转人工|人工|短信|推送",
    re.IGNORECASE,
)


def unwanted(text: str) -> bool:
    """True when the customer says they do not want the item any more ("i dont want it
    anymore, can i get my money back", "不想要了 能退吗"): with the order not yet in their
    hands, it is cancelled from where it is (refused at the door or sent back free), not
    chased as a lost parcel. The caller checks that an order is in play."""
    return (
        _UNWANTED.search(text) is not None
        and _NOT_THE_ORDER.search(text) is None
        and _WITHDRAW.search(text) is None
    )


def asks_for_it(text: str) -> bool:
    """True when the message asks for the order to be cancelled and does not take a
    cancellation back ("dont cancel it", "别取消了")."""
    if _ASKS.search(text) is None:
        return False
    return _STILL_CANCEL.search(text) is not None or _WITHDRAW.search(text) is None


_CANCEL_WORD = re.compile(r"\bcan(?:c|n)e?l+\w*|取消", re.IGNORECASE)
# The cancellation asked after as done: "cancelled yet", "been canceled", "取消了吗", "取消成功没".
_DONE = re.compile(
    r"\bcan(?:c|n)e?l+ed\b|取消(?:成功|掉|好|完)?了(?:吗|么|没|没有|嘛)|取消(?:成功|掉|好|完)(?:了)?(?:吗|么|没|没有|嘛)",
    re.IGNORECASE,
)
# Asked, not told: a question, or "has it been ...", "... or not".
_ASKED = re.compile(
    r"[?？]|^\W*(?:(?:so|and|ok|okay|but)\s+)?(?:is|has|have|was|did|are)\b|\bor not\b|"
    r"\byet\b|吗|么|没|嘛",
    re.IGNORECASE,
)
# Longer than this, a check on the cancellation says more than the check.
_CHECK_WORDS = 12


async def checks_it(turn: Turn, *, has_open_case: bool) -> bool:
    """True for "so the order isn't cancelled yet, right?", "so its definitely cancelled
    now?", "意思是已经取消了是吧" with a cancellation taken in this conversation or on the
    open case: where the cancellation stands (its case), not a new one, the invoice text nor
    the fallback."""
    text = turn.message.text
    if _CANCEL_WORD.search(text) is None:
        # "好了吗", "all done?", "has that gone through" right after the cancellation was
        # taken: that cancellation, even on a case opened for something else of the order.
        return asks_if_done(text) and _just_taken(turn)
    # "is it cancelled yet?", "has it been canceled", "取消了吗" ask the same as a check back.
    if not checks_back(text) and not (_DONE.search(text) and _ASKED.search(text)):
        return False
    if length(text) > _CHECK_WORDS or _STILL_CANCEL.search(text) is not None:
        return False
    if INTENT in turn.dialogue.intents or turn.dialogue.topic in (INTENT, TOPIC):
        return True
    if not has_open_case:
        return False
    case = await current_case(turn)
    return case is not None and case.topic == TOPIC


def _just_taken(turn: Turn) -> bool:
    """True when the last thing set going in this conversation, a few turns ago at most, is
    a cancellation."""
    proposed = turn.dialogue.proposed
    return (
        proposed is not None
        and proposed.kind is Proposal.CANCEL
        and turn.dialogue.turn - proposed.turn <= _TAKEN_TURNS
    )


# A cancellation is what "is that finished?" asks about for this many turns after it was taken.
_TAKEN_TURNS = 4


# An order not said to be one we know: "cancel an order", "one of my orders", "有一单要取消".
_SOME_ORDER = re.compile(
    r"\b(?:an|a|one|some|one of (?:my|the|those)) (?:order|purchase|parcel)s?\b|"
    r"(?:有|一)(?:个|笔)?(?:订单|单)|"
    # "帮我取消个订单": one of theirs, not said which (not "这个订单", "那个单子").
    r"(?<![这那哪每两几俩三])(?:个|笔)(?:订单|单子|单)(?!号)",
    re.IGNORECASE,
)


def _number(turn: Turn) -> str | None:
    """The order to cancel: named now or in the last turns, or the one the bot asked for;
    else the customer's one order remembered from an earlier conversation ("i need to cancel
    my order" the next day), said back with its status (with several, which is asked)."""
    if turn.order_in_play is not None:
        return turn.order_in_play
    asked = turn.dialogue.asked
    if asked is not None and asked.order:
        return asked.order
    if asked is not None and asked.question is Question.ORDER_NUMBER:
        return None  # a number asked for and not given: not one guessed
    if ANOTHER_ORDER.search(turn.message.text) or _SOME_ORDER.search(turn.message.text):
        return None  # "i need to cancel an order": not said to be the one we know
    remembered = {
        order_key(f.value): f.value for f in turn.context.facts if f.kind == "order_number"
    }
    return next(iter(remembered.values())) if len(remembered) == 1 else None


async def _find(turn: Turn, number: str) -> Order | None:
    if turn.deps.orders is None:
        raise OrderLookupError("no order source configured")
    return await turn.deps.orders.find(number)


async def cancel_order(turn: Turn) -> list[Reply]:
    """ "cancel my order A-1002", "帮我把单取消了": from where the order is.

    Not shipped: the request goes on a case for our team (the bot cannot cancel it itself)
    and is handed to them. Shipped: too late, refuse the delivery or return it. Delivered: a
    return. Cancelled already: when the money comes. No order known: asks for its number.
    """
    number = _number(turn)
    if number is None:
        # "how long for my money?" next: when a cancellation's refund comes, from the
        # knowledge base (with an order, from that order: ``refund_when``).
        turn.answered_from(inquiry.CANCEL, shown=False)
        turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.CANCEL))
        return [turn.reply("cancel_ask_number")]
    try:
        order = await _find(turn, number)
    except OrderLookupError as exc:
        logger.warning("order look-up failed: %s", exc)
        return [turn.reply("order_lookup_failed", order=number)]
    if order is None:
        # The number stays with the question: the right one next is read as meant for this.
        return inquiry.unknown_order(turn, number, Purpose.CANCEL)
    turn.outcome.statused.add(order.number)
    turn.outcome.slots["order_number"] = order.number
    if order.status == "cancelled":
        return [turn.reply("cancel_already", order=order.number)]
    if order.status == "delivered":
        return [turn.reply("cancel_delivered", order=order.number)]
    if order.status == "shipped":
        turn.explained(Told.SHIPPED_REFUSAL)  # "why not?" next: the carrier has it
        return [
            turn.reply(
                "cancel_shipped",
                order=order.number,
                carrier=order.carrier or "-",
                tracking=order.tracking or "-",
            )
        ]
    return await _request(turn, order)


async def _request(turn: Turn, order: Order) -> list[Reply]:
    """An order not shipped yet: the cancellation on a case, handed to our team."""
    cases = turn.deps.cases
    line = f"Cancellation requested for order {order.number}: {turn.message.text.strip()}"
    case = await current_case(turn)
    again = None
    if case is None or not names_order(case.summary, order.number):
        again = await _withdrawn_case(turn, order.number)
    if again is not None:
        turn.outcome.case = again.number
        await escalation.escalate(turn, reason=REASON, case=again)
        return [turn.reply("cancel_requested_again", order=order.number, number=again.number)]
    if case is not None and names_order(case.summary, order.number):
        if case.escalated_at is not None and REASON in (case.escalation_reason or ""):
            turn.outcome.case = case.number
            return [turn.reply("cancel_on_case", order=order.number, number=case.number)]
        await cases.update(case.number, summary=f"{case.summary}\n{line}".strip())
    else:
        case = await cases.open(
            customer_id=turn.customer_id,
            kind=CaseKind.INQUIRY,
            # It must be done before the order ships: not left behind routine questions.
            priority=Priority.HIGH,
            reason=f"cancel order {order.number}",
            summary=with_order(line, order.number),
            topic="cancellation",
        )
    turn.outcome.case = case.number
    case, _ = await escalation.escalate(turn, reason=REASON, case=case)
    if escalation.team_away(turn):
        return [
            turn.reply(
                "cancel_requested_away",
                order=order.number,
                number=case.number,
                when=escalation.back_at(turn),
            )
        ]
    return [turn.reply("cancel_requested", order=order.number, number=case.number)]


async def _withdrawn_case(turn: Turn, number: str) -> Case | None:
    """ "ok cancel it after all", "还是取消吧" after the cancellation was taken back in this
    conversation: its case opened again (with a note), not a second case for one order."""
    in_play = turn.dialogue.case
    if in_play is None:
        return None
    case = await turn.deps.cases.get(in_play)
    if (
        case.status is not CaseStatus.CLOSED
        or case.topic != TOPIC
        or not names_order(case.summary, number)
    ):
        return None
    await turn.deps.cases.add_note(
        case.number,
        author="bot",
        text=f"Cancellation asked for again by the customer: {turn.message.text.strip()}",
    )
    return await turn.deps.cases.reopen(case.number)


# "so is it still coming?", "那还能按时到吗", "when will it arrive then", "还发吗": the order
# kept, asked after (read right after a withdrawal: ``asks_after_withdrawal``).
_STILL_COMING = re.compile(
    r"\bstill (?:on|coming|arriv\w*|ship\w*|due|going)\b|\bon time\b|\bwhen\b|\beta\b|"
    r"按时|准时|啥时候|什么时候|几号|几天|还(?:能|会)?(?:到|发)|多久|\bhow long\b",
    re.IGNORECASE,
)


def asks_after_withdrawal(turn: Turn) -> bool:
    """True for "so is it still coming?", "那还能按时到吗" right after a cancellation was
    taken back: that order's status and ETA (not the delivery FAQ, not the case)."""
    text = turn.message.text
    return (
        turn.dialogue.told_just_now(Told.CANCEL_WITHDRAWN)
        and turn.order_in_play is not None
        and (asks_arrival(text) or _STILL_COMING.search(text) is not None)
    )


def withdraws_then_asks(turn: Turn) -> tuple[str, str] | None:
    """ "actually nvm, can i change it to express instead", "等等先别取消 能改加急吗" right
    after a cancellation: (the withdrawal, the question after it), two requests, so the
    cancellation is taken back and the question answered; None otherwise."""
    if INTENT not in turn.dialogue.intents and turn.dialogue.topic != INTENT:
        return None
    parts = clauses(turn.message.text)
    if _STILL_CANCEL.search(turn.message.text) is not None:
        return None
    instead = _INSTEAD.search(turn.message.text)
    if instead is not None:
        # "actually wait, can i add a phone case to that order instead of cancelling": the
        # withdrawal said after the request; taken back first, then the request answered.
        rest = (turn.message.text[: instead.start()] + turn.message.text[instead.end() :]).strip()
        return (instead.group().strip(" ,，"), rest) if length(rest) >= 3 else None
    if len(parts) < 2:
        # "dont cancel after all, could you switch it to white?": one clause to the splitter,
        # the withdrawal and the request after it all the same.
        return _withdrawal_then(turn.message.text)
    # The withdrawal may take several clauses ("算了，等着吧，帮我催催物流"): all of them lead.
    said = 0
    while said < len(parts) and any(r.search(parts[said]) for r in (_WITHDRAW, RETRACT, _WAITS)):
        said += 1
    if said == 0 or said == len(parts):
        return None
    rest = _TURN_TO.sub("", " ".join(parts[said:]), count=1)
    return " ".join(parts[:said]), rest


# The withdrawal said beside the request in its place: "... instead of cancelling", "rather
# than cancel it", "……而不是取消".
_INSTEAD = re.compile(
    r"[\s,，]*\b(?:instead of|rather than)\s+(?:the\s+)?canc[el]{2}\w*"
    r"(?:\s+(?:it|the order|that))?|"
    r"[\s,，]*(?:而不是|不是要)取消(?:订单|这单|了)?",
    re.IGNORECASE,
)
# The "but" that turns from the withdrawal to the request ("..., but can you chase them").
_TURN_TO = re.compile(r"^\s*(?:but|though|just|不过|但是)[\s,，]*", re.IGNORECASE)


# Waiting for the order instead, said with a withdrawal ("forget it, i'll wait", "算了 再等
# 等"): part of taking the cancellation back, not a request of its own.
_WAITS = re.compile(
    r"\b(?:leave it|i'?ll (?:just )?wait|ill (?:just )?wait|i (?:can|will) wait)\b"
    r"(?:\s+(?:for it|a bit|a few (?:more )?days|then))?|"
    r"(?:那就|我)?(?:再等等|再等一下|再等几天|等着吧|先等着|等等吧)",
    re.IGNORECASE,
)
# What may close a withdrawal before the request after it: "after all", "then", a comma,
# the wait it chooses instead and the "but" that turns to the request.
_WITHDRAWAL_END = re.compile(
    r"(?:[\s,，.。!！;；]*(?:after all|then|anymore|any more|actually|please|pls|了|吧|啦|"
    + _WAITS.pattern
    + r"|but|though|just|instead|不过|但是|就|那你|你们?))*[\s,，.。!！;；]*",
    re.IGNORECASE,
)


def _withdrawal_then(text: str) -> tuple[str, str] | None:
    """(the withdrawal, the request after it) in one clause ("dont cancel after all can I
    get it in white", "forget it, i'll wait, but chase the courier", "算了 再等等 帮我催一下
    快递"), when a request of a few words follows the withdrawal; else None."""
    found = _WITHDRAW.search(text) or RETRACT.search(text)
    if found is None or text[: found.start()].strip(" ,，.。!！"):
        # (Only a withdrawal said first: "i'd like to change it, dont cancel" is not split.)
        lead_words = text[: found.start()].split() if found is not None else []
        if found is None or len(lead_words) > 2:
            return None
    end = _WITHDRAWAL_END.match(text, found.end())
    cut = end.end() if end is not None else found.end()
    lead, rest = text[:cut].strip(), text[cut:].strip()
    if length(rest) < 3:
        return None
    return lead, rest


async def withdraws(turn: Turn, *, has_open_case: bool) -> bool:
    """True for "actually wait dont cancel it", "changed my mind keep the order", "算了 还是
    不取消了", "别取消了" right after a cancellation was asked for, or with its case open."""
    text = turn.message.text
    if _STILL_CANCEL.search(text) is not None:
        return False
    if _WITHDRAW.search(text) is None:
        # "wait no dont", "actually nvm": only the cancellation the bot just took.
        return (
            INTENT in turn.dialogue.intents
            and not turn.dialogue.told_just_now(Told.CANCEL_WITHDRAWN)
            and (RETRACT.search(text) is not None or _WAITS.search(text) is not None)
        )
    if turn.dialogue.topic == INTENT:
        return True
    if not has_open_case:
        return False
    case = await current_case(turn)
    return case is not None and case.topic == TOPIC


async def withdraw(turn: Turn) -> list[Reply]:
    """The cancellation taken back: its case closed (a cancellation only) or the change
    noted on it, so the team does not cancel; the order goes ahead as it was."""
    case = await current_case(turn)
    number = _number(turn)
    if number is None and case is not None:
        number = next((o for o in _orders_in(case.summary)), None)
    if case is None or (number is not None and not names_order(case.summary, number)):
        if number is None:
            return [turn.reply("cancel_withdrawn_nothing")]
        return [turn.reply("cancel_withdrawn_no_case", order=number)]
    line = f"Cancellation withdrawn by the customer: {turn.message.text.strip()}"
    await turn.deps.cases.add_note(case.number, author="bot", text=line)
    turn.outcome.case = case.number
    turn.explained(Told.CANCEL_WITHDRAWN)
    if number is not None:
        turn.outcome.statused.add(number)
        turn.outcome.slots["order_number"] = number
    if case.topic == TOPIC:
        # Only the cancellation was on it: closed, so nobody cancels the order.
        await turn.deps.cases.close(case.number)
        return [turn.reply("cancel_withdrawn", order=number or "-", number=case.number)]
    await turn.deps.cases.update(case.number, summary=f"{case.summary}\n{line}".strip())
    return [turn.reply("cancel_withdrawn_noted", order=number or "-", number=case.number)]


def _orders_in(summary: str) -> list[str]:
    """Order numbers a case's summary names (its ``order: N`` lines)."""
    return re.findall(r"^order: (\S+)$", summary, re.MULTILINE)


async def refund_when(turn: Turn) -> list[Reply]:
    """ "how long til i see my money" after a cancellation: that order's refund timing."""
    number = _number(turn)
    order = None
    if number is not None:
        try:
            order = await _find(turn, number)
        except OrderLookupError as exc:
            logger.warning("order look-up failed: %s", exc)
    turn.explained(Told.CANCEL_REFUND)
    if order is None:
        entry = turn.deps.knowledge.find(
            "How long do refunds take?" if turn.language == "en" else "退款多久到账",
            intent="ask_returns_refunds",
        )
        return [Reply(entry.answer(turn.language))] if entry else [turn.reply("help")]
    if order.status == "cancelled":
        return [turn.reply("order_cancelled_refund", order=order.number)]
    if order.status in ("shipped", "delivered"):
        return [turn.reply("cancel_refund_when_shipped", order=order.number)]
    return [turn.reply("cancel_refund_when", order=order.number)]


# Detail of a Reading: one item of the order taken off instead of the whole cancellation.
PARTIAL = "cancel_partial"
# Only part of the order called off: "can you just drop the mouse from it and keep the rest",
# "only remove the keyboard", "take the mouse off the order", "别全取消 只把键盘去掉",
# "只取消鼠标", "键盘不要了 其他的照常发".
_PART_ONLY = re.compile(
    r"\b(?:just|only)\b[\w\s,'-]{0,30}?\b(?:drop|remove|take|cancel|scrap|delete|lose|"
    r"get rid of)\b|"
    r"\b(?:drop|remove|take|cancel|scrap|delete)\b[\w\s-]{1,30}?\b(?:off|from|out of)\b|"
    r"\bkeep (?:the rest|everything else|the others?|the other (?:two|items|stuff))\b|"
    r"别全取消|不要全取消|不用全取消|不全取消|只(?:把|取消|退|要去掉|去掉|删)|"
    r"其他(?:的)?(?:照常|保留|还要|不变|正常)|别的(?:照常|还要|不变)",
    re.IGNORECASE,
)


async def _order_items(turn: Turn, number: str) -> list[str]:
    """The order's items by name (``"2x water bottle"`` as ``water bottle``)."""
    try:
        order = await _find(turn, number)
    except OrderLookupError as exc:
        logger.warning("order look-up failed: %s", exc)
        return []
    if order is None or order.status != "processing":
        return []
    return [
        re.sub(r"^\d+\s*x\s*", "", item.strip(), flags=re.IGNORECASE)
        for item in re.split(r"[;|]", order.items)
        if item.strip()
    ]


# What the customer keeps, said beside the item dropped ("the mouse n stand i still want",
# "其他的照常发"): those words name no item to take off.
_KEPT = re.compile(
    r"\b(?:keep|keeping|still want|still need|i want|want to keep)\b|还要|保留|留着|照常|不变",
    re.IGNORECASE,
)
_PARTS = re.compile(r"[,，;；。!！]|\s+(?=[\u4e00-\u9fff])")


async def _item_named(turn: Turn, items: list[str]) -> str | None:
    """Which of the order's items the words take off: named by the item's words or the
    catalogue's names for it ("鼠标" for the mouse, "keybaord" for the keyboard), in the
    words that drop it rather than those that keep the rest."""
    text = turn.message.text.lower()
    parts = [p for p in _PARTS.split(text) if p.strip()]
    dropping = [p.strip() for p in parts if _KEPT.search(p) is None or _PART_ONLY.search(p)]
    # "drop the mouse and keep the rest": the words before the keeping.
    dropping = [_KEPT.split(p, maxsplit=1)[0] or p for p in dropping] or [text]
    catalogue = turn.deps.catalogue
    for part in dropping:
        for item in items:
            names = {item.lower()}
            if catalogue is not None:
                try:
                    for product in await catalogue.search(item):
                        names |= {n.lower() for n in (product.name_zh, *product.aliases) if n}
                except CatalogueError as exc:  # a catalogue away only narrows the names
                    logger.warning("catalogue look-up failed: %s", exc)
            if any(
                re.search(rf"\b{re.escape(n)}\b" if n.isascii() else re.escape(n), part)
                for n in names
            ):
                return item
        if catalogue is not None:
            # A typo in the item's name: the catalogue's fuzzy match, back to the order's item.
            try:
                found = await catalogue.search(part)
            except CatalogueError:
                found = []
            for product in found:
                for item in items:
                    if item.lower() in {n.lower() for n in (product.name, *product.aliases)}:
                        return item
    return None


async def drops_item(turn: Turn, *, has_open_case: bool) -> bool:
    """True for one item of the order called off instead of the whole order ("can you just
    drop the mouse from it and keep the rest", "别全取消 只把键盘去掉") right after a
    cancellation was asked for, or with its case open."""
    if _PART_ONLY.search(turn.message.text) is None:
        return False
    if turn.dialogue.topic != INTENT and INTENT not in turn.dialogue.intents:
        if not has_open_case:
            return False
        case = await current_case(turn)
        if case is None or case.topic != TOPIC:
            return False
    number = _number(turn)
    if number is None:
        return False
    return await _item_named(turn, await _order_items(turn, number)) is not None


async def drop_item(turn: Turn) -> list[Reply]:
    """One item off the order, the rest going ahead: the cancellation's case changed to that
    item's removal (noted, so the team does not cancel the whole order), or a case opened for
    it and handed to the team."""
    number = _number(turn)
    items = await _order_items(turn, number) if number is not None else []
    item = await _item_named(turn, items)
    if number is None or item is None:
        return await cancel_order(turn)
    words = turn.message.text.strip()
    line = f"Partial cancellation: remove {item} from order {number}, keep the rest: {words}"
    case = await current_case(turn)
    if case is None or not names_order(case.summary, number):
        case = await turn.deps.cases.open(
            customer_id=turn.customer_id,
            kind=CaseKind.INQUIRY,
            priority=Priority.HIGH,
            reason=f"remove {item} from order {number}",
            summary=with_order(line, number),
            topic=TOPIC,
        )
        await escalation.escalate(turn, reason=REASON, case=case)
    else:
        await turn.deps.cases.add_note(case.number, author="bot", text=line)
        await turn.deps.cases.update(
            case.number,
            reason=f"remove {item} from order {number}",
            summary=f"{case.summary}\n{line}".strip(),
        )
    turn.outcome.case = case.number
    turn.outcome.statused.add(number)
    turn.outcome.slots["order_number"] = number
    shown = await _item_title(turn, item)
    return [turn.reply("cancel_partial", order=number, number=case.number, item=shown)]


# The whole order cancelled after all, once one item was to come off: "no forget it, cancel
# the whole order", "just cancel everything", "算了 还是全部取消吧", "整单取消".
WHOLE_AGAIN = "cancel_whole_again"
_WHOLE = re.compile(
    r"\bcancel\s+(?:the\s+)?(?:whole|entire|full)\b|\bcancel (?:it all|everything|all of it)\b|"
    r"\b(?:whole|entire) (?:order|thing)\b.{0,20}\bcancel|"
    r"(?<![别不])全部取消|整单取消|(?<![别不])都取消|(?<![别不要用])全取消|还是取消(?:吧|了)?\W*$",
    re.IGNORECASE,
)


# One item still meant, beside words that could read as the whole ("keep the rest", "别全取消",
# "只把鼠标去掉"); "just cancel the whole thing" is the whole.
_ONE_ONLY = re.compile(
    r"\bkeep (?:the rest|everything else|the others?|the other (?:two|items|stuff))\b|"
    r"别全取消|不要全取消|不用全取消|不全取消|只(?:把|取消|退|要去掉|去掉|删)|"
    r"其他(?:的)?(?:照常|保留|还要|不变|正常)|别的(?:照常|还要|不变)",
    re.IGNORECASE,
)


async def whole_again(turn: Turn, *, has_open_case: bool) -> bool:
    """True for the whole order cancelled after all while the cancellation's case asks only
    for one item to come off (``drop_item``): the case back to cancelling it all."""
    if not has_open_case or _WHOLE.search(turn.message.text) is None:
        return False
    if _ONE_ONLY.search(turn.message.text):
        return False  # "别全取消 只把鼠标去掉": one item, not the whole
    case = await current_case(turn)
    return case is not None and case.topic == TOPIC and case.reason.startswith("remove ")


async def cancel_whole_again(turn: Turn) -> list[Reply]:
    """The cancellation's case back to the whole order (noted), said with the refund's time."""
    case = await current_case(turn)
    number = _number(turn)
    if case is None or number is None:
        return await cancel_order(turn)
    line = f"Whole order to be cancelled after all (not only one item): {turn.message.text.strip()}"
    await turn.deps.cases.add_note(case.number, author="bot", text=line)
    await turn.deps.cases.update(
        case.number,
        reason=f"cancel order {number}",
        summary=f"{case.summary}\n{line}".strip(),
    )
    turn.outcome.case = case.number
    turn.outcome.statused.add(number)
    turn.outcome.slots["order_number"] = number
    return [turn.reply("cancel_whole_again", order=number, number=case.number)]


async def _item_title(turn: Turn, item: str) -> str:
    """The item as the customer's language names it (the catalogue's Chinese name)."""
    catalogue = turn.deps.catalogue
    if turn.language != "zh" or catalogue is None:
        return item
    try:
        found = await catalogue.search(item)
    except CatalogueError:  # the English name will do
        return item
    return found[0].name_zh if found and found[0].name_zh else item
