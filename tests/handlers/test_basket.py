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


# An amount the customer would spend, against the free-delivery line (issue #15).


def test_the_amount_named() -> None:
    from handlers.basket import amount_named

    assert amount_named("what if i spend like 60") == 60.0
    assert amount_named("and if its $45.50?") == 45.5
    assert amount_named("我买个60块的呢") == 60.0
    assert amount_named("what if i buy 2 items") is None  # a count, not money
    assert amount_named("and A-1001?") is None  # an order number
    assert amount_named("what if i spend more") is None


async def test_an_amount_after_the_delivery_prices(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2226", "Ed")
    await say("how much do you charge for shipping")
    (over,) = await say("what if i spend like 60")
    assert "free" in over.text and "$60.00" in over.text, over.text
    (under,) = await say("and if its 45?")
    assert "$45.00" in under.text and "$4.90" in under.text, under.text
    assert "$5.00" in under.text, under.text  # what is missing


async def test_zh_an_amount_after_the_delivery_prices(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2227", "小红", "zh")
    await say("运费怎么算")
    (over,) = await say("那我买个60块的呢")
    assert "包邮" in over.text and "$60.00" in over.text, over.text
    (asked,) = await make_say(dispatcher, "2228", "小绿", "zh")("买40的包邮吗")
    assert "$4.90" in asked.text and "$10.00" in asked.text, asked.text
