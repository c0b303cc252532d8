"""An order number promised for a moment later: the request it is for kept waiting for it."""

from __future__ import annotations

import re
from dataclasses import replace

from handlers import complaint, context
from handlers.dialogue import Asked, Purpose, Question
from handlers.turn import Turn
from handlers.types import Reply

# The Reading detail (handlers/readings.py).
LATER = "number_later"

# A moment asked for, or the customer off to look: "one sec", "hang on", "let me find it",
# "gimme a sec to dig it up", "still looking", "稍等", "等下", "等我找下", "我翻翻邮件".
_MOMENT = re.compile(
    r"\b(?:one|a|1|just a|give me a|gimme a|gimme|give me|wait a|hold on a|half a)\s*"
    r"(?:sec|secs|second|seconds|moment|min|mins|minute|minutes|mo|tick|bit)\b|"
    r"\b(?:hang|hold) on\b|\bbear with me\b|\bbrb\b|\bwait\b|\bone moment\b|"
    r"\blet me (?:find|look|check|get|grab|dig|search|see|pull|fetch)\b|"
    r"\b(?:need|have|got|going|gonna) (?:to )?(?:find|look|check|dig|search|get|grab)\b|"
    r"\b(?:i'?ll|ill|i will|will) (?:find|look|check|dig|get|grab|send|give)\b.{0,30}"
    r"\b(?:later|in a (?:bit|sec|min|minute|moment)|shortly|soon)\b|"
    r"\b(?:still |just )?(?:looking|searching|digging|checking) (?:for|through|in|my)\b|"
    r"\bstill (?:looking|searching|digging)\b|\btook (?:a while|ages|forever)\b|"
    r"稍等|等(?:下|一下|会|一会|会儿|我)|一会(?:儿)?(?:发|给)?|待会|马上(?:发|给|找)?|晚点(?:发|给)?|"
    r"(?:我)?(?:找|翻|查|看)(?:一?下|找|翻|查|看)|我去找|还在找|正在找|在找",
    re.IGNORECASE,
)
# The number itself named: "the number", "order no", "my order #", "单号", "订单号".
_NUMBER = re.compile(
    r"\b(?:order )?(?:number|no\b|num\b|#)|\border\b|\bconfirmation\b|\bemail\b|\bit\b|"
    r"单号|订单|号码|编号|邮件",
    re.IGNORECASE,
)
# Not having it is no promise: "i can't find it", "lost the email", "找不到", "没有单号".
_NOT_HAD = re.compile(
    r"\b(?:can'?t|cant|cannot|couldn'?t|could not|unable to|don'?t|dont|do not|never|no)\s+"
    r"(?:\w+\s+){0,2}(?:find|have|got|remember|know|get)\b|\blost\b|\bdeleted\b|\bforg[oe]t\b|"
    r"找不到|找不着|没找到|没有|没单号|不知道|忘了|不记得|删了",
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
    moment ("one sec let me find the number", "订单号等下", "等我找下单号", "still looking"):
    the bot's own question for it, else one for what the conversation is about; None when the
    message gives a number, says there is none, or asks something."""
    text = turn.message.text.strip()
    if (
        turn.parse.orders
        or context.length(text) > _MOST_WORDS
        or _MOMENT.search(text) is None
        or _NOT_HAD.search(text)
        or "?" in text
        or "？" in text
    ):
        return None
    dialogue = turn.dialogue
    asked = dialogue.asked
    if asked is not None and asked.question is Question.ORDER_NUMBER:
        return asked
    if _NUMBER.search(text) is None:
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
