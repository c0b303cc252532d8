"""After a rating, a new question or problem is answered as such, not stored as the survey
comment; the comment that follows it is still stored (issue #15)."""

from __future__ import annotations

import pytest

from crm_memory import ChannelIdentity
from handlers.agents import AgentService
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from tests.handlers.conftest import FakeDesk, rated_case


async def _comment(deps: Deps, user: str) -> str | None:
    customer = await deps.customers.find(ChannelIdentity("telegram", user))
    assert customer is not None
    (response,) = await deps.surveys.for_customer(customer.id)
    return response.comment


@pytest.mark.parametrize(
    ("question", "answer", "comment", "zh"),
    [
        ("also where is my order A-1001", "JD014600003828", "agent was slow", False),
        ("btw wheres A-1001 at?", "JD014600003828", "took ages tbh", False),
        ("还有个问题 A-1001到哪了", "JD014600003828", "还行吧 就是回复有点慢", True),
    ],
)
async def test_a_new_question_is_answered_and_the_comment_after_it_kept(
    dispatcher_with_desk: Dispatcher,
    agents: AgentService,
    desk: FakeDesk,
    deps: Deps,
    question: str,
    answer: str,
    comment: str,
    zh: bool,
) -> None:
    say = await rated_case(dispatcher_with_desk, agents, desk, "2120", zh=zh, stars=2)
    reply = " ".join(r.text for r in await say(question))
    assert answer in reply, reply
    assert await _comment(deps, "2120") is None
    await say(comment)
    assert await _comment(deps, "2120") == comment


@pytest.mark.parametrize(
    ("text", "zh"),
    [("the charger is broken too, it sparks", False), ("还有个充电器也坏了 充不进电", True)],
)
async def test_another_broken_product_opens_a_case_not_a_comment(
    dispatcher_with_desk: Dispatcher,
    agents: AgentService,
    desk: FakeDesk,
    deps: Deps,
    text: str,
    zh: bool,
) -> None:
    say = await rated_case(dispatcher_with_desk, agents, desk, "2121", zh=zh, stars=2)
    await say(text)
    assert await _comment(deps, "2121") is None
    customer = await deps.customers.find(ChannelIdentity("telegram", "2121"))
    assert customer is not None
    assert len(await deps.cases.for_customer(customer.id)) == 2


async def test_a_plain_comment_is_still_stored(
    dispatcher_with_desk: Dispatcher, agents: AgentService, desk: FakeDesk, deps: Deps
) -> None:
    say = await rated_case(dispatcher_with_desk, agents, desk, "2122", zh=False, stars=2)
    await say("the agent was slow and never said sorry")
    assert await _comment(deps, "2122") == "the agent was slow and never said sorry"
