"""/forget on Telegram reaches every store: SQL, conversation state and the agents' chat.

The customer escalates, an agent works the case in the group, then the customer asks to be
forgotten. Afterwards nothing the customer gave us remains anywhere: every text column of
every table, every key of the conversation state (in-process and Redis), and what every bot
post in the agents' chat reads now.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import String, Text, select

from bot.app import Services, Stores, build_telegram
from crm_memory import (
    MemoryConversationState,
    RedisConversationState,
    SqlDatabase,
)
from crm_memory.sql._models import Base
from handlers.dispatcher import Dispatcher
from handlers.turn import Deps
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_handoff import AGENTS, MARIA, settings

ANNA = 5077
# What she wrote and who she is. A complaint's topic (product:kettle) is a category kept
# for the report's complaint topics; it names no one.
TRACES = ("Anna", "Petrova", "anna.p@example.com", "A-1001", "Breville", "arrived", str(ANNA))


async def sql_traces(db: SqlDatabase) -> list[tuple[str, str, str]]:
    """Every (table, column, value) whose text holds one of the customer's traces."""
    found = []
    async with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String | Text):
                    continue
                for value in await conn.scalars(select(column)):
                    if value and any(t.lower() in str(value).lower() for t in TRACES):
                        found.append((table.name, column.name, str(value)))
    return found


async def state_keys(state: MemoryConversationState | RedisConversationState) -> list[str]:
    """Every key the conversation state holds."""
    if isinstance(state, RedisConversationState):
        # Without the test's random namespace: its hex once held "5077" (Anna) by chance.
        prefix = len(state._p)
        return [str(k)[prefix:] async for k in state._redis.scan_iter(match=f"{state._p}*")]
    return [
        *state._owners,
        *(f"{chat}:{key}" for chat, key in state._values),
        *state._counters,
        *state._keys,
    ]


async def test_forget_erases_the_customer_from_every_store(
    api: BotApiStandIn,
    dispatcher: Dispatcher,
    deps: Deps,
    sqlite_db: SqlDatabase,
    state: MemoryConversationState | RedisConversationState,
) -> None:
    dispatcher.deps = replace(deps, state=state)
    services = Services(stores=Stores(db=sqlite_db, state=state), dispatcher=dispatcher)
    channel = build_telegram(settings(api), services, poll_timeout=0)
    await channel.start()
    try:
        name = "Anna Petrova"
        api.customer_says(ANNA, "my email is anna.p@example.com", name=name)
        api.customer_says(ANNA, "my kettle from order A-1001 arrived broken", name=name)
        api.customer_says(ANNA, "I want to talk to a human", name=name)
        await channel.poll_once()
        post = next(s for s in api.to(AGENTS) if s.text.startswith("🆘"))
        assert "Anna Petrova" in post.text
        api.agent_says(MARIA, AGENTS, "Hi Anna, Maria here, sorry about the kettle", reply_to=post)
        await channel.poll_once()
        api.customer_says(ANNA, "thanks Maria, the kettle is a Breville", name=name)
        api.agent_says(MARIA, AGENTS, "/customer #1")
        await channel.poll_once()
        api.agent_says(MARIA, AGENTS, "/handback #1")
        await channel.poll_once()
        about_anna = [t for t in api.reads_now(AGENTS) if "Anna" in t]
        assert len(about_anna) >= 3  # the case post, her relayed message, the customer card
        assert await sql_traces(sqlite_db) != []
        assert any(str(ANNA) in k for k in await state_keys(state))

        api.customer_says(ANNA, "/forget", name=name)
        await channel.poll_once()
        ask = api.to(ANNA)[-1]
        assert "cannot be undone" in ask.text
        api.customer_presses(ANNA, ask, "forget:yes", name=name)
        await channel.poll_once()
        assert "erased" in api.to(ANNA)[-1].text
    finally:
        await channel.stop()

    assert await sql_traces(sqlite_db) == []
    assert [k for k in await state_keys(state) if str(ANNA) in k] == []
    now = api.reads_now(AGENTS)
    assert [t for t in now if any(trace in t for trace in TRACES)] == []
    assert sum(t == "[erased]" for t in now) >= len(about_anna)
    # Both are in the audit log: the agent who saw her card, and her own erasure.
    case = await sqlite_db.cases.get(1)
    log = [(e.action, e.customer_id) for e in await sqlite_db.audit.entries()]
    assert log == [("erase", case.customer_id), ("view", case.customer_id)]
    assert (await sqlite_db.audit.entries())[0].actor == "customer"
    # The case stays, anonymous, for the reports: why it went to people is kept (a broken
    # kettle is a normal case, so the hand-off was her asking for a human), what she wrote not.
    assert case.escalation_reason == "asked for a human" and case.reason == "[erased]"
