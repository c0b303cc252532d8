"""A product that sounds dangerous: safety advice first, a high-priority case, and the same
advice again when the customer asks whether to go on using it (brief C37)."""

from __future__ import annotations

import pytest

from crm_memory import Case, ChannelIdentity, Priority
from handlers.complaint import complaint_priority
from handlers.context import DEFECT
from handlers.hazard import asks_if_safe, asks_of_socket, sounds_dangerous
from handlers.turn import Deps
from handlers.types import Reply
from tests.handlers.conftest import Say


@pytest.mark.parametrize(
    "text",
    [
        "the power bank gets too hot to hold",
        "its overheating and swelling",
        "battery is bulging and puffed up",
        "the kettle is dripping water near the plug",
        "sparks came out of the back",
        "the kettle sparked when i plugged it in",
        "the plug is charred and it shorted out",
        "一插上就短路了",
        "smells like burning",
        "charger melted a bit",
        "it gets way too hot when charging",
        "is that dangerous?",
        "充电宝烫得拿不住",
        "鼓包了",
        "插头那里漏水 会不会漏电",
        "冒烟了",
        "有焦味",
        "充电器插头有点化了 还发烫",
    ],
)
def test_a_danger_in_the_customers_words(text: str) -> None:
    assert sounds_dangerous(text)


@pytest.mark.parametrize(
    "text",
    [
        "the kettle is broken",
        "does it get hot on the outside?",
        "a water bottle and a charging cable",
        "the tap is leaking",
        "坏了 退款",
        "水杯漏水",
        "我要气炸了 快递还没到",
        "it was so hot outside the parcel sat in the sun",
        "does the fire tv stick come with a remote",
        "do you sell sparkling water glasses",
    ],
)
def test_an_everyday_fault_or_question_is_no_danger(text: str) -> None:
    assert not sounds_dangerous(text)


@pytest.mark.parametrize(
    "text",
    ["is the heater dangerous for kids?", "这个取暖器对小孩危险吗", "is it unsafe to leave on"],
)
def test_asking_if_a_product_is_dangerous_is_no_defect(text: str) -> None:
    # A question before buying, not a report: a product problem only when something happened.
    assert DEFECT.search(text) is None
    assert sounds_dangerous(text)


@pytest.mark.parametrize(
    "text",
    [
        "should i stop using it",
        "is it safe to keep in my bag?",
        "can i still use it",
        "is it still ok to use if i keep an eye on it",
        "还能用吗",
        "那我现在还能接着用吗",
        "这样安全吗",
        "会不会爆炸啊",
    ],
)
def test_asks_whether_to_go_on_using_it(text: str) -> None:
    assert asks_if_safe(text)


@pytest.mark.parametrize(
    "text",
    [
        "is it ok if i send it back tomorrow",
        "can i use paypal",
        "is it safe? sparks came out again",
        "能用支付宝吗",
    ],
)
def test_not_a_question_whether_to_use_it(text: str) -> None:
    assert not asks_if_safe(text)


@pytest.mark.parametrize(
    "text", ["the power bank gets way too hot to hold", "充电宝鼓包了", "插头那里漏水"]
)
def test_a_danger_raises_the_priority(text: str) -> None:
    priority = complaint_priority(text=text, sentiment=-0.3, repeat=False, tier="standard")
    assert priority.rank >= Priority.HIGH.rank


async def test_safety_first_then_a_high_case_with_the_order(anna: Say, deps: Deps) -> None:
    replies = await anna("the kettle from A-1001 is dripping water near the plug, is that safe")
    assert "stop using" in replies[0].text.lower()
    assert "unplug" in replies[0].text.lower()
    text = _text(replies)
    assert "order number" not in text and "replacement" in text
    (case,) = await _cases(deps)
    assert f"#{case.number}" in text
    assert case.priority.rank >= Priority.HIGH.rank and "A-1001" in case.summary
    again = _text(await anna("should i stop using it"))
    assert "stop using" in again.lower() and "team to decide" not in again
    assert len(await _cases(deps)) == 1


async def test_the_question_without_a_danger_told_is_not_answered_with_safety(anna: Say) -> None:
    replies = await anna("can i still use it if the handle is a bit loose")
    assert "stop using" not in _text(replies).lower()


async def test_a_danger_on_an_open_case_raises_it(anna: Say, deps: Deps) -> None:
    await anna("the kettle from A-1001 is broken, it makes a weird noise")
    (case,) = await _cases(deps)
    assert case.priority is Priority.NORMAL
    replies = await anna("and now it smells like burning")
    assert "stop using" in replies[0].text.lower()
    (case,) = await _cases(deps)
    assert case.priority.rank >= Priority.HIGH.rank


async def test_another_products_danger_is_a_case_of_its_own(anna: Say, deps: Deps) -> None:
    # One case per order and subject: the blender is not the kettle's case, nor its order.
    await anna("the kettle from A-1001 is broken, it makes a weird noise")
    replies = await anna("my blender smells like burning when i use it")
    text = _text(replies)
    assert "stop using" in text.lower() and "sorry" in text.lower(), text
    kettle, blender = sorted(await _cases(deps), key=lambda c: c.number)
    assert "A-1001" in kettle.summary and "A-1001" not in blender.summary, blender.summary
    assert "order number" in text, text


async def test_chinese_safety_first(anna: Say, deps: Deps) -> None:
    replies = await anna("A-1001的电水壶插头那里漏水 会不会漏电")
    assert "停止使用" in replies[0].text and "拔掉" in replies[0].text
    assert "订单号" not in _text(replies)
    again = _text(await anna("还能用吗"))
    assert "停止使用" in again


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def _cases(deps: Deps) -> list[Case]:
    customer = await deps.customers.find(ChannelIdentity("telegram", "100"))
    return [] if customer is None else list(await deps.cases.for_customer(customer.id))


@pytest.mark.parametrize(
    ("text", "socket"),
    [
        ("is it safe to keep using the socket", True),
        ("could the outlet be fried now", True),
        ("is the power strip ok", True),
        ("那个插座还能用吗", True),
        ("插排没事吧", True),
        ("can i still use it", False),
        ("还能用吗", False),
        ("is the plug safe", False),  # the product's own plug
        ("does it fit a UK socket", False),  # no state asked: a product question
    ],
)
def test_the_socket_asked_about_is_not_the_product(text: str, socket: bool) -> None:
    assert asks_of_socket(text) is socket


async def test_the_socket_after_sparks_is_to_be_checked_not_the_products_advice(
    anna: Say,
) -> None:
    await anna("the kettle sparked when i plugged it in")
    text = " ".join(r.text for r in await anna("is the wall socket still safe to use?"))
    assert "electrician" in text and "socket" in text, text
