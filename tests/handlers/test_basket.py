"""Whether delivery is free for products bought together: their catalogue prices summed
against the delivery-cost answer's free-delivery line, a yes or a no with what is missing."""

from __future__ import annotations

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


async def test_with_the_product_in_play_over_the_line(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2221", "Bo")
    await say("how much is the wireless mouse")
    (answer,) = await say("if i get it together with the mechanical keyboard is shipping free?")
    assert answer.text.startswith("Yes") and "$94.00" in answer.text, answer.text


async def test_two_named_under_the_line(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2222", "Cy")
    (answer,) = await say("is delivery free if i buy a usb cable and a phone case")
    assert "$27.00" in answer.text and "$4.90" in answer.text, answer.text
    assert "$23.00" in answer.text, answer.text  # what is missing


async def test_zh_with_the_product_in_play(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2223", "小白", "zh")
    await say("笔记本支架多少钱")
    (answer,) = await say("跟鼠标一起买包邮不")
    assert answer.text.startswith(("包邮", "可以包邮")) and "$60.00" in answer.text, answer.text
    (short,) = await make_say(dispatcher, "2224", "小黑", "zh")("买个充电宝再加个手机壳包邮吗")
    assert "$40.00" in short.text and "$4.90" in short.text, short.text


async def test_shipping_cost_without_products_is_the_rule(dispatcher: Dispatcher) -> None:
    (answer,) = await make_say(dispatcher, "2225", "Di")("how much is shipping")
    assert "$50" in answer.text and "together" not in answer.text, answer.text
