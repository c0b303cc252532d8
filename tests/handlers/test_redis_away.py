"""The dispatcher with its conversation state store away: the message is kept and answered."""

from __future__ import annotations

from dataclasses import replace

import pytest

from crm_memory import (
    ChannelIdentity,
    ChatOwner,
    Direction,
    ResilientConversationState,
    SqlDatabase,
    StoreUnavailable,
)
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from handlers.types import InboundMessage
from nlu import BuiltinEngine
from tests.crm_memory.test_resilient import FlakyState


def _message(text: str, number: int) -> InboundMessage:
    return InboundMessage(
        channel="telegram",
        user_id="100",
        text=text,
        display_name="Anna",
        language_code="en",
        message_id=f"100:{number}",
    )


async def _inbound(db: SqlDatabase) -> list[str]:
    customer = await db.customers.find(ChannelIdentity("telegram", "100"))
    assert customer is not None
    history = await db.messages.history(customer.id, limit=50)
    return [m.text for m in history if m.direction is Direction.IN]


async def test_the_message_is_recorded_before_the_state_store_is_touched(
    deps: Deps, engine: BuiltinEngine, sqlite_db: SqlDatabase
) -> None:
    down = FlakyState()
    down.down = True
    dispatcher = Dispatcher(deps=replace(deps, state=down), nlu=engine)
    with pytest.raises(StoreUnavailable):
        await dispatcher.handle(_message("where is my order A-1001?", 1))
    assert await _inbound(sqlite_db) == ["where is my order A-1001?"]


async def test_redis_away_then_back_empty_changes_nothing_anyone_sees(
    deps: Deps, engine: BuiltinEngine, sqlite_db: SqlDatabase
) -> None:
    redis = FlakyState()
    state = ResilientConversationState(redis, owners=sqlite_db.owners)
    dispatcher = Dispatcher(deps=replace(deps, state=state), nlu=engine)
    assert (await dispatcher.handle(_message("hello", 1)))[0].text.startswith("Hi Anna")
    await state.claim("telegram:100", ChatOwner(agent="maria", case_number=1))
    redis.down = True
    # Away: recorded; the agent owns the chat, so the bot keeps quiet.
    assert await dispatcher.handle(_message("are you there?", 2)) == []
    # Back, and empty (a restart without persistence): the agent still has the chat.
    restarted = ResilientConversationState(FlakyState(), owners=sqlite_db.owners)
    dispatcher = Dispatcher(deps=replace(deps, state=restarted), nlu=engine)
    assert await dispatcher.handle(_message("hello?", 3)) == []
    await restarted.release("telegram:100")
    # The hand-back is seen by the first process too, still answering with Redis away.
    replies = await Dispatcher(deps=replace(deps, state=state), nlu=engine).handle(
        _message("what are your opening hours?", 4)
    )
    assert "Monday" in replies[0].text
    assert await _inbound(sqlite_db) == [
        "hello",
        "are you there?",
        "hello?",
        "what are your opening hours?",
    ]


