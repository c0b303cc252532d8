"""An offer the customer turned down ("nah its fine leave it", "不用了 我自己再等等"): dropped."""

from __future__ import annotations

import re

from handlers.dialogue import Purpose, Question
from handlers.turn import Turn

# A slot of the dialogue, at the turn the customer said no: the offer is not made again in
# the next few messages unless they ask for it.
DECLINED = "declined"
# How many messages after the "no" the bot keeps from offering again.
QUIET_TURNS = 3
_OFFERS = (Question.HUMAN, Question.OPEN_CASE, Question.FOLLOW_UP)
# Order numbers asked for to do something for the customer (check a charge, chase a refund,
# put it on a case): an offer too, which "never mind" turns down.
_CHECKS = (Purpose.PAYMENT, Purpose.REFUND, Purpose.CANCEL, Purpose.COMPLAINT)
_DECLINE = re.compile(
    r"^(?:(?:actually|oh|ah|ok|okay|hmm|well|no|nah|nope|erm|um|k)[\s,.!]+)*"
    r"(?:never ?mind|nvm|no need|forget (?:it|about it)|leave it|it'?s (?:fine|ok|okay|alright)|"
    r"its (?:fine|ok|okay|alright)|don'?t (?:bother|worry)|not (?:needed|necessary)|"
    r"no thanks|no thank you|i'?m (?:good|fine|ok)|all good|skip it|no worries)\b|"
    r"^(?:(?:哦|噢|嗯|额|那|呃)[\s,，]*)*(?:算了|不用了|不用|不必了|不必|不需要了?|没事了?|先不用|"
    r"还是算了|不麻烦了|不用麻烦了|先这样吧|不弄了|先不弄)",
    re.IGNORECASE,
)
# A new request after the "no" ("never mind, where is my other order?"): answered as such.
_ASKS = re.compile(
    r"[?？]|吗|呢[\s。!！]*$|\b(?:where|what|when|how|why|which|can|could)\b|哪|什么|多久|几天|怎么|咋",
    re.IGNORECASE,
)


def offered(turn: Turn) -> bool:
    """True when the bot's last message offered something the customer may turn down."""
    asked = turn.dialogue.asked
    if asked is None or asked.turn < turn.dialogue.turn - 1:
        return False
    if asked.question in _OFFERS or any(q in _OFFERS for q in asked.also):
        return True
    return asked.question is Question.ORDER_NUMBER and asked.purpose in _CHECKS


def declines(turn: Turn) -> bool:
    """True when the message turns the bot's offer down in so many words, asking nothing
    else."""
    text = turn.message.text.strip()
    return (
        offered(turn)
        and _DECLINE.search(text) is not None
        and _ASKS.search(text) is None
        and turn.parse.entity("order_number") is None
    )


def remember(turn: Turn) -> None:
    """Keep that the customer said no to an offer at this turn."""
    turn.outcome.slots[DECLINED] = "yes"


def recently(turn: Turn) -> bool:
    """True when the customer turned an offer down in the last few messages."""
    slot = turn.dialogue.slot(DECLINED)
    return slot is not None and slot.turn >= turn.dialogue.turn - QUIET_TURNS
