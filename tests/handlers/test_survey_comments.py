"""A survey comment that says what went wrong gets an apology, not a bare thank-you (an
independent run stored "she was helpful but it all took way too long" and "等太久了 而且一开始
机器人啥也不懂" with only "thank you")."""

from __future__ import annotations

import pytest

from handlers.agents import AgentService
from handlers.dispatcher import Dispatcher
from handlers.types import ContentKind
from tests.handlers.conftest import FakeDesk, Say, make_say


async def _rated(
    dispatcher: Dispatcher, agents: AgentService, desk: FakeDesk, user: str, zh: bool
) -> Say:
    """A customer whose case was closed and rated 3: the next message is the comment."""
    say = make_say(dispatcher, user, "小安" if zh else "Ana", "zh" if zh else "en")
    await say(
        "订单A-1003的咖啡机漏水 转人工"
        if zh
        else "the coffee machine from A-1003 leaks, get me a person"
    )
    number = desk.handoffs[-1].case.number
    await agents.close(number, "Maria")
    await say(f"rate:{number}:3", ContentKind.BUTTON)
    return say


@pytest.mark.parametrize(
    ("text", "sorry"),
    [
        ("she was helpful but it all took way too long", "sorry"),
        ("fine in the end but nobody answered my emails", "sorry"),
        ("等太久了 而且一开始机器人啥也不懂", "抱歉"),
        ("人还行 就是拖得太久了", "抱歉"),
    ],
)
async def test_an_unhappy_comment_gets_an_apology(
    dispatcher_with_desk: Dispatcher, agents: AgentService, desk: FakeDesk, text: str, sorry: str
) -> None:
    say = await _rated(dispatcher_with_desk, agents, desk, "2110", sorry == "抱歉")
    reply = " ".join(r.text for r in await say(text))
    assert sorry in reply.lower(), reply


@pytest.mark.parametrize(
    ("text", "zh"), [("maria was lovely and really quick", False), ("客服很耐心 点赞", True)]
)
async def test_a_happy_comment_is_thanked_without_an_apology(
    dispatcher_with_desk: Dispatcher, agents: AgentService, desk: FakeDesk, text: str, zh: bool
) -> None:
    say = await _rated(dispatcher_with_desk, agents, desk, "2111", zh)
    reply = " ".join(r.text for r in await say(text))
    assert ("谢谢" if zh else "thank") in reply.lower(), reply
    assert "sorry" not in reply.lower() and "抱歉" not in reply, reply
