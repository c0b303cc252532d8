"""Short remarks read as what they are: a laugh or a shrug, a scoff, a rhetorical complaint.

"lol ok", "haha fine", "哈哈行吧" say the customer heard the answer and moves on: a short
acknowledgement, never small talk ("doing well, thanks for asking"). "呵呵" alone is no laugh
in Chinese chat: it is displeasure, met as sarcasm is. "is it always like this with you",
"every single time", "你们东西一直这样吗" ask nothing: a complaint about how things keep
going, acknowledged with what is done about it (noted on the open case, else passed on as
feedback with a follow-up offered), never "the team decides, I can't promise".
"""

from __future__ import annotations

import re

from handlers.context import DEFECT, length, says_not_received
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply

# The displeasure of a remark, in the notes of the open case.
DISPLEASED = "displeased"

# A laugh: "lol", "lmao", "haha", "hehe", "xD", "哈哈", "嘿嘿", "😂" (not "呵呵": a scoff).
_LAUGH = re.compile(
    r"\b(?:lo+l+|lmf?ao+|rofl|ha(?:ha)+h?|a?haha+|he(?:he)+|hah|xd+)\b|哈哈+|嘿嘿+|😂|🤣|😅|😆",
    re.IGNORECASE,
)
# A shrug beside the laugh: "ok", "fine", "sure", "fair enough", "whatever", "行吧", "好吧".
_SHRUG = re.compile(
    r"\b(?:o+k+a*y*|k+|kk|fine|sure|alright|aight|right|fair enough|fair|got it|gotcha|cool|"
    r"whatever|oh well|i see|makes sense|noted|then|yeah|ya|yep|so|well|guess so|i guess|"
    r"oh|ah|no worries|np)\b|"
    r"[行好吧嗯哦噢呃额那就这样算了知道明白也罢哎唉好的]",
    re.IGNORECASE,
)
# "呵呵", "呵呵呵", "呵呵 行吧", "呵呵 好的": a scoff, however politely worded after it.
_SCOFF = re.compile(r"呵呵+|嗬嗬+|🙄|😒|😑", re.IGNORECASE)
# What may stand beside a scoff and keep it a scoff ("呵呵 行吧", "呵呵。", "ok 🙄").
_SCOFF_REST = re.compile(
    r"\b(?:o+k+a*y*|k+|fine|sure|right|whatever|yeah|ya|wow|cool|great|thanks|thx)\b|"
    r"[行好吧嗯哦噢那就这样了的谢谢你们真是]",
    re.IGNORECASE,
)
# How things keep going, said of the shop: "is it always like this (with you)", "every single
# time", "same again", "typical", "why is it always", "this always happens", "每次都这样",
# "一直这样吗", "老是这样", "总是出问题", "又这样", "回回都这样", "次次都出问题".
_KEEPS_HAPPENING = re.compile(
    r"\b(?:is it|is this|it'?s|its|this is|are you|r u|is that)\s+(?:always|every time)\s+"
    r"(?:like (?:this|that)|this (?:way|bad|slow|hard)|so (?:slow|bad|hard|difficult|messy)|"
    r"a (?:mess|nightmare|hassle|struggle|joke)|how (?:it goes|it is|this goes))|"
    r"\balways (?:like this|the same|this way|happens|happening|how it goes|something)\b|"
    # (Not "every time i open it": that tells when a fault shows, a complaint's detail.)
    r"\b(?:every (?:single )?|each (?:and every )?)(?:time|order|bloody time|damn time)\b"
    r"(?!\s+(?:i|you|we|it|they|he|she|my|the|when|that)\b)|"
    r"\bwhy is it always\b|\bwhy does this always\b|"
    r"\b(?:this|it) (?:always|keeps) happen(?:s|ing)?\b|\bhappens every time\b|"
    r"\b(?:same|same thing|same story|same old|same again) (?:again|every time|as always|"
    r"as last time|with you)\b|\bagain and again\b|\btypical\b|\bas per usual\b|"
    r"\bnot (?:the|for the) first time\b|\bsame old\b|"
    r"(?:一直|总是|老是|每次都?|回回都?|次次都?|又|总|老)(?:这样|这个样|这德行|这么(?:搞|慢|烂|差)|"
    r"出问题|有问题|坏|不行|这种事)|不是第一次了|又来了|每回都",
    re.IGNORECASE,
)
# Longer than this, a message says more than the remark (a problem to read as such).
_REMARK_WORDS = 12


def laughs_it_off(text: str) -> bool:
    """True for a laugh, or a laugh and a shrug, and nothing else: "lol ok", "haha fine",
    "lmao fair enough", "哈哈行吧", "哈哈哈 好的"."""
    if _LAUGH.search(text) is None or _SCOFF.search(text) is not None:
        return False
    rest = _SHRUG.sub(" ", _LAUGH.sub(" ", text))
    return not any(c.isalnum() for c in rest)


def scoffs(text: str) -> bool:
    """True for a scoff and nothing more: "呵呵", "呵呵呵", "呵呵 行吧", "ok 🙄"."""
    if _SCOFF.search(text) is None:
        return False
    rest = _SCOFF_REST.sub(" ", _SCOFF.sub(" ", text))
    return not any(c.isalnum() for c in rest)


def keeps_happening(text: str) -> bool:
    """True for a short complaint that things always go like this, asking for nothing else:
    "is it always like this with you", "every single time", "你们东西一直这样吗", "老是这样"."""
    if _KEEPS_HAPPENING.search(text) is None or DEFECT.search(text):
        return False
    return length(text) <= _REMARK_WORDS


# The service itself knocked: "is this how you treat customers", "terrible service honestly",
# "so this is the service i get", "seriously? thats your service?", "what a joke of a
# company", "you lot are useless", "is that really the best you can do", "你们就这服务？",
# "这什么服务啊", "你们客服就这水平？", "你们对顾客就这态度", "服务太差了", "服了你们了", "就这？".
_KNOCKS_SERVICE = re.compile(
    r"\b(?:is|was) (?:this|that) (?:how|the way) (?:you|u|y'?all|your (?:company|shop|team)) "
    r"(?:treat|deal with|handle|look after|speak to|talk to)\b|"
    r"\b(?:terrible|awful|horrible|shocking|appalling|pathetic|useless|rubbish|crap|crappy|poor|"
    r"lousy|shit|shite|bad|worst|dreadful|abysmal|disgraceful|joke of an?)\s+(?:customer\s+)?"
    r"(?:service|support|company|shop|store|customer care|care|after ?sales)\b|"
    r"\b(?:so )?(?:this|that)(?:'?s| is) (?:the|your|what you call|what u call) "
    r"(?:customer )?(?:service|support|care)\b|\b(?:thats|that'?s|this is|is that) your "
    r"(?:customer )?(?:service|support|idea of (?:service|help))\b|"
    r"\bwhat a (?:joke|shambles|farce|disgrace)\b|\bjoke of an? (?:company|shop|service)\b|"
    r"\byou (?:lot|guys|people|ppl) are (?:useless|hopeless|a joke|pathetic|clowns)\b|"
    r"\b(?:is that|is this|that'?s|thats) (?:really )?(?:the best|all) (?:you|u) can do\b|"
    r"\b(?:never|not) (?:ordering|buying|shopping) (?:from|with|here) (?:you|again)\b|"
    r"就这(?:服务|水平|态度|效率|售后)|(?:这|这是)?(?:什么|啥)(?:破)?(?:服务|售后|客服|态度)|"
    r"(?:客服|服务|售后)(?:就|也|都)?(?:这|这个|这种)(?:水平|态度|样子?|德行)|"
    r"(?:就(?:是)?|都)?这么(?:对待|对|糊弄)(?:顾客|客户|消费者|我们|我)|"
    r"对(?:顾客|客户|消费者)(?:就|都)?(?:这|这个|这种)(?:态度|样)|"
    r"(?:服务|售后|客服|态度)(?:真|太|也太|好|真是|实在|特别|非常)?(?:差|烂|垃圾|糟糕|恶心)|"
    # "你们这效率真的不行", "效率也太低了": how slowly things go, knocked.
    r"效率(?:真的|真|也太|太|实在|特别|好|真是)?(?:不行|差|低|慢|太差|太低|太慢)|"
    r"服了你们|(?:太|真)失望|^\s*就这[?？。!！…]*\s*$",
    re.IGNORECASE,
)
# The service praised with a case just opened for a fault ("great service guys", "fantastic
# support, really", "服务真好啊", "呵呵 好服务"): said through the teeth, not thanks.
_SERVICE_PRAISED = re.compile(
    r"\b(?:great|fantastic|brilliant|amazing|wonderful|lovely|excellent|superb|stellar|awesome|"
    r"top|fab|good|nice)\s+(?:customer\s+)?(?:service|support|job|work)\b|"
    r"(?:好|真好|太好|真棒)(?:的)?(?:服务|售后)|(?:服务|售后)(?:真|太|可)(?:好|棒)",
    re.IGNORECASE,
)


def knocks_service(text: str) -> bool:
    """True when the service itself is knocked ("is this how you treat customers", "你们就这
    服务？"), with nothing else asked for (no person, no fault of the item)."""
    return (
        _KNOCKS_SERVICE.search(text) is not None
        and DEFECT.search(text) is None
        and length(text) <= _REMARK_WORDS
    )


def praises_service_sourly(turn: Turn, text: str) -> bool:
    """True for the service praised right after a fault's case was opened or spoken of
    ("great service guys" with the cracked jug's case open): praise the case belies."""
    case = turn.dialogue.case
    return (
        case is not None
        and any(c.number == case for c in turn.context.open_cases)
        and _SERVICE_PRAISED.search(text) is not None
        and _THANKS.search(text) is None
        and length(text) <= 8
    )


# Real thanks beside the praise ("great service, thank you!"): thanks, not sarcasm.
_THANKS = re.compile(r"\b(?:thanks?|thank you|thx|ty|cheers|appreciate)\b|谢谢|感谢|多谢", re.I)


def displeased(turn: Turn) -> bool:
    """True when the message is displeasure without a request: a scoff ("呵呵"), a
    rhetorical complaint ("is it always like this", "每次都这样"), the service knocked ("is
    this how you treat customers", "你们就这服务？") or praised through the teeth with a
    fault's case open ("great service guys"); no order named."""
    text = turn.message.text.strip()
    if turn.parse.orders:
        return False
    return (
        scoffs(text)
        or keeps_happening(text)
        or knocks_service(text)
        or praises_service_sourly(turn, text)
    )


# Arrived after all, told as news: "it turned up this afternoon btw", "fyi the rug arrived
# this morning", "got it today", "已经收到了 不用管了", "今天下午到了", "东西拿到了".
_ARRIVED = re.compile(
    r"\b(?:arrived|turned up|showed up|got here|(?:just|finally|it|they|has|have) come|"
    r"(?:it|they|just|finally|eventually) came|came (?:today|this|yesterday|in the end|after all|"
    r"earlier|just now)|(?:was|been|got) delivered (?:today|this|yesterday|in the end|after all)|"
    r"(?:got|received) (?:it|them|the \w+|my \w+) (?:today|this|yesterday|now|after all|in the "
    r"end|earlier|just now|finally)|it'?s here|its here|(?:they'?re|theyre) here)\b|"
    r"\bfound (?:it|them|the (?:parcel|package|box))\b|\bneighbou?rs? (?:had|has|took) it\b|"
    r"找到了|找着了|(?:已经|刚|刚刚|今天|昨天|下午|上午|早上|晚上|中午|终于|东西|包裹|快递)(?:就|也)?"
    r"(?:收到|到|送到|拿到|签收)(?:了|啦)|(?:收到|拿到|送到)(?:了|啦)|"
    # "52820的电饭煲到了", "买的炸锅到啦": what came, named, then that it came.
    r"(?:\d{4,}|的)[\u4e00-\u9fff]{0,6}(?:到|送到)(?:了|啦)(?![没吗么嘛不])|(?:刚|刚刚)(?:收到|到|送到)",
    re.IGNORECASE,
)
# ...not when it says it has not ("hasn't arrived", "还没到", "没收到"), nor a "but" that
# brings a problem ("it arrived but the lid is cracked"), nor the tracking's word for it.
_NOT_ARRIVED = re.compile(
    r"\b(?:not|never|hasn'?t|hasnt|haven'?t|havent|didn'?t|didnt|won'?t|wont|yet to|still)\b"
    r".{0,15}\b(?:arrived|come|came|turned up|here|received|delivered)\b|\bbut\b|\bexcept\b|"
    r"\b(?:says|said|shows|showing|tracking|status)\b|没(?:有)?(?:收到|到|送到|拿到)|未(?:收到|到|送达)|"
    r"还没(?:有)?(?:到|收|送|发|来|拿)|但|可是|不过|就是|显示|物流|说(?:已经)?(?:送到|到了|签收)|"
    r"家里没有|没看到|没见到|找不到|到了(?:没|吗|么|嘛)",
    re.IGNORECASE,
)
# Longer than this, the news comes with more to read.
_ARRIVED_WORDS = 12


def says_arrived(text: str) -> bool:
    """True when the words say the parcel came ("arrived today", "got it this morning", "到了",
    "刚收到"), whatever else is said with it."""
    return _ARRIVED.search(text) is not None


def tells_arrived(text: str, *, found: bool = False) -> bool:
    """True when the message tells, as news and nothing more, that the parcel came after all
    ("it turned up this afternoon btw", "fyi the rug arrived this morning", "已经收到了 不用管
    了"); ``found``: the caller has read it found ("found it, was at the neighbours")."""
    if not found and _ARRIVED.search(text) is None:
        return False
    return not (
        _NOT_ARRIVED.search(text)
        or DEFECT.search(text)
        or says_not_received(text)
        or is_question(text)
        or length(text) > _ARRIVED_WORDS
    )


# The Reading detail of news that an order came, with nothing wrong and no case about it.
ARRIVED = "arrived"


def glad_arrived(turn: Turn) -> list[Reply]:
    """ "my air fryer arrived today", "52820的电饭煲到了": glad, and where to say if anything
    is wrong with it (no case, no order status read back)."""
    return [turn.reply("arrived_glad", name=turn.name)]
