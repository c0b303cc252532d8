"""Greetings, goodbyes, thanks and yes/no: personal, from the customer's history."""

from __future__ import annotations

import functools
import re

from crm_memory import Case, CaseKind, CaseStatus
from handlers import escalation, survey
from handlers.agents import display_name
from handlers.context import DEFECT, WHOLE_PARCEL, WRONG_ITEM, length
from handlers.segments import AT_RISK
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import REFUND_WORDS

LOW_RATING = 2


# What a case is about, from its reason and summary (in whichever language the customer
# wrote them): the first kind that matches names it back to the customer in their language.
_CASE_KINDS = (
    (
        "wrong",
        re.compile(
            rf"wrong (?:item|size|colou?r|model|product|one)|not what i ordered|instead of|"
            rf"you sent me|发错|错发|寄错|{WRONG_ITEM.pattern}",
            re.I,
        ),
    ),
    (
        "missing",
        re.compile(
            r"\bmissing\b|came without|arrived without|\bno \w+(?: \w+)? in (?:the |my )?"
            r"(?:box|parcel|package)|\b(?:was|were|is|are)(?:n'?t| not) in (?:the |my )?"
            r"(?:box|parcel|package)|didn'?t come with|少了|少发|漏发|缺了|缺少|配件不全|"
            r"(?:里面|盒子里|箱子里|包裹里)(?:没有|只有|就)|"
            # Fewer than ordered: "only got one cup, should be two", "水杯只有一个 应该两个".
            r"\bonly (?:got|received|came with|had|sent|one|1)\b.{0,40}\b(?:should|supposed|"
            r"ordered|paid for)\b|"
            r"(?:只有|只来了|只收到|只发了|就来了|才)(?:一|两|1|2)(?:个|件|只|双|套|台|瓶|块|根)?"
            r".{0,10}(?:应该|本来|明明|不是|说好)",
            re.I,
        ),
    ),
    (
        "payment",
        re.compile(
            r"charged|charge|payment|paid twice|扣了?(?:我)?两(?:次|遍|笔)|两笔(?:钱|款)|重复扣|"
            r"多扣|扣款|付款|支付|"
            # The money taken, said without "charge": "the money left my bank twice", "taken
            # out of my account two times", "debited twice", "银行卡扣了两回".
            r"\bdebited\b|\bmoney (?:left|came out of|went out of|was taken|got taken|taken)\b|"
            r"\b(?:taken|came|went) (?:out of|from) my (?:bank|account|card)\b|"
            r"扣了?(?:我)?两回|扣了?(?:我)?(?:好几|几)(?:次|笔)",
            re.I,
        ),
    ),
    (
        "faulty",
        re.compile(
            r"broke|damage|defect|fault|crack|dent|smash|shatter|leak|not working|doesn'?t work|"
            r"stopped|won'?t|spark|smoke|scratch|noise|noisy|坏|损|破|碎|裂|漏|不工作|用不了|"
            r"不能用|没反应|冒烟|烧焦|异响|噪音|划痕|质量|不转|不加热|失灵|"
            r"\bno sound\b|没声音|没有声音",
            re.I,
        ),
    ),
    (
        "late",
        re.compile(
            r"\blate\b|delay|not (?:arrived|here|come)|never (?:came|arrived)|"
            r"hasn'?t (?:arrived|come)|still waiting|where is|延误|没到|还没|没收到|太慢|丢",
            re.I,
        ),
    ),
)
# What else a message about a whole parcel may say is wrong: a fault, a wrong item.
DEFECT_OR_WRONG = re.compile(
    rf"{_CASE_KINDS[0][1].pattern}|{_CASE_KINDS[3][1].pattern}", re.IGNORECASE
)
# The order a case is about, on its summary (orders.with_order writes it).
ORDER_LINE = re.compile(r"^order: (\S+)$", re.M)
# The kinds read in the customer's words as written (a charger can be what is missing).
_AS_WRITTEN = frozenset({"wrong", "missing"})
# A device that will not charge ("my earbuds won't charge", "充不进电") is a fault, not a
# payment: read as such before the kinds, whose payment words include "charge".
_DEVICE_CHARGE = re.compile(
    r"\b(?:won'?t|wont|doesn'?t|does not|don'?t|isn'?t|not|stopped|no longer|never|can'?t|"
    r"cannot)\s+(?:\w+\s+)?charg(?:e|es|ing)\b|\bcharg(?:er|ing (?:case|port|cable|light))\b|"
    r"充不(?:进|上|了)?电|不(?:能)?充电|充电(?:盒|口|器|线)?(?:坏|没反应|不亮)",
    re.I,
)


@functools.lru_cache(maxsize=32)  # a case's reason, read by several answers a turn
def problem_kind(text: str) -> str | None:
    """What a reported problem is (wrong, missing, payment, faulty, late), or None: the
    first kind whose words the text has."""
    if WHOLE_PARCEL.search(text) and not DEFECT_OR_WRONG.search(text):
        # "the whole parcel is missing": a parcel that never came, no part of an item.
        return "late"
    # A charger missing from the box is missing, not a device that will not charge.
    plain, charge = text, _DEVICE_CHARGE.sub(" not working ", text)
    kind = next(
        (k for k, p in _CASE_KINDS if p.search(plain if k in _AS_WRITTEN else charge)), None
    )
    # Any other fault the complaint readings know ("吸尘器没吸力了", "stopped sucking") is the
    # item's fault too, so the replacement asked next is for it.
    return kind if kind is not None or DEFECT.search(text) is None else "faulty"


def only_missing(text: str) -> bool:
    """True when the problem reported is a missing item or part and nothing else named is
    broken or wrong ("the mouse is missing from the box", "订单D-6620少了个键盘"): there is
    nothing to send back, the missing part is sent (or refunded)."""
    kinds = dict(_CASE_KINDS)
    rest = kinds["missing"].sub(" ", text)  # "漏发" is no leak ("漏")
    return problem_kind(text) == "missing" and kinds["faulty"].search(rest) is None


# What a case that is no complaint is for, from the reason the bot gave it when it opened it
# (an address change, a cancellation, a delivery instruction, an invoice): named by that,
# never "your complaint" (handlers/escalation.py, cancel.py, instructions.py).
_REQUEST_KINDS = (
    ("address", re.compile(r"\baddress\b|地址", re.I)),
    ("cancellation", re.compile(r"\bcancel|取消", re.I)),
    ("instruction", re.compile(r"\bdelivery instruction|\binstruction|备注", re.I)),
    ("invoice", re.compile(r"\binvoice|\breceipt|发票|收据", re.I)),
    ("express", re.compile(r"\bexpress|加急", re.I)),
)


def case_kind(case: Case) -> str:
    """What a case is about: wrong, missing, payment, faulty, late, person, other, or for a
    request that is no complaint: address, cancellation, instruction, invoice, express or
    request.

    Read from what was reported (the case's reason) first: a detail added later ("I paid
    by card") does not turn a broken kettle into a payment case."""
    if case.kind is CaseKind.INQUIRY:
        said = f"{case.reason} {case.topic or ''}"
        asked = next((k for k, p in _REQUEST_KINDS if p.search(said)), None)
        return asked or problem_kind(case.reason) or "request"
    kind = problem_kind(case.reason) or problem_kind(case.summary)
    if kind == "late" and case.kind is CaseKind.ESCALATION and REFUND_WORDS.search(case.summary):
        # A person asked for about a refund that "never came": no late parcel (the summary
        # is the customer's whole message, the reason said beside the ask).
        kind = None
    if kind is None:
        kind = "person" if case.kind is CaseKind.ESCALATION else "other"
    return kind


def case_about(turn: Turn, case: Case) -> str:
    """What the case is about, in the customer's language (never their own words echoed
    back in the other language): ``faulty item, order A-1001`` / ``商品故障，订单 A-1001``."""
    about = turn.say(f"case_about_{case_kind(case)}")
    order = ORDER_LINE.search(case.summary)
    return turn.say("case_about_order", about=about, order=order.group(1)) if order else about


def case_status_line(turn: Turn, case: Case) -> str:
    """``Your case #7 (faulty item, order A-1001) is being handled by Maria.``"""
    if case.status is CaseStatus.ASSIGNED and case.number in turn.handed_back:
        status = turn.say("status_handed_back", agent=display_name(case.owner))
    elif case.status is CaseStatus.ASSIGNED:
        status = turn.say("status_assigned", agent=display_name(case.owner))
    else:
        status = turn.say(f"status_{case.status.value}")
    return turn.say(
        "open_case_status", number=case.number, reason=case_about(turn, case), status=status
    )


def is_returning(turn: Turn) -> bool:
    """True when the customer wrote to us before this message."""
    return not turn.context.is_new and len(turn.context.recent) > 1


def in_conversation(turn: Turn) -> bool:
    """True when this message continues a conversation already going on (no welcome then)."""
    if turn.context.is_new:
        return False
    current = turn.conversation_id
    return current is not None and any(
        m.conversation_id == current and m.id != turn.message_record for m in turn.context.recent
    )


async def greet(turn: Turn) -> list[Reply]:
    """Welcome new customers with what the bot can do; welcome back returning ones by name,
    with their open cases' status and an apology after a low rating. Inside a conversation,
    a short hello: no second welcome."""
    if in_conversation(turn):
        if turn.context.open_cases:  # "hello??" while waiting: where the case stands
            lines = [case_status_line(turn, case) for case in turn.context.open_cases]
            return [Reply("\n".join(lines))]
        return [turn.reply("greet_again", name=turn.name)]
    if not is_returning(turn):
        if escalation.team_away(turn):
            # "hello is anyone there" on a Sunday evening: the assistant, when people are
            # back, and what it can do now.
            away = turn.say(
                "greet_new_away",
                name=turn.name,
                company=turn.deps.company,
                when=escalation.back_at(turn),
            )
            return [Reply(away)]
        return [Reply(turn.say("greet_new", name=turn.name, company=turn.deps.company))]
    # A softer welcome after a bad rating, or for anyone whose recent contact went badly.
    low = turn.context.last_csat is not None and turn.context.last_csat <= LOW_RATING
    if low:
        key = "greet_back_sorry"
    elif turn.context.customer.segment == AT_RISK:
        key = "greet_back_at_risk"
    else:
        key = "greet_back"
    lines = [turn.say(key, name=turn.name)]
    lines += [case_status_line(turn, case) for case in turn.context.open_cases]
    if escalation.team_away(turn):
        lines.append(turn.say("greet_team_away", when=escalation.back_at(turn)))
    else:
        lines.append(turn.say("how_can_i_help"))
    return [Reply("\n".join(lines))]


async def chitchat(turn: Turn) -> list[Reply]:
    """Small talk: a friendly word, then back to what the bot is for."""
    return [turn.reply("chitchat")]


async def what_i_do(turn: Turn) -> list[Reply]:
    """ "What can you do?": what the customer can ask, and how to reach a person."""
    return [turn.reply("help")]


async def detail_after_answer(turn: Turn) -> list[Reply]:
    """A detail after an answer ("the new one is anna@example.com") the bot cannot act on:
    where the customer does it, or a person who will."""
    turn.outcome.unresolved = True
    key = "detail_after_answer" if _steps_given(turn) else "detail_after_answer_plain"
    return [turn.offer_human(key)]


# A path in the account or an order ("Account → Settings", "订单 → 发票"): where to do it.
_STEPS = re.compile(r"→|->")


def _steps_given(turn: Turn) -> bool:
    """True when the answer just given showed where in the account to do it (its text has
    the path): only then may the reply point back to it ("as described above")."""
    subject = turn.dialogue.subject_in_play()
    if subject is None or subject.entry is None or not subject.shown:
        return False
    entry = turn.deps.knowledge.entry(subject.entry)
    return entry is not None and _STEPS.search(entry.answer(turn.language)) is not None


async def help_(turn: Turn) -> list[Reply]:
    return [turn.reply("help")]


async def goodbye(turn: Turn) -> list[Reply]:
    if says_done(turn.message.text):
        return await _close(turn)
    return [turn.reply("goodbye", name=turn.name), *await survey.offer_bot_rating(turn)]


async def thanks(turn: Turn) -> list[Reply]:
    """"thanks": you're welcome, and anything else; "thats all cheers", "没了 谢谢": the
    customer is done, so a warm goodbye with no question back."""
    if says_done(turn.message.text):
        return await _close(turn)
    return [turn.reply("thanks_reply"), *await survey.offer_bot_rating(turn)]


# The customer says they need nothing more ("thats all", "nothing else", "im good",
# "没了", "没别的了", "就这些"); read only in a thanks or a goodbye, where "没了" is no
# missing item.
_DONE = re.compile(
    r"\b(?:that'?s|thats|that is|it'?s|its)\s+(?:all|it|everything)\b|\bnothing (?:else|more)\b|"
    r"\b(?:i'?m|im|we'?re|were) (?:all )?(?:good|done|sorted|set|fine)\b|"
    r"\ball (?:good|sorted|set)\b|"
    r"\bno more questions\b|\bthat'?ll be all\b|"
    r"^(?:(?:好的?|嗯|恩|行|ok)[，,\s]*)?(?:没了|没啦|没有了|没有啦|没啥了|没啥事了|没事了|没事啦|"
    r"没(?:有)?(?:别的|其他的?|什么)(?:了|啦|事了|问题了)|就这些|就这样吧?|不用了)",
    re.IGNORECASE,
)


def says_done(text: str) -> bool:
    """True when a thanks or a goodbye also says the customer needs nothing more."""
    return (
        _DONE.search(text.strip()) is not None and "?" not in text and "？" not in text
    ) or only_done(text)


# That nothing more is needed, said anywhere in a closing ("great that's all :)", "好嘞 就这些了").
_DONE_PHRASE = re.compile(
    r"\b(?:that'?s|thats|that is|it'?s|its)\s+(?:all|it|everything)\b|\bnothing (?:else|more)\b|"
    r"\b(?:i'?m|im|we'?re|were) (?:all )?(?:good|done|sorted|set)\b|\ball (?:good|sorted|set)\b|"
    r"\bno more questions\b|\bthat'?ll be all\b|"
    r"没了|没啦|没有了|没有啦|没啥了|没啥事了|没事了|没事啦|没(?:有)?(?:别的|其他的?|什么)(?:了|啦|事了|问题了)|"
    r"就这些|就这样吧?|不用了",
    re.IGNORECASE,
)
# What may stand beside it and leave it a closing: a nod, praise of the answer, thanks, a
# smiley ("perfect, that's everything thank u", "明白了 没事了 谢谢亲").
_CLOSING_WORDS = re.compile(
    r"\b(?:ok(?:ay)?|k|kk|great|perfect|brilliant|lovely|cool|nice|awesome|super|fab|grand|"
    r"excellent|fine|right|alright|good|got it|understood|cheers|ta|thank (?:u|you)|thanks?|"
    r"thx|ty|then|for now|really|so|much|a lot|yep|yes|yeah|oh|ah|bye|cya|"
    r"have a (?:good|nice|great) (?:one|day|evening|weekend))\b|"
    r"好嘞|好滴|好的?|嗯+|恩|行|明白了?|知道了|了解|懂了|收到|谢谢|谢啦|多谢|感谢|亲|啦|了|哈+|拜拜|再见|"
    r"[\W_]+",
    re.IGNORECASE,
)
# Longer than this (words, or two ideographs each), a closing is a message with more in it.
_CLOSING_LENGTH = 12


def only_done(text: str) -> bool:
    """True for a closing that says the customer needs nothing more and nothing else ("great
    that's all :)", "perfect, that's everything", "好嘞 就这些了 没别的了"): a polite goodbye,
    not a detail for the last answer, a no to an offer nor a new question."""
    if "?" in text or "？" in text or length(text) > _CLOSING_LENGTH:
        return False
    if _DONE_PHRASE.search(text) is None:
        return False
    rest = _CLOSING_WORDS.sub(" ", _DONE_PHRASE.sub(" ", text))
    return not rest.strip()


async def _close(turn: Turn) -> list[Reply]:
    """A warm goodbye, with the open case's owner writing here; no question back."""
    cases = turn.context.open_cases
    if cases:
        case = max(cases, key=lambda c: c.number)
        return [turn.reply("closing_bye_case", name=turn.name, number=case.number)]
    return [turn.reply("closing_bye", name=turn.name), *await survey.offer_bot_rating(turn)]


async def acknowledge(turn: Turn) -> list[Reply]:
    """ "ok", "k", "好的" after an answer, with nothing asked: a short nod, not a new topic."""
    return [turn.reply("ack")]


async def deny(turn: Turn) -> list[Reply]:
    return [turn.reply("deny_ack")]


LANGUAGE = "switch_language"
# The conversation carried on in a language: "write in", "type in", "switch to", "talk in ...
# instead" (a manual "written in chinese", a label "in english" are no request).
_IN_LANGUAGE = (
    r"(?:\b(?:write|type|talk|speak|chat|communicate|continue|carry on|do this|go on|"
    r"reply|answer|respond)\s+(?:to (?:you|u) |with (?:you|u) |here )?(?:in|using)\s+|"
    r"\b(?:switch|change|swap|go|move)\s+(?:this |the chat |the conversation |it |over |back )?"
    r"(?:to|into|in)\s+)"
)
# "能说中文吗", "can you speak chinese", "english please", "用英文回复": the language the
# customer asks to be answered in, whatever the words are written in.
_ASKS_FOR = {
    "zh": re.compile(
        r"(?:说|讲|用|回|打|换成|换到|切换到|切到|改成|改用)(?:个)?(?:中文|汉语|普通话|国语)"
        r"(?=吗|么|吧|嘛|可以|行|好|回复|回答|交流|沟通|聊|服务|[\s?？。!！,，啊呀]*$)|"
        r"我(?:们)?(?:可以|能|能不能|可不可以)(?:用|打)(?:中文|汉语)|"
        r"中文(?:服务|客服|回复|回答)|"
        r"\b(?:speak|reply|answer|respond|chat|talk to me)\b.{0,12}\b(?:chinese|mandarin)\b|"
        r"\b(?:chinese|mandarin)\s+(?:please|pls|plz)\b|"
        # "mind if i write in chinese?", "is it ok if i type in chinese", "could we switch over
        # to chinese"
        rf"{_IN_LANGUAGE}(?:chinese|mandarin)\b",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"(?:说|讲|用|回|打|换成|换到|切换到|切到|改成|改用)(?:个)?英(?:文|语)"
        r"(?=吗|么|吧|嘛|可以|行|好|回复|回答|交流|沟通|聊|服务|[\s?？。!！,，啊呀]*$)|"
        r"我(?:们)?(?:可以|能|能不能|可不可以)(?:用|打)英(?:文|语)|"
        r"英(?:文|语)(?:服务|客服|回复|回答)|"
        r"\b(?:speak|reply|answer|respond|chat|talk to me)\b.{0,12}\benglish\b|"
        r"\benglish\s+(?:please|pls|plz)\b|"
        rf"{_IN_LANGUAGE}english\b",
        re.IGNORECASE,
    ),
}
# What is left of a message once the language request is taken out, when it asks nothing
# else ("hi, can you speak chinese?", "能说中文吗 谢谢").
_FILLER = re.compile(
    r"\b(?:hi|hello|hey|please|pls|plz|can|could|you|u|do|does|anyone|someone|here|there|"
    r"is|it|possible|to|me|with|ok|okay|thanks|thx|sorry|i|we|the|a|please|if|instead|now|"
    r"lets|let'?s|us|may|alright|fine|rather)\b|"
    r"[你您我们能可以会吗么呢嘛吧啊呀好谢请问的是不在亲么和跟用写打字说聊]|[\s\W\d_]",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=32)  # asked by the readings, the dispatcher and the reply
def requested_language(text: str) -> str | None:
    """The language the customer asks to be answered in ("能说中文吗" -> "zh"), if any."""
    found = [code for code, pattern in _ASKS_FOR.items() if pattern.search(text)]
    return found[0] if len(found) == 1 else None


def only_asks_language(text: str) -> bool:
    """True when the message asks for a language and nothing else."""
    code = requested_language(text)
    if code is None:
        return False
    if re.search(r"\d", text):
        return False  # an order number: a request beside the language
    rest = _FILLER.sub("", _ASKS_FOR[code].sub("", text))
    return len(rest) <= 2


async def switch_language(turn: Turn) -> list[Reply]:
    """ "能说中文吗": yes, in that language from now on (the customer's language is set)."""
    return [turn.reply("language_switched", name=turn.name)]
