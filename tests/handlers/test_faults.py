"""Two orders in one message, one fine and one with a problem: the case carries the one the
problem is about (an independent run opened it on the fine one, "A-1001 came fine but A-1003
is missing the charger")."""

from __future__ import annotations

import re

import pytest

from handlers.dispatcher import Dispatcher
from handlers.faults import order_at_fault
from nlu import Entity
from tests.handlers.conftest import make_say


def _orders(text: str) -> tuple[Entity, ...]:
    return tuple(
        Entity("order_number", m.group(), m.start(), m.end(), m.group())
        for m in re.finditer(r"[A-Z]-\d{4}", text)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A-1001 came fine but A-1003 is missing the charger", "A-1003"),
        (
            "kettle from order A-1001 is all good, the blender from A-1003 arrived crackd tho",
            "A-1003",
        ),
        ("the lamp in A-1001 doesnt work at all, A-1003 was fine btw", "A-1001"),
        ("A-1001 arrived but A-1003 never came", "A-1003"),
        ("A-1001的水壶收到了没问题 A-1003的烤面包机少了个托盘", "A-1003"),
        ("A-1001那单台灯坏了 开不了 A-1003倒是好好的", "A-1001"),
        # Nothing singles one out: both said wrong, or only asked after.
        ("A-1001 and A-1003 are both broken", None),
        ("A-1001和A-1003都坏了", None),
        ("pls look into A-1001 and A-1003", None),
        ("A-1001 is missing the charger", None),
    ],
)
def test_the_order_the_problem_is_about(text: str, expected: str | None) -> None:
    found = order_at_fault(text, _orders(text))
    assert (found.value if found else None) == expected


async def test_the_case_is_opened_on_the_faulty_order_not_the_fine_one(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "1301", "Leo")
    replies = await say("A-1001 came fine but A-1003 is missing the charger")
    text = " ".join(r.text for r in replies)
    assert "A-1003" in text and "A-1001" not in text, text


async def test_zh_the_case_is_opened_on_the_faulty_order_named_second(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "1302", "小孙", "zh")
    replies = await say("A-1001的水壶收到了没问题 A-1003的咖啡机开不了机")
    text = " ".join(r.text for r in replies)
    assert "A-1003" in text and "A-1001" not in text, text
