"""A confirmation asked of the answer just given ("and it's free, right?"): what it says."""

from __future__ import annotations

import re

from handlers import knowledge as kb
from handlers.turn import Turn
from handlers.types import Reply

# The Reading detail (handlers/readings.py reads it, handlers/dispatcher.py routes it).
DETAIL = "confirms_answer"

# A statement turned into a question for a yes or a no: "..., right?", "..., yeah?", "so
# it's free then?", "那就是不用我付运费吧", "不会收我钱吧", "所以周末也送对吧", "是不是不用付钱".
_TAG = re.compile(
    r"(?:,|\s)\s*(?:right|yeah|yea|yes|yh|ya|correct|innit|no|ok|okay|then|yep|is it|isn'?t it|"
    r"do i|don'?t i|did it|does it|doesn'?t it|aren'?t they|is that right|am i right)"
    r"\s*\?+\s*$|"
    r"(?:对吧|是吧|对不对|是不是|没错吧|对嘛|是吗|对吗)\s*[?？]*\s*$",
    re.IGNORECASE,
)
# A bare "吧" checks only after words that conclude or worry ("那就是不用我付运费吧", "不会收我
# 钱吧"); "那就退货吧", "那就这样吧" decide.
_BA = re.compile(
    r"^\W*(?:那就是|也就是说|意思是|就是说|所以|不会|应该|那应该|那也就是)[^。！!]*吧\s*[?？]*\s*$"
)
# A question of its own ("so when will it come then?", "那要多久呢对吧"): not a check.
_ASKS_WHAT = re.compile(
    r"\b(?:what|whats|when|where|which|who|why|how)\b|多久|什么|啥|几|哪|怎么|多少|咋",
    re.IGNORECASE,
)
# What the customer concludes from the answer: "so ...", "that means ...", "那就是...",
# "所以...", "也就是说...", "意思是...", "不会...吧" (a worry to be put to rest).
_INFERS = re.compile(
    r"^\W*(?:so|and|then|that means|which means|meaning|ok so|okay so|so basically|"
    r"just to (?:check|confirm|be clear))\b|"
    r"^\W*(?:那就是|那|所以|也就是说|意思是|就是说|那就|这样的话|不会|应该)",
    re.IGNORECASE,
)
# A request to act on it ("so can you change it, right?"): not a check of the answer.
_ACTS = re.compile(
    r"\b(?:can|could|would|will) (?:you|u)\b|\b(?:please|pls|plz)\b|帮我|麻烦|给我|请你|转人工",
    re.IGNORECASE,
)
# What to do next, checked ("so i just wait, right?", "所以不用管它了是吧", "那我等着就行吧"):
# the answer's next step (handlers/next_step.py), not its sentences again.
_WHAT_TO_DO = re.compile(
    r"\b(?:just |only )?(?:wait|leave it|do nothing|nothing to do|ignore it)\b|"
    r"等着|等就行|不用管|不管它|不用理|什么都不用|不用做什么|不用我做",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]{3,}|[\u4e00-\u9fff]{2}", re.IGNORECASE)
_STOP = frozenset(
    ("the", "and", "that", "this", "then", "right", "yeah", "there", "its", "it's", "you", "for")
)


def checks(turn: Turn) -> str | None:
    """The entry of the answer just given when the message asks to confirm what it says
    ("so there's no receipt in the parcel, yeah?", "那就是不用我付运费吧"); else None."""
    subject = turn.dialogue.subject_in_play()
    if subject is None or subject.entry is None or not subject.shown:
        return None
    if subject.turn != turn.dialogue.turn - 1:
        return None
    if turn.parse.orders or not is_check(turn.message.text):
        return None
    return subject.entry if turn.deps.knowledge.entry(subject.entry) else None


def is_check(text: str) -> bool:
    """True for a conclusion put as a question for a yes or a no ("and it's free, right?",
    "那就是不用我付运费吧"), not a question of its own, a request, nor a decision."""
    text = text.strip()
    if len(text) > 90 or _ACTS.search(text) or _ASKS_WHAT.search(text) or _WHAT_TO_DO.search(text):
        return False
    tagged = _TAG.search(text) is not None and _INFERS.search(text) is not None
    return tagged or _BA.search(text) is not None


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP}


async def answer(turn: Turn, entry_id: str) -> list[Reply]:
    """The sentences of the answer just given that say what is checked (those sharing its
    words most; the whole answer when none does), as said just now."""
    knowledge: kb.KnowledgeBase = turn.deps.knowledge
    entry = knowledge.entry(entry_id)
    if entry is None:
        return [turn.reply("help")]
    text = entry.answer(turn.language)
    sentences = knowledge.said_in(entry_id, turn.message.text, turn.language)
    if not sentences:
        asked = _words(turn.message.text)
        split = [s.strip() for s in re.split(r"(?<=[.!?])\s+|(?<=[。！？；])", text) if s.strip()]
        scored = [(len(asked & _words(s)), s) for s in split]
        best = max((n for n, _ in scored), default=0)
        sentences = [s for n, s in scored if n and n == best] or [text]
    joiner = "" if turn.language == "zh" else " "
    turn.answered_from(entry_id)
    return [turn.reply("said_already", said=joiner.join(sentences))]
