"""Two orders named and asked for together: both numbers noted, one parcel while neither has
shipped (a person offered to combine them), separate once one has; never a complaint about
the first order, nor a request for numbers already given."""

from __future__ import annotations

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


async def test_unshipped_orders_together_are_noted_and_offered(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2241", "Fay")
    replies = await say("hi i placed two orders A-1002 and C-7781 can u send them together")
    text = " ".join(r.text for r in replies)
    assert "A-1002" in text and "C-7781" in text and "one parcel" in text, text
    assert "order number" not in text and "sorry" not in text.lower(), text
    assert any(b.payload == "human" for r in replies for b in r.buttons), text


async def test_zh_one_already_shipped_goes_alone(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2242", "小傅", "zh")
    (answer,) = await say("两个订单 A-1001 和 A-1002 能一起发吗")
    assert "A-1001" in answer.text and "已经发出" in answer.text, answer.text
    assert "订单号" not in answer.text, answer.text


async def test_other_order_beside_the_one_in_play(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2243", "Gus")
    await say("whats the status of A-1002")
    replies = await say("can u send it together with my other order C-7781")
    text = " ".join(r.text for r in replies)
    assert "A-1002" in text and "C-7781" in text and "one parcel" in text, text
