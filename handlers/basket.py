"""Whether delivery is free for what the customer would buy: "跟鼠标一起买包邮不", "is
shipping free if i get the usb cable and a phone case".

The products' prices come from the catalogue; the free-delivery line and the standard cost
from the knowledge base's delivery-cost answer, the one place that says them. The answer is
the sum and a yes or no, with what is missing when it is a no.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from handlers import picked
from handlers.catalogue import CatalogueError, Product
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import RETURN

logger = logging.getLogger(__name__)

DETAIL = "free_delivery_together"
# Reading detail: an amount the customer would spend, against the free-delivery line.
AMOUNT = "free_delivery_amount"
# The knowledge-base entry that says what delivery costs.
COST_ENTRY = "delivery-cost"
# Asking whether delivery is free, or what it costs.
_ASKS = re.compile(
    r"\bfree (?:shipping|delivery|postage)\b|\b(?:shipping|delivery|postage|ship)\b.{0,20}\bfree\b|"
    r"\b(?:shipping|delivery|postage) (?:cost|fee|charge)|"
    r"\bhow much (?:is |for |would )?(?:the )?(?:shipping|delivery|postage)\b|"
    r"包邮|免运费|免邮|运费.{0,6}(?:多少|要钱|收吗|收不收|免|谁出)|邮费.{0,6}(?:多少|要钱|免)",
    re.IGNORECASE,
)
# Where one product named ends and the next begins.
_JOINS = re.compile(
    r"\s*(?:,|，|、|\band\b|\bwith\b|\bplus\b|\btogether\b|\balong\b|&|\+|跟|和|加上?|再加个?|"
    r"还有|一起|以及|连同|配上?|搭配?)\s*",
    re.IGNORECASE,
)
# Bought together with the product talked about: "with it", "跟X一起", "加个X".
_WITH_IT = re.compile(
    r"\btogether\b|\bwith (?:it|that|this|the \w+)\b|\bas well\b|\btoo\b|\balso\b|\bplus\b|"
    r"\bboth\b|一起|跟|和|加|再来|也买|顺便买|连同",
    re.IGNORECASE,
)
_FREE_OVER = re.compile(r"free on orders over \$?(\d+(?:\.\d+)?)", re.IGNORECASE)
_STANDARD = re.compile(r"standard delivery costs \$?(\d+(?:\.\d+)?)", re.IGNORECASE)


# An amount the customer would spend: "like 60", "$45", "60 bucks", "60块的", "55的"; not a
# count ("2 items", "3天"), an order number ("A-1001") nor part of a longer number.
_AMOUNT = re.compile(
    r"(?<![A-Za-z0-9.#-])[$€£]?\s?(\d{1,4}(?:\.\d{1,2})?)(?![A-Za-z0-9-])"
    r"(?!\s*(?:days?|weeks?|months?|hours?|items?|things?|pieces?|pcs|units?|orders?|x\b|%|"
    r"个|件|天|周|号|次|单|小时|月|年|样))",
    re.IGNORECASE,
)
# The longest follow-up (words, or two ideographs each) read as an amount on the cost answer.
_FOLLOW_UP_WORDS = 12


def amount_named(text: str) -> float | None:
    """The one amount of money the text names ("what if i spend like 60": 60.0); None when it
    names none or several."""
    found = _AMOUNT.findall(text)
    return float(found[0]) if len(found) == 1 else None


def _short(text: str) -> bool:
    words = len(re.findall(r"[A-Za-z0-9']+", text))
    ideographs = len(re.findall(r"[\u4e00-\u9fff]", text))
    return words + ideographs // 2 <= _FOLLOW_UP_WORDS


async def asks_amount(turn: Turn) -> bool:
    """True when the customer asks whether delivery is free for an amount: a short follow-up
    naming one right after the delivery-cost answer ("what if i spend like 60", "and if its
    45?", "我买个60块的呢"), or asked in so many words ("is shipping free if i spend 60",
    "买55的包邮吗") without products to add up. No order named: its delivery is its own."""
    text = turn.message.text
    if turn.parse.orders or amount_named(text) is None:
        return False
    subject = turn.dialogue.subject_in_play()
    if subject is not None and subject.entry == COST_ENTRY and _short(text):
        return True
    return asks(text) and not await products(turn)


async def amount_answer(turn: Turn) -> list[Reply]:
    """The amount against the free-delivery line: free, or the standard cost and what is
    missing; the delivery-cost answer itself when it gives no line."""
    entry = turn.deps.knowledge.entry(COST_ENTRY)
    amount = amount_named(turn.message.text)
    line = _FREE_OVER.search(entry.answer("en")) if entry is not None else None
    cost = _STANDARD.search(entry.answer("en")) if entry is not None else None
    if entry is None or line is None or cost is None or amount is None:
        return [Reply(entry.answer(turn.language))] if entry else [turn.reply("help")]
    turn.answered_from(entry.id)
    threshold = float(line.group(1))
    values = {"total": _money(amount), "threshold": _money(threshold)}
    if amount > threshold:
        return [turn.reply("amount_free", **values)]
    missing = _money(threshold - amount)
    return [
        turn.reply("amount_not_free", cost=_money(float(cost.group(1))), missing=missing, **values)
    ]


def _money(amount: float) -> str:
    return f"${amount:.2f}"


def asks(text: str) -> bool:
    """True when the text asks whether delivery is free or what it costs."""
    return _ASKS.search(text) is not None


async def products(turn: Turn) -> list[Product]:
    """The products the customer would buy: each one the words name, and the product the
    conversation is about when they say it is bought with it (or name none)."""
    catalogue = turn.deps.catalogue
    if catalogue is None:
        return []
    text = turn.message.text
    found: list[Product] = []
    try:
        chosen = await picked.one(turn)
        if chosen is not None:
            return [chosen]  # "i'll take the big one, is shipping free?" after two models
        for piece in _JOINS.split(_ASKS.sub(" ", text)):
            if not piece.strip():
                continue
            matches = await catalogue.search(piece)
            if len(matches) == 1 and matches[0] not in found:
                found.append(matches[0])
        slot = turn.dialogue.slot("product")
        if slot is not None and (not found or (len(found) == 1 and _WITH_IT.search(text))):
            before = await catalogue.search(slot.value)
            if len(before) == 1 and before[0] not in found:
                found.insert(0, before[0])
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return []
    return found


async def asks_together(turn: Turn) -> bool:
    """True when the customer asks whether delivery is free for products the catalogue
    prices (no order named: an order's delivery is that order's). The postage of sending
    something back ("寄回来运费谁出") is the return's, whatever product is in play."""
    if turn.parse.orders or not asks(turn.message.text) or RETURN.search(turn.message.text):
        return False
    found = await products(turn)
    return bool(found) and all(p.price is not None for p in found)


async def answer(turn: Turn) -> list[Reply]:
    """The products' sum against the free-delivery line: yes, or no with the standard cost
    and what is missing; the delivery-cost answer itself when it gives no line."""
    entry = turn.deps.knowledge.entry(COST_ENTRY)
    found = await products(turn)
    line = _FREE_OVER.search(entry.answer("en")) if entry is not None else None
    cost = _STANDARD.search(entry.answer("en")) if entry is not None else None
    if entry is None or line is None or cost is None or not found:
        return [Reply(entry.answer(turn.language))] if entry else [turn.reply("help")]
    turn.answered_from(entry.id)
    if len(found) == 1:
        # "do you sell dishwashers and how much is delivery" answered with its delivery:
        # "is it in stock?", "how loud is it" next are still about that product.
        turn.outcome.slots["product"] = found[0].name
    zh = turn.language == "zh"
    total = sum(p.price or 0.0 for p in found)
    threshold = float(line.group(1))

    def money(amount: float) -> str:
        return replace(found[0], price=amount).price_text()

    named = [
        f"{p.title('zh')}（{p.price_text()}）" if zh else f"the {p.title('en')} ({p.price_text()})"
        for p in found
    ]
    items = ("和" if zh else " and ").join(named)
    values = {"items": items, "total": money(total), "threshold": money(threshold)}
    # One product ("and shipping?" after its price): its price, not a sum "together".
    one = "_one" if len(found) == 1 else ""
    if total > threshold:
        return [turn.reply(f"basket_free{one}", **values)]
    missing = money(threshold - total)
    return [
        turn.reply(
            f"basket_not_free{one}", cost=money(float(cost.group(1))), missing=missing, **values
        )
    ]
