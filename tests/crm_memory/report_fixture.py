"""A small, known CRM history whose report figures are worked out by hand in the tests."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from crm_memory import CaseKind, ChannelIdentity, Direction, Priority, Sender, SqlDatabase
from crm_memory.sql._models import CaseRow, ConversationRow, FeedbackRow, MessageRow, SurveyRow


def at(hour: int, minute: int = 0, day: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


async def _customer(db: SqlDatabase, user: str, name: str) -> int:
    customer, _ = await db.customers.get_or_create(
        ChannelIdentity("telegram", user), display_name=name
    )
    return customer.id


async def _say(
    db: SqlDatabase,
    cid: int,
    words: str,
    *,
    sender: Sender = Sender.CUSTOMER,
    intent: str | None = None,
    agent: str | None = None,
) -> None:
    direction = Direction.IN if sender is Sender.CUSTOMER else Direction.OUT
    await db.messages.record(
        customer_id=cid,
        channel="telegram",
        direction=direction,
        sender=sender,
        text=words,
        intent=intent,
        confidence=0.9 if intent else None,
        agent=agent,
    )


async def fill(db: SqlDatabase) -> dict[str, int]:
    """Five customers; four conversations in November 2026, one in October.

    - Anna (bot only): 3 messages in (greet, ask_order_status, nlu_fallback), 2 bot replies,
      rates the bot 5.
    - Ben: complaint #1 about delivery, high priority, escalated "high priority complaint",
      Maria answers after 5 min and closes after 60 min; rated 2.
    - Chen: escalation #2 "asked for a human", Li answers 10 min after the hand-off and closes
      31 min after opening; rated 4; positive feedback on the app (+0.6).
    - Dora (bot only): ask_returns_refunds; negative feedback on delivery (-0.4).
    - Emil (October): one greet message, a bot rating of 1.
    """
    anna = await _customer(db, "1", "Anna")
    await _say(db, anna, "hi", intent="greet")
    await _say(db, anna, "Hello Anna!", sender=Sender.BOT)
    await _say(db, anna, "where is my order A-1001", intent="ask_order_status")
    await _say(db, anna, "It is on its way.", sender=Sender.BOT)
    await _say(db, anna, "blorp", intent="nlu_fallback")
    await db.surveys.rate(customer_id=anna, rating=5)

    ben = await _customer(db, "2", "Ben")
    await _say(db, ben, "my parcel never came, refund now", intent="complaint")
    one = await db.cases.open(
        customer_id=ben,
        kind=CaseKind.COMPLAINT,
        priority=Priority.HIGH,
        reason="parcel never came",
        topic="delivery",
    )
    await db.cases.escalate(one.number, "high priority complaint")
    await db.cases.assign(one.number, "Maria")
    await _say(db, ben, "So sorry, Ben, refund is on its way.", sender=Sender.AGENT, agent="Maria")
    await db.cases.record_response(one.number)
    await db.cases.close(one.number)
    await db.surveys.rate(customer_id=ben, rating=2, case_number=one.number)

    chen = await _customer(db, "3", "Chen")
    await _say(db, chen, "I want a person", intent="request_human")
    two = await db.cases.open(
        customer_id=chen, kind=CaseKind.ESCALATION, priority=Priority.NORMAL, reason="asked"
    )
    await db.cases.escalate(two.number, "asked for a human")
    await db.cases.assign(two.number, "Li")
    await _say(db, chen, "Hi Chen, Li here.", sender=Sender.AGENT, agent="Li")
    await db.cases.record_response(two.number)
    await db.cases.close(two.number)
    await db.surveys.rate(customer_id=chen, rating=4, case_number=two.number)
    await db.feedback.add(customer_id=chen, text="love the new app", sentiment=0.6, topic="app")

    dora = await _customer(db, "4", "Dora")
    await _say(db, dora, "how do I return this", intent="ask_returns_refunds")
    await db.feedback.add(
        customer_id=dora, text="delivery was slow", sentiment=-0.4, topic="delivery"
    )

    emil = await _customer(db, "5", "Emil")
    await _say(db, emil, "hello", intent="greet")
    await db.surveys.rate(customer_id=emil, rating=1)

    # Put every event at a known time.
    ids = {"anna": anna, "ben": ben, "chen": chen, "dora": dora, "emil": emil}
    times = {anna: at(9), ben: at(10), chen: at(12), dora: at(14), emil: at(9, month=10, day=1)}
    async with db.engine.begin() as conn:
        for cid, start in times.items():
            for column in (
                MessageRow.created_at,
                ConversationRow.started_at,
                ConversationRow.last_message_at,
                SurveyRow.created_at,
                FeedbackRow.created_at,
            ):
                table = column.class_
                await conn.execute(
                    update(table).where(table.customer_id == cid).values({column.key: start})
                )
        for number, opened, escalated, first, closed, rated in (
            (one.number, at(10), at(10), at(10, 5), at(11), at(11)),
            (two.number, at(12), at(12, 1), at(12, 11), at(12, 31), at(13, day=11)),
        ):
            await conn.execute(
                update(CaseRow)
                .where(CaseRow.number == number)
                .values(
                    opened_at=opened,
                    escalated_at=escalated,
                    first_response_at=first,
                    closed_at=closed,
                )
            )
            await conn.execute(
                update(SurveyRow).where(SurveyRow.case_number == number).values(created_at=rated)
            )
    return ids
