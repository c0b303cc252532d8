"""Another colour or size for an order not shipped yet: the change on a case for our team."""

from __future__ import annotations

import re

from crm_memory import CaseKind, Direction, Priority
from handlers import escalation, inquiry
from handlers.context import DEFECT
from handlers.dialogue import Asked, Purpose, Question
from handlers.orders import with_order
from handlers.turn import Turn
from handlers.types import Reply

# The Reading detail (handlers/readings.py reads it, handlers/dispatcher.py routes it).
DETAIL = "order_change"
# Why the change goes to people: the shop's API only looks orders up, so a person changes it
# in the shop's back office before it ships (as a cancellation: handlers/cancel.py).
REASON = "order change"
TOPIC = "order change"

_COLOURS_EN = (
    r"white|black|red|blue|green|grey|gray|pink|silver|gold|beige|navy|yellow|purple|brown|"
    r"orange|cream|rose gold|space grey"
)
_COLOURS_ZH = r"[白黑红蓝绿灰粉银金米紫黄棕橙]"
# What the order is changed to, in the customer's words: "can I change it to white", "switch
# it to a size L", "make it the black one instead", "get it in blue instead", "改成白色的",
# "换成黑色", "改成L码", "换大一码". (Not an address, an e-mail nor express: those have
# their own answers.)
_CHANGE = re.compile(
    rf"\b(?:change|switch|swap|make|update|turn)\b[\w\s-]{{0,24}}?\b(?:to|into|for|in)\s+"
    rf"(?:a |an |the )?(?P<en>(?:{_COLOURS_EN})(?: one| colou?r)?|size \w+|"
    rf"(?:a |one )?(?:bigger|smaller|larger) (?:size|one)|(?:xs|s|m|l|xl|xxl)\b(?: size)?|"
    rf"(?:extra )?(?:large|medium|small)\b(?: size| one)?)\b|"
    rf"\b(?:get|have|want|need) (?:it|them|that|one) in (?P<en2>{_COLOURS_EN}|size \w+)\b|"
    rf"\bmake (?:it|them) (?:a |the )?(?P<en3>size \w+|(?:{_COLOURS_EN})(?: one)?)\b|"
    rf"(?:改|换|变)(?:成|为|个)?(?P<zh>{_COLOURS_ZH}色|(?:XXL|XL|XS|L|M|S|大|小|[0-9]{{2}})(?:码|号)|"
    rf"(?:大|小)一(?:码|号)|另一个颜色|别的颜色)|"
    # How many: "make it 2 instead of 1", "change the quantity to 3", "改成2个", "改成两件".
    rf"\b(?:make|change) (?:it|them|that|the (?:quantity|qty|amount)) (?:to )?"
    rf"(?P<qty>\d{{1,2}}|two|three|four|five|six)\b(?! ?(?:days?|weeks?|hours?|pm|am|%|:))|"
    rf"(?:改|换|变)(?:成|为)(?P<qtyzh>\d{{1,2}}|[两二三四五六七八九十])(?:个|件|台|套|份|只)",
    re.IGNORECASE,
)
# The customer's own mistake when ordering ("i ordered the wrong size", "下错了", "拍错了"):
# a change to ask for, not a wrong item sent.
_OWN_MISTAKE = re.compile(
    r"\b(?:i|we|i've|ive|i have)? ?(?:ordered|picked|chose|chosen|selected|clicked|put in) "
    r"(?:the |a )?wrong\b|拍错|买错|下错|选错|点错",
    re.IGNORECASE,
)
# A change to the order asked for with nothing said yet of what: "i want to change my order",
# "can i amend my order", "我想改一下订单", "订单能修改吗" (not its address, e-mail, express or
# a cancellation: those have their own answers).
_CHANGE_ANY = re.compile(
    r"^(?!.*\b(?:address|e-?mail|express|cancel\w*|deliver\w*|payment|card|name|phone)\b)"
    r"(?!.*(?:地址|邮箱|加急|取消|发票|手机|电话|支付|付款|名字)).*(?:"
    r"\b(?:change|amend|modify|edit|alter)\b (?:something (?:on|in) )?(?:my|the|an|this|that|our) "
    r"order\b|改(?:一下|下)?(?:我的|这个|那个)?(?:订单|单子)|修改(?:一下|下)?(?:订单|单子)|"
    r"(?:订单|单子)(?:能|可以|能不能|可不可以|还能)?(?:改|修改)(?:吗|不|一下|下)?)",
    re.IGNORECASE,
)


def change_asked(text: str) -> str | None:
    """What the customer asks the order be changed to ("white", "size L", "白色"), or None."""
    if DEFECT.search(text) and not _OWN_MISTAKE.search(text):
        return None  # "换成新的 这个坏了": a faulty item's replacement, not another colour
    found = _CHANGE.search(text)
    if found is None:
        return None
    quantity = found.group("qty") or found.group("qtyzh")
    if quantity:
        return f"{quantity}件" if found.group("qtyzh") else f"{quantity} of it"
    said = next(g for g in found.group("en", "en2", "en3", "zh") if g)
    return re.sub(r"^(?:a|one) |\s+(?:one|colou?r)$", "", said, flags=re.IGNORECASE)


# An order the customer placed, in their words: with no order in play, "do you have it in
# blue" is a product question, "can i change my order to blue" a change.
_ORDERED = re.compile(
    r"\b(?:my|the|our|this|that) order\b|\b(?:i|we|i've|ive|just) (?:\w+ )?(?:ordered|bought|"
    r"purchased)\b|订单|单子|下的单|买的|拍的|下单",
    re.IGNORECASE,
)


def asks(turn: Turn) -> bool:
    """True for "can I change it to white", "改成白色的" with an order in play; with none,
    a change to an order of theirs ("i ordered the wrong size, can i change it to a large",
    "i want to change my order", "我想改一下订单", "下错了 能改成大号吗"): its number asked."""
    text = turn.message.text
    if _CHANGE_ANY.search(text) is not None:
        return True
    if change_asked(text) is None:
        return False
    return turn.order_in_play is not None or bool(
        _ORDERED.search(text) or _OWN_MISTAKE.search(text)
    )


def _asked_before(turn: Turn) -> tuple[str, str]:
    """The change the customer asked for a few messages ago, before the order's number was
    asked ("make it the blue one" then "55120"), and their words: nothing they wrote is
    dropped. Empty when none was."""
    current = turn.conversation_id
    said = [
        m.text
        for m in turn.context.recent
        if m.direction is Direction.IN and m.conversation_id == current
    ][-4:]
    for text in reversed(said):
        target = change_asked(text)
        if target:
            return target, text.strip()
    return "", ""


async def answer(turn: Turn) -> list[Reply]:
    """From where the order is: not shipped, the change on a case for our team (the bot
    cannot change it itself), handed to them; shipped, too late to change, and the free
    exchange once it has come; cancelled, nothing to change."""
    number = turn.order_in_play
    words = turn.message.text.strip()
    target = change_asked(words) or ""
    if not target and _CHANGE_ANY.search(words) is None:
        target, before = _asked_before(turn)
        words = f"{before}\n{words}".strip()
    if number is None:
        # Which order: the change is kept with the question and made once the number comes.
        turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.CHANGE))
        if target:
            return [turn.reply("order_change_which", change=target)]
        return [turn.reply("order_change_which_any")]
    order = await inquiry.find_order(turn, number)
    if order is None:
        return inquiry.unknown_order(turn, number, Purpose.CHANGE)
    turn.outcome.statused.add(order.number)
    turn.outcome.slots["order_number"] = order.number
    if order.status == "cancelled":
        return [turn.reply("cancel_already", order=order.number)]
    if not target:
        # "i want to change my order": what to, asked (the next "make it blue" is read so).
        key = "order_change_what" if order.status == "processing" else "order_change_late_any"
        return [turn.reply(key, order=order.number)]
    if order.status != "processing":
        # (Delivered, it is an exchange: read as such before this, handlers/readings.py.)
        return [turn.reply("order_change_too_late", order=order.number, change=target)]
    line = f"Change asked for order {order.number} (to {target}): {words}"
    case = await turn.deps.cases.open(
        customer_id=turn.customer_id,
        kind=CaseKind.INQUIRY,
        # It must be done before the order ships: not left behind routine questions.
        priority=Priority.HIGH,
        reason=f"change order {order.number} to {target}",
        summary=with_order(line, order.number),
        topic=TOPIC,
    )
    turn.outcome.case = case.number
    await escalation.escalate(turn, reason=REASON, case=case)
    return [
        turn.reply("order_change_requested", order=order.number, number=case.number, change=target)
    ]
