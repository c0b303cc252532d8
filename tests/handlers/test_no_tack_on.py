"""Nothing unasked tacked on: a "why" after a problem is about that problem, not a request
of its own answered from the nearest FAQ entry (issue #15, conv42)."""

from __future__ import annotations

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import Say, make_say


async def test_a_double_charge_then_why_gets_no_returns_policy_zh(dispatcher: Dispatcher) -> None:
    lin = make_say(dispatcher, "101", "Lin", "zh")
    text = "\n".join(r.text for r in await lin("订单A-1003扣了我两次钱 怎么回事"))
    assert "A-1003" in text and "支付团队" in text
    assert "退货" not in text and "30 天" not in text


async def test_a_double_charge_then_whats_going_on_en(anna: Say) -> None:
    replies = await anna("you charged me twice for A-1003. what's going on??")
    text = "\n".join(r.text for r in replies)
    assert "A-1003" in text and "payments team" in text
    assert "return" not in text.lower()
