"""A change-of-mind return of an order ("i want to return the backpack from A-2290 its too
small", "手表不想要了 能退吗 订单80808"): whether it is within the window, how, who pays, when
the money comes."""

from __future__ import annotations

import re
from datetime import timedelta

from crm_memory import CaseKind, Priority, Sender
from handlers import inquiry, lost_parcel
from handlers.context import DEFECT, denies_defect, length, moved_on
from handlers.dialogue import Matter, Told
from handlers.followups import format_day
from handlers.knowledge import FaqEntry
from handlers.orders import Order, with_order
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import SENT_BACK

# The Reading detail for these requests (handlers/dispatcher.py routes it here).
DETAIL = "return_order"
# The knowledge-base entry that states the policy this module applies: a follow-up ("and
# who pays the postage?") is read against it.
POLICY = "returns-policy"
# The entry on returning an item whose packaging is opened or torn.
OPENED = "returns-opened"
# The knowledge-base entry on returning an item already tried or used.
USED = "returns-used"
# Days from delivery to return an item when that entry does not say ("within 30 days of
# delivery", "签收后 30 天内"): the shop's own policy text decides.
RETURN_DAYS = 30
_WINDOW = re.compile(r"within (\d{1,3}) days|(\d{1,3}) ?天内", re.IGNORECASE)


def window_days(policy: str | None) -> int:
    """The return window the policy's answer states, in days, else RETURN_DAYS."""
    found = _WINDOW.search(policy or "")
    return int(found.group(1) or found.group(2)) if found else RETURN_DAYS

# Wanting to send an item back, not a refund of money alone: "i want to return the backpack",
# "can i send the jacket back", "dont want it anymore", "退货", "不想要了 能退吗", "退掉".
_WANTS_RETURN = re.compile(
    r"\breturn(?:ing)?\b(?! (?:label|window|policy|period))|\bsend(?:ing)? (?:it |them |this |"
    r"(?:the |my )?[\w-]+(?: [\w-]+)? )?back\b|\b(?:ship|post) (?:it |them )?back\b|"
    r"\bdon'?t (?:want|need|like) (?:it|them|this|that|the [\w -]+?) (?:any ?more|after all)\b|"
    r"\bchanged? (?:my|our) minds?\b|"
    r"退货|退掉|退了吧|退回去|(?:能|可以|想|要|申请|怎么)退(?!款|钱|回来|给|到)|不想要了|"
    r"不要了|不(?:太|怎么|是很|大)?喜欢|"
    r"无理由",
    re.IGNORECASE,
)
# A return asked in so many words (not only "dont want it").
_RETURN_WORD = re.compile(r"\breturn|\bsend\b.{0,20}\bback\b|退", re.IGNORECASE)
# Not a return to explain: a refund's progress or timing ("多久能退回来"), a cancellation
# ("C-8802我不要了 取消吧": the cancel path, refusal once shipped), or a second request
# joined on ("how do i send back the toaster and also whats going on with B-2231": each
# clause is read on its own).
_NOT_THIS = re.compile(
    r"\brefund (?:status|time)|退款(?:到|进度)|\bhow long\b|\bwhen (?:do|will|does|can)\b|"
    r"多久|几天|什么时候|啥时候|\bcancel|取消|\band also\b|\balso\b.{0,20}\b(?:where|what|when|"
    r"how)\b|还有|另外|顺便|以及",
    re.IGNORECASE,
)


async def asks(turn: Turn) -> bool:
    """True when the customer wants to send back an order's item for a reason that is not a
    fault (too small, changed their mind, not as pictured), naming the order now or with one
    in play, and the order has left our warehouse (one that has not is cancelled instead); a
    fault, a parcel never received, an item already sent back, or more said about an open
    complaint case ("actually just refund the mouse i dont need it anymore") are not this."""
    text = turn.message.text
    if not wants_return(turn):
        return False
    # The order in these words (a clause of a longer message carries the message's orders).
    named = any(e.text in text for e in turn.parse.orders)
    if turn.parse.orders and not named:
        return False  # "吹风机想退货咋操作 还有订单E-6203到哪了": that order is the other clause's
    # (A complaint open about another order than the one last talked about is no reason:
    # "那这个能退吗" after turning to that order is its return.)
    if not named and (len(text) > 80 or (_complaint_open(turn) and not moved_on(turn))):
        return False
    number = turn.order_in_play
    order = await inquiry.find_order(turn, number) if number is not None else None
    if order is None:
        return True
    product = turn.parse.entity("product")
    if not named and product is not None and not _among(product.value, order):
        return False  # "how do i send back the toaster" beside another order's status
    if order.status == "processing":
        # Not shipped: "能退吗" is answered (nothing to send back, cancel it); a bare "不想要了
        # 下错了" is the cancellation itself (the cancel path).
        return _RETURN_WORD.search(text) is not None
    return order.status in ("shipped", "delivered")


def _among(product: str, order: Order) -> bool:
    items, named = order.items.lower(), product.lower()
    return named in items or any(i.strip() and i.strip() in named for i in items.split(";"))


def wants_return(turn: Turn) -> bool:
    """True when the words ask to send an order's item back for no fault (the order not yet
    looked up): what keeps a message with one unsplit (handlers/requests.py)."""
    text = turn.message.text
    if _WANTS_RETURN.search(text) is None or _NOT_THIS.search(text):
        return False
    if DEFECT.search(text) or SENT_BACK.search(_without_asks(text)) or lost_parcel.asks(text):
        return False
    return turn.order_in_play is not None


# Why an item goes back when nothing is wrong with it: the customer's mind or taste, the fit,
# the comfort, how it sounds or looks to them ("they hurt my ears", "its too loud", "rubs my
# heel", "穿着不舒服", "有点挤脚", "太吵了"). (Not "too hot": that may be a hazard; nor "noisy",
# "crackling": sound faults, handlers/context.py's DEFECT.)
_CHANGED_MIND = re.compile(
    r"\b(?:don'?t|do not|didn'?t) (?:really |actually |quite )?(?:want|need|like|love)\b|"
    r"\bchanged? (?:my|our) minds?\b|\bnot (?:a (?:big )?fan|for me|what i (?:expected|wanted))\b|"
    r"\b(?:too|way too|bit too|a bit|kinda|so|really) (?:small|big|large|tight|loose|heavy|long|"
    r"short|wide|narrow|loud|quiet|bright|dim|bulky|stiff|itchy|scratchy)\b|"
    r"\b(?:doesn'?t|does not|don'?t|dont|do not|didn'?t) (?:really |quite )?(?:fit|suit)\b|"
    r"\b(?:hurts?|hurting|hurted|pinch(?:es|ing)?|rubs?|rubbing|digs? into|squeez\w+) "
    r"(?:my|me|the)\b|\b(?:un|not )comfortable\b|\buncomfy\b|\bnot comfy\b|"
    r"\bgives? me (?:a )?(?:headaches?|blisters?|sore)\b|\bsore (?:ears?|feet|heels?|neck)\b|"
    r"不想要|不要了|不(?:太|怎么|是很|大)?喜欢|不合适|不适合|买错了|"
    r"不(?:太|怎么|是很)?舒服|不舒适|不合身|不跟脚|(?:挤|磨|硌|勒|夹)(?:脚|耳朵?|头|手|脖子)|"
    r"(?:耳朵|脚|头|脖子)(?:有点|好|很)?(?:疼|痛)|"
    r"(?:太|有点|有些|偏)(?:大|小|长|短|紧|松|宽|窄|重|吵|响|亮|暗|硬)了?(?!问题|瑕疵|毛病|故障)",
    re.IGNORECASE,
)


# The item said to be tried or used already ("tried them on", "wore it once", "listened to
# them for a bit", "试戴了一下", "试穿过", "用了两天"): the return rules for a used item apply.
_TRIED = re.compile(
    r"\b(?:tried|trying|tryed|tired) (?:it|them|this|that|these|those)?\s*(?:on|out)\b|"
    r"\b(?:tried|wore|worn|used|listened to|played with|tested) (?:it|them|this|that|these|those)\b"
    r"(?! (?:on|out)\b)|\bafter (?:trying|wearing|using|testing)\b|"
    r"\b(?:already|only|just) (?:tried|used|worn|wore|tested)\b|"
    # "wore the jacket once", "i washed the sheets once", "tried the headphones for a week",
    # "used the kettle for a few days", "洗过一次", "玩了两天", "穿了一下午".
    r"\b(?:tried|wore|worn|used|washed|played with|tested|had)\s+(?:the|my|it|them|this|that)"
    r"(?:\s+\w+)?\s+(?:once|twice|\d+ times|a (?:few|couple of|couple) (?:times|days|weeks)|"
    r"for (?:a|an|one|two|\d+|a few|a couple of) (?:week|day|month|hour|bit|while)s?)\b|"
    r"\b(?:opened and used|used (?:it|them) (?:once|twice|a bit|already))\b|"
    r"试(?:戴|穿|用|听|了)|(?:戴|穿|用|听|洗|玩|开)(?:了|过)(?:一下|一次|几次|两次|几天|两天|一天|一会|几回|一周|一个?礼拜)|"
    r"(?:戴|穿|用|听|洗|玩)过",
    re.IGNORECASE,
)
# Something else the customer used, not the item ("already used the return label", "用过优惠券").
_NOT_THE_ITEM = re.compile(
    r"\b(?:labels?|vouchers?|coupons?|codes?|links?|forms?|app|website|site|card|points)\b|"
    r"面单|优惠券|券|链接|积分|红包|卡",
    re.IGNORECASE,
)
# The customer's own taste, said after trying ("dont like the sound", "not a fan of the fit",
# "音质不喜欢", "戴着不舒服"): no fault in it.
_DISLIKED = re.compile(
    _CHANGED_MIND.pattern + r"|\bnot (?:really )?(?:into|happy with|keen on)\b|\bmeh\b|"
    r"\b(?:hate|dislike)\b|\bnot (?:that |very |so )?(?:good|great|nice)\b|"
    r"(?:音质|音效|颜色|手感|样子|款式|效果|味道)?(?:一般|不咋地|不咋样|不怎么样|没想象中好)",
    re.IGNORECASE,
)


def tried_not_liked(turn: Turn) -> bool:
    """True when the customer tried or used the item and does not like it ("tried them on,
    dont like the sound", "就试戴了一下 音质不喜欢", "wore it once, not for me"), or asks to
    return it once used ("used it twice, can i still return it", "戴过两次 想退", "拆封用过了"):
    a change of mind after use, answered with what a return needs for a used item (no fault,
    no case)."""
    text = turn.message.text
    return used_and_disliked(text) or used_wants_return(text) or used_told(turn)


# Used, told in the customer's own words while a return is talked about: "hmm I did use it
# once though", "i have worn them", "it's been used", "we did try it a couple of times".
_USED_TOLD = re.compile(
    r"\b(?:did|do|have|has|had|'ve|ive|i ve)\s+(?:already\s+|actually\s+|only\s+|just\s+)?"
    r"(?:use|used|wear|wore|worn|try|tried|wash|washed|test|tested)\s+(?:it|them|this|that|these|those)\b|"
    r"\b(?:been|was|were) (?:already )?(?:used|worn|washed)\b|"
    r"\bused (?:once|twice|a (?:few|couple of|couple) times|(?:one|two|\d+) times)\b",
    re.IGNORECASE,
)
# A told statement longer than this asks something of its own.
_USED_TOLD_WORDS = 14


def tried(text: str) -> bool:
    """True when the text says the item was tried or used ("used it once", "试戴了一下")."""
    return _TRIED.search(text) is not None or _USED_TOLD.search(text) is not None


def used_told(turn: Turn) -> bool:
    """True when, a return being talked about, the customer says the item was used ("hmm I
    did use it once though", "we have worn them", "用过一次了"), no fault named: what a return
    needs for a used item, not "I can't change that" nor a case."""
    text = turn.message.text
    if turn.dialogue.topic != _RETURNS_TOPIC or length(text) > _USED_TOLD_WORDS:
        return False
    if not tried(text):
        return False
    if _NOT_THE_ITEM.search(text) or _NOT_THIS.search(text):
        return False
    return not (DEFECT.search(text) or SENT_BACK.search(_without_asks(text)))


# Nothing wrong with the item, in words a defect check would not see as denied: "it works
# fine, just too big", "nothing wrong with it", "好好的 就是太大", "质量没问题 就是不喜欢".
_WORKS = re.compile(
    r"\bworks? (?:fine|ok|okay|perfectly|great|well|just fine)\b|\bnothing wrong\b|"
    r"\bno (?:fault|defect|problem) with (?:it|them)\b|"
    r"没毛病|没(?:有)?故障|好好的|质量(?:没|没有)问题|不是(?:坏了|质量问题|故障)|能正常用",
    re.IGNORECASE,
)


def not_a_fault(turn: Turn) -> bool:
    """True when the customer says the item is not faulty and gives a reason of taste or
    fit for not keeping it ("it's not broken, it's just way too loud", "没坏 就是太吵了",
    "works fine but its too big"): a change-of-mind return, not a defect case."""
    text = turn.message.text
    if not (denies_defect(text) or _WORKS.search(text)) or _CHANGED_MIND.search(text) is None:
        return False
    if _NOT_THIS.search(text) or lost_parcel.asks(text):
        return False
    return SENT_BACK.search(_without_asks(text)) is None


def used_wants_return(text: str) -> bool:
    """True when the text says the item was used and asks whether it can go back, with no
    fault said ("wore the jacket once, can i send it back", "用了几天 不想要了 能退吗")."""
    if _TRIED.search(text) is None or _WANTS_BACK.search(text) is None:
        return False
    if _NOT_THE_ITEM.search(text) or _NOT_THIS.search(text):
        return False
    return not (DEFECT.search(text) or SENT_BACK.search(_without_asks(text)))


def used_and_disliked(text: str) -> bool:
    """True when the text says the item was tried or used and is not liked, with no fault."""
    if _TRIED.search(text) is None or _DISLIKED.search(text) is None:
        return False
    sent_back = SENT_BACK.search(_without_asks(text))
    return not (DEFECT.search(text) or sent_back or _NOT_THIS.search(text))


def asks_without_order(turn: Turn) -> bool:
    """True when the words ask to send an item back for no fault ("手表不太喜欢 能退不", "dont
    love the colour, can i return it") with no order named nor in play: the returns policy,
    the window and how, not "not sure" nor a case."""
    text = turn.message.text
    if turn.order_in_play is not None or turn.parse.orders or _RETURN_WORD.search(text) is None:
        return False
    if _CHANGED_MIND.search(text) is None or _NOT_THIS.search(text):
        return False
    return not (
        DEFECT.search(text) or SENT_BACK.search(_without_asks(text)) or lost_parcel.asks(text)
    )


# The packaging said to be opened or torn, not the item broken: "the seal on the box is
# broken", "torn plastic wrap", "包装膜破了", "封条撕坏了".
_PACKAGING_OPENED = re.compile(
    r"\b(?:seal|wrap\w*|plastic|film|cellophane|shrink ?wrap|packag\w*|box|carton|tape)\b"
    r"(?: on (?:the|it|them|its) ?\w*)?\s+(?:is |was |got |has been |are |were )?(?:all )?"
    r"(?:broken|torn|ripped|damaged|open(?:ed)?|cut|split)\b|"
    r"\b(?:broken|torn|ripped|damaged|opened|cut|split) (?:the )?(?:seal|wrap\w*|plastic|film|"
    r"cellophane|packag\w*|box|tape)\b|"
    r"(?:膜|塑封|封膜|薄膜|封条|封口|包装|盒子|外包装)(?:被|也|都)?(?:撕|拆|划|剪|弄)?(?:破|坏|烂|开)了?",
    re.IGNORECASE,
)
# Opened but not used, told while a return is talked about: "拆了 但没用过", "opened it but
# never used it", "unboxed it, havent even switched it on", "开封了 没用".
_OPENED_UNUSED = re.compile(
    r"\b(?:opened|unboxed|unwrapped|unpacked|took (?:it|them) out of the box)\b.{0,30}"
    r"\b(?:never|not|haven'?t|havent|didn'?t|didnt|hasn'?t|not even) (?:\w+ )?(?:been )?"
    r"(?:used|worn|tried|switched|turned|plugged)\b|"
    r"(?:拆了|拆开了?|打开了?|开封了?|拆封了?).{0,6}(?:没|未|还没)(?:有)?(?:用|使用|穿|戴|试|插电)",
    re.IGNORECASE,
)
# Opened, told alone while a return is talked about: "they've been opened obviously",
# "i already unboxed it", "拆过了肯定的啊", "已经拆开了": whether opened items go back.
_OPENED_TOLD = re.compile(
    r"^(?!.*\b(?:used|worn|tried|washed|broken|damaged|case)\b).*\b(?:opened|unboxed|unwrapped|"
    r"unpacked)\b|^(?!.*(?:用|穿|戴|洗|坏|破|工单)).*(?:拆过|拆了|拆开|拆封|开封|打开过|打开了)",
    re.IGNORECASE,
)
_OPENED_TOLD_WORDS = 8
_RETURNS_TOPIC = "ask_returns_refunds"
# Whether it can still go back: "still ok to send back", "is it returnable", "还能退不".
_STILL_RETURNABLE = re.compile(
    r"\breturn\w*|\b(?:send|take) (?:it |them )?back\b|\bgo back\b|退", re.IGNORECASE
)
# ...or the money back for it: "opened and used it, can i get a refund".
_WANTS_BACK = re.compile(
    _STILL_RETURNABLE.pattern + r"|\brefund\w*|\bmoney back\b", re.IGNORECASE
)


def asks_opened(turn: Turn) -> bool:
    """True when the customer asks whether an item with its packaging opened or torn can go
    back ("the seal on the box is broken cuz i opened it, still ok to send back", "包装膜破了
    还能退吗"), with no fault of the item itself and no complaint case open: the opened-
    packaging answer, not a complaint for a 'broken' seal."""
    text = turn.message.text
    returnable = _STILL_RETURNABLE.search(text) is not None
    told = _OPENED_UNUSED.search(text) is not None and (
        returnable or turn.dialogue.topic == _RETURNS_TOPIC
    )
    asked = returnable and _PACKAGING_OPENED.search(text) is not None
    # (Said alone, short, right after a returns answer: "they've been opened obviously".)
    told = told or (
        turn.dialogue.topic == _RETURNS_TOPIC
        and length(text) <= _OPENED_TOLD_WORDS
        and _OPENED_TOLD.search(text) is not None
    )
    if not (told or asked):
        return False
    if _complaint_open(turn) or DEFECT.search(_PACKAGING_OPENED.sub(" ", text)):
        return False
    return turn.deps.knowledge.entry(OPENED) is not None


def _complaint_open(turn: Turn) -> bool:
    return any(c.kind is CaseKind.COMPLAINT for c in turn.context.open_cases)


def _without_asks(text: str) -> str:
    """The text without the return wanted ("退货" in "想退货" is wanted, not done)."""
    return re.sub(r"(?:想|要|能|可以|申请|怎么|如何)退货|退货吗", "", text)


def _item(order: Order, text: str) -> str:
    """The item the customer names among the order's, else the order's items."""
    items = [i.strip() for i in order.items.split(";") if i.strip()]
    lowered = text.lower()
    for item in items:
        words = [w for w in re.split(r"\W+", item.lower()) if len(w) > 2 and not w[0].isdigit()]
        if item.lower() in lowered or (words and words[-1] in lowered):
            return item
    return ", ".join(items)


async def answer(turn: Turn) -> list[Reply]:
    """The return of the order in play: within the window (by its delivery date) or not, how
    to start it, that the label is free, when the refund comes; an order not delivered yet or
    not shipped gets what applies to it instead."""
    turn.outcome.matter = Matter.REFUND
    number = turn.order_in_play
    order = await inquiry.find_order(turn, number) if number is not None else None
    if order is None:
        entry = turn.deps.knowledge.entry(POLICY)
        if entry is None:
            return [turn.reply("help")]
        turn.answered_from(entry.id)
        return [Reply(entry.answer(turn.language))]
    item = _item(order, turn.message.text) or order.number
    if order.status == "cancelled":
        # Its refund explained: "so what now" next is that order's next step, not a return's.
        turn.explained(Told.CANCEL_REFUND)
        return [turn.reply("order_cancelled_refund", order=order.number)]
    if order.status == "processing":
        turn.explained(Told.UNSHIPPED_REFUND)
        return [turn.offer_human("order_unshipped_refund", order=order.number)]
    turn.outcome.statused.add(order.number)
    policy = turn.deps.knowledge.entry(POLICY)
    days = window_days(policy.answer("en") if policy is not None else None)
    delivered = order.eta_date()
    if order.status != "delivered" or delivered is None:
        turn.answered_from(POLICY, shown=False)
        return [turn.reply("return_on_its_way", order=order.number, item=item, days=days)]
    last_day = delivered + timedelta(days=days)
    values = {
        "order": order.number,
        "item": item,
        "day": format_day(delivered, turn.language),
        "until": format_day(last_day, turn.language),
        "days": days,
    }
    if turn.deps.clock().date() > last_day:
        turn.outcome.unresolved = True
        return [turn.offer_human("return_window_passed", **values)]
    turn.answered_from(POLICY, shown=False)
    return [turn.reply("return_within_window", **values)]


# The Reading detail of a return called off: the customer keeps the item.
KEEPS = "keeps_item"
# "nevermind ill keep it", "i won't send it back", "算了 不退了 留着吧", "还是留着用吧".
_KEEPS = re.compile(
    r"\b(?:i'?ll|ill|i will|i'?m gonna|im gonna|gonna|i'?d rather|i might as well|i'?ll just|"
    r"i think i'?ll|i decided to|decided to) (?:just |actually |probably )?keep (?:it|them|this|"
    r"that|the [\w -]{1,20}?)\b|"
    r"\bkeep(?:ing)? (?:it|them) (?:then|after all|instead|anyway)\b|"
    r"\b(?:won'?t|wont|not gonna|not going to|don'?t|dont|no need to) (?:bother )?"
    r"(?:return(?:ing)?|send(?:ing)?) (?:it|them)(?: back)?(?: after all| then)?\s*[.!]*$|"
    r"不退了|不退货了|不想退了|不用退了|还是不退|不寄回(?:去)?了|留着(?:吧|用|了|算了)|自己留着|"
    r"(?:我|就|还是)留着",
    re.IGNORECASE,
)
# A question about keeping it ("can i keep it and get a refund?") is no calling off.
_ASKS = re.compile(r"\?|？|\bcan i\b|\bcould i\b|能不能|可不可以|可以吗|行吗|吗", re.IGNORECASE)


def keeps_it(turn: Turn) -> bool:
    """True when, a return being talked about, the customer calls it off and keeps the item
    ("nevermind ill keep it", "算了 不退了 留着吧"): understood, nothing to send back."""
    text = turn.message.text
    return (
        turn.dialogue.topic == "ask_returns_refunds"
        and _KEEPS.search(text) is not None
        and _ASKS.search(text) is None
        and DEFECT.search(text) is None
        and not turn.parse.orders
    )


def kept(turn: Turn) -> list[Reply]:
    """Fine to keep it: no return started, nothing to send back."""
    return [turn.reply("return_called_off")]


# The Reading detail of a return window the customer cites back ("your site says 30 days").
CITED = "policy_cited"
# The window cited, said as ours: "your website says 30 days", "i thought you had 14 days",
# "you said 60 day returns", "你们不是说七天无理由吗", "网上写的15天可退".
_CITED = re.compile(
    r"\b(?:your (?:site|website|web ?site|page|app|policy|terms|ad|advert|faq)|you (?:guys )?"
    r"(?:said|say|told me|advertise|promised)|(?:it|site|website|page) (?:says|said)|i (?:thought|"
    r"read|was told|heard|saw))\b.{0,40}?\b(\d{1,3})[- ]?days?\b|"
    r"\b(\d{1,3})[- ]?days?\b.{0,30}\b(?:on your (?:site|website|page)|it says|you said)\b|"
    r"(?:不是说|不是有|说好的|说的是|写的是?|(?:网站|网上|页面|官网|详情页)(?:上)?(?:写|说)(?:的|了)?|你们(?:说|写|承诺)(?:的|了)?)"
    r"[^，。,.!?！？]{0,8}?(\d{1,3}|[一二三四五六七八九十]{1,3})天|"
    r"(?:不是|不都是|不是说|说好).{0,6}(?:七|7)天无理由|(七|7)天无理由(?:吗|呢|啊|的吗|嘛)",
    re.IGNORECASE,
)
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _days_number(said: str) -> int:
    """ "30" → 30, "七" → 7, "十五" → 15, "三十" → 30."""
    if said.isdigit():
        return int(said)
    tens, _, ones = said.partition("十")
    if "十" not in said:
        return _ZH_DIGITS.get(said, 0)
    return _ZH_DIGITS.get(tens, 1) * 10 + _ZH_DIGITS.get(ones, 0)


def cited_window(text: str) -> int | None:
    """The return window in days the customer says we state ("your website says 30 days
    though", "你们不是说七天无理由吗"), else None."""
    found = _CITED.search(text)
    if found is None or DEFECT.search(text):
        return None
    said = next((g for g in found.groups() if g), "7")
    return _days_number(said) or None


def cites_window(turn: Turn) -> bool:
    """True when the customer cites a return window back at us while a return is talked
    about (or in the same message): the policy point answered (the same, longer or shorter
    than ours), never negative feedback, "I can't change that" nor the team."""
    text = turn.message.text
    if cited_window(text) is None:
        return False
    return turn.dialogue.topic == _RETURNS_TOPIC or _STILL_RETURNABLE.search(text) is not None


def window_cited(turn: Turn) -> list[Reply]:
    """The cited window set against ours: agreed when the same, ours said when it is longer
    (a shorter one cited is no limit here) or shorter (what the policy says, and a person to
    check where they saw it)."""
    cited = cited_window(turn.message.text) or RETURN_DAYS
    policy = turn.deps.knowledge.entry(POLICY)
    days = window_days(policy.answer("en") if policy is not None else None)
    turn.answered_from(POLICY, shown=False)
    if cited == days:
        return [turn.reply("window_cited_same", days=days)]
    if cited < days:
        return [turn.reply("window_cited_shorter", days=days, cited=cited)]
    return [turn.offer_human("window_cited_longer", days=days, cited=cited)]



# The knowledge-base entry of a gift to return or exchange (handlers/data/faq.yml).
GIFT = "gift-return"
# The Reading detail of the gift's order number given ("found it: A-1003").
GIFT_ORDER = "gift_order"
# How long after the gift was talked about its order number, given cold, still continues it.
_GIFT_DAYS = 7
# A case of a gift's return or exchange, for the team to send the label.
GIFT_REASON = "gift return"


# The Reading detail of no order number to be had for the gift in play.
GIFT_NO_NUMBER = "gift_no_number"
# "i don't have the order number either", "they don't know it", "订单号也没有", "问不到".
_NO_NUMBER = re.compile(
    r"\b(?:don'?t|dont|do not|doesn'?t|does not|can'?t|cant|cannot|won'?t|no|lost|never got)\b"
    r".{0,30}\b(?:order (?:number|no\.?|#)|number|it|that|one)\b|\bno idea\b|"
    r"(?:订单号|单号|号码).{0,4}(?:没有|也没有|不知道|找不到|问不到|要不到)|"
    r"(?:没有|不知道|找不到|问不到|要不到|忘了).{0,4}(?:订单号|单号|号码)|问不到|要不到",
    re.IGNORECASE,
)


def gift_without_number(turn: Turn) -> bool:
    """True when, right after the gift-return answer, the customer says the order number
    cannot be had ("i don't have the order number either", "订单号也问不到")."""
    subject = turn.dialogue.subject_in_play()
    if subject is None or subject.entry != GIFT or subject.turn != turn.dialogue.turn - 1:
        return False
    text = turn.message.text
    return not turn.parse.orders and length(text) <= 14 and _NO_NUMBER.search(text) is not None


def gift_asked(turn: Turn) -> FaqEntry | None:
    """The gift-return entry, when the message (naming no order) returns or exchanges a
    gift ("it was a gift, i don't have the receipt", "朋友送的礼物想换 没有订单号")."""
    text = turn.message.text
    if turn.parse.orders or DEFECT.search(text):
        return None
    entry = turn.deps.knowledge.entry(GIFT)
    return entry if entry is not None and entry.named_in(text) else None


def gift_order(turn: Turn) -> bool:
    """True when the message gives an order number while a gift's return is what the
    customer came about: answered just now, or told in the last days ("found it: A-1003"
    the next day)."""
    if not turn.parse.orders or DEFECT.search(turn.message.text):
        return False
    entry = turn.deps.knowledge.entry(GIFT)
    if entry is None:
        return False
    subject = turn.dialogue.subject_in_play()
    if subject is not None and subject.entry == GIFT:
        return True
    return _gift_told(turn, entry) is not None


def _gift_told(turn: Turn, entry: FaqEntry) -> str | None:
    """The customer's latest message of the last days about a gift to send back, if any."""
    since = turn.deps.clock() - timedelta(days=_GIFT_DAYS)
    told = [
        m
        for m in turn.context.recent
        if m.sender is Sender.CUSTOMER
        and m.created_at >= since
        and m.text != turn.message.text
        and entry.named_in(m.text)
    ]
    return max(told, key=lambda m: m.created_at).text if told else None


async def gift_answer(turn: Turn) -> list[Reply]:
    """The gift's order given: within its window, a case for the team to e-mail the free
    label to the customer (the exchange sent to them, a refund to whoever paid), said back;
    an order past its window, not delivered, or unknown gets the order's return answer."""
    turn.outcome.matter = Matter.REFUND
    number = turn.order_in_play
    order = await inquiry.find_order(turn, number) if number is not None else None
    policy = turn.deps.knowledge.entry(POLICY)
    days = window_days(policy.answer("en") if policy is not None else None)
    delivered = order.eta_date() if order is not None else None
    if order is None or order.status != "delivered" or delivered is None:
        return await answer(turn)
    last_day = delivered + timedelta(days=days)
    if turn.deps.clock().date() > last_day:
        return await answer(turn)
    # The item the gift was said to be ("exchange a coffee machine, it was a gift").
    entry = turn.deps.knowledge.entry(GIFT)
    told = _gift_told(turn, entry) if entry is not None else None
    item = _item(order, f"{turn.message.text} {told or ''}") or order.number
    line = turn.say("gift_return_line", order=order.number, item=item)
    case = await turn.deps.cases.open(
        customer_id=turn.customer_id,
        kind=CaseKind.INQUIRY,
        priority=Priority.NORMAL,
        reason=GIFT_REASON,
        summary=with_order(line, order.number),
        topic="returns",
    )
    turn.outcome.case = case.number
    turn.outcome.statused.add(order.number)
    turn.answered_from(GIFT, shown=False, case=case.number)
    return [
        turn.reply(
            "gift_return_order",
            order=order.number,
            item=item,
            day=format_day(delivered, turn.language),
            until=format_day(last_day, turn.language),
            number=case.number,
        )
    ]
