"""Whether a message asks something: decided here, and nowhere else.

"where is it", "then where is it", "can i get a refund", "要是已经发货了呢", "运费谁出",
"行不行" ask; "i can wait", "the box is open", "放门卫" do not. Callers that need a question
in its form, or that must not count "is" or "will" in the middle of a sentence, say so with
a parameter (see ``is_question``).
"""

from __future__ import annotations

import re

# English: a question mark; a question word first (after "and", "so", "ok"...); or one of
# these anywhere ("then where is it"), the auxiliaries too unless the caller says not.
_QUESTION_MARK = re.compile(r"[?？]")
_LEADS = re.compile(
    r"^(?:(?:and|so|but|ok|okay|also|hmm|oh|well)[\s,]+)*(?:what|whats|how|when|where|which|"
    r"why|who|can|could|do|does|did|is|are|will|would|should|any)\b",
    re.IGNORECASE,
)
# Where a sentence ends inside a message ("fine. what's it cost now": the second one asks).
_SENTENCE_END = re.compile(r"(?<=[a-z])[.!;]+\s+(?=[a-z])", re.IGNORECASE)


def _leads(text: str) -> bool:
    """True when the message, or a sentence of it after the first, opens with a question word."""
    return any(_LEADS.search(part.strip()) for part in _SENTENCE_END.split(text))


_WH_ANYWHERE = re.compile(r"\b(?:where|what|whats|how|when|which|why|who)\b", re.IGNORECASE)
_AUX_ANYWHERE = re.compile(r"\b(?:can|could|do|does|is|are|will)\b", re.IGNORECASE)
# Chinese: a particle (吗, 呢, a closing 么), a question word, "X不" closing the message, or
# "X不X" anywhere ("大不大", "吵不吵", "好不好用").
_ZH_QUESTION = re.compile(
    r"吗|呢|么[\s。!！?？]*$|多少|多久|怎么|咋|哪|什么(?!都)|啥(?!都)|(?<![十好])几(?![十百千])|"
    r"为什么|为啥|能不能|可不可以|行不行|有没有|是不是|要不要|会不会|需不需要|用不用|谁|"
    # "功率多大", "有多重", "能放多长时间" (not "没多大用", "不多大"):
    r"(?<![没不])多(?:大|重|长|高|宽|厚|贵|快|远|沉)|"
    r"[\u4e00-\u9fff]不(?:[?？\s]|$)|([\u4e00-\u9fff])不\1"
)


def is_question(text: str, *, form: bool = False, auxiliaries: bool = True) -> bool:
    """True when the message asks something: "where is it", "then where is it", "要是已经
    发货了呢", "运费谁出", "行不行".

    ``form``: only a question in its form counts, the question word first in English ("can
    i get a refund" asks; "i can wait", "the box is open" do not) - for words that would
    otherwise be read as an instruction, a preference or a new address. ``auxiliaries``:
    when False, "is", "can", "will"... anywhere do not make a question ("nah i will wait"
    turns an offer down); the wh-words still do. Chinese reads the same either way.
    """
    if _QUESTION_MARK.search(text) or _ZH_QUESTION.search(text) or _leads(text):
        return True
    if form:
        return False
    return _WH_ANYWHERE.search(text) is not None or (
        auxiliaries and _AUX_ANYWHERE.search(text) is not None
    )


# A yes/no check on what was just said or done: a tag ("right?", "yeah?", "对吧", "是吧",
# "对不对"), or "so ...?" / "那就是说 ... 了吧" drawing the conclusion back to the bot, or
# "is it ... now/then?".
_CHECKS_BACK = re.compile(
    r"\b(?:right|correct|yeah|yes|ya|yh|innit|no)\s*[?？]+\s*$|\b(?:right|correct)\s*$|"
    r"^\W*(?:(?:ok|okay|wait|and|but)\s+)?(?:so|just to (?:check|confirm|be sure)|to confirm)\b"
    r".*[?？]|"
    r"\b(?:is|was|has|are|will)\s+(?:it|that|this|the \w+|my \w+)\s+(?:\w+\s+){0,3}?"
    r"(?:now|then|already|definitely|for sure|still)\b.*[?？]|"
    r"对吧|是吧|对吗|是吗|对不对|是不是|没错吧|(?:就是说|所以|也就是|那就是|那).{0,12}(?:吗|么|了吧|吧)[?？\s]*$|"
    r"(?:所以|那|就是说).{0,10}(?:没|不)[\u4e00-\u9fff]{1,4}[?？]",
    re.IGNORECASE,
)


def checks_back(text: str) -> bool:
    """True for a yes/no check of what the bot just did ("so the order isn't cancelled yet, right?",
    "so the refund is happening then?", "意思是已经取消了是吧", "所以没取消成功？"): the state to
    confirm, said by the handler that owns it."""
    return _CHECKS_BACK.search(text) is not None

