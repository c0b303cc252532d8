"""/c NAME in the agents' group: the canned reply reaches the customer filled in, in their
language, recorded as the agent's message (wired by bot.app.build_telegram as in production)."""

from __future__ import annotations

import pytest

from crm_memory import Attachment, ChannelIdentity, Direction, MediaKind, Sender, SqlDatabase
from handlers.dispatcher import Dispatcher
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_handoff import AGENTS, ANNA, MARIA, _channel

WANG = 502
HELLO_PHOTO = "AgACAgIAAxkBAAIBZ2"  # a Telegram file id the shop uploaded once
REFUND = {
    "en": "Hi {name}, the refund for order {order} ({case}) is approved. — {agent}",
    "zh": "{name}您好，订单{order}的退款已经批了（工单{case}），3-5个工作日到账。—— {agent}",
}


@pytest.fixture
async def canned(sqlite_db: SqlDatabase) -> None:
    await sqlite_db.canned.add("refund_info", variants=REFUND, author="lee")
    await sqlite_db.canned.add(
        "hello",
        variants={"en": "Hi {name}, {agent} here."},
        attachment=Attachment(MediaKind.PHOTO, HELLO_PHOTO),
        author="lee",
    )


async def _messages(db: SqlDatabase, user: int) -> list[tuple[Sender, str | None, str]]:
    customer = await db.customers.find(ChannelIdentity("telegram", str(user)))
    assert customer is not None
    history = await db.messages.history(customer.id, limit=50)
    return [(m.sender, m.agent, m.text) for m in history if m.direction is Direction.OUT]


@pytest.mark.usefixtures("canned")
async def test_c_refund_info_in_english_and_chinese_by_reply(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> None:
    channel = await _channel(api, dispatcher, sqlite_db, topics=False)
    try:
        api.customer_says(ANNA, "my kettle from order A-1001 came broken!!", name="Anna")
        api.customer_says(ANNA, "pls get me a real person", name="Anna")
        api.customer_says(
            WANG, "订单A-1002的吹风机坏了 我要退款 找人工", name="王伟", language="zh-hans"
        )
        await channel.poll_once()
        anna_post, wang_post = [p for p in api.to(AGENTS) if p.text.startswith("🆘")]
        assert "#1" in anna_post.text and "#2" in wang_post.text

        api.agent_says(MARIA, AGENTS, "/c", reply_to=anna_post)
        api.agent_says(MARIA, AGENTS, "/c refund_info", reply_to=anna_post)
        api.agent_says(MARIA, AGENTS, "/c refund_info", reply_to=wang_post)
        await channel.poll_once()

        anna_got = "Hi Anna, the refund for order A-1001 (#1) is approved. — Maria"
        wang_got = "王伟您好，订单A-1002的退款已经批了（工单#2），3-5个工作日到账。—— Maria"
        assert api.to(ANNA)[-1].text == anna_got
        assert api.to(WANG)[-1].text == wang_got
        group = [s.text for s in api.to(AGENTS)]
        listing = "Canned replies (/c NAME in a case's thread):\nhello (en)\nrefund_info (en, zh)"
        assert listing in group
        assert "✅ refund_info (en) sent to #1." in group
        assert "✅ refund_info (zh) sent to #2." in group
        # Recorded in history as Maria's messages, and marked sent.
        assert (Sender.AGENT, "Maria", anna_got) in await _messages(sqlite_db, ANNA)
        assert (Sender.AGENT, "Maria", wang_got) in await _messages(sqlite_db, WANG)
        assert await sqlite_db.messages.unsent() == []
        assert (await sqlite_db.cases.get(2)).owner == "Maria"
    finally:
        await channel.stop()


@pytest.mark.usefixtures("canned")
async def test_c_in_a_topic_and_the_mistakes_agents_make(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> None:
    channel = await _channel(api, dispatcher, sqlite_db, topics=True)
    try:
        api.customer_says(ANNA, "/agent", name="Anna")
        await channel.poll_once()
        ((thread, _),) = api.topics.items()
        sent_before = len(api.to(ANNA))

        api.agent_says(MARIA, AGENTS, "/c refund_info", thread=thread)  # no order known
        api.agent_says(MARIA, AGENTS, "/c refund", thread=thread)  # a typo
        api.agent_says(MARIA, AGENTS, "/c hello")  # outside any case
        await channel.poll_once()
        assert len(api.to(ANNA)) == sent_before  # nothing with "{order}" reached Anna
        answers = [s.text for s in api.to(AGENTS)][-3:]
        assert answers[0].startswith("⚠️ refund_info needs {order} and case #1 has none")
        assert answers[1] == "⚠️ no canned reply 'refund'; /c lists them"
        assert answers[2] == "⚠️ which case? reply to its post with /c NAME, or write /c NAME #N"

        api.agent_says(MARIA, AGENTS, "/c hello", thread=thread)
        await channel.poll_once()
        text, photo = api.to(ANNA)[-2:]
        assert text.text == "Hi Anna, Maria here."
        # The canned reply's photo follows its text natively, by its Telegram file id.
        assert photo.method == "sendPhoto"
        assert photo.params["photo"] == HELLO_PHOTO
        confirmed = api.to(AGENTS)[-1]
        assert confirmed.params["message_thread_id"] == thread
        assert confirmed.text == "✅ hello (en) and its photo sent to #1."
    finally:
        await channel.stop()
