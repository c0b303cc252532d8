"""Erasure and retention leave none of the customer's words: in any column, or in SQLite's files."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, String, event, select

from crm_memory import (
    Attachment,
    CaseKind,
    ChannelIdentity,
    DeskPost,
    Direction,
    MediaKind,
    Priority,
    Sender,
    SqlDatabase,
)
from crm_memory.sql._models import Base

QUENTIN = ChannelIdentity("telegram", "4242424242")
EMAIL = "quentin.zed@example.com"
# What the customer wrote: each word is rare enough to be found only where it was stored.
WORDS = ("zorblax", "+49 1512 3456789", EMAIL, "A-97531")


def _update(update_id: int, text: str) -> str:
    """A Telegram update from Quentin, as the inbox stores it."""
    user = {"id": int(QUENTIN.external_id), "is_bot": False, "first_name": "Quentin"}
    chat = {"id": int(QUENTIN.external_id), "type": "private", "first_name": "Quentin"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "from": user, "text": text}
    return json.dumps({"update_id": update_id, "message": message})


async def _seed(db: SqlDatabase, *, profile_email: str | None = None) -> int:
    """A customer whose words went everywhere the bot and the desk put words."""
    customer, _ = await db.customers.get_or_create(QUENTIN, display_name="Quentin Zed")
    cid = customer.id
    if profile_email is not None:
        await db.customers.update(cid, email=profile_email)
    said = f"my zorblax kettle A-97531 broke, write to {EMAIL} or +49 1512 3456789"
    await db.messages.record(
        customer_id=cid,
        channel="telegram",
        direction=Direction.IN,
        sender=Sender.CUSTOMER,
        text=said,
        external_id="4242424242:1",
    )
    # A photo of the receipt (its caption, name and file id) and their phone as a contact.
    for n, attachment in enumerate(
        (
            Attachment(
                kind=MediaKind.DOCUMENT,
                file_id="BQACzorblax",
                file_unique_id="AgADzorblax",
                file_name="zorblax A-97531.pdf",
                caption=f"receipt, mail {EMAIL}",
                source="4242424242:2",
            ),
            Attachment(
                kind=MediaKind.CONTACT,
                details={"phone_number": "+49 1512 3456789", "first_name": "Quentin"},
                source="4242424242:3",
            ),
        ),
        start=2,
    ):
        sent, _ = await db.messages.record(
            customer_id=cid,
            channel="telegram",
            direction=Direction.IN,
            sender=Sender.CUSTOMER,
            text=attachment.marker(),
            external_id=f"4242424242:{n}",
        )
        await db.media.add(
            message_id=sent.id, customer_id=cid, attachment=attachment, case_number=None
        )
    await db.messages.record(
        customer_id=cid,
        channel="telegram",
        direction=Direction.OUT,
        sender=Sender.AGENT,
        agent="Maria",
        text="We are sending a new zorblax kettle",
    )
    for kind, value in (("email", EMAIL), ("phone", "+49 1512 3456789"), ("order", "A-97531")):
        await db.customers.remember(cid, kind, value)
    case = await db.cases.open(
        customer_id=cid,
        kind=CaseKind.COMPLAINT,
        priority=Priority.HIGH,
        reason="kettle: my zorblax kettle A-97531 broke, write to quentin.zed@ex...",
        summary=said,
        topic="product",
    )
    await db.cases.add_note(case.number, author="Maria", text=f"zorblax refund; mailed {EMAIL}")
    await db.cases.escalate(case.number, "high-priority complaint")
    await db.cases.close(case.number)
    rating = await db.surveys.rate(customer_id=cid, rating=2, case_number=case.number)
    assert rating is not None
    await db.surveys.comment(rating.id, "the zorblax took weeks")
    feedback = await db.feedback.add(
        customer_id=cid, text="zorblax lids are flimsy", sentiment=-0.6
    )
    await db.feedback.mark_acted_on(feedback.id, "a sturdier zorblax lid ships now")
    await db.posts.add(DeskPost(customer_id=cid, chat_id=-100, message_id=7, case_number=1))
    await db.inbox.put("telegram", 991, _update(991, said), sender=QUENTIN.external_id)
    await db.inbox.done("telegram", 991)
    # Still waiting when the erasure or the purge runs, and parked after failing (its reason
    # quotes them): the raw updates hold their words, name and id.
    await db.inbox.put("telegram", 992, _update(992, "zorblax again?"), sender=QUENTIN.external_id)
    await db.inbox.put("telegram", 993, _update(993, said), sender=QUENTIN.external_id)
    await db.inbox.fail("telegram", 993, "ValueError: no order 'A-97531'", max_attempts=1)
    await db.audit.write(actor="maria", action="search", detail=f"q={EMAIL!r} -> 1")
    await db.audit.write(actor="maria", action="view", customer_id=cid, detail="profile")
    return cid


async def _leaks(db: SqlDatabase, needles: tuple[str, ...]) -> list[str]:
    """Every text column of every table (from the models' metadata) that holds a needle."""
    found = []
    async with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String | JSON):
                    continue
                for value in await conn.scalars(select(column)):
                    shown = str(value or "").lower()
                    found += [
                        f"{table.name}.{column.name}: {needle}"
                        for needle in needles
                        if needle.lower() in shown
                    ]
    return found


async def test_the_scan_sees_every_place_words_are_kept(db: SqlDatabase) -> None:
    await _seed(db, profile_email=EMAIL)
    places = {leak.split(":")[0] for leak in await _leaks(db, (*WORDS, "Quentin"))}
    assert places >= {
        "customers.display_name",
        "customers.email",
        "messages.text",
        "facts.value",
        "cases.reason",
        "cases.summary",
        "case_notes.text",
        "feedback.text",
        "feedback.action_note",
        "survey_responses.comment",
        "audit_log.detail",
        "inbox.payload",
        "inbox.error",
        "media.file_id",
        "media.file_name",
        "media.caption",
        "media.details",
    }


async def test_forget_leaves_no_word_in_any_text_column(db: SqlDatabase) -> None:
    cid = await _seed(db, profile_email=EMAIL)
    vacuums = await _vacuums(db)
    assert await db.customers.forget(cid)
    assert await _leaks(db, (*WORDS, "Quentin", QUENTIN.external_id)) == []
    # What the audit needs stays: who did what, when; only what was typed is gone.
    actions = [(e.actor, e.action) for e in await db.audit.entries()]
    assert actions == [("maria", "view"), ("maria", "search")]
    # Their waiting and parked updates are dropped unanswered; every id stays known, so a
    # redelivery is not taken for a new update.
    assert await db.inbox.pending("telegram") == [] and await db.inbox.failed() == []
    for update_id in (991, 992, 993):
        assert not await db.inbox.put("telegram", update_id, "{}")
    if db.dialect == "postgresql":  # the old row versions are pruned
        vacuumed = _vacuumed(vacuums, await _vacuums(db))
        assert vacuumed >= {"messages", "cases", "feedback", "facts", "audit_log"}


async def _vacuums(db: SqlDatabase) -> dict[str, int]:
    """How often each table was vacuumed by hand (not by autovacuum); {} off PostgreSQL."""
    if db.dialect != "postgresql":
        return {}
    async with db.engine.connect() as conn:
        rows = await conn.exec_driver_sql("SELECT relname, vacuum_count FROM pg_stat_user_tables")
        return {name: count for name, count in rows}


def _vacuumed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name, count in after.items() if count > before.get(name, 0)}


async def test_purge_leaves_no_word_in_any_text_column(db: SqlDatabase) -> None:
    cid = await _seed(db)
    vacuums = await _vacuums(db)
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert await db.messages.purge_texts(older_than=later) == 4
    assert await _leaks(db, WORDS) == []
    # Counts, ratings, status and topic stay for the reports; the profile stays too.
    (case,) = await db.cases.for_customer(cid)
    assert [(n.author, n.text) for n in await db.cases.notes(case.number)] == [
        ("Maria", "[expired]")  # who wrote a note, and when, stay
    ]
    assert (case.status, case.topic, case.csat, case.escalation_reason) == (
        "closed",
        "product",
        2,
        "high-priority complaint",
    )
    assert (await db.customers.get(cid)).display_name == "Quentin Zed"
    assert await db.messages.count(cid) == 4
    if db.dialect == "postgresql":
        assert {"messages", "inbox"} <= _vacuumed(vacuums, await _vacuums(db))
    # Parked and waiting updates are given up; done ones go, but for the newest, which
    # polling resumes after.
    assert await db.inbox.pending("telegram") == [] and await db.inbox.failed() == []
    assert await db.inbox.last_update_id("telegram") == 993
    assert not await db.inbox.put("telegram", 993, "{}")
    assert await db.inbox.put("telegram", 991, "{}")  # forgotten: older than the limit
    # Recent words are kept: a purge with an older limit touches nothing more.
    assert await db.messages.purge_texts(older_than=later - timedelta(days=1)) == 0


async def test_purge_keeps_what_is_newer_than_the_limit(db: SqlDatabase) -> None:
    await _seed(db)
    earlier = datetime.now(UTC) - timedelta(days=1)
    vacuums = await _vacuums(db)
    assert await db.messages.purge_texts(older_than=earlier) == 0
    assert _vacuumed(vacuums, await _vacuums(db)) == set()  # nothing changed, nothing to vacuum
    places = {leak.split(":")[0] for leak in await _leaks(db, WORDS)}
    assert {"messages.text", "cases.reason", "facts.value", "audit_log.detail"} <= places
    assert "case_notes.text" in places
    assert {"inbox.payload", "inbox.error"} <= places
    assert [i.update_id for i in await db.inbox.pending("telegram")] == [992]


def _raw(path: Path) -> bytes:
    """The database file and its write-ahead log, as bytes on disk."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _insecure_by_default(dbapi_connection: Any, _record: Any) -> None:
    # Debian builds SQLite with secure_delete on; upstream's default is off. Start each
    # connection from upstream's default, so the bot's own setting is what is tested.
    dbapi_connection.cursor().execute("PRAGMA secure_delete=OFF")


async def _sqlite(tmp_path: Path) -> tuple[SqlDatabase, Path]:
    path = tmp_path / "crm.db"
    db = SqlDatabase(f"sqlite+aiosqlite:///{path}")
    event.listen(db.engine.sync_engine, "connect", _insecure_by_default, insert=True)
    await db.upgrade()
    return db, path


async def test_erased_words_are_not_in_the_sqlite_files(tmp_path: Path) -> None:
    db, path = await _sqlite(tmp_path)
    try:
        cid = await _seed(db, profile_email=EMAIL)
        before = _raw(path)
        assert EMAIL.encode() in before and b"zorblax" in before  # the grep can find them
        assert await db.customers.forget(cid)
        after = _raw(path)
        for word in (*WORDS, "Quentin"):
            assert word.encode() not in after, word
        assert path.with_name("crm.db-wal").stat().st_size == 0  # checkpointed, truncated
    finally:
        await db.dispose()


async def test_expired_words_are_not_in_the_sqlite_files(tmp_path: Path) -> None:
    db, path = await _sqlite(tmp_path)
    try:
        await _seed(db)
        await db.messages.purge_texts(older_than=datetime.now(UTC) + timedelta(minutes=1))
        after = _raw(path)
        for word in WORDS:
            assert word.encode() not in after, word
    finally:
        await db.dispose()
