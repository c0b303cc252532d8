"""The hand-off journey on Telegram: escalate, agents act from their group, survey, rating.

Wired by bot.app.build_telegram exactly as `python -m bot run` wires it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import Services, Stores, build_telegram
from bot.config import Settings
from bot.telegram_channel import TelegramChannel
from crm_memory import CaseStatus, ChannelIdentity, Sender, SqlDatabase
from handlers.dispatcher import Dispatcher
from tests.telegram.standin import BotApiStandIn

ANNA, MARIA, STRANGER = 501, 9001, 6666
AGENTS = -100500


def settings(api: BotApiStandIn, *, topics: bool = False) -> Settings:
    return Settings(
        telegram={"token": api.token, "base_url": api.base_url, "base_file_url": api.base_url},
        agents={"chat_id": AGENTS, "user_ids": [MARIA], "use_topics": topics},
    )


async def _channel(
    api: BotApiStandIn, dispatcher: Dispatcher, db: SqlDatabase, *, topics: bool
) -> TelegramChannel:
    services = Services(stores=Stores(db=db, state=dispatcher.deps.state), dispatcher=dispatcher)
    channel = build_telegram(settings(api, topics=topics), services, poll_timeout=0)
    await channel.start()
    return channel


@pytest.fixture
async def channel(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> AsyncIterator[TelegramChannel]:
    ch = await _channel(api, dispatcher, sqlite_db, topics=False)
    yield ch
    await ch.stop()


async def test_escalate_reply_close_rate(
    api: BotApiStandIn, channel: TelegramChannel, sqlite_db: SqlDatabase
) -> None:
    api.customer_says(ANNA, "where is my order A-1001?", name="Anna")
    api.customer_says(ANNA, "I want to talk to a human", name="Anna")
    await channel.poll_once()
    (post,) = api.to(AGENTS)
    assert post.text.startswith("🆘 Case #1 · normal · asked for a human")
    assert "Anna (telegram:501)" in post.text and "customer: where is my order A-1001?" in post.text
    assert "human" in api.to(ANNA)[-1].text or "person" in api.to(ANNA)[-1].text

    # Someone in the group who is not an agent cannot act.
    api.agent_says(STRANGER, AGENTS, "I'll refund you myself", name="Eve", reply_to=post)
    api.agent_says(STRANGER, AGENTS, "/close #1", name="Eve")
    await channel.poll_once()
    assert len(api.to(ANNA)) == 2 and len(api.to(AGENTS)) == 1
    assert (await sqlite_db.cases.get(1)).status is CaseStatus.OPEN

    # Maria answers by replying to the post: she takes the case, Anna hears her.
    api.agent_says(MARIA, AGENTS, "Hi Anna, Maria here. A-1001 is with DHL.", reply_to=post)
    await channel.poll_once()
    assert api.to(ANNA)[-1].text == "Hi Anna, Maria here. A-1001 is with DHL."
    case = await sqlite_db.cases.get(1)
    assert case.owner == "Maria" and case.first_response_at is not None

    # Anna's answer goes to the agents, not to the bot.
    api.customer_says(ANNA, "thanks, when will it arrive?", name="Anna")
    await channel.poll_once()
    assert api.to(AGENTS)[-1].text == "💬 #1 Anna: thanks, when will it arrive?"
    assert api.to(ANNA)[-1].text.startswith("Hi Anna, Maria")

    api.agent_says(MARIA, AGENTS, "/note #1 asked about the ETA")
    api.agent_says(MARIA, AGENTS, "/customer #1")
    api.agent_says(MARIA, AGENTS, "/cases")
    api.agent_says(MARIA, AGENTS, "/close", reply_to=post)
    await channel.poll_once()
    group = [s.text for s in api.to(AGENTS)]
    assert "📝 note added to #1." in group
    (card,) = [t for t in group if t.startswith("👤")]
    assert "Notes on #1 (internal):" in card and "Maria: asked about the ETA" in card
    assert any(t.startswith("Open cases:\n#1") for t in group)
    assert any(t.startswith("✅ #1 closed by Maria") for t in group)
    survey = api.to(ANNA)[-1]
    assert "How satisfied" in survey.text and survey.reply_markup is not None
    buttons = [row[0]["callback_data"] for row in survey.reply_markup["inline_keyboard"]]
    assert buttons == [f"rate:1:{r}" for r in range(1, 6)]

    # Anna rates 1: the survey message asks what went wrong; agents are alerted.
    api.customer_presses(ANNA, survey, "rate:1:1")
    await channel.poll_once()
    edited = api.sent[-2] if api.sent[-1].chat_id == AGENTS else api.sent[-1]
    assert edited.method == "editMessageText" and edited.message_id == survey.message_id
    assert "What went wrong" in edited.text
    assert api.to(AGENTS)[-1].text == "⚠️ Case #1 was rated 1/5 by Anna"
    assert (await sqlite_db.cases.get(1)).csat == 1
    # A forged press for the same case changes nothing and gets no answer.
    api.customer_presses(ANNA, survey, "rate:1:5")
    await channel.poll_once()
    assert (await sqlite_db.cases.get(1)).csat == 1

    customer = await sqlite_db.customers.find(ChannelIdentity("telegram", str(ANNA)))
    assert customer is not None
    history = await sqlite_db.messages.history(customer.id, limit=50)
    agent = [m for m in history if m.sender is Sender.AGENT]
    assert [(m.agent, m.sent_at is not None) for m in agent] == [("Maria", True)]
    assert await sqlite_db.messages.unsent() == []

    # The bot answers Anna again after the close.
    api.customer_says(ANNA, "what are your opening hours?", name="Anna")
    await channel.poll_once()
    assert "Monday" in api.to(ANNA)[-1].text


async def test_forum_topics_give_each_case_a_thread(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> None:
    channel = await _channel(api, dispatcher, sqlite_db, topics=True)
    try:
        api.customer_says(ANNA, "/agent", name="Anna")
        await channel.poll_once()
        ((thread, name),) = api.topics.items()
        assert name == "#1 Anna"
        (post,) = api.to(AGENTS)
        assert post.params["message_thread_id"] == thread
        # Writing in the topic (no reply needed) answers that case's customer.
        api.agent_says(MARIA, AGENTS, "Hello from Maria", thread=thread)
        await channel.poll_once()
        assert api.to(ANNA)[-1].text == "Hello from Maria"
        api.customer_says(ANNA, "great", name="Anna")
        await channel.poll_once()
        assert api.to(AGENTS)[-1].params["message_thread_id"] == thread
    finally:
        await channel.stop()


async def test_agent_mistakes_get_clear_answers(
    api: BotApiStandIn, channel: TelegramChannel
) -> None:
    api.agent_says(MARIA, AGENTS, "/take")
    api.agent_says(MARIA, AGENTS, "/close #77")
    api.agent_says(MARIA, AGENTS, "just chatting with colleagues")
    await channel.poll_once()
    assert [s.text for s in api.to(AGENTS)] == [
        "⚠️ which case? reply to its post or write /take #N",
        "⚠️ there is no case #77",
    ]
