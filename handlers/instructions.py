"""Delivery instructions ("leave it with next door", "放门卫"): noted on a case for the order."""

from __future__ import annotations

import logging
import re

from crm_memory import CaseKind, CaseStatus, Direction, Priority
from handlers.agents import close_for_rating
from handlers.clauses import ideographs
from handlers.context import DEFECT, corrected_address, says_not_received, written_address
from handlers.delivery_options import names_option
from handlers.greeting import ORDER_LINE, case_kind
from handlers.inquiry import order_number
from handlers.orders import OrderLookupError, names_order, with_order
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply
from nlu import FALLBACK

logger = logging.getLogger(__name__)

REASON = "delivery instruction"
# What the engine may read an instruction as: a delivery question, the order it is about,
# or nothing it knows. (A complaint stays a complaint: "they left it outside and it's gone".)
INTENTS = ("ask_delivery", "ask_order_status", FALLBACK)

# Where or how the parcel should be left, said as an instruction: "leave it with next door",
# "put it in the locker", "ring twice", "放门卫", "放快递柜", "备注放邻居家", "先打我电话".
_EN = re.compile(
    r"\b(?:leave|put|drop|hand|give)\s+(?:it|them|the (?:parcel|package|box|order)|my "
    r"(?:parcel|package|order)|at|with|in|on|to|by|behind|through)\b.{0,40}?"
    r"\b(?:neighbou?rs?|next door|door(?:step)?|porch|reception|concierge|porter|caretaker|"
    r"security|gate|garage|shed|locker|letterbox|mailroom|garden|bin|number \d+|no\.? ?\d+|"
    r"front|back|safe place|outside|downstairs|shop)\b|"
    r"\b(?:ring|knock|call me|text me|phone me)\b.{0,30}\b(?:bell|twice|loud|when|before|close)\b|"
    r"\bdelivery notes?:|\bgate code\b|\bcode for the (?:gate|door)\b",
    re.IGNORECASE,
)
_ZH = re.compile(
    r"放(?:在)?(?:门卫|快递柜|丰巢|驿站|菜鸟|物业|前台|门口|家门口|邻居|隔壁|保安|传达室|收发室|大堂|"
    r"楼下|一楼|车库|鞋柜)|交给(?:门卫|邻居|物业|前台|保安)|(?:先|到了)?打(?:我)?电话|"
    r"别打电话|发短信就行|敲门|备注(?:一下)?放|代收"
)
# "can they leave it with a neighbour?" asks how it works (the FAQ says); said with an
# order, it is what the customer wants for that order.
_QUESTION_ONLY = re.compile(r"^\s*(?:what if|what happens|how do|how does|如果|要是)", re.I)


# What the customer asked the courier to do, in our words: the reply says what was
# understood, never the customer's message quoted back (the team gets the whole message on
# the case). In order; a message may ask for two ("leave it at the door and ring first").
_WHAT = (
    (
        re.compile(r"\b(?:neighbou?rs?|next door|number \d+|no\.? ?\d+)\b|邻居|隔壁", re.I),
        ("leave it with your neighbour", "放邻居家"),
    ),
    (
        re.compile(r"\b(?:parcel )?lockers?\b|快递柜|丰巢|柜子", re.I),
        ("put it in the parcel locker", "放快递柜"),
    ),
    (
        re.compile(r"\bpick[- ]?up point\b|\bshop\b|驿站|菜鸟|代收点", re.I),
        ("leave it at the pick-up point", "放驿站/代收点"),
    ),
    (
        re.compile(
            r"\b(?:reception|concierge|porter|caretaker|security|mailroom)\b|"
            r"门卫|保安|传达室|收发室|物业|前台|大堂",
            re.I,
        ),
        ("leave it at reception or with the concierge", "放门卫/前台"),
    ),
    (
        # A place named ("behind the side gate", "放车库"): that place, in the reply too.
        re.compile(
            r"\b(?:by|at|in|on|of|behind|under|next to|beside|round|through) (?:the |my |our )?"
            r"(?:\w+ )?(porch|door|doorstep|garden|shed|garage|bin|letterbox|gate|mat)\b|"
            r"放(?:在)?(门口|家门口|鞋柜|车库|楼下|一楼)",
            re.I,
        ),
        ("leave it by the {0}", "放{0}"),
    ),
    (
        re.compile(
            r"\b(?:porch|(?<!next )door(?:step)?|outside|garden|shed|garage|bin|safe place|behind|"
            r"letterbox|front|back|gate)\b|门口|鞋柜|车库|楼下|一楼",
            re.I,
        ),
        ("leave it in a safe place at your door", "放门口"),
    ),
    (
        re.compile(r"\b(?:office|work ?place|work address)\b|公司|单位|办公室", re.I),
        ("deliver it to your workplace", "送到您公司"),
    ),
    (
        re.compile(r"\b(?:ring|knock|call me|text me|phone me)\b|打(?:我)?电话|发短信|敲门", re.I),
        ("ring or call you first", "送前先联系您"),
    ),
    (
        re.compile(r"\b(?:gate|door) ?code\b|\bcode for the\b|门禁", re.I),
        ("use the door code you gave", "用您给的门禁密码"),
    ),
)
# "not the door, the locker": what comes after a refusal is the instruction.
_NOT_THIS = re.compile(
    r"\b(?:not|don'?t|dont|never)\b[^,.;!?]{0,30}|(?:别|不要|不用)[^\s，。,！!？?]{0,6}", re.I
)
# The instruction replaces the one given before: "actually", "算了 还是放快递柜吧".
_REPLACES = re.compile(
    r"\b(?:actually|instead|rather|scratch that|change (?:it|that)|never ?mind|"
    r"on second thought)\b|"
    r"算了|还是|改成|改为|换成|改放",
    re.IGNORECASE,
)


def instruction_gist(text: str, language: str) -> str | None:
    """What the customer asked the courier to do, in our words and the reply's language
    ("leave it with your neighbour" / "放邻居家"), or None when it names nothing we know."""
    kept = _NOT_THIS.sub(" ", text)
    index = 1 if language == "zh" else 0
    found: list[str] = []
    for pattern, words in _WHAT:
        match = pattern.search(kept)
        if match is None:
            continue
        place = next((g for g in match.groups() if g), None)
        if "{0}" in words[index] and (place is None or place.isascii() == (index == 1)):
            continue  # (a place said in the other language: the general words instead)
        found.append(words[index].format(place.lower() if place else ""))
    found = _one_place(found)[:2]
    if not found:
        return None
    return ("，" if index else " and ").join(found)


def _one_place(found: list[str]) -> list[str]:
    """A place named ("leave it by the gate") makes the general "a safe place" redundant."""
    named = any(f.startswith(("leave it by the ", "放")) and "{" not in f for f in found[:1])
    general = {"leave it in a safe place at your door", "放门口"}
    if named and len(found) > 1:
        return [found[0], *(f for f in found[1:] if f not in general)]
    return found


# The facts of a detail the driver needs, kept as said: who ("Mrs Okafor", "王师傅"), which
# door or number ("the blue door", "no. 12", "南门", "3号楼"). The rest is not repeated.
_FACTS = re.compile(
    r"\b(?:Mrs|Mr|Ms|Miss|Dr)\.? [A-Z][a-z]+|\b(?:no\.?|number|flat|apt|unit) ?\d+\w?\b|"
    r"\bthe \w+ (?:door|gate|house|building)\b|\b(?:gate|door) ?code:? ?\w+|"
    r"\b(?:a|the) (?:\w+ )?(?:box|shed|hedge|fence|plant pot|bench)\b|"
    r"[\u4e00-\u9fff](?:师傅|阿姨|大爷|大妈|先生|女士|小姐)|[东南西北]门|\d+(?:号楼|栋)\d+单元\d+|"
    r"\d+(?:号楼|栋|单元|室|号|楼)",
    re.IGNORECASE,
)


def detail_facts(text: str) -> list[str]:
    """Who and which door a detail names, as said ("Mrs Okafor", "no. 12"), at most three."""
    found: list[str] = []
    for match in _FACTS.finditer(text):
        fact = match.group(0)
        if fact.lower() not in (f.lower() for f in found):
            found.append(fact)
    return found[:3]


def replaces_earlier(text: str) -> bool:
    """True when a new instruction replaces the one given before ("actually the locker")."""
    return _REPLACES.search(text) is not None


def is_instruction(text: str) -> bool:
    """True when the message tells us where or how the parcel should be left."""
    if _QUESTION_ONLY.search(text):
        return False
    return bool(_EN.search(text) or _ZH.search(text))


# The days (or parts of the day) someone is in, or not, said as plain words: "only open
# mondays", "nobody home on tuesday", "we're closed weekends", "out all day wednesdays",
# "周二家里没人", "只有周一开门", "白天没人在家". A day or a part of one must be named.
_EN_DAY = (
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?s?|weekdays?|weekends?|"
    r"mornings?|afternoons?|evenings?|nights?|daytime|(?:during )?the day"
)
_ZH_DAY = r"(?:周|星期|礼拜)[一二三四五六日天1-7]|周末|工作日|白天|上午|下午|晚上"
_WHEN_IN = re.compile(
    # Someone in then only: "only open mondays", "we're only in on saturdays".
    rf"\b(?:only|just)\s+(?:open|in|home|there|around|about|available|staffed)\b"
    rf"(?:\s+(?:on|in|at|during))?(?:\s+(?:the\s+)?)?(?:{_EN_DAY})\b|"
    rf"\b(?:open|in|home|there)\s+(?:on\s+)?(?:{_EN_DAY})\s+only\b|"
    rf"只有\s*(?:{_ZH_DAY}).{{0,4}}(?:有人|在家|开门|营业|上班|能收)|"
    rf"(?:{_ZH_DAY}).{{0,3}}才(?:有人|在家|开门|营业|能收)",
    re.IGNORECASE,
)
_WHEN_OUT = re.compile(
    # Nobody in then: "nobody home on tuesday", "not in till after 5 on weekdays", "closed
    # on weekends", "out all day wednesdays", "周二家里没人", "白天不在家", "周末不开门".
    rf"\b(?:nobody|no one|noone|no-one|nobody'?s|there'?s nobody|there'?s no one|"
    rf"not (?:in|home|around)|"
    rf"(?:i'?m|im|we'?re|were|i am|we are|i will be|i'?ll be|ill be|we'?ll be)\s+(?:not|never)|"
    rf"(?:i'?m|im|we'?re|i am|we are|i'?ll be|we'?ll be)\s+(?:out|away|at work)|"
    rf"(?:we'?re|we are|the (?:shop|office|business) is|it'?s|its)?\s*closed)\b"
    rf".{{0,25}}\b(?:{_EN_DAY})\b|"
    rf"(?:{_ZH_DAY}).{{0,4}}(?:没人|没有人|不在家|不在|不开门|不营业|休息|关门)|"
    rf"(?:没人|没有人|不在家|不开门|不营业|关门).{{0,3}}(?:{_ZH_DAY})",
    re.IGNORECASE,
)
# Said of a delivery that already went wrong ("nobody was home on tuesday so they took it
# back", "周二没人 快递就退回去了"): a missed delivery, not a note for the next one.
_WHEN_PAST = re.compile(
    r"\b(?:was|were|wasn'?t|weren'?t|came|tried|missed|left|took|didn'?t|did not)\b|"
    r"退回|送来过|来过|来了|没送|放哪了|结果",
    re.IGNORECASE,
)


# Said of the shop's team, not of who takes the parcel ("great so nobody till monday",
# "nobody answers at weekends", "周末都没人管"), or with a change asked that is its own
# request ("改送到我公司吧 白天家里没人" changes the address; the days are its reason).
_WHEN_OTHER = re.compile(
    r"\bnobody (?:till|until|before)\b|\b(?:answer|repl|respond|help|online|support|agent|"
    r"team|staff|you guys|customer service)|没人(?:管|理|回|处理|接待|负责|上班)|客服|人工|"
    r"\b(?:deliver|send|ship|redirect|change|switch)\b.{0,20}\b(?:to|address)\b|"
    r"送到|寄到|改送|改到|改地址|换地址|地址",
    re.IGNORECASE,
)


# Asked, not told: "what if nobody's home on friday", "what happens if im not in on
# saturday", "周五家里没人怎么办", "周六不在家咋办".
_WHAT_IF = re.compile(
    r"^\W*(?:(?:so|and|but|ok|hmm|um)\W+)*(?:what if|what happens if|what do i do if|"
    r"what should i do if|what now if|and if)\b|"
    r"^\W*(?:那|可是|但是)?(?:要是|如果|万一|假如)|怎么办|咋办|怎么弄|咋弄|咋整|如何是好|会怎样|会怎么样",
    re.IGNORECASE,
)
# The Reading detail of that question (handlers/dispatcher.py routes it to ``when_out``).
WHEN_OUT = "when_out_asked"
# The knowledge-base entry on nobody being in when the courier comes.
NOT_HOME = "delivery-not-home"


def asks_when_out(text: str) -> bool:
    """True when the customer asks what happens if nobody is in on a day ("what if nobody's
    home on friday", "周五家里没人怎么办"): a question about the delivery, not the team's
    hours nor a case's status."""
    if _WHAT_IF.search(text) is None or _WHEN_PAST.search(text) or _WHEN_OTHER.search(text):
        return False
    return _WHEN_OUT.search(text) is not None


def tells_when_in(text: str) -> bool:
    """True when the message says, as a statement, on which days (or parts of the day)
    someone can take a parcel, or cannot: a note for the courier."""
    if _QUESTION_ONLY.search(text) or _WHEN_PAST.search(text) or _WHEN_OTHER.search(text):
        return False
    return bool(_WHEN_IN.search(text) or _WHEN_OUT.search(text))


# Days and parts of a day, for the note said back in our words.
_DAY_WORDS = (
    (r"\bmon(?:day)?s?\b|(?:周|星期|礼拜)(?:一|1)", ("on Monday", "周一")),
    (r"\btues?(?:day)?s?\b|(?:周|星期|礼拜)(?:二|2)", ("on Tuesday", "周二")),
    (r"\bwed(?:nes)?(?:day)?s?\b|(?:周|星期|礼拜)(?:三|3)", ("on Wednesday", "周三")),
    (r"\bthu(?:rs?)?(?:day)?s?\b|(?:周|星期|礼拜)(?:四|4)", ("on Thursday", "周四")),
    (r"\bfri(?:day)?s?\b|(?:周|星期|礼拜)(?:五|5)", ("on Friday", "周五")),
    (r"\bsat(?:ur)?(?:day)?s?\b|(?:周|星期|礼拜)(?:六|6)", ("on Saturday", "周六")),
    (r"\bsun(?:day)?s?\b|(?:周|星期|礼拜)(?:日|天|7)", ("on Sunday", "周日")),
    (r"\bweekdays?\b|工作日", ("on weekdays", "工作日")),
    (r"\bweekends?\b|周末", ("at the weekend", "周末")),
    (r"\bmornings?\b|上午", ("in the morning", "上午")),
    (r"\bafternoons?\b|下午", ("in the afternoon", "下午")),
    (r"\bevenings?\b|\bnights?\b|晚上", ("in the evening", "晚上")),
    (r"\bdaytime\b|\bthe day\b|白天", ("during the day", "白天")),
)


def when_in_gist(text: str, language: str) -> str | None:
    """The note in our words ("come only on a Monday" / "只在周一送", "not come on a Tuesday,
    nobody's in then" / "周二别送（没人收）"), or None when it names no day."""
    index = 1 if language == "zh" else 0
    days = [words[index] for pattern, words in _DAY_WORDS if re.search(pattern, text, re.I)]
    if not days:
        return None
    zh = index == 1
    said = ("、" if zh else " or ").join(days[:2])
    if _WHEN_IN.search(text):
        return f"只在{said}送" if zh else f"come only {said}, when someone is there"
    return f"{said}别送（没人收）" if zh else f"not come {said}, as nobody is in then"


# Asked for, not told about ("can u leave it in the porch if nobody answers" reads like a
# complaint to the engine; "they put it outside and it got nicked" is one).
_REQUESTED = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|u|ya|they|the driver|the courier)\b.{0,12}"
    r"\b(?:leave|put|drop|hand|give|ring|knock|call|text|phone)\b|"
    r"\b(?:pls|please|plz)\b.{0,12}\b(?:leave|put|drop|hand|give|ring|knock|call|text|phone)\b|"
    r"^(?:\S+\s+)?(?:leave|put|drop|hand|give)\b|请.{0,4}放|麻烦.{0,4}放|帮我.{0,4}放|^(?:\S{0,12}\s*)?放",
    re.IGNORECASE,
)


async def applies(turn: Turn, intent: str) -> bool:
    """A delivery instruction about an order we know (named now, in play, or remembered),
    read as a delivery question, an order question, nothing known, or a complaint that
    asks for it and names no problem."""
    text = turn.message.text
    if not (is_instruction(text) or tells_when_in(text)) or order_number(turn) is None:
        return False
    if intent in INTENTS:
        return True
    return (
        intent == "complaint"
        and _REQUESTED.search(text) is not None
        and DEFECT.search(text) is None
        and not says_not_received(text)
    )


async def record(turn: Turn) -> list[Reply]:
    """Note the instruction on a case for the order (one case per order: a second
    instruction goes on the same case) and say honestly who must hear it: before dispatch
    our team adds it to the label; once the courier has it, the courier's tracking page is
    the only place the driver reads.
    """
    number = order_number(turn)
    assert number is not None  # checked by applies()
    order = None
    if turn.deps.orders is not None:
        try:
            order = await turn.deps.orders.find(number)
        except OrderLookupError as exc:
            logger.warning("order look-up failed: %s", exc)
    if order is not None and order.status in ("delivered", "cancelled"):
        return [turn.reply(f"instruction_{order.status}", order=order.number)]
    said = " ".join(turn.message.text.split())
    line = turn.say("instruction_line", instruction=said)
    what = _understood(turn, said, instruction=True)
    existing = next(
        (
            c
            for c in turn.context.open_cases
            if c.reason == REASON
            and c.status is not CaseStatus.CLOSED
            and names_order(c.summary, number)
        ),
        None,
    )
    if existing is None:
        # A case already open about this order (its parcel late): the note goes on it, not
        # on a second case for the same order.
        existing = next(
            (
                c
                for c in reversed(turn.context.open_cases)
                if c.status is not CaseStatus.CLOSED and names_order(c.summary, number)
            ),
            None,
        )
    if existing is not None:
        await turn.deps.cases.update(existing.number, summary=f"{existing.summary}\n{line}")
        case_number = existing.number
    else:
        case = await turn.deps.cases.open(
            customer_id=turn.customer_id,
            kind=CaseKind.INQUIRY,
            priority=Priority.NORMAL,
            reason=REASON,
            summary=with_order(line, number),
            topic="delivery",
        )
        case_number = case.number
    turn.outcome.case = case_number
    remember(turn, case_number, number)
    if order is not None and order.status == "shipped" and order.carrier:
        return [
            turn.reply(
                "instruction_shipped",
                order=number,
                number=case_number,
                carrier=order.carrier,
                tracking=order.tracking or "-",
                what=what,
            )
        ]
    return [turn.reply("instruction_noted", order=number, number=case_number, what=what)]


async def when_out(turn: Turn) -> list[Reply]:
    """What happens when nobody is in (the knowledge base's answer), then, for the order in
    play, where its day or a note for the driver is set (the courier's page once shipped, our
    label before). Asked, not told: nothing is noted on a case unasked."""
    replies = await _for_order_out(turn)
    entry = turn.deps.knowledge.entry(NOT_HOME)
    if entry is None:
        return replies
    answer = entry.answer(turn.language)
    if any(
        m.direction is Direction.OUT
        and m.conversation_id == turn.conversation_id
        and answer in m.text
        for m in turn.context.recent
    ):
        return replies  # "要是周六也不在家呢" next: the order's part, the answer not said twice
    turn.answered_from(entry.id)
    return [Reply(answer), *replies]


async def _for_order_out(turn: Turn) -> list[Reply]:
    """Where the order in play gets its day or a note for the driver set."""
    number = order_number(turn)
    order = None
    if number is not None and turn.deps.orders is not None:
        try:
            order = await turn.deps.orders.find(number)
        except OrderLookupError as exc:
            logger.warning("order look-up failed: %s", exc)
    if order is None:
        return []
    if order.status in ("delivered", "cancelled"):
        return [turn.reply(f"instruction_{order.status}", order=order.number)]
    if order.status == "shipped" and order.carrier:
        said = {"order": order.number, "carrier": order.carrier, "tracking": order.tracking or "-"}
        return [turn.reply("when_out_shipped", **said)]
    return [turn.reply("when_out_unshipped", order=order.number)]


def _understood(turn: Turn, said: str, *, instruction: bool) -> str:
    """What was understood, in our words (the whole message is on the case): what the
    courier should do, with who and which door as said ("ring or call you first (flat 3B)",
    "送前先联系您（3号楼2单元501）")."""
    gist = instruction_gist(said, turn.language) if instruction else None
    if gist is None and instruction:
        gist = when_in_gist(said, turn.language)
    zh = turn.language == "zh"
    facts = ("、" if zh else ", ").join(detail_facts(said))
    if gist and facts:
        return f"{gist}（{facts}）" if zh else f"{gist} ({facts})"
    if gist:
        return gist
    if facts:
        return turn.say("instruction_detail_facts", facts=facts)
    return turn.say("instruction_what" if instruction else "instruction_detail")


# What a delivery instruction or a new address was just noted on ("{case}|{order}", a slot
# of the dialogue at the turn it was noted): the details said right after go there too.
NOTED = "delivery_noted"
# The Reading detail for those details (handlers/dispatcher.py routes it here).
DETAIL = "delivery_detail"
# What the engine reads that is never a detail for the courier: a closing, a yes or no, a
# request of its own.
_NOT_DETAIL = {
    "thanks",
    "goodbye",
    "greet",
    "affirm",
    "deny",
    "request_human",
    "cancel_order",
    "ask_case_status",
    "forget_request",
    "ask_my_data",
}
# A product problem ("the lid is cracked") is a complaint of its own, unless said as how
# to deliver ("the buzzer is broken so ring me").
_PROBLEM = re.compile(
    r"\b(?:broken|damaged|faulty|cracked|leak\w*|refund|return|replace\w*|cancel\w*)\b|"
    r"坏了|破损|漏水|退款|退货|换货|取消",
    re.IGNORECASE,
)

# Words about the way to the door: a detail for the courier, whatever else it says.
_WAY_IN = re.compile(
    r"\b(?:buzzer|doorbell|bell|intercom|flat|apartment|apt|floor|gate|door|entrance|stairs|"
    r"lift|elevator|code|mobile|phone|ring|call|text)\b|门铃|门禁|单元|楼|室|门牌|电梯|大门|电话",
    re.IGNORECASE,
)


# The new address on a case (handlers/escalation.py new_address).
_ADDRESS_LINE = re.compile(r"^New delivery address: (.+)$", re.MULTILINE)


def remember(turn: Turn, case: int, order: str | None) -> None:
    """Keep for the next message which case a delivery instruction or new address is on."""
    turn.outcome.slots[NOTED] = f"{case}|{order or ''}"


def noted(turn: Turn) -> tuple[int, str] | None:
    """The case and order of the delivery instruction or address noted last turn, if any;
    for another place for the parcel ("能放快递柜吗", "can it go to my office"), the open
    address or instruction case however long ago it was noted: one case per order."""
    slot = turn.dialogue.slot(NOTED)
    if slot is None or slot.turn < turn.dialogue.turn - 1:
        return _delivery_case(turn) if names_option(turn.message.text) else None
    case, _, order = slot.value.partition("|")
    return (int(case), order) if case.isdigit() else None


def _delivery_case(turn: Turn) -> tuple[int, str] | None:
    """The newest open case about where an order is delivered (a new address, a delivery
    instruction) and its order, when the message names no other order."""
    cases = [
        c
        for c in turn.context.open_cases
        if c.status is not CaseStatus.CLOSED and case_kind(c) in ("address", "instruction")
    ]
    if not cases:
        return None
    case = max(cases, key=lambda c: c.opened_at)
    found = ORDER_LINE.search(case.summary)
    order = found.group(1) if found else ""
    named = turn.parse.entity("order_number")
    if named is not None and named.value != order:
        return None
    # Another order talked about since ("6620533" then "送到公司吧 ..."): about that one.
    if turn.order_in_play is not None and order and turn.order_in_play != order:
        return None
    return case.number, order


def corrects_address(turn: Turn) -> bool:
    """True when a message right after a new address was noted puts a number of it right
    ("my bad its unit 7 not 77", "楼号多写了个2 应该是28号"): that address corrected on its
    case, not a second address nor a note for the driver."""
    found = noted(turn)
    if found is None:
        return False
    case = next((c for c in turn.context.open_cases if c.number == found[0]), None)
    given = _ADDRESS_LINE.search(case.summary) if case is not None else None
    if given is None:
        return False
    return corrected_address(written_address(given.group(1)), turn.message.text) is not None


def adds_detail(turn: Turn) -> bool:
    """True when a message right after a noted instruction or address only adds to it
    ("the blue door, Mrs Okafor at no. 12", "南门门卫室 找王师傅"): told, not asked, no
    other order, nothing the engine reads as a request of its own."""
    found = noted(turn)
    if found is None:
        return False
    text = turn.message.text.strip()
    other = turn.parse.entity("order_number")
    if other is not None and other.value != found[1]:
        return False
    # Another place for the parcel asked for ("can it go to a parcel locker instead", "放快递柜
    #行吗"): a change to what was just noted, so it goes on that case, not the FAQ again.
    other_place = names_option(text)
    # A question in its form: asked, not told ("can they ring first?" is answered, not noted).
    if (is_question(text, form=True) and not other_place) or turn.parse.intent in _NOT_DETAIL:
        return False
    if is_instruction(text) or other_place:
        return True
    words = len(re.findall(r"[A-Za-z0-9']+", text)) + ideographs(text) // 2
    # "the buzzer is broken so ring my mobile": a problem word about the way in, not the item.
    return words >= 3 and (not _PROBLEM.search(text) or _WAY_IN.search(text) is not None)


async def add_detail(turn: Turn) -> list[Reply]:
    """Put the details on the case the instruction or address is on, and say so; when the
    courier already has the parcel, where the courier must hear them too."""
    found = noted(turn)
    assert found is not None  # checked by adds_detail()
    number, order_number_ = found
    said = " ".join(turn.message.text.split())
    case = next((c for c in turn.context.open_cases if c.number == number), None)
    if case is None or case.status is CaseStatus.CLOSED:
        # Closed meanwhile: a new instruction of its own, when there is an order for it.
        if order_number(turn) is not None:
            return await record(turn)
        return [turn.reply("instruction_more_lost")]
    given = _ADDRESS_LINE.search(case.summary)
    fixed = (
        None
        if given is None
        else corrected_address(written_address(given.group(1)), said)
    )
    if given is not None and fixed is not None:
        # "my bad its unit 7 not 77", "楼号多写了个2 应该是28号": the address on the case put
        # right, and said back whole (not a note for the driver beside the wrong one).
        summary = case.summary.replace(given.group(0), f"New delivery address: {fixed}", 1)
        await turn.deps.cases.update(number, summary=summary)
        turn.outcome.case = number
        remember(turn, number, order_number_)
        return [
            turn.reply(
                "address_corrected", number=number, order=order_number_ or "-", address=fixed
            )
        ]
    # A new instruction that replaces the earlier one ("算了 还是放快递柜吧") is said to
    # replace it; other details are added beside it. Either way in our words, not quoted.
    told = is_instruction(said) or names_option(said)
    gist = instruction_gist(said, turn.language) if told else None
    changed = gist is not None and replaces_earlier(said)
    line = turn.say("instruction_changed_line" if changed else "instruction_more_line", detail=said)
    await turn.deps.cases.update(number, summary=f"{case.summary}\n{line}")
    turn.outcome.case = number
    remember(turn, number, order_number_)
    what = _understood(turn, said, instruction=gist is not None)
    prefix = "instruction_changed" if changed else "instruction_more"
    order = None
    if turn.deps.orders is not None and order_number_:
        try:
            order = await turn.deps.orders.find(order_number_)
        except OrderLookupError as exc:
            logger.warning("order look-up failed: %s", exc)
    if order is not None and order.status == "shipped" and order.carrier:
        return [
            turn.reply(
                f"{prefix}_shipped",
                number=number,
                order=order_number_,
                what=what,
                carrier=order.carrier,
                tracking=order.tracking or "-",
            )
        ]
    return [turn.reply(prefix, number=number, order=order_number_ or "-", what=what)]


# The Reading detail of a pending change taken back (handlers/readings.py).
WITHDRAWN = "change_withdrawn"
# Taking back a change just passed on ("nah stick with my current address", "forget the new
# address", "don't change it", "leave it at the old one", "地址别动了", "还是用原来的地址吧",
# "地址不用改了"): nothing asked, nothing new given.
_TAKES_BACK = re.compile(
    r"\b(?:keep|use|leave it (?:at|with|to)|stick with|stay with|go with|send it to) (?:the |my )?"
    r"(?:old|original|current|same|existing|usual|first|previous|home) (?:one|address|adress|addr|"
    r"place|instructions?)?\b|"
    r"\b(?:forget|scrap|drop|cancel|undo|withdraw|ignore|skip) (?:about )?(?:the |my |that |this )?"
    r"(?:new |address |)(?:change|address|adress|instructions?|note|request)\b|"
    r"\b(?:don'?t|dont|do not|no need to) (?:change|update|bother changing) (?:it|the address|"
    r"anything|that)\b|\bno (?:need to )?change\b|\bleave it as (?:it is|is)\b|"
    r"不(?:用|要|需要)?改了|别改了|不改(?:地址)?了|(?:地址)?不(?:用|要)改|还是(?:用|寄到|送到|发到)?"
    r"原(?:来|先)(?:的)?(?:地址|那个)?|(?:用|按|保持)原(?:来|先)(?:的)?(?:地址|那个)|"
    r"(?:改地址|修改|备注|这个改动)(?:就)?(?:算了|不用了|取消(?:吧|了)?|撤回)|撤回(?:修改|改动)",
    re.IGNORECASE,
)
# The request kinds whose change can be taken back before it is made.
_CHANGES = ("address", "instruction")


def _pending_change(turn: Turn) -> int | None:
    """The open address or instruction case the conversation is on (noted in the last turns,
    or the case last spoken of), its number."""
    cases = [c for c in turn.context.open_cases if case_kind(c) in _CHANGES and c.owner is None]
    if not cases:
        return None
    slot = turn.dialogue.slot(NOTED)
    recent = {c.number for c in cases if turn.dialogue.case == c.number}
    if slot is not None:
        number, _, _ = slot.value.partition("|")
        if number.isdigit():
            recent.add(int(number))
    found = [c for c in cases if c.number in recent]
    return max(found, key=lambda c: c.opened_at).number if found else None


def withdraws(turn: Turn) -> bool:
    """True when the customer takes back the address or instruction change just passed on
    ("nah stick with my current address", "地址别动了"): not a new place nor a question."""
    text = turn.message.text
    if _TAKES_BACK.search(text) is None or is_question(text, form=True):
        return False
    if names_option(text) or turn.parse.orders:
        return False  # "算了 还是放快递柜吧": another place, which replaces the earlier one
    return _pending_change(turn) is not None


async def withdraw(turn: Turn) -> list[Reply]:
    """The change taken off: its case closed with the customer's words noted (no rating:
    nothing was handled), and said that the order goes as it was."""
    number = _pending_change(turn)
    case = next((c for c in turn.context.open_cases if c.number == number), None)
    if case is None:
        return [turn.reply("ack")]
    await turn.deps.cases.add_note(
        case.number, author="bot", text=f"Change withdrawn by the customer: {turn.message.text}"
    )
    await close_for_rating(turn.deps, case.number, by="customer")
    turn.outcome.case = case.number
    found = ORDER_LINE.search(case.summary)
    order = found.group(1) if found else ""
    kind = case_kind(case)
    key = f"change_withdrawn_{kind}" if order else f"change_withdrawn_{kind}_no_order"
    return [turn.reply(key, number=case.number, order=order)]
