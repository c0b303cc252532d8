"""A survey comment that says what went wrong gets an apology, not a bare thank-you (an
independent run stored "she was helpful but it all took way too long" and "等太久了 而且一开始
机器人啥也不懂" with only "thank you")."""

from __future__ import annotations

import pytest

from handlers.agents import AgentService
from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import FakeDesk, rated_case


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
    say = await rated_case(dispatcher_with_desk, agents, desk, "2110", zh=sorry == "抱歉", stars=3)
    reply = " ".join(r.text for r in await say(text))
    assert sorry in reply.lower(), reply


@pytest.mark.parametrize(
    ("text", "zh"), [("maria was lovely and really quick", False), ("客服很耐心 点赞", True)]
)
async def test_a_happy_comment_is_thanked_without_an_apology(
    dispatcher_with_desk: Dispatcher, agents: AgentService, desk: FakeDesk, text: str, zh: bool
) -> None:
    say = await rated_case(dispatcher_with_desk, agents, desk, "2111", zh=zh, stars=3)
    reply = " ".join(r.text for r in await say(text))
    assert ("谢谢" if zh else "thank") in reply.lower(), reply
    assert "sorry" not in reply.lower() and "抱歉" not in reply, reply
