"""Praise right after bad news ("oh great, fantastic", "呵呵 真棒"): sarcasm, met with an apology.

"perfect, just perfect" alone reads as praise to the intent and sentiment models; said right
after a late parcel, a case about a broken item or a refusal it is the opposite. With a case
open it goes on the case, as a note that the customer is unhappy, and the answer is an
apology with where the case stands; else it is stored as negative feedback, and the answer
is an apology with what the bot can do (the offer it had made, again, or someone to follow
up). Praise said plainly ("great thanks", "太好了 谢谢") is never read so.
"""

from __future__ import annotations

import re

from crm_memory import Priority
from handlers import context, declined
from handlers.cases import case_state, current_case, estimate, past_target, waiting_line
from handlers.context import DEFECT, length
from handlers.escalation import team_away
from handlers.feedback import STORED, feedback
from handlers.feedback import store as feedback_store
from handlers.turn import Turn
from handlers.types import Reply
from nlu import FALLBACK

DETAIL = "sarcasm"
# Detail of a Reading: praise in a message that tells of trouble in its other part ("in transit
# for a week. great job guys, really", "又晚了 真棒"): an acknowledgement beside the answer.
BESIDE = "sarcasm_beside"
AUTHOR = "bot"

# Praise words, the whole of such a message ("fantastic", "so helpful", "真棒", "你们真厉害").
_PRAISE = re.compile(
    r"\b(?:great|fantastic|perfect|wonderful|brilliant|amazing|awesome|lovely|marvell?ous|"
    r"superb|splendid|excellent|terrific|fab|fabulous|incredible|impressive|outstanding|"
    r"stellar|cool|nice|super|good (?:job|work|one|stuff)|well done|helpful|useful|"
    # Speed praised, ironic only after a late parcel or a long wait ("super fast as always").
    r"fast|quick|speedy|prompt|efficient|lightning|"
    r"thanks?|thx|ty|cheers|thank you|love it|love that|just what i needed|exactly what i "
    r"needed|made my day|great service|top notch|first class|five stars?)\b|"
    r"(?:真|很|太|好|挺|非常|可)有用|帮大忙了|真有帮助|"
    r"真棒|太棒了?|好棒|棒棒哒|棒极了|太好了|好极了|真好|真行|真厉害|好厉害|太厉害了?|厉害了?|"
    r"真牛|牛啊|太牛了|666+|效率真高|服务真好|真不错|太感谢了|真是(?:太)?谢谢|谢谢你们?|多谢|干得漂亮|"
    r"真快|好快|可真快|挺快|速度(?:真|好|可真)快|神速|光速|真及时|好及时|"
    r"好样的|可以啊|真可以|(?:一如既往|一贯|一向|还是那么|依旧|照样)(?:的|地)?(?:好|棒|快|贴心|专业|高效|靠谱)",
    re.IGNORECASE,
)
# What makes plain praise ironic when it answers bad news: "oh"/"wow"/"yeah" before it,
# "just perfect", "so helpful", the word said twice, "thanks a lot", a laugh or a sigh in
# Chinese (呵呵, 行吧), praise aimed at "you lot" (你们真厉害), eye-rolling emoji.
_IRONY = re.compile(
    r"^\W*(?:oh+|wow+|yeah|yay|well|gee)\b|\bjust (?:great|perfect|fantastic|"
    r"wonderful|brilliant|lovely|amazing|awesome|marvell?ous|what i needed)\b|"
    r"\bso+ (?:helpful|useful|great|efficient|reassuring|quick|fast)\b|"
    r"\b(?:really|very) (?:helpful|useful|reassuring)\b|\bthanks? (?:a lot|a bunch|loads)\b|"
    r"\bhow (?:lovely|nice|wonderful|great|helpful|convenient)\b|"
    r"\b(great|perfect|fantastic|wonderful|brilliant|lovely|amazing|awesome)\b.*\b\1\b|"
    # "lovely service as always", "服务一如既往的好": praise for what keeps going wrong.
    r"\b(?:as (?:always|usual|ever)|like always|same as (?:always|ever|usual))\b|"
    r"呵呵|行吧|哈哈|嗬|啧|服了|真是|可真|(?:你们|你家|你).{0,4}?(?:可|也)?真|太.{1,3}了吧|"
    r"一如既往|一贯|一向|还是那么|依旧|照样|"
    r"🙄|😒|😑|🙃|👏",
    re.IGNORECASE,
)
# Thanks alone is ironic only so marked ("thanks a lot", "呵呵 谢谢"): "oh thanks" is thanks.
_THANKS = re.compile(r"^(?:thanks?|thx|ty|cheers|thank you|谢谢你们?|多谢|太感谢了)$", re.I)
_IRONIC_THANKS = re.compile(
    r"\bthanks? (?:a lot|a bunch|loads)\b|呵呵|真是谢谢|谢谢你全家|🙄|😒|🙃|👏", re.I
)
# Words that only carry the praise ("guys", "really", "啊", "!!").
_FILLER = re.compile(
    r"\b(?:oh+|wow+|yeah|yay|well|gee|ah|just|so+|really|very|truly|absolutely|totally|"
    r"simply|how|what|a|an|the|that'?s|thats|this is|it'?s|its|is|you|u|guys|lot|bunch|loads|"
    r"much|team|folks|all|ok|okay|lol|haha|again|for|i|needed|indeed|service|support|job|"
    r"work|stuff|help|customer|care|as|always|usual|ever|answers?|repl(?:y|ies)|responses?|"
    r"explanations?|info|information|bot|robot)\b|"
    r"服务|客服|效率|速度|态度|回答|答复|回复|解释|答案|机器人|质量|品质|东西|产品|"
    r"[呵行好吧哈嗬啧服了真是可你们家也啊呀哦呢嘛哇噢诶哎唉这的]",
    re.IGNORECASE,
)


def ironic_praise(text: str) -> bool:
    """True for a message of praise only, said with an ironic mark ("wow thanks so helpful",
    "perfect, just perfect", "行吧 你们真厉害"); plain praise ("great thanks") is not."""
    praise = [m.group(0) for m in _PRAISE.finditer(text)]
    if not praise or _IRONY.search(text) is None:
        return False
    if all(_THANKS.match(p) for p in praise) and _IRONIC_THANKS.search(text) is None:
        return False
    return _only_praise(text)


def _only_praise(text: str) -> bool:
    """True when nothing but praise, its ironic marks and filler is said."""
    rest = _FILLER.sub(" ", _IRONY.sub(" ", _PRAISE.sub(" ", text)))
    return not any(c.isalnum() for c in rest)


# Speed praised: "super fast", "lightning quick", "好快啊", "速度真快", "神速".
_SPEED = re.compile(
    r"\b(?:fast|quick|speedy|prompt|lightning|rapid)\b|真快|好快|挺快|速度|神速|光速|及时",
    re.IGNORECASE,
)


def praises_speed(text: str) -> bool:
    """True for praise of how fast it all is and nothing else ("哇 好快啊 真棒", "lightning
    fast"): right after being told a parcel is late, that can only be said through the
    teeth, with or without an ironic mark."""
    return _SPEED.search(text) is not None and _only_praise(text)


# A wait complained of, in the customer's words: nothing has happened, nobody came, the days
# counted ("still waiting", "day 3 and nothing", "not a word from anyone", "nobody has
# looked at it", "还是没人理", "三天了没动静", "等了一个礼拜").
_WAIT_SAID = re.compile(
    r"\bstill (?:waiting|nothing|no\b|not\b|hasn'?t|haven'?t)|\b(?:and|but|yet|still) nothing\b|"
    r"\bnothing (?:yet|so far|happened|happening|has happened)\b|"
    r"\bnot (?:a|one|a single) (?:word|reply|peep|call|e-?mail|message|sound)\b|"
    r"\bno (?:reply|replies|answer|response|news|update|word|call|one got back)\b|"
    r"\b(?:no ?one|nobody|no-one|noone)\b.{0,12}\b(?:looked|replied|answered|called|contacted|"
    r"got back|gotten back|bothered|touched|cares?|checked|helped|responded|came)\b|"
    r"\b(?:day|week) (?:\d+|two|three|four|five|six|seven)\b|"
    r"\b(?:\d+|two|three|four|five|six|seven|ten|a|one) (?:whole )?(?:days?|weeks?|hours?) "
    r"(?:now|later|already|on|and|of waiting|waiting|since)\b|"
    r"(?:还是|一直|都|也)?没(?:有)?人(?:理|管|回|看|联系|处理|搭理|问)|"
    r"(?:还是|一直|都|也)?没(?:有)?(?:动静|消息|回复|回音|进展|下文|结果)|石沉大海|杳无音信|"
    r"(?:\d+|一|两|三|四|五|六|七|八|九|十|几|好几)个?(?:天|礼拜|星期|周|小时)了|等了|"
    # Told to wait once more: "another 'please be patient'", "wait again", "又让我等", "还要等".
    r"\banother\W{0,3}(?:please )?(?:wait|hold on|be patient|bear with)|"
    # One more stretch to wait, said as a blow: "another week", "又要等一周" (not "a few
    # more days then", which may take the wait calmly).
    r"\b(?:another|yet another) (?:whole )?"
    r"(?:days?|weeks?|months?)\b|又(?:要|得)?(?:再)?等?(?:一|两|三|几)?(?:周|天|个?礼拜|个?星期|个月)|"
    r"\b(?:wait|waiting|hold on)\W{0,3}(?:some more|more|again|longer)\b|"
    r"\b(?:more|again) waiting\b|\b(?:makes?|making|made|keep|keeps) (?:me|us) wait(?:ing)?\b|"
    r"又(?:让|叫|要)?(?:我|人)?(?:再)?等|(?:让|叫)(?:我|人)(?:一直|再|干)?等|还(?:得|要)(?:再)?等",
    re.IGNORECASE,
)
# How long a praise about a wait may run ("great, still waiting"); longer, it says more.
_WAIT_WORDS = 12


def waits_said(text: str) -> bool:
    """True when the text complains that nothing has happened for a while ("still waiting",
    "三天了没动静")."""
    return _WAIT_SAID.search(text) is not None


def praise_about_wait(text: str) -> bool:
    """True for praise said of a wait ("great, still waiting", "wonderful, day 3 and
    nothing", "so nobody has looked at it yet?? great", "可以啊 三天了没动静"): sarcasm, short,
    with no fault told (a fault with praise is the complaint readings')."""
    if _PRAISE.search(text) is None or not waits_said(text) or DEFECT.search(text):
        return False
    if all(_THANKS.match(m.group(0)) for m in _PRAISE.finditer(text)):
        return False  # "thanks, ill wait then": thanks, not praise
    return length(text) <= _WAIT_WORDS


# Praise beside a word that the answer got the customer nowhere: "so basically nothing.
# great. brilliant service", "太棒了 啥也解决不了", "服务真好啊 一点用没有", "thanks for nothing".
_NO_HELP = re.compile(
    # (Not "so nothing else needed, great" nor "thats nothing wrong": nothing is missing.)
    r"\b(?:so|basically|literally|absolutely|so basically|which is|that'?s|thats) nothing\b"
    r"(?!\s+(?:else|more|wrong|to worry|bad|at all))|\buseless\b|\bpointless\b|\bno help\b|"
    r"\bnot (?:much|any|a lot of) help\b|"
    r"\bwaste of (?:time|space)\b|\b(?:didn'?t|doesn'?t|did not|does not) help\b|"
    r"\b(?:thanks|cheers|thank you)(?: (?:a lot|so much|very much|a bunch|loads))? for nothing\b|"
    r"\bgot nowhere\b|\bno use\b|"
    r"(?:啥|什么)(?:也|都)(?:解决不了|办不了|干不了|不知道|不会|没(?:解决|用|说))|"
    r"一点(?:儿)?用(?:都|也)?没有|(?:一点|屁)?用(?:都|也)没有|没(?:啥|什么)用|等于没说|"
    r"说了(?:跟|和|等于)没说|白问了?|问了也白问|(?:都|也)解决不了",
    re.IGNORECASE,
)
# Thanks that is ironic wherever it is said: "真是谢谢你了", "thanks for nothing", "呵呵 谢谢".
_ALWAYS_IRONIC = re.compile(
    r"真是(?:太)?谢谢(?:你|您)(?:们)?了|谢谢你全家|"
    r"(?:thanks|cheers|thank you)(?: (?:a lot|so much|very much|a bunch|loads))? for nothing|"
    r"呵呵.{0,3}(?:谢谢|真棒|厉害)|🙄|😒|"
    # "你们质量真行啊", "你家东西可真行": 真行 said to the shop is never plain praise.
    r"(?:你们|你家|你)(?:的|家的)?(?:质量|品质|东西|产品|服务|效率|速度|快递)?(?:可|也)?真行",
    re.IGNORECASE,
)
# Longer than this, praise with "nothing" in it says more than the remark.
_NO_HELP_WORDS = 14


def praise_for_no_help(text: str) -> bool:
    """True for praise said of an answer that did not help ("so basically nothing. great.
    brilliant service", "太棒了 啥也解决不了", "真是谢谢你了哈"): sarcasm wherever it is said."""
    if _ALWAYS_IRONIC.search(text) is not None and ironic_praise(text):
        return True
    return (
        _PRAISE.search(text) is not None
        and _NO_HELP.search(text) is not None
        and DEFECT.search(text) is None
        and length(text) <= _NO_HELP_WORDS
    )


# The bot's answer named in the praise: "very helpful answer", "great reply", "你这回答".
_OF_ANSWER = re.compile(
    r"\b(?:answers?|repl(?:y|ies)|responses?|explanations?|info|information|bot|robot)\b|"
    r"回答|答复|回复|解释|答案|机器人",
    re.IGNORECASE,
)
# Marks that make praise of an answer ironic on their own: a "wow"/"oh" before it, a laugh
# or a sigh (呵呵, 嗬), an eye-roll. ("very helpful, thanks" alone may be meant.)
_MARKED = re.compile(
    r"^\W*(?:oh+|wow+|yeah|yay|gee|well well)\b|\bso+ (?:helpful|useful|informative)\b|"
    r"\bthanks? (?:a lot|a bunch|loads)\b|呵呵|嗬|啧|服了|🙄|😒|😑|🙃|👏",
    re.IGNORECASE,
)


def mocks_answer(turn: Turn) -> bool:
    """True for ironic praise of the bot's last answer ("wow what a helpful reply, thanks a lot",
    "呵呵 你这答复可真有用啊"), or ironic praise right after the bot did not understand: the
    answer missed, and the praise says so. Only once the bot has answered something."""
    text = turn.message.text
    if turn.dialogue.turn <= 1 or not ironic_praise(text):
        return False
    if _OF_ANSWER.search(text) is not None and _MARKED.search(text) is not None:
        return True
    return turn.dialogue.intents[-1:] == (FALLBACK,) or turn.dialogue.misses > 0


# A parcel said not to have come: "still hasn't arrived", "还没到", "一直没收到".
_NOT_ARRIVED = re.compile(
    r"\b(?:still )?(?:hasn'?t|has not|haven'?t|have not|never|not) (?:arrived|come|shown up|"
    r"turned up|got here|been delivered)\b|\bstill not here\b|"
    r"(?:还|都|一直|到现在|至今)(?:没|没有|未)(?:到|收到|送到|送来|到货)",
    re.IGNORECASE,
)


def after_bad_news(turn: Turn, *, has_open_case: bool) -> bool:
    """True for ironic praise right after bad news: with a case open, or when the bot's last
    answer offered what it can do about something gone wrong (a case for a late parcel, a
    person), or the conversation is about a complaint; praise for an answer that did not
    help ("so basically nothing. great.") after any answer."""
    text = turn.message.text
    if turn.parse.orders:
        return False
    if praise_for_no_help(text) or mocks_answer(turn):
        return True
    if _NOT_ARRIVED.search(text) and not has_open_case:
        # "你们效率真高啊 等了两周还没到": a parcel that has not come, said crossly, is that
        # late parcel's (which order, its lateness), not a remark stored as feedback alone.
        return False
    if praise_about_wait(text) and (_IRONY.search(text) or _ALWAYS_IRONIC.search(text)):
        # "oh brilliant, yet another 'please be patient'. so useful", "真是太谢谢你们了 又让人干等"
        return True
    if not (ironic_praise(text) or praise_about_wait(text) or praises_speed(text)):
        return False
    return (
        has_open_case
        or declined.offered(turn)
        or turn.dialogue.topic in ("complaint", context.CASE_STATUS, context.OFFER_AGAIN)
    )


async def on_case(turn: Turn, *, mood: str = DETAIL) -> list[Reply] | None:
    """With a case open: noted on it that the customer is unhappy (``mood``: sarcastic, or
    displeased), and an apology with where it stands; None when there is no open case."""
    case = await current_case(turn)
    if case is None:
        return None
    said = turn.message.text.strip()
    how = "sarcastic" if mood == DETAIL else mood
    await turn.deps.cases.add_note(
        case.number, author=AUTHOR, text=f"Customer unhappy ({how}): {said}"
    )
    turn.outcome.case = case.number
    turn.outcome.intents[-1:] = ["complaint"]
    if waits_said(said) and past_target(turn, case):
        # "great, still waiting" three days on: the wait owns the apology and the case's
        # estimate (a case with the team is raised there; one still with the bot is raised
        # here, the customer being unhappy, and a person offered).
        if case.escalated_at is None and case.priority.rank < Priority.HIGH.rank:
            await turn.deps.cases.update(case.number, priority=Priority.HIGH)
        return await estimate(turn, case)
    replies = [turn.reply("complaint_vented", number=case.number, state=case_state(turn, case))]
    if waits_said(said) and team_away(turn):
        # "太棒了 又要等到明天" out of hours: when the team is back to answer it, too.
        replies.append(Reply(waiting_line(turn, case)))
    return replies


async def store(turn: Turn) -> None:
    """The remark stored as negative feedback (once per message)."""
    if STORED not in turn.outcome.said:
        await feedback_store(turn, sentiment=-max(abs(turn.parse.sentiment), 0.3))


async def answer(turn: Turn) -> list[Reply]:
    """No case open and no offer waiting: stored as negative, an apology and a follow-up
    offered (``feedback`` with the sarcasm known)."""
    return await feedback(turn, sarcastic=True)


# An order said to be late, in the customer's words: "a week late again", "说好的三天到 现在一个
# 礼拜了", "still not here", "等了十天了".
_LATE_SAID = re.compile(
    r"\b(?:late|overdue|delayed|delay)\b|\b(?:a|one|two|three|\d+) (?:whole )?(?:weeks?|days)\b|"
    r"\bstill (?:not|no|nothing|waiting)\b|\bnever (?:arrived|came|comes)\b|\bwhere the hell\b|"
    r"说好(?:的)?|(?:一|两|三|几|\d+)个?(?:礼拜|星期|周)了|(?:\d+|几|好几|十来?)天了|还没(?:到|收到|发货|送到)|"
    r"延误|延迟|晚了|等了",
    re.IGNORECASE,
)


# Trouble with an order told beside the praise: what ``_LATE_SAID`` and ``waits_said`` read,
# and a parcel stuck or not moving ("still stuck in transit", "物流一个礼拜没动了", "又延迟").
_TROUBLE = re.compile(
    r"\bstuck\b|\b(?:hasn'?t|hasnt|not|never|didn'?t) (?:moved|budged|updated|changed)\b|"
    r"\bno (?:movement|update|tracking update)s?\b|\bin transit for\b|"
    r"没动|不动|没更新|不更新|卡(?:在|住)|又(?:延迟|延误|晚|慢)|还在路上|还没(?:到|发|收到)",
    re.IGNORECASE,
)


def _praise_alone(text: str) -> bool:
    """True for a part of a message that is praise and nothing else ("great service guys
    really", "服务真好"), thanks alone excepted ("..., thanks")."""
    praise = [m.group(0) for m in _PRAISE.finditer(text)]
    if not praise or all(_THANKS.match(p) for p in praise):
        return False
    rest = _FILLER.sub(" ", _IRONY.sub(" ", _PRAISE.sub(" ", text)))
    return not any(c.isalnum() for c in rest)


def tells_trouble(text: str) -> bool:
    """True when the text tells that an order is late, stuck or still not come, or a wait
    with nothing happening ("in transit for a week", "still stuck", "又延迟", "三天了没动静")."""
    return (
        _LATE_SAID.search(text) is not None or waits_said(text) or _TROUBLE.search(text) is not None
    )


def praise_with_trouble(text: str) -> bool:
    """True for a message that praises and tells of trouble in one breath ("lovely. still
    stuck in transit. great job", "又晚了 真棒"): the praise is sarcasm, the trouble the
    request; never a remark to thank for."""
    praise = [m.group(0) for m in _PRAISE.finditer(text)]
    if not praise or all(_THANKS.match(p) for p in praise) or DEFECT.search(text):
        return False
    if _LOST.search(text):
        return False  # "oh fantastic, the courier lost it again": a lost parcel's complaint
    if _CONTRAST.search(text) or (_CAME.search(text) and not _STILL_BAD.search(text)):
        # "took a week but great service", "arrived in 2 days, great service": praise meant.
        return False
    return tells_trouble(_PRAISE.sub(" ", text))


# A parcel said to be lost: a complaint as a whole, its praise the complaint's tone.
_LOST = re.compile(r"\blost\b|\bgone missing\b|丢", re.IGNORECASE)
# Praise meant despite the time: a "but" between, or the parcel come ("arrived in 2 days").
_CONTRAST = re.compile(
    r"\b(?:but|though|although|anyway|still happy)\b|不过|但是|但还是|还好", re.IGNORECASE
)
_CAME = re.compile(
    r"\b(?:arrived|came|got (?:it|here)|received|delivered)\b|收到了|(?<![没未])到了|送到了", re.I
)
_STILL_BAD = re.compile(
    r"\b(?:not|never|no|hasn'?t|hasnt|haven'?t|havent|didn'?t|didnt|still|stuck|late|"
    r"delayed?|again)\b|没|未|还在|延误|延迟|又",
    re.IGNORECASE,
)


def split_praise(text: str) -> tuple[str, str] | None:
    """A one-part message of trouble and praise ("51001又晚了 真棒", "great service guys,
    51001 in transit for 8 days now"), as (the trouble, the praise: all of it); None when it
    is not one."""
    if not praise_with_trouble(text):
        return None
    strip = " ,，.。!！~～"
    # The praise after the trouble, as long as it runs; else before it, as long as it runs.
    for i in range(1, len(text)):
        head, tail = text[:i], text[i:]
        if tail[0] in "了啊吧呢哦呀":
            continue  # ("又晚了 真棒": the particle ends the trouble, not the praise)
        if _praise_alone(tail) and tells_trouble(head) and any(c.isalnum() for c in head):
            return head.strip(strip), tail.strip(strip)
    for i in range(len(text) - 1, 0, -1):
        head, tail = text[:i], text[i:]
        if _praise_alone(head) and tells_trouble(tail) and any(c.isalnum() for c in tail):
            return tail.strip(strip), head.strip(strip)
    return None


def sarcasm_as_a_whole(turn: Turn) -> bool:
    """True when the whole message is sarcasm met as one ("great, still waiting", "真是太棒了
    说好的三天到 现在一个礼拜了 A-1005", "so nobody has looked at it yet?? great"): never
    split into the trouble and the praise beside it."""
    return (
        late_said_crossly(turn)
        or praise_about_wait(turn.message.text)
        or after_bad_news(turn, has_open_case=bool(turn.context.open_cases))
    )


def story_and_praise(parts: list[str]) -> tuple[str, str] | None:
    """The parts of a message that tell one story of trouble with praise beside it ("lovely.
    still stuck in transit. great job"): (the story, the praise), or None."""
    praise = [p for p in parts if _praise_alone(p)]
    story = [p for p in parts if not _praise_alone(p)]
    if not praise or not story or not praise_with_trouble(" ".join(parts)):
        return None
    return " ".join(story), praise[0]


def beside_trouble(turn: Turn) -> bool:
    """True for the praise part of a message whose other part tells of trouble ("my order
    has sat in transit for 8 days now. great job guys, really", "51001又晚了 真棒"): sarcasm,
    acknowledged beside the answer to the trouble, never thanked."""
    text = turn.message.text
    whole = next(
        (m.text for m in turn.context.recent if m.id == turn.message_record), turn.message.text
    )
    if whole.strip() == text.strip() or not _praise_alone(text):
        return False
    return praise_with_trouble(whole)


async def beside(turn: Turn) -> list[Reply]:
    """The praise beside trouble: stored once as negative feedback (on the open case, a note),
    and acknowledged in a line, the answer to the trouble standing as it is (no second offer)."""
    if STORED in turn.outcome.said:
        return []  # one message, one acknowledgement ("lovely. ... great job")
    case = await current_case(turn)
    if case is not None:
        await turn.deps.cases.add_note(
            case.number, author=AUTHOR, text=f"Customer unhappy (sarcastic): {turn.message.text}"
        )
    await store(turn)
    return [turn.reply("sarcasm_beside", name=turn.name)]


def late_said_crossly(turn: Turn) -> bool:
    """True when the customer says an order of theirs is late, sarcastically
    ("oh brilliant, a week late again, 88231", "真是太棒了 说好的三天到 现在一个礼拜了
    A-1005"): a case for it, said once (not the late status with an offer of a case beside
    a person taking the case over)."""
    text = turn.message.text
    if not turn.parse.orders or _LATE_SAID.search(text) is None or context.DEFECT.search(text):
        return False
    # Ironic praise only: a plainly upset "咋还没到" gets the late status and the choice of a
    # case or a person, as before.
    return _PRAISE.search(text) is not None and _IRONY.search(text) is not None
