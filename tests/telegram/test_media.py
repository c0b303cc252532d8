"""Media both ways on Telegram: customers' photos and voice notes reach agents natively, with
their case; agents' photos and voice notes reach the customer natively; history keeps what
each was."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import Services, Stores, build_telegram
from bot.telegram_channel import TelegramChannel
from crm_memory import Attachment, ChannelIdentity, Direction, MediaKind, Sender, SqlDatabase
from handlers.dispatcher import Dispatcher
from tests.telegram.standin import BotApiStandIn, document, photo, voice
from tests.telegram.test_handoff import AGENTS, ANNA, MARIA, settings

LI = 502


async def _channel(
    api: BotApiStandIn, dispatcher: Dispatcher, db: SqlDatabase, *, topics: bool = False
) -> TelegramChannel:
    services = Services(stores=Stores(db=db, state=dispatcher.deps.state), dispatcher=dispatcher)
    channel = build_telegram(settings(api, topics=topics), services, poll_timeout=0)
    await channel.start()
    return channel


@pytest.fixture
async def channel(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> AsyncIterator[TelegramChannel]:
    ch = await _channel(api, dispatcher, sqlite_db)
    yield ch
    await ch.stop()


async def _customer_id(db: SqlDatabase, user: int) -> int:
    customer = await db.customers.find(ChannelIdentity("telegram", str(user)))
    assert customer is not None
    return customer.id


async def test_history_records_each_kind_of_media_as_what_it_is(
    api: BotApiStandIn, channel: TelegramChannel, sqlite_db: SqlDatabase
) -> None:
    api.customer_sends(ANNA, photo("ph-kettle"), caption="这个水壶是坏的吗")
    api.customer_sends(ANNA, document("doc-r", name="receipt.pdf"))
    api.customer_sends(ANNA, voice("vo-1"))
    api.customer_sends(ANNA, {"location": {"latitude": 52.52, "longitude": 13.405}})
    api.customer_sends(ANNA, {"contact": {"phone_number": "+49 30 1234567", "first_name": "Lena"}})
    await channel.poll_once()
    cid = await _customer_id(sqlite_db, ANNA)
    history = [m for m in await sqlite_db.messages.history(cid) if m.sender is Sender.CUSTOMER]
    assert [m.text for m in history] == [
        "[photo] 这个水壶是坏的吗",
        "[document] receipt.pdf",
        "[voice]",
        "[location] 52.52,13.405",
        "[contact] Lena +49 30 1234567",
    ]
    media = await sqlite_db.media.for_customer(cid)
    assert [m.attachment.kind for m in media] == [
        MediaKind.PHOTO,
        MediaKind.DOCUMENT,
        MediaKind.VOICE,
        MediaKind.LOCATION,
        MediaKind.CONTACT,
    ]
    first = media[0].attachment
    # The largest size of the photo, not the thumbnail.
    assert (first.file_id, first.file_unique_id, first.size) == ("ph-kettle", "u-ph-kettle", 20480)
    assert first.caption == "这个水壶是坏的吗" and first.mime_type == "image/jpeg"
    doc = media[1].attachment
    assert (doc.file_name, doc.mime_type, doc.size) == ("receipt.pdf", "application/pdf", 52000)
    assert media[2].attachment.mime_type == "audio/ogg"
    assert media[3].attachment.details == {"latitude": "52.52", "longitude": "13.405"}
    assert [m.message_id for m in media] == [m.id for m in history]
    # The caption was a complaint: it opened case #1, and what followed went with it.
    assert "#1" in api.to(ANNA)[0].text
    assert [m.case_number for m in media] == [1] * 5
    assert "您发的文件已经附加到工单 #1" in api.to(ANNA)[-4].text


async def test_a_file_without_words_is_kept_and_the_customer_told_so(
    api: BotApiStandIn, channel: TelegramChannel, sqlite_db: SqlDatabase
) -> None:
    api.customer_sends(LI, document("doc-li", name="invoice 2291.pdf"), name="Li")
    await channel.poll_once()
    (answer,) = api.to(LI)
    # Not "I can only read text messages": the file is kept, the customer asked what it is.
    assert answer.text.startswith("Thanks, I've kept your file.")
    (kept,) = await sqlite_db.media.for_customer(await _customer_id(sqlite_db, LI))
    assert kept.case_number is None and kept.attachment.file_name == "invoice 2291.pdf"


async def test_a_photo_right_after_a_complaint_goes_with_the_case_to_the_agent(
    api: BotApiStandIn, channel: TelegramChannel, sqlite_db: SqlDatabase
) -> None:
    api.customer_says(ANNA, "the kettle i got yesterday is broken, it leaks everywhere!!")
    await channel.poll_once()
    (case,) = await sqlite_db.cases.all()
    api.customer_sends(ANNA, photo("ph-leak"))
    await channel.poll_once()
    assert f"added your photo to case #{case.number}" in api.to(ANNA)[-1].text
    (kept,) = await sqlite_db.media.for_case(case.number)
    assert kept.attachment.file_id == "ph-leak"

    api.customer_says(ANNA, "I want to talk to a human")
    await channel.poll_once()
    post = next(s for s in api.to(AGENTS) if s.text.startswith("🆘"))
    (copy,) = [s for s in api.to(AGENTS) if s.method == "copyMessage"]
    assert copy.params["from_chat_id"] == ANNA
    assert copy.params["caption"].startswith(f"📎 #{case.number} Anna")
    assert copy.params["reply_parameters"]["message_id"] == post.message_id


async def test_photo_and_voice_note_reach_the_agent_and_agent_media_reaches_the_customer(
    api: BotApiStandIn, channel: TelegramChannel, sqlite_db: SqlDatabase
) -> None:
    api.customer_says(ANNA, "I want to talk to a human")
    await channel.poll_once()
    (post,) = api.to(AGENTS)
    api.agent_says(MARIA, AGENTS, "Hi Anna, Maria here. Can you show me?", reply_to=post)
    await channel.poll_once()

    # While Maria has the chat: Anna's photo and voice note are copied into the case thread.
    sent = api.customer_sends(ANNA, photo("ph-box"), caption="the box was crushed")
    api.customer_sends(ANNA, voice("vo-anna"))
    await channel.poll_once()
    copies = [s for s in api.to(AGENTS) if s.method == "copyMessage"]
    assert len(copies) == 2
    assert all(c.params["from_chat_id"] == ANNA for c in copies)
    assert copies[0].params["caption"] == "📎 #1 Anna: the box was crushed"
    assert copies[1].params["caption"] == "📎 #1 Anna:"
    assert all(c.params["reply_parameters"]["message_id"] == post.message_id for c in copies)
    assert sent  # the stand-in numbered the update
    # Once each: the copies name the case and Anna, no "💬" line repeats them.
    assert not [s.text for s in api.to(AGENTS) if s.text.startswith("💬")]
    assert [m.attachment.kind for m in await sqlite_db.media.for_case(1)] == [
        MediaKind.PHOTO,
        MediaKind.VOICE,
    ]

    # Maria answers with a photo and a voice note as replies to the copied photo.
    # The caption names the case ("#1 ..."): the customer gets the words without it.
    api.agent_says(
        MARIA, AGENTS, "#1 this is how it should look", reply_to=copies[0], media=photo("ph-maria")
    )
    api.agent_says(MARIA, AGENTS, "", reply_to=post, media=voice("vo-maria"))
    await channel.poll_once()
    to_anna = [s for s in api.to(ANNA) if s.method == "copyMessage"]
    assert [s.params["from_chat_id"] for s in to_anna] == [AGENTS, AGENTS]
    assert to_anna[0].params["caption"] == "this is how it should look"
    assert "caption" not in to_anna[1].params  # a voice note copied as it is: still a voice note
    cid = await _customer_id(sqlite_db, ANNA)
    history = await sqlite_db.messages.history(cid)
    by_maria = [m for m in history if m.sender is Sender.AGENT]
    assert [m.text for m in by_maria][-2:] == ["[photo] this is how it should look", "[voice]"]
    assert all(m.sent_at is not None for m in by_maria)
    agent_media = [
        m
        for m in await sqlite_db.media.for_case(1)
        if m.attachment.file_id in ("ph-maria", "vo-maria")
    ]
    assert [m.attachment.kind for m in agent_media] == [MediaKind.PHOTO, MediaKind.VOICE]


async def test_a_location_while_an_agent_has_the_chat_is_copied_with_a_line_naming_it(
    api: BotApiStandIn, channel: TelegramChannel
) -> None:
    api.customer_says(ANNA, "I want to talk to a human")
    await channel.poll_once()
    (post,) = api.to(AGENTS)
    api.agent_says(MARIA, AGENTS, "Hi Anna, where are you?", reply_to=post)
    await channel.poll_once()
    api.customer_sends(ANNA, {"location": {"latitude": 52.52, "longitude": 13.405}})
    await channel.poll_once()
    # A location has no caption to say whose it is: the line does, then the copy.
    (copy,) = [s for s in api.to(AGENTS) if s.method == "copyMessage"]
    assert "caption" not in copy.params
    lines = [s.text for s in api.to(AGENTS) if s.text.startswith("💬")]
    assert lines == ["💬 #1 Anna: [location] 52.52,13.405"]


async def test_media_in_a_case_topic_goes_to_that_topic(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> None:
    channel = await _channel(api, dispatcher, sqlite_db, topics=True)
    try:
        api.customer_says(LI, "我要人工客服", name="小李", language="zh")
        await channel.poll_once()
        ((thread, _),) = api.topics.items()
        api.agent_says(MARIA, AGENTS, "你好，我是Maria", thread=thread)
        await channel.poll_once()
        api.customer_sends(LI, photo("ph-li"), caption="你们看看这个", name="小李", language="zh")
        await channel.poll_once()
        (copy,) = [s for s in api.to(AGENTS) if s.method == "copyMessage"]
        assert copy.params["message_thread_id"] == thread
        api.agent_says(MARIA, AGENTS, "收到", thread=thread, media=photo("ph-m2"))
        await channel.poll_once()
        (back,) = [s for s in api.to(LI) if s.method == "copyMessage"]
        assert back.params["caption"] == "收到"
    finally:
        await channel.stop()


async def test_erasure_deletes_the_copies_in_the_agents_group(
    api: BotApiStandIn, channel: TelegramChannel, sqlite_db: SqlDatabase
) -> None:
    api.customer_says(ANNA, "I want to talk to a human")
    await channel.poll_once()
    (post,) = api.to(AGENTS)
    api.agent_says(MARIA, AGENTS, "Maria here", reply_to=post)
    api.customer_sends(ANNA, photo("ph-face"), caption="me with the broken hairdryer")
    await channel.poll_once()
    (copy,) = [s for s in api.to(AGENTS) if s.method == "copyMessage"]
    api.agent_says(MARIA, AGENTS, "/handback", reply_to=post)
    api.customer_says(ANNA, "/forget")
    await channel.poll_once()
    ask = api.to(ANNA)[-1]
    api.customer_presses(ANNA, ask, "forget:yes")
    await channel.poll_once()
    # A photo has no text to edit to "[erased]": it is deleted from the group.
    assert (AGENTS, copy.message_id) in api.deleted
    assert "me with the broken hairdryer" not in " ".join(api.reads_now(AGENTS))
    (media,) = await sqlite_db.media.for_case(1)
    assert media.forgotten and media.attachment.file_id == "" and media.attachment.caption == ""


async def test_an_agents_photo_left_unsent_by_a_crash_is_sent_as_a_photo(
    api: BotApiStandIn, channel: TelegramChannel, sqlite_db: SqlDatabase
) -> None:
    api.customer_says(ANNA, "I want to talk to a human")
    await channel.poll_once()
    cid = await _customer_id(sqlite_db, ANNA)
    # Recorded, then the worker died before sending (as AgentService records first).
    stored, _ = await sqlite_db.messages.record(
        customer_id=cid,
        channel="telegram",
        direction=Direction.OUT,
        sender=Sender.AGENT,
        agent="Maria",
        text="[photo] the right model",
    )
    await sqlite_db.media.add(
        message_id=stored.id,
        customer_id=cid,
        attachment=Attachment(
            MediaKind.PHOTO, file_id="ph-m", caption="the right model", source=f"{AGENTS}:77"
        ),
        case_number=1,
    )
    await channel.resend_unsent()
    (copy,) = [s for s in api.to(ANNA) if s.method == "copyMessage"]
    assert copy.params["from_chat_id"] == AGENTS and copy.params["message_id"] == 77
    assert copy.params["caption"] == "the right model"
    assert not any(s.text == "[photo] the right model" for s in api.to(ANNA))
    assert await sqlite_db.messages.unsent() == []
