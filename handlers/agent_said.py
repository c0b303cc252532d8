"""What an agent wrote to the customer on their case, asked about once the bot has the chat."""

from __future__ import annotations

import re

from crm_memory import Case, Message, Sender
from handlers.agents import display_name
from handlers.cases import current_case
from handlers.greeting import case_status_line
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply

# The Reading detail (handlers/readings.py asks_what_agent_said).
DETAIL = "agent_said"

# The agent's words pointed at: "what did maria say again", "the agent said it ships
# tomorrow", "your colleague told me...", "you guys said", "你们同事说的换货发了没", "客服说明天
# 发", "刚才那个客服说的呢", "人工说的".
_POINTS_AT = re.compile(
    r"\b(?:agent|colleague|co-?worker|guy|lady|woman|person|rep|staff|she|he|you guys|u guys|"
    r"your team|the team|someone)\s+(?:just\s+|already\s+|earlier\s+)?(?:said|told|says|promised|"
    r"mentioned|wrote|sent|did say)\b|"
    r"\bwh?at (?:did|was it|do) (?:the agent|your colleague|she|he|they|you guys|your team|"
    r"the team)?"
    r"\s*(?:say|said|write|wrote|tell|told)\b|"
    r"(?:同事|客服|人工|那位|那个人|她|他|你们)(?:刚才|之前|刚刚|前面|上次)?(?:说|讲|答应|承诺|告诉我|回复)"
    r"(?:的|了|过)?",
    re.IGNORECASE,
)
# What the customer asks of it: whether it happened, or when ("did the replacement ship?",
# "has it gone out", "发了没", "什么时候到").
_ABOUT = re.compile(
    r"\b(?:replacement|replacment|refund|new (?:one|\w+)|ship(?:ped|s)?|sent|dispatch(?:ed)?|"
    r"posted|"
    r"on (?:its|it'?s) way|tracking|arriv\w*|come|coming|happen\w*)\b|"
    r"换货|退款|新的|发(?:了|货|出|没)|寄(?:了|出|没)|到(?:了|没|吗)|单号|物流|"
    r"(?:什么时候|啥时候|几号|哪天|多久)(?:能|才|可以)?(?:到|发|寄|收到)",
    re.IGNORECASE,
)
# A saying word beside the agent's name ("what did maria say", "小王说的").
_SAID = re.compile(r"\b(?:said|say|says|told|tell|wrote|promised)\b|说|讲|答应|承诺", re.I)


def last_words(turn: Turn) -> Message | None:
    """The latest message an agent wrote to this customer (in their recent history), if any."""
    said = [m for m in turn.context.recent if m.sender is Sender.AGENT and m.text.strip()]
    return max(said, key=lambda m: m.created_at) if said else None


def asks(turn: Turn) -> bool:
    """True when, an agent having written to the customer and the bot having the chat now,
    the customer asks about what the agent said: points at it ("what did maria say", "你们同
    事说的换货发了没"), or asks after what it was about ("did the replacement ship?" when the
    agent wrote of the replacement)."""
    said = last_words(turn)
    if said is None or turn.parse.orders or not turn.context.open_cases:
        return False
    text = turn.message.text
    if len(text) > 120:
        return False
    if _POINTS_AT.search(text):
        return True
    name = display_name(said.agent).lower()
    if said.agent and name in text.lower() and _SAID.search(text):
        return True
    asked = is_question(text) or re.search(r"\byet\b|没|吗|么", text) is not None
    about = _ABOUT.search(text)
    return (
        asked
        and about is not None
        and _ABOUT.search(said.text) is not None
        and (_same_matter(about.group(0), said.text))
    )


# The same matter on both sides: the replacement asked after and written of, or its
# shipping; the refund and the refund.
_MATTERS = (
    re.compile(
        r"replac|new (?:one|\w+)|换货|新的|ship|sent|dispatch|post|发|寄|tracking|单号|物流|"
        r"arriv|come|coming|go(?:es|ing)? out|on (?:its|it'?s|the) way|deliver|到",
        re.I,
    ),
    re.compile(r"refund|退款|退钱", re.I),
)


def _same_matter(asked: str, said: str) -> bool:
    return any(m.search(asked) and m.search(said) for m in _MATTERS)


async def answer(turn: Turn) -> list[Reply]:
    """The agent's last words said back (who, on which case) and where the case stands now,
    never as if nothing happened nor a new case."""
    said = last_words(turn)
    case = await current_case(turn)
    if said is None or case is None:
        return [turn.reply("help")]
    turn.outcome.case = case.number
    lines = [
        turn.say(
            "agent_said", agent=display_name(said.agent), number=case.number, said=_quoted(said)
        ),
        _status(turn, case),
        turn.say("agent_said_next", agent=display_name(said.agent)),
    ]
    return [Reply("\n".join(lines))]


def _quoted(message: Message) -> str:
    """The agent's words, one line, kept short."""
    text = " ".join(message.text.split())
    return text if len(text) <= 300 else text[:297].rstrip() + "..."


def _status(turn: Turn, case: Case) -> str:
    return case_status_line(turn, case)
