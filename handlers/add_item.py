"""Something to add to an order already placed ("can i still add something to it")."""

from __future__ import annotations

import re

from handlers.turn import Turn

# The knowledge-base entry on adding an item to an order already placed.
ENTRY = "order-add-item"

# "can i still add something to it", "add a mouse to A-1234", "is it too late to add a laptop
# stand", "还能加东西吗", "能不能再加个鼠标进去", "往订单里加一件": an item added to the order.
_ADD = re.compile(
    r"\badd(?:ing)?\s+(?:something|anything|an? (?:other )?(?:item|thing|product)|"
    r"another (?:item|thing|one)|more (?:items|stuff|things)|stuff|one more|"
    r"(?:a|an|the|my|some|one|two|\d)\s+[a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)\b"
    r"(?:.{0,30}\b(?:to|in|into|onto)\s+(?:it|the order|my order|order|that|this|[a-z]?-?\d{3,}))?|"
    r"\badd(?:ing)?\s+(?:to|in)\s+(?:it|the order|my order|that order|this order)\b|"
    # "can i add it to the order i just placed", "put another item in my existing order"
    r"\badd(?:ing)?\s+(?:it|this|that|them|these|those)\s+(?:to|in|into|onto)\s+"
    r"(?:it|the|my|that|this)\b|"
    r"\bput\s+(?:another|one more|an?(?: other| extra)?|more)\s+(?:[a-z-]+\s+){0,2}?"
    r"(?:in|into|on|onto)\s+"
    r"(?:(?:it|the|my|that|this)\s+(?:(?:existing|current|last|same|new)\s+)?order\b|"
    # "could i put a phone case on it": the order in play.
    r"(?:it|that one)\b)|"
    r"(?:加|添|补)(?:个|点|件|一个|一件|些|几个|一样)?(?:东西|商品|\w{1,4}?)进去|"
    r"(?:还能|能不能|可不可以|可以|能|再|想)(?:往里|往订单里|在订单里)?(?:再)?"
    r"(?:加|添|追加)(?!急|钱|价|运费|微信)(?:个|点|件|一个|一件|些|几个|一样)?",
    re.IGNORECASE,
)
# Added to something else: the invoice's details, a note or an address, a case.
_ELSEWHERE = re.compile(
    r"\b(?:invoice|receipt|vat|tax|company|details?|notes?|instructions?|address|phone|number|"
    r"e-?mail|case|ticket|comment|photo|picture|card|app|mode|feature|option|website|"
    # "put a hold on it", "put a stop on it": the order held, nothing added.
    r"hold|stop|pause|freeze|block)\b|"
    r"发票|抬头|税号|单号|备注|地址|电话|邮箱|工单|照片|图片|说明|微信|好友|提醒|功能|选项|包邮|运费",
    re.IGNORECASE,
)


# An order placed said in words, none named ("the order i just placed", "刚下的单"): asked
# cold, adding to it is the same question.
_ORDER_SAID = re.compile(
    r"\b(?:order|ordered|purchase|purchased|bought)\b|订单|下单|下的单|刚买|单子",
    re.IGNORECASE,
)


def asks(turn: Turn) -> bool:
    """True when, an order named, in play or said in words, the message asks to add an item
    to it."""
    text = turn.message.text
    if not turn.parse.orders and turn.order_in_play is None and not _ORDER_SAID.search(text):
        return False
    if _ADD.search(text) is None:
        return False
    # The product named is what is added, whatever its words ("a phone case", "a card holder").
    for product in turn.parse.entities:
        if product.kind == "product" and product.text:
            text = text.replace(product.text, " ")
    return _ELSEWHERE.search(text) is None
