"""What one request means in its conversation: the ordered table of readings.

Each reading below looks at one request (a clause of the customer's message) with the chat's
conversation state and either says what it means (a ``context.Reading``: the intent to act on,
and a detail that picks the behaviour) or passes. The first that answers wins; when none does,
``context.read`` reads it (bare follow-ups, the open question, the engine's intent).

The order is the design: the customer's own words about the conversation come first (close
the case, switch language, take or turn down what the bot offered, push back), then readings
of what they ask (a day, an order pointed back to, a parcel shown delivered but missing, a
refund's route), then what they say about an open case, then topics the engine reads too
broadly (a suggestion, a product by name). A new reading goes where its examples would
otherwise be read wrongly by an earlier one, with its examples in its docstring and a test
naming it; `python -m bot test conversations -v` shows which reading read each request.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from handlers import (
    add_item,
    advice,
    agent_said,
    attributes,
    basket,
    cancel,
    cancelled,
    care,
    case_questions,
    cases,
    combine,
    complaint,
    confirms,
    contact,
    context,
    corrected,
    courier,
    declined,
    delivery_options,
    difference,
    escalation,
    feedback,
    followups,
    greeting,
    hazard,
    hours,
    hurry,
    inquiry,
    instructions,
    invoice,
    lost_parcel,
    meanwhile,
    next_step,
    number_later,
    order_arrival,
    order_change,
    other_item,
    other_way,
    pair,
    parts,
    pay_trouble,
    pay_ways,
    photos,
    privacy,
    products,
    proposals,
    quantity,
    reach_back,
    refund_route,
    refund_wait,
    remarks,
    remedy,
    resigned,
    return_label,
    returns,
    sarcasm,
    saved_address,
    security,
    service,
    shop_offers,
    store_pickup,
    subject_order,
    supposed,
    timing,
    told,
    too_slow,
)
from handlers.acts import Act
from handlers.catalogue import CatalogueError
from handlers.clauses import ideographs, only_greeting
from handlers.dialogue import Question
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.wording import JUDGES
from nlu import FALLBACK

# A reading: the request and whether a case is open, to what it means, or None to pass.
ReadRule = Callable[[Turn, bool], Awaitable[context.Reading | None]]
# The name given when no reading in the table answered.
IN_CONTEXT = "in_context"


async def read(turn: Turn, *, has_open_case: bool) -> tuple[context.Reading, str]:
    """What the request means, and the name of the reading that said so."""
    for rule in READINGS:
        reading = await rule(turn, has_open_case)
        if reading is not None:
            return reading, rule.__name__
    reading = context.read(turn, has_open_case=has_open_case)
    # Last, over what context.read made of it: only a question it could not place.
    asked = asks_with_case_open(turn, has_open_case, reading)
    if asked is not None:
        return asked, asks_with_case_open.__name__
    order = order_not_case(turn, has_open_case, reading)
    if order is not None:
        return order, order_not_case.__name__
    fault = fault_not_shop(turn, has_open_case, reading)
    if fault is not None:
        return fault, fault_not_shop.__name__
    return reading, IN_CONTEXT


# Buying words beside a fault ("my kettle broke, do you have a new one", "坏了 想买个新的"):
# the shop's line is what they want.
_BUYS = re.compile(
    r"\b(?:buy|order|purchase|get)\b (?:a |an |another |the )?(?:new|replacement|another)\b|"
    r"\b(?:new|another) one\b|\bin stock\b|\bhow much\b|\bprice\b|"
    r"买(?:个|一个|台|一台)?新|再买|重新买|换个新|多少钱|有货|价格|库存",
    re.IGNORECASE,
)


def fault_not_shop(
    turn: Turn, has_open_case: bool, reading: context.Reading
) -> context.Reading | None:
    """ "扫地机器人充不进电了 去年买的", "the robot vacuum keeps dying" read as the product's
    price and stock: a fault of an item they have is the complaint's (its case, the
    warranty), no shop line; not when they ask to buy one ("do you have a new one")."""
    if reading.intent != context.PRODUCT_AVAILABILITY or reading.detail is not None:
        return None
    text = turn.message.text
    if not context.DEFECT.search(text) or context.denies_defect(text) or _BUYS.search(text):
        return None
    return context.Reading("complaint")


def order_not_case(
    turn: Turn, has_open_case: bool, reading: context.Reading
) -> context.Reading | None:
    """ "so whats actually happening with it", "is it lost or what" read as a case's status
    with no case open and an order in play: that order's state (late: sorry, when late
    parcels turn up, the case offered), never "you have no open case"; "hows it looking",
    "有啥新消息吗" the engine could not place, the same: news of that order."""
    if has_open_case or reading.detail is not None:
        return None
    if reading.intent == FALLBACK:
        if not cases.asks_for_update(turn.message.text):
            return None
    elif reading.intent != context.CASE_STATUS:
        return None
    if turn.order_in_play is None or cases.names_a_case(turn.message.text):
        return None
    return context.Reading("ask_order_status")


async def gives_case_order(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "A-5520", "order 58213", "its 5500123", "订单是A-1506" with this conversation's case
    open and no order on it, the bot's question for it answered in between or never asked:
    the case's order (put on it), never that order's status nor a new case."""
    if not has_open_case or complaint.waits_for_order(turn) is None:
        return None
    return context.Reading("complaint", detail=complaint.CASE_ORDER)


async def other_order_too(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "and order A-1005 is late too", "my other order A-1005 hasn't arrived either, add it
    to the case", "A-1005也延误了 一起加到工单里" with a complaint case open about another
    order: a complaint about that order, on the case about it or a new one (said so), never
    a line on the other order's case nor only its status."""
    if not has_open_case or complaint.other_order_trouble(turn) is None:
        return None
    return context.Reading("complaint")


async def tells_case_item(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "the keyboard", "鼠标", "stopped working", "用不了" while the bot waits for the order
    number of the case just opened about an item: more for that case (noted on it, the
    number still wanted), not the product's price and stock, an FAQ answer nor a fallback."""
    if not has_open_case or not resigned.awaits_case_order(turn) or turn.parse.orders:
        return None
    text = turn.message.text
    if context.length(text) > _CASE_ITEM_WORDS or is_question(text):
        return None
    if context.DEFECT.search(text):
        return context.Reading("complaint", detail=complaint.CASE_MORE)
    if _case_fragment(turn, text) or _WHICH_ONE.search(text):
        # "bent leg", "不好使": a fragment that only makes sense after the item just named
        # is how that item is wrong (the engine can place it nowhere on its own).
        return context.Reading("complaint", detail=complaint.CASE_MORE)
    catalogue = turn.deps.catalogue
    if catalogue is None or context.length(text) > _CASE_ITEM_WORDS // 2:
        return None
    try:
        named = await catalogue.search(text)
    except CatalogueError:
        return None
    return context.Reading("complaint", detail=complaint.CASE_MORE) if named else None


# Up to this many words, a fault or (half as many) a product told while the case's order is
# asked for is the case's.
_CASE_ITEM_WORDS = 6
# Which of its kind the item is, said alone ("the cordless one", "the 5.5L digital model",
# "无线的那个", "6升那款"): the item of the case told more exactly, not a product asked after.
_WHICH_ONE = re.compile(
    r"^\W*(?:it'?s |its |it was |mine'?s )?(?:the |my |that )?(?:[\w.\-]+ ){0,3}"
    r"(?:one|model|version|type|kind)\W*$|"
    r"^\W*(?:是)?[\w.\-\u4e00-\u9fff]{1,8}(?:的那个|那个|的那款|那款|款的|的那台|那台)[吧啊呀的]?\W*$",
    re.IGNORECASE,
)
# What a fragment says of something else than the item: the order number ("dont know it",
# "不记得"), the chat itself ("sorry took a while", "不好意思久等了"), how they paid ("paid
# with amex", "用微信付的": the case's payment detail, read as such elsewhere).
_NOT_THE_ITEM = re.compile(
    r"\b(?:know|remember|number|find|found|look|looking|email|e-mail|sec|moment|minute|later|"
    r"sorry|while|wait|waiting|paid|pay|payment|card|paypal)\b|"
    r"知道|记得|订单号|单号|号码|找|邮件|等一下|稍等|一会|回头|不好意思|抱歉|久等|付|支付|刷卡",
    re.IGNORECASE,
)


def _case_fragment(turn: Turn, text: str) -> bool:
    """True for a few words the engine reads as nothing, or as a complaint, while the case
    just opened about an item waits for its order ("bent leg", "不好使", "screen all
    blotchy"): how that item is wrong, more for the case."""
    if turn.parse.intent not in (FALLBACK, "complaint") or _NOT_THE_ITEM.search(text):
        return False
    words = len(re.findall(r"[A-Za-z0-9']+", text)) + ideographs(text) // 2
    return words > 1 or ideographs(text) >= 3


async def number_coming(turn: Turn, _: bool) -> context.Reading | None:
    """ "just a sec, looking for the number", "单号稍等一下", "等我翻翻单号", "still looking"
    while the bot waits for an order number (or about what it would need one for): no rush, and the
    question stays open for the number sent next; never "no number, shall I bring in a
    person", nor a detail put on the case, nor another order's status."""
    asked = number_later.promises(turn)
    if asked is None:
        return None
    return context.Reading(context.purpose_intent(asked.purpose), detail=number_later.LATER)


async def item_for_number(turn: Turn, _: bool) -> context.Reading | None:
    """ "it's the kettle one", "买的榨汁机" to the bot's question for the order number, no
    known order holding it: that order's number asked for, the request it was for kept (not
    "no number needed", nor the product's price and stock)."""
    if await number_later.item_instead(turn) is None:
        return None
    purpose = turn.dialogue.asked.purpose if turn.dialogue.asked is not None else None
    return context.Reading(context.purpose_intent(purpose), detail=number_later.ITEM)


async def returns_gift(turn: Turn, _: bool) -> context.Reading | None:
    """ "it was a gift, i don't have the receipt or the order number", "朋友送的礼物 想换 没有
    订单号": the gift-return answer (what the shop needs instead), not gift prices nor a
    product's stock; its order number given then or days later ("found it: A-1003",
    "找到了 A-1003"): the return or exchange of that order started, not news that it came;
    no number to be had ("i don't have the order number either"): how the team finds the
    order without it, a person offered."""
    if returns.gift_order(turn):
        return context.Reading("ask_returns_refunds", detail=returns.GIFT_ORDER)
    if returns.gift_without_number(turn):
        # "i don't have the order number either": how the team finds it without, a person.
        return context.Reading("ask_returns_refunds", detail=returns.GIFT_NO_NUMBER)
    entry = returns.gift_asked(turn)
    return None if entry is None else context.Reading(entry.intent, entry=entry.id)


async def order_for_subject(turn: Turn, _: bool) -> context.Reading | None:
    """ "order a-2048" after "i want to return my kettle", "单号是A-6650" after "where is my
    refund": the order of the return or refund being talked about, answered for that subject
    (its return window, its refund's state), never its bare delivery status."""
    return subject_order.reads(turn)


async def asks_refund_case_news(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "where's my money", "wheres my money??", "钱呢", "any update on the refund" with a
    refund's or a return's case open (about this order, if one is named): that case's news,
    its state, what happens next and when (not an order's status, the refund policy or the
    order number asked for again)."""
    if not has_open_case or not cases.asks_refund_news(turn.message.text):
        return None
    case = await cases.case_for_order(turn, turn.order_in_play)
    if case is None or not cases.about_refund(case):
        return None
    return context.Reading(context.CASE_STATUS)


async def wants_case_money_now(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "I want my money back today", "refund me right now", "今天就要退", "马上把钱退给我"
    with a case open that owes money (a double or wrong charge, a refund owed, a late or lost
    parcel): when that case's money comes, that it can't be sped up from here and what can
    (a person, its priority), never the returns policy nor a detail added to the case."""
    if not has_open_case or not cases.wants_money_now(turn.message.text):
        return None
    case = await cases.case_for_order(turn, turn.order_in_play)
    if case is None or await cases.money_step(turn, case) is None:
        return None
    return context.Reading(context.CASE_STATUS, detail=cases.MONEY_NOW)


async def refund_waited_on(turn: Turn, _: bool) -> context.Reading | None:
    """ "can you check where it is", "你们收到了吗" while a refund not received is the subject:
    the parcel sent back (its tracking, the team to trace it), not the order's delivery line;
    "its been 8 days already", "都8天了": those days against a refund's usual time."""
    if refund_wait.asks_parcel(turn):
        return context.Reading("ask_returns_refunds", detail=refund_wait.PARCEL)
    if refund_wait.says_waited(turn) is not None:
        return context.Reading("ask_returns_refunds", detail=refund_wait.WAITED)
    if refund_wait.asks_status(turn) or (
        refund_wait.sent_back_waiting(turn.message.text, turn.deps.clock().date())
    ):
        # "i returned my order 51003, whats the status of my refund?": that order's refund;
        # "快递员上门取走了 退款咋还没到": the refund of what went back, not how to return.
        return context.Reading("ask_returns_refunds", detail=refund_wait.STATUS)
    return None


async def gives_tax_number(turn: Turn, _: bool) -> context.Reading | None:
    """ "vat no GB123456789", "税号是91310000MA1FL2XQ3K" right after the invoice answer: the
    number for the invoice request (not a no, not an order number, not asked for again)."""
    if invoice.tax_number(turn) is not None:
        return context.Reading("ask_payment", detail=invoice.DETAIL)
    return None


async def adds_company_detail(turn: Turn, _: bool) -> context.Reading | None:
    """ "can u add our vat number too", "再加个税号", "put the company address on it as well",
    "要写单位的" right after the invoice answer: the company invoice's answer (where to add
    the company's name, address and VAT number), not thanks for a suggestion nor a delivery
    address."""
    if invoice.adds_company_detail(turn):
        return context.Reading("ask_payment", entry=invoice.COMPANY_ENTRY)
    return None


async def corrects_order(turn: Turn, _: bool) -> context.Reading | None:
    """ "no wait sorry wrong one its W-20391", "sorry typo B-3301", "i mean 88231", "打错了
    应该是 20261101778", "单号发错了 是这个 JD884422": the new number replaces the order given
    before, answered for what the bot was doing with it (its status, express, a new address,
    its return, its cancellation)."""
    wrong = corrected.wrong_order(turn)
    if wrong is None:
        return None
    if (
        corrected.case_with(turn, wrong) is None
        and returns_order.__name__ in turn.dialogue.readings
    ):
        # The return of an order asked for just before: that answer for the right one.
        return context.Reading("ask_returns_refunds", detail=returns.DETAIL)
    subject = turn.dialogue.subject_in_play()
    if subject is not None and subject.entry in corrected.ORDER_ENTRIES:
        # Express, or a new address, for the order: the same answer for the right one.
        return context.Reading("ask_delivery", entry=subject.entry, detail=corrected.DETAIL)
    topic = turn.dialogue.topic
    intent = topic if topic == context.CANCEL_ORDER else "ask_order_status"
    return context.Reading(intent, detail=corrected.DETAIL)


async def corrects_product(turn: Turn, _: bool) -> context.Reading | None:
    """ "sorry i meant the dishwasher", "不对 我说的是洗碗机" right after an answer about
    another product: the same question of the product meant (paying for it in parts, the
    attribute just told, its price), never a case's item nor a detail to change."""
    if await corrected.product_meant(turn) is None and await corrected.meant_unsold(turn) is None:
        return None
    return context.Reading(products.INTENT, detail=corrected.PRODUCT)


async def corrects_item(turn: Turn, _: bool) -> context.Reading | None:
    """ "sorry i meant the kettle not the toaster", "说错了 是吹风机坏了" right after a case was
    opened or spoken of: the case amended to the item meant (no second case, no order number
    asked for again)."""
    if await corrected.corrected_item(turn) is None:
        return None
    return context.Reading("complaint", detail=corrected.ITEM)


async def corrects_subject(turn: Turn, _: bool) -> context.Reading | None:
    """ "sorry i meant the toaster" after a price asked, "oh sorry i meant the other one"
    after a return question, "说错了 我是想问烤面包机": the request before asked again of the
    thing meant (no case was opened about it, so none is opened now; a fault named is one)."""
    text = turn.message.text
    topic = turn.dialogue.topic
    if not corrected.corrects_item_named(text) or context.DEFECT.search(text) or topic is None:
        return None
    if topic in (products.INTENT, products.PRODUCT_INFO):
        return context.Reading(topic) if turn.parse.entity("product") is not None else None
    if topic in context.KNOWLEDGE_TOPICS and turn.parse.intent == "complaint":
        # The same question, of the thing meant: its answer again.
        before = corrected.asked_before(turn)
        return None if before is None else context.Reading(topic, question=before)
    return None


async def complains_of_service(turn: Turn, _: bool) -> context.Reading | None:
    """ "the lady i phoned just hung up on me", "the agent in your live chat was really rude",
    "打客服电话 对方态度特别差", "发了好几封邮件都没人回": a complaint about how our people
    or channels treated them (apology, a case, what happens next), never the phone line, the
    e-mail address or the account's e-mail settings its words name; a person asked for too
    is that request."""
    text = turn.message.text
    if not service.complained(text) or escalation.asks_for_person(text):
        return None
    return context.Reading("complaint")


async def tells_more_of_service(turn: Turn, _: bool) -> context.Reading | None:
    """ "he was called Tom and it was at the London store", "是昨天下午打电话的时候", "在北京店
    一个男的" right after a complaint about how our staff treated them: more for that case
    (on it), never the phone line, out of scope or a person asked for unasked."""
    if service.tells_more(turn) and not escalation.asks_for_person(turn.message.text):
        return context.Reading("complaint")
    return None


async def asks_case_number(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "wats the ticket no", "my ref?", "send me my case number", "我那个案子号是多少来着",
    "我的单子编号发一下", "把工单号发我一下" with a case open: its number (and where it
    stands), never the shop's phone line, a remedy chosen nor a detail put on the case."""
    if has_open_case and not turn.parse.orders and cases.asks_number(turn.message.text):
        return context.Reading(context.CASE_STATUS)
    return None


async def close_case(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "you can close it, all sorted", "问题解决了 可以关了", with one open "nah forget the
    case, it works again" / "工单不用了": the case closed at their word; "never mind then",
    "forget it", "那算了" right after the bot opened one: that case withdrawn."""
    text = turn.message.text
    if cases.asks_to_close(text) or (has_open_case and cases.no_longer_wanted(text)):
        return context.Reading(cases.CLOSE)
    if has_open_case and cases.drops_just_opened(turn):
        return context.Reading(cases.CLOSE, detail=cases.WITHDRAWN)  # "never mind then"
    return None


async def tells_solved(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "works now, my bad it wasnt plugged in", "哦 好了 插头没插紧" with a case open: glad, and
    that case closed (not one more detail filed on it for the team)."""
    if has_open_case and cases.solved_itself(turn.message.text) and not turn.parse.orders:
        return context.Reading(cases.CLOSE, detail=cases.SOLVED)
    return None


async def withdraws_proposal(turn: Turn, _: bool) -> context.Reading | None:
    """ "actually keep it, the white one is fine", "forget the refund", "白的也挺好看 不换了",
    "换货取消掉" with an exchange or a return the last thing proposed: that one taken back
    (its case closed or noted), never the order's cancellation refused nor a detail for the
    case; the request after it ("just send the right one") is one of its own."""
    if proposals.switches_to_refund(turn):
        # "我不要换货了 我要退款": the return goes ahead as a refund, not withdrawn.
        return context.Reading("ask_returns_refunds", detail=proposals.TO_REFUND)
    if proposals.withdraws(turn):
        return context.Reading("ask_returns_refunds", detail=proposals.DETAIL)
    if proposals.resends_instead(turn):
        return context.Reading("complaint", detail=context.REMEDY)
    return None


async def same_for_other(turn: Turn, _: bool) -> context.Reading | None:
    """ "the other order too", "same for 55121", "还有一个订单也是" after a cancellation, a
    chase or a return was set going for one of two orders named: the same for the other one,
    its number no new query (not its status, nor a detail for the first one's case)."""
    found = proposals.again_for(turn)
    if found is None:
        return None
    return context.Reading(proposals.again_intent(found[0]), detail=proposals.AGAIN)


async def checks_cancel(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "so the order isn't cancelled yet, right?", "so its definitely cancelled now?",
    "意思是已经取消了是吧", "所以没取消成功？" after a cancellation was taken: where it
    stands (its case), not a new cancellation, the invoice text nor the fallback."""
    if await cancel.checks_it(turn, has_open_case=has_open_case):
        return context.Reading(cancel.INTENT)
    return None


async def confirms_answer(turn: Turn, _: bool) -> context.Reading | None:
    """ "so there's no receipt in the parcel, yeah?", "and it's free, right?", "那就是不用我付
    运费吧", "不会收我钱吧" right after an FAQ answer: what that answer says of it (as said
    just now), never a missing item's case, a change the bot can't make nor another entry."""
    entry = confirms.checks(turn)
    if entry is None:
        return None
    found = turn.deps.knowledge.entry(entry)
    if found is None:
        return None
    return context.Reading(found.intent, entry=entry, detail=confirms.DETAIL)


async def cancels_whole_again(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "no forget it, cancel the whole order", "算了 还是全部取消吧" while the cancellation's
    case asks for one item off: the case back to the whole order (not the cancellation
    withdrawn and the case closed)."""
    if await cancel.whole_again(turn, has_open_case=has_open_case):
        return context.Reading(cancel.INTENT, detail=cancel.WHOLE_AGAIN)
    return None


async def drops_from_cancel(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "can you just drop the mouse from it and keep the rest", "别全取消 只把键盘去掉" after a
    cancellation was asked for: that item's removal passed on, on the case (a change to the
    order), not the whole cancellation withdrawn nor the cancellation said again."""
    if await cancel.drops_item(turn, has_open_case=has_open_case):
        return context.Reading(cancel.INTENT, detail=cancel.PARTIAL)
    return None


async def withdraws_cancel(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "actually wait dont cancel it", "changed my mind keep the order", "算了 还是不取消了",
    "别取消了" after the bot took a cancellation: taken back (not one more cancellation, not
    a plain no)."""
    if await cancel.withdraws(turn, has_open_case=has_open_case):
        return context.Reading(cancel.INTENT, detail=cancel.WITHDRAW)
    if cancel.asks_after_withdrawal(turn):
        return context.Reading("ask_order_status")  # "so is it still coming?", "还能按时到吗"
    return None


async def withdraws_change(turn: Turn, _: bool) -> context.Reading | None:
    """ "nah stick with my current address", "地址别动了", "还是用原来的地址吧" right after an
    address or a delivery instruction was passed on: that change taken off its case and said
    (not a plain no that leaves it for the team, nor a detail added to it)."""
    if instructions.withdraws(turn):
        return context.Reading("ask_delivery", detail=instructions.WITHDRAWN)
    return None


async def changes_order(turn: Turn, _: bool) -> context.Reading | None:
    """ "can I change it to white?", "switch it to a size L", "改成白色的" with an order in
    play: that order changed (on a case for the team before it ships, or the exchange once
    it has come), never the address change nor the e-mail change its "change" is near."""
    if not order_change.asks(turn):
        return None
    if turn.order_in_play is None:
        # "i ordered the wrong size, can i change it to a large", "我想改一下订单": which
        # order, the change kept for when its number comes (not a wrong item's case).
        return context.Reading(context.CHANGE_ORDER)
    order = await inquiry.find_order(turn, turn.order_in_play)
    if order is None or order.status == "delivered":
        return None  # "can i get it in black instead" once it came: the exchange's own answer
    return context.Reading("ask_order_status", detail=order_change.DETAIL)


async def withdraws_handover(turn: Turn, _: bool) -> context.Reading | None:
    """ "actually nvm i figured it out", "算了 不用了 我自己弄好了", "wait no dont" right after
    a person was asked for: the hand-over taken back and said so (not a plain no that leaves
    the case standing for the team)."""
    if escalation.withdraws_handover(turn):
        return context.Reading("request_human", detail=escalation.WITHDRAWN)
    return None


async def why_refused(turn: Turn, _: bool) -> context.Reading | None:
    """ "how come?", "为啥不行" right after a cancel, express or new address was refused
    because the order shipped: the reason once (not the refusal again, not a person)."""
    if followups.asks_why_shipped(turn):
        return context.Reading("ask_order_status", detail=followups.WHY_SHIPPED)
    return None


async def why_on_the_subject(turn: Turn, _: bool) -> context.Reading | None:
    """ "why tho", "how come?", "为啥啊", "咋回事", "为什么不能退" right after an answer whose
    entry says why (a card declined, a charge that looks double, a used item not taken
    back): that reason (``why:`` in faq.yml); an entry with none ("why?" after how to change
    an e-mail): said honestly, and a person offered; never the answer again nor the open
    case's status."""
    entry = followups.why_entry(turn)
    if entry is None:
        return None
    return context.Reading(entry.intent, entry=entry.id, detail=followups.WHY)


async def why_remedy(turn: Turn, _: bool) -> context.Reading | None:
    """ "how come", "为啥" right after a refund or a replacement was noted on the case with
    what happens next: why it goes so (the refund once the item is back, the new one once
    the old one is on its way), never the case's status."""
    return context.Reading("complaint", detail=remedy.WHY) if remedy.asks_why(turn) else None


async def language(turn: Turn, _: bool) -> context.Reading | None:
    """ "能说中文吗", "english please": yes, in that language (set before the turn). A request
    to speak a language with something else in it ("in english: where is A-1001") passes."""
    text = turn.message.text
    if greeting.only_asks_language(text) or (
        greeting.requested_language(text) is not None
        and not turn.parse.orders
        and (
            turn.parse.intent in (FALLBACK, "greet", "thanks", "out_of_scope")
            # "do you speak chinese?" read at 0.54 as a product question: no request of its own.
            or turn.parse.confidence < 0.6
        )
    ):
        return context.Reading(greeting.LANGUAGE)
    return None


async def cancelled_order_questioned(turn: Turn, _: bool) -> context.Reading | None:
    """ "i never cancelled it??", "我没取消啊 谁给我取消的", "was i charged for it", "钱扣了没"
    about the cancelled order in play: why it may have been cancelled and a person to find
    out, or what happens to its money (not its status line again, nor a card hold)."""
    if await cancelled.disputed(turn):
        return context.Reading("ask_order_status", detail=cancelled.DISPUTED)
    if await cancelled.asks_money(turn):
        return context.Reading("ask_returns_refunds", detail=cancelled.CHARGED)
    return None


async def supposes_about_order(turn: Turn, _: bool) -> context.Reading | None:
    """ "say it's still not here on saturday, is that a refund", "万一路上压坏了呢", "what if
    it packs in after a few months" right after an order's status: what happens for that
    order (its date and carrier, its item, its warranty), not the refund, damage or mains
    text, no case opened for what has not happened, no "which order?"."""
    if await supposed.about_order(turn) is None:
        return None
    return context.Reading("ask_order_status", detail=supposed.DETAIL)


async def supposes_a_problem(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "what happens if the item is damaged in transit", "if the wrong item turns up what do
    i do", "缺配件的话怎么弄", "要是收到的时候箱子破了能拒收吗" with no order in play nor case
    open: what the shop does should it happen (or the entry answering it as asked: "如果收到的
    东西坏了 运费谁出" ... the postage back), never a case opened nor an order number asked
    for a problem that has not happened."""
    if has_open_case or turn.order_in_play is not None or turn.parse.orders:
        return None
    if supposed.supposed_of_any(turn.message.text) is None:
        return None
    if parts.broken_bought(turn.message.text):
        return None  # "内胆要是坏了可以单独买一个吗": the part to buy (``asks_part``)
    entry = supposed.entry_as_asked(turn)
    if entry is not None:
        return context.Reading("ask_returns_refunds", entry=entry)
    return context.Reading("ask_returns_refunds", detail=supposed.ANY)


async def asks_shop_offer(turn: Turn, _: bool) -> context.Reading | None:
    """ "can you gift wrap it", "send it to my mum's address as a gift", "resend please but
    after the 30th", "we'd buy 20 for the office, any discount?", "do you price match", "能写张
    贺卡吗", "寄到我妈家 送她的", "批发有优惠吗", "公司采购能便宜点吗", "别家更便宜能跟价吗",
    "30号以后再送": what the shop does about it (handlers/shop_offers.py), never the fallback,
    a complaint case, nor a question left on an open case for the team."""
    entry = shop_offers.asked(turn)
    if entry is None:
        return None
    return context.Reading(entry.intent, entry=entry.id, detail=shop_offers.DETAIL)


async def asks_price_difference(turn: Turn, _: bool) -> context.Reading | None:
    """ "do i get the difference back", "how is the difference worked out", "差价咋算", "its
    cheaper now on your site", "买完就降价了", "换贵的要补钱吗": how a price difference is
    settled (refunded or paid, and when), never the product's price again, a complaint case,
    the delivery prices, or a question left for the team ("can i keep it and get the
    difference back" on a wrong-item case stays the team's; "差价咋算" right after two
    products' prices is the gap between them, ``pair``)."""
    text = turn.message.text
    if not difference.asks_price_difference(text):
        return None
    if not difference.settles(text) and await pair.follows_up(turn) == pair.DETAIL:
        return None  # "差价咋算" right after two products' prices: the gap between them
    if turn.parse.orders and difference.drops(text):
        # "bought it last week (order 88101), now it's cheaper": that order's days.
        return context.Reading(
            "ask_returns_refunds", entry=difference.PRICE_ENTRY, detail=difference.ORDER
        )
    return context.Reading("ask_returns_refunds", entry=difference.PRICE_ENTRY)


async def adds_to_order(turn: Turn, _: bool) -> context.Reading | None:
    """ "can i still add something to it", "is it too late to add a laptop stand", "还能加东西
    吗", "能不能再加个鼠标进去" with an order named or in play: an order can't take more, so a
    new one (and the two sent together while both wait), not the invoice nor express."""
    if add_item.asks(turn):
        return context.Reading("ask_delivery", entry=add_item.ENTRY)
    return None


async def account_address(turn: Turn, _: bool) -> context.Reading | None:
    """ "put the new one on my profile as well", "账户里的地址也一起改了吧" (after an order's
    new address, or alone): the account's saved address, changed in the account, not one
    more delivery instruction nor the order's address change asked again."""
    if saved_address.asks(turn):
        return context.Reading("ask_account", detail=saved_address.DETAIL)
    return None


async def identifies_self(turn: Turn, _: bool) -> context.Reading | None:
    """ "cant find my order, my email is ..." (the profile's e-mail), "i ordered with ...,
    where is it", "注册邮箱是 ... 帮我查下订单": who they are, and the order asked after; not
    a new contact e-mail saved over theirs, nor the account's settings."""
    if reach_back.identifies_for_order(turn):
        return context.Reading("ask_order_status", detail=reach_back.IDENTIFIED)
    return None


async def gives_own_contact(turn: Turn, _: bool) -> context.Reading | None:
    """ "btw my number is 07700 900456", "邮箱是xx@qq.com" with a case open, "can someone
    ring me on 07700 900123", "给我回个电话": the customer's own details or a call back,
    noted on the case and confirmed (not the shop's phone line, the account's settings nor a
    person brought in)."""
    return (
        context.Reading("contact", detail=reach_back.DETAIL)
        if reach_back.gives_or_asks(turn)
        else None
    )


async def asks_if_told(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "will i receive an e-mail once its done", "do i get a confirmation?", "will i be notified",
    "到时候会有短信提醒吗", "会发邮件给我吗" with a case open (a cancellation, a refund, a fault):
    how they hear (here, then a confirmation e-mail), not the shop's address nor its status."""
    if not cases.asks_if_told(turn.message.text) or (turn.parse.orders and not has_open_case):
        return None
    # A clause of a longer message ("烤面包机到货了 能通知我吗"): the message as a whole says
    # what they want to hear of.
    whole = (m.text for m in turn.context.recent if m.id == turn.message_record)
    if cases.told_about_else(next(whole, turn.message.text)):
        return None
    return context.Reading(cases.NOTIFY, detail=cases.NOTIFIED)


async def reaches_shop(turn: Turn, _: bool) -> context.Reading | None:
    """ "whats the phone number", "can i call someone", "do you have an email address",
    "客服电话多少", "有没有邮箱", "能打电话吗", and "ok what about email then" right after: the
    shop's contact channels (this chat, /agent, e-mail, the phone line and its hours), not
    the account's settings nor a person brought in unasked."""
    entry = contact.entry_asked(turn)
    if entry is not None and contact.phone_at_weekend(turn, entry):
        # "can i ring on sunday": no, plainly, before the line's weekday hours.
        return context.Reading("ask_opening_hours", entry=entry, detail=contact.WEEKEND)
    return None if entry is None else context.Reading("ask_opening_hours", entry=entry)


async def tells_when_in(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "only open mondays", "nobody home on tuesday", "周二家里没人", and asked, "what if
    nobody's home on friday", "周五家里没人怎么办", after an order's delivery or arrival answer,
    or with a case open: a note for the courier on the order in play
    (said back, and how it reaches the driver: handlers/instructions.py), not the team's
    hours, the courier's delivery days, a case's status or a complaint."""
    text = turn.message.text
    # "what if nobody's home on friday", "周五家里没人怎么办": what happens then, and the day
    # noted the same way for the order (never the team's hours nor "welcome back").
    asked = instructions.asks_when_out(text)
    if not asked and (is_question(text) or not instructions.tells_when_in(text)):
        return None
    if inquiry.order_number(turn) is None:
        # No order to note it for: what happens when nobody is in, all the same.
        return context.Reading("ask_delivery", entry=instructions.NOT_HOME) if asked else None
    on_delivery = followups.delivery_in_play(turn) or turn.dialogue.topic == "ask_order_status"
    if not (has_open_case or on_delivery):
        return None
    return context.Reading("ask_delivery", detail=instructions.WHEN_OUT if asked else None)


async def needs_it_for_case(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "this is so annoying i needed it for the weekend", "烦死了 周末要用的", "needed it for my
    daughters birthday on saturday" with a case open: the day they need it by, noted on the
    case and said back (not the team's weekend hours, nor the order's delivery days)."""
    text = turn.message.text
    if not has_open_case or turn.parse.intent in _ACTS_ON_ITS_OWN:
        return None
    if not complaint.needs_it_by(text):
        return None
    return context.Reading("complaint")


async def takes_wait_badly(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "great so nobody till monday", "monday?? are you serious", "周一?? 那我这两天咋办",
    "要等到周一啊 服了" out of hours, once the bot said when the team is back: the wait
    acknowledged and what can be done now (the case first in the queue, an urgent flag), not
    the hours again, a bare status or a generic apology."""
    if not escalation.takes_wait_badly(turn):
        return None
    return context.Reading(
        context.CASE_STATUS if has_open_case else "ask_opening_hours",
        detail=escalation.WAIT_TILL_BACK,
    )


async def asks_case_priority(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "what priority is my case", "is it marked urgent?", "我的工单是加急的吗" with a case
    open: the priority it has (the bot's own flag said back as it said it) and what that means
    for the wait, never "for the team to decide" nor the case raised unasked."""
    if has_open_case and cases.asks_priority(turn.message.text) and not turn.parse.orders:
        return context.Reading(context.CASE_STATUS)
    return None


async def asks_who_has_case(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "who's handling it", "is an agent on it", "is lena still working on my case?", "还有人
    在处理吗", "客服在跟进吗" from a customer with a case: who has it now (an agent, nobody yet,
    back with the bot, or closed and by whom), never a new case handed over, the team's hours
    or an order's status."""
    text = turn.message.text
    if not cases.asks_owner(text) or escalation.asks_for_person(text):
        return None
    if complaint.vents(turn, text):
        return None  # "到底有没有人管": venting, met as venting about the case is
    if not has_open_case and not await turn.deps.cases.for_customer(turn.customer_id):
        return None
    return context.Reading(context.CASE_STATUS)


async def takes_urgent_flag(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "yes make it urgent", "yes please", "加急吧", "好的" right after the bot offered to flag
    the case urgent (the wait till the team is back taken badly): the case raised, not a nod."""
    if not has_open_case or not escalation.just_told_wait(turn) or turn.parse.orders:
        return None
    text = turn.message.text
    nod = context.length(text) <= 4 and context.read_act(turn, text) is Act.AFFIRM
    return context.Reading(cases.HURRY) if cases.asks_to_hurry(text) or nod else None


_TEAM_THERE = {"en": "When are you back?", "zh": "客服什么时候上班"}


async def asks_team_hours(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "when are you back", "are you open tomorrow", "wen r u guys back online", "你们啥时候
    上班", "客服几点回来", "is anyone even there", "有活人吗": when the team is there (not
    returns for "back", nor a detail); "when will someone read this" with a case open: the
    case's status, with when the team is next in."""
    text = turn.message.text
    if turn.parse.orders:
        return None
    anyone = (
        hours.asks_for_anyone(text)
        # "hello is anyone there", "在吗 有人吗": a greeting (the assistant, and when people
        # are back); "国庆节有人吗", "sunday?": that day's hours, read as before.
        and not only_greeting(text)
        and not hours.holiday_named(text)
        and not hours.days_named(text)
    )
    if anyone and has_open_case:
        # "when will someone read this", "啥时候有人回" with a case open: when the team is
        # next in and that the case waits for them (its status, not the hours alone);
        # "到底有没有人管" vents, and is met as venting about the case is.
        return None if complaint.vents(turn, text) else context.Reading(context.CASE_STATUS)
    if anyone:
        # "is anyone even there", "有活人吗": when the team is there, not the FAQ entry the
        # words happen to be nearest.
        return context.Reading("ask_opening_hours", question=_TEAM_THERE[turn.language])
    if not hours.asks_team_hours(text):
        return None
    return context.Reading("ask_opening_hours")


async def asks_if_safe(turn: Turn, _: bool) -> context.Reading | None:
    """ "should i stop using it", "is it safe to keep in my bag?", "can i still use it",
    "还能用吗", "安全吗" after the customer told of a danger (smoke, sparks, too hot to hold):
    the safety advice again, plainly (not a fallback, a payment answer, nor a question left
    for the team)."""
    text = turn.message.text
    if hazard.asks_if_safe(text) and hazard.in_play(turn):
        return context.Reading("complaint", detail=hazard.SAFE_TO_USE)
    return None


async def asks_product_care(turn: Turn, _: bool) -> context.Reading | None:
    """ "it smells a bit on the first run, is that normal", "kettle clicks when cooling is
    that ok", "怎么清洗内胆", "第一次用之前要洗吗" about a product named, in play or on the
    order talked about: the shop's care guide for it (handlers/care.py), not a fallback,
    praise, a stock answer nor a complaint case. Right after that guide, a short question
    naming something to clean with ("would vinegar work instead?", "柠檬酸可以吗") is about
    the same cleaning, not a new topic."""
    follows = asks_product_care.__name__ in turn.dialogue.readings
    if await care.asks(turn) or (follows and care.cleaner_asked(turn.message.text)):
        return context.Reading(products.PRODUCT_INFO, detail=care.DETAIL)
    return None


async def fault_after_good_news(turn: Turn, _: bool) -> context.Reading | None:
    """ "arrived today lol but the lid is cracked", "到了 挺快的 就是壶盖裂了", "快递小哥很给力
    但是空气炸锅把手断了": good news of the delivery, then a fault in what came: a defect
    complaint (its case, the replacement path), never praise thanked nor glad-it-came."""
    if feedback.fault_after_good_news(turn.message.text):
        return context.Reading("complaint")
    return None


async def praises_staff(turn: Turn, _: bool) -> context.Reading | None:
    """ "Priya on the chat was brilliant", "the agent Sara sorted my problem so fast, please
    tell her boss", "小张态度特别好 帮我给她点个赞", "想表扬一下她": praise of one of our
    people, stored as feedback with their name in it and thanked (not a case's status, nor
    thanks for the last answer)."""
    text = turn.message.text
    if turn.parse.orders:
        return None
    # Right after such praise, "can you pass that on to her?", "帮我转告她": passed on.
    if not feedback.praises_staff(text) and not feedback.passes_praise_on(turn):
        return None
    return context.Reading("feedback_positive")


async def account_taken_over(turn: Turn, _: bool) -> context.Reading | None:
    """ "somebody got into my acc and swapped the email on it", "i think i was hacked",
    "我的帐号好像被人盗了", "有人登了我的号 还改了密码": the security steps and an urgent
    case handed to a person (handlers/security.py), not the FAQ on changing an e-mail or a
    password."""
    if security.more_on_takeover(turn):
        # "the email was changed too i cant log in", "能先冻结吗": on the case already open.
        return context.Reading("ask_account", detail=security.MORE)
    if security.taken_over(turn.message.text) or security.asks_lock(turn.message.text):
        # "can you freeze my account": only the team can, after checking it's them.
        return context.Reading("request_human", detail=security.DETAIL)
    return None


async def sarcastic_praise(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "oh great, fantastic", "wow thanks so helpful", "呵呵 真棒", "行吧 你们真厉害" right
    after bad news (a late parcel, a case, a refusal), or after trouble told earlier in the
    same message ("in transit for 8 days now. great job guys, really", "又晚了 真棒"):
    sarcasm, never thanks nor a yes to an offer; on the open case as a complaint, else
    negative feedback."""
    if sarcasm.beside_trouble(turn):
        # "... in transit for 8 days now. great job guys, really": the trouble is answered
        # by its own part; this part is acknowledged, never thanked.
        return context.Reading("feedback_negative", detail=sarcasm.BESIDE)
    if not sarcasm.after_bad_news(turn, has_open_case=has_open_case):
        return None
    said = "complaint" if has_open_case else "feedback_negative"
    return context.Reading(said, detail=sarcasm.DETAIL)


async def doubts_survey(turn: Turn, _: bool) -> context.Reading | None:
    """ "why even ask me to rate if nobody reads it", "whats the point of these surveys",
    "评价了也没用吧", "打分有人看吗": the survey itself doubted, negative feedback stored and
    answered (sorry, the team reads them, a follow-up offered), not a case's status, the
    points FAQ its "point" is near, nor the fallback."""
    if feedback.doubts_survey(turn.message.text) and not turn.parse.orders:
        return context.Reading("feedback_negative", detail=feedback.SURVEY_DOUBT)
    return None


async def displeasure(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "呵呵", "is it always like this with you", "every single time", "你们东西一直这样吗":
    displeasure that asks for nothing, met as sarcasm is (on the open case as a complaint,
    else negative feedback with the bot's offer again or a follow-up), never small talk nor
    "the team decides, I can't promise"."""
    if not remarks.displeased(turn) or turn.parse.intent in _ACTS_ON_ITS_OWN:
        return None
    if escalation.asks_for_person(turn.message.text):
        return None  # "terrible service, get me a manager": a person, said crossly
    said = "complaint" if has_open_case else "feedback_negative"
    return context.Reading(said, detail=remarks.DISPLEASED)


async def laughs_it_off(turn: Turn, _: bool) -> context.Reading | None:
    """ "lol ok", "haha fine", "哈哈行吧": a short acknowledgement (with a case open, that the
    team writes here), never small talk; to an offer, the laugh makes the "ok" a shrug, not
    a yes: the offer left open for later."""
    text = turn.message.text.strip()
    if turn.parse.orders or not remarks.laughs_it_off(text):
        return None
    if declined.offered(turn):
        return context.Reading("deny", detail=declined.HESITATE)
    return context.Reading(resigned.INTENT)


async def chooses_offer(turn: Turn, _: bool) -> context.Reading | None:
    """ "whatever" / "whichever is quicker" to "a case or a person?": that one, done."""
    taken = declined.chosen(turn)
    if taken is None:
        return None
    accepted = "complaint" if taken is Question.OPEN_CASE else "request_human"
    return context.Reading(accepted, accepted=True)


async def pays_another_way(turn: Turn, _: bool) -> context.Reading | None:
    """ "ok nvm ill try paypal", "算了 我用支付宝试试" after a failed payment: fine, and whether
    that way works at checkout; no "no" to an offer, nothing for a case."""
    return context.Reading(other_way.INTENT) if other_way.tries(turn) else None


async def asks_pay_way(turn: Turn, _: bool) -> context.Reading | None:
    """ "公对公打款行不行", "bank transfer ok?": whether that way to pay is taken (yes, or no
    and the ways that are), not a nod to the last answer."""
    return context.Reading("ask_payment") if pay_ways.asks_if_taken(turn) else None


async def lacks_pay_way(turn: Turn, _: bool) -> context.Reading | None:
    """ "I don't have PayPal, then what?", "我没有paypal咋办" right after paying in parts
    (through PayPal) was answered: the other ways to pay, not the PayPal answer again."""
    if pay_ways.lacks_instalments_way(turn):
        return context.Reading("ask_payment", detail=pay_ways.LACKS_WAY)
    return None


async def instalments_follow_up(turn: Turn, _: bool) -> context.Reading | None:
    """ "its 280 dollars", "订单大概300刀", "总共两百多", "klarna?", "那用花呗呢", "what about
    with my amex" right after paying in parts was answered: paying in parts for that amount
    (3 payments of about a third, or not under the line) or with that way; not an order
    number asked for, a detail the bot cannot change, a delivery price nor a refund."""
    if pay_ways.follows_instalments(turn):
        return context.Reading("ask_payment", detail=pay_ways.INSTALMENTS_FOLLOW_UP)
    return None


async def payment_trouble(turn: Turn, _: bool) -> context.Reading | None:
    """ "alipay keeps failing", "花呗付款一直失败": that wallet's own answer; right after a
    failed payment, "was i charged?" / "扣钱了吗", "balance is fine tho" / "额度是够的啊",
    "can i pay another way then" / "换个方式付行不行"; with a charge taken twice on a case,
    "不是预授权 银行说已经入账了" (news for the case, not a "no")."""
    detail = pay_trouble.reads(turn)
    if detail is None:
        return None
    intent = "complaint" if detail == pay_trouble.POSTED else "ask_payment"
    return context.Reading(intent, detail=detail)


async def follows_up_charge(turn: Turn, _: bool) -> context.Reading | None:
    """ "must i pay a second time?", "得再付一遍不", "which ref does my bank want", "银行让我提
    供啥", "?" right after the charge's answer, with a charge to check in play: answered
    in that payment problem (from its case when open), not as returns, papers or venting."""
    detail = pay_trouble.follows_up_charge(turn)
    return None if detail is None else context.Reading("ask_payment", detail=detail)


async def asks_what_agent_said(turn: Turn, _: bool) -> context.Reading | None:
    """ "did the replacement ship?" after Maria wrote "I've sent a replacement, it ships
    tomorrow" and handed back, "what did maria say again", "你们同事说的换货发了没": what the
    agent said, and where the case stands (not as if nothing happened, nor a new case)."""
    return context.Reading(context.CASE_STATUS, detail=agent_said.DETAIL) if agent_said.asks(
        turn
    ) else None


async def asks_remedy_state(turn: Turn, _: bool) -> context.Reading | None:
    """ "is the new unit on its way yet?", "补的零件寄了没", "should i hang on to the dud till the
    new unit lands?", "坏的先留着等新的到吗" with a faulty, wrong or missing item's case open:
    from the case (the remedy chosen, its next step), not an order's status nor the returns."""
    detail = await remedy.asks_remedy_state(turn)
    return None if detail is None else context.Reading("complaint", detail=detail)


async def cancels_instead(turn: Turn, _: bool) -> context.Reading | None:
    """ "actually just cancel it", "nah forget it, just cancel the order", "算了 还是取消吧",
    "算了 退了吧" right after the bot offered something (express, a case, a person): the
    order cancelled from where it is, the offer dropped (not a plain no, nor the offer
    tacked on to the cancellation)."""
    if not (declined.offered(turn) or declined.recently(turn)):
        return None
    if not cancel.asks_for_it(turn.message.text):
        return None
    return context.Reading(cancel.INTENT)


async def declines_offer(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "nah its fine leave it", "算了" to an offer: dropped, nothing offered instead; said
    sourly with a case open ("ok fine, i'll wait then" to "shall I bring in a person?"): the
    wait taken seriously, and when they will hear."""
    if not declined.declines(turn):
        return None
    if declined.then_asks(turn.message.text) is not None:
        # "no thanks. is the coffee machine loud" kept whole (one product question): the
        # question is what is answered, never lost behind the no.
        return None
    if has_open_case and resigned.is_resigned(turn.message.text):
        return context.Reading("deny", detail=resigned.SOUR)
    return context.Reading("deny")


async def hesitates(turn: Turn, _: bool) -> context.Reading | None:
    """ "ok let me think about it", "嗯我再想想": no rush, the offer there for later."""
    return context.Reading("deny", detail=declined.HESITATE) if declined.hesitates(turn) else None


async def acknowledges_case(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "ok", "k thx", "fine", "好的", "嗯嗯", "知道了", "行" with a case open and nothing
    asked: a short acknowledgement that the team writes here, nothing filed on the case, no
    "anything else?"; while the bot waits for the case's order number ("kk" to "which
    order?"): acknowledged, that number still wanted (not a yes to an offer never made)."""
    text = turn.message.text
    if (
        not has_open_case
        or (turn.dialogue.asked is not None and not resigned.awaits_case_order(turn))
        # (Not "嗯 那就这样 拜拜", a goodbye, nor "麻烦给我开个工单", a request.)
        or (turn.parse.intent not in _NOD_INTENTS and not _nod_read_as_other(turn, text))
        or context.length(text) > 4
        or context.asks_for_a_case(text)
        or not resigned.nods(turn)
    ):
        return None
    act = context.read_act(turn, text)
    if act is Act.BYE:
        return None
    if turn.parse.intent == "thanks" or act is Act.THANKS:
        return context.Reading("thanks", detail=resigned.CASE_NOD)  # "k thx", "好的谢谢"
    if turn.parse.intent == "affirm":
        return context.Reading("affirm", detail=resigned.CASE_NOD)  # "ok", "好的", "嗯嗯"
    return context.Reading(resigned.INTENT)


async def closes(turn: Turn, _: bool) -> context.Reading | None:
    """ "great that's all :)", "perfect, that's everything thank u", "好嘞 就这些了 没别的了":
    the customer needs nothing more, so a polite goodbye (the open case's owner named), not a
    detail for the last answer to pass on nor a no to nothing offered."""
    return context.Reading("thanks") if greeting.only_done(turn.message.text) else None


# What the engine reads a nod as: a yes, thanks, or nothing it knows.
_NOD_INTENTS = frozenset({"affirm", "thanks", FALLBACK})
# What it reads a one-word nod as besides ("cool" out of scope, "perfect" praise): a nod
# still, when the dialogue act says so and the message is that word or two.
_NOD_MISREAD = frozenset({"out_of_scope", "chitchat", "feedback_positive"})


def _nod_read_as_other(turn: Turn, text: str) -> bool:
    """ "cool", "perfect", "gotcha" read by the engine as small talk or praise: a nod."""
    return (
        turn.parse.intent in _NOD_MISREAD
        and context.length(text) <= 2
        and context.read_act(turn, text) in (Act.ACKNOWLEDGE, Act.THANKS)
    )


async def asks_what_now(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "so what do i do now", "现在怎么办", "那我该干嘛": the next step of the subject in play
    (the offer again, the knowledge-base entry's ``next_step:``); with a case open, "should i
    go ask the neighbours?", "要不要我自己去找找" too: what the customer can do meanwhile for
    the case's situation, and where it stands (handlers/meanwhile.py)."""
    if meanwhile.asks(turn, has_open_case=has_open_case):
        return context.Reading(context.CASE_STATUS, detail=meanwhile.DETAIL)
    return next_step.reading(turn, has_open_case=has_open_case)


async def tells_what_done(turn: Turn, _: bool) -> context.Reading | None:
    """ "box is already thrown away", "盒子扔了咋办" after a returns answer: what it means for
    the return (the entry its words name), not a case."""
    entry = next_step.tells_what_done(turn)
    return None if entry is None else context.Reading(entry.intent, entry=entry.id)


async def balks_at_date(turn: Turn, _: bool) -> context.Reading | None:
    """ "friday?? seriously", "a week for that??", "周一？？开玩笑吧", "周四 你们认真的吗" right
    after an order's date or the delivery times: sorry, and what can still be done (express,
    a person), never the courier's delivery days again nor small talk."""
    if too_slow.vents(turn):
        return context.Reading("ask_delivery", detail=too_slow.DETAIL)
    return None


async def pushes_back(turn: Turn, _: bool) -> context.Reading | None:
    """ "doesnt really help me does it", "你这不是废话吗": sorry, not the same answer again
    (the offer again when the bot had offered something)."""
    if not followups.pushes_back(turn):
        return None
    asked = turn.dialogue.asked
    if declined.offered(turn) and asked is not None and asked.question in declined.OFFERS:
        if asked.offers(Question.HUMAN) and pushes_back.__name__ in turn.dialogue.readings:
            # Pushed back again on the person offered for the last push back ("you're not
            # listening", "你根本没听懂"): the person, now, not the offer a third time.
            return context.Reading("request_human", accepted=True)
        return context.Reading(context.OFFER_AGAIN)
    return context.Reading("feedback_negative", detail=followups.PUSHBACK)


async def asks_for_papers(turn: Turn, _: bool) -> context.Reading | None:
    """ "能给我开个收据不", "收据丢了能补开吗", "我要开订单A-1003的发票" read by the engine as a
    complaint: a receipt or an invoice asked for, no fault (and an order named only with the
    invoice asked for it), is the invoice answer (that order's), not a case."""
    # "订单A-1003给我开张发票", "A-1003的发票麻烦开一下": the invoice asked for that order,
    # whatever the engine made of it (its status, an address).
    for_order = bool(turn.parse.orders) and _INVOICE_FOR_ORDER.search(turn.message.text)
    if (
        (turn.parse.intent in ("complaint", FALLBACK) or for_order)
        and (not turn.parse.orders or for_order)
        and context.names_papers(turn.message.text)
        # "发票什么时候有": when it comes is the invoice's time (asks_timing), not where.
        and not timing.asks_when(turn.message.text)
    ):
        # "没小票了还能保修不": the receipt named for what else is asked (the warranty) is
        # that entry's question, not a request for the invoice.
        named = turn.deps.knowledge.named(turn.message.text)
        if named is not None and named.id != _INVOICE_ENTRY:
            return context.Reading(named.intent, entry=named.id)
        return context.Reading("ask_payment", entry=_INVOICE_ENTRY)
    return None


# The knowledge-base entry that says where invoices and receipts are.
_INVOICE_ENTRY = "invoice"
# An invoice asked for an order in so many words: "我要开订单A-1003的发票", "A-1003的发票帮我开
# 一下", "need the invoice for A-1003", "can i get a receipt for order 88231".
_INVOICE_FOR_ORDER = re.compile(
    r"(?:开|要|补开|下载|给我|帮我|需要|能|可以)[^。？！?!]{0,12}(?:发票|收据|小票)|"
    r"(?:发票|收据|小票)[^。？！?!]{0,4}(?:帮我|给我|麻烦)?(?:开|补开|发|下载)|"
    r"\b(?:need|want|get|send|download|issue|have)\b[^.?!]{0,15}\b(?:invoice|receipt)s?\b",
    re.IGNORECASE,
)


async def asks_timing(turn: Turn, _: bool) -> context.Reading | None:
    """ "ok and when is the invoice issued", "那invoice啥时候能下" after an order's status,
    "when does the new one ship", "新的啥时候能发", "how long after that" after the
    replacement's time, "那大概啥时候发货" after a refund's: the time of the thing named, else
    of the last answer's, from the one mapping of subjects to their times (handlers/timing.py),
    not the parcel's date."""
    return await timing.reading(turn)


async def courier_day(turn: Turn, _: bool) -> context.Reading | None:
    """ "sunday?", "and saturday", "周末呢", "礼拜六呢" right after an order's date or a
    delivery answer: whether the courier delivers then (and the order's date), not the
    team's hours."""
    if courier.asks_delivery_day(turn):
        return context.Reading("ask_delivery", detail=courier.DAY)
    return None


async def carrier_of_order(turn: Turn, _: bool) -> context.Reading | None:
    """ "who's delivering it", "哪家快递送" after an order's invoice, its return or a product
    on it: that order's carrier and tracking (not the carriers by destination, the refund's
    way back, nor how to redirect on the courier's page)."""
    if courier.asks_carrier_of_order(turn):
        return context.Reading("ask_order_status", detail=context.CARRIER)
    return None


async def corrects_invoice(turn: Turn, _: bool) -> context.Reading | None:
    """ "I already downloaded the personal one, what now", "我已经下载了个人的 怎么办",
    "个人的已经下好了 咋办" right after the invoice answer: that invoice corrected to the
    company's details (where, and when the new one comes), not the courier's note for nobody
    home nor a detail left for a person."""
    if invoice.asks_after_download(turn):
        return context.Reading("ask_payment", detail=invoice.CORRECTION)
    return None


async def on_courier_page(turn: Turn, _: bool) -> context.Reading | None:
    """ "how do i change it on dpd then", "where on the courier site", "那在顺丰上咋改" right
    after a shipped parcel's address was said to change on the courier's page: where there."""
    if courier.asks_on_courier_page(turn):
        return context.Reading("ask_delivery", detail=courier.PAGE)
    return None


async def exact_day(turn: Turn, _: bool) -> context.Reading | None:
    """ "what day is that exactly", "具体哪天": the date, with its weekday."""
    if followups.asks_exact_day(turn):
        return context.Reading("ask_order_status", detail=followups.EXACT_DAY)
    return None


async def arrival(turn: Turn, _: bool) -> context.Reading | None:
    """ "ok so when will it actually arrive", "啥时候能到" right after an order's ship-by day:
    when it should reach them (that day, then standard delivery), not the ship-by day again."""
    if followups.asks_arrival(turn):
        return context.Reading("ask_order_status", detail=followups.ARRIVAL)
    return None


async def tells_order_news(turn: Turn, _: bool) -> context.Reading | None:
    """ "it shipped yesterday i think", "好像昨天就发货了" right after an order's status: a
    fact told about that order, answered with its status (not a delivery question nor "not
    sure")."""
    return context.Reading("ask_order_status") if told.order_news(turn) else None


async def postage_on_case(turn: Turn, _: bool) -> context.Reading | None:
    """ "is the delivery on me this time", "这次邮费谁来付", "do i pay to ship the broken one back"
    with a case open about a faulty, wrong or missing item: who pays the postage on that
    case (nobody but us), not the refund routes, the returns policy nor a basket's
    free-delivery line; before venting, which "again" in it would read as a repeat fault."""
    if remedy.asks_postage_on_case(turn):
        return context.Reading("ask_delivery", detail=remedy.POSTAGE)
    return None


async def postage_on_the_subject(turn: Turn, _: bool) -> context.Reading | None:
    """ "do i have to pay to ship it back" after a returns answer, "快递费谁付" after the
    pick-up, "who covers that" after the delivery prices: the price that answer gives or
    leads to (before the readings of how to send something back)."""
    return followups.postage_on_the_subject(turn)


async def same_address_too(turn: Turn, _: bool) -> context.Reading | None:
    """ "same for the other order pls", "the other one too", "两个都改吧", "另一个也一样" right
    after a new address was noted for one order: that address for the other order(s) too,
    each on its case and said back (not their statuses, nor a note for the driver)."""
    if escalation.same_address(turn) is None:
        return None
    return context.Reading(context.NEW_ADDRESS, detail=escalation.SAME_ADDRESS)


async def corrects_to_other_order(turn: Turn, _: bool) -> context.Reading | None:
    """ "hang on, wrong order. the other one", "不对 是另一个订单", "sorry not that order" right
    after a case was opened about an order: the right order's number asked for, to replace
    the wrong one on that case (not the other order's status, nor a second order added)."""
    if corrected.other_order_for_case(turn) is None:
        return None
    return context.Reading("complaint", detail=corrected.OTHER_FOR_CASE)


async def asks_other_order(turn: Turn, _: bool) -> context.Reading | None:
    """ "and the other one?", "what about my second order", "那另一个呢", "我第二个订单呢" with
    one order named in this conversation: the other order's number asked for, to say where
    it is (never the first order's status again, a case about it, nor the offer again)."""
    if followups.asks_other_order(turn):
        return context.Reading("ask_order_status", detail=followups.OTHER_ORDER)
    return None


async def points_back(turn: Turn, _: bool) -> context.Reading | None:
    """ "what about the first one", "第一个呢", "the dishwasher one yeah, when does it come"
    after two orders: where that order is; "which courier has the second one", or "and the
    lamp?" right after which courier had another order: that order's courier; "can the first
    one come faster", "第二个能快一点到吗": express for that order."""
    if not followups.points_back(turn):
        return None
    if inquiry.asks_faster(turn.message.text):
        # "can the first one come faster", "第一个能快点吗": express for that order (whether
        # it can still go faster), not its status again.
        return context.Reading("ask_delivery", entry=inquiry.EXPRESS)
    return context.Reading("ask_order_status", detail=followups.question_carried(turn))


async def item_on_order(turn: Turn, _: bool) -> context.Reading | None:
    """ "the charger came too right?", "is the mouse in there as well", "那个充电器呢 也一起到
    了吧" about an order holding that item (a case open on another item of it, or its status
    just given): that the item is on the order and where the order is, not a question noted
    on the case nor the product's stock; "the headphones never arrived", "耳机到现在也没到"
    says the parcel has not come (``still_nothing``), it asks nothing of the item."""
    if order_arrival.says_still_nothing(turn.message.text) or cancel.asks_for_it(
        turn.message.text
    ):
        return None  # ("also can you cancel 51230, not sure i need the toaster": the cancel)
    if await followups.item_of_order(turn) is None:
        return None
    return context.Reading("ask_order_status", detail=followups.ITEM_ON_ORDER)


async def item_elsewhere(turn: Turn, _: bool) -> context.Reading | None:
    """ "the lamp is fine... the charger tho", "what about the charger", "充电器呢" right after
    an order's status, the charger on no order of the conversation: not on that order, and
    which order it is on (not the first order again, nor the charger's price)."""
    if await other_item.item_elsewhere(turn) is None:
        return None
    return context.Reading("ask_order_status", detail=other_item.DETAIL)


async def delivered_not_received(turn: Turn, _: bool) -> context.Reading | None:
    """ "tracking says delivered but theres nothing at my door", "显示已签收 可是我没收到": a
    missing parcel, a case (not the delivered status again, which an order number beside
    "已签收" made of a complaint the engine read right)."""
    # ("快递员说送到了 家里没有啊" reads to the engine as a delivery question.)
    if turn.parse.intent in (
        "ask_order_status",
        "ask_delivery",
        "complaint",
        FALLBACK,
    ) and context.delivered_not_received(turn.message.text):
        return context.Reading("complaint", detail=lost_parcel.DELIVERED)
    return None


async def looked_for_parcel(turn: Turn, _: bool) -> context.Reading | None:
    """ "checked with neighbours, nothing", "not in the safe place either", "问了门卫也没有"
    about a parcel marked delivered: the case for it with what the team does (proof of
    delivery, GPS, a replacement or refund), not where couriers leave parcels again; "found
    it, it was in the shed, sorry", "找到了 在快递柜里": glad, its case closed. ("找到了
    A-1003" while the bot waits for an order number found the number, not the parcel.)"""
    if lost_parcel.number_found(turn):
        return None
    if lost_parcel.found(turn) or lost_parcel.arrived_after_all(turn):
        return context.Reading("complaint", detail=lost_parcel.FOUND)
    if lost_parcel.searched(turn):
        return context.Reading("complaint", detail=lost_parcel.DELIVERED)
    return None


async def tells_arrived(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "my air fryer arrived today", "52820的电饭煲到了", "东西到了" with no case open: good
    news, glad (not a complaint case, nor the order's status read back). With a case open,
    the case's readings say what the news means for it."""
    if has_open_case or not remarks.tells_arrived(turn.message.text):
        return None
    if lost_parcel.number_found(turn) or turn.dialogue.asked is not None:
        return None  # "found it a1002": the number asked for, found
    if JUDGES.search(turn.message.text):
        return None  # "收到了 挺好用的 点赞": praise, thanked as such
    return context.Reading("thanks", detail=remarks.ARRIVED)


async def late_and_cross(turn: Turn, _: bool) -> context.Reading | None:
    """ "oh brilliant, a week late again, 88231", "真是太棒了 说好的三天到 现在一个礼拜了
    A-1005": a late order said sarcastically or angrily gets a case for it, said once (not
    the status with "shall I open a case?" and a person taking the case over beside it)."""
    return context.Reading("complaint") if sarcasm.late_said_crossly(turn) else None


async def unwanted_on_the_way(turn: Turn, _: bool) -> context.Reading | None:
    """ "honestly i dont want it anymore, can i get my money back", "不想要了 能退吗" about
    an order on its way (late or not): what can be done from where it is (refused at the
    door or sent back free, the refund in full), not the lost parcel's check with a case and
    a person nobody asked for; about one not shipped yet, said on its own ("那我不要了"
    after its status), its cancellation (not "say it another way")."""
    number = turn.order_in_play
    if number is None or not cancel.unwanted(turn.message.text):
        return None
    order = await inquiry.find_order(turn, number)
    # (Not yet shipped, "i dont need it anymore" with a return asked of it is answered where
    # it is asked: told it can still be cancelled, and asked whether to. Said on its own,
    # "actually i dont want it anymore", "那我不要了" after its status: its cancellation.)
    if order is None or order.status not in ("shipped", "processing"):
        return None
    if order.status == "processing" and _RETURN_ASKED.search(turn.message.text):
        return None
    return context.Reading(cancel.INTENT)


# A return or the money asked of an order not wanted: "不想要了 可以退吗", "can i return it".
_RETURN_ASKED = re.compile(
    r"\b(?:return\w*|refund\w*|money|send (?:it|them) back|exchange\w*)\b|退|换", re.IGNORECASE
)


async def chooses_if_lost(turn: Turn, _: bool) -> context.Reading | None:
    """ "if it turns out lost just refund me", "if they cant find it send a new one",
    "要是真丢了就直接退钱", "找不到的话就给我重新发一个" about a late parcel: the choice
    recorded on its case (a refund or a new one, should the carrier not find it), never "not
    sure, shall I bring a person" nor the parcel handed to people."""
    if lost_parcel.chooses_if_lost(turn) or lost_parcel.asks_either_if_lost(turn):
        # ("...do i get my money back or a new one?": which, asked; theirs to choose.)
        return context.Reading("complaint", detail=lost_parcel.IF_LOST)
    return None


async def lost_parcel_refund(turn: Turn, _: bool) -> context.Reading | None:
    """ "never got it, i just want my money back", "东西都没收到 直接退款吧", or "i just want
    a refund at this point" with a case open about a parcel that never came, or "can i just
    get a refund instead", "那退款呢" right about a late parcel: the carrier checked, then a
    refund or a resend; nothing to send back first."""
    if lost_parcel.asks_about_the_case(turn) or await lost_parcel.asks_for_late(turn):
        return context.Reading("complaint", detail=lost_parcel.DETAIL)
    return None


async def lost_refund_when(turn: Turn, _: bool) -> context.Reading | None:
    """ "how long for the refund then", "那退款要多久" after the lost parcel's path: that
    refund's timing (the carrier's check, then the money), not a return's."""
    if lost_parcel.asks_when(turn):
        return context.Reading("ask_returns_refunds", detail=lost_parcel.WHEN)
    return None


async def chases_courier(turn: Turn, _: bool) -> context.Reading | None:
    """ "can someone actually chase the courier", "你们能不能催一下快递" with an order in play
    or a case open: a request to act (the case updated or opened, who chases and when), not
    feedback, a person's takeover or the case's priority alone."""
    if lost_parcel.asks_to_chase(turn):
        return context.Reading("complaint", detail=lost_parcel.CHASE)
    return None


async def only_checks_orders(turn: Turn, _: bool) -> context.Reading | None:
    """ "pls look into A-1001 and A-1003", "麻烦帮我查一下A-7342和A-7350": where they are; a
    case only once something is said to be wrong."""
    if context.only_asks_to_check(turn.message.text, [e.text for e in turn.parse.orders]):
        return context.Reading("ask_order_status")
    return None


async def asks_where_named(turn: Turn, _: bool) -> context.Reading | None:
    """ "any clue where 81302 is right now", "is 81302 delivered", "81302在哪呢", "81302签收了吗"
    that the engine took for out of scope, a product or a delivery question in general: that
    order's status, by its number (not the fallback nor "not sure")."""
    return context.Reading("ask_order_status") if order_arrival.asks_where_named(turn) else None


async def asks_state_of_it(turn: Turn, _: bool) -> context.Reading | None:
    """ "so is it on its way?", "is it delivered?", "那还在路上吗" right after an order's
    status: that order's status as it is, never the delivery days in general (a delivered
    order said "on its way" a moment later) nor a fallback."""
    if order_arrival.asks_state_of_it(turn):
        return context.Reading("ask_order_status", follow_up=True)
    return None


async def refund_route_for(turn: Turn, _: bool) -> context.Reading | None:
    """ "钱退到哪 我是花呗付的": where the money goes for that method, not a late refund."""
    if refund_route.asks(turn):
        return context.Reading("ask_returns_refunds", detail=refund_route.DETAIL)
    return None


async def ships_together(turn: Turn, _: bool) -> context.Reading | None:
    """ "two orders 61001 和 61002 能一起发吗", "can u send 61001 and 61002 in one box":
    whether they can go in one parcel, both numbers noted (not a complaint about the
    first, nor two statuses)."""
    return context.Reading("ask_delivery", detail=combine.DETAIL) if combine.asks(turn) else None


async def asks_quantity(turn: Turn, _: bool) -> context.Reading | None:
    """ "have you got 15 of them in stock", "we'd need four of those", "那我拿两个", "有12个现货
    吗" about the product named or in play: whether that many can be ordered, and what they
    cost (not a product called "15", nor a nod to the last answer)."""
    if await quantity.asks(turn):
        return context.Reading(products.INTENT, detail=quantity.DETAIL)
    return None


async def asks_whole_entry(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "does the kettle work in the US, what plug does it have", "搅拌机是多少伏的 带去美国要
    不要变压器", "how do you protect my account": a question the knowledge base names as a
    whole (an entry's ``whole``, of ``_WHOLE_FIRST``) and that the catalogue's or the case's
    readings would take by a word ("plug" is no part to buy, "the blender" no
    stock to tell): that entry's answer, about what is asked. (Not with an order named or a
    case open, nor a fault told: those are the order's and the case's.)"""
    text = turn.message.text
    if has_open_case or turn.parse.orders:
        return None
    if not is_question(text) or feedback.suggests(text):
        return None  # "you might want to include a uk plug adapter": a suggestion
    entry = turn.deps.knowledge.asked_whole(text)
    if entry is None or not entry.fits(text) or not _WHOLE_FIRST.intersection(entry.tags):
        return None
    if context.DEFECT.search(text) and "safety" not in entry.tags:
        # (A fault's words asked of what might happen, "会烫手吗" around children, are the
        # safety question's, not a fault told.)
        return None
    if "stock" in entry.tags:
        # "烤面包机到货了能通知我吗" is kept whole, but the catalogue says when that product is
        # back (and how to be told), which the entry's general text cannot.
        return None
    return context.Reading(entry.intent, entry=entry.id)


# The entries whose questions as a whole go before the catalogue's and the case's readings:
# facts about the products ("what plug does it have") and how an account is kept safe ("how
# do you protect my account": no case to ask after).
# (And a delivery missed while out, asked whether the courier comes again: the question,
# however crossly the miss is told; two orders asked to travel together, no order named: the
# question, not a complaint to open a case for; the shop's promotions to stop, "咋取消": no
# order to cancel.)
_WHOLE_FIRST = frozenset({"product", "security", "missed", "combine", "marketing"})


async def asks_part(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "do you sell spare filters for it", "can i buy another lid", "有没有替换的内胆" about a
    product named or in play: its parts and accessories from the catalogue, or honestly not
    listed with a person offered (not the warranty text, nor the product's price and stock;
    a part missing from an order is a complaint's, handlers/parts.py)."""
    if await parts.applies(turn, has_open_case=has_open_case):
        return context.Reading(products.PRODUCT_INFO, detail=parts.DETAIL)
    return None


async def asks_attribute(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "is it waterproof", "续航咋样", "多大", "and shipping?" right after a product: that
    product's attribute from the catalogue (or its delivery cost), not the specs page's
    general answer nor the entry nearest to the word; "can you send it express", "能加急寄过来
    吗" right after a case that sends a missing part or a new item: express for that, on the
    case (not an address change, nor a hurried case). A product named of its own is a new
    question (handlers/attributes.py); two named ("which is quieter, the dishwasher or the
    robot vacuum") are compared (``compares_two``)."""
    if pair.asks(turn) or pair.asks_in_attribute(turn):
        return None
    if await order_arrival.asks_when_late(turn):
        return None  # "so when will it show up" of a late order: its day (``asks_arrival``)
    return await attributes.asks(turn, has_open_case=has_open_case)


async def buys_together(turn: Turn, _: bool) -> context.Reading | None:
    """ "跟鼠标一起买包邮不", "is shipping free if i get a usb cable and a phone case": the
    products' sum against the free-delivery line (not the delivery times because "if i get
    it" sounds like an order to come, nor the rule alone)."""
    if await basket.asks_together(turn):
        return context.Reading("ask_delivery", detail=basket.DETAIL)
    return None


async def spends_amount(turn: Turn, _: bool) -> context.Reading | None:
    """ "what if i spend like 60" / "我买个60块的呢" right after the delivery prices, "is
    shipping free if i spend 60": that amount against the free-delivery line (not "not
    sure", nor the delivery answer that best matches "spend")."""
    if await basket.asks_amount(turn):
        return context.Reading("ask_delivery", detail=basket.AMOUNT)
    return None


async def on_time_after_change(turn: Turn, _: bool) -> context.Reading | None:
    """ "will it still arrive on time?", "会不会晚到啊" right after a new address was passed on
    for the order in play: its day, the change going on before it ships (not the shop's
    delivery times, nor a question left on the case for the team)."""
    if order_arrival.asks_on_time_after_change(turn):
        return context.Reading("ask_order_status", detail=order_arrival.ON_TIME)
    return None


async def gives_new_address(turn: Turn, _: bool) -> context.Reading | None:
    """ "new address is 14 Elm Road, Leeds LS6 2AB", "pls send it to 221b baker st london",
    "地址写错了 应该是南京市鼓楼区中山路18号1栋502" with an order in play: the address taken
    for that order (on a case, from where it is), not its numbers read as an amount or an
    order, nor the address asked for again."""
    if not context.gives_address(turn) or instructions.corrects_address(turn):
        # ("my bad its unit 7 not 77" right after a new address: that one put right, below.)
        return None
    if instructions.adds_detail(turn) and not escalation.corrects_address(turn):
        # (Right after an address was noted, "its flat 3B", "是3号楼2单元501" add to it;
        # "no wait, it should be 33 Oak St" replaces it.)
        return None
    number = turn.order_in_play
    order = None if number is None else await inquiry.find_order(turn, number)
    if order is not None and order.status in ("delivered", "cancelled"):
        # Too late to send it anywhere else: what can still be done, no case for the team.
        return context.Reading("ask_delivery", question=context.ADDRESS_QUESTION[turn.language])
    return context.Reading(context.NEW_ADDRESS)


async def collects_in_store(turn: Turn, _: bool) -> context.Reading | None:
    """ "can i pick it up in store instead", "can i collect it myself", "我去门店自提吧", "我自己
    过去取行不行": store pick-up for the order in play, from where it is (possible until it
    leaves the warehouse), never the collection of a return nor a locker."""
    if store_pickup.asks(turn):
        return context.Reading("ask_delivery", detail=store_pickup.DETAIL)
    return None


async def courier_calls_whom(turn: Turn, _: bool) -> context.Reading | None:
    """ "could the courier ring my housemate rather than me? out at work till 6", "快递员能打给
    我邻居吗": whom the courier contacts and how to have another number on the order (the
    knowledge base's answer), never a case opened because the engine was sure of a
    complaint about the order in play."""
    if courier.asks_who_is_called(turn):
        return context.Reading("ask_delivery", entry=courier.CALL_ENTRY)
    return None


async def delivery_option(turn: Turn, _: bool) -> context.Reading | None:
    """ "im at work all day, can it go to a parcel locker", "白天不在家 能放快递柜不": the
    delivery answer for that option (not a complaint that nobody is home, nor a return's
    drop-off because a locker is named); right after an address or instruction was noted,
    the change to it on its case."""
    text = turn.message.text
    if delivery_options.names_option(text) and instructions.adds_detail(turn):
        # Right after an address or instruction was noted on a case ("can it go to a locker
        # instead", "能放快递柜吗"): a change to it, on that case (not the FAQ, no new case).
        return context.Reading("ask_delivery", detail=instructions.DETAIL)
    told = instructions.is_instruction(text) and not is_question(text)
    if delivery_options.to_locker(turn) and not told:
        # "switch it to a locker please", "能换成放丰巢吗" with an order in play: that order's
        # change (told as what the driver should do, "到了放快递柜就行", it goes on the label).
        return context.Reading("ask_delivery", detail=delivery_options.TO_LOCKER)
    if delivery_options.asks(text, order_named=bool(turn.parse.orders)):
        return context.Reading("ask_delivery", question=text)
    return None


async def how_to_return(turn: Turn, _: bool) -> context.Reading | None:
    """ "do i have to send the broken one back first", "要先寄回去吗": the FAQ's answer
    ("能放快递柜吗" right after a delivery answer is about the delivery)."""
    if remedy.asks_item_back_on_case(turn):
        # "do i need to send the pink one back", "错的那个要寄回去吗" with the item's case open:
        # the case's own path (its label, from the team), not the change-of-mind returns.
        return context.Reading("ask_returns_refunds", detail=remedy.ITEM_BACK)
    if remedy.asks_how_to_return(turn.message.text) and not followups.delivery_in_play(turn):
        return context.Reading("ask_returns_refunds", question=turn.message.text)
    return None


async def nothing_to_send_back(turn: Turn, _: bool) -> context.Reading | None:
    """ "do i need to send anything back", "要寄回去吗" after the customer said the parcel
    never came: nothing to send (the parcel never reached them), not the returns path."""
    if lost_parcel.asks_what_to_send_back(turn):
        return context.Reading("ask_returns_refunds", detail=lost_parcel.NOTHING_BACK)
    return None


async def keeps_item(turn: Turn, _: bool) -> context.Reading | None:
    """ "nevermind ill keep it", "算了 不退了 留着吧" while a return is talked about: called
    off, nothing to send back (not a polite no to nothing, nor the returns answer again)."""
    if returns.keeps_it(turn):
        return context.Reading("ask_returns_refunds", detail=returns.KEEPS)
    return None


async def tried_not_liked(turn: Turn, _: bool) -> context.Reading | None:
    """ "tried them on, dont like the sound", "就试戴了一下 音质不喜欢", "wore it once, not for
    me": a change of mind after use, so what a return needs for a used item (and that a fault
    is another matter), never a complaint case nor an order's plain return."""
    if returns.tried_not_liked(turn):
        return context.Reading("ask_returns_refunds", entry=returns.USED)
    return None


async def not_a_fault(turn: Turn, _: bool) -> context.Reading | None:
    """ "it's not broken, it's just way too loud", "没坏 就是太吵了", "works fine but its too
    big for my counter": no fault, a change of mind, so the return of the order in play (its
    window, how) or the policy; used too ("not broken, used it once, just too loud"): what a
    return needs for a used item. Never a defect case asking for the order."""
    if not returns.not_a_fault(turn):
        return None
    if returns.tried(turn.message.text):
        return context.Reading("ask_returns_refunds", entry=returns.USED)
    return context.Reading("ask_returns_refunds", detail=returns.DETAIL)


async def returns_order(turn: Turn, _: bool) -> context.Reading | None:
    """ "i want to return the backpack from A-2290 its too small", "手表不想要了 能退吗 订单
    80808": that order's return (the window from its delivery, how, who pays, when the money
    comes), not the FAQ entry its words are nearest to nor a case."""
    if await returns.asks(turn):
        return context.Reading("ask_returns_refunds", detail=returns.DETAIL)
    return None


async def cites_return_window(turn: Turn, _: bool) -> context.Reading | None:
    """ "your website says 30 days though", "i thought you had 14 days", "你们不是说七天无理由
    吗" while a return is talked about: the policy point answered (agreed, or ours said),
    never negative feedback, "I can't change that" nor the order's return again."""
    if returns.cites_window(turn):
        return context.Reading("ask_returns_refunds", detail=returns.CITED)
    return None


async def packaging_opened(turn: Turn, _: bool) -> context.Reading | None:
    """ "the seal on the box is broken cuz i opened it, still ok to send back", "包装膜破了
    还能退吗": the packaging opened, not the item broken, so the opened-packaging answer (no
    complaint, no case)."""
    if returns.asks_opened(turn):
        return context.Reading("ask_returns_refunds", entry=returns.OPENED)
    return None


async def label_asked(turn: Turn, _: bool) -> context.Reading | None:
    """ "has the label come yet? i dont see any email", "退货面单发了吗 邮箱里没看到" with a
    faulty, wrong or incomplete item's case open: when and how its label comes (noted on the
    case), never the shop's e-mail address nor the returns FAQ."""
    if return_label.asks(turn):
        return context.Reading(context.CASE_STATUS, detail=return_label.DETAIL)
    return None


async def photo_later(turn: Turn, _: bool) -> context.Reading | None:
    """ "ill send a photo later", "don't have a pic rn", "等下拍给你", "手机没电了 明天发照片行
    吗" with a faulty or damaged item's case open: the case kept open, waiting for the photo,
    and how to send it (never a no, a remedy asked for, nor more detail for the case)."""
    if photos.promises_later(turn):
        return context.Reading("complaint", detail=photos.LATER)
    return None


async def returns_no_order(turn: Turn, _: bool) -> context.Reading | None:
    """ "手表不太喜欢 能退不", "changed my mind about the kettle, can i return it" with no order
    in play: the returns policy (within how many days, how, who pays), not "not sure"."""
    if returns.asks_without_order(turn):
        return context.Reading("ask_returns_refunds", entry=returns.POLICY)
    return None


async def not_as_shown(turn: Turn, _: bool) -> context.Reading | None:
    """ "i like it but the colour is off", "色差太大了 跟图片不一样": the item is not as shown,
    so the free exchange (another colour) or return, not its specs nor thanks for feedback;
    a fault or a wrong item goes to the complaint readings."""
    text = turn.message.text
    # "can i swap it for a L", "能换个颜色吗": another size or colour, the exchange too.
    wants = products.not_as_shown(text) or products.wants_exchange(text)
    if wants and not context.DEFECT.search(text):
        return context.Reading("ask_returns_refunds", entry=products.EXCHANGE_ENTRY)
    return None


async def code_missing(turn: Turn, _: bool) -> context.Reading | None:
    """ "still no code on my phone, been waiting 10 min", "haven't got my login code yet" read
    by the engine as a refund waited on or not at all: the sign-in code's checks (text and
    e-mail), never the refund's answer nor a case."""
    if not inquiry.code_missing(turn):
        return None
    return context.Reading("ask_account", entry=inquiry.CODE_MISSING)


async def asks_free_express(turn: Turn, _: bool) -> context.Reading | None:
    """ "can I get express shipping for free since it's late", "upgrade me to next day at no
    charge", "都晚了 能免费给我升级顺丰吗": a goodwill upgrade asked, what the shop's terms allow
    and a person for the rest (not "delivery is free", not the order's status alone)."""
    if inquiry.asks_free_express(turn.message.text):
        return context.Reading("ask_delivery", detail=inquiry.FREE_EXPRESS)
    return None


async def wants_faster(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "i want 2 day delivery for the kettle", "need next-day delivery for the blender pls",
    "电水壶我想次日达" with no order in play and no case open: the express answer, never a
    complaint case (the engine reads "i want ... for the kettle" as one)."""
    if has_open_case or not delivery_options.wants_faster(turn):
        return None
    return context.Reading("ask_delivery", entry=inquiry.EXPRESS)


async def asks_express(turn: Turn, _: bool) -> context.Reading | None:
    """ "can my order 63410 go express? its slow", "66021 能改加急吗" for an order still with
    us: express for it, offered with its price (not its status alone)."""
    if await inquiry.asks_express(turn):
        return context.Reading("ask_delivery", entry=inquiry.EXPRESS)
    return None


async def needs_it_by(turn: Turn, _: bool) -> context.Reading | None:
    """ "make sure 30811 comes this week, its a birthday present", "i really need it before
    saturday", "41733 下周一之前一定要到", "周五之前必须到 送人的": whether that order makes
    the day, and express if it may not (not a complaint, not the status alone); "we need
    them by friday" after the business-order answer, how that order goes on."""
    if await order_arrival.needs_by_day(turn):
        return context.Reading("ask_order_status", detail=order_arrival.BY_DAY)
    # "we need them by friday" after the business-order answer: that order's next step.
    return next_step.date_for_entry(turn)


async def asks_arrival(turn: Turn, _: bool) -> context.Reading | None:
    """ "when will A-1005 arrive??", "and 51531 when does that one get here", "那61531呢
    什么时候到": the day that order arrives (late: sorry, and a case), not the shop's
    delivery times nor a product's restock."""
    if order_arrival.asks_when(turn) or await order_arrival.asks_when_late(turn):
        return context.Reading("ask_order_status", detail=order_arrival.WHEN)
    return None


async def still_nothing(turn: Turn, _: bool) -> context.Reading | None:
    """ "still nothing", "it still hasnt come", "还没到", "还是没收到啊" (a day later too) about
    an order not delivered yet: where it is now and, with a case open about it, that case
    and what the team does (not venting answered with the case alone)."""
    if await order_arrival.still_nothing(turn):
        return context.Reading("ask_order_status", detail=order_arrival.NOW)
    return None


async def date_before_number(turn: Turn, _: bool) -> context.Reading | None:
    """ "i want a date not sorry", "别道歉了 我就想知道哪天到" while the late parcel's order
    number is still asked for: the number again and why (not a no, nor a new case)."""
    if order_arrival.date_before_number(turn):
        return context.Reading("ask_order_status", detail=order_arrival.NUMBER_FOR_DATE)
    return None


async def late_unnamed(turn: Turn, _: bool) -> context.Reading | None:
    """ "my espresso machine was supposed to come like last week wheres it", "still no sign
    of the kettle", "买的咖啡机说好上周到的 人呢", "台灯等了快两周了 啥情况", no order known: a
    late parcel (sorry, and its number asked), not the fallback, praise nor a product's stock."""
    if order_arrival.overdue_unnamed(turn):
        return context.Reading("ask_order_status", detail=order_arrival.OVERDUE)
    return None


async def hurry_case(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "pls make this urgent", "帮我催一下" with a case open: its priority, not a new request
    ("能改加急吗" about an order still with us is the switch to express, answered as one)."""
    if has_open_case and cases.asks_to_hurry(turn.message.text):
        if await inquiry.express_for_order(turn):
            return None
        return context.Reading(cases.HURRY)
    return None


async def in_a_hurry(turn: Turn, _: bool) -> context.Reading | None:
    """ "need the money asap tbh", "急用钱", "挺急的 能快点吗" right after a refund or delivery
    answer, no case open: what can be sped up and what cannot (not an account or address
    text its words are near, nor the delivery times after a refund)."""
    matter = hurry.reads(turn)
    if matter is None:
        return None
    intent = "ask_returns_refunds" if matter == hurry.REFUND else "ask_delivery"
    return context.Reading(intent, detail=hurry.DETAIL)


async def tell_me_news(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "k well let me know", "有消息通知我" with a case open: the team writes here."""
    if has_open_case and not turn.parse.orders and cases.asks_to_be_told(turn.message.text):
        return context.Reading(cases.NOTIFY)
    return None


async def checks_remedy(turn: Turn, _: bool) -> context.Reading | None:
    """ "so the refund is happening then?", "那退款是在处理了吧" with a case about an item open:
    what is now under way on it and what comes next, never "sorry the refund isn't there"."""
    if remedy.checks_choice(turn):
        return context.Reading("complaint", detail=remedy.GO_AHEAD)
    return None


async def wants_remedy(turn: Turn, _: bool) -> context.Reading | None:
    """ "I just want a new one", "直接给我换个新的", "no wait send me the mouse", "算了 直接给我
    退款吧" (an offer pending or not: a choice, never a no): on the case, the latest choice
    replacing the earlier one."""
    return context.Reading("complaint", detail=context.REMEDY) if remedy.wants(turn) else None


async def refuses_replacement(turn: Turn, _: bool) -> context.Reading | None:
    """ "why would i want a replacement thatll just break too", "还换？算了吧" with a case
    about a faulty item open: the replacement turned down, so the refund, noted on the case
    (not a yes to the replacement, nor how replacements work)."""
    if remedy.refuses_replacement(turn):
        return context.Reading("complaint", detail=context.REMEDY)
    return None


async def goes_ahead(turn: Turn, _: bool) -> context.Reading | None:
    """ "yes please sort it", "嗯嗯 麻烦处理下", "👍" right after a case about an item: what is
    now under way on it and what comes next (not a bare thumbs-up back)."""
    return context.Reading("complaint", detail=remedy.GO_AHEAD) if remedy.goes_ahead(turn) else None


async def delivery_detail(turn: Turn, _: bool) -> context.Reading | None:
    """ "the blue door, Mrs Okafor at no. 12" right after a delivery instruction was noted;
    "my bad its unit 7 not 77" right after a new address: that address put right."""
    if instructions.corrects_address(turn) or (
        instructions.adds_detail(turn) and not cases.asks_if_done(turn.message.text)
    ):
        # ("地址改过来了没" asks after the change: its case's status, not one more detail.)
        return context.Reading("ask_delivery", detail=instructions.DETAIL)
    return None


async def on_the_subject(turn: Turn, _: bool) -> context.Reading | None:
    """ "i paid with paypal" after a refund answer, "多久能开好" after the invoice answer,
    "能不能两个一起发" after two orders' statuses: read against what the last answer was
    about (the entries its answer leads to, ``follow_ups:`` in faq.yml) before anything else."""
    return followups.on_the_subject(turn)


async def asks_about_case(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "any update on my case?", "我的问题处理得怎么样了", "so? any update", "还没好吗" (with
    one open: only its status, no person pressed on them), or a case named by what it is
    about ("what's happening with the broken kettle"): the case's status."""
    if has_open_case and not turn.parse.orders and cases.asks_for_update(turn.message.text):
        return context.Reading(context.CASE_STATUS)  # "so? any update", "还没好吗"
    if cases.names_own_case(turn):
        return context.Reading(context.CASE_STATUS)  # "its about my case, order 5512-0071"
    return context.Reading(context.CASE_STATUS) if await cases.asks_about_a_case(turn) else None


async def asks_when_answered(turn: Turn, _: bool) -> context.Reading | None:
    """ "when will someone actually contact me", "明天几点有人回我" with a case open: when the
    case will be answered (its wait, the team's hours), not the opening hours alone."""
    return context.Reading(context.CASE_STATUS) if cases.asks_when_answered(turn) else None


async def vents_about_case(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "absolutely useless service", "im so fed up with you lot", "气死我了" with a case open:
    venting about it (the engine reads some as a yes or small talk), answered with an apology
    and where the case stands."""
    text = turn.message.text
    if not has_open_case or turn.parse.intent in _ACTS_ON_ITS_OWN:
        return None
    if escalation.asks_for_person(text):
        return None  # "this is ridiculous, get me a person": a person, said crossly
    return context.Reading("complaint") if complaint.vents(turn, text) else None


async def vents_in_question(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "why does this always happen to me", "what kind of service is this", "为啥老是坏",
    "你们就是这么做售后的？" with a case open: venting asked as a question (not its status, the
    contact page or the returns rules), answered with an apology, the case raised for a
    repeat fault or a long wait, and where it stands."""
    if not has_open_case or turn.parse.intent in _ACTS_ON_ITS_OWN:
        return None
    if complaint.vents_in_question(turn, turn.message.text):
        return context.Reading("complaint", detail=complaint.VENTED)
    return None


async def asks_why_on_case(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "why is it late", "why did it charge twice", "为啥会扣两次" with a case open: the cause
    as far as the shop knows it, or that the team is finding out (not the case's status alone,
    nor venting to apologise for); a bare "why?", "为什么" right after an order's status, the
    same (the delay's cause, not the status again)."""
    if not has_open_case or turn.parse.intent in _ACTS_ON_ITS_OWN:
        return None
    if context.moved_on(turn):
        # "why is it still processing" once the customer turned from the case's order to
        # another: the why of that order (context.read), not the case's.
        return None
    text = turn.message.text
    subject = turn.dialogue.subject_in_play()
    after_status = subject is not None and subject.entry is None and bool(subject.orders)
    bare_why = followups.asks_bare_why(text) and complaint.says_why(text)
    if complaint.asks_why(turn, text) or (after_status and bare_why):
        return context.Reading(context.CASE_STATUS, detail=complaint.WHY_CASE)
    return None


# Requests said crossly that are still requests ("cancel it, this is a joke").
_ACTS_ON_ITS_OWN = frozenset({"request_human", "cancel_order", "forget_request", "ask_my_data"})


async def item_age_for_case(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "its only 2 weeks old", "都没用几次", "才买了一个礼拜就这样" with a case open: how new
    the item is, added to the case (not out of scope, a no, or a question for the team)."""
    text = turn.message.text
    if has_open_case and complaint.tells_item_age(text) and not turn.parse.orders:
        return context.Reading("complaint")
    return None


async def sent_before_label(turn: Turn, has_open_case: bool) -> context.Reading | None:
    """ "what if the courier already has it", "i already posted it back, is that ok?",
    "要是快递已经取走了呢" with a faulty or wrong item's case open: fine, its tracking for the
    case, and the remedy goes on (not the order's delivery status, nor a question only the
    team can answer)."""
    if not has_open_case:
        return None
    case = await cases.current_case(turn)
    kind = None if case is None else greeting.case_kind(case)
    if case_questions.asks_already_sent(turn, kind):
        return context.Reading(case_questions.INTENT, detail=case_questions.ALREADY_SENT)
    return None


def asks_with_case_open(
    turn: Turn, has_open_case: bool, read_as: context.Reading
) -> context.Reading | None:
    """ "要是已经发货了呢", "so nobody till monday??", "can i just keep them and get the
    headphones as well" with a case open: a question, answered (from the case, the knowledge
    base, or "our team decides, noted"), never filed as more detail for the case. Read last,
    over ``context.read`` (see ``read``): only a question that it left to the engine's weak
    guess or would put on the case."""
    if case_questions.asks(turn, has_open_case=has_open_case, read_as=read_as):
        return context.Reading(case_questions.INTENT)
    return None


async def suggestion(turn: Turn, _: bool) -> context.Reading | None:
    """ "you should add a dark mode", "能不能加个发货短信提醒": feedback, thanked as a
    suggestion (said crossly, "太浪费了", it is still no case to hand over)."""
    if not turn.parse.orders and feedback.suggests(turn.message.text):
        said = "feedback_negative" if turn.parse.sentiment < 0 else "feedback_positive"
        return context.Reading(said, detail=feedback.SUGGESTION)
    return None


async def compares_two(turn: Turn, _: bool) -> context.Reading | None:
    """ "whats the difference between the coffee machine and the espresso one", "扫地机器人跟
    吸尘器哪个好": both from the catalogue, side by side; right after, "and in price?" the two
    again and "ill get the cheaper one", "那就便宜的吧" that one (not a case, not one product,
    not the kind compared by price); "how much is the kettle and the blender" both side by side,
    and "whats the difference between them", "差价咋算" next that pair."""
    if pair.asks(turn) or await pair.prices_two(turn) or await pair.kind_two(turn):
        return context.Reading(products.INTENT, detail=pair.DETAIL)
    follow_up = await pair.follows_up(turn)
    return None if follow_up is None else context.Reading(products.INTENT, detail=follow_up)


async def asks_advice(turn: Turn, _: bool) -> context.Reading | None:
    """ "what rice cooker would you recommend for 2 people", "which blender is best for
    smoothies", "电炖锅有啥推荐的", "买哪款好 家里三口人": the models of that kind (named, or in
    play) from the catalogue, and the one that fits with why; never a product named 啥推荐,
    nor out of scope (handlers/advice.py)."""
    if await advice.applies(turn):
        return context.Reading(products.INTENT, detail=advice.DETAIL)
    return None


async def describes_product(turn: Turn, _: bool) -> context.Reading | None:
    """ "tell me about the slow cooker 6l", "whats the toaster like", "介绍一下电炖锅", "参数发我
    看看", and "tell me more" / "详细说说" right after a product: what the catalogue says of it,
    with its price and stock (not the price line alone, nor the fallback)."""
    if context.DEFECT.search(turn.message.text):
        return None  # "tell me about the kettle, it leaks": the fault's
    if await products.describes(turn) is not None:
        return context.Reading(products.INTENT, detail=products.DESCRIBE)
    return None


async def names_product(turn: Turn, _: bool) -> context.Reading | None:
    """ "when's the air fryer back in stock", "anything cheaper?", "最便宜的耳机多少钱", a
    catalogue product named by its name: the product's availability and price (compared
    within its kind), not the FAQ text its words are near; "你们吹风机有哪些", "how many kinds
    of kettle" the kind's range, "有没有5升的" that size of the kind in play (not a product
    named 哪些, nor a question for the team)."""
    if (
        products.asks_when_back(turn)
        # "到货了通知我" the day after the cordless vacuum was sold out: that product.
        or await products.wanted_back(turn) is not None
        or products.asks_range(turn)
        or await products.asks_size(turn)
        or products.compares(turn)
        or await products.names_a_product(turn)
        or await products.needed_by_day(turn)
        # "my old kettle broke so i need a new one": the new one, not a case for the old.
        or await products.replaces_own_old(turn)
        # "loved it at my mum's, still got the toaster?": that product's stock; "my mum wants
        # an air fryer for xmas": that product (a fault told with either is the complaint's).
        or (
            not context.DEFECT.search(turn.message.text)
            and (
                await products.asks_stock_named(turn)
                or await products.wants_a_product(turn)
                or await products.plans_to_buy(turn)
            )
        )
    ):
        return context.Reading(products.INTENT)
    return None


async def replaces_old_one(turn: Turn, _: bool) -> context.Reading | None:
    """ "my old hairdryer died, need a new one", "家里的旧电饭煲坏了 想买个新的", "my old kettle
    broke so i need a new one": a new one to buy, the shop's of that kind or that it sells
    none (not a fault case, nor a replacement, for what the shop never sold)."""
    if await products.replaces_own_old(turn):
        return context.Reading(products.INTENT)
    return None


async def orders_sold_out(turn: Turn, _: bool) -> context.Reading | None:
    """ "if i order now will it come by friday", "今天下单明天能到吗", "那现在下单啥时候到"
    right after a product shown sold out: it ships after its restock date, delivery counted
    from then (not the delivery days as if it were in stock, nor its stock line again)."""
    if await products.orders_sold_out(turn):
        return context.Reading(products.INTENT, detail=products.AFTER_RESTOCK)
    return None


# The table, in the order the readings are tried (see the module's docstring).
async def answers_erase(turn: Turn, _: bool) -> context.Reading | None:
    """ "yes im sure", "确定", "wait no", "will that cancel my order?" right after "Erase it?":
    erased as on the button, kept, or what erasing does explained (not a nod, nor a cancel);
    "will deleting my data cancel my order?" asked before it, explained too; "delete it after
    my parcel arrives" (it can't be put off) and "算了 我想把账号注销了" (the account closed, not
    a no) answered as such."""
    detail = privacy.erase_detail(turn)
    if detail is None:
        return None
    intent = "deny" if detail == privacy.ERASE_NO else context.FORGET_REQUEST
    return context.Reading(intent, detail=detail)


READINGS: tuple[ReadRule, ...] = (
    # First of all: the answer to "Erase it?", which nothing else may take for something else.
    answers_erase,
    # First: "no wait sorry wrong one its W-20391" is no "no", nor a complaint ("单号发错了").
    corrects_order,
    # Before a new product's complaint: "i meant the kettle not the toaster" amends the case.
    corrects_item,
    corrects_product,
    corrects_subject,
    # "vat no GB123456789" after the invoice answer is no "no" nor an order number either.
    gives_tax_number,
    # Before a company detail: "已经下好了个人抬头的 咋整" has had the invoice already.
    corrects_invoice,
    adds_company_detail,
    # Before the status readings: a bare number for the case waiting for its order.
    gives_case_order,
    # Before the status readings too: another order's trouble, more of the same, is its case.
    other_order_too,
    # Before the catalogue and the FAQ: "the keyboard", "用不了" for the case asking its order.
    tells_case_item,
    # Before a no and a case's detail: "just a sec, looking for the number" keeps the question.
    number_coming,
    item_for_number,
    # Before a no and a case: "i want a date not sorry" while the late parcel's number is asked.
    date_before_number,
    # Before the status readings too: a bare number while a return or a refund is the subject.
    # Before the order of the subject, arrival news and gift prices: a gift to send back.
    returns_gift,
    order_for_subject,
    # Before venting, the papers and the case's status: "must i pay a second time?", "银行让我提供啥
    # ", a bare "?" inside a charge to check.
    follows_up_charge,
    # Before the remedy's state and questions for the team: "did the replacement ship?" once
    # an agent wrote of it, "what did maria say again".
    asks_what_agent_said,
    # Before an order's status, the returns and venting: "补的零件寄了没", "should i hang on to the
    # dud till the new unit lands?" with the item's case open.
    asks_remedy_state,
    # Before a no, the offer taken and venting: what is asked of a refund waited on.
    checks_remedy,
    refund_waited_on,
    asks_refund_case_news,
    wants_case_money_now,
    # Before venting and feedback: "your site says 30 days" cites the return window back.
    cites_return_window,
    # Before the complaint readings: "the seal is broken" is the packaging, not a fault.
    packaging_opened,
    # Before a no and a remedy: "don't have a pic rn" / "ill send a photo later" keeps the case.
    photo_later,
    # Before the cancellation's: "换货取消掉" takes the exchange back, not the order's cancel.
    withdraws_proposal,
    # Before an order pointed at and a detail for the case: "the other order too".
    same_for_other,
    # Before a close: "forget the cancellation" takes the cancel back, the order goes ahead.
    checks_cancel,
    # Before a cancellation withdrawn: "just drop the mouse and keep the rest" changes it.
    cancels_whole_again,
    drops_from_cancel,
    withdraws_cancel,
    # Before a plain no and a detail for the case: "nah stick with my current address".
    withdraws_change,
    changes_order,
    withdraws_handover,
    why_refused,
    why_on_the_subject,
    why_remedy,
    # Before the shop's channels and the account FAQ: someone else in the account.
    account_taken_over,
    # Before praise of our people: "快递小哥很给力 但是把手断了" is a fault, not praise.
    fault_after_good_news,
    # Before who has a case and the FAQ: "打分有人看吗", "whats the point of these surveys".
    doubts_survey,
    # Before a case's status and thanks: "the agent Sara sorted it so fast, tell her boss".
    praises_staff,
    # Before a close and the shop's channels: "the agent closed the chat on me" is a complaint.
    complains_of_service,
    tells_more_of_service,
    asks_case_number,
    close_case,
    tells_solved,
    language,
    # Before the FAQ's other entries, a complaint and a detail to change: a check of the
    # answer just given ("and it's free, right?").
    confirms_answer,
    # Before something supposed of the order: the item of a faulty or wrong item's case
    # already on its way back ("what if the courier already has it").
    sent_before_label,
    # Before the order's status and the refund: the cancelled order in play questioned.
    cancelled_order_questioned,
    # Before the FAQ's entries, a complaint and a remedy wanted: "my old hairdryer died, need
    # a new one" is a new one to buy.
    replaces_old_one,
    # Before the FAQ's entries and a complaint: something supposed of the order in play.
    supposes_about_order,
    supposes_a_problem,
    # Before the catalogue's readings: a product fact the FAQ names as a whole (mains, plug).
    asks_whole_entry,
    # Before the price difference: "do you price match" is other shops' prices, not ours.
    asks_shop_offer,
    # Before the product, the complaint and the case's readings: "差价咋算", "its cheaper now".
    asks_price_difference,
    adds_to_order,
    # Before the shop's channels: "has the label come? no email" is the case's label.
    label_asked,
    # Before the shop's channels: "call me" is a call back, "my number is ..." theirs, and
    # an e-mail told with an order to find says who they are.
    identifies_self,
    gives_own_contact,
    account_address,
    asks_if_told,
    reaches_shop,
    # Before the team's hours: "needed it for the weekend" is a deadline for the open case.
    needs_it_for_case,
    # Before the team's hours and venting: "monday?? are you serious" takes the wait badly.
    takes_wait_badly,
    # Before the team's hours, the courier's days and a case's detail: "nobody home on
    # tuesday" after an order's date is a note for the courier on that order.
    tells_when_in,
    # Before the urgent flag taken and the team's hours: the priority asked, not asked for.
    asks_case_priority,
    asks_who_has_case,
    takes_urgent_flag,
    asks_team_hours,
    asks_if_safe,
    # Before praise and complaints: "it smells on first use, normal?" asks about using it.
    asks_product_care,
    sarcastic_praise,
    # Beside sarcasm: "lol ok" is a nod, not small talk nor a yes.
    laughs_it_off,
    refuses_replacement,
    # Before the case's status and the FAQ: "为啥老是坏", "is this a joke" vent.
    postage_on_case,
    vents_in_question,
    # After venting about a repeat fault (its case raised): "呵呵", "every single time",
    # "一直这样吗" are displeasure, not a question for the team nor small talk.
    displeasure,
    # After venting asked as a question: "why is it late" asks the cause.
    asks_why_on_case,
    chooses_offer,
    # Before another way tried: "那用花呗呢" after the instalments answer is paying in parts.
    # Before the instalments' follow-ups: "i don't have paypal" is the other ways.
    lacks_pay_way,
    instalments_follow_up,
    pays_another_way,
    payment_trouble,
    # Before the lost parcel's refund: a late parcel not wanted any more is cancelled.
    unwanted_on_the_way,
    asks_pay_way,
    chooses_if_lost,
    wants_remedy,
    goes_ahead,
    # Before the parcel looked for: "has it arrived yet" right after its status asks.
    asks_state_of_it,
    # Before a no: "钱退我吧 不想等了" after stale tracking is the lost parcel's refund.
    looked_for_parcel,
    # After the lost parcel found: news that an order came, with nothing open about it.
    tells_arrived,
    lost_refund_when,
    lost_parcel_refund,
    chases_courier,
    # Before a no: "算了 还是取消吧" after an offer turns to the cancellation, not a plain no.
    cancels_instead,
    declines_offer,
    hesitates,
    acknowledges_case,
    # After a no to an offer and a nod to a case: "great that's all :)" closes.
    closes,
    balks_at_date,
    pushes_back,
    asks_what_now,
    tells_what_done,
    asks_for_papers,
    # Before the times and the subject's follow-ups: "急用钱" after a refund is the hurry.
    in_a_hurry,
    # Before the times: an order now for a sold-out product leaves after its restock.
    orders_sold_out,
    # Before the order's own day: a time question about the invoice, the replacement.
    asks_timing,
    courier_day,
    # Before the courier's page and the subject's follow-ups: which courier has that order.
    carrier_of_order,
    on_courier_page,
    exact_day,
    arrival,
    tells_order_news,
    # Before an order pointed at: "can you send both together" is the two in one parcel.
    ships_together,
    # Before an order pointed at: "same for the other one" is the new address for it too.
    same_address_too,
    # Before the other order asked after: "wrong order, the other one" with a case just
    # opened on one is that case's order corrected.
    corrects_to_other_order,
    # Beside an order pointed at: "the other one" when only one was named is not named yet.
    asks_other_order,
    points_back,
    item_on_order,
    item_elsewhere,
    delivered_not_received,
    late_and_cross,
    only_checks_orders,
    asks_where_named,
    refund_route_for,
    # Before its attributes: "can i buy another lid" is a part, not the product's size.
    asks_part,
    asks_quantity,
    # Before the basket: "and shipping?" after a product is that product's delivery cost.
    asks_attribute,
    buys_together,
    spends_amount,
    postage_on_the_subject,
    on_time_after_change,
    gives_new_address,
    collects_in_store,
    courier_calls_whom,
    delivery_option,
    # Before the returns: nothing to send back for a parcel that never came.
    nothing_to_send_back,
    keeps_item,
    # Before an order's return: a used item goes back on other terms.
    tried_not_liked,
    # "not broken, just too loud": no fault, whatever defect word it denies.
    not_a_fault,
    returns_order,
    returns_no_order,
    not_as_shown,
    how_to_return,
    needs_it_by,
    code_missing,
    # Before a faster delivery and express: asked for free, a goodwill upgrade.
    asks_free_express,
    wants_faster,
    asks_express,
    asks_arrival,
    still_nothing,
    late_unnamed,
    hurry_case,
    tell_me_news,
    delivery_detail,
    compares_two,
    # After two products compared ("哪个好" about the pair); before the subject's follow-ups.
    asks_advice,
    on_the_subject,
    asks_about_case,
    asks_when_answered,
    vents_about_case,
    item_age_for_case,
    suggestion,
    describes_product,
    names_product,
)
