"""The turn's hot writes on the driver (crm_memory.sql.hot), on SQLite and PostgreSQL: stored
as SQLAlchemy stores them, in the caller's transaction, errors as SQLAlchemy's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.pool import PoolProxiedConnection

from crm_memory import (
    CaseKind,
    ChannelIdentity,
    ChatOwner,
    Direction,
    NotFound,
    Priority,
    SqlDatabase,
    use_clock,
)
from crm_memory.types import Annotation

ALICE = ChannelIdentity("telegram", "1001")
START = datetime(2026, 11, 30, 12, 0, 0, 123456, tzinfo=UTC)


async def _inbound(db: SqlDatabase, text: str, external_id: str, at: datetime) -> tuple[int, int]:
    with use_clock(lambda: at):
        customer, _, message, _ = await db.messages.record_inbound(
            ALICE, display_name="Alice", language="en", text=text, external_id=external_id
        )
    return customer.id, message.id


async def test_timestamps_are_stored_as_sqlalchemy_stores_them(db: SqlDatabase) -> None:
    # SQLite compares timestamps as text: a '+00:00' or a 'T' of the driver's own would put
    # every hot-written time after (or before) the same time written through SQLAlchemy.
    await _inbound(db, "hi", "1", START)  # a new customer: created through SQLAlchemy
    await _inbound(db, "where is my order", "2", START + timedelta(minutes=1))
    async with db.connection() as s:
        row = (
            await s.exec_driver_sql(
                "SELECT m.created_at, c.last_seen_at, v.last_message_at FROM messages m"
                " JOIN customers c ON c.id = m.customer_id"
                " JOIN conversations v ON v.id = m.conversation_id WHERE m.external_id = '2'"
            )
        ).one()
    created, seen, touched = row  # hot, SQLAlchemy, hot: the same instant, the same form
    assert created == seen == touched


async def test_a_message_within_the_gap_joins_the_conversation_and_one_after_starts_anew(
    db: SqlDatabase,
) -> None:
    await _inbound(db, "hi", "1", START)
    await _inbound(db, "still there?", "2", START + timedelta(minutes=29))
    await _inbound(db, "back again", "3", START + timedelta(minutes=29 + 31))
    customer_id, _ = await _inbound(db, "and again", "4", START + timedelta(minutes=61))
    messages = await db.messages.all_for(customer_id)
    conversations = [m.conversation_id for m in messages]
    assert conversations[0] == conversations[1] != conversations[2] == conversations[3]


async def test_a_redelivered_message_is_stored_once(db: SqlDatabase) -> None:
    await _inbound(db, "hi", "1", START)
    customer_id, first = await _inbound(db, "where is my order", "2", START)
    with use_clock(lambda: START):
        _, _, again, fresh = await db.messages.record_inbound(
            ALICE, display_name="Alice", language="en", text="where is my order", external_id="2"
        )
    assert (again.id, fresh) == (first, False)
    assert [m.text for m in await db.messages.all_for(customer_id)] == ["hi", "where is my order"]


async def test_the_closing_write_annotates_remembers_and_records_replies_in_order(
    db: SqlDatabase,
) -> None:
    customer_id, message_id = await _inbound(db, "my kettle A-1002 broke", "1", START)
    inbound = (await db.messages.all_for(customer_id))[0]
    replies = await db.messages.record_replies(
        customer_id=customer_id,
        channel="telegram",
        conversation_id=inbound.conversation_id,
        texts=["sorry", "case #1", "an agent will write"],
        annotate=Annotation(message_id=message_id, intent="complaint", confidence=0.86),
        new_facts=[("product", "kettle"), ("order_number", "A-1002")],
    )
    assert [r.text for r in replies] == ["sorry", "case #1", "an agent will write"]
    assert [r.id for r in replies] == sorted(r.id for r in replies)
    stored = await db.messages.all_for(customer_id)
    assert [(m.id, m.text, m.direction) for m in stored[1:]] == [
        (r.id, r.text, Direction.OUT) for r in replies
    ]
    assert (stored[0].intent, stored[0].confidence) == ("complaint", 0.86)
    facts = {(f.kind, f.value) for f in await db.customers.facts(customer_id)}
    assert facts == {("product", "kettle"), ("order_number", "A-1002")}
    assert [m.id for m in await db.messages.unsent()] == [r.id for r in replies]


async def test_a_closing_write_that_fails_leaves_nothing_of_itself(db: SqlDatabase) -> None:
    customer_id, message_id = await _inbound(db, "hi", "1", START)
    with pytest.raises(NotFound):
        await db.messages.record_replies(
            customer_id=customer_id,
            channel="telegram",
            conversation_id=999,  # not there: the replies' INSERT fails, last
            texts=["hello"],
            annotate=Annotation(message_id=message_id, intent="greet", confidence=0.9),
            new_facts=[("email", "a@example.com")],
        )
    stored = await db.messages.all_for(customer_id)
    assert [(m.text, m.intent) for m in stored] == [("hi", None)]  # annotation rolled back
    assert await db.customers.facts(customer_id) == []


async def test_a_reply_marked_sent_is_no_longer_unsent(db: SqlDatabase) -> None:
    customer_id, _ = await _inbound(db, "hi", "1", START)
    inbound = (await db.messages.all_for(customer_id))[0]
    first, second = await db.messages.record_replies(
        customer_id=customer_id,
        channel="telegram",
        conversation_id=inbound.conversation_id,
        texts=["hello", "how can I help?"],
    )
    with use_clock(lambda: START + timedelta(seconds=1)):
        await db.messages.mark_sent(first.id, external_id="tg:77")
        await db.messages.mark_sent(second.id)
    assert await db.messages.unsent() == []
    sent = {m.id: m for m in await db.messages.all_for(customer_id)}
    assert sent[first.id].external_id == "tg:77"
    assert sent[first.id].sent_at == sent[second.id].sent_at == START + timedelta(seconds=1)
    assert sent[second.id].external_id is None


async def test_a_turns_replies_are_marked_sent_in_one_write(db: SqlDatabase) -> None:
    customer_id, _ = await _inbound(db, "hi", "1", START)
    inbound = (await db.messages.all_for(customer_id))[0]
    texts = ["sorry", "case #1", "an agent will write", "not yet delivered"]
    replies = await db.messages.record_replies(
        customer_id=customer_id,
        channel="telegram",
        conversation_id=inbound.conversation_id,
        texts=texts,
    )
    await db.messages.mark_sent(replies[1].id, external_id="tg:kept")  # marked before
    with use_clock(lambda: START + timedelta(seconds=2)):
        await db.messages.mark_sent_many(
            [(replies[0].id, "tg:1"), (replies[1].id, None), (replies[2].id, "tg:3")]
        )
    assert [m.id for m in await db.messages.unsent()] == [replies[3].id]
    stored = {m.id: m for m in await db.messages.all_for(customer_id)}
    assert [stored[r.id].external_id for r in replies] == ["tg:1", "tg:kept", "tg:3", None]
    assert stored[replies[0].id].sent_at == START + timedelta(seconds=2)


async def test_the_contexts_recent_messages_are_the_history_as_stored(db: SqlDatabase) -> None:
    customer_id, message_id = await _inbound(db, "where is my parcel", "1", START)
    inbound = (await db.messages.all_for(customer_id))[0]
    first, _ = await db.messages.record_replies(
        customer_id=customer_id,
        channel="telegram",
        conversation_id=inbound.conversation_id,
        texts=["It left on Monday.", "它周一发出了。"],
        annotate=Annotation(message_id=message_id, intent="ask_order_status", confidence=0.75),
    )
    with use_clock(lambda: START + timedelta(seconds=3)):
        await db.messages.mark_sent(first.id, external_id="tg:5")
    await _inbound(db, "thanks 谢谢", "2", START + timedelta(minutes=1))
    context = await db.customers.context(customer_id, recent=3)
    everything = await db.messages.all_for(customer_id)  # through SQLAlchemy's ORM
    assert list(context.recent) == everything[-3:]
    assert context.recent[0].sent_at == START + timedelta(seconds=3)
    assert all(m.created_at.tzinfo is not None for m in context.recent)


async def test_the_customer_seen_on_the_driver_is_the_customer_sqlalchemy_reads(
    db: SqlDatabase,
) -> None:
    # JSON tags, a boolean, a float and timestamps come back typed as the ORM types them.
    customer_id, _ = await _inbound(db, "hi", "1", START)
    await db.customers.update(
        customer_id, tags=["vip", "退货"], unreachable=True, lifetime_value=123.5, tier="gold"
    )
    with use_clock(lambda: START + timedelta(minutes=5)):
        seen, created, _, _ = await db.messages.record_inbound(
            ALICE, display_name="Alice", language="en", text="where is it", external_id="2"
        )
    assert not created
    assert seen == await db.customers.get(customer_id)
    assert seen.tags == ("vip", "退货") and seen.unreachable is True
    assert seen.last_seen_at == START + timedelta(minutes=5)


async def test_the_contexts_activity_on_the_driver_counts_as_sqlalchemy_does(
    db: SqlDatabase,
) -> None:
    customer_id, _ = await _inbound(db, "my kettle broke", "1", START)
    complaint = await db.cases.open(
        customer_id=customer_id, kind=CaseKind.COMPLAINT, priority=Priority.HIGH, reason="broken"
    )
    await db.surveys.rate(customer_id=customer_id, rating=2, case_number=complaint.number)
    await db.feedback.add(customer_id=customer_id, text="slow and rude", sentiment=-0.8)
    since = START - timedelta(days=30)
    by_sqlalchemy = (await db.customers.activities(since=since))[customer_id]
    assert await db.customers.activity(customer_id, since=since) == by_sqlalchemy
    assert (by_sqlalchemy.open_complaints, by_sqlalchemy.recent_low_ratings) == (1, 1)
    context = await db.customers.context(customer_id, activity_since=since)
    assert context.activity == by_sqlalchemy
    assert context.last_csat == 2
    assert [c.number for c in context.open_cases] == [complaint.number]
    without = await db.customers.context(customer_id)  # the extras alone
    assert (without.activity, without.last_csat, without.open_cases) == (
        None,
        2,
        context.open_cases,
    )


async def test_the_chat_owner_read_on_the_driver(db: SqlDatabase) -> None:
    assert await db.owners.owner("telegram:5") == ChatOwner()
    await db.owners.claim("telegram:5", ChatOwner(agent="mei", case_number=12))
    assert await db.owners.owner("telegram:5") == ChatOwner(agent="mei", case_number=12)
    await db.owners.claim("telegram:5", ChatOwner(agent="sam"), force=True)
    assert await db.owners.owner("telegram:5") == ChatOwner(agent="sam", case_number=None)
    assert await db.owners.owner("telegram:6") == ChatOwner()
    # Since when the agent has it: the claim's time, read back aware (as every timestamp).
    since = (await db.owners.owner("telegram:5")).since
    assert since is not None and since.tzinfo is not None
    assert abs((since - datetime.now(UTC)).total_seconds()) < 60


async def test_a_statement_on_the_driver_takes_the_begun_connection_without_a_hop(
    db: SqlDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # get_raw_connection spawns a greenlet to read one attribute: on every hot statement
    # (nine a turn) that was a tenth of the turn's greenlet switches, for nothing.
    hops: list[AsyncConnection] = []
    original = AsyncConnection.get_raw_connection

    async def counted(self: AsyncConnection) -> PoolProxiedConnection:
        hops.append(self)
        return await original(self)

    monkeypatch.setattr(AsyncConnection, "get_raw_connection", counted)
    await _inbound(db, "hi", "1", START)
    await _inbound(db, "where is my order", "2", START)  # the seen-UPDATE and INSERT, hot
    assert hops == []


async def test_the_contexts_reads_on_the_driver_are_what_sqlalchemy_reads(
    db: SqlDatabase,
) -> None:
    # The customer, facts, open cases and news: typed as the ORM types them (enums,
    # timestamps, JSON), in the same order.
    customer_id, _ = await _inbound(db, "my kettle A-1002 broke", "1", START)
    await db.customers.update(customer_id, tags=["vip", "退货"], unreachable=True)
    await db.customers.remember(customer_id, "order_number", "A-1002")
    await db.customers.remember(customer_id, "product", "kettle")
    first = await db.cases.open(
        customer_id=customer_id, kind=CaseKind.COMPLAINT, priority=Priority.HIGH, reason="broken"
    )
    second = await db.cases.open(
        customer_id=customer_id, kind=CaseKind.COMPLAINT, priority=Priority.LOW, reason="late"
    )
    await db.cases.close(second.number)
    feedback = await db.feedback.add(customer_id=customer_id, text="slow app", sentiment=-0.4)
    await db.feedback.mark_acted_on(feedback.id, "fixed in 2.1")
    context = await db.customers.context(customer_id)
    assert context.customer == await db.customers.get(customer_id)
    assert list(context.facts) == await db.customers.facts(customer_id)
    assert [f.value for f in context.facts] == ["kettle", "A-1002"]  # newest first
    assert list(context.open_cases) == await db.cases.for_customer(customer_id, open_only=True)
    assert [c.number for c in context.open_cases] == [first.number]
    assert [n.id for n in context.news] == [feedback.id]
    assert context.news[0] == (await db.feedback.for_customer(customer_id))[0]


async def test_a_fact_told_again_is_refreshed_and_one_erased_meanwhile_is_added_back(
    db: SqlDatabase,
) -> None:
    customer_id, message_id = await _inbound(db, "A-1002 again", "1", START)
    with use_clock(lambda: START):
        await db.customers.remember(customer_id, "order_number", "A-1002")
    inbound = (await db.messages.all_for(customer_id))[0]
    later = START + timedelta(hours=2)
    with use_clock(lambda: later):
        await db.messages.record_replies(
            customer_id=customer_id,
            channel="telegram",
            conversation_id=inbound.conversation_id,
            texts=["on its way"],
            facts=[("order_number", "A-1002"), ("email", "a@example.com")],  # told again
        )
    facts = {(f.kind, f.value): f.learned_at for f in await db.customers.facts(customer_id)}
    assert facts == {("order_number", "A-1002"): later, ("email", "a@example.com"): later}
