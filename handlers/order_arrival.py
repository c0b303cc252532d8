"""When an order arrives: asked with its number, or "still nothing" about it later on."""

from __future__ import annotations

import re
from datetime import date

from crm_memory import Case
from handlers import cases, context, escalation, inquiry, sarcasm
from handlers.arrival import day_text, needed_by, working_days_after
from handlers.dialogue import Asked, Purpose, Question
from handlers.hours import days_named
from handlers.knowledge import asks_new_order_time
from handlers.orders import Order
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import ASKS_WHEN, MONEY, REFUND_WORDS, RETURN
from nlu import FALLBACK

# The parcel reaching the customer, beside a when-word ("when will 51531 get here", "A-1005
# what day does it arrive", "61531什么时候到", "哪天能到货"). A "when" alone is not enough:
# "when was it shipped", "什么时候发货" ask about the warehouse.
_ARRIVES = re.compile(
    r"\barriv\w*|\bgets? (?:here|to (?:me|us))\b|\bbe (?:here|with (?:me|us))\b|"
    r"\b(?:come|comes|coming|show up|turn up|land|reach)\b|\bdeliver(?:ed|y)?\b|"
    r"到货|送到|送达|寄到|能到|会到|才到|可以到|到(?:家|手)|收到|(?:什么时候|啥时候|哪天|几号|几天)到",
    re.IGNORECASE,
)
# Asked in other words: "what day", "the eta", "几号".
_WHEN_ELSE = re.compile(r"\bwhat day\b|\bwhich day\b|\beta\b|几号|哪一天", re.IGNORECASE)
# The order has still not come, said again (often a day later): "still nothing", "nothing
# yet", "still no sign of it", "still not here", "还没到", "还是没收到", "咋还没来", "没动静".
_STILL_NOTHING = re.compile(
    r"\bstill (?:nothing|no sign|no parcel|no package|not (?:here|arrived|come|delivered)|"
    r"(?:hasn'?t|hasnt|haven'?t|havent|has not|have not) (?:\w+ )?(?:arrived|come|got|turned up))|"
    r"\bnothing (?:yet|so far|still)\b|\bno sign of (?:it|them|the \w+|my \w+)\b|"
    r"\b(?:it|they|parcel|package|order)(?:'s| is| are)? (?:still )?not here\b|"
    r"还(?:是)?没(?:有)?(?:到|收到|来|送到|送来|动静)|(?:咋|怎么)还(?:是)?没|没(?:啥)?动静|一直没(?:到|收到)|"
    # Not come, said without "still": "it never arrived", "hasnt shown up", "didnt arrive",
    # "到现在都没收到", "至今没到", "压根没收到".
    r"\bnever (?:came|arrived|turned up|showed up|got here|come|been delivered)\b|"
    r"\b(?:hasn'?t|hasnt|has not|haven'?t|havent|have not|didn'?t|didnt|did not) (?:\w+ )?"
    r"(?:arrived?|come|turned? up|show(?:n|ed)? up|got here|been delivered)\b|"
    r"(?:到现在|到今天|至今|现在|压根|根本|都)(?:都|还|也)?(?:是)?没(?:有)?(?:到|收到|送到|来)|"
    # Whether it is coming at all: "is it ever coming", "还送不送了", "到底寄不寄".
    r"\b(?:is|will) (?:it|my \w+|the \w+) ever (?:come|coming|arrive|arriving|get here|turn up)\b|"
    r"(?:还|到底|究竟)(?:发|送|到|寄)不(?:发|送|到|寄)",
    re.IGNORECASE,
)
# The parcel's tracking stands still, said as a plain statement: "tracking hasn't moved in 5
# days", "stuck at the depot", "says out for delivery since monday and nothing", "物流一直显示
# 在中转站 好几天没动", "卡在转运中心", "物流三天没更新". A late parcel, not the fallback.
_STALLED = re.compile(
    r"\b(?:hasn'?t|hasnt|has not|haven'?t|havent|have not|not|isn'?t|isnt|never|no longer)\s+"
    r"(?:been\s+)?(?:moved?|moving|updated?|updating|changed?|changing|budged?|progressed)\b|"
    r"\bnothing (?:has )?(?:moved|changed|updated|happening)\b|"
    r"\b(?:stuck|frozen|sitting|sat|stalled|held up)\s+(?:at|in|on)\b|"
    r"\b(?:stuck|frozen|stalled|not moving|hasn'?t moved)\b.{0,30}\b(?:days?|weeks?|ages|since)\b|"
    r"\b(?:tracking|parcel|package|order|it)\b.{0,20}\b(?:stuck|frozen|stalled)\b|"
    r"\b(?:says|said|showing|shows|showed|listed as)\s+(?:[\w']+\s+){0,4}?(?:since|for)\s+"
    r"(?:\w+\s+){0,2}?(?:days?|weeks?|ages|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|last \w+|yesterday)\b.{0,20}\b(?:nothing|no sign|not here|never)\b|"
    r"(?:一直|还是|都)?(?:没|不)(?:动|更新|变|走)(?:过|了|啊|呢)?|卡在|停在|一动不动|原地不动|"
    r"(?:一直|好几天|几天|\d+天|[一二三四五六七八九十两]天)(?:都)?(?:显示|停|卡)在",
    re.IGNORECASE,
)
# Not the parcel: the money, a reply, an e-mail ("still nothing on my card", "还没到账").
_OTHER_THING = re.compile(
    r"\b(?:refund|money|card|account|e-?mail|invoice|receipt|code|reply|answer|label|"
    r"replacement|new one|link|password|verification|text|sms|message)s?\b|"
    r"到账|退款|钱|发票|邮件|验证码|回复|面单|补发|换的|新的|链接|密码|短信",
    re.IGNORECASE,
)
# A parcel that should have come by now, said loosely: "was supposed to come like last week",
# "should of arrived by now", "never turned up", "no sign of the kettle", "been waiting
# forever for", "说好上周到的 人呢", "咋还不到", "等了快两周了", "早该到了".
_OVERDUE = re.compile(
    r"\b(?:supposed|meant|due) to (?:come|arrive|be (?:here|delivered)|get here|turn up)|"
    r"\bwas due\b|\bshould(?:'?ve| have| of)? (?:\w+ )?(?:come|arrived|been (?:here|delivered)|"
    r"got here|turned up|shown up)|\bshould be here (?:by )?now\b|"
    r"\bnever (?:came|arrived|turned up|showed(?: up)?|got here|come|been delivered)\b|"
    r"\b(?:hasn'?t|has not|haven'?t|have not|didn'?t|did not|hasnt|havent|didnt) "
    r"(?:\w+ )?(?:arrived?|come|turned? up|show(?:n|ed)? up|got here|been delivered)\b|"
    r"\bno sign of\b|\bstill (?:no|nothing|waiting|not)\b|\b(?:been )?waiting (?:forever|ages|"
    r"for (?:ages|weeks|days|so long|ever))|\bits been (?:ages|weeks|forever|\d+ (?:days|weeks))|"
    r"\bnot (?:here|arrived|come) yet\b|\band (?:it'?s|its|it is) not\b|"
    r"说好.{0,8}到|应该.{0,6}到了|(?:早|本)(?:就)?该到|还(?:是)?没(?:到|来|收到|送到)|没影|"
    r"(?:咋|怎么)还(?:不|没)(?:到|来|送)|一直没(?:到|收到|来)|等了.{0,6}(?:天|周|礼拜|星期)|"
    r"等(?:好久|半天|很久)|过(?:了)?时间|"
    # Lateness counted or named: "4 days late", "a week overdue", "its late", "running late",
    # "晚了4天", "迟了一个礼拜", "超时好几天", "延误了".
    r"\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|a few|few|several|couple"
    r"(?: of)?) (?:more )?(?:days?|weeks?|wks?) (?:late|overdue|behind)\b|\boverdue\b|"
    r"\b(?:is|are|was|its|it'?s|theyre|they'?re|running|now) (?:\w+ )?late\b|"
    r"(?:晚|迟|拖|超)(?:了)?(?:\d+|[一两二三四五六七八九十几好]+)(?:个)?(?:天|周|星期|礼拜)|"
    r"超时|延误|延迟|还在等",
    re.IGNORECASE,
)
# The thing that should have come: something bought ("my espresso machine", "the kettle",
# "the blender i ordered", "mine", "买的咖啡机", "台灯", "东西").
_BOUGHT = re.compile(
    r"\b(?:my|the|mine|our)\b|\b(?:ordered|bought|order|parcel|package|delivery|stuff)\b|"
    r"买的|下的单|下单|订的|拍的|东西|快递|包裹|货|我的",
    re.IGNORECASE,
)
# Details of a Reading (handlers/readings.py) answered here.
WHEN = "arrival_when"  # "when will A-1005 arrive": that order's day
NOW = "arrival_now"  # "still nothing" about an order on its way: where it is now
BY_DAY = "arrival_by_day"  # "make sure it comes this week": whether it makes that day
OVERDUE = "arrival_overdue"  # "my kettle was supposed to come last week": sorry, and its number
NUMBER_FOR_DATE = "arrival_number_for_date"  # "just give me a date" before the number: why
# The order statuses a parcel can still be coming from.
_ON_ITS_WAY = ("processing", "shipped")
_CASE_ORDER = re.compile(r"^order: (.+)$", re.MULTILINE)


def _about_the_parcel(text: str) -> bool:
    """No defect, no money, no return: what is asked is about the parcel coming."""
    return not (
        context.DEFECT.search(text)
        or REFUND_WORDS.search(text)
        or MONEY.search(text)
        or RETURN.search(text)
        or _OTHER_THING.search(text)
    )


def asks_when(turn: Turn) -> bool:
    """ "when will A-1005 arrive??", "and 51531 when does that one get here", "那61531呢
    什么时候到", "我那个62320哪天能到货": when an order named in this message arrives."""
    text = turn.message.text
    asked = turn.dialogue.asked
    if (
        asked is not None
        and asked.question is Question.ORDER_NUMBER
        and (asked.case is not None or asked.purpose is not Purpose.ORDER_STATUS)
    ):
        return False  # the number the bot asked for, for a case or a charge: that comes first
    return (
        (bool(turn.parse.orders) or _on_a_day_of_case_order(turn))
        and (
            ASKS_WHEN.search(text) is not None
            or _WHEN_ELSE.search(text) is not None
            or _on_a_day_of_case_order(turn)
        )
        and _ARRIVES.search(text) is not None
        and not asks_new_order_time(text)
        and _about_the_parcel(text)
    )


# "will it come on friday?", "周五能到吗": whether it comes on a day, asked as a question.
_ON_A_DAY = re.compile(
    r"^\W*(?:(?:hi|hey|hello|ok|so|and)\W+)*(?:will|would|could|can|does|is)\s+(?:it|they|that|"
    r"the (?:parcel|package|order|delivery))\b|(?:能|会|可以)(?:送)?到(?:吗|不|么)|到得了(?:吗|不)",
    re.IGNORECASE,
)


# The order pointed at without its number: "it", "my order", "the parcel", "它", "东西".
_POINTED_AT = re.compile(
    r"\b(?:it|it'?s|its|they|them|my (?:order|parcel|package|stuff|delivery)|the (?:order|parcel|"
    r"package|delivery))\b|它|东西|包裹|快递|订单",
    re.IGNORECASE,
)


async def asks_when_late(turn: Turn) -> bool:
    """True when the message asks when the order in play comes, pointing at it, and that
    order is late ("i just want to know when it's actually going to get here", "so when will
    it show up" after it was said late): that order's day and lateness again, not the shop's
    delivery times, a returns text, or one of its item's attributes."""
    text = turn.message.text
    number = turn.order_in_play
    if number is None or turn.parse.orders or _POINTED_AT.search(text) is None:
        return False
    if ASKS_WHEN.search(text) is None and _WHEN_ELSE.search(text) is None:
        return False
    if _ARRIVES.search(text) is None or asks_new_order_time(text) or not _about_the_parcel(text):
        return False
    order = await inquiry.find_order(turn, number)
    if order is None or order.status in ("delivered", "cancelled"):
        return False
    return order.is_late(turn.deps.clock().date())


def _on_a_day_of_case_order(turn: Turn) -> bool:
    """True for "will it come on friday?", "周五能到吗" with the open case's order in play:
    when that order comes (against its case), not the case's bare status."""
    text = turn.message.text
    number = turn.order_in_play
    if number is None or not days_named(text) or _ON_A_DAY.search(text) is None:
        return False
    return _open_case_on(turn, number) is not None


# Where an order is, or whether it has gone or come: "where 81302 is", "wheres 81302 at",
# "is 81302 delivered", "has 81302 shipped", "81302现在在哪儿", "81302在哪呢", "81302发货没",
# "81302签收了吗", "81302啥情况".
_WHERE = re.compile(
    r"\bwhere(?:'?s| is| are|abouts)?\b|\b(?:is|has|was|did|have) (?:\w+ ){0,3}?"
    r"(?:been )?(?:delivered|shipped|dispatched|arrived|sent(?: out)?|left|posted|out for delivery)"
    r"\b|\bstatus\b|到哪|在哪|哪儿了|哪里了|咋样了|怎么样了|什么情况|啥情况|什么进度|进度|"
    r"发(?:货|出)了?(?:没|吗|么|没有)|发了(?:没|吗|么|没有)|到了(?:没|吗|么|没有)|"
    r"签收了?(?:没|吗|么|没有)",
    re.IGNORECASE,
)
# Where to do something, not where the order is: "where do i change the address of 81302",
# "81302在哪改地址".
_HOW_TO = re.compile(
    r"\bwhere (?:do|can|could|should|would|will|to) (?:i|we)?\b|\baddress\b|"
    r"\b(?:change|switch|update|redirect|speed|hurry|faster|quicker|sooner|express)\b|"
    r"在哪(?:里|儿)?(?:可以|能)?(?:改|看|查|填|找|下载|开|退|寄)|地址|改|快点|快些|尽快|加急|赶紧",
    re.IGNORECASE,
)
# What the engine makes of such a question when it misses it: nothing it knows, out of scope,
# a delivery question in general, a product ("wheres 81302" is no product).
_MISREAD = ("out_of_scope", "ask_delivery", "ask_product_availability", "ask_product_info")


# Up to this many words (two ideographs each), "81302签收了没" is the question alone, whatever
# complaint the engine hears in its 没.
_BARE_WORDS = 5


# Whether the order just talked about is on its way, or has come: "so is it on its way?",
# "is it delivered?", "has it shipped yet", "is it still coming", "那还在路上吗", "签收了吗",
# "发货了没".
_STATE_OF_IT = re.compile(
    r"\b(?:is|has|was|did) (?:it|that|this|the (?:parcel|package|order|delivery))\s+"
    r"(?:still |actually |already |even |really )?(?:been )?(?:on (?:its|the) way|in transit|"
    r"coming|delivered|deliverd|shipped|dispatched|arrived|sent(?: out)?|out for delivery|"
    r"come|here)\b|"
    r"还在路上|在路上(?:吗|么|呢|没)|(?:签收|送到|送达|到货|发货|发出|寄出)了(?:吗|没|么|没有)|"
    r"(?:签收|送到|送达|到货|发货|发出|寄出)(?:没|没有)|"
    r"^\W*(?:那)?(?:到了|发了)(?:吗|没|么|没有)",
    re.IGNORECASE,
)
# Asking leave or a favour about the delivery ("快递能让公司前台签收吗", "can a neighbour sign
# for it"): the delivery's question, not the order's state.
_LEAVE = re.compile(r"\b(?:can|could|may|will you|would you)\b|能|可以|可不可以|让|代|帮", re.I)
# A yes/no about it, said in a few words.
_STATE_WORDS = 8


def asks_state_of_it(turn: Turn) -> bool:
    """True for "so is it on its way?", "is it delivered?", "那还在路上吗" right after an
    order's status was talked about, no number said: that order's status again, as it is (a
    delivered order is never "on its way"), not the delivery days in general nor a fallback."""
    text = turn.message.text
    if turn.parse.orders or context.length(text) > _STATE_WORDS or turn.order_in_play is None:
        return False
    if "ask_order_status" not in turn.dialogue.intents[-2:]:
        return False
    return (
        _STATE_OF_IT.search(text) is not None
        and _HOW_TO.search(text) is None
        and _LEAVE.search(text) is None
    )


def asks_where_named(turn: Turn) -> bool:
    """True for "any clue where 81302 is right now", "is 81302 delivered yet", "81302在哪呢"
    that the engine placed nowhere or elsewhere: where that order is, asked of it by its
    number (not when the bot asked for a number for something else: that comes first)."""
    text = turn.message.text
    if not turn.parse.orders or turn.parse.intent not in (*_MISREAD, FALLBACK, "complaint"):
        return False
    if turn.parse.intent == "complaint" and (
        context.length(text) > _BARE_WORDS or context.DEFECT.search(text)
    ):
        return False  # more said than where it is: the complaint's, as the engine read it
    asked = turn.dialogue.asked
    if (
        asked is not None
        and asked.question is Question.ORDER_NUMBER
        and asked.purpose is not Purpose.ORDER_STATUS
    ):
        return False
    return (
        _WHERE.search(text) is not None
        and _HOW_TO.search(text) is None
        and _about_the_parcel(text)
        and not context.asks_for_case(text)
    )


def says_still_nothing(text: str) -> bool:
    """True for "still nothing", "still no sign of it", "还是没收到啊": the parcel (not the
    money, a reply or a replacement) has still not come."""
    said = _STILL_NOTHING.search(text) is not None or stalled(text)
    return said and _about_the_parcel(text)


# What can stand still: the parcel, its tracking or the carrier's page ("物流", "快递").
_TRACKED = re.compile(
    r"\b(?:tracking|tracker|parcel|package|order|delivery|shipment|courier|it|status|app|"
    r"website|site|page|depot|hub|warehouse|customs)\b|物流|快递|包裹|单号|订单|货|显示|中转|转运|"
    r"网点|驿站|海关",
    re.IGNORECASE,
)


def stalled(text: str) -> bool:
    """True for a parcel said to stand still ("tracking hasn't updated in four days", "stuck at
    the depot", "物流停在转运中心好几天了 一直没更新"): late, said as a plain statement."""
    return (
        _STALLED.search(text) is not None
        and _TRACKED.search(text) is not None
        # (Said lost as well, "一个星期没动了 是不是丢了": the lost-parcel case, as before.)
        and _LOST.search(text) is None
    )


_LOST = re.compile(r"\blost\b|\bmissing\b|\bgone\b|丢了|丢件|弄丢|丢失", re.IGNORECASE)


async def still_nothing(turn: Turn) -> bool:
    """ "still nothing", "it still hasnt come", "还没到", "还是没收到啊" about an order not
    delivered yet (in play, remembered, or on an open case): where it is now, and its case."""
    text = turn.message.text
    if turn.dialogue.asked is not None:
        return False  # an answer to what the bot asked or offered ("yeah it still hasnt come")
    if not says_still_nothing(text):
        return False
    if context.asks_for_case(text) or escalation.asks_for_person(text):
        return False  # "still hasnt arrived, please open a case": the case asked for
    order = await _order_meant(turn)
    return order is not None and order.status in _ON_ITS_WAY


# Late and come all the same: "delivery was a day late", "it arrived 2 days late", "晚到了两天".
_CAME_LATE = re.compile(
    r"\b(?:was|were|came|arrived|turned up|got here|showed up|delivered)\b[^.!?]{0,15}\blate\b|"
    r"晚到了|迟到了|晚了.{0,4}(?:才到|到的|收到)",
    re.IGNORECASE,
)


def overdue_unnamed(turn: Turn) -> bool:
    """ "my espresso machine was supposed to come like last week wheres it", "still no sign
    of the kettle", "买的咖啡机说好上周到的 人呢" with no order named or in play and no case
    open: a late parcel, so the late-parcel path (its order number asked), not the fallback."""
    text = turn.message.text
    if turn.order_in_play is not None or turn.context.open_cases or turn.dialogue.asked:
        return False
    if context.asks_for_case(text) or escalation.asks_for_person(text):
        return False
    if sarcasm.praise_about_wait(text):
        return False  # "真厉害 等了两周还没发货": sarcasm, taken as the complaint it is
    if _CAME_LATE.search(text):
        return False  # "delivery was a day late but no big deal": it came, the lateness told
    return (
        (_OVERDUE.search(text) is not None or stalled(text))
        and (_BOUGHT.search(text) is not None or turn.parse.entity("product") is not None)
        and _about_the_parcel(text)
    )


# "i dont want sorry i want a date", "just tell me when", "别道歉了 我就想知道哪天到": the
# day itself demanded.
_DATE_DEMANDED = re.compile(
    r"\b(?:a|the|an|exact|actual) (?:date|day|eta)\b|\beta\b|"
    r"\bwhen\b.{0,25}\b(?:come|coming|arrive|arriving|get here|be here|deliver\w*|turn up)\b|"
    r"\b(?:tell|give) me when\b|哪天|哪一天|啥时候|什么时候|几号|何时",
    re.IGNORECASE,
)


def date_before_number(turn: Turn) -> bool:
    """ "i dont want sorry i want a date", "just tell me when it comes", "别道歉了 我就想知道
    哪天到" while the order number asked for to look a late parcel up is still missing: the
    day comes from the order, so its number again, saying why (not a no, nor a case)."""
    asked = turn.dialogue.asked
    if asked is None or asked.question is not Question.ORDER_NUMBER:
        return False
    if asked.purpose is not Purpose.ORDER_STATUS or turn.order_in_play is not None:
        return False
    text = turn.message.text
    if context.asks_for_case(text) or escalation.asks_for_person(text):
        return False
    return _DATE_DEMANDED.search(text) is not None


async def number_for_date(turn: Turn) -> list[Reply]:
    """The order number again, and why: the day is the order's, and we check it at once."""
    turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.ORDER_STATUS))
    return [turn.reply("order_number_for_date")]


async def overdue(turn: Turn) -> list[Reply]:
    """A parcel late with no order known: sorry, and the number asked for to look it up."""
    turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.ORDER_STATUS))
    return [turn.reply("order_late_ask_number")]


async def _order_meant(turn: Turn) -> Order | None:
    """The order the customer means: named or in play, remembered, else the one on their
    latest open case."""
    number = inquiry.order_number(turn)
    if number is None:
        for case in reversed(turn.context.open_cases):
            found = _CASE_ORDER.search(case.summary)
            if found is not None:
                number = found.group(1).strip()
                break
    return None if number is None else await inquiry.find_order(turn, number)


async def arrival(turn: Turn) -> list[Reply]:
    """When the order named arrives: the carrier's date for one shipped, the ship date and
    the day standard delivery brings it for one still with us; late, delivered or cancelled,
    its status (late: sorry, and the case or a person)."""
    # "when do both arrive": each order's day, in the order they were named.
    return await inquiry.each_order(turn, _arrival_of)


async def _arrival_of(turn: Turn) -> list[Reply]:
    """When one order arrives (``arrival`` for the order named or in play)."""
    number = turn.order_in_play
    if number is None:
        return await inquiry.order_status(turn)
    order = await inquiry.find_order(turn, number)
    today = turn.deps.clock().date()
    if order is None or order.status != "processing" or order.is_late(today):
        # (Shipped: its status line has the carrier, the tracking number and the date.)
        return await inquiry.status_of(turn, number)
    if order.number in turn.outcome.statused:
        return []
    turn.outcome.statused.add(order.number)
    return [inquiry.eta_reply(turn, order)]


# Whether a change just passed on makes the order late: "will it still arrive on time?",
# "will that delay it", "会不会晚到啊", "还能按时到吗", "影响到货时间吗".
ON_TIME = "on_time_after_change"
_STILL_ON_TIME = re.compile(
    r"\b(?:arrive|come|get (?:here|there|to me)|be delivered|be here|make it)\s+"
    r"(?:still\s+)?on time\b|"
    r"\bstill (?:be )?on time\b|"
    r"\b(?:will|would|does|is|could)\s+(?:that|it|this|the change|changing it)\s+"
    r"(?:delay|slow|hold)\b|\b(?:any|a) delay\b|\bset it back\b|"
    r"会不会(?:晚到|延误|耽误|推迟|慢|晚)|(?:还)?(?:能|会)(?:按时|准时)(?:到|送到|送达)|"
    r"(?:影响|耽误)(?:发货|到货|配送|送货)?(?:时间)?(?:吗|不|么)|会晚(?:吗|么|不)|晚到(?:吗|么|不)",
    re.IGNORECASE,
)


def asks_on_time_after_change(turn: Turn) -> bool:
    """True for "will it still arrive on time?" right after a new address (or another change)
    was passed on for the order in play: its day, with the change going on before it ships
    (not the shop's delivery times, nor a question left for the team)."""
    if turn.order_in_play is None or _STILL_ON_TIME.search(turn.message.text) is None:
        return False
    dialogue = turn.dialogue
    return (
        context.NEW_ADDRESS in dialogue.intents
        or dialogue.topic == context.NEW_ADDRESS
        or any(r in _CHANGES for r in dialogue.readings)
    )


# The readings that pass a change of where or how an order is delivered on to the team.
_CHANGES = ("gives_new_address", "delivery_option", "delivery_detail")


async def on_time_after_change(turn: Turn) -> list[Reply]:
    """The order's day, and that the change goes on before it ships (its day stays, the
    team confirms on the case); a late or shipped order's status as it stands."""
    number = turn.order_in_play
    order = await inquiry.find_order(turn, number) if number is not None else None
    if order is None or order.status != "processing" or order.is_late(turn.deps.clock().date()):
        return await arrival(turn)
    turn.outcome.statused.add(order.number)
    eta = inquiry.eta_reply(turn, order)
    space = "" if turn.language == "zh" else " "
    return [Reply(f"{turn.say('change_keeps_day', order=order.number)}{space}{eta.text}")]


async def now(turn: Turn) -> list[Reply]:
    """ "still nothing" about an order on its way: its status now (late: sorry, with the case
    open about it and what the team does, or a case offered)."""
    order = await _order_meant(turn)
    if order is None:
        return await inquiry.order_status(turn)
    replies = await inquiry.status_of(turn, order.number)
    case = _open_case_on(turn, order.number)
    if case is not None and order.is_late(turn.deps.clock().date()):
        # With a case open about it, also when the team answers (handlers/cases.estimate).
        replies += await cases.estimate(turn, case)
    return replies


def _open_case_on(turn: Turn, number: str) -> Case | None:
    """The latest open case about the order, if any."""
    return next(
        (c for c in reversed(turn.context.open_cases) if _case_order(c.summary) == number),
        None,
    )


def _case_order(summary: str) -> str | None:
    found = _CASE_ORDER.search(summary)
    return None if found is None else found.group(1).strip()


def _their_day(turn: Turn) -> date | None:
    return needed_by(turn.deps.clock(), turn.deps.shipping.zone, turn.message.text)


async def needs_by_day(turn: Turn) -> bool:
    """ "make sure 30811 comes this week, its a birthday present", "41733 下周一之前一定要到":
    an order on its way (named or in play) needed by a day, not a complaint nor a fallback."""
    asked = turn.dialogue.asked
    if asked is not None and asked.question is Question.ORDER_NUMBER and asked.case is not None:
        return False  # the number the bot asked for, for a case: that comes first
    text = turn.message.text
    if _their_day(turn) is None or context.DEFECT.search(text) or says_still_nothing(text):
        return False
    if not turn.parse.orders and _NEW_ORDER_BY_DAY.search(text):
        # "if i order the air fryer today will it be here by saturday", "今天下单电水壶 周六前
        # 能收到不": an order not placed yet (the dates from today), not the one remembered.
        return False
    number = inquiry.order_number(turn)
    if number is not None and cases.asks_to_hurry(text) and _open_case_on(turn, number):
        return False  # "make this urgent, guests this weekend" on its open case: the case's
    order = None if number is None else await inquiry.find_order(turn, number)
    # (Late already: the day goes on its case, handlers/cases.py, not a date to compare.)
    today = turn.deps.clock().date()
    return order is not None and order.status in _ON_ITS_WAY and not order.is_late(today)


# An order to be placed, in so many words: "if i order ... today", "ordering now", "今天下单",
# "现在买" (not "ordered it monday": that one is placed).
_NEW_ORDER_BY_DAY = re.compile(
    r"\bif (?:i|we|u|you) (?:order|buy|get|purchase)\b|\b(?:order|buy|purchase)(?:ing)? "
    r"(?:(?:it|one|this|that|them|the [\w-]+(?: [\w-]+)?) )?(?:now|today|tonight|tomorrow)\b|"
    r"(?:现在|今天|马上|今晚|明天|如果|要是)(?:我)?(?:就)?(?:下单|买|拍|付款)",
    re.IGNORECASE,
)


async def by_their_day(turn: Turn) -> list[Reply]:
    """Whether the order reaches them by the day they need it: the day it should arrive (the
    carrier's date, or the ship date plus standard delivery), and for one still with us that
    can't be sure to make it, express, its price and its day, offered (a yes asks the team
    for the switch). Late: its status, sorry and a case."""
    number = inquiry.order_number(turn)
    order = None if number is None else await inquiry.find_order(turn, number)
    target = _their_day(turn)
    today = turn.deps.clock().date()
    if order is None or target is None or order.is_late(today):
        return await inquiry.order_status(turn)
    arrives = order.arrives_by(turn.deps.shipping.standard_days[1])
    leaves = order.eta_date()
    if arrives is None or leaves is None:
        return await inquiry.order_status(turn)
    turn.outcome.statused.add(order.number)
    language = turn.language
    values = {
        "order": order.number,
        "target": day_text(target, language),
        "arrive": day_text(arrives, language),
        "carrier": order.carrier or "-",
        "tracking": order.tracking or "-",
    }
    if arrives <= target:
        return [turn.reply("by_day_makes_it", **values)]
    if order.status == "shipped":
        return [turn.reply("by_day_shipped_late", **values)]
    quick = working_days_after(leaves, turn.deps.shipping.express_days)
    price = inquiry.express_price(turn) or turn.say("express_price_usual")
    key = "by_day_express_makes_it" if quick <= target else "by_day_express_too"
    offer = turn.offer_human(key, express=day_text(quick, language), price=price, **values)
    # A yes asks the team to switch this order to express (escalation.switch_to_express).
    turn.ask(Asked(Question.HUMAN, purpose=Purpose.EXPRESS, order=order.number))
    return [offer]
