"""SQL stores: each Protocol of crm_memory.protocols implemented over one SqlDatabase."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    String,
    Table,
    bindparam,
    cast,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter

from crm_memory.errors import NotFound
from crm_memory.source import current_source
from crm_memory.sql import media as _media_sql
from crm_memory.sql._models import (
    AuditRow,
    Base,
    CaseEditRow,
    CaseNoteRow,
    CaseRow,
    ConversationRow,
    CustomerRow,
    DeskPostRow,
    FactRow,
    FeedbackRow,
    IdentityRow,
    InboxLeaseRow,
    InboxRow,
    MessageRow,
    SurveyRow,
    now,
)
from crm_memory.sql.leases import check_fence
from crm_memory.sql.merge import merge_customers
from crm_memory.types import (
    Activity,
    Annotation,
    Case,
    CaseKind,
    CaseNote,
    CaseStatus,
    ChannelIdentity,
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
    Sender,
    SurveyResponse,
)
from crm_memory.validation import check_name, check_text

if TYPE_CHECKING:
    from crm_memory.sql.database import SqlDatabase
    from crm_memory.sql.hot import HotStatements


def _customer(row: CustomerRow | Any) -> Customer:
    return Customer(
        id=row.id,
        display_name=row.display_name,
        language=row.language,
        tags=tuple(row.tags or ()),
        segment=row.segment,
        tier=row.tier,
        email=row.email,
        external_ref=row.external_ref,
        unreachable=row.unreachable,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        lifetime_value=row.lifetime_value,
        tier_source=row.tier_source or "rule",
        erased=row.erased_at is not None,
    )


def _message(row: MessageRow | Any) -> Message:
    return Message(
        id=row.id,
        customer_id=row.customer_id,
        conversation_id=row.conversation_id,
        direction=Direction(row.direction),
        sender=Sender(row.sender),
        text=row.text,
        channel=row.channel,
        created_at=row.created_at,
        intent=row.intent,
        confidence=row.confidence,
        external_id=row.external_id,
        agent=row.agent,
        sent_at=row.sent_at,
    )


def _case(row: CaseRow | Any) -> Case:
    return Case(
        number=row.number,
        customer_id=row.customer_id,
        kind=CaseKind(row.kind),
        status=CaseStatus(row.status),
        priority=Priority(row.priority),
        reason=row.reason,
        summary=row.summary,
        owner=row.owner,
        opened_at=row.opened_at,
        first_response_at=row.first_response_at,
        closed_at=row.closed_at,
        csat=row.csat,
        escalated_at=row.escalated_at,
        escalation_reason=row.escalation_reason,
        topic=row.topic,
    )


def _note(row: CaseNoteRow) -> CaseNote:
    return CaseNote(
        id=row.id,
        case_number=row.case_number,
        author=row.author,
        text=row.text,
        created_at=row.created_at,
    )


def _fact(row: FactRow | Any) -> Fact:
    return Fact(kind=row.kind, value=row.value, learned_at=row.learned_at)


def _feedback(row: FeedbackRow | Any) -> Feedback:
    return Feedback(
        id=row.id,
        customer_id=row.customer_id,
        text=row.text,
        sentiment=row.sentiment,
        topic=row.topic,
        created_at=row.created_at,
        acted_on_at=row.acted_on_at,
        action_note=row.action_note,
        notified_at=row.notified_at,
        kind=FeedbackKind(row.kind),
    )


def _survey(row: SurveyRow) -> SurveyResponse:
    return SurveyResponse(
        id=row.id,
        customer_id=row.customer_id,
        case_number=row.case_number,
        rating=row.rating,
        comment=row.comment,
        created_at=row.created_at,
    )


def _missing(customer_id: int) -> NotFound:
    return NotFound(f"no customer with id {customer_id}")


async def _customer_row(session: AsyncSession, customer_id: int) -> CustomerRow:
    row = await session.get(CustomerRow, customer_id)
    if row is None:
        raise _missing(customer_id)
    return row


async def _case_row(session: AsyncSession, number: int) -> CaseRow:
    row = await session.get(CaseRow, number)
    if row is None:
        raise NotFound(f"no case #{number}")
    return row


ERASED = "[erased]"
EXPIRED = "[expired]"
# The audit log's action whose detail holds what staff typed (a name, an e-mail address).
SEARCH = "search"
# Where a customer's words live: vacuumed (PostgreSQL) after an erasure or a purge.
_ERASED_TABLES = (
    "inbox",
    "customers",
    "channel_identities",
    "facts",
    "messages",
    "cases",
    "case_notes",
    "feedback",
    "survey_responses",
    "desk_posts",
    "audit_log",
    "media",
)
# Another look at the inbox, for each channel's newest update (retention keeps it).
_NEWEST = aliased(InboxRow)
# Shorter identifiers (a two-letter name) would match unrelated searches.
_SHORTEST_IDENTIFIER = 4


async def _opened(s: AsyncSession, message_id: int, kind: CaseKind, reason: str) -> CaseRow | None:
    """The case this message's turn opened of this kind for this reason, if it did."""
    return await s.scalar(
        select(CaseRow).where(
            CaseRow.source_message_id == message_id,
            CaseRow.kind == kind.value,
            CaseRow.reason == reason,
        )
    )


def _visible(rows: Iterable[Any]) -> list[Any]:
    """Case rows as the running turn may see them: a repeated turn does not see the cases
    its earlier run opened until it opens them again (crm_memory.source)."""
    source = current_source()
    if source is None:
        return list(rows)
    return [r for r in rows if not source.hides(r.number, r.source_message_id)]


async def _identifiers(s: AsyncSession, row: CustomerRow) -> set[str]:
    """What staff may have typed to find this customer: name, e-mail, ids, told facts."""
    found = {row.display_name, row.email or "", row.external_ref or ""}
    facts = await s.scalars(select(FactRow.value).where(FactRow.customer_id == row.id))
    ids = await s.scalars(select(IdentityRow.external_id).where(IdentityRow.customer_id == row.id))
    found.update(facts)
    found.update(ids)
    return {value.strip() for value in found if len(value.strip()) >= _SHORTEST_IDENTIFIER}


async def _drop_inbox_of(s: AsyncSession, customer_id: int) -> None:
    """The customer's updates in the inbox lose their words and who sent them. Those still
    waiting or parked are dropped unanswered (marked done, with ERASED as the reason): they
    asked to be forgotten, so nothing they wrote is recorded or answered after it."""
    identities = (
        await s.execute(
            select(IdentityRow.channel, IdentityRow.external_id).where(
                IdentityRow.customer_id == customer_id
            )
        )
    ).all()
    for channel, external_id in identities:
        theirs = (InboxRow.channel == channel, InboxRow.sender == external_id)
        await s.execute(
            update(InboxRow)
            .where(*theirs, InboxRow.processed_at.is_(None))
            .values(
                processed_at=now(),
                failed_at=None,
                payload="",
                sender=None,
                chat=None,
                error=ERASED,
            )
        )
        # Done ones keep their id (a redelivery is still recognised); a failed attempt's
        # reason may quote them; their chat (a private chat's id is theirs) goes too.
        await s.execute(
            update(InboxRow).where(*theirs).values(payload="", sender=None, chat=None, error=None)
        )
        await s.execute(
            delete(InboxLeaseRow).where(
                InboxLeaseRow.channel == channel, InboxLeaseRow.chat == external_id
            )
        )


async def _redact_searches(s: AsyncSession, needles: set[str], marker: str) -> None:
    """Replace the detail of audit entries for searches that named any of ``needles``."""
    if not needles:
        return
    detail = func.lower(AuditRow.detail)
    await s.execute(
        update(AuditRow)
        .where(
            AuditRow.action == SEARCH,
            or_(*(detail.contains(n.lower(), autoescape=True) for n in needles)),
        )
        .values(detail=marker)
    )


# The statements of every turn, built once: building a SQLAlchemy expression costs more than
# SQLite takes to run it (profiled), and plain rows cost less to read than ORM objects.
def _table(entity: type[Base]) -> Table:
    table = entity.__table__
    assert isinstance(table, Table)
    return table


_CID: BindParameter[int] = bindparam("cid")
_SINCE: BindParameter[datetime] = bindparam("since")
_CUSTOMERS = _table(CustomerRow)
_BY_IDENTITY = (
    select(*_CUSTOMERS.c)
    .join(IdentityRow, IdentityRow.customer_id == CustomerRow.id)
    .where(
        IdentityRow.channel == bindparam("channel"),
        IdentityRow.external_id == bindparam("external_id"),
    )
)
# A known customer's message: found by the identity and seen now in one statement.
_SEEN_BY_IDENTITY = (
    update(_CUSTOMERS)
    .where(
        CustomerRow.id
        == select(IdentityRow.customer_id)
        .where(
            IdentityRow.channel == bindparam("channel"),
            IdentityRow.external_id == bindparam("external_id"),
        )
        .scalar_subquery()
    )
    .values(last_seen_at=bindparam("at"))
    .returning(*_CUSTOMERS.c)
)
_CUSTOMER_KEYS = tuple(str(column.key) for column in _SEEN_BY_IDENTITY.exported_columns)
_CUSTOMER = select(*_CUSTOMERS.c).where(CustomerRow.id == _CID)
_CUSTOMER_EXISTS = select(CustomerRow.id).where(CustomerRow.id == _CID)
_SEEN = update(_CUSTOMERS).where(CustomerRow.id == _CID).values(last_seen_at=bindparam("at"))
_FACTS = (
    select(*_table(FactRow).c)
    .where(FactRow.customer_id == _CID)
    .order_by(FactRow.learned_at.desc(), FactRow.id.desc())
)
_FACT_MATCH = (
    FactRow.customer_id == _CID,
    FactRow.kind == bindparam("fact_kind"),
    FactRow.value == bindparam("fact_value"),
)
_REFRESH_FACT = update(_table(FactRow)).where(*_FACT_MATCH).values(learned_at=bindparam("at"))
_ADD_FACT = insert(_table(FactRow)).values(
    customer_id=_CID,
    kind=bindparam("fact_kind"),
    value=bindparam("fact_value"),
    learned_at=bindparam("at"),
)
_OPEN_CASES = (
    select(*_table(CaseRow).c)
    .where(CaseRow.customer_id == _CID, CaseRow.status != CaseStatus.CLOSED.value)
    .order_by(CaseRow.number.desc())
)
_LAST_CSAT = (
    select(SurveyRow.rating)
    .where(SurveyRow.customer_id == _CID)
    .order_by(SurveyRow.id.desc())
    .limit(1)
)
_CONTEXT_EXTRAS = (
    _LAST_CSAT.scalar_subquery(),
    exists().where(CaseRow.customer_id == _CID, CaseRow.status != CaseStatus.CLOSED.value),
    exists().where(
        FeedbackRow.customer_id == _CID,
        FeedbackRow.acted_on_at.is_not(None),
        FeedbackRow.notified_at.is_(None),
    ),
    exists().where(FactRow.customer_id == _CID),
)
_EXTRAS = select(*_CONTEXT_EXTRAS)
_ANNOTATE = (
    update(_table(MessageRow))
    .where(MessageRow.id == bindparam("message_id"))
    .values(intent=bindparam("new_intent"), confidence=bindparam("new_confidence"))
)


async def _annotate(s: AsyncConnection, message_id: int, intent: str, confidence: float) -> None:
    params = {"message_id": message_id, "new_intent": intent, "new_confidence": confidence}
    await s.execute(_ANNOTATE, params)


_BY_EXTERNAL = select(*_table(MessageRow).c).where(
    MessageRow.channel == bindparam("channel"),
    MessageRow.direction == bindparam("direction"),
    MessageRow.external_id == bindparam("external_id"),
)
_AGENT_WROTE = (
    update(_table(ConversationRow))
    .where(ConversationRow.id == bindparam("conversation_id"))
    .values(agent_wrote=True)
)
# A new conversation (at most one a conversation gap): through SQLAlchemy, for its defaults.
# Touching the current one and inserting the message: crm_memory.sql.hot, on the driver.
_NEW_CONVERSATION = insert(_table(ConversationRow)).returning(ConversationRow.id)


def _identity(identity: ChannelIdentity) -> dict[str, str]:
    return {"channel": identity.channel, "external_id": identity.external_id}


_COMPLAINTS = (CaseRow.customer_id == _CID, CaseRow.kind == CaseKind.COMPLAINT.value)
_CONVERSATIONS = select(func.count()).where(ConversationRow.customer_id == _CID)
_ACTIVITY = select(
    CustomerRow.created_at,
    CustomerRow.last_seen_at,
    _CONVERSATIONS.scalar_subquery(),
    _CONVERSATIONS.where(ConversationRow.started_at >= _SINCE).scalar_subquery(),
    select(func.count())
    .where(*_COMPLAINTS, CaseRow.status != CaseStatus.CLOSED.value)
    .scalar_subquery(),
    select(func.count()).where(*_COMPLAINTS, CaseRow.opened_at >= _SINCE).scalar_subquery(),
    select(func.count())
    .where(SurveyRow.customer_id == _CID, SurveyRow.rating <= 2, SurveyRow.created_at >= _SINCE)
    .scalar_subquery(),
    select(func.count())
    .where(
        FeedbackRow.customer_id == _CID,
        FeedbackRow.sentiment < 0,
        FeedbackRow.created_at >= _SINCE,
    )
    .scalar_subquery(),
    # Not activity: the turn's context asks for them too, and a round trip fewer each.
    *_CONTEXT_EXTRAS,
).where(CustomerRow.id == _CID)


@dataclass(frozen=True, slots=True)
class _Extras:
    """What the turn's context reads with the activity counts (or alone): the last CSAT
    rating, and whether there are open cases, news or facts to read (none, in many turns:
    their SELECTs are skipped)."""

    last_csat: int | None
    open_cases: bool
    news: bool
    facts: bool


def _extras(row: Any, start: int) -> _Extras:
    return _Extras(row[start], bool(row[start + 1]), bool(row[start + 2]), bool(row[start + 3]))


async def _activity(
    hot: HotStatements, s: AsyncConnection, customer_id: int, since: datetime
) -> tuple[Activity, _Extras]:
    """One round trip: every count is a scalar subquery of one SELECT; and the context's
    extras. On the driver (``hot``): read every turn."""
    row = await hot.first(s, _ACTIVITY, {"cid": customer_id, "since": since})
    if row is None:
        raise _missing(customer_id)
    return Activity(
        customer_id=customer_id,
        first_seen=row[0],
        last_seen=row[1],
        conversations=int(row[2]),
        recent_conversations=int(row[3]),
        open_complaints=int(row[4]),
        recent_complaints=int(row[5]),
        recent_low_ratings=int(row[6]),
        recent_negative_feedback=int(row[7]),
    ), _extras(row, 8)


async def _remember(
    s: AsyncConnection | AsyncSession, customer_id: int, kind: str, value: str
) -> Fact:
    """Add a fact, or refresh when it was learned if it is known."""
    at = now()
    params = {"cid": customer_id, "fact_kind": kind, "fact_value": value, "at": at}
    refreshed = await s.execute(_REFRESH_FACT, params)
    if refreshed.rowcount == 0:  # type: ignore[attr-defined]
        await s.execute(_ADD_FACT, params)
    return Fact(kind=kind, value=value, learned_at=at)


_NEWS = (
    select(*_table(FeedbackRow).c)
    .where(
        FeedbackRow.customer_id == _CID,
        FeedbackRow.acted_on_at.is_not(None),
        FeedbackRow.notified_at.is_(None),
    )
    .order_by(FeedbackRow.id)
)
"""Feedback acted on but not yet reported back to the customer."""


class SqlCustomerStore:
    """Customers, identities and facts in SQL."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    async def get_or_create(
        self, identity: ChannelIdentity, *, display_name: str, language: str | None = None
    ) -> tuple[Customer, bool]:
        async with self._db.connection() as c:
            found = (await c.execute(_BY_IDENTITY, _identity(identity))).one_or_none()
            if found is not None:
                return _customer(found), False
        async with self._db.session() as s:
            row = CustomerRow(display_name=display_name, language=language, tags=[])
            s.add(row)
            await s.flush()
            s.add(
                IdentityRow(
                    customer_id=row.id,
                    channel=identity.channel,
                    external_id=identity.external_id,
                )
            )
            try:
                await s.commit()
            except IntegrityError:
                # Another worker created the same identity first: use theirs.
                await s.rollback()
                found = (await s.execute(_BY_IDENTITY, _identity(identity))).one_or_none()
                if found is None:
                    raise
                return _customer(found), False
            return _customer(row), True

    async def find(self, identity: ChannelIdentity) -> Customer | None:
        async with self._db.connection() as s:
            found = (await s.execute(_BY_IDENTITY, _identity(identity))).one_or_none()
            return _customer(found) if found is not None else None

    async def get(self, customer_id: int) -> Customer:
        async with self._db.session() as s:
            return _customer(await _customer_row(s, customer_id))

    async def identities(self, customer_id: int) -> list[ChannelIdentity]:
        async with self._db.session() as s:
            rows = await s.scalars(
                select(IdentityRow)
                .where(IdentityRow.customer_id == customer_id)
                .order_by(IdentityRow.id)
            )
            return [ChannelIdentity(r.channel, r.external_id) for r in rows]

    async def link_identity(self, customer_id: int, identity: ChannelIdentity) -> None:
        async with self._db.session() as s:
            await _customer_row(s, customer_id)
            s.add(
                IdentityRow(
                    customer_id=customer_id,
                    channel=identity.channel,
                    external_id=identity.external_id,
                )
            )
            await s.commit()

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
        async with self._db.session() as s:
            row = await _customer_row(s, customer_id)
            if display_name is not None:
                row.display_name = display_name
            if language is not None:
                row.language = language
            if tags is not None:
                row.tags = list(tags)
            if segment is not None:
                row.segment = segment
                row.segment_at = now()
            if tier is not None:
                row.tier = tier
                row.tier_source = tier_source
            if email is not None:
                row.email = email
            if unreachable is not None:
                row.unreachable = unreachable
            if external_ref is not None:
                row.external_ref = external_ref
            if lifetime_value is not None:
                row.lifetime_value = lifetime_value
            await s.commit()
            return _customer(row)

    async def create(
        self, *, display_name: str, identity: ChannelIdentity | None = None
    ) -> Customer:
        async with self._db.session() as s:
            row = CustomerRow(display_name=display_name, tags=[])
            s.add(row)
            await s.flush()
            if identity is not None:
                s.add(
                    IdentityRow(
                        customer_id=row.id,
                        channel=identity.channel,
                        external_id=identity.external_id,
                    )
                )
            await s.commit()
            return _customer(row)

    async def merge(self, source_id: int, into_id: int, *, identities: bool = True) -> bool:
        async with self._db.session() as s:
            merged = await merge_customers(s, source_id, into_id, identities=identities)
            if merged:
                await s.commit()
            return merged

    async def find_by(
        self, *, email: str | None = None, external_ref: str | None = None
    ) -> Customer | None:
        if external_ref:
            where = CustomerRow.external_ref == external_ref
        elif email:
            where = func.lower(CustomerRow.email) == email.lower()
        else:
            return None
        async with self._db.session() as s:
            row = await s.scalar(
                select(CustomerRow)
                .where(where, CustomerRow.erased_at.is_(None))
                .order_by(CustomerRow.id)
                .limit(1)
            )
            return _customer(row) if row is not None else None

    async def search(
        self, *, text: str = "", tag: str = "", limit: int = 50, offset: int = 0
    ) -> list[Customer]:
        query = select(CustomerRow).where(CustomerRow.erased_at.is_(None))
        if text.strip():
            needle = text.strip().lower()

            def has(column: Any) -> Any:
                # What was typed is text, never a pattern: % and _ match themselves.
                return func.lower(column).contains(needle, autoescape=True)

            identity = (
                select(IdentityRow.customer_id)
                .where(has(IdentityRow.channel + ":" + IdentityRow.external_id))
                .scalar_subquery()
            )
            told = (  # e-mail addresses, phones and order numbers they told the bot
                select(FactRow.customer_id).where(has(FactRow.value)).scalar_subquery()
            )
            query = query.where(
                or_(
                    has(CustomerRow.display_name),
                    has(CustomerRow.email),
                    has(CustomerRow.external_ref),
                    CustomerRow.id.in_(identity),
                    CustomerRow.id.in_(told),
                )
            )
        if tag.strip():
            # Tags are a JSON list: match the tag as JSON writes it, quotes and all, in the
            # list's text on every backend (escaped, so a tag with % or _ is only itself).
            quoted = json.dumps(tag.strip().lower())
            query = query.where(cast(CustomerRow.tags, String).contains(quoted, autoescape=True))
        async with self._db.session() as s:
            rows = await s.scalars(query.order_by(CustomerRow.id).limit(limit).offset(offset))
            return [_customer(r) for r in rows]

    async def all_customers(self) -> list[Customer]:
        async with self._db.session() as s:
            rows = await s.scalars(
                select(CustomerRow).where(CustomerRow.erased_at.is_(None)).order_by(CustomerRow.id)
            )
            return [_customer(r) for r in rows]

    async def activity(self, customer_id: int, *, since: datetime) -> Activity:
        async with self._db.connection() as s:
            activity, _ = await _activity(self._db.hot, s, customer_id, since)
            return activity

    async def activities(self, *, since: datetime) -> dict[int, Activity]:
        complaint = CaseRow.kind == CaseKind.COMPLAINT.value
        counts: dict[str, dict[int, int]] = {}
        grouped = {
            "conversations": select(ConversationRow.customer_id, func.count()).group_by(
                ConversationRow.customer_id
            ),
            "recent_conversations": select(ConversationRow.customer_id, func.count())
            .where(ConversationRow.started_at >= since)
            .group_by(ConversationRow.customer_id),
            "open_complaints": select(CaseRow.customer_id, func.count())
            .where(complaint, CaseRow.status != CaseStatus.CLOSED.value)
            .group_by(CaseRow.customer_id),
            "recent_complaints": select(CaseRow.customer_id, func.count())
            .where(complaint, CaseRow.opened_at >= since)
            .group_by(CaseRow.customer_id),
            "recent_low_ratings": select(SurveyRow.customer_id, func.count())
            .where(SurveyRow.rating <= 2, SurveyRow.created_at >= since)
            .group_by(SurveyRow.customer_id),
            "recent_negative_feedback": select(FeedbackRow.customer_id, func.count())
            .where(FeedbackRow.sentiment < 0, FeedbackRow.created_at >= since)
            .group_by(FeedbackRow.customer_id),
        }
        async with self._db.session() as s:
            for name, query in grouped.items():
                counts[name] = {int(k): int(v) for k, v in (await s.execute(query)).all()}
            seen = (
                await s.execute(
                    select(CustomerRow.id, CustomerRow.created_at, CustomerRow.last_seen_at).where(
                        CustomerRow.erased_at.is_(None)
                    )
                )
            ).all()
        return {
            cid: Activity(
                customer_id=cid,
                first_seen=first,
                last_seen=last,
                **{name: counts[name].get(cid, 0) for name in grouped},
            )
            for cid, first, last in seen
        }

    async def remember(self, customer_id: int, kind: str, value: str) -> Fact:
        async with self._db.session() as s:
            await _customer_row(s, customer_id)
            fact = await _remember(s, customer_id, kind, value)
            await s.commit()
            return fact

    async def facts(self, customer_id: int) -> list[Fact]:
        async with self._db.session() as s:
            return [_fact(r) for r in await s.execute(_FACTS, {"cid": customer_id})]

    async def forget(self, customer_id: int) -> bool:
        # What identifies the customer or was written by them goes; an anonymous row and the
        # shape of their history (times, intents, case status, ratings) stay for the reports.
        async with self._db.session() as s:
            row = await s.get(CustomerRow, customer_id)
            if row is None or row.erased_at is not None:
                return False
            await _redact_searches(s, await _identifiers(s, row), ERASED)
            row.display_name = ERASED
            row.email = row.external_ref = row.language = row.lifetime_value = None
            row.tags = []
            row.erased_at = now()
            await _drop_inbox_of(s, customer_id)
            for table in (IdentityRow, FactRow, DeskPostRow):
                await s.execute(delete(table).where(table.customer_id == customer_id))
            await s.execute(
                update(MessageRow)
                .where(MessageRow.customer_id == customer_id)
                .values(text=ERASED, external_id=None)
            )
            await s.execute(
                update(CaseRow)
                .where(CaseRow.customer_id == customer_id)
                .values(reason=ERASED, summary="")
            )
            # Staff's notes on their cases speak of them (an address, what was promised).
            await s.execute(
                update(CaseNoteRow)
                .where(
                    CaseNoteRow.case_number.in_(
                        select(CaseRow.number).where(CaseRow.customer_id == customer_id)
                    )
                )
                .values(text=ERASED)
            )
            await s.execute(
                update(FeedbackRow)
                .where(FeedbackRow.customer_id == customer_id)
                .values(text=ERASED, action_note=None)
            )
            # Nothing is left to tell them about what changed.
            await s.execute(
                update(FeedbackRow)
                .where(FeedbackRow.customer_id == customer_id, FeedbackRow.notified_at.is_(None))
                .values(notified_at=now())
            )
            await s.execute(
                update(SurveyRow).where(SurveyRow.customer_id == customer_id).values(comment=None)
            )
            # Photos, files and voice notes: file ids, names and captions forgotten.
            await s.execute(_media_sql.forget_customer(customer_id))
            await s.commit()
        await self._db.scrub(*_ERASED_TABLES)
        # The update that asked for this (and any of theirs waiting with it) still holds
        # their name in the inbox until it is marked done: scrub again then.
        self._db.scrub_after_inbox = True
        return True

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
        # One session and at most one commit for everything a turn needs before answering.
        # Its statements on the driver (``hot``), compiled once.
        params = {"cid": customer_id}
        hot = self._db.hot
        async with self._db.connection() as s:
            if customer is None:
                found = await hot.rows(s, _CUSTOMER, params)
                if not found:
                    raise _missing(customer_id)
                customer = _customer(found[0])
            if activity_since is not None:
                activity, extras = await _activity(hot, s, customer_id, activity_since)
            else:
                row = await hot.first(s, _EXTRAS, params)
                assert row is not None  # a SELECT of four values without FROM: one row
                activity, extras = None, _extras(row, 0)
            known = [_fact(f) for f in await hot.rows(s, _FACTS, params)] if extras.facts else []
            if annotate is not None:
                await _annotate(s, annotate.message_id, annotate.intent, annotate.confidence)
            told = dict.fromkeys(facts)
            at = now()
            old = {(f.kind, f.value) for f in known}
            wrote = annotate is not None
            again: list[tuple[str, str]] = []
            new: list[tuple[str, str]] = []
            for kind, value in told:
                if defer_facts:
                    # Left for the turn's closing write: no commit of their own.
                    (again if (kind, value) in old else new).append((kind, value))
                    continue
                fact_params = {"cid": customer_id, "fact_kind": kind, "fact_value": value, "at": at}
                # Known facts were read above: a new one is one INSERT, a known one an UPDATE.
                fact = _REFRESH_FACT if (kind, value) in old else _ADD_FACT
                await s.execute(fact, fact_params)
                wrote = True
            if wrote:
                await s.commit()
            if told:
                # As they stand once written: told in this message, so learned now.
                fresh = [Fact(kind=k, value=v, learned_at=at) for k, v in reversed(told)]
                known = fresh + [f for f in known if (f.kind, f.value) not in told]
            cases = await hot.rows(s, _OPEN_CASES, params) if extras.open_cases else ()
            messages = await self._db.hot.recent_messages(
                s, customer_id=customer_id, limit=recent
            )
            news = (
                tuple(_feedback(f) for f in await hot.rows(s, _NEWS, params)) if extras.news else ()
            )
            return CustomerContext(
                customer=customer,
                facts=tuple(known),
                open_cases=tuple(_case(c) for c in _visible(cases)),
                recent=tuple(reversed(messages)),
                last_csat=extras.last_csat,
                activity=activity,
                news=news,
                told_again=tuple(again),
                told_new=tuple(new),
            )


class SqlMessageStore:
    """Messages and conversations in SQL."""

    def __init__(self, db: SqlDatabase, *, conversation_gap: timedelta) -> None:
        self._db = db
        self._gap = conversation_gap

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
        async with self._db.connection() as s:
            return await self._record_on(
                s,
                customer_id=customer_id,
                channel=channel,
                direction=direction,
                sender=sender,
                text=text,
                external_id=external_id,
                agent=agent,
                intent=intent,
                confidence=confidence,
            )

    async def record_inbound(
        self,
        identity: ChannelIdentity,
        *,
        display_name: str,
        language: str | None,
        text: str,
        external_id: str | None = None,
    ) -> tuple[Customer, bool, Message, bool]:
        """A customer's message: who wrote it (created if new: the first flag) and the
        message stored (the second flag False when its external id was seen). A known
        customer is looked up on the connection that records the message, in its
        transaction: one check-out fewer a message than ``get_or_create`` then ``record``,
        and the look-up is the ``UPDATE`` that marks them seen (the profile returned is
        seen as of this message)."""
        at = now()
        async with self._db.connection() as s:
            found = await self._db.hot.first(
                s, _SEEN_BY_IDENTITY, {**_identity(identity), "at": at}
            )
            if found is not None:
                values = dict(zip(_CUSTOMER_KEYS, found, strict=True))
                customer = _customer(SimpleNamespace(**values))
                stored, fresh = await self._record_on(
                    s,
                    customer_id=customer.id,
                    channel=identity.channel,
                    direction=Direction.IN,
                    sender=Sender.CUSTOMER,
                    text=text,
                    external_id=external_id,
                    seen_at=at,
                )
                return customer, False, stored, fresh
        customer, created = await self._db.customers.get_or_create(
            identity, display_name=display_name, language=language
        )
        stored, fresh = await self.record(
            customer_id=customer.id,
            channel=identity.channel,
            direction=Direction.IN,
            sender=Sender.CUSTOMER,
            text=text,
            external_id=external_id,
        )
        return customer, created, stored, fresh

    async def _record_on(
        self,
        s: AsyncConnection,
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
        seen_at: datetime | None = None,
    ) -> tuple[Message, bool]:
        """``seen_at``: the customer was marked seen at that time on ``s`` already."""
        # No look-up of the external id first: a redelivery fails the INSERT on the unique
        # key (everything before it rolled back) and finds the stored one then.
        at = seen_at or now()
        if seen_at is not None:
            known = True
        elif direction is Direction.IN:
            seen = await s.execute(_SEEN, {"cid": customer_id, "at": at})
            known = seen.rowcount > 0
        else:
            known = await s.scalar(_CUSTOMER_EXISTS, {"cid": customer_id}) is not None
        if not known:
            raise _missing(customer_id)
        conversation_id = await self._db.hot.touch_conversation(
            s, customer_id=customer_id, after=at - self._gap, at=at
        )
        if conversation_id is None:
            conversation_id = await s.scalar(
                _NEW_CONVERSATION,
                {
                    "customer_id": customer_id,
                    "channel": channel,
                    "started_at": at,
                    "last_message_at": at,
                },
            )
        if sender is Sender.AGENT:
            await s.execute(_AGENT_WROTE, {"conversation_id": conversation_id})
        values = {
            "customer_id": customer_id,
            "conversation_id": conversation_id,
            "direction": direction.value,
            "sender": sender.value,
            "agent": agent,
            "channel": channel,
            "external_id": external_id,
            "text": text,
            "intent": intent,
            "confidence": confidence,
            "created_at": at,
        }
        try:
            message_id = await self._db.hot.insert_message(s, values)
            await s.commit()
        except IntegrityError:
            # The same update arrived twice at once: keep the one stored first.
            await s.rollback()
            if external_id is None:
                raise
            existing = await self._by_external(s, channel, direction, external_id)
            if existing is None:
                raise
            return existing, False
        return _message(SimpleNamespace(id=message_id, sent_at=None, **values)), True

    @staticmethod
    async def _by_external(
        s: AsyncConnection, channel: str, direction: Direction, external_id: str
    ) -> Message | None:
        found = (
            await s.execute(
                _BY_EXTERNAL,
                {"channel": channel, "direction": direction.value, "external_id": external_id},
            )
        ).one_or_none()
        return _message(found) if found is not None else None

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
        told = list(dict.fromkeys(facts))
        new = [(k, v) for k, v in dict.fromkeys(new_facts) if (k, v) not in told]
        if not (texts or annotate or told or new or notified):
            return []
        at = now()
        rows = [
            {
                "customer_id": customer_id,
                "conversation_id": conversation_id,
                "direction": Direction.OUT.value,
                "sender": Sender.BOT.value,
                "agent": None,
                "channel": channel,
                "external_id": None,
                "text": text,
                "intent": None,
                "confidence": None,
                "created_at": at,
            }
            for text in texts
        ]
        hot = self._db.hot
        async with self._db.connection() as s:
            try:
                if annotate is not None:
                    await hot.annotate(
                        s,
                        message_id=annotate.message_id,
                        intent=annotate.intent,
                        confidence=annotate.confidence,
                    )
                for kind, value in told:
                    # Told again (the caller read them as known): refreshed, or added if
                    # erased meanwhile.
                    fact = {"cid": customer_id, "fact_kind": kind, "fact_value": value, "at": at}
                    if await hot.write(s, _REFRESH_FACT, fact) == 0:
                        await hot.write(s, _ADD_FACT, fact)
                await hot.add_facts(s, customer_id=customer_id, facts=new, at=at)
                if notified:
                    await s.execute(
                        update(FeedbackRow)
                        .where(FeedbackRow.id.in_(notified), FeedbackRow.notified_at.is_(None))
                        .values(notified_at=at)
                    )
                ids: list[int] = []
                if rows:
                    # The conversation is not touched again: the message these replies
                    # answer touched it when it was recorded, at the start of this turn.
                    ids = await hot.insert_messages(s, rows)
                # The turn's closing write: kept only while this worker holds the chat.
                await check_fence(s)
                await s.commit()
            except IntegrityError as exc:
                # A foreign key: the customer (or the conversation) is not there.
                await s.rollback()
                raise _missing(customer_id) from exc
        return [
            _message(SimpleNamespace(id=message_id, sent_at=None, **row))
            for message_id, row in zip(ids, rows, strict=True)
        ]

    async def annotate(self, message_id: int, *, intent: str, confidence: float) -> None:
        async with self._db.connection() as s:
            await _annotate(s, message_id, intent, confidence)
            await s.commit()

    async def answered_after(self, message: Message) -> bool:
        async with self._db.connection() as s:
            later = await s.scalar(
                select(MessageRow.id)
                .where(
                    MessageRow.customer_id == message.customer_id,
                    MessageRow.id > message.id,
                    MessageRow.direction == Direction.OUT.value,
                )
                .limit(1)
            )
            return later is not None

    async def mark_sent(self, message_id: int, *, external_id: str | None = None) -> None:
        async with self._db.connection() as s:
            await self._db.hot.mark_sent(
                s, message_id=message_id, at=now(), external_id=external_id
            )
            await s.commit()

    async def mark_sent_many(self, sent: Sequence[tuple[int, str | None]]) -> None:
        if not sent:
            return
        async with self._db.connection() as s:
            await self._db.hot.mark_sent_many(s, sent=sent, at=now())
            await s.commit()

    async def unsent(self, *, older_than: datetime | None = None) -> list[Message]:
        query = select(MessageRow).where(
            MessageRow.direction == Direction.OUT.value, MessageRow.sent_at.is_(None)
        )
        if older_than is not None:
            query = query.where(MessageRow.created_at < older_than)
        async with self._db.session() as s:
            return [_message(r) for r in await s.scalars(query.order_by(MessageRow.id))]

    async def history(
        self,
        customer_id: int,
        *,
        limit: int = 50,
        before: int | None = None,
        channel: str | None = None,
        after: int | None = None,
    ) -> list[Message]:
        query = select(MessageRow).where(MessageRow.customer_id == customer_id)
        if before is not None:
            query = query.where(MessageRow.id < before)
        if after is not None:
            query = query.where(MessageRow.id > after)
        if channel is not None:
            query = query.where(MessageRow.channel == channel)
        async with self._db.session() as s:
            rows = await s.scalars(query.order_by(MessageRow.id.desc()).limit(limit))
            return list(reversed([_message(r) for r in rows]))

    async def all_for(self, customer_id: int) -> list[Message]:
        async with self._db.session() as s:
            rows = await s.scalars(
                select(MessageRow)
                .where(MessageRow.customer_id == customer_id)
                .order_by(MessageRow.id)
            )
            return [_message(r) for r in rows]

    async def purge_texts(self, *, older_than: datetime) -> int:
        expire_messages = (
            update(MessageRow)
            .where(MessageRow.created_at < older_than, MessageRow.text != EXPIRED)
            .values(text=EXPIRED)
        )
        others = (
            update(FeedbackRow)
            .where(FeedbackRow.created_at < older_than, FeedbackRow.text != EXPIRED)
            .values(text=EXPIRED),
            update(FeedbackRow)
            .where(FeedbackRow.created_at < older_than, FeedbackRow.action_note.is_not(None))
            .values(action_note=None),
            update(SurveyRow)
            .where(SurveyRow.created_at < older_than, SurveyRow.comment.is_not(None))
            .values(comment=None),
            # A complaint's reason is the start of the customer's own sentence.
            update(CaseRow)
            .where(
                CaseRow.opened_at < older_than,
                or_(CaseRow.summary != "", CaseRow.reason != EXPIRED),
            )
            .values(summary="", reason=EXPIRED),
            update(CaseNoteRow)
            .where(CaseNoteRow.created_at < older_than, CaseNoteRow.text != EXPIRED)
            .values(text=EXPIRED),
            # Attachments: file ids (which fetch the file), names and captions.
            _media_sql.forget_older_than(older_than),
            # Facts are words the customer said (e-mail, phone, order); seeing one again
            # refreshes when it was learned, so only those not heard of since go.
            delete(FactRow).where(FactRow.learned_at < older_than),
            # Staff's searches name customers (an e-mail address, a phone number).
            update(AuditRow)
            .where(AuditRow.at < older_than, AuditRow.action == SEARCH, AuditRow.detail != EXPIRED)
            .values(detail=EXPIRED),
            # The inbox: updates never answered (parked, or waiting since before the limit)
            # are given up with their words; done ones go, but for each channel's newest,
            # which polling resumes after.
            delete(InboxRow).where(
                InboxRow.received_at < older_than,
                InboxRow.processed_at.is_not(None),
                InboxRow.update_id
                < select(func.max(_NEWEST.update_id))
                .where(_NEWEST.channel == InboxRow.channel)
                .scalar_subquery(),
            ),
            update(InboxRow)
            .where(InboxRow.received_at < older_than, InboxRow.processed_at.is_(None))
            .values(processed_at=now(), failed_at=None, payload="", sender=None, error=EXPIRED),
            update(InboxRow)
            .where(
                InboxRow.received_at < older_than,
                or_(
                    InboxRow.payload != "",
                    InboxRow.sender.is_not(None),
                    InboxRow.error != EXPIRED,
                ),
            )
            .values(payload="", sender=None, error=None),
        )
        async with self._db.session() as s:
            messages = int((await s.execute(expire_messages)).rowcount)  # type: ignore[attr-defined]
            changed = messages
            for statement in others:
                changed += int((await s.execute(statement)).rowcount)  # type: ignore[attr-defined]
            await s.commit()
        if changed:  # run hourly: vacuuming when nothing changed would only cost
            await self._db.scrub(*_ERASED_TABLES)
        return messages

    async def count(self, customer_id: int) -> int:
        async with self._db.session() as s:
            query = select(func.count()).where(MessageRow.customer_id == customer_id)
            return int(await s.scalar(query) or 0)


class SqlCaseStore:
    """Cases in SQL; a case's number is its primary key."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

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
        source = current_source()
        async with self._db.session() as s:
            await _customer_row(s, customer_id)
            # No look-up first (a statement on every case opened): a case an earlier run of
            # this turn opened fails the INSERT on its unique key, and is found then.
            row = CaseRow(
                customer_id=customer_id,
                kind=kind.value,
                status=CaseStatus.OPEN.value,
                priority=priority.value,
                reason=reason,
                summary=summary,
                opened_at=now(),
                topic=topic,
                source_message_id=source.message_id if source is not None else None,
            )
            s.add(row)
            try:
                await s.commit()
            except IntegrityError:
                # Opened by an earlier run of this turn (or another worker's, which lost the
                # chat meanwhile): the same case, not a second one.
                await s.rollback()
                found = await _opened(s, source.message_id, kind, reason) if source else None
                if found is None:
                    raise
                row = found
            if source is not None:
                source.opened.add(row.number)
            return _case(row)

    async def get(self, number: int) -> Case:
        async with self._db.session() as s:
            return _case(await _case_row(s, number))

    async def for_customer(self, customer_id: int, *, open_only: bool = False) -> list[Case]:
        query = select(CaseRow).where(CaseRow.customer_id == customer_id)
        if open_only:
            query = query.where(CaseRow.status != CaseStatus.CLOSED.value)
        async with self._db.session() as s:
            rows = await s.scalars(query.order_by(CaseRow.number.desc()))
            return [_case(r) for r in _visible(rows)]

    async def all(
        self,
        *,
        status: CaseStatus | None = None,
        limit: int = 200,
        priority: Priority | None = None,
        owner: str | None = None,
        offset: int = 0,
    ) -> list[Case]:
        query = select(CaseRow)
        if status is not None:
            query = query.where(CaseRow.status == status.value)
        if priority is not None:
            query = query.where(CaseRow.priority == priority.value)
        if owner is not None:
            query = query.where(CaseRow.owner == owner)
        async with self._db.session() as s:
            rows = await s.scalars(
                query.order_by(CaseRow.number.desc()).limit(limit).offset(offset)
            )
            return [_case(r) for r in rows]

    async def update(
        self,
        number: int,
        *,
        priority: Priority | None = None,
        summary: str | None = None,
        reason: str | None = None,
    ) -> Case:
        source = current_source()
        async with self._db.session() as s:
            row = await _case_row(s, number)
            if source is not None and summary is not None:
                # A customer's turn changes the summary (adds a line): the n-th change this
                # message makes to this case is made once, however often its turn runs.
                edit = (number, source.message_id, source.next("edit", number))
                if await s.get(CaseEditRow, edit) is not None:
                    return _case(row)
                s.add(CaseEditRow(case_number=edit[0], source_message_id=edit[1], seq=edit[2]))
            if priority is not None:
                row.priority = priority.value
            if summary is not None:
                row.summary = summary
            if reason is not None:
                row.reason = reason
            try:
                await s.commit()
            except IntegrityError:
                # Another run of this turn made this change meanwhile: it stands as made.
                await s.rollback()
                if source is None or summary is None:
                    raise
                row = await _case_row(s, number)
            return _case(row)

    async def escalate(self, number: int, reason: str) -> tuple[Case, bool]:
        source = current_source()
        # The first hand-over of this case in this run of the turn: when an earlier run of
        # it handed the case over, this run does again what follows (the agents' card is
        # posted once: see DeskPostStore.already_posted).
        first = source is not None and source.next("escalate", number) == 1
        async with self._db.session() as s:
            row = await _case_row(s, number)
            if row.escalated_at is not None:
                again = first and source is not None and row.escalated_by == source.message_id
                return _case(row), again
            row.escalated_at = now()
            row.escalation_reason = reason
            row.escalated_by = source.message_id if source is not None else None
            # The customer's current conversation was handed to people: not contained.
            current = (
                select(ConversationRow.id)
                .where(ConversationRow.customer_id == row.customer_id)
                .order_by(ConversationRow.last_message_at.desc())
                .limit(1)
                .scalar_subquery()
            )
            await s.execute(
                update(ConversationRow).where(ConversationRow.id == current).values(escalated=True)
            )
            await s.commit()
            return _case(row), True

    async def assign(self, number: int, owner: str) -> Case:
        async with self._db.session() as s:
            row = await _case_row(s, number)
            row.owner = owner
            if row.status != CaseStatus.CLOSED.value:
                row.status = CaseStatus.ASSIGNED.value
            await s.commit()
            return _case(row)

    async def requeue(self, number: int) -> Case:
        async with self._db.session() as s:
            row = await _case_row(s, number)
            if row.status != CaseStatus.CLOSED.value:
                row.owner = None
                row.status = CaseStatus.OPEN.value
                # The team's first-reply target counts from this hand-over, not the first one.
                row.escalated_at = now()
                await s.commit()
            return _case(row)

    async def record_response(self, number: int) -> Case:
        async with self._db.session() as s:
            row = await _case_row(s, number)
            if row.first_response_at is None:
                row.first_response_at = now()
                await s.commit()
            return _case(row)

    async def close(self, number: int) -> Case:
        async with self._db.session() as s:
            row = await _case_row(s, number)
            if row.status != CaseStatus.CLOSED.value:
                row.status = CaseStatus.CLOSED.value
                row.closed_at = now()
                await s.commit()
            return _case(row)

    async def reopen(self, number: int) -> Case:
        async with self._db.session() as s:
            row = await _case_row(s, number)
            if row.status == CaseStatus.CLOSED.value:
                owned = CaseStatus.ASSIGNED if row.owner else CaseStatus.OPEN
                row.status = owned.value
                row.closed_at = None
                await s.commit()
            return _case(row)

    async def add_note(self, number: int, *, author: str, text: str) -> CaseNote:
        text = check_text(text, max_length=4096)
        author = check_name(author, field="author")
        async with self._db.session() as s:
            await _case_row(s, number)
            row = CaseNoteRow(case_number=number, author=author, text=text, created_at=now())
            s.add(row)
            await s.commit()
            return _note(row)

    async def notes(self, number: int) -> list[CaseNote]:
        async with self._db.session() as s:
            rows = await s.scalars(
                select(CaseNoteRow)
                .where(CaseNoteRow.case_number == number)
                .order_by(CaseNoteRow.id)
            )
            return [_note(r) for r in rows]

    async def notes_for_customer(self, customer_id: int) -> list[CaseNote]:
        async with self._db.session() as s:
            rows = await s.scalars(
                select(CaseNoteRow)
                .join(CaseRow, CaseRow.number == CaseNoteRow.case_number)
                .where(CaseRow.customer_id == customer_id)
                .order_by(CaseNoteRow.id)
            )
            return [_note(r) for r in rows]


class SqlFeedbackStore:
    """Feedback in SQL."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    async def add(
        self,
        *,
        customer_id: int,
        text: str,
        sentiment: float,
        topic: str | None = None,
        kind: FeedbackKind | None = None,
    ) -> Feedback:
        if kind is None:
            kind = FeedbackKind.PRAISE if sentiment > 0 else FeedbackKind.CRITICISM
        source = current_source()
        by_source = (
            select(FeedbackRow).where(FeedbackRow.source_message_id == source.message_id)
            if source is not None
            else None
        )
        async with self._db.session() as s:
            await _customer_row(s, customer_id)
            if by_source is not None and (found := await s.scalar(by_source)) is not None:
                return _feedback(found)  # said in this message: kept by an earlier run
            row = FeedbackRow(
                customer_id=customer_id,
                text=text,
                sentiment=sentiment,
                topic=topic,
                kind=kind.value,
                created_at=now(),
                source_message_id=source.message_id if source is not None else None,
            )
            s.add(row)
            try:
                await s.commit()
            except IntegrityError:
                await s.rollback()
                if by_source is None or (found := await s.scalar(by_source)) is None:
                    raise
                return _feedback(found)
            return _feedback(row)

    async def all(self, *, acted_on: bool | None = None, limit: int = 200) -> list[Feedback]:
        query = select(FeedbackRow)
        if acted_on is True:
            query = query.where(FeedbackRow.acted_on_at.is_not(None))
        elif acted_on is False:
            query = query.where(FeedbackRow.acted_on_at.is_(None))
        async with self._db.session() as s:
            rows = await s.scalars(query.order_by(FeedbackRow.id.desc()).limit(limit))
            return [_feedback(r) for r in rows]

    async def for_customer(self, customer_id: int) -> list[Feedback]:
        async with self._db.session() as s:
            rows = await s.scalars(
                select(FeedbackRow)
                .where(FeedbackRow.customer_id == customer_id)
                .order_by(FeedbackRow.id.desc())
            )
            return [_feedback(r) for r in rows]

    async def get(self, feedback_id: int) -> Feedback:
        async with self._db.session() as s:
            return _feedback(await self._row(s, feedback_id))

    async def mark_acted_on(self, feedback_id: int, note: str) -> Feedback:
        note = check_text(note, field="note", max_length=2000)
        async with self._db.session() as s:
            row = await self._row(s, feedback_id)
            row.acted_on_at = now()
            row.action_note = note
            row.notified_at = None  # a new note is news for the customer again
            await s.commit()
            return _feedback(row)

    async def to_notify(self, customer_id: int) -> list[Feedback]:
        async with self._db.session() as s:
            return [_feedback(r) for r in await s.execute(_NEWS, {"cid": customer_id})]

    async def mark_notified(self, feedback_id: int) -> bool:
        async with self._db.session() as s:
            await self._row(s, feedback_id)
            result = await s.execute(
                update(FeedbackRow)
                .where(FeedbackRow.id == feedback_id, FeedbackRow.notified_at.is_(None))
                .values(notified_at=now())
            )
            await s.commit()
            return bool(result.rowcount)  # type: ignore[attr-defined]

    @staticmethod
    async def _row(session: AsyncSession, feedback_id: int) -> FeedbackRow:
        row = await session.get(FeedbackRow, feedback_id)
        if row is None:
            raise NotFound(f"no feedback with id {feedback_id}")
        return row


class SqlSurveyStore:
    """Satisfaction ratings in SQL; a case's rating is also kept on the case."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    async def rate(
        self,
        *,
        customer_id: int,
        rating: int,
        case_number: int | None = None,
        comment: str | None = None,
    ) -> SurveyResponse | None:
        if not 1 <= rating <= 5:
            raise ValueError(f"a rating is 1 to 5, not {rating}")
        source = current_source()
        by_source = (
            select(SurveyRow).where(SurveyRow.source_message_id == source.message_id)
            if source is not None
            else None
        )
        async with self._db.session() as s:
            await _customer_row(s, customer_id)
            if by_source is not None and (found := await s.scalar(by_source)) is not None:
                # This press was stored by an earlier run of its turn: the same answer again.
                return _survey(found)
            case = await _case_row(s, case_number) if case_number is not None else None
            if case is not None and case.csat is not None:
                return None
            row = SurveyRow(
                customer_id=customer_id,
                case_number=case_number,
                rating=rating,
                comment=comment,
                created_at=now(),
                source_message_id=source.message_id if source is not None else None,
            )
            s.add(row)
            if case is not None:
                case.csat = rating
            try:
                await s.commit()
            except IntegrityError:
                await s.rollback()
                found = await s.scalar(by_source) if by_source is not None else None
                return _survey(found) if found is not None else None
            return _survey(row)

    async def comment(self, response_id: int, comment: str) -> None:
        async with self._db.session() as s:
            row = await s.get(SurveyRow, response_id)
            if row is None:
                raise NotFound(f"no survey response {response_id}")
            row.comment = comment
            await s.commit()

    async def for_customer(self, customer_id: int) -> list[SurveyResponse]:
        async with self._db.session() as s:
            rows = await s.scalars(
                select(SurveyRow)
                .where(SurveyRow.customer_id == customer_id)
                .order_by(SurveyRow.id.desc())
            )
            return [_survey(r) for r in rows]


class SqlDeskPostStore:
    """Where the bot posted about a customer in the agents' chat, so erasure can edit it."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    async def add(self, post: DeskPost) -> None:
        source = current_source()
        async with self._db.session() as s:
            s.add(
                DeskPostRow(
                    customer_id=post.customer_id,
                    case_number=post.case_number,
                    chat_id=post.chat_id,
                    message_id=post.message_id,
                    thread_id=post.thread_id,
                    created_at=now(),
                    source_message_id=source.message_id if source is not None else None,
                )
            )
            await s.commit()

    async def already_posted(self, case_number: int | None) -> bool:
        source = current_source()
        if source is None:
            return False
        ordinal = source.next("post", case_number)
        about = (
            DeskPostRow.case_number.is_(None)
            if case_number is None
            else DeskPostRow.case_number == case_number
        )
        async with self._db.session() as s:
            posted = await s.scalar(
                select(func.count())
                .select_from(DeskPostRow)
                .where(DeskPostRow.source_message_id == source.message_id, about)
            )
            return int(posted or 0) >= ordinal

    async def for_customer(self, customer_id: int) -> list[DeskPost]:
        async with self._db.session() as s:
            rows = await s.scalars(
                select(DeskPostRow)
                .where(DeskPostRow.customer_id == customer_id)
                .order_by(DeskPostRow.id)
            )
            return [
                DeskPost(r.customer_id, r.chat_id, r.message_id, r.case_number, r.thread_id)
                for r in rows
            ]


# The inbox's statements run once per poll (a page of one or two updates at a steady rate):
# built once, with the ids as an expanding parameter.
_INBOX = _table(InboxRow)
_INBOX_KNOWN = select(InboxRow.update_id).where(
    InboxRow.channel == bindparam("channel"),
    InboxRow.update_id.in_(bindparam("ids", expanding=True)),
)
_INBOX_PUT = insert(_INBOX)
_INBOX_PENDING = (
    select(*_INBOX.c)
    .where(
        InboxRow.channel == bindparam("channel"),
        InboxRow.processed_at.is_(None),
        InboxRow.failed_at.is_(None),
    )
    .order_by(InboxRow.update_id)
    .limit(bindparam("limit"))
)
_INBOX_DONE = (
    update(_INBOX)
    .where(
        InboxRow.channel == bindparam("of_channel"),
        InboxRow.update_id.in_(bindparam("ids", expanding=True)),
    )
    # The id stays (redeliveries are still recognised); the words do not: they live in the
    # customer's history, which can be erased.
    .values(processed_at=bindparam("at"), payload="")
)


class SqlInboxStore:
    """The transactional inbox in SQL."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    async def put(
        self,
        channel: str,
        update_id: int,
        payload: str,
        *,
        sender: str | None = None,
        chat: str | None = None,
    ) -> bool:
        senders = {update_id: sender} if sender is not None else None
        chats = {update_id: chat} if chat is not None else None
        return bool(
            await self.put_many(channel, [(update_id, payload)], senders=senders, chats=chats)
        )

    async def put_many(
        self,
        channel: str,
        updates: Sequence[tuple[int, str]],
        *,
        senders: Mapping[int, str] | None = None,
        chats: Mapping[int, str] | None = None,
    ) -> list[int]:
        ids = [update_id for update_id, _ in updates]
        who = senders or {}
        where = chats or {}
        if not ids:
            return []
        async with self._db.connection() as s:
            known = set(await s.scalars(_INBOX_KNOWN, {"channel": channel, "ids": ids}))
            fresh: dict[int, str] = {}
            for update_id, payload in updates:
                if update_id not in known:
                    fresh.setdefault(update_id, payload)
            at = now()
            rows = [
                {
                    "channel": channel,
                    "update_id": u,
                    "payload": p,
                    "received_at": at,
                    "sender": who.get(u),
                    # The lane it is worked in: its chat, else its sender, else its own.
                    "chat": where.get(u) or who.get(u) or f"update:{u}",
                }
                for u, p in fresh.items()
            ]
            try:
                if rows:
                    await s.execute(_INBOX_PUT, rows)
                await s.commit()
                return list(fresh)
            except IntegrityError:
                await s.rollback()
        # Another worker stored some of them at the same moment: one at a time (outside the
        # connection above, so a pool of one connection is not waited on by its holder).
        if len(updates) == 1:
            return []
        return [
            u
            for u, p in fresh.items()
            if await self.put(channel, u, p, sender=who.get(u), chat=where.get(u))
        ]

    async def pending(self, channel: str, *, limit: int = 100) -> list[InboxItem]:
        async with self._db.connection() as s:
            rows = await s.execute(_INBOX_PENDING, {"channel": channel, "limit": limit})
            return [_inbox_item(r) for r in rows]

    async def done(self, channel: str, *update_ids: int) -> None:
        if not update_ids:
            return
        async with self._db.connection() as s:
            await check_fence(s)  # a worker that lost the chat leaves its rows to the next
            await s.execute(
                _INBOX_DONE, {"of_channel": channel, "ids": list(update_ids), "at": now()}
            )
            await s.commit()
        if self._db.scrub_after_inbox:  # a customer was erased while these were in flight
            self._db.scrub_after_inbox = False
            await self._db.scrub("inbox")

    async def last_update_id(self, channel: str) -> int | None:
        async with self._db.session() as s:
            value = await s.scalar(
                select(func.max(InboxRow.update_id)).where(InboxRow.channel == channel)
            )
            return int(value) if value is not None else None

    async def fail(self, channel: str, update_id: int, error: str, *, max_attempts: int) -> int:
        where = (InboxRow.channel == channel, InboxRow.update_id == update_id)
        async with self._db.connection() as s:
            await s.execute(
                update(InboxRow)
                .where(*where)
                .values(attempts=InboxRow.attempts + 1, error=error[:2000])
            )
            attempts = await s.scalar(select(InboxRow.attempts).where(*where))
            if attempts is None:
                raise NotFound(f"no update {update_id} on {channel} in the inbox")
            if attempts >= max_attempts:
                await s.execute(update(InboxRow).where(*where).values(failed_at=now()))
            await s.commit()
            return int(attempts)

    async def failed(self, channel: str | None = None) -> list[InboxItem]:
        query = select(*_table(InboxRow).c).where(InboxRow.failed_at.is_not(None))
        if channel is not None:
            query = query.where(InboxRow.channel == channel)
        async with self._db.connection() as s:
            rows = await s.execute(query.order_by(InboxRow.channel, InboxRow.update_id))
            return [_inbox_item(r) for r in rows]

    async def retry(self, channel: str | None = None, update_id: int | None = None) -> int:
        query = update(InboxRow).where(InboxRow.failed_at.is_not(None))
        if channel is not None:
            query = query.where(InboxRow.channel == channel)
        if update_id is not None:
            query = query.where(InboxRow.update_id == update_id)
        async with self._db.connection() as s:
            result = await s.execute(query.values(failed_at=None, attempts=0))
            await s.commit()
            return int(result.rowcount)


def _inbox_item(row: Any) -> InboxItem:
    return InboxItem(
        row.channel,
        row.update_id,
        row.payload,
        row.received_at,
        row.processed_at,
        attempts=row.attempts,
        failed_at=row.failed_at,
        error=row.error,
    )
