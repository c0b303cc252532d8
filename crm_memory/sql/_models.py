"""SQLAlchemy ORM models; private to crm_memory, which hands out domain dataclasses instead."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import false

from crm_memory.clock import current_time

# Stable constraint names so Alembic migrations match on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only autoincrements INTEGER primary keys; PostgreSQL gets BIGINT.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def now() -> datetime:
    """The current time in UTC (or the clock set with ``crm_memory.use_clock``)."""
    return current_time()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CustomerRow(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str | None] = mapped_column(String(16))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    segment: Mapped[str] = mapped_column(String(32), default="new")
    tier: Mapped[str] = mapped_column(String(32), default="standard")
    email: Mapped[str | None] = mapped_column(String(320))
    external_ref: Mapped[str | None] = mapped_column(String(200))
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    lifetime_value: Mapped[float | None] = mapped_column(Float)
    # "rule": the tier follows the configured rules; "import": someone set it, rules leave it.
    tier_source: Mapped[str] = mapped_column(String(16), default="rule", server_default="rule")
    # Erased customers stay as an anonymous row so the reports' counts stay right.
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    segment_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class IdentityRow(Base):
    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_identity"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class FactRow(Base):
    __tablename__ = "facts"
    __table_args__ = (UniqueConstraint("customer_id", "kind", "value", name="uq_fact"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(320))
    learned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class ConversationRow(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_customer_last", "customer_id", "last_message_at"),
        Index("ix_conversations_started_at", "started_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    last_message_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    # A person wrote in it: with `escalated`, what the report's containment rate excludes.
    agent_wrote: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class MessageRow(Base):
    __tablename__ = "messages"
    __table_args__ = (
        # Idempotent ingest: a channel's message or update id is stored once per direction.
        UniqueConstraint("channel", "direction", "external_id", name="uq_message_external"),
        # A customer's recent history: newest first by id within one customer.
        Index("ix_messages_customer_id_id", "customer_id", "id"),
        Index("ix_messages_conversation", "conversation_id"),
        # Covering for the report: counts by time, sender and intent read only the index.
        Index("ix_messages_created_sender_intent", "created_at", "sender", "intent"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(3))
    sender: Mapped[str] = mapped_column(String(16))
    agent: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str | None] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text, default="")
    intent: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_customer_status", "customer_id", "status"),
        Index("ix_cases_status", "status"),
        Index("ix_cases_opened_at", "opened_at"),
        # A message opens a given case once, however often its turn runs (crm_memory.source).
        Index("uq_cases_source", "source_message_id", "kind", "reason", unique=True),
    )

    number: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    reason: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str | None] = mapped_column(String(100))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    first_response_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    csat: Mapped[int | None] = mapped_column(Integer)
    # Handed to people: when and why (a complaint's own reason stays in `reason`).
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    escalation_reason: Mapped[str | None] = mapped_column(String(200))
    # What a complaint is about (delivery, product, ...): kept when the customer is erased.
    topic: Mapped[str | None] = mapped_column(String(64))
    # The customer's message whose turn opened the case, and the one whose turn handed it to
    # people (None: opened or handed over by an agent, the desk, the CLI, or before 0015).
    source_message_id: Mapped[int | None] = mapped_column(BigInteger)
    escalated_by: Mapped[int | None] = mapped_column(BigInteger)


class CaseEditRow(Base):
    """A customer's message changed a case's summary (a detail, an order number, a delivery
    instruction): the ``seq``-th time its turn did, kept so that a repeated turn does not
    add the same line again."""

    __tablename__ = "case_edits"

    case_number: Mapped[int] = mapped_column(
        ForeignKey("cases.number", ondelete="CASCADE"), primary_key=True
    )
    source_message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)


class CaseNoteRow(Base):
    """An agent's internal note on a case (its author is staff, its words may name the
    customer: erased and expired like the case's other text)."""

    __tablename__ = "case_notes"
    __table_args__ = (Index("ix_case_notes_case", "case_number", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_number: Mapped[int] = mapped_column(ForeignKey("cases.number", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class FeedbackRow(Base):
    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("source_message_id", name="uq_feedback_source"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    sentiment: Mapped[float] = mapped_column(Float, default=0.0)
    topic: Mapped[str | None] = mapped_column(String(64))
    # praise | criticism | suggestion (FeedbackKind); rows before 0016 by their sentiment.
    kind: Mapped[str] = mapped_column(String(16), default="criticism", server_default="criticism")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    acted_on_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    action_note: Mapped[str | None] = mapped_column(Text)
    # When the customer was told what changed (closing the loop).
    notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The message it was said in: one piece of feedback per message, however often its
    # turn runs (None: added outside a turn, or before 0015).
    source_message_id: Mapped[int | None] = mapped_column(BigInteger)


class SurveyRow(Base):
    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("case_number", name="uq_survey_case"),
        Index("ix_survey_responses_created_at", "created_at"),
        # The button press (a message) that gave it: one rating per press.
        UniqueConstraint("source_message_id", name="uq_survey_source"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    case_number: Mapped[int | None] = mapped_column(ForeignKey("cases.number", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    source_message_id: Mapped[int | None] = mapped_column(BigInteger)


class DeskPostRow(Base):
    """A message the bot posted about a customer in the agents' chat (edited on erasure)."""

    __tablename__ = "desk_posts"
    __table_args__ = (Index("ix_desk_posts_source", "source_message_id", "case_number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    case_number: Mapped[int | None] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    # The customer's message whose turn posted it (None: posted outside a turn): a repeated
    # turn does not post what an earlier run of it did.
    source_message_id: Mapped[int | None] = mapped_column(BigInteger)


class InboxRow(Base):
    """Updates as received from a channel, stored before they are acknowledged."""

    __tablename__ = "inbox"
    __table_args__ = (
        Index("ix_inbox_pending", "channel", "processed_at", "update_id"),
        Index("ix_inbox_sender", "channel", "sender"),
        Index("ix_inbox_chat", "channel", "chat", "update_id"),
    )

    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Failed turns: how often it was tried, and once parked (no more retries), when and why.
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    # Who sent it (the channel's id for the customer, as in channel_identities), so that an
    # erasure finds the customer's updates still waiting or parked here.
    sender: Mapped[str | None] = mapped_column(String(200))
    # The conversation it belongs to (the channel's chat id): several workers take the
    # inbox's work chat by chat, each chat's rows in order (see InboxLeaseRow).
    chat: Mapped[str | None] = mapped_column(String(200))


class InboxLeaseRow(Base):
    """Which worker handles a chat's inbox rows, until when (renewed while it works)."""

    __tablename__ = "inbox_leases"

    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    chat: Mapped[str] = mapped_column(String(200), primary_key=True)
    # None when released; a holder whose lease has expired has died or stalled.
    holder: Mapped[str | None] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Grows with every take: the fence a holder's writes check (a lease lost and taken back
    # is not the one a stalled turn started under).
    generation: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class ChatOwnerRow(Base):
    """Which agent answers a chat, for which case; no row means the bot answers."""

    __tablename__ = "chat_owners"

    chat: Mapped[str] = mapped_column(String(200), primary_key=True)
    agent: Mapped[str] = mapped_column(String(100))
    case_number: Mapped[int | None] = mapped_column(BigInteger)
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class AgentAccountRow(Base):
    """A person who works in the web desk or the API: name, password hash, role."""

    __tablename__ = "agent_accounts"
    __table_args__ = (UniqueConstraint("name", name="uq_agent_name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class ApiTokenRow(Base):
    """A token another system sends as ``Authorization: Bearer``; only its hash is kept."""

    __tablename__ = "api_tokens"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_token_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebSessionRow(Base):
    """A signed-in browser: the cookie's hash, whose it is, its CSRF token, when it ends."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent_accounts.id", ondelete="CASCADE"))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CannedReplyRow(Base):
    """A canned reply agents send often; its texts are ``CannedVariantRow`` rows."""

    __tablename__ = "canned_replies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    attachment_kind: Mapped[str | None] = mapped_column(String(16))
    attachment_file_id: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    updated_by: Mapped[str] = mapped_column(String(120))


class CannedVariantRow(Base):
    """A canned reply's text in one language."""

    __tablename__ = "canned_variants"

    canned_id: Mapped[int] = mapped_column(
        ForeignKey("canned_replies.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class IdempotencyRow(Base):
    """A request someone marked with an ``Idempotency-Key``: its repeat is answered, not done.

    No response body is kept (it would hold customers' words outside erasure's reach); a
    repeat is answered with the resource as it is now. ``status`` is None while the first
    request runs.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (Index("ix_idempotency_keys_created_at", "created_at"),)

    actor: Mapped[str] = mapped_column(String(120), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class AuditRow(Base):
    """Who looked at, exported or erased which customer's data, and when."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[int | None] = mapped_column(BigInteger)
    detail: Mapped[str] = mapped_column(String(300), default="")


class MediaRow(Base):
    """A message's attachment: a photo, file, voice note, location or contact.

    Its own row (kind, Telegram file id, mime type, size, name, caption), never parsed back
    from the message's text; erasure and retention blank the file id, name and caption and
    set ``forgotten``.
    """

    __tablename__ = "media"
    __table_args__ = (
        UniqueConstraint("message_id", name="uq_media_message_id"),
        Index("ix_media_customer_id", "customer_id"),
        Index("ix_media_case_number", "case_number"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    case_number: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    file_id: Mapped[str] = mapped_column(String(256), default="")
    file_unique_id: Mapped[str] = mapped_column(String(128), default="")
    mime_type: Mapped[str | None] = mapped_column(String(128))
    size: Mapped[int | None] = mapped_column(BigInteger)
    file_name: Mapped[str | None] = mapped_column(String(256))
    caption: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # The channel's message it came in or went out as ("chat:message"), to copy it natively.
    source: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    forgotten: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
