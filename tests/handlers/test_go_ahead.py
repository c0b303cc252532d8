"""A go-ahead right after a case about an item says what is now under way and what comes
next (an independent run answered "yes please sort it", "嗯嗯 麻烦处理下" and "👍" with a bare
thumbs-up), and fewer items than ordered is a missing part sent free ("咖啡机到了 但是水杯只有
一个 应该两个" got a case and nothing about the cup)."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.greeting import only_missing
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("go", "zh"),
    [
        ("yes please sort it", False),
        ("ok go ahead with that", False),
        ("👍", False),
        ("嗯嗯 麻烦处理下", True),
        ("行 那就这么办吧", True),
    ],
)
async def test_a_go_ahead_after_a_case_says_what_happens_next(
    dispatcher: Dispatcher, go: str, zh: bool
) -> None:
    say = make_say(dispatcher, "2120", "小安" if zh else "Ana", "zh" if zh else "en")
    await say("订单A-1003的咖啡机漏水" if zh else "the coffee machine from A-1003 leaks")
    text = " ".join(r.text for r in await say(go))
    assert "#" in text, text
    if zh:
        assert "面单" in text and "还有什么" not in text, text
    else:
        assert "return label" in text and "anything else" not in text.lower(), text


async def test_a_go_ahead_after_a_refund_chosen_says_when_the_money_comes(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "2121", "Bo")
    await say("the coffee machine from A-1003 leaks")
    await say("i'd rather have my money back")
    text = " ".join(r.text for r in await say("yes pls"))
    assert "refund" in text and "3-5 working days" in text, text


async def test_an_ok_with_no_case_just_made_is_only_an_ok(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2122", "Cy")
    await say("where is A-1001")
    text = " ".join(r.text for r in await say("yes please sort it"))
    assert "return label" not in text and "#" not in text, text


@pytest.mark.parametrize(
    "text",
    ["咖啡机到了 但是水杯只有一个 应该两个", "only got one water bottle, should be two"],
)
def test_fewer_than_ordered_is_a_missing_part(text: str) -> None:
    assert only_missing(text), text


async def test_a_missing_cup_is_sent_free_with_nothing_to_return(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "2123", "小唐", "zh")
    text = " ".join(r.text for r in await say("A-1003的咖啡机到了 但是水杯只有一个 应该两个"))
    assert "#" in text and "补发" in text and "不需要寄回" in text, text
