"""An offer the customer turned down, put off or left to the bot ("nah leave it", "随便")."""

from __future__ import annotations

import re

from handlers.clauses import ideographs
from handlers.dialogue import Purpose, Question
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply

# A slot of the dialogue, at the turn the customer said no: the offer is not made again in
# the next few messages unless they ask for it.
DECLINED = "declined"
# How many messages after the "no" the bot keeps from offering again.
QUIET_TURNS = 3
_OFFERS = (Question.HUMAN, Question.OPEN_CASE, Question.FOLLOW_UP)
OFFERS = _OFFERS
# Order numbers asked for to do something for the customer (check a charge, chase a refund,
# put it on a case): an offer too, which "never mind" turns down.
_CHECKS = (Purpose.PAYMENT, Purpose.REFUND, Purpose.CANCEL, Purpose.COMPLAINT)
_DECLINE = re.compile(
    # (Said sourly first, "ugh whatever", "fine.", "sigh ok": still the no that follows.)
    r"^(?:(?:actually|oh|ah|ok|okay|hmm|well|no|nah|nope|erm|um|k|whatever|meh|eh|ugh|urgh|"
    r"sigh|fine|alright|right|ffs|jeez|geez|lol|yeah|ya|then)[\s,.!]+)*"
    # "nah forget the case, ...", "no need for a ticket": the case offered, turned down.
    r"(?:(?:no need|don'?t need|dont need|don'?t want|dont want|forget|skip|never ?mind)"
    r"(?: for| about)? (?:a|the|any) (?:case|ticket)|"
    r"never ?mind|nvm|no need|forget (?:it|about it)|leave it|it'?s (?:fine|ok|okay|alright)|"
    r"its (?:fine|ok|okay|alright)|don'?t (?:bother|worry)|not (?:needed|necessary)|"
    r"no thanks|no thank you|i'?m (?:good|fine|ok)|all good|skip it|no worries|"
    # "whatever, i'll just wait": waiting it out is a no to chasing it now.
    r"i'?ll (?:just )?(?:wait|hang on|hold on|give it)|i ?will (?:just )?wait|"
    r"ill (?:just )?wait)\b|"
    r"^(?:(?:哦|噢|嗯|额|那|呃|随便吧?|好吧|行吧)[\s,，]*)*(?:(?:不用|不要|别|先不|不必)(?:开|建|提交)?"
    r"(?:个)?工单了?|工单(?:就)?(?:不用|不要|先不)(?:开|建)?了?|算了|不用了|不用|不必了|不必|不需要了?|"
    r"没事了?|先不用|还是算了|不麻烦了|不用麻烦了|先这样吧|不弄了|先不弄|"
    r"(?:我)?(?:先|再)?等等(?:看|吧|再说)?|(?:我)?(?:先|再)等着?(?:吧|看)?$)",
    re.IGNORECASE,
)
# Putting the offer off ("hmm ok let me think about it", "嗯我再想想", "whatever"): the whole
# message, nothing asked. Not a yes, not a no: a short reply, the offer left for later.
_HESITATE = re.compile(
    r"^(?:(?:hmm+|hm+|mm+|ok(?:ay)?|k|kk|well|erm+|um+|uh+|ah+|oh+|right|yeah|ya|actually|idk|lol|"
    r"so|cool|got it|alright|all right|fine|no worries|sure|thanks|thank you|thx|ty|cheers|"
    r"great|understood|noted|gotcha)[\s,.!…]+)*"
    r"(?:let me (?:think(?: about it| it over| on it)?|see|have a think|sleep on it|decide)|"
    r"i'?ll (?:think(?: about it| it over| on it)?|see|have a think|decide later|let you know|"
    r"get back to you|sleep on it)|(?:i )?(?:need|have|want) to think(?: about it| it over)?|"
    r"gonna think(?: about it)?|not sure yet|i'?m not sure yet|maybe later|maybe|whatever|w/e|"
    r"meh|hmm+|give me a (?:sec|minute|moment|bit)|"
    # Putting it off to look again themselves: "ill check again later", "ill keep an eye on it".
    r"(?:i'?ll|ill|i will|gonna|let me) (?:just )?(?:check|look|try)(?: it| again| back)?"
    r"(?: later| tomorrow| in a bit| in the morning| myself)+|"
    r"(?:i'?ll|ill|i will|gonna) (?:just )?keep an eye on (?:it|things|the tracking)|"
    r"(?:(?:i'?ll|ill|i will|let'?s|lets|gonna) )?(?:just )?(?:see|wait and see) what happens"
    r"(?: tomorrow| then)?|(?:(?:i'?ll|ill|i will|let'?s|lets) )?wait and see)"
    r"[\s,.!…]*(?:then|for now|first|tbh|lol|yet|thx|thanks)?[\s,.!…]*$|"
    r"^(?:(?:嗯+|额|呃|那|好吧?|行吧?|好的|好滴|ok|知道了|明白了?|收到|了解|谢谢|谢啦|没事了?|"
    r"哦+|噢|emm+|唔|这个|不一定|不确定|还不确定|不好说|说不好)[\s,，.。…]*)*"
    r"(?:我|让我)?(?:再|先)?(?:想想|想一想|想一下|考虑(?:一下|考虑|下)?|琢磨(?:一下|琢磨)|"
    r"看看再说|再说吧?|晚点再说|回头再说|还没想好|没想好|随便吧?|都行吧?|无所谓|"
    # "我晚点自己看看", "我再观察两天", "那先这样吧": looking again themselves, later.
    r"(?:晚点|晚些|回头|等会儿?|一会儿?|明天|过两天)(?:我)?(?:自己)?(?:再)?(?:看看|看一下|查查|查一下)|"
    r"(?:自己)?(?:再)?观察(?:一下|两天|几天|一段时间)?|先这样)"
    r"[吧哈啊呢呀。.!！~～…\s]*$",
    re.IGNORECASE,
)
# Leaving the choice to the bot ("whatever", "either is fine", "随便", "你看着办"): the first
# thing offered. "whichever is quicker", "哪个快选哪个": a person, straight away.
_EITHER = re.compile(
    r"^(?:(?:ok(?:ay)?|k|um+|hmm+|well|erm|i mean|honestly|idc|lol)[\s,.!]+)*"
    r"(?:whatever|either(?: one| is fine| way| works)?|any(?: one| is fine)?|don'?t (?:mind|care)|"
    r"up to you|you (?:choose|pick|decide)|your call|whichever(?: (?:one|is fine|works))?|"
    r"(?:i )?don'?t mind which)[\s,.!…]*$|"
    r"^(?:(?:嗯+|额|那|好吧?|行吧?)[\s,，]*)*(?:随便(?:哪个)?|都行|都可以|哪个都行|哪个都可以|"
    r"你看着办|你决定|你定|你们看着办|无所谓)[吧啊呀。.!！~～\s]*$",
    re.IGNORECASE,
)
_QUICKER = re.compile(
    r"\b(?:whichever|which ?ever|the one that'?s|what(?:ever)?'?s)\b.{0,12}"
    r"\b(?:quicker|quickest|faster|fastest|sooner|soonest)\b|"
    r"\b(?:the )?(?:quickest|fastest) (?:one|option|way)\b|"
    r"哪个(?:更)?(?:快|最快)(?:就)?(?:选|用|要|来)?哪个|越快越好|哪个快|最快的那个|快的那个",
    re.IGNORECASE,
)
# Reply keys for an offer put off, by what was offered.
_KEPT_OPEN = {
    Question.OPEN_CASE: "offer_kept_open_case",
    Question.HUMAN: "offer_kept_open_human",
    Question.FOLLOW_UP: "offer_kept_open_human",
}
HESITATE = "hesitate"
# A new request after the "no" ("never mind, where is my other order?"): answered as such.


# Nothing to change, said of what the bot's answer could change ("keep the normal shipping",
# "standard is fine", "leave it as is", "普通的就行 不用改", "保持原样"): a no to the change.
_AS_IS = re.compile(
    r"\b(?:leave|keep)\s+(?:it|them|that|everything|things|the order)?\s*"
    r"(?:as (?:it is|is|they are)|the same|how it is|like (?:it is|that))\b|"
    r"\bkeep (?:the |my |it )?(?:normal|standard|regular|usual|free|same|current|original)\b|"
    r"\b(?:normal|standard|regular|usual|free) (?:shipping|delivery|post|one)? ?(?:is|'?s) "
    r"(?:fine|ok|okay|good|enough|alright)\b|\bno (?:need|changes?) (?:to change|needed)\b|"
    r"\bdon'?t (?:change|switch|upgrade) (?:it|anything|a thing)\b|\bas is\b|"
    r"(?:普通|正常|平常|标准|原来)的?(?:快递|配送|发货|寄|就)?(?:就)?(?:行|好|可以)|不用改|不改了|别改了?|"
    r"不用换|保持原样|照旧|原样就行|就按原来的|不用加急|不加急了",
    re.IGNORECASE,
)


def says_no(text: str) -> bool:
    """True when the whole message is a no or a "leave it as it is", asking nothing: "nah
    thats fine leave it as is", "no need, keep the normal shipping", "不用了 就这样吧", "普通的
    就行 不用改"; read so even when the offer was only in an answer's words ("ask me for a
    person"), never as a detail to act on."""
    text = text.strip()
    if is_question(text, auxiliaries=False):
        return False
    if _DECLINE.search(text) is not None:
        return True
    # Short: "keep the normal shipping but send it to my office" asks for a change too.
    return _AS_IS.search(text) is not None and len(text.split()) + ideographs(text) // 2 <= 8


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
    else (or says it again a message or two after: "whatever, i'll just wait")."""
    text = turn.message.text.strip()
    return (
        (offered(turn) or recently(turn))
        and says_no(text)
        and turn.parse.entity("order_number") is None
    )


def then_asks(text: str) -> str | None:
    """The question after a no that opens the message ("nah dont bother, when will it get
    here then", "ok never mind that, do you ship to canada?", "那算了 分期行不"): the offer is
    dropped and the question answered, as after a greeting. None when there is no such no, or
    nothing is asked after it ("nvm ill wait")."""
    found = _DECLINE.match(text)
    if found is None:
        return None
    rest = _LEAD_IN.sub("", text[found.end() :].lstrip(" ,，.。!！;；:-—"))
    if len(rest) < 4 or not is_question(rest, form=True) or _DECLINE.match(rest):
        return None
    return rest


# What is left of "never mind that, ..." / "forget it then, ..." before the question.
_LEAD_IN = re.compile(r"^(?:that|then|about that|about it)\b[\s,.!]*", re.IGNORECASE)


def remember(turn: Turn) -> None:
    """Keep that the customer said no to an offer at this turn."""
    turn.outcome.slots[DECLINED] = "yes"


def recently(turn: Turn) -> bool:
    """True when the customer turned an offer down in the last few messages."""
    slot = turn.dialogue.slot(DECLINED)
    return slot is not None and slot.turn >= turn.dialogue.turn - QUIET_TURNS


def hesitates(turn: Turn) -> bool:
    """True when the message puts the bot's offer (or its last answer) off and asks nothing:
    "ok let me think about it", "嗯我再想想", "whatever"."""
    text = turn.message.text.strip()
    return (
        (offered(turn) or turn.dialogue.topic is not None)
        and _HESITATE.match(text) is not None
        and turn.parse.entity("order_number") is None
    )


def chosen(turn: Turn) -> Question | None:
    """What a reply that leaves the choice to the bot takes, when the bot offered a choice
    ("a case or a person?"): "whichever is quicker" a person, "whatever"/"随便" the first."""
    if not offered(turn) or turn.parse.entity("order_number") is not None:
        return None
    asked = turn.dialogue.asked
    assert asked is not None  # offered() says so
    if asked.question not in _OFFERS:
        return None
    text = turn.message.text.strip()
    if _QUICKER.search(text) and not _ASKS_WHICH.search(text):
        return Question.HUMAN if asked.offers(Question.HUMAN) else asked.question
    if asked.also and _EITHER.match(text):
        return asked.question
    return None


# "which is quicker?" asks; "whichever is quicker" chooses.
_ASKS_WHICH = re.compile(
    r"^\s*(?:which|what)(?:'?s| is| one is)\b|哪个(?:更)?快[?？]|哪个快呢|哪个快啊", re.IGNORECASE
)


def kept_open(turn: Turn) -> Reply:
    """The reply to an offer put off: no rush, and how to take it up later."""
    asked = turn.dialogue.asked
    dialogue = turn.dialogue
    if "cancel_order" in dialogue.intents and dialogue.case is not None:
        # "let me think about it" right after a cancellation was passed on: where it stands
        # (the team cancels before it ships) and how to keep the order, not "anything else?".
        return turn.reply("cancel_think_it_over", number=dialogue.case)
    if not offered(turn) or asked is None:
        return turn.reply("deny_ack")
    if asked.question is Question.ORDER_NUMBER:
        return turn.reply("check_kept_open")
    return turn.reply(_KEPT_OPEN.get(asked.question, "offer_kept_open_human"))
