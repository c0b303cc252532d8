"""Whether the carrier can be chosen (we pick it by destination) and delivery to remote
areas (how long, how much) are knowledge-base answers of their own, found by their words in
any wording: not the carrier list again, never the address change."""

from __future__ import annotations

import pytest

from handlers.dispatcher import Dispatcher
from handlers.knowledge import KnowledgeBase
from tests.handlers.conftest import make_say


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("can i choose DHL", "delivery-carrier-choice"),
        ("can you send it with ups instead", "delivery-carrier-choice"),
        ("能指定顺丰吗", "delivery-carrier-choice"),
        ("能发顺丰吗", "delivery-carrier-choice"),
        ("可以换个快递吗", "delivery-carrier-choice"),
        ("do you ship to the highlands / islands", "delivery-remote"),
        ("how long to a remote village", "delivery-remote"),
        ("那偏远地区呢 新疆", "delivery-remote"),
        ("西藏包邮吗", "delivery-remote"),
        ("can i change my delivery address", "delivery-address"),
        ("which courier do you use", "delivery-carrier"),
    ],
)
def test_entry_found(text: str, entry: str) -> None:
    found = KnowledgeBase.load().find(text, intent="ask_delivery")
    assert found is not None and found.id == entry, (text, found and found.id)


async def test_remote_after_the_carrier_choice(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "3611", "小周", "zh")
    (choice,) = await say("能指定顺丰吗")
    assert "目的地" in choice.text and "地址" not in choice.text, choice.text
    (remote,) = await say("那偏远地区呢 新疆")
    assert "偏远" in remote.text and "工作日" in remote.text, remote.text
    assert "修改地址" not in remote.text, remote.text
