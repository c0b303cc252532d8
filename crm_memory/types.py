"""Domain records of CRM memory: frozen dataclasses and enums, free of SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from crm_memory.errors import InvalidIdentity
from crm_memory.media import Media


class Direction(StrEnum):
    """Whether a message came from the customer's side or went to it."""

    IN = "in"
    OUT = "out"


class Sender(StrEnum):
    """Who wrote a message."""

    CUSTOMER = "customer"
    BOT = "bot"
    AGENT = "agent"


class CaseKind(StrEnum):
    """Why a case exists."""

    COMPLAINT = "complaint"
    ESCALATION = "escalation"
    INQUIRY = "inquiry"


class FeedbackKind(StrEnum):
    """What a piece of feedback is: praise, criticism, or a suggestion for something new."""

    PRAISE = "praise"
    CRITICISM = "criticism"
    SUGGESTION = "suggestion"


class CaseStatus(StrEnum):
    """Where a case is in its life: waiting, with an agent, or done."""

    OPEN = "open"
    ASSIGNED = "assigned"
    CLOSED = "closed"


class Priority(StrEnum):
    """How urgently a case needs attention, lowest first."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """Order of urgency: 0 for low up to 3 for urgent."""
        return list(Priority).index(self)


@dataclass(frozen=True, slots=True)
class ChannelIdentity:
    """How one channel knows a customer, written ``channel:external_id`` (``telegram:42``)."""

    channel: str
    external_id: str

    @classmethod
    def parse(cls, text: str) -> ChannelIdentity:
        """Parse ``channel:external_id``.

        Raises:
            InvalidIdentity: when either part is missing.
        """
        channel, sep, external_id = text.strip().partition(":")
        if not sep or not channel or not external_id:
            raise InvalidIdentity(
                f"{text!r} is not an identity; write it as channel:id, e.g. telegram:42"
            )
        return cls(channel=channel.lower(), external_id=external_id)

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id}"


@dataclass(frozen=True, slots=True)
class Fact:
    """Something a customer told us once and we remember, such as an order number."""

    kind: str
    value: str
    learned_at: datetime


@dataclass(frozen=True, slots=True)
class Customer:
    """A customer's profile."""

    id: int
    display_name: str
    language: str | None
    tags: tuple[str, ...]
    segment: str
    tier: str
    email: str | None
    external_ref: str | None
    unreachable: bool
    created_at: datetime
    last_seen_at: datetime | None
    lifetime_value: float | None = None
    tier_source: str = "rule"
    erased: bool = False


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a customer's history, inbound or outbound."""

    id: int
    customer_id: int
    conversation_id: int
    direction: Direction
    sender: Sender
    text: str
    channel: str
    created_at: datetime
    intent: str | None = None
    confidence: float | None = None
    external_id: str | None = None
    agent: str | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """A numbered case (#N): a complaint or an escalation that someone must resolve."""

    number: int
    customer_id: int
    kind: CaseKind
    status: CaseStatus
    priority: Priority
    reason: str
    summary: str
    owner: str | None
    opened_at: datetime
    first_response_at: datetime | None
    closed_at: datetime | None
    csat: int | None
    escalated_at: datetime | None = None
    escalation_reason: str | None = None
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class CaseNote:
    """An internal note on a case: its own record with who wrote it and when, never part of
    the case's summary (which holds the customer's words), so no one can write one but staff.
    """

    id: int
    case_number: int
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class KeyedRequest:
    """The request first sent with an idempotency key: its fingerprint, and its answer's
    status code (None while it is still being done)."""

    request: str
    status: int | None


@dataclass(frozen=True, slots=True)
class Feedback:
    """Praise or criticism a customer gave, with its sentiment in [-1, 1]."""

    id: int
    customer_id: int
    text: str
    sentiment: float
    topic: str | None
    created_at: datetime
    acted_on_at: datetime | None
    action_note: str | None
    notified_at: datetime | None = None
    kind: FeedbackKind = FeedbackKind.CRITICISM


@dataclass(frozen=True, slots=True)
class SurveyResponse:
    """A satisfaction rating (1-5) for a closed case or for a bot-only conversation."""

    id: int
    customer_id: int
    case_number: int | None
    rating: int
    comment: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DeskPost:
    """A message the bot posted about a customer in the agents' chat."""

    customer_id: int
    chat_id: int
    message_id: int
    case_number: int | None = None
    thread_id: int | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    """What segmenting a customer looks at: how recently and often they wrote, and how it went."""

    customer_id: int
    first_seen: datetime | None
    last_seen: datetime | None
    conversations: int
    recent_conversations: int
    open_complaints: int
    recent_complaints: int
    recent_low_ratings: int
    recent_negative_feedback: int


@dataclass(frozen=True, slots=True)
class CustomerExport:
    """Everything stored about one customer (``crm export``)."""

    customer: Customer
    identities: tuple[ChannelIdentity, ...]
    facts: tuple[Fact, ...]
    messages: tuple[Message, ...]
    cases: tuple[Case, ...]
    ratings: tuple[SurveyResponse, ...]
    feedback: tuple[Feedback, ...]
    notes: tuple[CaseNote, ...] = ()
    # Photos, files, voice notes: kind, size, name, caption (the files stay with Telegram).
    media: tuple[Media, ...] = ()


@dataclass(frozen=True, slots=True)
class InboxItem:
    """One update a channel delivered, kept until it has been processed."""

    channel: str
    update_id: int
    payload: str
    received_at: datetime
    processed_at: datetime | None = None
    attempts: int = 0
    failed_at: datetime | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """A chat a worker has just leased; ``taken_from`` names the worker whose lease expired
    (it died or stalled mid-chat), None when the chat was free."""

    chat: str
    taken_from: str | None = None
    # The lease's number for this take (see crm_memory.fence): writes under it check it.
    generation: int = 0


@dataclass(frozen=True, slots=True)
class Workload:
    """What operators watch in the database: the inbox's backlog and cases with people.

    ``inbox_failed`` counts updates parked after their last attempt (None from an inbox that
    cannot park updates).
    """

    inbox_pending: int
    inbox_oldest_pending_at: datetime | None
    inbox_failed: int | None
    open_cases: int
    assigned_cases: int
    escalations: int


@dataclass(frozen=True, slots=True)
class ChatOwner:
    """Who answers a chat: the bot (``agent is None``) or a named agent working a case."""

    agent: str | None = None
    case_number: int | None = None
    # When the agent took the chat (stamped by the store when not given); not part of who
    # owns it, so two owners naming the same agent and case are equal.
    since: datetime | None = field(default=None, compare=False)

    @property
    def is_bot(self) -> bool:
        """True when no agent owns the chat."""
        return self.agent is None


@dataclass(frozen=True, slots=True)
class Annotation:
    """What NLU understood of a stored inbound message."""

    message_id: int
    intent: str
    confidence: float


@dataclass(frozen=True, slots=True)
class CustomerContext:
    """Everything a handler needs to know about a customer to answer one message."""

    customer: Customer
    facts: tuple[Fact, ...]
    open_cases: tuple[Case, ...]
    recent: tuple[Message, ...]
    last_csat: int | None = None
    owner: ChatOwner = field(default_factory=ChatOwner)
    is_new: bool = False
    # Asked for by the turn that loads the context (see CustomerStore.context).
    activity: Activity | None = None
    news: tuple[Feedback, ...] = ()
    # Facts of this turn not written yet (``defer_facts``), for the turn's closing write:
    # known already (refreshed there) and new (added there).
    told_again: tuple[tuple[str, str], ...] = ()
    told_new: tuple[tuple[str, str], ...] = ()

    def fact(self, kind: str) -> Fact | None:
        """The most recently learned fact of a kind, if any."""
        found = [f for f in self.facts if f.kind == kind]
        return max(found, key=lambda f: f.learned_at) if found else None


class Role(StrEnum):
    """What a desk user may do: agents work cases; leads also read reports and export;
    admins also manage accounts and tokens and may erase customers."""

    AGENT = "agent"
    LEAD = "lead"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


@dataclass(frozen=True, slots=True)
class AgentAccount:
    """Someone who signs in to the web desk."""

    id: int
    name: str
    role: Role
    active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A token for another system; ``scope`` is read or write."""

    id: int
    name: str
    scope: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One view, export or erasure of a customer's data, or an account change."""

    id: int
    at: datetime
    actor: str
    action: str
    customer_id: int | None
    detail: str
