"""An order number promised for a moment later: the request it is for kept waiting for it."""

from __future__ import annotations

import re
from dataclasses import replace

from handlers import complaint, context, feedback
from handlers.catalogue import CatalogueError, Product
from handlers.clauses import ideographs
from handlers.dialogue import Asked, Purpose, Question
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply

# The Reading details (handlers/readings.py): the number comes later; an item named instead.
LATER = "number_later"
ITEM = "number_for_item"

# A moment asked for: "one sec", "hang on", "bear with me", "still looking", "稍等", "等下",
# "等我找下", "还在找".
_MOMENT = re.compile(
    r"\b(?:one|a|1|just a|give me a|gimme a|gimme|give me|wait a|hold on a|half a)\s*"
    r"(?:sec|secs|second|seconds|moment|min|mins|minute|minutes|mo|tick|bit)\b|"
    r"\b(?:hang|hold) on\b|\bbear with me\b|\bbrb\b|\bone moment\b|"
    r"\bstill (?:looking|searching|digging|checking)\b|\btook (?:a while|ages|forever)\b|"
    r"稍等|等(?:下|一下|会|一会|会儿|我)|一会(?:儿)?(?:发|给)?|待会|马上(?:发|给|找)?|晚点(?:发|给)?|"
    r"还在找|正在找",
    re.IGNORECASE,
)
# The customer off to look for it: "let me find it", "i need to dig it up", "i'll check my
# email", "我找找", "我去找", "翻翻邮件".
_LOOKING = re.compile(
    r"\blet me (?:find|look|check|get|grab|dig|search|pull|fetch)\b|"
    r"(?:^|\bi |\bim |\bi'm |\bjust )(?:need|have|got|going|gonna)? ?(?:to )?"
    r"(?:find|look|check|dig|search|grab)\b|"
    r"\b(?:i'?ll|ill|i will) (?:find|look|check|dig|get|grab|send|give)\b|"
    r"\b(?:looking|searching|digging) (?:for|through|in|up)\b|"
    r"(?:找|翻)(?:一?下|找|翻)|我(?:去|先|再)?(?:找|翻|查|看)",
    re.IGNORECASE,
)
# The number itself named: "the number", "order no", "my order #", "单号", "订单号".
_NUMBER = re.compile(
    r"\bnumber\b|\border (?:no|num|nr|#|id)\b|\bconfirmation\b|\be-?mail\b|"
    r"单号|订单号|号码|编号|邮件",
    re.IGNORECASE,
)
# No promise: not having it ("i can't find it", "lost the email", "找不到", "没有单号"), asking
# the bot to look ("帮我找一下", "你查一下"), saying it was given ("i already gave it"), or a
# no ("hold on dont cancel it", "等下 不要取消").
_NOT_A_PROMISE = re.compile(
    r"\b(?:can'?t|cant|cannot|couldn'?t|could not|unable to|don'?t|dont|do not|never|no)\s+"
    r"(?:\w+\s+){0,2}(?:find|have|got|remember|know|get)\b|\blost\b|\bdeleted\b|\bforg[oe]t\b|"
    r"\balready (?:gave|sent|told)\b|\bas i said\b|\bcan you\b|\bcould you\b|"
    r"\b(?:don'?t|dont|do not|nope|not|never ?mind|nvm|cancel\w*|actually)\b|(?<!order )\bno\b|"
    r"找不到|找不着|没找到|没有|没单号|不知道|忘了|不记得|删了|帮我|你(?:帮|查|看|找)|麻烦你|"
    r"已经(?:给|发)|不要|别|不用|取消|算了",
    re.IGNORECASE,
)
# The topics an order number is fetched for when no question asked for it.
_TOPIC_PURPOSES = {
    "ask_order_status": Purpose.ORDER_STATUS,
    "ask_delivery": Purpose.ORDER_STATUS,
    "ask_returns_refunds": Purpose.RETURN,
    "complaint": Purpose.COMPLAINT,
    context.CANCEL_ORDER: Purpose.CANCEL,
}
# The longest message (words, or two ideographs each) read as a moment asked for.
_MOST_WORDS = 12


def promises(turn: Turn) -> Asked | None:
    """The question the order number promised is for, when the message says it comes in a
    moment ("just a sec, looking for the number", "单号稍等一下", "等我翻翻单号", "still looking"):
    the bot's own question for it, else one for what the conversation is about; None when the
    message gives a number, says there is none, or asks something."""
    text = turn.message.text.strip()
    moment = _MOMENT.search(text) is not None
    if (
        turn.parse.orders
        or context.length(text) > _MOST_WORDS
        or not (moment or _LOOKING.search(text))
        or _NOT_A_PROMISE.search(text)
        or "?" in text
        or "？" in text
        # "u lot should sort out the chat first": a suggestion to keep, whatever "first" or "later"
        # it comes with (read as feedback).
        or feedback.suggests(text)
    ):
        return None
    dialogue = turn.dialogue
    asked = dialogue.asked
    named = _NUMBER.search(text) is not None
    if asked is not None and asked.question is Question.ORDER_NUMBER:
        # Off to look, the number unnamed, only in a few words ("let me check", "我找找"):
        # "im looking for a blender" is a request of its own.
        return asked if moment or named or context.length(text) <= 4 else None
    if not named:
        return None
    case = complaint.waits_for_case_order(turn)
    if case is not None:
        return Asked(Question.ORDER_NUMBER, purpose=Purpose.COMPLAINT, case=case)
    # The number named and waited for, whatever else the bot offered ("shall I open a
    # case?" after another order's status): the customer means another order.
    purpose = _TOPIC_PURPOSES.get(dialogue.topic or "")
    if purpose is None:
        return None
    return Asked(Question.ORDER_NUMBER, purpose=purpose)


async def wait_for_it(turn: Turn) -> list[Reply]:
    """No rush: the question stays open, so the number sent next (alone or with a few words)
    is used for what it was asked for."""
    asked = promises(turn)
    if asked is None:
        return [turn.reply("help")]
    turn.ask(replace(asked, turn=0))
    if asked.case is not None:
        turn.outcome.case = asked.case
        return [turn.reply("order_number_later_case", number=asked.case)]
    return [turn.reply("order_number_later")]


# The longest message read as an item named for the number (words, or two ideographs each).
_ITEM_WORDS = 8


async def item_instead(turn: Turn) -> str | None:
    """The product named instead of the order number the bot asked for ("it's the kettle
    one", "买的榨汁机"), when none of the customer's known orders holds it (one that does is
    taken as the number: followups.with_order_by_item): its name, so the request waits for
    that order's number; None when the message is anything else."""
    asked = turn.dialogue.asked
    text = turn.message.text.strip()
    if asked is None or asked.question is not Question.ORDER_NUMBER or asked.case is not None:
        return None
    if turn.parse.orders or context.length(text) > _ITEM_WORDS or is_question(text):
        return None
    if context.DEFECT.search(text) or turn.deps.catalogue is None:
        return None
    try:
        found = await turn.deps.catalogue.search(text)
    except CatalogueError:
        return None
    if len(found) != 1 or not _named_outright(found[0], text):
        return None
    return found[0].title(turn.language)


# A product's size at the end of its name ("Electric kettle 1.7 L", "电水壶 1.7 升").
_SIZE = re.compile(r"\s*\d[\d.,]*\s*\S{0,3}$")


def _named_outright(product: Product, text: str) -> bool:
    """True when the text names the product by one of its names as a whole word ("the
    kettle one", "买的电水壶"), not by a word that only looks like one ("a real charge" is
    no charger)."""
    names = (product.name, product.name_zh, *product.aliases)
    for name in (*names, *(_SIZE.sub("", n) for n in names[:2])):
        name = name.strip().lower()
        if not name:
            continue
        if ideographs(name):
            if name in text:
                return True
        elif re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE):
            return True
    return False


async def wait_for_item(turn: Turn) -> list[Reply]:
    """The item's order number asked for, the request kept waiting for it (not "no number
    needed", nor a plain status)."""
    item = await item_instead(turn)
    asked = turn.dialogue.asked
    if item is None or asked is None:
        return [turn.reply("help")]
    turn.ask(replace(asked, turn=0))
    return [turn.reply("order_number_for_item", item=item)]
