"""Sentiment of English and Chinese messages from a lexicon, with negation and intensifiers."""

from __future__ import annotations

import math
import re

# Weights from -3 (furious) to +3 (delighted); customer-service vocabulary first.
_EN: dict[str, float] = {
    "good": 1.5,
    "great": 2.5,
    "excellent": 3,
    "amazing": 3,
    "awesome": 3,
    "perfect": 3,
    "love": 2.5,
    "loved": 2.5,
    "like": 1,
    "nice": 1.5,
    "happy": 2,
    "glad": 1.5,
    "thanks": 1,
    "thank": 1,
    "helpful": 2,
    "fast": 1,
    "quick": 1,
    "quickly": 1,
    "easy": 1.5,
    "smooth": 1.5,
    "friendly": 2,
    "fantastic": 3,
    "wonderful": 3,
    "satisfied": 2,
    "recommend": 2,
    "pleased": 2,
    "brilliant": 3,
    "best": 2.5,
    "solved": 1.5,
    "works": 1,
    "appreciate": 2,
    "bad": -2,
    "terrible": -3,
    "awful": -3,
    "horrible": -3,
    "worst": -3,
    "hate": -3,
    "angry": -2.5,
    "furious": -3,
    "annoyed": -2,
    "annoying": -2,
    "disappointed": -2.5,
    "disappointing": -2.5,
    "upset": -2,
    "unhappy": -2,
    "frustrated": -2.5,
    "frustrating": -2.5,
    "useless": -2.5,
    "broken": -2,
    "broke": -1.5,
    "damaged": -2,
    "late": -1.5,
    "delayed": -1.5,
    "slow": -1.5,
    "never": -1,
    "wrong": -1.5,
    "missing": -1.5,
    "lost": -1.5,
    "scam": -3,
    "fraud": -3,
    "rude": -2.5,
    "poor": -2,
    "ridiculous": -2.5,
    "unacceptable": -3,
    "joke": -1.5,
    "waste": -2,
    "problem": -1,
    "issue": -0.5,
    "complaint": -1.5,
    "refund": -0.5,
    "lawyer": -2.5,
    "sue": -2.5,
    "cheated": -3,
    "worse": -2,
    "sucks": -2.5,
    "pathetic": -3,
    "incompetent": -3,
    "disgusting": -3,
    "fail": -2,
    "failed": -2,
    "wtf": -2.5,
    "stupid": -2.5,
    "crap": -2.5,
    "garbage": -2.5,
    "trash": -2.5,
    "sorry": -0.5,
}
_EN_NEGATORS = {
    "not",
    "no",
    "never",
    "dont",
    "don't",
    "isnt",
    "isn't",
    "wasnt",
    "wasn't",
    "didnt",
    "didn't",
    "doesnt",
    "doesn't",
    "cant",
    "can't",
    "cannot",
    "wont",
    "won't",
    "nothing",
    "hardly",
}
_EN_BOOST = {
    "very": 1.5,
    "really": 1.4,
    "so": 1.3,
    "extremely": 1.8,
    "totally": 1.5,
    "absolutely": 1.6,
    "super": 1.5,
    "too": 1.2,
    "incredibly": 1.7,
}

_ZH: dict[str, float] = {
    "好": 1,
    "很好": 2,
    "不错": 1.5,
    "满意": 2,
    "喜欢": 2,
    "感谢": 1.5,
    "谢谢": 1,
    "棒": 2.5,
    "太棒": 3,
    "优秀": 2.5,
    "完美": 3,
    "快": 1,
    "方便": 1.5,
    "专业": 2,
    "耐心": 2,
    "热情": 2,
    "推荐": 2,
    "开心": 2,
    "高兴": 2,
    "赞": 2.5,
    "给力": 2.5,
    "靠谱": 2,
    "解决了": 1.5,
    "差": -2,
    "很差": -2.5,
    "太差": -3,
    "垃圾": -3,
    "糟糕": -2.5,
    "失望": -2.5,
    "生气": -2.5,
    "愤怒": -3,
    "气死": -3,
    "投诉": -1.5,
    "坏": -2,
    "坏了": -2,
    "破": -1.5,
    "损坏": -2,
    "慢": -1.5,
    "太慢": -2,
    "迟": -1,
    "延迟": -1.5,
    "丢": -1.5,
    "丢了": -2,
    "错": -1.5,
    "骗": -3,
    "骗子": -3,
    "欺骗": -3,
    "退款": -0.5,
    "律师": -2.5,
    "起诉": -2.5,
    "烂": -2.5,
    "恶心": -3,
    "无语": -2,
    "不满": -2.5,
    "态度差": -3,
    "问题": -0.5,
    "麻烦": -1,
    "离谱": -2.5,
    "坑": -2.5,
    "忍无可忍": -3,
    "受不了": -2.5,
    "什么破": -2.5,
}
_ZH_NEGATORS = ("不", "没", "没有", "别", "未", "无")
_ZH_BOOST = {"很": 1.4, "非常": 1.6, "太": 1.5, "真": 1.3, "特别": 1.5, "超": 1.5, "极": 1.8}

_WORD = re.compile(r"[a-z']+")
# Longest terms first, so the alternation prefers 不错 over 错 and 太差 over 差.
_ZH_TERMS = re.compile("|".join(re.escape(t) for t in sorted(_ZH, key=len, reverse=True)))


def sentiment(text: str) -> float:
    """A score in [-1, 1]: below -0.5 is strongly negative, above 0.5 clearly positive."""
    total = 0.0
    lowered = text.lower()
    words = _WORD.findall(lowered)
    for i, word in enumerate(words):
        weight = _EN.get(word)
        if weight is None:
            continue
        window = words[max(0, i - 3) : i]
        if any(w in _EN_NEGATORS for w in window):
            weight = -weight * 0.7
        for w in window[-1:]:
            weight *= _EN_BOOST.get(w, 1.0)
        total += weight
    total += _chinese(text)
    # Shouting and exclamation marks make whatever was said stronger.
    letters = [c for c in text if c.isalpha() and c.isascii()]
    if len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        total *= 1.5
    exclamations = min(text.count("!") + text.count("！"), 3)
    total *= 1 + 0.15 * exclamations
    return math.tanh(total / 4)


def _chinese(text: str) -> float:
    total = 0.0
    for match in _ZH_TERMS.finditer(text):
        weight = _ZH[match.group()]
        before = text[max(0, match.start() - 2) : match.start()]
        if any(before.endswith(n) for n in _ZH_NEGATORS):
            weight = -weight * 0.7
        for boost, factor in _ZH_BOOST.items():
            if before.endswith(boost):
                weight *= factor
        total += weight
    return total
