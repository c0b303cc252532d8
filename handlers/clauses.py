"""Splitting a message into the requests it holds: a greeting, then up to three questions."""

from __future__ import annotations

import re

MAX_REQUESTS = 3

# A greeting at the start of a message that goes on to ask something.
_GREETING = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|heya|yo|good\s+(?:morning|afternoon|evening)|greetings|"
    r"hi there|hello there|hey there|dear\s+\w+|亲爱的|亲|您好|你好|哈喽|哈啰|嗨|喂|在吗|在不在|"
    r"在么|有人吗|有人在吗|客服|客服你好|早上好|下午好|晚上好|早|"
    r"(?:is |are )?(?:any(?:one|body)|some(?:one|body)) (?:there|here|around|home)|"
    r"(?:are )?(?:you|u) there)(?![A-Za-z'])"
    r"(?:\s+(?:there|team|guys|support|all))?[呀啊哈嘛么呢]?[\s,，.。!！~～?？]*)+",
    re.IGNORECASE,
)
# Where one request ends and another begins. Sentence ends; English connectors before a new
# question ("... and when do I get my refund"); Chinese connectors (还有, 另外, 顺便, 再问下).
_SPLIT = re.compile(
    r"(?<=[!?。！？；;，])\s*|\n+|"
    r"(?-i:(?<![A-Z][a-z])(?<![A-Z]))(?<!\bno)(?<!\bnr)(?<!\bvs)(?<!\d)\.\s+|"
    r"[,，]?\s+(?:and\s+)?also[,]?\s+|"
    r"[,，]?\s+(?:and|plus|btw|oh and|and btw|by the way)\s+"
    r"(?=(?:when|how|where|what|which|why|can|could|do|does|did|is|are|will|would|my|pls|"
    r"please|whats|wheres|hows|whens|wat|cn|i\s+(?:want|need|would like|also))\b)|"
    # 还有 is "also", except in "还有货吗" / "还有吗" (still in stock?); 另外 too, except in
    # "另外一个订单", "另外那单" (another one).
    r"[，,\s]*(?:还有就是|还有(?![货吗么没嘛的卖现库])|另外(?!一?(?:个|单|笔|件)|那)|顺便问一下|顺便问下|顺便|再问一下|再问下|对了)"
    r"[，,：:\s]*|"
    # A second question straight after a first ("到哪了能改地址吗", "能退吗退款多久到").
    # (Not a bare "咋办", "怎么办" last: "密码忘了咋办" asks what to do about what it says.)
    r"(?<=[了吗呢])(?!(?:咋|怎么)(?:办|整|弄)[呢啊呀吖]?[?？!！。\s]*$)"
    r"(?=(?:能不能|能|可以|可不可以|怎么|咋|我想|我要|帮我|麻烦)[\u4e00-\u9fff])|"
    r"(?<=吗)(?=(?:多久|多少|什么时候|啥时候|几天|那|还有|运费|退款|发票)[\u4e00-\u9fff])|"
    # A change of mind, then a new request ("actually nvm, can i change it to express
    # instead", "hold on dont cancel, how much is express"): two requests.
    r"(?:(?<=\bnvm)|(?<=\bnevermind)|(?<=\bnever mind)|(?<=\bforget it)|(?<=\bscratch that)|"
    r"(?<=\bcancel it)|(?<=\bdont cancel)|(?<=\bdon't cancel)|(?<=\bchanged my mind))"
    r"[,.!]?\s+(?=(?:can|could|how|what|whats|when|where|is|are|do|does|will|would|pls|"
    r"please|just|make it|change it|switch|send it|i (?:want|need|would like|'d like|wanna))\b)|"
    # A run-on with no connector: a clause that has ended ("... return it", "... not come
    # yet") and a new question ("how long does the refund take").
    r"(?:(?<=\bit)|(?<=\byet)|(?<=\bnow)|(?<=\bone)|(?<=\bthem)|(?<=\border)|"
    r"(?<=\bparcel)|(?<=\bpackage)|(?<=\bback)|(?<=\bthere)|(?<=\btoday)|(?<=\byesterday)|"
    r"(?<=\d))\s+"
    r"(?=(?:how (?:long|much|many|soon|do|does|can)|what about|whats|when (?:will|do|does|can|is)|"
    r"where (?:is|do|can)|can (?:i|you|u)|do (?:you|u)|will (?:it|i|you)|"
    r"i (?:need|want|wanna|would like|'d like) to)\b)|"
    # A question run into a problem with an order ("do u ship to ireland the kettle from
    # order A-1001 is leaking"): the product and its order start a clause of their own.
    r"[,]?\s+(?=(?:the|my)\s+[a-z]+(?:\s+[a-z]+)?\s+(?:from|in|on|of)\s+(?:my\s+)?"
    r"(?:order|#)\s*#?\s*[A-Za-z]{0,3}-?\d)",
    re.IGNORECASE,
)


def strip_greeting(text: str) -> tuple[bool, str]:
    """(True, the rest) when the message opens with a greeting and goes on; else (False, text)."""
    match = _GREETING.match(text)
    if match is None:
        return False, text
    rest = text[match.end() :].strip()
    # "hi" alone, or "hi there" — a greeting and nothing else.
    if len(rest) < 2:
        return False, text
    return True, rest


def ideographs(text: str) -> int:
    """How many Chinese characters the text has (a measure of its length beside words)."""
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff")


def only_greeting(text: str) -> bool:
    """True when the whole message is a greeting ("hello is anyone there??", "亲 在吗")."""
    match = _GREETING.match(text.strip())
    return match is not None and match.end() == len(text.strip())


# A message that says it holds several requests before asking them: "a few things, ...",
# "couple of questions: ...", "got 3 quick qs -", "有几个问题：". The words ask nothing.
_SEVERAL = re.compile(
    r"^(?:(?:so|ok|okay|right|um+|also)[\s,]+)?(?:(?:i\s+(?:have|got)|i'?ve\s+got|got|have)\s+)?"
    r"(?:(?:just\s+)?an?\s+)?(?:few|couple(?:\s+of)?|some|two|three|2|3|several|quick)\s+"
    r"(?:quick\s+|more\s+|small\s+)?(?:things|questions|qs|q's|issues|queries)\b"
    r"(?:\s+(?:to ask|for you|here|today|actually))?\s*[:,.\-–—!]*\s*|"
    r"^我?(?:有|想问|问|咨询)?(?:几|两|三|一些)个?(?:小)?(?:问题|事儿?|事情)(?:想问一?下|问一?下|请教)?"
    r"[哈啊呀哦嘛呢]*[：:，,。\s]*",
    re.IGNORECASE,
)
# The requests counted out: "first ..., second ..., and third ...", "1) ... 2) ...",
# "第一…第二…". Only with a first and a second both there: "second one arrived broken" alone
# counts nothing.
_ORDINAL = re.compile(
    r"(?:^|(?<=[,，;；.。:：!?！？])\s*|\s+)(?:and\s+|then\s+)?"
    r"(?:(?P<first>first(?:ly)?|1[).:、]|#1|第一)|(?P<next>second(?:ly)?|third(?:ly)?|lastly|finally|"
    r"2[).:、]|3[).:、]|#2|#3|第二|第三|最后))"
    r"(?:(?<=[a-z])[,:]?\s+|(?<![a-z])[,，:：]?\s*)",
    re.IGNORECASE,
)


def _counted_out(text: str) -> list[str] | None:
    """The requests of a message that counts them out (a first and a next marker, in that
    order, each where a clause starts), else None."""
    marks = list(_ORDINAL.finditer(text))
    if not marks or marks[0].group("first") is None or not any(m.group("next") for m in marks[1:]):
        return None
    if text[: marks[0].start()].strip(" ,，.。:：;；"):
        return None  # words before "first" that are not an announcement: not a list
    bounds = [m for m in marks[1:] if m.group("next")]
    pieces, start = [], marks[0].end()
    for mark in bounds:
        pieces.append(text[start : mark.start()])
        start = mark.end()
    pieces.append(text[start:])
    return [p for p in pieces if p.strip()]


def clauses(text: str) -> list[str]:
    """The parts of a message that may each be a request, in order; empty parts dropped."""
    several = _SEVERAL.match(text)
    if several is not None and several.end() < len(text):
        text = text[several.end() :]
    counted = _counted_out(text)
    parts = [
        _LEAD.sub("", p.strip(" ,，.。;；"))
        for request in (counted or [text])
        for piece in _SPLIT.split(request)
        if piece
        for p in _at_comma(piece, announced=several is not None or counted is not None)
    ]
    return [
        p
        for part in parts
        for p in _spaced(part)
        if p and any(c.isalnum() for c in p) and not _INTERJECTION.match(p)
    ]


# Only a comma between two questions: "do you ship to canada, do i need the receipt for the
# warranty". (Not after a condition or a reply: "if it's broken, can i return it", "ok, can
# you check"; nor beside a word or two: "the kettle, is it waterproof" asks one thing.)
_COMMA_QUESTION = re.compile(
    r",\s*(?=(?:do|does|can|could|is|are|will|would|how|what|whats|when|where|wheres|which|"
    r"why|who)\s)",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"^(?:if|when|whenever|once|after|before|since|because|cause|cos|as|though|although|unless|"
    r"in case|so|but|and|or|ok|okay|yes|yeah|yep|no|nah|hi|hey|hello|well|sorry|thanks|thx|"
    r"right|alright|fine|hmm|oh|btw|also)\b",
    re.IGNORECASE,
)
_COMMA_MIN_WORDS = 4


def _at_comma(piece: str, *, announced: bool = False) -> list[str]:
    """A piece split where only a comma stands between two questions, each a question (in a
    message that announced several, "where is A-1001, can i get an invoice", a short first
    question too)."""
    halves = _COMMA_QUESTION.split(piece, maxsplit=1)
    if len(halves) < 2:
        return [piece]
    first, second = halves
    if (
        _CONDITION.match(first.strip())
        or len(first.split()) < (2 if announced else _COMMA_MIN_WORDS)
        # "what about the second one, when exactly": the second names nothing of its own.
        or len(second.split()) < _COMMA_MIN_WORDS - 1
        or not _ASKS.match(first.strip())
        # "hmm the packaging, do i keep it": a few words asked of what the first named.
        or (len(second.split()) <= _BACK_WORDS and _REFERS_BACK.search(second) is not None)
    ):
        return [piece]
    return [first, *_at_comma(second, announced=announced)]


# A second question that only points back at the first one's thing: "do i need it", "is
# it free", "are they included".
_REFERS_BACK = re.compile(r"\b(?:it|them|they|that|this one|that one)\b", re.IGNORECASE)
_BACK_WORDS = 6


# The first of two questions a comma joins is one too: "do you ship to canada", "wheres 88231".
_ASKS = re.compile(
    r"^(?:do|does|did|can|could|is|are|will|would|how|what|whats|when|where|wheres|which|why|"
    r"who)\b",
    re.IGNORECASE,
)


# A sound before the request, no request of its own: "oh btw which courier" is one request.
# ("so?" before "any update": a nudge, no request of its own.)
_INTERJECTION = re.compile(
    r"^(?:oh+|ah+|ooh+|um+|erm+|hm+|well|so+|and|and so|then|所以呢|那么?)[\s!.,?？。！]*$",
    re.IGNORECASE,
)


# Chinese written with spaces for commas: "我想取消A-1002这个单 还没发货吧".
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def _spaced(part: str) -> list[str]:
    """A Chinese part split where a space stands for a comma, when every piece says
    something (three characters or more): "行 我等着" stays one."""
    pieces = [p.strip() for p in _CJK_SPACE.split(part)]
    if len(pieces) > 1 and all(ideographs(p) >= 3 for p in pieces):
        return pieces
    return [part]


_LEAD = re.compile(
    r"^(?:(?:and also|also|and|plus|btw|oh and)\s+|(?:哈哈+|呵呵+|嘿嘿+|lol|haha+|hehe+)"
    r"(?:\s*(?:开玩笑的|开个玩笑|just kidding|jk))?[\s,，!！。.~～]*)",
    re.IGNORECASE,
)


_RANT = {
    *[
        "ridiculous",
        "terrible",
        "awful",
        "unacceptable",
        "insane",
        "crazy",
        "pathetic",
        "useless",
        "horrible",
        "disgusting",
    ],
    *[
        "outrageous",
        "joke",
        "shocking",
        "appalling",
        "annoying",
        "frustrating",
        "rubbish",
        "bad",
        "poor",
        "worst",
        "wtf",
        "omg",
    ],
    *[
        "ugh",
        "seriously",
        "unbelievable",
        "disappointing",
        "disappointed",
        "angry",
        "furious",
        "fed",
        "up",
        "sick",
        "tired",
    ],
}
_FILLER = {
    *[
        "this",
        "is",
        "it's",
        "its",
        "that's",
        "thats",
        "so",
        "really",
        "absolutely",
        "just",
        "a",
        "the",
        "and",
        "very",
        "totally",
        "such",
    ],
    *["what", "i'm", "im", "am", "completely", "utterly", "of", "up", "with", "it", "all"],
}
_RANT_ZH = re.compile(
    r"^(?:太差了|太差|真差|无语|无语了|气死了|气死|垃圾|服了|呵呵|离谱|太离谱了|"
    r"什么玩意|什么鬼|坑人|坑爹|过分|太过分了|真是|简直|了|啊|吧|！|!|，|,|\s)+$"
)


def is_rant(clause: str) -> bool:
    """True for a clause that only vents ("this is ridiculous, terrible!!!", "太差了 无语"):
    tone for the request beside it, not a request of its own."""
    if _RANT_ZH.match(clause):
        return True
    words = [w.lower() for w in re.findall(r"[A-Za-z']+", clause)]
    content = [w for w in words if w not in _RANT and w not in _FILLER]
    return bool(words) and not content and any(w in _RANT for w in words)
