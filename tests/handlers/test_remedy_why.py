""""why?" right after a refund or a replacement was noted on the case with what happens next
(the refund once the item is back, the new one once the old one is on its way): that reason,
never the case's status (issue #15, C62)."""

from __future__ import annotations

from handlers.dispatcher import Dispatcher
from handlers.types import Reply
from tests.handlers.conftest import Say, make_say


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def test_how_come_after_the_refund_noted_is_why_it_waits(anna: Say) -> None:
    await anna("the coffee machine from A-1003 arrived with a cracked water tank")
    await anna("i want my money back")
    why = _text(await anna("how come"))
    assert "back with us" in why or "warehouse" in why, why
    assert "It was opened" not in why, why


async def test_weisha_after_a_replacement_noted(dispatcher: Dispatcher) -> None:
    wang = make_say(dispatcher, "200", "小王", "zh")
    await wang("A-1003的咖啡机水箱裂了")
    await wang("给我换个新的吧")
    why = _text(await wang("为啥"))
    assert "快递" in why and "已创建" not in why, why


async def test_why_without_a_remedy_just_noted_is_not_this_reason(anna: Say) -> None:
    await anna("what is your returns policy")
    why = _text(await anna("why"))
    assert "back with us" not in why and "warehouse and is booked" not in why, why
