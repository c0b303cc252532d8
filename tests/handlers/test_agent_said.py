"""What an agent wrote on the case, asked about once they handed the chat back: said back
with the case's status, through the real dispatcher and stores."""

from __future__ import annotations

from handlers import dialogue
from handlers.agent_said import DETAIL
from handlers.agents import AgentService
from handlers.turn import Deps
from handlers.types import ContentKind
from tests.handlers.conftest import FakeDesk, Say


async def _handed_back(say: Say, agents: AgentService, desk: FakeDesk, words: str) -> int:
    await say("the kettle from order A-1001 leaks")
    await say("/agent", ContentKind.COMMAND)
    number = desk.handoffs[0].case.number
    await agents.take(number, "maria")
    await agents.reply(number, "maria", words)
    await agents.handback(number, "maria")
    return number


async def test_the_agents_words_are_said_back_with_the_case(
    say: Say, agents: AgentService, desk: FakeDesk, deps: Deps
) -> None:
    number = await _handed_back(say, agents, desk, "I've sent a replacement, it ships tomorrow.")
    for text in ("did the replacement ship?", "what did maria say again", "你们同事说的换货发了没"):
        (answer,) = await say(text)
        assert "Maria" in answer.text and "ships tomorrow" in answer.text, text
        assert f"#{number}" in answer.text, text
        state = await dialogue.load(deps.state, "telegram:100")
        assert state.readings == ("asks_what_agent_said",), text
    assert len(await deps.cases.for_customer(desk.handoffs[0].case.customer_id)) == 1


async def test_a_question_on_another_matter_is_not_the_agents_words(
    say: Say, agents: AgentService, desk: FakeDesk, deps: Deps
) -> None:
    await _handed_back(say, agents, desk, "I've sent a replacement, it ships tomorrow.")
    # The agent wrote of the replacement, not of money: the refund asked after is read as
    # before; the opening hours too.
    for text in ("has my refund come through yet?", "what are your opening hours"):
        (answer, *_) = await say(text)
        assert "ships tomorrow" not in answer.text, text


async def test_no_agent_wrote_nothing_is_said_back(say: Say) -> None:
    await say("the kettle from order A-1001 leaks")
    replies = await say("did the replacement ship?")
    assert all(DETAIL not in r.text and "from our team wrote" not in r.text for r in replies)
