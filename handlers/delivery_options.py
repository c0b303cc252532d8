"""Where a parcel can go when nobody is in: "im at work all day, can it go to a locker",
"白天不在家 能放快递柜不", "能放驿站吗 我白天上班没人收".

Asked as a question with nothing about sending anything back, it is the delivery answer for
that option (the locker, the neighbour), not a complaint because "nobody's home", nor how a
return is dropped off because a locker is named.
"""

from __future__ import annotations

import re

from handlers import inquiry
from handlers.context import DEFECT
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import RETURN
from nlu import FALLBACK

# Reading detail (handlers/dispatcher.py routes it here): an order's delivery changed to a
# locker or a pick-up point.
TO_LOCKER = "delivery_to_locker"
# The knowledge-base entry on lockers and pick-up points.
LOCKER_ENTRY = "delivery-locker"

# A place a parcel can be left or collected.
_OPTION = re.compile(
    r"\blockers?\b|\bpick-?up (?:point|location|shop)|\bcollection point|\bparcel ?shop|"
    r"\bneighbou?rs?\b|\bnext door\b|\bsafe place\b|\breception\b|\bconcierge\b|\bporch\b|"
    r"\bdoorstep\b|快递柜|丰巢|驿站|自提点|代收点|菜鸟|邻居|隔壁|门卫|物业|前台|门口|"
    # The customer's workplace as the place to deliver ("could it go to my office instead",
    # "送到公司行吗", "寄单位吧"); not "at work" (why nobody is in) nor an invoice's company.
    r"\b(?:my|the|our|to) (?:office|work ?place|work address)\b|\boffice address\b|"
    r"(?:送|寄|放|派|发)(?:到|去|在)?(?:我)?(?:们)?(?:公司|单位|办公室)|公司(?:地址|前台)|"
    r"(?:到|去)(?:我)?(?:们)?(?:公司|单位|办公室)",
    re.IGNORECASE,
)
# Why, or that it is a delivery: nobody in, at work, the courier.
_DELIVERY = re.compile(
    r"\bnot (?:at )?home\b|\bnobody(?:'?s| is)?\b|\bno ?one(?:'?s| is)? (?:home|in|there)\b|"
    r"\b(?:at|@) work\b|\bout all day\b|\baway\b|\bdeliver|\bcourier|\bdriver|\bparcel\b|"
    r"\bpackage\b|\bshipp?(?:ed|ing)?\b|"
    r"不在家|没人|上班|白天|家里没人|收不了|签收不了|送|派|快递(?!柜)",
    re.IGNORECASE,
)


def names_option(text: str) -> bool:
    """True when the text names a place a parcel can be left or collected (a locker, a
    neighbour, "快递柜", "驿站"), with nothing sent back."""
    return _OPTION.search(text) is not None and RETURN.search(text) is None


def asks(text: str, *, order_named: bool) -> bool:
    """True when the text asks whether a parcel can go to a locker, a neighbour..., saying
    it is a delivery or why (nobody in), with nothing sent back and no order named."""
    return (
        not order_named
        and _OPTION.search(text) is not None
        and _DELIVERY.search(_OPTION.sub(" ", text)) is not None
        and RETURN.search(text) is None
        and is_question(text)
    )


# A locker or pick-up point, where a parcel waits to be collected.
_LOCKER = re.compile(
    r"\blockers?\b|\bpick-?up (?:point|location|shop)|\bcollection point|\bparcel ?shop|"
    r"快递柜|丰巢|驿站|自提点|代收点|菜鸟",
    re.IGNORECASE,
)
# The order's delivery changed to go there: "switch it to a locker please", "send it to a
# pick-up point instead", "can it go to a locker", "能换成放丰巢吗", "改成放驿站", "送到自提点吧".
_CHANGE_TO = re.compile(
    r"\b(?:change|switch|swap|redirect|move|send|deliver|ship|have|put|drop|leave|instead|rather)\b|"
    r"\b(?:can|could) (?:it|they|you) (?:go|be)\b|改|换|寄到|送到|放到|放在|发到|派到|放",
    re.IGNORECASE,
)


def to_locker(turn: Turn) -> bool:
    """True for "switch it to a locker please", "send 81302 to a pick-up point instead", "能帮
    我换成放丰巢吗" with an order in play: that order's delivery changed, answered from where
    it is (before it ships we can still change it), not how to pick a locker at checkout."""
    text = turn.message.text
    return (
        turn.order_in_play is not None
        and _LOCKER.search(text) is not None
        and _CHANGE_TO.search(_LOCKER.sub(" ", text)) is not None
        and RETURN.search(text) is None
    )


async def answer_to_locker(turn: Turn) -> list[Reply]:
    """The order in play sent to a locker: before it ships our team changes it (a person
    offered to do it); shipped, on the carrier's tracking page; delivered or cancelled, too
    late, and how to choose one next time."""
    number = turn.order_in_play
    order = await inquiry.find_order(turn, number) if number is not None else None
    if order is None:
        return await inquiry.answer(turn, intent="ask_delivery")
    turn.answered_from(LOCKER_ENTRY)
    if order.status == "processing":
        return [turn.offer_human("locker_change_possible", order=order.number)]
    if order.status == "shipped":
        turn.outcome.statused.add(order.number)
        return [
            turn.reply(
                "locker_change_shipped",
                order=order.number,
                carrier=order.carrier or "-",
                tracking=order.tracking or "-",
            )
        ]
    return [turn.reply(f"locker_change_{order.status}", order=order.number)]


# A faster delivery asked for in so many words: "i want 2 day delivery for the kettle", "need
# next-day delivery for the blender", "电水壶我想次日达", "能两天内送到吗".
_WANTS_FASTER = re.compile(
    r"\b(?:want|need|like|get|have|do|can|could)\b.{0,30}"
    r"\b(?:next[- ]day|(?:1|2|one|two)[- ]?days?|same[- ]day|express|fastest|quickest)\b"
    r".{0,15}\b(?:delivery|deliveries|shipping|postage)\b|"
    r"(?:要|想|想要|能|可以|能不能|可不可以|选).{0,6}(?:次日达|加急|当日达|隔日达|(?:一|两|1|2)天(?:之)?内)",
    re.IGNORECASE,
)


def wants_faster(turn: Turn) -> bool:
    """True when the customer asks for a faster delivery in so many words, no order in play
    and no case open, and the engine read it as a complaint or not at all: the express answer,
    never a case ("i want 2 day delivery for the kettle", "电水壶我想次日达")."""
    text = turn.message.text
    if turn.order_in_play is not None or turn.parse.intent not in ("complaint", FALLBACK):
        return False
    return _WANTS_FASTER.search(text) is not None and DEFECT.search(text) is None
