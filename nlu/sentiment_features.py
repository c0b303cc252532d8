"""The features the sentiment model reads: words, word pairs, character n-grams, negation scope."""

from __future__ import annotations

import gzip
import math
import re
from functools import lru_cache
from pathlib import Path

# A negator flips the words after it, up to punctuation, a contrast word or four words.
EN_NEGATORS = frozenset(
    (
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "nowhere",
        "neither",
        "nor",
        "without",
        "hardly",
        "barely",
        "cannot",
        "dont",
        "didnt",
        "doesnt",
        "isnt",
        "wasnt",
        "arent",
        "werent",
        "cant",
        "couldnt",
        "wont",
        "wouldnt",
        "shouldnt",
        "havent",
        "hasnt",
        "hadnt",
        "aint",
    )
)
EN_SCOPE_ENDS = frozenset(["but", "however", "though", "although", "yet", "except"])
NEGATION_SCOPE = 4
# Intensifiers carry no direction of their own ("super rude", "super fast"): they are left
# out of the words and make the sentence stronger instead (nlu.sentiment).
EN_INTENSIFIERS = frozenset(
    (
        "very",
        "really",
        "so",
        "super",
        "extremely",
        "incredibly",
        "totally",
        "absolutely",
        "too",
        "way",
        "seriously",
        "truly",
        "completely",
        "utterly",
        "insanely",
        "ridiculously",
        "highly",
        "most",
    )
)
ZH_INTENSIFIERS = re.compile(r"非常|特别|超级|极其|十分|相当|太|很|超|巨|贼|真的很")
ZH_NEGATORS = ("没有", "并不", "不是", "不", "没", "别", "未", "无")
# Degree words between a Chinese negator and what it negates ("不太好", "一点都不好").
ZH_SKIP = ("太", "很", "怎么", "那么", "够", "算", "大", "是", "咋", "一点", "一丝", "半点", "任何")
# The same as patterns, tried in the same order (a long message has many runs to scan).
_ZH_NEGATOR = re.compile("|".join(ZH_NEGATORS))
_ZH_SKIPS = re.compile("(?:" + "|".join(ZH_SKIP) + ")*")
# "没有一点异味", "没有任何霉味", "无一丝噪音": a negator, then how little, then the problem.
_ZH_NEGATED_BEFORE = re.compile(
    r"(?:没有?|不|无|毫无|未)(?:有)?(?:一点|一丝|半点|任何|丝毫)?儿?$"
)

LEXICONS = Path(__file__).parent / "data" / "sentiment"
# A negated lexicon word counts against itself, but less ("not great" is milder than "bad").
NEGATED_VALENCE = -0.5

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_REPEAT = re.compile(r"(.)\1{2,}")
_TOKEN = re.compile(r"[a-z][a-z0-9']*|\d+|[!?]+|[^\w\s]", re.UNICODE)
_PUNCT = frozenset('.,;:!?()[]"…，。！？；：、')


def normalise(text: str) -> str:
    """Lower case, links and @handles replaced, letters repeated three times or more cut to two."""
    text = _URL.sub(" url ", text.lower())
    text = _MENTION.sub(" @user ", text)
    return _REPEAT.sub(r"\1\1", text).replace("’", "'")


def english_tokens(normal: str) -> list[str]:
    """Words (apostrophes dropped: "didn't" → "didnt"), numbers as 0, punctuation and emoji."""
    tokens = []
    for token in _TOKEN.findall(normal):
        if "\u3000" <= token[0] <= "\u303f":
            continue  # CJK punctuation: the Chinese runs end there
        if token[0].isdigit():
            token = "0"
        token = token.replace("'", "")
        if token:
            tokens.append(token)
    return tokens


def negated(tokens: list[str]) -> list[str]:
    """Mark words in a negator's scope with ``NOT_`` ("not very helpful" → NOT_very NOT_helpful)."""
    out = []
    left = 0
    for token in tokens:
        if token in EN_NEGATORS:
            out.append(token)
            left = NEGATION_SCOPE
        elif token in EN_SCOPE_ENDS or token[0] in _PUNCT or not token[0].isalnum():
            out.append(token)
            left = 0
        elif left:
            out.append("NOT_" + token)
            left -= 1
        else:
            out.append(token)
    return out


def chinese_runs(normal: str) -> list[str]:
    """Stretches of Chinese characters between punctuation, Latin letters and spaces."""
    return _HAN.findall(normal)


def chinese_negated(run: str) -> list[str]:
    """What each negator in a run negates: ``NOT_`` plus each of the next characters and pairs
    of them, up to the run's end or ``NEGATION_SCOPE`` characters ("没出过问题" → NOT_问题)."""
    out: list[str] = []
    found = _ZH_NEGATOR.search(run)
    while found is not None:
        j = _ZH_SKIPS.match(run, found.end()).end()  # type: ignore[union-attr]
        scope = run[j : j + NEGATION_SCOPE]
        out += ["NOT_" + c for c in scope]
        out += ["NOT_" + scope[k : k + 2] for k in range(len(scope) - 1)]
        found = _ZH_NEGATOR.search(run, j)
    return out


def without_intensifiers(run: str) -> str:
    """A Chinese run with its intensifiers taken out, as English drops "super" and "very"."""
    return ZH_INTENSIFIERS.sub("", run) or run


@lru_cache(maxsize=1)
def lexicons() -> tuple[dict[str, float], dict[str, float], re.Pattern[str]]:
    """English word valences (VADER, -4..4) and Chinese term valences (ours, -3..3), and a
    pattern finding the Chinese terms, longest first (不错 before 错)."""
    english = {}
    for line in (
        gzip.decompress((LEXICONS / "vader_lexicon.tsv.gz").read_bytes()).decode().split("\n")
    ):
        word, _, value = line.partition("\t")
        if value:
            english[word.replace("'", "")] = float(value)
    chinese = {}
    for line in (LEXICONS / "lexicon_zh.tsv").read_text(encoding="utf-8").splitlines():
        term, _, value = line.partition("\t")
        if value:
            chinese[term] = float(value)
    terms = re.compile("|".join(re.escape(t) for t in sorted(chinese, key=len, reverse=True)))
    return english, chinese, terms


def _lexicon_sums(words: list[str], runs: list[str]) -> tuple[float, float]:
    """Positive and negative valence in the message, negation taken into account."""
    english, chinese, terms = lexicons()
    positive = negative = 0.0
    for word in words:
        base = word[4:] if word.startswith("NOT_") else word
        value = english.get(base)
        if value is None:
            continue
        if base is not word:
            value *= NEGATED_VALENCE
        positive += max(value, 0.0)
        negative += max(-value, 0.0)
    for run in runs:
        for match in terms.finditer(run):
            value = chinese[match.group()]
            before = run[max(0, match.start() - 3) : match.start()]
            negated = any(n in before for n in ZH_NEGATORS) or _ZH_NEGATED_BEFORE.search(
                run[max(0, match.start() - 6) : match.start()]
            )
            if negated and not match.group().startswith("不"):
                value *= NEGATED_VALENCE
            positive += max(value, 0.0)
            negative += max(-value, 0.0)
    return positive, negative


def features(text: str) -> dict[str, float]:
    """Binary features of a message, scaled to unit length (the model's input)."""
    normal = normalise(text)
    names: set[str] = set()
    words = [w for w in negated(english_tokens(normal)) if w not in EN_INTENSIFIERS]
    names.update("w:" + w for w in words)
    names.update(f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False))
    for word in words:
        if word.isalpha() and len(word) >= 5:
            padded = f"<{word}>"
            names.update("c:" + padded[i : i + 4] for i in range(len(padded) - 3))
    runs = [without_intensifiers(r) for r in chinese_runs(normal)]
    for run in runs:
        padded = f"<{run}>"
        names.update("z:" + c for c in run)
        names.update("z:" + padded[i : i + 2] for i in range(len(padded) - 1))
        names.update("z:" + padded[i : i + 3] for i in range(len(padded) - 2))
        names.update("z:" + n for n in chinese_negated(run))
    names.add("lang:zh" if sum(map(len, runs)) * 3 >= len(words) else "lang:en")
    value = 1 / math.sqrt(len(names))
    out = dict.fromkeys(names, value)
    # The lexicons as two features of their own: what one word teaches, all words share.
    positive, negative = _lexicon_sums(words, runs)
    if positive:
        out["lex:positive"] = min(positive / 4, 2.0)
    if negative:
        out["lex:negative"] = min(negative / 4, 2.0)
    return out
