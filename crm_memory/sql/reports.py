"""The support lead's report, read with aggregate SQL (GROUP BY and COUNT, not row by row)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, case, func, literal_column, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from crm_memory.reports import Csat, DayCsat, Durations, FeedbackSummary, Report, TopicSentiment
from crm_memory.sql._models import (
    CaseRow,
    ConversationRow,
    CustomerRow,
    FeedbackRow,
    MessageRow,
    SurveyRow,
)
from crm_memory.types import CaseKind, Sender

if TYPE_CHECKING:
    from sqlalchemy.orm import InstrumentedAttribute

    from crm_memory.sql.database import SqlDatabase

FALLBACK_INTENT = "nlu_fallback"
# Inline, not a bound parameter: PostgreSQL must see the same expression in SELECT and GROUP BY.
OTHER: ColumnElement[str] = literal_column("'other'")


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between ranks, as numpy does."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _durations(pairs: Sequence[tuple[datetime, datetime]]) -> Durations:
    seconds = [(end - start).total_seconds() for start, end in pairs]
    return Durations(
        count=len(seconds),
        median_seconds=percentile(seconds, 50),
        p90_seconds=percentile(seconds, 90),
    )


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _csat(rows: Sequence[Any]) -> Csat:
    """From (rating, count) rows."""
    distribution = {r: 0 for r in range(1, 6)}
    for rating, count in rows:
        distribution[int(rating)] += int(count)
    responses = sum(distribution.values())
    total = sum(r * n for r, n in distribution.items())
    return Csat(
        average=round(total / responses, 3) if responses else None,
        responses=responses,
        distribution=distribution,
    )


async def _segments(s: AsyncSession) -> tuple[dict[str, int], dict[str, int]]:
    """Customers (not erased) by lifecycle stage and by tier, as they are now."""
    alive = CustomerRow.erased_at.is_(None)
    counts = []
    for column in (CustomerRow.segment, CustomerRow.tier):
        rows = await s.execute(select(column, func.count()).where(alive).group_by(column))
        counts.append({str(k): int(v) for k, v in rows.all()})
    return counts[0], counts[1]


class SqlReports:
    """Builds the report for a period from the SQL store."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    async def segments(self) -> tuple[dict[str, int], dict[str, int]]:
        """How many customers are in each lifecycle stage, and in each tier."""
        async with self._db.session() as s:
            return await _segments(s)

    async def report(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> Report:
        """The report for ``[since, until)``; None leaves that side open."""

        def within(column: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
            conditions = []
            if since is not None:
                conditions.append(column >= since)
            if until is not None:
                conditions.append(column < until)
            return and_(true(), *conditions)

        async with self._db.session() as s:
            return await self._build(s, since=since, until=until, within=within)

    async def _build(
        self,
        s: AsyncSession,
        *,
        since: datetime | None,
        until: datetime | None,
        within: Callable[[InstrumentedAttribute[Any]], ColumnElement[bool]],
    ) -> Report:
        async def grouped(query: Select[Any, int]) -> dict[str, int]:
            return {str(k): int(v) for k, v in (await s.execute(query)).all()}

        async def scalar(query: Select[int]) -> int:
            return int(await s.scalar(query) or 0)

        # Conversations and containment (both flags are kept on the conversation as it goes).
        in_period = within(ConversationRow.started_at)
        count_conversations = select(func.count()).select_from(ConversationRow)
        conversations = await scalar(count_conversations.where(in_period))
        handled = await scalar(
            count_conversations.where(
                in_period,
                or_(ConversationRow.escalated.is_(True), ConversationRow.agent_wrote.is_(True)),
            )
        )
        escalated = await scalar(
            count_conversations.where(in_period, ConversationRow.escalated.is_(True))
        )
        customers = await scalar(
            select(func.count(func.distinct(ConversationRow.customer_id))).where(in_period)
        )

        # Messages by sender, and customers' messages by intent. (Two scans: SQLite sorts a
        # GROUP BY of both columns more slowly than it runs the two.)
        messages_in = within(MessageRow.created_at)
        by_sender = await grouped(
            select(MessageRow.sender, func.count()).where(messages_in).group_by(MessageRow.sender)
        )
        intents = await grouped(
            select(MessageRow.intent, func.count())
            .where(
                messages_in,
                MessageRow.sender == Sender.CUSTOMER.value,
                MessageRow.intent.is_not(None),
            )
            .group_by(MessageRow.intent)
            .order_by(func.count().desc(), MessageRow.intent)
        )
        understood = sum(intents.values())
        top_intents = {k: v for k, v in intents.items() if k != FALLBACK_INTENT}

        # Cases opened in the period, and escalations made in it.
        opened = within(CaseRow.opened_at)
        cases_by = {
            name: await grouped(select(column, func.count()).where(opened).group_by(column))
            for name, column in (
                ("kind", CaseRow.kind),
                ("status", CaseRow.status),
                ("priority", CaseRow.priority),
            )
        }
        escalated_in = within(CaseRow.escalated_at)
        reasons = await grouped(
            select(CaseRow.escalation_reason, func.count())
            .where(CaseRow.escalated_at.is_not(None), escalated_in)
            .group_by(CaseRow.escalation_reason)
            .order_by(func.count().desc())
        )
        topics = await grouped(
            select(func.coalesce(CaseRow.topic, OTHER), func.count())
            .where(opened, CaseRow.kind == CaseKind.COMPLAINT.value)
            .group_by(func.coalesce(CaseRow.topic, OTHER))
            .order_by(func.count().desc())
        )

        # Agents' times: first answer after the hand-off, and open to close (cases are few
        # next to messages, so their two timestamps are read and the percentiles taken here).
        answered_at = func.coalesce(CaseRow.escalated_at, CaseRow.opened_at)
        first = (
            await s.execute(
                select(answered_at, CaseRow.first_response_at).where(
                    CaseRow.first_response_at.is_not(None), within(CaseRow.first_response_at)
                )
            )
        ).all()
        resolved = (
            await s.execute(
                select(CaseRow.opened_at, CaseRow.closed_at).where(
                    CaseRow.closed_at.is_not(None),
                    within(CaseRow.closed_at),
                    CaseRow.owner.is_not(None),
                )
            )
        ).all()
        closed_cases = await scalar(
            select(func.count())
            .select_from(CaseRow)
            .where(CaseRow.closed_at.is_not(None), within(CaseRow.closed_at))
        )
        first_pairs = [(_utc(a), _utc(b)) for a, b in first]
        resolved_pairs = [(_utc(a), _utc(b)) for a, b in resolved]

        # Satisfaction.
        rated = within(SurveyRow.created_at)
        by_rating = select(SurveyRow.rating, func.count()).where(rated).group_by(SurveyRow.rating)
        csat_all = _csat((await s.execute(by_rating)).all())
        csat_bot = _csat((await s.execute(by_rating.where(SurveyRow.case_number.is_(None)))).all())
        csat_human = _csat(
            (await s.execute(by_rating.where(SurveyRow.case_number.is_not(None)))).all()
        )
        rated_closed = await scalar(
            select(func.count())
            .select_from(SurveyRow)
            .join(CaseRow, CaseRow.number == SurveyRow.case_number)
            .where(CaseRow.closed_at.is_not(None), within(CaseRow.closed_at))
        )
        agent_rows = (
            await s.execute(
                select(CaseRow.owner, SurveyRow.rating, func.count())
                .join(CaseRow, CaseRow.number == SurveyRow.case_number)
                .where(rated, CaseRow.owner.is_not(None))
                .group_by(CaseRow.owner, SurveyRow.rating)
            )
        ).all()
        per_agent: dict[str, list[tuple[int, int]]] = {}
        for owner, rating, count in agent_rows:
            per_agent.setdefault(str(owner), []).append((rating, count))
        day = func.date(SurveyRow.created_at)
        days = (
            await s.execute(
                select(day, func.avg(SurveyRow.rating), func.count())
                .where(rated)
                .group_by(day)
                .order_by(day)
            )
        ).all()

        # Feedback.
        given = within(FeedbackRow.created_at)
        positive = case((FeedbackRow.sentiment > 0, 1), else_=0)
        negative = case((FeedbackRow.sentiment < 0, 1), else_=0)
        count, average, pos, neg = (
            await s.execute(
                select(
                    func.count(),
                    func.avg(FeedbackRow.sentiment),
                    func.sum(positive),
                    func.sum(negative),
                ).where(given)
            )
        ).one()
        topic = func.coalesce(FeedbackRow.topic, OTHER)
        topic_rows = (
            await s.execute(
                select(topic, func.count(), func.avg(FeedbackRow.sentiment))
                .where(given)
                .group_by(topic)
                .order_by(func.count().desc(), topic)
            )
        ).all()

        segments, tiers = await _segments(s)

        return Report(
            since=since,
            until=until,
            conversations=conversations,
            contained_conversations=conversations - handled,
            containment_rate=_rate(conversations - handled, conversations),
            escalated_conversations=escalated,
            escalation_rate=_rate(escalated, conversations),
            escalations=sum(reasons.values()),
            escalation_reasons=reasons,
            customers=customers,
            messages=sum(by_sender.values()),
            messages_by_sender=by_sender,
            cases_opened=sum(cases_by["kind"].values()),
            cases_by_kind=cases_by["kind"],
            cases_by_status=cases_by["status"],
            cases_by_priority=cases_by["priority"],
            first_response=_durations(first_pairs),
            resolution=_durations(resolved_pairs),
            csat_average=csat_all.average,
            csat_responses=csat_all.responses,
            csat_distribution=csat_all.distribution,
            csat_surveys_sent=closed_cases,
            csat_response_rate=_rate(rated_closed, closed_cases),
            csat_bot=csat_bot,
            csat_human=csat_human,
            csat_by_agent={agent: _csat(rows) for agent, rows in sorted(per_agent.items())},
            csat_by_day=tuple(
                DayCsat(day=str(d), average=round(float(a), 3), responses=int(n))
                for d, a, n in days
            ),
            top_intents=dict(list(top_intents.items())[:15]),
            understood_messages=understood,
            fallback_rate=_rate(intents.get(FALLBACK_INTENT, 0), understood),
            complaint_topics=topics,
            feedback=FeedbackSummary(
                count=int(count),
                average_sentiment=round(float(average), 3) if average is not None else None,
                positive=int(pos or 0),
                negative=int(neg or 0),
                neutral=int(count) - int(pos or 0) - int(neg or 0),
                topics=tuple(
                    TopicSentiment(
                        topic=str(t), count=int(n), average_sentiment=round(float(a), 3)
                    )
                    for t, n, a in topic_rows
                ),
            ),
            segments=segments,
            tiers=tiers,
        )


def _utc(value: datetime | str | None) -> datetime:
    """Column values read without the ORM type: SQLite hands back naive UTC datetimes."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert value is not None  # the queries select only cases where both times are set
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
