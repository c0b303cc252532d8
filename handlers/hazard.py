"""A product that sounds dangerous: the words for it, and the safety advice said first."""

from __future__ import annotations

import re

from handlers.searched import SearchedOnce
from handlers.turn import Turn
from handlers.types import Reply

# A product that may hurt someone (brief C37), in the ways people say it: smoke, sparks,
# fire, melting, a burning smell, an electric shock, too hot to hold, a battery swelling,
# water near the plug, or "is that dangerous" itself. DEFECT (handlers/context.py) takes what
# happened (a hazard is a product problem); SERIOUS_WORDS (handlers/complaint.py) takes all of
# it (it raises the case's priority).
_TOLD = (
    r"\b(?:smok(?:e|es|ed|ing|y)|spark(?:s|ed|ing)?|fire(?! ?(?:tv|stick|tablet))|flames?|"
    r"caught fire|on fire|singed|charred|shorted(?: out)?|short[- ]circuit(?:ed|s)?|"
    r"burn(?:s|t|ed|ing)?|scorch(?:ed|ing)?|melt(?:s|ed|ing)?|molten|electric shock|"
    r"(?:gave|give|gives) me (?:an? )?shock|shocked me|overheat(?:s|ed|ing)?|"
    r"explod(?:e|es|ed|ing)|"
    # "too hot to hold", "gets way too hot", "hot to the touch", "burning hot".
    r"too hot to (?:hold|touch|handle|pick up)|hot to the touch|burning hot|"
    r"(?:gets?|getting|got|runs?|running|goes|going|becomes?)\s+"
    r"(?:(?:so|too|really|very|way|super|crazy|insanely|dangerously|extremely|scarily)\s+)+hot|"
    # A battery that swells: "swelling", "bulging", "puffed up", "ballooned".
    r"swell(?:s|ed|ing)?(?: up)?|swollen|bulg(?:e|es|ed|ing)|puff(?:ed|ing|s)? up|puffy|"
    r"balloon(?:ed|ing)|"
    # Water where the power goes in: "dripping water near the plug", "leaks into the socket".
    r"(?:drip(?:s|ping|ped)?|leak(?:s|ing|ed)?)\b[^.?!]{0,30}\b"
    r"(?:plug|socket|outlet|cord|power cable|power lead|wires?|power point)s?|"
    r"(?:plug|socket|outlet|cord)s?\b[^.?!]{0,20}\b(?:wet|drip(?:s|ping)?|leak(?:s|ing)?))\b|"
    r"冒烟|冒火|火花|短路|着火|起火|烧焦|焦味|糊味|烧糊|烧坏|烧化|烫伤|烫手|漏电|触电|电到|电了我|爆炸|"
    # "炸了" of a product, not "我要气炸了".
    r"(?<!气)(?<!心态)炸了|融化|熔化|化了|变软了|鼓包|鼓起来|鼓起|鼓了|胀起来|膨胀|"
    r"烫得|烫死|太烫|特别烫|很烫|非常烫|好烫|巨烫|发烫|滚烫|烫的不行|"
    r"(?:插头|插座|插孔|电源|电线|底座|开关).{0,6}(?:漏水|渗水|进水|有水|湿了)|"
    r"(?:漏水|渗水|进水).{0,6}(?:插头|插座|插孔|电源|电线|底座|开关)"
)
# What happened to the product: a product problem (DEFECT takes these). "is it dangerous"
# on its own may be a question before buying, so it is only in HAZARD below.
TOLD = re.compile(_TOLD, re.IGNORECASE)
_HAZARD_WORDS = re.compile(
    _TOLD + r"|\b(?:dangerous(?:ly)?|unsafe|hazard(?:ous)?|fire hazard)\b|危险", re.IGNORECASE
)
HAZARD = SearchedOnce(_HAZARD_WORDS)

# "should i stop using it", "is it safe", "can i still use it", "还能用吗", "安全吗", "会不会
# 爆炸": whether to go on using the product, asked after it was reported as a danger.
_ASKS_IF_SAFE = re.compile(
    r"\b(?:is|was|would|will)\s+(?:it|this|that|the \w+)\s+(?:still\s+)?(?:be\s+)?"
    r"(?:safe|dangerous)\b|"
    r"\b(?:safe|ok|okay|fine|alright) to (?:use|keep|charge|plug|leave|touch|carry|have)\b|"
    r"\bshould (?:i|we) (?:stop|keep|still|not|carry on|continue)\b|"
    r"\b(?:can|could|may) (?:i|we) (?:still|keep|carry on|continue) (?:to )?(?:us(?:e|ing)|"
    r"charg(?:e|ing)|plug)\b|"
    r"\b(?:can|could|may) (?:i|we) (?:use|charge|plug in) (?:it|this|that|them)\b|"
    r"\b(?:do|should) (?:i|we) (?:need to |have to )?(?:stop|unplug|throw)\b|"
    r"\bis (?:it|this|that) (?:a )?(?:fire|safety) (?:risk|hazard)\b|"
    r"\bwill it (?:explode|catch fire|blow up|burn)\b|"
    r"还能(?:继续|接着|再)?用|能(?:继续|接着|再)用|还敢用|还可以(?:继续|接着)?用|可以(?:继续|接着)用|"
    r"(?:要不要|是不是要|需要|得)(?:先)?(?:停|别|不)(?:用|充)|安全(?:吗|不|么|嘛)|危险(?:吗|不|么|嘛)|"
    r"会不会(?:爆炸|炸|着火|起火|漏电|有危险|有事)|有(?:没有)?危险",
    re.IGNORECASE,
)
# The wall socket the product was plugged into, not the product: "is it safe to keep using
# the socket", "is the outlet ok", "那个插座还能用吗", "插座会不会坏了". (A bare "plug" is the
# product's own.)
_SOCKET = re.compile(
    r"\b(?:sockets?|outlets?|power points?|wall plugs?|power strips?|extension (?:leads?|cords?)|"
    r"powerboards?|(?:the |my )?wiring|fuse ?box|breakers?)\b|插座|插排|插线板|排插|插孔|墙上的插|"
    r"电闸|电路|线路",
    re.IGNORECASE,
)
# Its state asked: "is the outlet ok", "could the socket be damaged", "插座没事吧", "插座会不会坏".
_SOCKET_STATE = re.compile(
    r"\b(?:ok|okay|fine|alright|damaged|broken|fried|safe|dangerous|affected|ruined|dead)\b|"
    r"没事|有事|坏|烧|受损|有问题|影响|安全|危险",
    re.IGNORECASE,
)
# The advice, and the same asked again; their keys in handlers/data/responses.yml.
SAFETY = "hazard_safety"
STILL_SAFE = "hazard_still_safe"
SOCKET_SAFE = "hazard_socket_safe"
# The detail of a Reading for the question whether to go on using it.
SAFE_TO_USE = "safe_to_use"


def sounds_dangerous(text: str) -> bool:
    """True when the words say the product may hurt someone (smoke, sparks, too hot to hold,
    swelling, water at the plug, "is that dangerous")."""
    return HAZARD.search(text) is not None


def asks_if_safe(text: str) -> bool:
    """True when the customer asks whether to go on using it ("should i stop using it",
    "is it safe", "还能用吗") and tells of no new danger beside the question."""
    if _ASKS_IF_SAFE.search(text) is None:
        return asks_of_socket(text)
    return HAZARD.search(_ASKS_IF_SAFE.sub(" ", text)) is None


def asks_of_socket(text: str) -> bool:
    """True when the question is about the wall socket the product was plugged into ("is it
    safe to keep using the socket", "插座会不会坏了"), not the product itself."""
    return _SOCKET.search(text) is not None and (
        _ASKS_IF_SAFE.search(text) is not None or _SOCKET_STATE.search(text) is not None
    )


def in_play(turn: Turn) -> bool:
    """True when a danger was reported in this chat: the advice given in this conversation,
    or an open case whose words tell of one (the customer back another day)."""
    if turn.dialogue.variant(SAFETY) is not None or SAFETY in turn.outcome.said:
        return True
    return any(sounds_dangerous(case.summary) for case in turn.context.open_cases)


def advice(turn: Turn, line: str) -> list[Reply]:
    """The safety advice, first, for a report of a danger; once a conversation (after that
    the customer has read it, and asking again gets it plainly)."""
    told = turn.dialogue.variant(SAFETY) is not None or SAFETY in turn.outcome.said
    if told or not sounds_dangerous(line):
        return []
    reply = turn.reply(SAFETY)
    turn.outcome.said.setdefault(SAFETY, 0)
    return [reply]


def still_safe(turn: Turn) -> list[Reply]:
    """ "should i stop using it", "还能用吗" after a danger was reported: yes, stop, plainly,
    and how (never a fallback nor a question for the team); "is it safe to keep using the
    socket": the socket is not the product, so what to look for and to have it checked."""
    if asks_of_socket(turn.message.text):
        return [turn.reply(SOCKET_SAFE)]
    return [turn.reply(STILL_SAFE)]
