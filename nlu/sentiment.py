"""Sentiment of English and Chinese customer messages: a trained model, and rules for its gaps."""

from __future__ import annotations

import gzip
import json
import math
import re
from functools import lru_cache
from pathlib import Path

from nlu.sentiment_features import (
    EN_INTENSIFIERS,
    features,
    lexicons,
)
from nlu.types import Sentiment, SentimentLabel

MODEL_FILE = Path(__file__).parent / "data" / "sentiment" / "model.json.gz"
_LABELS = (SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE)

# Contrast: what follows "but" is what the customer means ("nice app but it keeps crashing").
_CONTRAST = re.compile(
    r"\b(?:but|however|though|although|except|yet|sadly|unfortunately|shame)\b|"
    r"但是|可是|不过|然而|[，,]\s*就是|可惜|[，,]\s*只是|但",
    re.I,
)
_CONTRAST_WEIGHT = 0.75
# A concession before the contrast ("虽然等了一会儿，但是味道没话说", "although it was late,
# ..."): the writer grants the first part to set it aside, so the last part counts more.
_CONCESSION = re.compile(
    r"\b(?:although|even though|even if|despite|granted)\b|虽然|虽说|尽管|虽", re.I
)
_CONCESSION_WEIGHT = 0.9
_CONCEDED_SAME = 0.5
# "X though Y", "X although Y": Y is what is set aside, X decides.
_CONCEDING = frozenset(("though", "although"))
_EVEN = re.compile(r"\s*\beven\s*$", re.I)
_CONTRAST_PUSH = 1.5

# "pretty" before another word is a degree ("pretty slow"), not praise: dropped.
_PRETTY = re.compile(r"\bpretty\s+(?=[a-z])", re.IGNORECASE)
# Intensifiers make whatever follows stronger; they carry no direction of their own.
_BOOST = 0.8
# Chinese intensifiers that make it stronger (很 is too everyday to count: 很差 is plain "bad").
_ZH_STRONG = re.compile(r"非常|特别|超级|极其|十分|相当|太|超|巨|贼|真的很")
# Words an intensifier makes stronger that the lexicon lacks.
_EN_EVALUATIVE = frozenset(
    (
        "slow",
        "late",
        "rude",
        "fast",
        "quick",
        "expensive",
        "cheap",
        "unhelpful",
        "dirty",
        "clean",
        "cold",
        "noisy",
        "loud",
        "long",
        "confusing",
        "easy",
        "smooth",
        "broken",
        "laggy",
        "buggy",
        "pricey",
        "overpriced",
        "slowly",
        "quickly",
        "small",
        "tiny",
    )
)

# Sarcasm: praise that opens a complaint ("oh great, another delay"), and set phrases.
_SARCASTIC = re.compile(
    r"thanks? (?:you )?for nothing|thanks a (?:lot|bunch)\b.*\b(?:not|nothing|never|again)\b|"
    r"\byeah,? right\b|\bnot!\s*$|\bso helpful,? not\b|\bwhat a (?:joke|surprise)\b|"
    r"\bslow clap\b|(?:👏|🙃){2,}|🙄|😒|😑|🙃|#not\b|#sarcasm\b|"
    r"\b(cool|nice|great|awesome|perfect|fantastic|wonderful|brilliant)[,.!]* \1\b|"
    r"\b(?:impressive|classy|stellar|outstanding|incredible|brilliant)[,.]? (?:honestly|really|tbh|"
    r"truly)[.!\s]*$|\btruly a record\b|\breally feel (?:valued|appreciated|special)\b|"
    # Praise in scare quotes: thanks for the "care", your "customer service".
    r"\bthanks? (?:you )?for (?:the|your|all (?:the|your)) [\"“'‘]\w|"
    r"\byour [\"“'‘](?:customer |great |excellent )?(?:care|service|help|support)\b|"
    r"真是谢谢你们了|谢谢你们了|谢谢你全家|呵呵|好评（?才怪|才怪|真是服了|服了你们|"
    r"真是(?:好样的|厉害)|可真(?:快|行|厉害)啊",
    re.I,
)
_PRAISE_OPENER = re.compile(
    r"^(?:@\w+\s+)*oh,?\s+(?:good|goody|joy|cool|look)\b[,.!…\s-]+|"
    r"^(?:@\w+\s+)*(?:yay|kudos for|cool|stellar \w+(?: \w+)?)\b[,.!…\s-]+|"
    r"^(?:@\w+\s+)*(?:(?:oh|wow|yay|just|well|ah)[,!.\s]+)*(?:great|fantastic|wonderful|"
    r"brilliant|perfect|awesome|lovely|amazing|nice|super|terrific|excellent|splendid|good job|"
    r"well done)\b(?:\s+(?:job|work|one))?(?:\s+(?:guys|team|folks|lads|people))?"
    r"[,.!…\s-]+|"
    r"^(?:@\w+\s+)*(?:(?:oh|wow|yay|just|well|ah)[,!.\s]+)*(?:i\s+)?"
    r"(?:just\s+|really\s+|absolutely\s+|(?:do|simply)\s+)?(?:love|adore)\s+"
    r"(?=(?:how|that|it when|when|waiting|being|getting|paying|spending|sitting|standing)\b)|"
    r"^(?:@\w+\s+)*thanks? (?:you )?(?:a lot|so much)\b[,.!\s]+|"
    # A laugh opening it ("lol great, another week", "haha so helpful", "哈哈 真棒"): the
    # praise after it, if any, is said with a straight face only when the rest is praise too.
    r"^(?:@\w+\s+)*(?:lol|lmao|rofl|ha(?:ha)+|he(?:he)+|哈哈+|呵)[,.!…\s]+"
    r"(?:(?:so |very |really )?(?:great|nice|cool|perfect|awesome|amazing|wonderful|"
    r"brilliant|fantastic|helpful|lovely|good job|well done|真棒|太好了|好极了|厉害|真行|不错)"
    r"[,.!…。！，\s]*)?|"
    r"^(?:你们|您们|你家|这)?(?:的)?(?:真是|真的|可真是|实在是|简直)?(?:好极了|太好了|真棒|真行|厉害了|好得很|干得漂亮|太棒了|真不错|"
    r"服务真好|服务可真好|效率真高|真是好样的|可真厉害|真厉害)[啊呀呢，,。！!\s]*",
    re.I,
)
# ...and praise closing one: "can't log in, can't reach anyone. brilliant system."
_PRAISE_CLOSER = re.compile(
    r"[.!?。！？…,，]\s*(?:(?:just|oh|wow|really|so|what an?|such an?)\s+)?(?:great|fantastic|"
    r"wonderful|brilliant|perfect|awesome|lovely|amazing|superb|splendid|excellent|nice one|"
    r"good job|great job|well done)(?:\s+\w+)?[.!…\s]*$|"
    r"[.!?…,]\s*(?:(?:just|oh|so|gotta)\s+)?(?:love|loving) (?:it|this|that)[.!…\s]*$|"
    r"[.!?…]\s*(?:cool|nice|classy|good times|fun times)[.!…\s]*$|"
    r"[，,。]\s*(?:好极了|太棒了|真棒|真行|厉害|牛)[啊呀了。！!]*$",
    re.I,
)

_HANDLE = re.compile(r"@\w+|https?://\S+")
_TRAILING = re.compile(r"(?:\s|[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200d]|#\w+)+$")

# Complaints without a single emotional word: what keeps happening, what never came.
_COMPLAINT = re.compile(
    r"\bkeeps? (?:on )?\w+ing\b|\bstill (?:not|no|nothing|waiting|broken|missing|hasn?t|"
    r"haven?t|didn?t|doesn?t|isn?t|can'?t|won'?t|hasn't|haven't|didn't|doesn't|isn't|stuck|"
    r"hasnt|havent|didnt|doesnt|isnt|cant|wont)\b|"
    r"\b\d+\s*(?:days?|weeks?|wks?|months?|hours?|hrs?|mins?|minutes?)\s+(?:and|later)[,\s]+"
    r"(?:nothing|still|no)\b|"
    r"\bnever (?:arrived|came|showed|got|received|heard|answered|replied|called|turned up)\b|"
    r"\b(?:hasn'?t|haven'?t|didn'?t|hasnt|havent|didnt) (?:arrived|shipped|come|turned up|"
    r"been (?:delivered|refunded|shipped|fixed)|replied|responded|called back|got back)\b|"
    r"\b(?:no ?one|nobody|no body) (?:answers|replies|responds|picks up|called|calls|got back|"
    r"gets back|helps|cares)\b|\b(?:charged|billed) (?:me )?twice\b|\bdouble[- ]charged\b|"
    r"\bon hold (?:for|since)\b|\bwrong (?:item|size|order|address|colou?r)\b|"
    r"\bsent (?:me |us )?(?:the |a )?(?:wrong|some ?one else'?s|somebody else'?s|an? used|"
    r"a broken|half)\b|\b(?:arrived|came|turned up) (?:smashed|broken|damaged|open|empty|late)\b|"
    r"\bwait(?:ing|ed)? (?:for )?(?:over |almost |nearly )?(?:\d+|an?|one|two|three|four|five|"
    r"six|several|many) (?:hours?|hrs?|days?|weeks?|months?|mins?|minutes?)\b|"
    r"\b(?:lost|damaged|broke|cancell?ed|smashed) (?:my|our) \w+|"
    r"\b(?:lost|damaged|broke|smashed) (?:it|them)\b|"
    r"老(?:是)?(?:闪退|掉线|卡|出错|坏|登录不上|报错|死机|延误|迟到|断)|"
    r"一直(?:没|不|打不通|转圈|显示|报错|闪退|掉线|在排队|卡)|(?:没人|没有人|无人)(?:回|理|接|管|处理)|"
    r"打不通|又(?:坏|延误|迟到|没|错|闪退|卡|送错|发错|掉线|晚|是这样|涨)|"
    r"(?:少|漏)(?:送|发|给)|(?:送|发)错|催了|怎么还(?:没|不)|还没(?:到|发货|退|送|收到|解决|处理|回)|(?:啥|什么)(?:也|都)没(?:收到|到|有人)|"
    r"等了.{0,6}(?:小时|天|分钟|个钟)|"
    # What goes wrong when flying, told flatly: "hung up on me", "stuck at the gate 3 hrs".
    r"\bhung up on (?:me|us)\b|\b(?:stuck|stranded) (?:at|in|on)\b|"
    r"\b(?:sat|sitting|waiting|stuck) on the (?:tarmac|runway|taxiway)\b|"
    r"\bmissed (?:my|our|the) (?:connection|connecting flight)\b|\boverbooked\b|"
    r"\b(?:bumped|kicked|thrown) (?:me|us)(?: off)?\b|\b(?:cancell?ed|delayed) again\b|"
    r"\bno (?:hotel|food|meal|taxi)s? vouchers?\b|"
    r"\b(?:delayed|late) (?:by )?(?:over |almost |nearly |another )?\d+\s*(?:hours?|hrs?|h)\b|"
    r"\b\d+\s*(?:hours?|hrs?|h) (?:delay|late|on hold)\b|"
    # Customers saying they are leaving.
    r"\bnever (?:again|flying|booking|ordering|buying)\b|\b(?:the )?last time i(?:'ll| will)? "
    r"(?:book|fly|order|use|buy|shop)\b|\b(?:i'?m|i am) (?:so |totally )?done with (?:you|this)\b|"
    r"\bswitching (?:to another|airlines|carriers|banks|providers)\b|"
    # Hours spent where nobody wants to be, changes made behind the customer's back.
    r"\b\d+\s*(?:hours?|hrs?)\s+(?:in|at|on) (?:the )?(?:airport|terminal|gate|tarmac|runway|"
    r"plane|hold|phone)\b|\band counting\b|#\w*fail\b|"
    r"\bwithout (?:telling|asking|warning|notifying|informing|"
    r"any (?:notice|warning|explanation))\b|"
    # 外卖 too late: "我六点半下的单，八点才到", "一个多小时才送到".
    r"下的?单.{0,30}?(?:才|还没|都没)|(?:一个多|两个多?|半个多|\d+个多?)(?:小时|钟头)(?:才|还没)|"
    r"(?:几乎|约等于|等于)(?:为)?(?:零|没有)|形同虚设|"
    # Waiting and silence told flatly: "it all took way too long", "not a single word from
    # anyone", "nobody answered my email either", "等太久了", "一开始机器人啥也不懂".
    r"\btook (?:way |far |much |so |a bit )?(?:too|so|ages|forever)(?: long)?\b|"
    r"\bnot (?:a|one) (?:single )?(?:word|reply|answer|email|call|update|peep)\b|"
    r"\b(?:no ?one|nobody|no body) (?:ever )?(?:answered|replied|responded|rang|wrote)\b|"
    r"(?:等|拖|弄|搞|处理)(?:了)?(?:得)?(?:太|好|这么|那么)久|太慢了|(?:啥|什么)(?:也|都)不懂|"
    r"答非所问|(?:一|连)(?:句|个)(?:回复|解释|消息|话)(?:都|也)没",
    re.I,
)
# Questions a customer asks when something has gone wrong, not to learn anything.
_RHETORICAL = re.compile(
    r"\bwhat(?:'s| is) the point\b|\bis it too much to ask\b|\bhow (?:is|was) (?:it|that) "
    r"(?:even )?possible\b|\bhow hard (?:is|can) it be\b|\bhow do(?:es)? (?:you|they|it) "
    r"(?:lose|lost|manage)\b|\bwhere is every(?:one|body)\b|\bwhat am i (?:even )?paying for\b|"
    r"\bwhat (?:is|'s) the (?:membership|fee|fees) for\b|"
    r"\bwhy (?:on earth |the hell |tf )?"
    r"(?:is|does|did|do|are|was|were|would|cant|can't|won't|wont|isn't|isnt) "
    r"(?:it|a|an|my|the|your|you|this|every|there|no ?one|nobody)\b|"
    r"凭什么|怎么回事|有没有搞错|搞什么|什么意思啊?[？?]|是不是.{0,8}[？?]{2,}|有(?:什么|啥)用|"
    r"\bwhat good is\b|\bwhat'?s the use\b|\bnow what\b|\bwhat am i supposed to do\b",
    re.I,
)
_RHETORICAL_PUSH = 2.0
# A plain question asking for information ("does the lounge take day passes?"): neutral
# unless its words are clearly charged or it names a problem.
_INFO_QUESTION = re.compile(
    r"^(?:@\w+\s+)*(?:hi|hello|hey)?[,!\s]*(?:(?:can|could|may|do|does|did|is|are|will|would|"
    r"should) (?:i|we|you|my|it|there|the|this|pets?)\b|what(?:'s| is| are)? |when |"
    r"where |which |how (?:do|does|can|many|much|long|early|late|soon)\b|any (?:news|update)|"
    r"请问)|\?\s*$|？\s*$|"
    r"有没有|能不能|能否|可不可以|多远|多少钱|多久|几点|哪里|哪儿|什么时候|是否|[吗呢]\s*$",
    re.I,
)
_QUESTION_LEX = 0.55
_QUESTION_PUSH = 1.5
# "another", "again", "又": more of something, which after praise is rarely good news.
_MORE_OF_IT = re.compile(r"\banother\b|\bagain\b|\bone more\b|又|还是", re.I)
_COMPLAINT_PUSH = 2.0
# The share of the score that certainty alone gives; the rest comes from intensity.
_FLOOR = 0.6
_SARCASM_PUSH = 3.0
_SARCASM_LEAN = 0.35
# Thanks after praise is sincere ("great, thanks"); "thanks for nothing" is caught before.
_THANKS = re.compile(r"\bthanks?\b|\bthank you\b|\bty\b|\bcheers\b|谢谢|感谢", re.I)


# Long messages (reviews): sentences end at these; "." only before a space or the end.
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+|(?<=[A-Za-z0-9)\"'%])\.+(?=\s|$)|…+")
# From this many sentences on, a message is also read sentence by sentence.
_LONG = 3
# How much a sentence counts: a floor, plus how clearly it takes a side (P(pos) - P(neg)).
_SIDE_FLOOR = 0.1
# The overall verdict counts most; the closing sentence, and one that turns ("但是...",
# "But ..."), more than the rest; what the writer marks as the minor side, least.
# An overall verdict that says which way by itself: "不会再住了", "would book again". Read
# from the words, not the model: the model reads "wouldn't come back" no better than a coin.
_VERDICT_POSITIVE_FIRST = re.compile(
    r"\bcan'?t recommend (?:\w+ ){0,3}(?:enough|highly enough)\b|\bwould(?: \w+)? not hesitate\b",
    re.I,
)
_VERDICT_NEGATIVE = re.compile(
    r"不会再|再也不|以后不(?:会|再|来|点|住)|不来了|不点了|绝对不|一辈子不|换别家|不推荐|"
    r"不值|差评|太失望|很失望|心累|别来|别点|避雷|劝退|"
    r"\bnever (?:again|ordering|flying|staying|coming|buying|using|shopping|booking)\b|"
    r"\b(?:will not|won'?t|wouldn'?t|would not|never) (?:be )?(?:\w+ )?(?:back|returning|"
    r"come back|book|stay|fly|order|recommend|return|use|buy|shop)\b|"
    r"\bnot (?:ordering|staying|flying|coming|buying|shopping|booking|using)\b(?: \w+){0,3}"
    r" again\b|\blook elsewhere\b|\buninstall(?:ed|ing)?\b|\bdeleting (?:the|this|your) app\b|"
    r"\bcancell?ing (?:the|my) (?:order|account|subscription)\b|\bi'?m done\b|"
    r"\bwant my money back\b|\brip[- ]?off\b|\bnot worth\b|\bworst\b(?! part| thing| bit)|"
    r"\bavoid\b|\bstay away\b|"
    r"\b(?:one|1) stars?\b",
    re.I,
)
_VERDICT_POSITIVE = re.compile(
    r"还会再|会再来|还会来|下次还|还住这|还会点|(?<![不员板台他她])推荐(?!的)|五星|好评|值了|值得|"
    r"回购|收藏|没话说|"
    r"\bwould (?:\w+ )?(?:book|stay|fly|order|come|go|buy|use|shop) (?:\w+ ){0,3}again\b|"
    r"\b(?:will|i'?ll) (?:\w+ )?be back\b|\b(?:highly|definitely|would|totally|strongly|i|"
    r"can) recommend\b|\brecommend (?:it|this|them|the place)\b|\bworth (?:it|the|every)\b|"
    r"\b(?:five|5) stars?\b|\bbest\b.{0,40}\bever\b|\bcome back\b|\bin a heartbeat\b",
    re.I,
)
# A verdict that takes its direction from the rest of the sentence: "总体来说不错".
_VERDICT = re.compile(
    r"总体|总的来说|总之|总而言之|整体(?:来说|感觉|体验|而言|还|不错|很|满意)|综合来看|"
    r"性价比|体验|\boverall\b|\ball in all\b|\bin the end\b|\bon the whole\b",
    re.I,
)
_VERDICT_WEIGHT = 4.0
# A middling verdict ("3 stars"): neither way.
_NEUTRAL = [0.15, 0.7, 0.15]
# What a verdict that says which way counts as: sure, short of certain.
_FIRM = {-1: [0.85, 0.05, 0.1], 1: [0.1, 0.05, 0.85]}
_MINOR = re.compile(
    r"唯一的?(?:优点|缺点|不足|好的|好处|问题|亮点|值得|遗憾)|美中不足|要说不足|不足的?(?:是|之处)|"
    r"小缺点|小问题|稍微|稍稍|略微|倒是|还算|也算|还行吧|还可以吧|本身.{0,4}还|^(?:就是|只是|只不过)|"
    r"就是.{0,12}(?:有点|一点|稍|偏|略)|有点|有些|一点点|"
    r"\bi'?ll give (?:them|it|you|her|him) that\b|\bthe only (?:good|nice|bad|downside|thing|"
    r"complaint|gripe|issue|problem|redeeming|plus)\b|\bat least\b|\bi guess\b|\bto be fair\b|"
    r"\bfor what it'?s worth\b|\b(?:only|minor|small|one) (?:downside|complaint|gripe|niggle|"
    r"issue|quibble)\b|\benough\b|\bgranted\b|\bfair enough\b|"
    r"\b(?:itself|themselves) (?:is|was|are|were|looked|tasted)\b|\b(?:a bit|a little|slightly|"
    r"a tad|kind of|kinda|somewhat)\b",
    re.I,
)
_MINOR_WEIGHT = 0.3
_TURN = re.compile(
    r"(?:but|however|still|yet|sadly|unfortunately|instead)\b|但是|但|可是|可|不过|然而|可惜", re.I
)
_CLOSING_WEIGHT = 1.5
# The whole text read as one keeps this share beside its sentences.
_WHOLE_SHARE = 0.3
# A long review whose sentences lean one way by this much is not "neutral".
_LONG_SIDE = 0.15
# A problem put right: the mishap named is not the complaint ("made up 40 min of the delay").
_RECOVERY = re.compile(
    r"\bmade up (?:\d+\s*\w+|the time|(?:most|some|all|half) of (?:it|that|the \w+))|"
    r"\b(?:already (?:re)?booked|(?:re)?booked (?:me|us) before)\b|"
    r"\bgot (?:me|us) (?:on|onto|out|home|there|a seat|rebooked)\b|"
    r"\bsorted (?:it|everything|me|us|things)\b|\bfixed (?:it|everything) (?:fast|quickly|in|"
    r"within|the same|same)\b|\bonly \d+\s*(?:min|mins|minutes)\s+late\b|\bno questions asked\b|"
    r"\bput (?:it|things|everything) right\b|\bdrove (?:it|them) (?:to|over)\b|"
    r"\bclawed back\b|\bhad (?:me|us) on\b|\bfound (?:it|them|my|our)\b|"
    r"\b(?:mailed|sent|brought|posted|returned|couriered) (?:it|them) back\b|"
    r"主动(?:退|赔|补|换|道歉)|马上(?:给)?(?:换|补|退)了|立刻(?:给)?(?:换|补|退)了",
    re.I,
)
# A fact asked back in disbelief: "earliest rebooking is Thursday?".
_ECHO = re.compile(
    r"\b(?:earliest|next available|soonest|first available|best (?:you|they) can do)\b"
    r"[^?.!]{0,40}\?",
    re.I,
)


@lru_cache(maxsize=1)
def _model() -> tuple[dict[str, tuple[float, float, float]], tuple[float, float, float]]:
    """The shipped weights (built by ``python -m nlu.sentiment_build``), loaded once."""
    raw = json.loads(gzip.decompress(MODEL_FILE.read_bytes()))
    weights = {k: (v[0], v[1], v[2]) for k, v in raw["weights"].items()}
    bias = raw["bias"]
    return weights, (bias[0], bias[1], bias[2])


def model_data_hash() -> str:
    """The training data digest the shipped model was built from."""
    raw = json.loads(gzip.decompress(MODEL_FILE.read_bytes()))
    return str(raw["data_hash"])


def _logits(found: dict[str, float]) -> list[float]:
    weights, bias = _model()
    out = list(bias)
    for name, value in found.items():
        row = weights.get(name)
        if row is not None:
            out[0] += row[0] * value
            out[1] += row[1] * value
            out[2] += row[2] * value
    return out


def _intensity(text: str, found: dict[str, float], *, negative: bool, boosted: bool) -> float:
    """How strongly it is felt, 0..1, apart from which way: strong words of that direction,
    intensifiers, exclamation marks, shouting. "my kettle arrived broken" is plainly negative
    but not furious; "this is ridiculous, terrible, awful!!!" is both. Sarcasm and complaints
    told flatly set the direction, not the strength: "oh brilliant, another bot" is not fury
    (its praise words do not count) and should not bring a person in on its own."""
    # lex:* is lexicon valence / 4, capped at 2: a valence of 10 counts in full (one "wrong"
    # in "wrong password" is about a fifth).
    level = found.get("lex:negative" if negative else "lex:positive", 0.0) / 2.5
    if boosted:
        level += 0.3
    level += 0.1 * min(text.count("!") + text.count("！"), 3)
    letters = [c for c in text if c.isascii() and c.isalpha()]
    if len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        level += 0.3
    return min(level, 1.0)


def _softmax(logits: list[float]) -> list[float]:
    top = max(logits)
    exp = [math.exp(v - top) for v in logits]
    total = sum(exp)
    return [v / total for v in exp]


def _intensified(text: str) -> bool:
    """An intensifier right before an evaluative word: "super rude", "特别差"."""
    english, _, terms = lexicons()
    words = re.findall(r"[a-z']+", text.lower())
    for before, word in zip(words, words[1:], strict=False):
        if before in EN_INTENSIFIERS and (word in english or word in _EN_EVALUATIVE):
            return True
    return any(terms.match(text, m.end()) for m in _ZH_STRONG.finditer(text))


def _boosted(logits: list[float]) -> list[float]:
    """Push the leading direction further, for an intensifier ("super rude" is more negative
    than "rude"; "super fast" more positive than "fast")."""
    lead, other = (0, 2) if logits[0] >= logits[2] else (2, 0)
    boosted = list(logits)
    boosted[lead] += _BOOST
    boosted[other] -= _BOOST / 2
    return boosted


def _model_probabilities(text: str) -> list[float]:
    return _read(text)[0]


def _read(text: str) -> tuple[list[float], dict[str, float], bool]:
    """The model's probabilities (intensifier applied), the features, and the intensifier."""
    found = features(text)
    logits = _logits(found)
    intensified = _intensified(text)
    if intensified:
        logits = _boosted(logits)
    return _softmax(logits), found, intensified


def _split_contrast(text: str) -> tuple[str, str, bool] | None:
    """The part the customer sets aside, the part that decides, and whether the first is
    conceded, split at the last contrast word when both say something: "nice app | it keeps
    crashing"; "虽然贵了点 | 食材是真的好" (conceded); with "(al)though" in the middle the
    order turns round: "bumped me even though I checked in early" sets the check-in aside."""
    last = None
    for last in _CONTRAST.finditer(text):  # noqa: B007 - the last match is wanted
        pass
    if last is None or last.start() == 0:
        return None
    head = text[: last.start()].strip(" ,.，。!！")
    tail = text[last.end() :].strip(" ,.，。!！")
    if len(tail) < 2 or len(head) < 2:
        return None
    if last.group().lower() in _CONCEDING:
        return tail, _EVEN.sub("", head), True
    # The concession word is not part of what is set aside ("虽然" reads as praise alone).
    conceded = _CONCESSION.sub("", head).strip(" ,，")
    return (conceded or head, tail, True) if conceded != head else (head, tail, False)


def analyse(text: str) -> Sentiment:
    """Label and score of one message.

    The score is P(positive) - P(negative) in [-1, 1]: below -0.5 strongly negative, above
    0.5 clearly positive; the label is the likeliest of the three after the rules. A long
    message (a review of several sentences) is read sentence by sentence as well
    (``_by_sentence``).
    """
    if not text.strip():
        return Sentiment(SentimentLabel.NEUTRAL, 0.0)
    # "pretty disappointing", "pretty bad tbh": a degree, not praise ("the kettle is pretty").
    text = _PRETTY.sub("", text)
    sentences = _sentences(text)
    if len(sentences) >= _LONG:
        # The rules are applied to each sentence; the whole text keeps the model's reading
        # (a complaint named in one sentence must not decide a review of seven).
        probs, found, intensified = _read(text)
        probs = _by_sentence(sentences, probs)
    else:
        probs, found, intensified = _whole(text)
    best = max(range(3), key=lambda i: probs[i])
    # Which way, times how strongly: a sure but calm complaint lands near -0.6, a furious
    # one near -1 (escalation and complaint priority read the strength).
    level = _intensity(text, found, negative=probs[0] > probs[2], boosted=intensified)
    strength = _FLOOR + (1 - _FLOOR) * level
    score = max(-1.0, min(1.0, (probs[2] - probs[0]) * strength))
    return Sentiment(_LABELS[best], round(score, 4))


def _sentences(text: str) -> list[str]:
    """The sentences of a message, each with at least two characters of its own."""
    return [p for p in (s.strip() for s in _SENTENCE_END.split(text)) if len(p) >= 2]


def _by_sentence(sentences: list[str], whole: list[float]) -> list[float]:
    """A long review, scored sentence by sentence: one small complaint at the end of a
    glowing hotel review ("早餐一般") must not turn it round, nor "唯一的优点是离火车站近" a
    bad one. Each sentence counts by how clearly it takes a side, more when it is the
    overall verdict ("总体来说不错", "不会再住了", "would book again") or the closing
    sentence, less when it marks itself as the minor side ("唯一的缺点", "倒是", "I'll give
    them that"). The whole text's own reading keeps a share."""
    total = [0.0, 0.0, 0.0]
    weight_sum = 0.0
    last = len(sentences) - 1
    for i, sentence in enumerate(sentences):
        side = _verdict(sentence)
        probs = _whole(sentence)[0] if side is None or side == 0 else _FIRM[side]
        weight = _SIDE_FLOOR + abs(probs[2] - probs[0])
        if side is not None:
            weight *= _VERDICT_WEIGHT
        elif _MINOR.search(sentence):
            weight *= _MINOR_WEIGHT
        elif i == last or _TURN.match(sentence):
            weight *= _CLOSING_WEIGHT
        total = [t + weight * p for t, p in zip(total, probs, strict=True)]
        weight_sum += weight
    sides = [t / weight_sum for t in total]
    mixed = [(1 - _WHOLE_SHARE) * p + _WHOLE_SHARE * q for p, q in zip(sides, whole, strict=True)]
    # A review of several sentences that takes a side is not neutral because many of its
    # sentences state facts ("楼下就有便利店"): neutral yields when the sides differ clearly.
    if mixed[1] >= max(mixed[0], mixed[2]) and abs(sides[2] - sides[0]) >= _LONG_SIDE:
        lead = 0 if sides[0] > sides[2] else 2
        mixed[1], mixed[lead] = mixed[lead], mixed[1]
    return mixed


def _verdict(sentence: str) -> int | None:
    """Whether a sentence is an overall verdict: 1 for, -1 against, 0 when its direction is
    the rest of the sentence's ("总体来说还行"); None when it is not a verdict."""
    if _VERDICT_POSITIVE_FIRST.search(sentence):
        return 1
    if _VERDICT_NEGATIVE.search(sentence):
        return -1
    if _VERDICT_POSITIVE.search(sentence):
        return 1
    return 0 if _VERDICT.search(sentence) else None


# A star rating and little else: "5 stars", "i'd give it 4/5", "2 out of 5 tbh", "五星",
# "给3分": its number says which way (the model reads "stars" as any other word).
_RATING = re.compile(
    r"^\W*(?:(?:ok|okay|well|hmm+|honestly|overall)[\s,]+)?(?:i'?d |i would |i'?ll |i will )?"
    r"(?:give (?:you|u|it|ya|the \w+) |rate (?:you|u|it) )?(?:a )?"
    r"(?:(?P<n>[1-5]|one|two|three|four|five)\s*(?:/\s*5|out of (?:5|five)|stars?|⭐️?)|"
    r"(?P<t>10|[0-9])\s*(?:/\s*10|out of (?:10|ten)))"
    r"(?:\s+(?:from me|tbh|lol|i guess|then|for (?:you|u|it)|(?!.*\b(?:but|though|tho|except)\b)"
    r"(?:would|will|i'?d|i'?ll|def(?:initely)?|highly|great|good|recommend|love)\b.*))?\W*$|"
    r"^\W*(?:给|打)?(?:你们?|个)?(?P<z>[1-5一二两三四五])\s*(?:星|颗星|分)(?:好评|差评|吧|吧\W*)?\W*$",
    re.IGNORECASE,
)
_RATING_VALUE = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "一": 1, "二": 2, "两": 2}
_RATING_VALUE.update({"三": 3, "四": 4, "五": 5})


def rating_given(text: str) -> int | None:
    """The stars of a message that is a rating and little else ("5 stars", "给3分"), or None."""
    found = _RATING.search(text.strip())
    if found is None:
        return None
    if found.group("t") is not None:
        # Out of ten, as stars: 9-10 five, 7-8 four, 5-6 three, 3-4 two, 0-2 one.
        return max(1, min(5, (int(found.group("t")) + 1) // 2))
    said = (found.group("n") or found.group("z")).lower()
    return int(said) if said.isdigit() else _RATING_VALUE[said]


def _whole(text: str) -> tuple[list[float], dict[str, float], bool]:
    """The model's probabilities for ``text`` read as one, after the rules (contrast,
    sarcasm, complaints told flatly, rhetorical and plain questions); its features, and
    whether an intensifier was found."""
    probs, found, intensified = _read(text)
    stars = rating_given(text)
    if stars is not None:
        return (_FIRM[1] if stars >= 4 else _FIRM[-1] if stars <= 2 else _NEUTRAL), found, False
    parts = _split_contrast(text)
    decides = text
    if parts is not None:
        aside, decides, conceded = parts
        before = _model_probabilities(aside)
        after = _model_probabilities(decides)
        if _COMPLAINT.search(decides):
            after = _push_negative(after, _COMPLAINT_PUSH)
        mix = _CONCESSION_WEIGHT if conceded else _CONTRAST_WEIGHT
        probs = [(1 - mix) * p + mix * q for p, q in zip(probs, after, strict=True)]
        # "looks great but I can't pay with it": what follows "but" goes against what came
        # before, even when on its own it reads flat; after a concession ("虽然贵了点，
        # 但是...") unless it clearly leans the same way.
        same = _CONCEDED_SAME if conceded else 0.0
        if before[2] > before[0] and after[2] <= max(after[0], after[1], same):
            probs = _push_negative(probs, _CONTRAST_PUSH)
        elif before[0] > before[2] and after[0] <= max(after[1], after[2], same):
            probs = _push_negative(probs, -_CONTRAST_PUSH)
    sarcastic = _sarcastic(text)
    if sarcastic:
        # The praise words are what made it read positive: they count the other way.
        if probs[2] > probs[0]:
            probs = [probs[2], probs[1], probs[0]]
        probs = _push_negative(probs, _SARCASM_PUSH)
    elif _RECOVERY.search(decides):
        # A problem put right ("made up 40 min of the delay", "rebooked me before I
        # landed"): the mishap it names is not the complaint.
        probs = _push_negative(probs, -_COMPLAINT_PUSH / 2)
    elif _COMPLAINT.search(decides) or _echo_question(text):
        probs = _decided_negative(_push_negative(probs, _COMPLAINT_PUSH))
    elif _RHETORICAL.search(text):
        probs = _decided_negative(_push_negative(probs, _RHETORICAL_PUSH))
    elif _shouting(text) and probs[2] < max(probs[0], probs[1]):
        # "WHERE IS MY BAG": shouting a flat question or statement is a complaint.
        probs = _decided_negative(_push_negative(probs, _COMPLAINT_PUSH))
    elif (
        _INFO_QUESTION.search(text.strip())
        and max(found.get("lex:positive", 0.0), found.get("lex:negative", 0.0)) < _QUESTION_LEX
    ):
        probs = _toward_neutral(probs, _QUESTION_PUSH)
    return probs, found, intensified


def _shouting(text: str) -> bool:
    """Written in capitals, @handles and links aside: "@united WHERE IS MY BAG"."""
    letters = [c for c in _HANDLE.sub("", text) if c.isascii() and c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.7


def _echo_question(text: str) -> bool:
    """A fact asked back in disbelief ("earliest rebooking is Thursday?"), not a question
    asking for information ("what's the earliest flight to Boston?")."""
    return _ECHO.search(text) is not None and _INFO_QUESTION.match(text.strip()) is None


def _push_negative(probs: list[float], strength: float) -> list[float]:
    """Move probability toward negative (toward positive for a negative ``strength``): the
    negative logit moves by ``strength``, the positive one half as far the other way."""
    logits = [math.log(max(p, 1e-9)) for p in probs]
    logits[0] += strength
    logits[2] -= strength / 2 if strength > 0 else strength * 2
    return _softmax(logits)


def _decided_negative(probs: list[float]) -> list[float]:
    """A problem named or a rhetorical question is not neutral: when the model still reads
    it flat ("this is the third email this week", "why does it take a week to answer"),
    neutral and negative trade places. Praise the model is sure of is left alone."""
    if probs[1] > max(probs[0], probs[2]):
        return [probs[1], probs[0], probs[2]]
    return probs


def _toward_neutral(probs: list[float], strength: float) -> list[float]:
    """Move probability toward neutral: its logit rises by ``strength``."""
    logits = [math.log(max(p, 1e-9)) for p in probs]
    logits[1] += strength
    return _softmax(logits)


def _sarcastic(text: str) -> bool:
    """A sarcasm cue: a set phrase, or praise opening or closing a complaint."""
    if _SARCASTIC.search(text):
        return True
    # Emoji and hashtags after a closing "great system 👏 #fail" do not hide it.
    text = _TRAILING.sub("", text.strip()) or text.strip()
    opener = _PRAISE_OPENER.match(text)
    closer = _PRAISE_CLOSER.search(text)
    if opener is None and (closer is None or closer.start() == 0):
        return False
    core = text[opener.end() if opener else 0 : closer.start() if closer else len(text)]
    if len(core.strip()) < 2:
        return False
    probs = _model_probabilities(core)
    if probs[2] > max(probs[0], probs[1]) or _THANKS.search(core) or _RECOVERY.search(core):
        return False  # "great, thanks, I'll try again later": praise all through
    turn = _split_contrast(core)
    if turn is not None and not turn[2]:
        after = _model_probabilities(turn[1])
        if after[0] < max(after[1], after[2]):
            return False  # "bag missed the connection but it was at my door by 9. great job"
    if _COMPLAINT.search(core) or _MORE_OF_IT.search(core):
        return True
    # Leaning negative is enough: what is praised is a mishap told flatly.
    return probs[0] > probs[2] and probs[0] >= _SARCASM_LEAN


@lru_cache(maxsize=32)  # asked by several readings and handlers of one message
def is_sarcastic(text: str) -> bool:
    """True when praise is said about a mishap ("wow amazing service, 3 weeks and nothing",
    "真是太棒了 又坏了"): such a message is a complaint, and must never be thanked."""
    return _sarcastic(text)


def names_a_problem(text: str) -> bool:
    """True when the words tell of a problem without an emotional word ("keeps logging me
    out", "一直没人回", "sent me someone else's order")."""
    return bool(_COMPLAINT.search(text))


def sentiment(text: str) -> float:
    """A score in [-1, 1]: below -0.5 is strongly negative, above 0.5 clearly positive."""
    return analyse(text).score
