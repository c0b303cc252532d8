"""The Telegram channel end to end: the real PTB Application against the local Bot API."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest

from bot.telegram_channel import CHANNEL, TelegramChannel, split_text
from crm_memory import ChannelIdentity, Direction, SqlDatabase
from handlers.dispatcher import Dispatcher
from handlers.types import InboundMessage
from tests.telegram.standin import BotApiStandIn

ANNA = 501


def make_channel(api: BotApiStandIn, dispatcher: Dispatcher, db: SqlDatabase) -> TelegramChannel:
    return TelegramChannel(
        token=api.token,
        base_url=api.base_url,
        base_file_url=api.base_url,
        dispatcher=dispatcher,
        inbox=db.inbox,
        customers=db.customers,
        messages=db.messages,
        state=dispatcher.deps.state,
        poll_timeout=0,
    )


@pytest.fixture
async def channel(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> AsyncIterator[TelegramChannel]:
    ch = make_channel(api, dispatcher, sqlite_db)
    await ch.start()
    yield ch
    await ch.stop()


async def test_chats_side_by_side_each_in_order(
    api: BotApiStandIn, channel: TelegramChannel, sqlite_db: SqlDatabase
) -> None:
    orders = ["A-1001", "A-1002", "A-1003", "B-2231", "B-2232", "C-7781"]
    customers = range(601, 609)
    for order in orders:  # one page: every customer's messages interleaved
        for user in customers:
            api.customer_says(user, f"where is my order {order}?", name=f"C{user}")
    await channel.poll_once()
    for user in customers:
        replies = [s.text for s in api.to(user)]
        assert len(replies) == len(orders)
        # Each customer's answers come back in the order the questions were asked.
        assert [next(o for o in orders if o in r) for r in replies] == orders
    assert await sqlite_db.inbox.pending(CHANNEL) == []


async def test_start_publishes_the_command_menu(
    api: BotApiStandIn, channel: TelegramChannel
) -> None:
    (commands,) = [p for m, p in api.calls if m == "setMyCommands"]
    assert {c["command"] for c in commands["commands"]} >= {"start", "help", "agent", "mydata"}


async def test_customer_gets_answers_recorded_with_telegram_ids(
    api: BotApiStandIn, channel: TelegramChannel, sqlite_db: SqlDatabase
) -> None:
    api.customer_says(ANNA, "hi", name="Anna")
    api.customer_says(ANNA, "where is my order A-1001?")
    await channel.poll_once()
    texts = [s.text for s in api.to(ANNA)]
    assert texts[0].startswith("Hi Anna") and "DHL" in texts[1]
    customer = await sqlite_db.customers.find(ChannelIdentity("telegram", str(ANNA)))
    assert customer is not None and customer.language == "en"
    history = await sqlite_db.messages.history(customer.id)
    assert [m.direction for m in history] == [Direction.IN, Direction.OUT] * 2
    assert all(m.sent_at is not None for m in history if m.direction is Direction.OUT)
    assert history[1].external_id == f"{ANNA}:{api.to(ANNA)[0].message_id}"
    assert await sqlite_db.messages.unsent() == []
    assert await sqlite_db.inbox.pending(CHANNEL) == []


async def test_commands_and_buttons(api: BotApiStandIn, channel: TelegramChannel) -> None:
    api.customer_says(ANNA, "/help")
    api.customer_says(ANNA, "qwzx vbnm")
    await channel.poll_once()
    help_, rephrase = api.to(ANNA)
    assert "/agent" in help_.text
    assert rephrase.reply_markup is not None
    buttons = [row[0] for row in rephrase.reply_markup["inline_keyboard"]]
    assert all(b["callback_data"].startswith("intent:") for b in buttons)
    api.customer_presses(ANNA, rephrase, "intent:ask_opening_hours")
    await channel.poll_once()
    assert len(api.callback_answers) == 1
    assert "Saturday" in api.to(ANNA)[-1].text


async def test_sticker_gets_a_friendly_answer(api: BotApiStandIn, channel: TelegramChannel) -> None:
    api.customer_sends_sticker(ANNA)
    await channel.poll_once()
    assert "text" in api.to(ANNA)[-1].text


async def test_429_waits_retry_after_then_sends(
    api: BotApiStandIn, channel: TelegramChannel
) -> None:
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    api.customer_says(ANNA, "hi")
    started = asyncio.get_running_loop().time()
    await channel.poll_once()
    assert asyncio.get_running_loop().time() - started >= 0.95  # waited retry_after (1 s)
    assert len(api.to(ANNA)) == 1


async def test_blocked_bot_marks_customer_unreachable(
    api: BotApiStandIn, channel: TelegramChannel, sqlite_db: SqlDatabase
) -> None:
    api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    api.customer_says(ANNA, "hi")
    await channel.poll_once()
    customer = await sqlite_db.customers.find(ChannelIdentity("telegram", str(ANNA)))
    assert customer is not None and customer.unreachable
    assert len(await sqlite_db.messages.unsent()) == 1  # kept, visibly unsent


def test_long_text_is_split_at_line_breaks() -> None:
    text = "\n".join(f"line {i} " + "x" * 90 for i in range(100))
    chunks = split_text(text)
    assert len(chunks) == 3 and all(len(c) <= 4096 for c in chunks)
    assert "\n".join(chunks) == text
    assert split_text("y" * 5000) == ["y" * 4096, "y" * 904]


async def test_crash_after_storing_updates_loses_nothing_and_doubles_nothing(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> None:
    for text in ("hi", "where is my order A-1001?", "thanks"):
        api.customer_says(ANNA, text)
    crashed = make_channel(api, dispatcher, sqlite_db)
    await crashed.app.initialize()
    # The worker stored the batch, then died before processing it or polling again.
    updates = await crashed.app.bot.get_updates(timeout=0)
    for update in updates:
        await sqlite_db.inbox.put(CHANNEL, update.update_id, json.dumps(update.to_dict()))
    await crashed.app.shutdown()
    assert api.to(ANNA) == []

    restarted = make_channel(api, dispatcher, sqlite_db)
    await restarted.start()  # resumes the inbox
    await restarted.poll_once()  # Telegram redelivers the unconfirmed batch: ignored
    await restarted.stop()
    texts = [s.text for s in api.to(ANNA)]
    assert len(texts) == 4  # "thanks" is answered and offered a one-tap rating
    assert texts[0].startswith("Hi Anna") and "A-1001" in texts[1]
    customer = await sqlite_db.customers.find(ChannelIdentity("telegram", str(ANNA)))
    assert customer is not None
    assert await sqlite_db.messages.count(customer.id) == 7


async def test_reply_recorded_but_not_sent_is_sent_after_restart(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> None:
    # The worker recorded its answer, then died before sending it.
    await dispatcher.handle(
        InboundMessage(
            channel="telegram",
            user_id=str(ANNA),
            text="hi",
            display_name="Anna",
            message_id=f"{ANNA}:1",
        )
    )
    assert len(await sqlite_db.messages.unsent()) == 1
    restarted = make_channel(api, dispatcher, sqlite_db)
    await restarted.start()
    await restarted.stop()
    assert [s.text for s in api.to(ANNA)][0].startswith("Hi Anna")
    assert await sqlite_db.messages.unsent() == []


async def test_flood_is_kept_but_throttled_and_others_are_served(
    api: BotApiStandIn, channel: TelegramChannel, sqlite_db: SqlDatabase
) -> None:
    for i in range(12):
        api.customer_says(ANNA, f"hello {i}")
    api.customer_says(502, "hi", name="Bob")
    await channel.poll_once()
    to_anna = [s.text for s in api.to(ANNA)]
    assert len(to_anna) == 9  # eight answers, then one request to slow down
    assert "faster than I can answer" in to_anna[-1]
    assert api.to(502)[0].text.startswith("Hi Bob")
    customer = await sqlite_db.customers.find(ChannelIdentity("telegram", str(ANNA)))
    assert customer is not None
    history = await sqlite_db.messages.history(customer.id, limit=100)
    assert [m.text for m in history if m.direction is Direction.IN] == [
        f"hello {i}" for i in range(12)
    ]


async def test_a_conversation_in_context_on_telegram(
    api: BotApiStandIn, channel: TelegramChannel, sqlite_db: SqlDatabase
) -> None:
    # A late order: an apology with two inline buttons, one of them opens a case.
    api.customer_says(ANNA, "hi, where is my order A-1005??", name="Anna")
    await channel.poll_once()
    late = api.to(ANNA)[-1]
    assert "A-1005" in late.text and "sorry" in late.text.lower() and "late" in late.text
    assert late.reply_markup is not None
    payloads = [b["callback_data"] for row in late.reply_markup["inline_keyboard"] for b in row]
    assert payloads == ["opencase", "human"]
    # A typed "yes pls" accepts the offer: the case is about the order given two turns ago.
    api.customer_says(ANNA, "yes pls")
    await channel.poll_once()
    customer = await sqlite_db.customers.find(ChannelIdentity("telegram", str(ANNA)))
    assert customer is not None
    (case,) = await sqlite_db.cases.for_customer(customer.id)
    assert "order: A-1005" in case.summary and f"#{case.number}" in api.to(ANNA)[-1].text
    # A follow-up in Chinese about the case: its status, in Chinese, no second case.
    api.customer_says(ANNA, "我的工单处理得怎么样了")
    await channel.poll_once()
    status = api.to(ANNA)[-1].text
    assert f"#{case.number}" in status and "等待" in status
    assert len(await sqlite_db.cases.for_customer(customer.id)) == 1
