"""Two product questions in one message are two answers, in order (an independent run
answered only one of "do you have the air fryer in black and how much is the kettle")."""

from __future__ import annotations

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


async def test_two_products_asked_about_are_both_answered_in_order(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1311", "Ben")
    replies = await say("do you have the air fryer in black and how much is the kettle")
    text = " ".join(r.text for r in replies)
    assert "$89.00" in text and "$39.00" in text, text
    assert text.index("$89.00") < text.index("$39.00"), text


async def test_zh_two_products_asked_about_are_both_answered(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1312", "小马", "zh")
    text = " ".join(r.text for r in await say("耳机有货吗 还有充电宝多少钱"))
    assert "耳机" in text and "充电宝" in text and "$25.00" in text, text


async def test_one_product_asked_about_twice_is_one_answer(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "1313", "Zed")
    text = " ".join(r.text for r in await say("how much is the kettle, is the kettle in stock"))
    assert text.count("$39.00") == 1, text
