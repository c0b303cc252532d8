"""A customer's choice of replacement or refund for a faulty item, recorded on their case."""

from __future__ import annotations

import re

from crm_memory import Case, CaseKind
from handlers import followups
from handlers.acts import Act
from handlers.attributes import asks_express
from handlers.cases import AUTHOR, CHOICE_NOTE, chosen_on, current_case
from handlers.complaint import REPLACEMENT, complaint
from handlers.context import DEFECT, chosen_remedy, read_act
from handlers.dialogue import Told
from handlers.followups import asks_bare_why
from handlers.greeting import case_kind, only_missing
from handlers.orders import with_order
from handlers.questions import checks_back, is_question
from handlers.regions import region_named
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import ASKS_WHEN

# The remedy wanted in so many words, before the bot gave the choice: "I just want a new
# one", "replacement please", "直接给我换个新的", "给我退款吧".
_WANTS = re.compile(
    r"\b(?:i (?:just |only |really )?(?:want|need|would like|'d like|wanna)|i'?d (?:like|prefer|"
    r"rather)|just (?:send|give|get)|(?:send|give|get) me|can i (?:just )?(?:get|have)|"
    r"(?:please|pls|plz) (?:send|give|get)|"
    # Said for someone else: "my son wants a new pair", "she'd rather have the money back".
    r"(?:he|she|they|we|my \w+) (?:just |only |really )?(?:wants?|needs?|would (?:like|rather|"
    r"prefer)|'d (?:like|rather|prefer)|prefers?))\b.{0,25}\b(?:new one|replacement|"
    r"replace (?:it|them)|new (?:pair|set|unit|item)|another (?:one|pair)|"
    r"exchange|swap|refund|money back)\b|"
    r"\b(?:replacement|refund|new one|exchange)\s*(?:please|pls|plz)\b|"
    # One set against the other: "a new one rather than getting my money back", "a
    # replacement would be better than a refund", "换新的比退款好".
    r"\b(?:replacement|refund|new one|money back)\b\W{0,3}(?:rather than|instead of)\b|"
    r"\b(?:replacement|refund|new one|money back)\b.{0,20}\bbetter than\b|"
    r"(?:换(?:个|一个)?新的?|换货|退款|退钱)比(?:换(?:个|一个)?新的?|换货|退款|退钱)"
    r"(?:好|强|方便|划算|省事)|"
    # Asked of us, an item case open: "can you refund it", "could u just refund me".
    r"\b(?:can|could|would|will) (?:you|u) (?:please |pls |just |not )?(?:just )?"
    r"(?:refund|replace) (?:it|them|me|this|that|my money)\b|"
    r"^\W*(?:那|那就)?(?:能|可以|能不能|可不可以)(?:直接)?(?:给我|帮我)?(?:退款|退钱)(?:吗|不|么|嘛|呢)?\W*$|"
    r"(?:直接|给我|帮我|麻烦|我要|我想|要求|就想|只想)(?:给我|帮我)?.{0,4}"
    r"(?:换(?:一|个|一个)?新的?|换货|换一个|补发|重新发|(?:寄|发)(?:一|个|一个)?新的|退款|退钱)|"
    r"(?:换个新的|换新的|换货|退款|退钱)(?:吧|就行|就好|得了)",
    re.IGNORECASE,
)
# The item itself asked for again with an item case open, a change of mind back from a
# refund ("no wait send me the mouse, i do need it", "还是给我补发吧", "算了还是换吧").
_SEND_ITEM = re.compile(
    r"\b(?:re-?send|send|give|get|ship|post) (?:me |us )?(?:the|a|my|it|one|them|another)\b"
    r"(?! (?:label|return label|tracking|link|invoice|receipt|code|details|number|e-?mail|"
    r"(?:real |proper |live )?(?:person|human|agent|manager|supervisor|someone)))|"
    r"\bi (?:do |still |really )?(?:need|want) (?:it|them|one|the \w+)(?: after all| actually)?\b"
    r"(?!.{0,20}\b(?:refund|money)\b)|"
    r"还是(?:给我|帮我)?(?:要|想要)?(?:补发|补|发|寄|换)|还是要(?:新的|那个|这个)|我还是需要|"
    r"(?:给我|帮我)(?:补发|补上|补一个|补个|寄过来|发过来)|"
    # The right item asked for: "直接给我发个对的就行", "重新寄一个我买的那款".
    r"(?:发|寄|换)(?:个|一个|一件|回)?(?:对的|正确的|我(?:买|订|要|下单)的(?:那个|那款|那件)?)|"
    # The resend named alone, to the offer of one: "resend it", "补发吧", "那就重新发一个".
    r"^\W*(?:ok(?:ay)?|so|then|fine|yes|yeah|just|pls|please)?[\s,]*(?:a )?"
    r"(?:re-?send(?: it| them)?|new one)(?: (?:then|please|pls|plz))?\W*$|"
    r"^\W*(?:好的?|行|嗯|那|那就|就)?\s*(?:补发|重发|重新发(?:一个|一件)?|再发(?:一个|一件)?)"
    r"(?:吧|呗|就行|就好|好了)?\W*$",
    re.IGNORECASE,
)
# The case kinds the item is sent again (or refunded) for.
_ITEM_KINDS = frozenset({"faulty", "wrong", "missing"})
# Either remedy is fine with the customer: "replacement or refund, either is fine", "whichever
# is quicker", "给我补发或者退款都行", "换货退款都可以", "哪个快就哪个".
_EITHER = re.compile(
    r"\b(?:replacement|refund|new one|resend|money back)\b.{0,25}\bor\b.{0,25}"
    r"\b(?:either|whichever|any|both|don'?t mind|dont mind|fine|ok|okay|whatever)\b|"
    r"\beither (?:one |way )?(?:is |works|would|'?s )|\bwhichever(?: one)? is (?:quicker|faster|"
    r"easier|sooner)\b|\b(?:i )?(?:don'?t|dont) mind which\b|"
    r"(?:补发|换货|换新的?|换一个|重发|退款|退钱).{0,6}(?:或者|或|还是|跟|和|、|/).{0,4}"
    r"(?:补发|换货|换新的?|换一个|重发|退款|退钱).{0,4}(?:都行|都可以|都好|都ok|都成|随便|都无所谓)|"
    r"哪个快.{0,4}(?:就)?(?:哪个|选哪个)|(?:哪个|哪种)都(?:行|可以)",
    re.IGNORECASE,
)


def either_remedy(text: str) -> bool:
    """True when the customer says a replacement and a refund would both do."""
    return _EITHER.search(text) is not None


# How or when it goes, not which: "how long does a replacement take", "换货要多久".
_HOW = re.compile(
    r"\bhow\b|\bwhen\b|\bhave to\b|\bneed to\b|\bdo (?:i|u|you|we)\b|多久|几天|怎么|什么时候|"
    r"啥时候|流程|要先|需要先|得先|是不是|要不要",
    re.IGNORECASE,
)
# How a return goes, asked ("do i have to send the broken one back first", "can I drop it
# at a post office", "要先寄回去吗", "退货要我自己出运费吗"): the FAQ answers, even while a
# case about the faulty item is open.
_RETURN_HOW = re.compile(
    r"\b(?:send|post|ship|mail|return|take|drop|bring)\b.{0,30}\b(?:back first|first|post office|"
    r"locker|parcel shop|drop-?off|collect(?:ed|ion)?)\b|"
    r"\bwho pays\b.{0,20}\b(?:return|postage|shipping|sending)|"
    r"\b(?:do|will) i (?:have|need) to (?:pay|send|return|post)\b.{0,30}\b(?:back|return|postage)|"
    r"\b(?:pay|postage|shipping)\b.{0,20}\b(?:send(?:ing)? it back|return(?:ing)? it|the return)\b|"
    r"\bdrop (?:it|them)(?: off)? at\b|"
    r"(?:要|需要|得)(?:先)?(?:寄回|退回|寄回去)|先寄|寄回(?:去)?(?:吗|么)|退(?:货|回).{0,8}(?:运费|邮费)|"
    r"(?:退|寄回|退回).{0,10}(?:运费|邮费)|(?:运费|邮费).{0,6}(?:退|寄回)|(?:放|寄到?|拿到)(?:驿站|快递柜|邮局)|上门取",
    re.IGNORECASE,
)


# What the customer wants done about the problem they just told, said as a wish not a
# question: "and i want the extra money back", "pls refund me", "send a new one", "多扣的要退
# 回来", "把钱退给我", "给我换个新的".
_WANTS_DONE = re.compile(
    r"\b(?:money|cash|refund|extra|difference|overcharge|charge|it|them)\b.{0,12}\bback\b|"
    r"\b(?:refund|reimburse|credit)(?:ed)? (?:me|it|that|this|the)\b|"
    r"\b(?:want|need|expect|would like|'d like|wanna)\b.{0,20}\b(?:refund|money back|"
    r"replacement|new one|reversed|returned|sorted|fixed)\b|"
    r"\b(?:send|give|get) me (?:a |my )?(?:new one|replacement|refund|money back)\b|"
    r"退(?:回来|回给我|给我|还给我|回)|(?:把|将)?钱(?:退|还|返)|退钱|退款|返还|还给我|还我|"
    r"换(?:一|个|一个)?新的|补发|重新发",
    re.IGNORECASE,
)


def wants_done(text: str) -> bool:
    """True for a wish about the problem told beside it, not a question: "i want the extra
    money back", "多扣的要退回来" ("how long does a refund take" asks, so not this)."""
    return (
        _WANTS_DONE.search(text) is not None
        and not is_question(text, form=True)
        and _HOW.search(text) is None
    )


# The item asked to be sent as a request in a question's form: "can you just send the right
# one", "could u send the mouse pls", "能不能直接给我补发一个", "可以给我重新发一个吗" (not "can i
# just keep it and get a new tray sent as well": a question for the team).
_ASKS_TO_SEND = re.compile(
    r"^\W*(?:so|ok|okay|then|well|pls|please)?[\s,]*(?:can|could|would|will|cant|can'?t) "
    r"(?:you|u|ya|ye)(?: guys| not)? (?:please |pls |plz |just |maybe |kindly )*"
    r"(?:re-?send|send|ship|post|give|get) (?:me |us )?(?:the|a|my|it|one|them|another|a new)\b|"
    r"^\W*(?:那|那就)?(?:能不能|能|可以|可不可以|可否|麻烦)(?:直接|就)?(?:给我|帮我)?"
    r"(?:补发|补一个|补个|重新发|重发|再发|寄(?!到|往|去))",
    re.IGNORECASE,
)
# What a wrong or faulty item's case does with the item: sending it back, asked ("do i need
# to send the pink one back", "what do i do with the wrong one", "错的那个要寄回去吗", "坏的
# 怎么处理"), answered from the case, not with the change-of-mind return rules.
_ITEM_BACK = re.compile(
    r"\b(?:send|post|ship|mail|return|give) (?:the |this |that |it|them|my )?(?:\w+ )?"
    r"(?:one |ones |item |thing )?back\b|\breturn (?:it|them|the \w+(?: one)?)\b|"
    r"\bwhat (?:do|should|shall) i do with (?:it|them|the)\b|"
    r"寄回|寄还|还回去|(?:错的|坏的|发错的|那个|这个|旧的).{0,6}(?:怎么处理|咋处理|怎么办|咋办|退回)",
    re.IGNORECASE,
)


# How the way back goes, not whether: first or not, who pays, where to drop it ("要先寄回去吗",
# "do i have to send it back first", "退货要我自己出运费吗"): the FAQ's answers.
_RETURN_DETAIL = re.compile(
    r"\bfirst\b|\bbefore\b|\bpay|\bpostage\b|\bshipping\b|\bcost|\bpost office\b|\blocker\b|"
    r"\bdrop\b|\bcollect|先|运费|邮费|驿站|快递柜|邮局|上门",
    re.IGNORECASE,
)


def asks_item_back_on_case(turn: Turn) -> bool:
    """True when, a case open about a wrong or faulty item, the customer asks whether or how
    the item goes back ("do i need to send the pink one back", "错的那个要寄回去吗"): the
    case's own path (the team sends the label), never the change-of-mind returns policy."""
    text = turn.message.text
    if _ITEM_BACK.search(text) is None or not is_question(text):
        return False
    if _RETURN_DETAIL.search(text):
        return False  # "do i have to send the broken one back first?": the FAQ says how
    return item_case_open(turn)


def asks_how_to_return(text: str) -> bool:
    """True when the customer asks how sending an item back goes (first or not, where to
    drop it, who pays the postage)."""
    return _RETURN_HOW.search(text) is not None and is_question(text, form=True)


# A replacement turned down or doubted, often as a question: "why would i want a replacement
# thatll just break too", "another one? no thanks", "换了还不是一样坏", "还换？算了吧", "换新的
# 有啥用". The refund is what is left.
_DOUBTS_REPLACEMENT = re.compile(
    r"\bwhy (?:would|should|do|'?d) (?:i|we) (?:want|need|take|get|accept)\b.{0,15}"
    r"\b(?:replacement|new one|another(?: one)?|exchange|same (?:thing|one))\b|"
    r"\b(?:replacement|new one|another one|exchange|same one)\b.{0,20}"
    r"\b(?:(?:will|would|'?ll|ll|gonna|going to|just|probably) (?:just |only |also |probably )?"
    r"(?:break|fail|die|stop working|do the same|be the same|have the same)|"
    r"break(?:s)? (?:too|as well|again))\b|"
    r"\b(?:another|a new|a replacement|new)(?: (?:one|replacement))?\s*[?？]+\s*"
    r"(?:no|nah|nope|no thanks|no way|pass|what for|seriously|lol|for what)\b|"
    r"\b(?:what'?s|whats) the point (?:of|in) (?:a |another |getting )?"
    r"(?:replacement|new one|another|one more)\b|"
    r"\bnot (?:another|a replacement|a new one|again)\b.{0,10}\b(?:thanks|please|pls)\b|"
    r"\b(?:no|don'?t want|dont want|not taking) (?:more |another |a )?"
    r"(?:replacements?|new ones?)\b|"
    r"换了?(?:也|还)?(?:还不是|不也是|也是|还是|照样|一样|肯定|估计)(?:一样|会|要|得)?坏|"
    r"换(?:个|一个)?新的?(?:有|又有)?(?:啥|什么|个啥)用|"
    r"还换(?:啥|什么|个啥)?[?？!！\s]*(?:算了|不要|不换|拉倒|得了)|"
    r"(?:不想|不要|别|不用)(?:再)?换(?:了|货)|再换(?:一个|一次)?(?:也|还)(?:是)?(?:一样|会坏|坏)",
    re.IGNORECASE,
)


def refuses_replacement(turn: Turn) -> bool:
    """True when the customer turns down or doubts a replacement for a faulty item, with an
    item case open ("another one? no thanks", "换了还不是一样坏"): not a yes to it, nor a
    question about how replacements go."""
    text = turn.message.text
    if _DOUBTS_REPLACEMENT.search(text) is None or _REMEDY_REFUND_ASKED.search(text):
        return False
    return item_case_open(turn)


# The refund named too ("no replacement, just refund me"): the choice reading has it.
_REMEDY_REFUND_ASKED = re.compile(r"refund|money back|退款|退钱", re.IGNORECASE)


def wants(turn: Turn) -> bool:
    """True when the customer asks for a replacement or a refund (offered the choice or not,
    a change of mind too): with the problem in the same message, or with a complaint case
    open; the item asked for again ("no wait send me the mouse") with an item case open."""
    text = turn.message.text
    # ("能寄到加拿大不", "can u ship to canada": where the shop delivers. The regions' scan is
    # the costly check, so it runs last, only for a message otherwise read as a wish.)
    return _wants(turn, text) and region_named(text) is None


def _wants(turn: Turn, text: str) -> bool:
    if _HOW.search(text):
        return False
    if either_remedy(text) and not is_question(text, form=True):
        return item_case_open(turn) or lost_case_open(turn)
    if _resends(turn):
        return True
    if lost_case_open(turn) and not item_case_open(turn):
        # A parcel that never came: sent again is the choice here (its refund is the lost
        # parcel's own reading, handlers/lost_parcel.py).
        return _resends(turn, lost=True)
    if asks_swap(text):
        # "能换吗", "can i swap it" with a wrong or faulty item's case open: the replacement
        # asked for (not the e-mail change nor the size-and-colour exchange its "换" is near).
        return item_case_open(turn)
    if _WANTS.search(text) is None or chosen_remedy(text) is None:
        return False
    return item_case_open(turn) or DEFECT.search(text) is not None


# A bare question whether the item can be swapped, naming nothing else to change: "能换吗",
# "可以换货不", "那能换一个吗", "can i swap it?", "could you exchange them", "can i get it
# replaced". (Not "能换个颜色吗" nor "can i swap it for a L": another size or colour.)
_ASKS_SWAP = re.compile(
    r"^\W*(?:so|and|ok|okay|then|well)?[\s,]*(?:can|could|may|do|will) (?:i|we|you|u) "
    r"(?:please |pls |just |still )?(?:swap|exchange|change|replace|get (?:it|them|this) "
    r"(?:swapped|exchanged|replaced)|get (?:a|the) (?:right|correct) one)"
    r"(?: (?:it|them|this|that|one))?(?: (?:then|instead|please|pls|for the right one|"
    # "could i swap it rather than get a refund": the replacement, the refund put aside.
    r"(?:instead of|rather than) (?:getting |get |having )?(?:a |the |my )?(?:refund|money back|"
    r"money)|"
    r"for the (?:one|thing) i (?:ordered|bought)|(?:for|with) (?:a|another) "
    r"(?:new|working|good|fresh)? ?one))*\W*$|"
    r"^\W*(?:那|那我|那就)?(?:能|可以|能不能|可不可以|可否|是否可以)?(?:给我|帮我)?"
    r"(?:换|换货|换一个|换一下|换个|调换|更换)"
    r"(?:成对的|个对的|成我买的|新|成新的|个?新的|一个新的|个?好的|个?能用的|个?正常的|个?没坏的)?"
    r"(?:吗|不|么|嘛|吧|呢|没|呗|行不|行吗|行不行|可以吗|好吗|成吗|可以不)?\W*$",
    re.IGNORECASE,
)


def asks_swap(text: str) -> bool:
    """True for a bare "can i swap it" / "能换吗": whether the item can be exchanged."""
    return _ASKS_SWAP.search(text.strip()) is not None


def asks_to_send(text: str) -> bool:
    """True when the words ask for the item to be sent ("just send the right one", "给我补发
    一个", "can you send me a new one"), whatever case is open."""
    return bool(_ASKS_TO_SEND.search(text.strip()) or _SEND_ITEM.search(text))


def _resends(turn: Turn, *, lost: bool = False) -> bool:
    """True when the item is asked for again with a case open about a faulty, wrong or
    missing item (``lost``: about a parcel that never came), a refund not asked for in the
    same words."""
    text = turn.message.text
    # "can you just send the right one": a request in a question's form (searched once).
    requested = _ASKS_TO_SEND.search(text.strip()) is not None
    if not (requested or _SEND_ITEM.search(text)) or chosen_remedy(text) == "refund":
        return False
    if requested and asks_express(text):
        # "can you send it express": how it is sent, for the case's express (attributes).
        return False
    # "can i just keep it and get a new tray sent as well": a question for the team.
    asked = is_question(text, form=True) and not requested
    return not asked and (lost_case_open(turn) if lost else item_case_open(turn))


def item_case_open(turn: Turn) -> bool:
    """True with a complaint case open about a faulty, wrong or missing item (a parcel that
    never came has no item to replace: its refund is the carrier's check first)."""
    return any(
        c.kind is CaseKind.COMPLAINT and case_kind(c) in _ITEM_KINDS
        for c in turn.context.open_cases
    )


def lost_case_open(turn: Turn) -> bool:
    """True with a complaint case open about a parcel that never came (late, lost, or shown
    delivered and not received): what is sent again is the whole parcel."""
    return any(
        c.kind is CaseKind.COMPLAINT and case_kind(c) == "late" for c in turn.context.open_cases
    )


async def record_choice(turn: Turn) -> list[Reply]:
    """ "yes a replacement please" / "换个新的吧", after the bot gave the choice or before:
    on the open case (the customer's words with the others, and a note agents see at a
    glance), and what happens next. With no case open, the problem opens one first, and the
    choice is not offered again: it was just made. A replacement turned down ("another one?
    no thanks") is the refund chosen, said back as such."""
    text = turn.message.text
    refused = refuses_replacement(turn)
    either = not refused and either_remedy(text)
    if refused:
        choice = "refund"
    elif either:
        choice = "replacement"  # usually the quicker; the note says either is fine
    else:
        choice = "replacement" if _resends(turn) else chosen_remedy(text) or "replacement"
    case = await current_case(turn)
    if case is not None and case_kind(case) == "late" and not item_case_open(turn):
        return await _lost_choice(turn, case, choice, either=either)
    opened: list[Reply] = []
    if case is None:
        turn.outcome.said.setdefault(REPLACEMENT, 0)
        opened = await complaint(turn)
        if turn.outcome.case is None:
            return opened
        number = turn.outcome.case
    else:
        number = case.number
        await _add_words(turn, case)
    said = "said in the chat" + ("; turned down a replacement" if refused else "")
    before = await _note_choice(
        turn, number, choice, said=said, either="a replacement or a refund" if either else None
    )
    changed = before is not None and before != choice
    if choice == "replacement":
        turn.explained(Told.REPLACEMENT)  # "how long?" next: when the new one comes
    else:
        turn.explained(Told.REFUND)  # "why?" next: why the refund waits for the item
    # A missing part: nothing goes back, so no return label; the part is sent or refunded.
    missing = only_missing((await turn.deps.cases.get(number)).summary)
    kind = "missing_" if missing else ""
    noted = turn.say(
        f"remedy_noted_{kind}".rstrip("_"),
        number=number,
        choice=turn.say(f"choice_{kind}{choice}"),
        next=turn.say(f"remedy_next_{kind}{choice}"),
    )
    gap = "" if turn.language == "zh" else " "  # Chinese sentences run on without a space
    if changed:
        earlier = turn.say(f"choice_{kind}{before}")
        noted = f"{turn.say('remedy_changed', before=earlier)}{gap}{noted}"
    if refused and not changed:
        noted = f"{turn.say('remedy_refused_replacement')}{gap}{noted}"
    if either:
        noted = f"{turn.say('remedy_either')}{gap}{noted}"
    return [*opened, Reply(noted)]


async def _add_words(turn: Turn, case: Case) -> None:
    """The customer's words on the open case (with the order in play), which is this turn's."""
    turn.outcome.case = case.number
    line = turn.message.text.strip()
    await turn.deps.cases.update(
        case.number, summary=with_order(f"{case.summary}\n{line}".strip(), turn.order_in_play)
    )


async def _note_choice(
    turn: Turn, number: int, choice: str, *, said: str, either: str | None
) -> str | None:
    """The latest choice stands: a note of its own (author, time) agents see at a glance,
    never parsed back out of the summary; a change of mind says which one it replaces.
    Returns the earlier choice, if any."""
    before = await chosen_on(turn, number)
    note = f"{CHOICE_NOTE}{choice} ({said})"
    if either is not None:
        note += f"; either is fine with the customer ({either})"
    if before is not None and before != choice:
        note += f"; replaces the earlier choice: {before}"
    await turn.deps.cases.add_note(number, author=AUTHOR, text=note)
    return before


async def _lost_choice(turn: Turn, case: Case, choice: str, *, either: bool) -> list[Reply]:
    """A parcel that never came: the customer's choice (sent again, or refunded) noted on
    its case, and what happens first (the carrier's check), then the choice, and when."""
    number = case.number
    await _add_words(turn, case)
    await _note_choice(
        turn,
        number,
        choice,
        said="said in the chat; the parcel never came",
        either="sent again or a refund" if either else None,
    )
    turn.explained(Told.REPLACEMENT if choice == "replacement" else Told.LOST_PARCEL_REFUND)
    noted = turn.reply(f"lost_choice_{choice}", number=number).text
    if either:
        noted = f"{turn.say('remedy_either_lost')} {noted}"
    return [Reply(noted)]


# The Reading detail of "why?" right after the choice was noted (handlers/readings.py).
WHY = "remedy_why"


def asks_why(turn: Turn) -> bool:
    """True for a bare "why", "how come", "为啥", "怎么会这样" right after a replacement or a
    refund was noted on the case with what happens next (the refund after the item is back,
    the new one once the old one is on its way): the reason for that, not the case's status."""
    dialogue = turn.dialogue
    return (
        (dialogue.told_just_now(Told.REFUND) or dialogue.told_just_now(Told.REPLACEMENT))
        and not turn.parse.orders
        and asks_bare_why(turn.message.text)
    )


async def why(turn: Turn) -> list[Reply]:
    """Why the remedy goes as it does; the subject stays the remedy ("how long?" next)."""
    told = Told.REFUND if turn.dialogue.told_just_now(Told.REFUND) else Told.REPLACEMENT
    turn.explained(told)
    key = "remedy_why_refund" if told is Told.REFUND else "remedy_why_replacement"
    return [turn.reply(key)]


# The Reading detail of a go-ahead (handlers/dispatcher.py routes it here).
GO_AHEAD = "go_ahead"
# A thumbs-up on its own: a yes to what was just said, not only "seen".
_THUMBS = re.compile(r"^\s*(?:👍|👌|✅|🙏|🆗)+(?:\s*[\U0001F3FB-\U0001F3FF])?\s*$")
# Asking for it to be done, in so many words, thanks or not: "great thx, pls sort it".
_GO_ON = re.compile(
    r"\b(?:sort (?:it|this|that)(?: out)?|go ahead|do (?:it|that|this)|(?:please|pls|plz) do|"
    r"proceed|fix it|get it sorted)\b|处理(?:一)?下|(?:办|弄|处理)吧|就这么办|就这样吧",
    re.IGNORECASE,
)
# A case asked for or about, in so many words: its own request.
_CASE_ASKED = re.compile(r"工单|\bcase\b|\bticket\b", re.IGNORECASE)
# The most a go-ahead says: longer, and it is saying something of its own.
_GO_AHEAD_LENGTH = 40


def goes_ahead(turn: Turn) -> bool:
    """True for "yes please sort it", "ok go ahead with that", "嗯嗯 麻烦处理下", "行 那就这么
    办吧", "👍" right after the bot opened or added to a case about a faulty, wrong or missing
    item, with no question of its own pending (a yes to an offer is that offer's)."""
    dialogue = turn.dialogue
    if dialogue.asked is not None or dialogue.case is None or "complaint" not in dialogue.intents:
        return False
    if dialogue.told_just_now(Told.CASE_ORDER):
        return False  # "好的" to "added order A-1506 to case #1": a nod, nothing to go ahead with
    text = turn.message.text.strip()
    if len(text) > _GO_AHEAD_LENGTH or turn.parse.orders or chosen_remedy(text) is not None:
        return False
    if _CASE_ASKED.search(text):
        return False  # "麻烦给我开个工单": a case asked for (the one open is named), not a yes
    if not item_case_open(turn):
        return False
    if _THUMBS.match(text) is not None or _GO_ON.search(text) is not None:
        return not is_question(text, form=True)
    return read_act(turn, text) is Act.AFFIRM


def checks_choice(turn: Turn) -> bool:
    """True for "so the refund is happening then?", "so I'm getting a new one right?", "那退款是
    在处理了吧" with a case about an item open: what is under way on it (``go_ahead``), not
    a refund waited on nor the refund rules."""
    text = turn.message.text
    return (
        chosen_remedy(text) is not None
        and checks_back(text)
        # ("那直接给我寄个新的吧" asks for it: a choice, not a check on one.)
        and _WANTS.search(text) is None
        and len(text) <= _GO_AHEAD_LENGTH * 2
        and not turn.parse.orders
        and item_case_open(turn)
    )


async def go_ahead(turn: Turn) -> list[Reply]:
    """What the go-ahead does: what is now under way on the case and what happens next, in
    a few words (the remedy chosen, or the choice still open), not the whole text again."""
    number = turn.dialogue.case
    case = await current_case(turn)
    if case is None or (number is not None and case.number != number):
        return [turn.reply("ack")]
    turn.outcome.case = case.number
    choice = await chosen_on(turn, case.number)
    if only_missing(case.summary):
        key = f"go_ahead_missing_{choice}" if choice == "refund" else "go_ahead_missing"
    else:
        key = f"go_ahead_{choice}" if choice is not None else "go_ahead_choose"
    if choice == "replacement":
        turn.explained(Told.REPLACEMENT)
    return [turn.reply(key, number=case.number)]


# The Reading detail of the postage asked with the item's case open.
POSTAGE = "postage_on_case"


# A faster delivery asked for: "upgrade my order to express", "switch it to next day",
# "能改加急吗" (not who pays for the case's postage).
_UPGRADE = re.compile(
    r"\b(?:upgrade|switch|change|move|put|make|sent|send|go|ship)\b.{0,25}"
    r"\b(?:express|next[- ]day)\b|改(?:成|为)?加急|升级",
    re.IGNORECASE,
)


def asks_postage_on_case(turn: Turn) -> bool:
    """True when, a case open about a faulty, wrong or missing item, the customer asks who
    pays the postage ("is the delivery on me this time", "这次邮费谁来付", "do i pay to send the
    broken one back"): the case's, both ways at our cost, not the refund routes nor the
    delivery prices of a new order."""
    text = turn.message.text
    if not followups.asks_postage(text) or not is_question(text):
        return False
    if turn.parse.orders:
        return False  # an order named: that order's shipping, its own question
    if asks_express(text) and _UPGRADE.search(text):
        return False  # "URGENT can you upgrade my order to express": express, not who pays
    if wants(turn):
        return False  # "send a new one, do i pay postage?": the choice first, on the case
    return item_case_open(turn)


async def postage_on_case(turn: Turn) -> list[Reply]:
    """Who pays the postage for the item's case: nothing for the customer, the free label
    for the item going back (none for a missing one) and the new one sent at our cost."""
    case = await current_case(turn)
    if case is None:
        return [turn.reply("help")]
    turn.outcome.case = case.number
    if only_missing(case.summary):
        key = "case_postage_missing"
    elif await chosen_on(turn, case.number) == "refund":
        key = "case_postage_refund"  # nothing comes back to them: only the way back
    else:
        key = "case_postage"
    return [turn.reply(key, number=case.number)]


# The Reading detail of the item's way back asked with its case open.
ITEM_BACK = "item_back_on_case"


async def item_back(turn: Turn) -> list[Reply]:
    """Whether the wrong or faulty item goes back, answered from its case: a missing item has
    nothing to send; otherwise the team e-mails a free label with the case and says what to
    do, and a replacement does not wait for the parcel to reach us."""
    case = await current_case(turn)
    if case is None:
        return [turn.reply("help")]
    turn.outcome.case = case.number
    if only_missing(case.summary):
        return [turn.reply("case_item_back_missing", number=case.number)]
    kind = case_kind(case)
    item = turn.say("case_item_wrong" if kind == "wrong" else "case_item_faulty")
    return [turn.reply("case_item_back", number=case.number, item=item)]


# Where the remedy agreed on the item's case stands, asked: "is the new unit on its way
# yet?", "the new part sent yet?", "补的零件寄了没", "新的寄出来了吗" (SENT_YET); what the
# customer does with the item meanwhile, "should i hang on to the dud till the new unit
# lands?", "must it go back before anything", "坏的先留着等新的到吗" (KEEP_OR_SEND). Answered
# from the case (the remedy chosen, its next step), never an order's status nor the returns
# policy.
SENT_YET = "remedy_sent_yet"
KEEP_OR_SEND = "remedy_keep_or_send"
_NEW_ONE = re.compile(
    r"\b(?:replacement|replacment|replacemnt|new one|new \w+|spare|part|parts|exchange|"
    r"the other one|missing (?:one|bit|piece|\w+))\b|"
    r"配件|零件|部件|新的|换的|补发的|补的|换货|缺的",
    re.IGNORECASE,
)
_SHIPPED = re.compile(
    r"\b(?:ship(?:ped|s)?|sent|send|dispatch(?:ed)?|posted|mailed|on (?:its|it'?s|the) way|"
    r"out for delivery|left|go(?:ne)? out|tracking)\b|"
    r"发(?:了|出|货|走|过来)|寄(?:了|出)|发没|寄没|在路上|单号|物流",
    re.IGNORECASE,
)
_KEEP = re.compile(
    r"\b(?:keep|hold on ?to|hang on ?to|hold onto|hang onto|store|use)\b[^.?!]{0,30}?"
    r"\b(?:until|till|til|before|while|in the meantime|meanwhile)\b|"
    r"(?:留着|先留|保留|先放着|先用着).{0,10}(?:等|到|吗|么|嘛|不)",
    re.IGNORECASE,
)
# Sending it back first asked ("must it go back before anything", "要先寄回去吗"): from the
# case once a remedy is chosen on it (before, the FAQ's answer says how returns go first).
_BACK_FIRST = re.compile(
    r"\bback first\b|\bbefore (?:the|i get the|you send the) (?:new|replacement)\b|"
    r"先寄回|要先(?:寄|退)",
    re.IGNORECASE,
)


async def asks_remedy_state(turn: Turn) -> str | None:
    """``SENT_YET`` or ``KEEP_OR_SEND`` for a question about the remedy of the item's open
    case (see above), else None."""
    text = turn.message.text
    if turn.parse.orders or not item_case_open(turn) or len(text) > 90:
        return None
    if not is_question(text) and _ASKED.search(text) is None:
        return None
    if _KEEP.search(text):
        return KEEP_OR_SEND
    if _BACK_FIRST.search(text):
        case = _item_case(turn)
        chosen = None if case is None else await chosen_on(turn, case.number)
        return KEEP_OR_SEND if chosen is not None else None
    if (
        _NEW_ONE.search(text)
        and _SHIPPED.search(text)
        and _STATE_ASKED.search(text)
        and ASKS_WHEN.search(text) is None
    ):
        # ("when does the new one ship", "新的什么时候寄出" ask its time: handlers/timing.py.)
        return SENT_YET
    return None


# Whether it has happened, asked ("shipped yet?", "has it been sent", "is the new one on its
# way", "发了没", "寄出来了吗"), not a wish ("can i get a new tray sent as well").
_STATE_ASKED = re.compile(
    r"\byet\b|\balready\b|^\W*(?:(?:so|and|ok|hi|hey)\W+)*(?:has|have|did|is|was|are)\b|"
    r"\b(?:has|have|did|is|was|are) (?:the|my|it|they|that)\b|"
    r"了没|了吗|了么|了嘛|没有?[?？]*$|出来了",
    re.IGNORECASE,
)
# A question without its mark ("补的零件寄了没", "the new unit sent yet").
_ASKED = re.compile(r"\byet\b|\bdo i\b|\bshould i\b|没|吗|么|嘛|不", re.IGNORECASE)


def _item_case(turn: Turn) -> Case | None:
    """The newest open complaint case about a faulty, wrong or missing item."""
    cases = [
        c
        for c in turn.context.open_cases
        if c.kind is CaseKind.COMPLAINT and case_kind(c) in _ITEM_KINDS
    ]
    return max(cases, key=lambda c: c.opened_at) if cases else None


async def remedy_state(turn: Turn, detail: str) -> list[Reply]:
    """Where the case's remedy stands, or what to do with the item meanwhile: from the
    remedy chosen on the case (replacement, refund, the missing part), none yet asked for."""
    case = _item_case(turn)
    if case is None:
        return [turn.reply("help")]
    turn.outcome.case = case.number
    choice = await chosen_on(turn, case.number)
    if only_missing(case.summary):
        which = "missing_refund" if choice == "refund" else "missing"
    else:
        which = choice or "none"
    if which in ("replacement", "missing"):
        turn.explained(Told.REPLACEMENT)  # "how long?" next: when the new one comes
    step = "sent_yet" if detail == SENT_YET else "keep"
    return [turn.reply(f"remedy_{step}_{which}", number=case.number)]
