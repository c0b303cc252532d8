"""Where a parcel can go when nobody is in: "im at work all day, can it go to a locker",
"白天不在家 能放快递柜不", "能放驿站吗 我白天上班没人收".

Asked as a question with nothing about sending anything back, it is the delivery answer for
that option (the locker, the neighbour), not a complaint because "nobody's home", nor how a
return is dropped off because a locker is named.
"""

from __future__ import annotations

import re

from handlers.questions import is_question
from handlers.wording import RETURN

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
