"""A parcel marked delivered and not received: looking for it where couriers leave parcels
("checked with neighbours, nothing", "问了门卫也没有") gets its case with what the team does
(proof of delivery, GPS, a replacement or refund, by when), not the neighbour text again;
"found it, it was in the shed" afterwards closes the case, glad, not "thanks for your
feedback". A late order said sarcastically or angrily gets a case, said once."""

from __future__ import annotations

from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import make_say


async def test_neighbours_checked_then_found(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "3631", "Sam")
    await say("where is A-1003")  # delivered in the demo orders
    replies = await say("checked with neighbours, nothing")
    text = " ".join(r.text for r in replies)
    assert "case #" in text and "proof of delivery" in text and "GPS" in text, text
    assert "neighbour" not in text, text
    found = await say("found it, it was in the shed, sorry")
    said = " ".join(r.text for r in found)
    assert "Glad" in said and "closed" in said and "feedback" not in said, said


async def test_zh_asked_the_guard_after_the_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "3632", "小陈", "zh")
    await say("A-1003显示签收了但我没收到")
    (noted,) = await say("问了门卫也没有")
    assert "签收证明" in noted.text and "邻居" not in noted.text, noted.text


async def test_sarcastic_late_order_is_one_case(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "3633", "小陈", "zh")
    replies = await say("真是太棒了 说好的三天到 现在一个礼拜了 A-1005")
    text = " ".join(r.text for r in replies)
    assert "工单 #" in text, text
    assert "需要我为您创建工单" not in text and "还是直接转人工" not in text, text
