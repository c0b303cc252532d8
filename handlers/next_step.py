""""What do i do now", "现在怎么办": the next step of the subject in play, not a new topic.

After an answer the customer often asks only what to do next. What that is depends on the
subject: with a case open, that people are on it and when (the case's status); with an
offer of the bot waiting (a case for a late parcel, a person), that offer again; after a
knowledge-base answer, the entry's ``next_step:`` text in handlers/data/faq.yml (how to send
a return back, that a refund needs nothing more). A statement of what the customer did
("box is already thrown away", "盒子扔了咋办") is read against the same subject: the entry
whose keywords name it, answered for what it means, never a new case.
"""

from __future__ import annotations

import logging
import re

from handlers import context, declined, escalation, inquiry
from handlers.arrival import needed_by
from handlers.catalogue import CatalogueError, Product
from handlers.context import DEFECT, Reading, length
from handlers.dialogue import Matter, Question, Told
from handlers.knowledge import FaqEntry, answer_sentences
from handlers.orders import OrderLookupError
from handlers.turn import Turn
from handlers.types import Reply

logger = logging.getLogger(__name__)

DETAIL = "next_step"

# Only the "what now" itself, in the ways customers write it (typos, run-ons, 口语).
_WHAT_NOW = re.compile(
    r"\bwh?at (?:do|should|shall|can|am|must) (?:i|we|u)\s+(?:supposed to |meant to |gonna |"
    r"have to |need to )?(?:do|doing)\b|\bwh?at (?:now|next)\b|\bnow what\b|"
    r"\bwh?at(?:'?s| is| are)? (?:the )?next (?:step|steps|thing)\b|"
    # "then what happens", "so what happens now", "wat happens after that".
    r"\bwh?at (?:happens|will happen|happened)(?: (?:now|next|then|after that|after))?\b|"
    r"\bhow do (?:i|we) (?:proceed|go on|go about it)\b|\bwhere do (?:i|we) go from here\b|"
    r"\bwhat do (?:i|we) do (?:about it|then)\b|"
    r"现在(?:该)?(?:怎么办|咋办|咋整|怎么弄|干嘛|干啥)|(?:那|所以)(?:我)?(?:该|应该|要|得)?(?:怎么办|咋办|咋整)|"
    r"(?:我|那我|那我现在)(?:该|应该|要|得)(?:干嘛|干啥|做什么|做啥|怎么做|怎么弄|咋弄|咋整|怎么办|咋办)|"
    r"下一步(?:呢|怎么|做什么|干嘛|该干嘛|是什么|是啥)?|接下来(?:呢|怎么办|怎么做|干嘛|做什么|该怎么|该干嘛|要干嘛)|"
    r"(?:那)?现在呢|"
    # Checking that nothing is to be done: "so i just wait?", "do i just leave it",
    # "nothing for me to do then?", "那我就等着？", "等着就行吗", "不用管它了是吧".
    r"\b(?:i|we) (?:just |only |simply )?(?:wait|sit tight|leave it|do nothing)\b|"
    r"\bjust (?:wait|leave it)\b|\bnothing (?:to do|for me to do|i (?:need|have) to do)\b|"
    r"(?:我|那我|所以我)?(?:就|只能|只要)?(?:等着|干等|等就)(?:就行|就好|就可以|好了)?|"
    r"(?:不用|不需要)(?:管|理)(?:它|了)?|什么都不用(?:做|干|管)",
    re.IGNORECASE,
)
# A bare continuation, the whole message: "and?", "so?", "and then?", "then what", "然后呢",
# "接下来呢", "之后呢": what happens next on the same subject.
_BARE_NEXT = re.compile(
    r"^\W*(?:(?:ok|okay|k|right|um+|hmm+)\W+)?(?:and|an|n|so|soo+|and so|and then|then|"
    r"then what|(?:and|so|ok) then what|and now what|and what now|so now what|and after that|"
    r"after that|and next|and what|so what then|(?:and|so|ok|n) now|now|and then what)\W*$|"
    r"^\W*(?:那|嗯|好)?\W*(?:然后|然后呢|然后咧|然后嘞|然后勒|然后捏|接着呢|之后呢|后面呢|再然后呢|所以呢)\W*$",
    re.IGNORECASE,
)
# Words beside the "what now" that add nothing ("ok so", "um", "then", "那").
_FILLER = re.compile(
    r"\b(?:ok|okay|k|so|and|well|um+|uh+|hmm+|then|right|alright|exactly|lol|ugh|great|"
    r"fine|but|now|next|tho|though|pls|please)\b|[那好吧嗯哦啊呢呀了所以然后行]",
    re.IGNORECASE,
)
# What the bot offers to do (a case, a person, a follow-up): "what now" has it again.
_OFFERS = (Question.OPEN_CASE, Question.HUMAN, Question.FOLLOW_UP)
# The topic whose answer says what to do when no entry's answer is in play.
_TOPIC_ENTRY = {"ask_returns_refunds": "returns-policy"}
# After a refund waited on ("its been 8 days", "都8天了"), what comes next is the refund's.
_REFUND_TOPICS = ("ask_returns_refunds",)
_REFUND_ENTRY = "refund-timing"


def asks(text: str) -> bool:
    """True when the message asks only what to do next ("so what do i do now", "那我该干嘛")."""
    if _BARE_NEXT.search(text):
        return True
    found = _WHAT_NOW.search(text)
    if found is None or length(text) > 9:
        return False
    rest = _FILLER.sub(" ", text[: found.start()] + " " + text[found.end() :])
    return sum(1 for c in rest if c.isalnum()) <= 3


def reading(turn: Turn, *, has_open_case: bool) -> Reading | None:
    """What "what now" asks, from the subject in play, or None to let others read it."""
    text = turn.message.text
    if turn.parse.orders or DEFECT.search(text) or not asks(text):
        return None
    if has_open_case:
        return Reading(context.CASE_STATUS)  # that people are on it, and when
    entry = _entry_in_play(turn)
    asked = turn.dialogue.asked
    offer = declined.offered(turn) and asked is not None and asked.question in _OFFERS
    subject = turn.dialogue.subject_in_play()
    if offer and subject is not None and subject.orders and subject.entry is None:
        # The last answer was about an order, explained no entry and offered a person (a
        # return refused past its window): that offer is what comes next, not the topic's
        # general steps (how to send a return back, how long a refund takes).
        return Reading(context.OFFER_AGAIN)
    if entry is not None and entry.next_step(turn.language) is not None:
        return Reading(entry.intent, detail=DETAIL)
    if offer:
        return Reading(context.OFFER_AGAIN)  # the case or the person offered, again
    answered = _answered_entry(turn)
    if answered is not None and answered.intent != "ask_opening_hours":
        # An answer that says no step of its own ("and?" after the payment methods, "然后嘞"
        # after the password reset): what the customer can do, restated short; never
        # "say it another way".
        return Reading(answered.intent, detail=DETAIL)
    if _on_order(turn) and turn.order_in_play is not None:
        # "and after that?", "然后嘞" after an order's status (or a cancelled order's refund):
        # what happens next with that order.
        return Reading("ask_order_status", detail=DETAIL)
    if turn.dialogue.topic == context.PRODUCT_AVAILABILITY and _product_in_play(turn):
        # "and next?", "所以呢" after a product's price and stock: how to get it, what else to ask.
        return Reading(context.PRODUCT_AVAILABILITY, detail=DETAIL)
    return None


# The answers after which "and after that?" asks what happens next with the order in play.
_ORDER_TOPICS = ("ask_order_status",)
# What the bot explained of an order, after which "so what now" is that order's next step.
_ORDER_TOLD = (Told.CANCEL_REFUND,)


def _on_order(turn: Turn) -> bool:
    """True when the last answer was about the order in play: its status, or its refund as
    a cancelled order ("can i return A-1004" when it was cancelled)."""
    if turn.dialogue.topic in _ORDER_TOPICS:
        return True
    subject = turn.dialogue.subject_in_play()
    return subject is not None and subject.told in _ORDER_TOLD


# The tag of the entries whose orders go through the business team (handlers/data/faq.yml).
_BUSINESS = "business"


def date_for_entry(turn: Turn) -> Reading | None:
    """ "we need them by friday", "下周五前要到哦" right after the business-order answer, no
    order named: the day is for the business team's quote, so that entry's next step (never
    an order number asked for an order that doesn't exist yet, nor "can't change that")."""
    if turn.parse.orders or turn.order_in_play is not None:
        return None
    if needed_by(turn.deps.clock(), turn.deps.shipping.zone, turn.message.text) is None:
        return None
    entry = _entry_in_play(turn)
    if entry is None or _BUSINESS not in entry.tags or entry.next_step(turn.language) is None:
        return None
    return Reading(entry.intent, detail=DETAIL)


def _product_in_play(turn: Turn) -> str | None:
    slot = turn.dialogue.slot("product")
    return slot.value if slot is not None else None


def _answered_entry(turn: Turn) -> FaqEntry | None:
    """The knowledge-base entry whose own text was the last answer, if one is in play."""
    subject = turn.dialogue.subject_in_play()
    if subject is None or subject.entry is None or subject.told is not None:
        return None
    return turn.deps.knowledge.entry(subject.entry)


# What the customer does, in an answer's sentence: "open Orders → Return", "choose",
# "在“订单 → 发票”中下载", "点击链接".
_ACTION = re.compile(
    r"\b(?:open|go to|choose|select|pick|tap|click|press|send|use|enter|add|type|reset|"
    r"download|check|sign in|log in|start|book|print|drop|reply|write|call)\b|"
    r"\bunder (?:Orders|Account|My)\b|"
    r"\bask (?:me )?for (?:a person|an agent)\b|/agent|"
    r"打开|点击|点|选择|选|进入|发给|填写|输入|下载|登录|重置|申请|预约|拨打|在“|跟我说|转人工",
    re.IGNORECASE,
)


def _what_to_do(entry: FaqEntry, language: str) -> str:
    """The sentence of an entry's answer that says what the customer does, else its gist."""
    answer = entry.answer(language)
    for sentence in answer_sentences(answer):
        if _ACTION.search(sentence):
            return sentence
    return inquiry.gist(answer, "")


def _subject_entry(turn: Turn) -> FaqEntry | None:
    """The last answer's knowledge-base entry, when it has a next step."""
    subject = turn.dialogue.subject_in_play()
    if subject is None or subject.entry is None:
        return None
    entry = turn.deps.knowledge.entry(subject.entry)
    return entry if entry is not None and entry.next_steps else None


def _entry_in_play(turn: Turn) -> FaqEntry | None:
    """The knowledge-base entry the conversation is on: the last answer's, else the topic's
    (a refund's, when the refund was what the last messages were about)."""
    entry = _subject_entry(turn)
    if entry is not None:
        return entry
    subject = turn.dialogue.subject_in_play()
    if subject is not None and subject.told is not None and subject.turn == turn.dialogue.turn - 1:
        # The last answer explained something of its own (a cancelled order's refund): the
        # topic's general entry (how to send a return back) is not its next step.
        return None
    topic = turn.dialogue.topic
    if topic in _REFUND_TOPICS and turn.dialogue.recent_matter() is Matter.REFUND:
        return turn.deps.knowledge.entry(_REFUND_ENTRY)
    return turn.deps.knowledge.entry(_TOPIC_ENTRY[topic]) if topic in _TOPIC_ENTRY else None


async def answer(turn: Turn) -> list[Reply]:
    """The next step of the entry in play; the subject stays that entry."""
    entry = _entry_in_play(turn)
    step = entry.next_step(turn.language) if entry is not None else None
    if entry is None or step is None:
        answered = _answered_entry(turn)
        if answered is None:
            return await _next_of_topic(turn)
        turn.answered_from(answered.id, shown=False)
        return [turn.reply("next_step_restated", gist=_what_to_do(answered, turn.language))]
    turn.answered_from(entry.id, shown=False)
    return [Reply(step)]


async def _next_of_topic(turn: Turn) -> list[Reply]:
    """What happens next with the order in play (from where it is) or the product in play
    (how to get it), when no knowledge-base answer is the subject."""
    number = turn.order_in_play
    if _on_order(turn) and number is not None and turn.deps.orders:
        try:
            order = await turn.deps.orders.find(number)
        except OrderLookupError as exc:
            logger.warning("order look-up failed: %s", exc)
            return [turn.reply("order_lookup_failed", order=number)]
        if order is not None:
            turn.outcome.slots["order_number"] = order.number
            return [
                turn.reply(
                    f"next_step_order_{order.status}",
                    order=order.number,
                    eta=order.eta or "-",
                    carrier=order.carrier or "-",
                    tracking=order.tracking or "-",
                )
            ]
    product = _product_in_play(turn)
    if product is not None and turn.deps.catalogue is not None:
        try:
            found = await turn.deps.catalogue.search(product)
        except CatalogueError as exc:
            logger.warning("catalogue look-up failed: %s", exc)
            found = []
        if len(found) == 1 and found[0].stock == 0:
            return [await _sold_out_next(turn, found[0])]
        if found:
            titles = " / ".join(dict.fromkeys(p.title(turn.language) for p in found[:2]))
            return [turn.reply("next_step_product", product=titles)]
    return await escalation.fallback(turn)


async def _sold_out_next(turn: Turn, product: Product) -> Reply:
    """ "then what", "那现在咋办" after a sold-out answer: not "add it to your basket" but
    the restock (a date, else none yet) with 'Notify me', and one of its kind in stock."""
    spare = ""
    if turn.deps.catalogue is not None:
        try:
            alike = await turn.deps.catalogue.alike(product)
        except CatalogueError as exc:
            logger.warning("catalogue look-up failed: %s", exc)
            alike = []
        others = [p for p in alike if p.sku != product.sku and p.stock]
        if others:
            other = others[0]
            title = other.title(turn.language)
            said = turn.say("next_step_sold_out_other", product=title, price=other.price_text())
            spare = said if turn.language == "zh" else f" {said}"
    title = product.title(turn.language)
    restock = product.restock
    if restock is not None and restock >= turn.deps.clock().date():
        return turn.reply(
            "next_step_sold_out_until", product=title, date=restock.isoformat(), other=spare
        )
    return turn.reply("next_step_sold_out", product=title, other=spare)


# Said as done: "already", "threw", "lost", "used", "已经", "早就", "扔了", "用过" (not a
# bare 了: "算了 还是放快递柜吧" changes a wish).
_DONE = re.compile(
    r"\b(?:already|threw|thrown|tossed|binned|chucked|recycled|lost|got rid|sent|posted|"
    r"dropped|gone|no longer|don'?t have|dont have|do not have|haven'?t got|used|tried|worn|"
    r"misplaced|can'?t find|cant find)\b|已经|早就|早已|"
    r"早都|(?:扔|丢|寄|退|发|弄丢|弄坏|拆)(?:了|掉)|没了|(?:用|试|穿|洗|拆)过|找不到",
    re.IGNORECASE,
)


def tells_what_done(turn: Turn) -> FaqEntry | None:
    """The entry a statement of what the customer did is about ("box is already thrown
    away", "包装盒早扔了"): one whose keywords name it, on the subject in play (the topic's
    intent); None when it names none, an order, or a fault (that is for a case)."""
    text = turn.message.text
    topic = turn.dialogue.topic
    if topic is None or turn.parse.orders or DEFECT.search(text) or not _DONE.search(text):
        return None
    entries = turn.deps.knowledge.entries
    named = [e for e in entries if e.intent == topic and e.keywords and e.named_in(text)]
    return named[0] if len(named) == 1 else None
