"""The roles CRM memory plays, as Protocols; implementations are named by technology."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

from crm_memory.reports import Report
from crm_memory.types import (
    Activity,
    AgentAccount,
    Annotation,
    ApiToken,
    Case,
    CaseKind,
    CaseNote,
    CaseStatus,
    ChannelIdentity,
    ChatOwner,
    Claim,
    Customer,
    CustomerContext,
    DeskPost,
    Direction,
    Fact,
    Feedback,
    FeedbackKind,
    InboxItem,
    Message,
    Priority,
    Role,
    Sender,
    SurveyResponse,
    Workload,
)


class CustomerStore(Protocol):
    """Customers, the identities channels know them by, and the facts they told us."""

    async def get_or_create(
        self, identity: ChannelIdentity, *, display_name: str, language: str | None = None
    ) -> tuple[Customer, bool]:
        """Return the customer behind ``identity``, creating it; the flag is True when new."""
        ...

    async def find(self, identity: ChannelIdentity) -> Customer | None:
        """The customer behind ``identity``, or None."""
        ...

    async def get(self, customer_id: int) -> Customer:
        """A customer by id. Raises NotFound."""
        ...

    async def identities(self, customer_id: int) -> list[ChannelIdentity]:
        """Every identity of a customer."""
        ...

    async def link_identity(self, customer_id: int, identity: ChannelIdentity) -> None:
        """Attach another channel identity to an existing customer."""
        ...

    async def update(
        self,
        customer_id: int,
        *,
        display_name: str | None = None,
        language: str | None = None,
        tags: Sequence[str] | None = None,
        segment: str | None = None,
        tier: str | None = None,
        email: str | None = None,
        unreachable: bool | None = None,
        external_ref: str | None = None,
        lifetime_value: float | None = None,
        tier_source: str = "import",
    ) -> Customer:
        """Change the given profile fields, leaving the others. Raises NotFound.

        A tier given here is kept by the segment rules unless ``tier_source`` is ``"rule"``.
        """
        ...

    async def create(
        self, *, display_name: str, identity: ChannelIdentity | None = None
    ) -> Customer:
        """A new customer, reachable through ``identity`` when given (imports)."""
        ...

    async def merge(self, source_id: int, into_id: int, *, identities: bool = True) -> bool:
        """The same person known as two customers: everything of ``source_id`` (messages,
        conversations, cases, facts, feedback, ratings, files, desk posts, audit entries)
        moves to ``into_id`` and ``source_id`` is deleted, in one transaction. The source's
        channel identities move too, or with ``identities=False`` are dropped (nothing
        reaches the merged customer through them). False, nothing changed, when the source
        is gone (merged already), erased, or the same customer."""
        ...

    async def find_by(
        self, *, email: str | None = None, external_ref: str | None = None
    ) -> Customer | None:
        """The customer with this external reference, else this e-mail (any case), or None."""
        ...

    async def search(
        self, *, text: str = "", tag: str = "", limit: int = 50, offset: int = 0
    ) -> list[Customer]:
        """Customers (not erased) whose name, e-mail, external id, identity or a remembered
        fact (e-mail, phone, order number) contains ``text`` (any case), carrying ``tag``
        when given; oldest first."""
        ...

    async def all_customers(self) -> list[Customer]:
        """Every customer not erased, oldest first."""
        ...

    async def activity(self, customer_id: int, *, since: datetime) -> Activity:
        """How a customer's contact went, counting complaints and ratings since ``since``."""
        ...

    async def activities(self, *, since: datetime) -> dict[int, Activity]:
        """``activity`` for every customer not erased, in a few grouped queries."""
        ...

    async def remember(self, customer_id: int, kind: str, value: str) -> Fact:
        """Remember a fact; seeing it again refreshes when it was learned."""
        ...

    async def facts(self, customer_id: int) -> list[Fact]:
        """A customer's facts, most recently learned first."""
        ...

    async def forget(self, customer_id: int) -> bool:
        """Erase the customer: identities, facts, profile and every word they or anyone wrote
        in their history go; an anonymous row keeps the counts reports need (when messages
        came, intents, case status and times, ratings). False if there was none to erase."""
        ...

    async def context(
        self,
        customer_id: int,
        *,
        recent: int = 20,
        annotate: Annotation | None = None,
        facts: Sequence[tuple[str, str]] = (),
        activity_since: datetime | None = None,
        customer: Customer | None = None,
        defer_facts: bool = False,
    ) -> CustomerContext:
        """Profile, facts, open cases, the last ``recent`` messages, the last rating and the
        feedback whose outcome the customer has not heard yet.

        A turn's writes come along, in one unit of work before the reads: ``annotate``
        stores what NLU understood of the inbound message, ``facts`` are remembered as by
        ``remember``, and with ``activity_since`` the context carries the customer's
        activity for segmenting. ``customer``: the profile as the caller just read it (not
        read again). With ``defer_facts``, no fact is written here: those known already are
        listed in the context's ``told_again``, the new ones in ``told_new``, for the turn's
        closing write (``MessageStore.record_replies``). The context's facts are as they
        stand after the turn either way. Raises NotFound.
        """
        ...


class MessageStore(Protocol):
    """Every message exchanged with customers, grouped in conversations."""

    async def record(
        self,
        *,
        customer_id: int,
        channel: str,
        direction: Direction,
        sender: Sender,
        text: str,
        external_id: str | None = None,
        agent: str | None = None,
        intent: str | None = None,
        confidence: float | None = None,
    ) -> tuple[Message, bool]:
        """Store a message; the flag is False when (channel, direction, external_id) was seen."""
        ...

    async def record_inbound(
        self,
        identity: ChannelIdentity,
        *,
        display_name: str,
        language: str | None,
        text: str,
        external_id: str | None = None,
    ) -> tuple[Customer, bool, Message, bool]:
        """A customer's message on ``identity``'s channel: the customer (created when new:
        the first flag, as ``CustomerStore.get_or_create``) and the message stored (the second
        flag as ``record``'s)."""
        ...

    async def record_replies(
        self,
        *,
        customer_id: int,
        channel: str,
        conversation_id: int,
        texts: Sequence[str],
        annotate: Annotation | None = None,
        facts: Sequence[tuple[str, str]] = (),
        new_facts: Sequence[tuple[str, str]] = (),
        notified: Sequence[int] = (),
    ) -> list[Message]:
        """A turn's closing write, in one unit of work: the bot's replies (to be sent) in the
        conversation of the message they answer, what NLU understood of that message, the
        facts it told remembered as by ``CustomerStore.remember`` (``new_facts``: those
        the turn's context did not know, added), and the feedback whose
        news the replies tell marked notified (so a turn cut before this write tells it
        when repeated). Raises NotFound."""
        ...

    async def annotate(self, message_id: int, *, intent: str, confidence: float) -> None:
        """Attach what NLU understood to a stored inbound message."""
        ...

    async def mark_sent(self, message_id: int, *, external_id: str | None = None) -> None:
        """Mark an outbound message as delivered to the channel."""
        ...

    async def mark_sent_many(self, sent: Sequence[tuple[int, str | None]]) -> None:
        """Mark several outbound messages delivered, as (message id, external id), in one
        write: a turn's replies once the last of them is delivered."""
        ...

    async def answered_after(self, message: Message) -> bool:
        """True when something was recorded for the customer to read after ``message``."""
        ...

    async def unsent(self, *, older_than: datetime | None = None) -> list[Message]:
        """Outbound messages recorded but never marked sent, oldest first."""
        ...

    async def history(
        self,
        customer_id: int,
        *,
        limit: int = 50,
        before: int | None = None,
        channel: str | None = None,
        after: int | None = None,
    ) -> list[Message]:
        """The customer's last ``limit`` messages (with ids below ``before`` and above
        ``after``; on ``channel`` only, filtered before the limit), oldest first."""
        ...

    async def count(self, customer_id: int) -> int:
        """How many messages a customer's history holds."""
        ...

    async def all_for(self, customer_id: int) -> list[Message]:
        """A customer's whole history, oldest first (export)."""
        ...

    async def purge_texts(self, *, older_than: datetime) -> int:
        """Retention: replace the words of messages, feedback and its notes, comments, case
        reasons and summaries older than ``older_than`` with a marker, drop facts not heard of
        since and what staff's searches typed, keeping everything reports count.
        Returns how many messages lost their text."""
        ...


class CaseStore(Protocol):
    """Numbered cases and what happens to them."""

    async def open(
        self,
        *,
        customer_id: int,
        kind: CaseKind,
        priority: Priority,
        reason: str,
        summary: str = "",
        topic: str | None = None,
    ) -> Case:
        """Open a case and give it its number. In a customer's turn (crm_memory.source): the
        case this message's turn opened of this kind for this reason, if an earlier run of
        the turn did."""
        ...

    async def get(self, number: int) -> Case:
        """A case by number. Raises NotFound."""
        ...

    async def for_customer(self, customer_id: int, *, open_only: bool = False) -> list[Case]:
        """A customer's cases, newest first."""
        ...

    async def all(
        self,
        *,
        status: CaseStatus | None = None,
        limit: int = 200,
        priority: Priority | None = None,
        owner: str | None = None,
        offset: int = 0,
    ) -> list[Case]:
        """Cases, newest first, optionally of one status, priority or owner."""
        ...

    async def update(
        self,
        number: int,
        *,
        priority: Priority | None = None,
        summary: str | None = None,
        reason: str | None = None,
    ) -> Case:
        """Change a case's priority, summary or reason. Raises NotFound. In a customer's
        turn, a summary change an earlier run of the turn made (the same one in order of
        this message's changes of the case) is not made again."""
        ...

    async def escalate(self, number: int, reason: str) -> tuple[Case, bool]:
        """Hand the case to people; False (and no change) when it already was, except for the
        first call of a repeated turn whose earlier run handed it over (True again: what
        follows a hand-over is done again, once). Raises NotFound."""
        ...

    async def assign(self, number: int, owner: str) -> Case:
        """Give the case to an agent. Raises NotFound."""
        ...

    async def requeue(self, number: int) -> Case:
        """Put an open case back in the team's queue, owned by no one and handed over now (an
        agent gave the chat back to the bot and the customer wants a person again); a closed
        case is left as it is. Raises NotFound."""
        ...

    async def record_response(self, number: int) -> Case:
        """Note an agent's answer; the first one sets the first-response time."""
        ...

    async def close(self, number: int) -> Case:
        """Close a case (closing twice keeps the first close time). Raises NotFound."""
        ...

    async def reopen(self, number: int) -> Case:
        """Open a closed case again (with its agent, if it had one): the same request come
        back in the same conversation. An open case is left as it is. Raises NotFound."""
        ...

    async def add_note(self, number: int, *, author: str, text: str) -> CaseNote:
        """An internal note on a case, stored as its own record. Raises NotFound, or
        InvalidInput for a blank text or one with control characters."""
        ...

    async def notes(self, number: int) -> list[CaseNote]:
        """A case's notes, oldest first."""
        ...

    async def notes_for_customer(self, customer_id: int) -> list[CaseNote]:
        """The notes on all of a customer's cases, oldest first (for an export)."""
        ...


class FeedbackStore(Protocol):
    """Praise and criticism, and whether we acted on it."""

    async def add(
        self,
        *,
        customer_id: int,
        text: str,
        sentiment: float,
        topic: str | None = None,
        kind: FeedbackKind | None = None,
    ) -> Feedback:
        """Store one piece of feedback; in a customer's turn, one per message (a repeated
        turn gets the one its earlier run stored). ``kind``: praise or criticism by the
        sentiment's sign when not given."""
        ...

    async def all(self, *, acted_on: bool | None = None, limit: int = 200) -> list[Feedback]:
        """Feedback, newest first, optionally filtered by whether it was acted on."""
        ...

    async def for_customer(self, customer_id: int) -> list[Feedback]:
        """A customer's feedback, newest first."""
        ...

    async def get(self, feedback_id: int) -> Feedback:
        """One piece of feedback. Raises NotFound."""
        ...

    async def mark_acted_on(self, feedback_id: int, note: str) -> Feedback:
        """Say what was done about a piece of feedback. Raises NotFound."""
        ...

    async def to_notify(self, customer_id: int) -> list[Feedback]:
        """The customer's feedback that was acted on but not yet reported back to them."""
        ...

    async def mark_notified(self, feedback_id: int) -> bool:
        """Note that the customer is being told what changed; False when that was already
        noted (told before, by another worker, or the customer was erased). Raises NotFound."""
        ...


class SurveyStore(Protocol):
    """Satisfaction ratings."""

    async def rate(
        self,
        *,
        customer_id: int,
        rating: int,
        case_number: int | None = None,
        comment: str | None = None,
    ) -> SurveyResponse | None:
        """Store a 1-5 rating; None when the case was already rated (one survey per case).
        In a customer's turn, one per message: a repeated turn gets the rating its earlier
        run stored."""
        ...

    async def comment(self, response_id: int, comment: str) -> None:
        """Attach the optional comment to a rating."""
        ...

    async def for_customer(self, customer_id: int) -> list[SurveyResponse]:
        """A customer's ratings, newest first."""
        ...


class DeskPostStore(Protocol):
    """The bot's posts about customers in the agents' chat (edited when a customer is erased)."""

    async def add(self, post: DeskPost) -> None:
        """Remember a post."""
        ...

    async def for_customer(self, customer_id: int) -> list[DeskPost]:
        """A customer's posts, oldest first; erasing the customer drops them."""
        ...

    async def already_posted(self, case_number: int | None) -> bool:
        """Ask before each post about ``case_number`` (None: about no case) in a customer's
        turn: True when an earlier run of this turn (crm_memory.source) made this post
        already, so this run leaves it out; False outside a turn."""
        ...


class ReportStore(Protocol):
    """The figures the support lead reads, aggregated by the store."""

    async def report(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> Report:
        """The report for ``[since, until)``; None leaves that side open."""
        ...

    async def segments(self) -> tuple[dict[str, int], dict[str, int]]:
        """How many customers are in each lifecycle stage, and in each tier."""
        ...


class AuditLog(Protocol):
    """Who looked at, exported or erased which customer's data: append-only."""

    async def write(
        self, *, actor: str, action: str, customer_id: int | None = None, detail: str = ""
    ) -> None:
        """Record one access: ``view``, ``search``, ``export``, ``erase``, ..."""
        ...


class AccountStore(Protocol):
    """Desk accounts (password hashes, never passwords), API tokens (hashes) and sessions."""

    async def add_agent(self, name: str, *, password_hash: str, role: Role) -> AgentAccount:
        """Create an account. Raises AlreadyExists."""
        ...

    async def agent(self, name: str) -> tuple[AgentAccount, str] | None:
        """The account and its password hash, or None."""
        ...

    async def agents(self) -> list[AgentAccount]:
        """Every account, by name."""
        ...

    async def set_password(self, name: str, password_hash: str) -> None:
        """Raises NotFound."""
        ...

    async def deactivate(self, name: str) -> None:
        """No more sign-ins; open sessions end. Raises NotFound."""
        ...

    async def add_token(self, name: str, *, token_hash: str, scope: str) -> ApiToken:
        """Store a new token's hash."""
        ...

    async def token(self, token_hash: str) -> ApiToken | None:
        """The live token with this hash (its use is noted), or None."""
        ...

    async def tokens(self) -> list[ApiToken]:
        """Every token, revoked ones too."""
        ...

    async def revoke_token(self, token_id: int) -> None:
        """Raises NotFound."""
        ...

    async def start_session(
        self, agent_id: int, *, token_hash: str, csrf: str, expires_at: datetime
    ) -> None:
        """Remember a signed-in browser by its cookie's hash."""
        ...

    async def session(self, token_hash: str) -> tuple[AgentAccount, str] | None:
        """The account and CSRF token of a live session, or None."""
        ...

    async def end_session(self, token_hash: str) -> None:
        """Sign out."""
        ...


class InboxStore(Protocol):
    """The transactional inbox: updates are stored before they are acknowledged."""

    async def put(
        self,
        channel: str,
        update_id: int,
        payload: str,
        *,
        sender: str | None = None,
        chat: str | None = None,
    ) -> bool:
        """Store an update (from ``sender``, the channel's id for who wrote it, in ``chat``,
        the conversation whose rows are worked in order; the sender's when not given); False
        when it was stored before (a redelivery)."""
        ...

    async def pending(self, channel: str, *, limit: int = 100) -> list[InboxItem]:
        """Stored but unprocessed updates, oldest first."""
        ...

    async def put_many(
        self,
        channel: str,
        updates: Sequence[tuple[int, str]],
        *,
        senders: Mapping[int, str] | None = None,
        chats: Mapping[int, str] | None = None,
    ) -> list[int]:
        """Store ``(update_id, payload)`` pairs in one transaction, with who sent each
        (``senders``, by update id) and in which chat (``chats``); the ids that were new."""
        ...

    async def done(self, channel: str, *update_ids: int) -> None:
        """The updates were processed."""
        ...

    async def last_update_id(self, channel: str) -> int | None:
        """The highest update id stored for the channel: polling resumes after it."""
        ...

    async def fail(self, channel: str, update_id: int, error: str, *, max_attempts: int) -> int:
        """A turn on the update failed: count the attempt and keep the reason. At
        ``max_attempts`` the update is parked: not pending, listed by ``failed``, until
        ``retry``. Returns the attempts so far. Raises NotFound."""
        ...

    async def failed(self, channel: str | None = None) -> list[InboxItem]:
        """The parked updates, oldest first (of one channel, or of all)."""
        ...

    async def retry(self, channel: str | None = None, update_id: int | None = None) -> int:
        """Make parked updates pending again with a fresh count; how many there were."""
        ...


class InboxClaims(Protocol):
    """Several workers share one inbox: each takes a chat's rows under a lease, so one worker
    at a time handles a chat, in order, and a dead worker's chats go to another."""

    async def claim(
        self,
        channel: str,
        holder: str,
        *,
        limit: int,
        busy: Collection[str] = (),
        steal: bool = True,
    ) -> list[Claim]:
        """Lease up to ``limit`` chats with pending rows that nobody holds (released, ours,
        or, when ``steal``, their holder's lease expired), oldest first, besides the ``busy``
        ones; each take gets a new generation (its fence)."""
        ...

    async def take(
        self, channel: str, chat: str, holder: str, *, steal: bool = True
    ) -> Claim | None:
        """Lease one chat, rows pending or not, when free, ours, or (``steal``) expired;
        None when another worker holds it."""
        ...

    async def give_up(self, channel: str, chat: str, holder: str) -> None:
        """End ``holder``'s lease on one chat now, rows pending or not."""
        ...

    async def orphans(self, channel: str, *, limit: int = 100) -> list[tuple[int, str]]:
        """Pending rows stored without their chat: (update id, payload), oldest first."""
        ...

    async def place(self, channel: str, update_id: int, chat: str) -> None:
        """File a row stored without its chat under ``chat``."""
        ...

    async def pending(self, channel: str, chat: str, holder: str) -> list[InboxItem]:
        """The chat's pending rows in order, while ``holder``'s lease on it lasts (else
        none)."""
        ...

    async def renew(self, channel: str, holder: str, chats: Collection[str]) -> set[str]:
        """Extend ``holder``'s leases on ``chats``; the chats it still holds."""
        ...

    async def release(self, channel: str, chat: str, holder: str) -> bool:
        """Give the chat up when no row of it is pending; False when one is (keep going).
        A lease no longer held counts as released."""
        ...

    async def holders(self, channel: str) -> set[str]:
        """Who holds leases now (expired or not)."""
        ...

    async def expire(self, channel: str, holder: str) -> int:
        """End ``holder``'s leases now (it is known to be dead); how many there were."""
        ...


class LeaderLock(Protocol):
    """One holder at a time among processes (the poller), taken over when it dies."""

    async def acquire(self) -> bool:
        """Take the lock if free; True while this process holds it."""
        ...

    async def held(self) -> bool:
        """Still held (the connection behind it is alive)."""
        ...

    async def release(self) -> None:
        """Let it go, for another process to take."""
        ...


class ChatOwnerStore(Protocol):
    """Who answers each chat, kept in SQL so that a Redis restart and other processes agree."""

    async def owner(self, chat: str) -> ChatOwner:
        """Who answers the chat now; the bot when nobody claimed it."""
        ...

    async def claim(self, chat: str, owner: ChatOwner, *, force: bool = False) -> bool:
        """Give the chat to an agent if the bot has it (or always, with ``force``)."""
        ...

    async def release(self, chat: str) -> None:
        """Give the chat back to the bot."""
        ...


class WorkloadStore(Protocol):
    """Figures for health checks and metrics, read in a few aggregate queries."""

    async def workload(self) -> Workload:
        """The inbox's backlog, open and assigned cases, and escalations so far."""
        ...


class ConversationState(Protocol):
    """Short-lived state shared by bot workers: chat owner, locks, counters, idempotency."""

    async def owner(self, chat: str) -> ChatOwner:
        """Who answers the chat now."""
        ...

    async def claim(self, chat: str, owner: ChatOwner, *, force: bool = False) -> bool:
        """Give the chat to an agent if the bot has it (or always, with ``force``)."""
        ...

    async def release(self, chat: str) -> None:
        """Give the chat back to the bot."""
        ...

    def lock(self, chat: str, *, wait: float = 10.0) -> AbstractAsyncContextManager[None]:
        """Serialise work on one chat across workers."""
        ...

    async def get(self, chat: str, key: str) -> str | None:
        """A value of the chat's conversation state, or None when absent or expired."""
        ...

    async def set(self, chat: str, key: str, value: str, *, ttl: float) -> None:
        """Store a value of the chat's conversation state for ``ttl`` seconds."""
        ...

    async def delete(self, chat: str, key: str) -> None:
        """Remove one value of the chat's conversation state."""
        ...

    async def hit(self, counter: str, *, window: float) -> int:
        """Count one event in a fixed window of ``window`` seconds; returns the count so far.
        In a customer's turn the event is its message: a repeated turn (crm_memory.source) is
        not counted again and gets the count its first run got."""
        ...

    async def first_time(self, key: str, *, ttl: float) -> bool:
        """True the first time ``key`` is seen within ``ttl`` seconds (idempotency keys). In a
        customer's turn, also for the first ask of a repeated turn whose earlier run set it."""
        ...

    async def forget_chat(self, chat: str) -> None:
        """Erase everything held about a chat."""
        ...

    async def publish(self, topic: str, data: str) -> None:
        """Tell every subscriber of ``topic``, in any worker (desk live updates)."""
        ...

    def subscribe(self, topic: str) -> AsyncIterator[str]:
        """What is published on ``topic`` from now on, until the iterator is closed."""
        ...

    async def ping(self) -> None:
        """Raise StoreUnavailable when the backing server cannot be reached."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


__all__ = [
    "AccountStore",
    "CaseStore",
    "ChatOwnerStore",
    "ConversationState",
    "CustomerStore",
    "DeskPostStore",
    "FeedbackStore",
    "InboxStore",
    "MessageStore",
    "ReportStore",
    "SurveyStore",
    "WorkloadStore",
]
