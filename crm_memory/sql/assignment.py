"""Agents' profiles, the assignment record and SLA alerts, in SQL."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    and_,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from crm_memory.assignment import HANDED_BACK, AgentProfile, AgentStatus, Assignment, SlaAlert
from crm_memory.errors import AlreadyExists, InvalidInput, NotFound
from crm_memory.sql._models import Base, BigId, CaseRow, UtcDateTime, now
from crm_memory.sql.stores import _case, _case_row
from crm_memory.types import Case, CaseStatus, Priority
from crm_memory.validation import check_name

if TYPE_CHECKING:
    from crm_memory.sql.database import SqlDatabase


class AgentProfileRow(Base):
    """How an agent takes cases (the name is the one cases are owned by)."""

    __tablename__ = "agent_profiles"
    __table_args__ = (UniqueConstraint("telegram_user_id", name="uq_agent_profiles_telegram"),)

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default=AgentStatus.OFFLINE.value)
    status_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    capacity: Mapped[int | None] = mapped_column(Integer)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger)
    last_assigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AssignmentRow(Base):
    """Who was given a case, when, by whom and why: its own row per change of hands."""

    __tablename__ = "case_assignments"
    __table_args__ = (Index("ix_case_assignments_case", "case_number", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_number: Mapped[int] = mapped_column(ForeignKey("cases.number", ondelete="CASCADE"))
    agent: Mapped[str | None] = mapped_column(String(100))
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    assigned_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(200), default="")


class SlaAlertRow(Base):
    """An SLA warning or breach posted about a case: at most one per case and kind."""

    __tablename__ = "sla_alerts"
    __table_args__ = (UniqueConstraint("case_number", "kind", name="uq_sla_alerts_case_kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_number: Mapped[int] = mapped_column(ForeignKey("cases.number", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


def _profile(row: AgentProfileRow) -> AgentProfile:
    return AgentProfile(
        name=row.name,
        status=AgentStatus(row.status),
        capacity=row.capacity,
        skills=tuple(row.skills or ()),
        telegram_user_id=row.telegram_user_id,
        status_at=row.status_at,
        last_assigned_at=row.last_assigned_at,
    )


def _assignment(row: AssignmentRow) -> Assignment:
    return Assignment(
        row.id, row.case_number, row.agent, row.assigned_at, row.assigned_by, row.reason
    )


def _record(number: int, agent: str | None, *, by: str, reason: str) -> AssignmentRow:
    """The row of one change of hands."""
    return AssignmentRow(
        case_number=number,
        agent=agent,
        assigned_at=now(),
        assigned_by=by[:100],
        reason=reason[:200],
    )


class SqlAssignmentStore:
    """The AssignmentStore over one SqlDatabase."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    async def profiles(self) -> list[AgentProfile]:
        async with self._db.session() as s:
            rows = await s.scalars(select(AgentProfileRow).order_by(AgentProfileRow.name))
            return [_profile(r) for r in rows]

    async def profile(self, name: str) -> AgentProfile | None:
        async with self._db.session() as s:
            row = await s.get(AgentProfileRow, name)
            return _profile(row) if row is not None else None

    async def by_telegram(self, user_id: int) -> AgentProfile | None:
        async with self._db.session() as s:
            row = await s.scalar(
                select(AgentProfileRow).where(AgentProfileRow.telegram_user_id == user_id)
            )
            return _profile(row) if row is not None else None

    async def set_profile(
        self,
        name: str,
        *,
        capacity: int | None = None,
        skills: tuple[str, ...] | None = None,
        telegram_user_id: int | None = None,
        status: AgentStatus | None = None,
    ) -> AgentProfile:
        name = check_name(name, field="agent")
        if capacity is not None and not 0 <= capacity <= 1000:
            raise InvalidInput("capacity", "a whole number from 0 to 1000")
        async with self._db.session() as s:
            row = await s.get(AgentProfileRow, name)
            if row is None:
                row = AgentProfileRow(name=name, status=AgentStatus.OFFLINE.value, skills=[])
                s.add(row)
            if capacity is not None:
                row.capacity = capacity
            if skills is not None:
                row.skills = list(skills)
            if telegram_user_id is not None:
                row.telegram_user_id = telegram_user_id
            if status is not None and status.value != row.status:
                row.status = status.value
                row.status_at = now()
            try:
                await s.commit()
            except IntegrityError:
                raise AlreadyExists(
                    f"Telegram user {telegram_user_id} is linked to another agent already"
                ) from None
            return _profile(row)

    async def assign(self, number: int, agent: str | None, *, by: str, reason: str) -> Case:
        async with self._db.session() as s:
            if agent is not None:
                # The agent's row before the case's, in the order assign_if_room locks them,
                # so that the two at once on PostgreSQL wait for each other, never deadlock.
                # Written without reading the profile back (the router keeps its own copy).
                await s.execute(
                    update(AgentProfileRow)
                    .where(AgentProfileRow.name == agent)
                    .values(last_assigned_at=now())
                )
            case = await _case_row(s, number)
            if case.status != CaseStatus.CLOSED.value:
                if agent is not None:
                    case.owner = agent
                    case.status = CaseStatus.ASSIGNED.value
                elif reason != HANDED_BACK:
                    # Back to the queue; a case handed back to the bot keeps its last owner.
                    case.owner = None
                    case.status = CaseStatus.OPEN.value
            s.add(_record(number, agent, by=by, reason=reason))
            await s.commit()
            return _case(case)

    async def assign_if_room(
        self, number: int, agent: str, *, capacity: int, by: str, reason: str
    ) -> Case | None:
        async with self._db.session() as s:
            # Written first: the agent's row is locked (PostgreSQL) or the database is
            # (SQLite) before anything is counted, so a second worker giving this agent a case
            # waits here and then counts this one.
            await s.execute(
                update(AgentProfileRow)
                .where(AgentProfileRow.name == agent)
                .values(last_assigned_at=now())
            )
            case = await s.scalar(select(CaseRow).where(CaseRow.number == number).with_for_update())
            if case is None:
                raise NotFound(f"no case #{number}")
            if case.owner is not None or case.status == CaseStatus.CLOSED.value:
                await s.rollback()
                return None  # taken meanwhile, by hand or by another worker
            held = list(
                await s.scalars(
                    select(CaseRow.number).where(
                        CaseRow.owner == agent,
                        CaseRow.status != CaseStatus.CLOSED.value,
                        CaseRow.escalated_at.is_not(None),
                    )
                )
            )
            latest: dict[int, str | None] = {}
            if held:
                for row in await s.scalars(
                    select(AssignmentRow)
                    .where(AssignmentRow.case_number.in_(held))
                    .order_by(AssignmentRow.id)
                ):
                    latest[row.case_number] = row.agent
            # As load() counts: a case handed back to the bot is off the agent's hands.
            if sum(1 for n in held if latest.get(n, agent) == agent) >= capacity:
                await s.rollback()
                return None
            case.owner = agent
            case.status = CaseStatus.ASSIGNED.value
            s.add(_record(number, agent, by=by, reason=reason))
            await s.commit()
            return _case(case)

    async def assignments(self, number: int | None = None) -> list[Assignment]:
        query = select(AssignmentRow).order_by(AssignmentRow.id)
        if number is not None:
            query = query.where(AssignmentRow.case_number == number)
        async with self._db.session() as s:
            return [_assignment(r) for r in await s.scalars(query)]

    async def _latest(self, numbers: list[int]) -> dict[int, AssignmentRow]:
        if not numbers:
            return {}
        async with self._db.session() as s:
            rows = await s.scalars(
                select(AssignmentRow)
                .where(AssignmentRow.case_number.in_(numbers))
                .order_by(AssignmentRow.id)
            )
            return {r.case_number: r for r in rows}

    async def _open(self) -> list[CaseRow]:
        async with self._db.session() as s:
            rows = await s.scalars(
                select(CaseRow).where(
                    CaseRow.status != CaseStatus.CLOSED.value, CaseRow.escalated_at.is_not(None)
                )
            )
            return list(rows)

    async def load(self) -> dict[str, int]:
        rows = [r for r in await self._open() if r.owner is not None]
        latest = await self._latest([r.number for r in rows])
        counts: dict[str, int] = {}
        for row in rows:
            last = latest.get(row.number)
            if last is not None and last.agent != row.owner:
                continue  # handed back to the bot: no longer on the agent's hands
            assert row.owner is not None
            counts[row.owner] = counts.get(row.owner, 0) + 1
        return counts

    async def waiting(self) -> list[Case]:
        rows = [r for r in await self._open() if r.owner is None]
        latest = await self._latest([r.number for r in rows])
        return [
            _case(r)
            for r in rows
            if r.number not in latest or latest[r.number].reason != HANDED_BACK
        ]

    async def alert_once(self, number: int, kind: str) -> bool:
        values = {"case_number": number, "kind": kind, "at": now()}
        # Insert-if-absent: a kind already noted (by another worker) is no error to roll back.
        dialect = self._db.engine.dialect.name
        statement = (
            postgresql.insert(SlaAlertRow).values(values).on_conflict_do_nothing()
            if dialect == "postgresql"
            else sqlite.insert(SlaAlertRow).values(values).on_conflict_do_nothing()
            if dialect == "sqlite"
            else None
        )
        async with self._db.connection() as c:
            if statement is None:  # another database: the unique key says it
                try:
                    await c.execute(insert(SlaAlertRow).values(values))
                    await c.commit()
                except IntegrityError:
                    return False
                return True
            added = await c.execute(statement)
            await c.commit()
            return bool(added.rowcount)

    async def sla_open(
        self, *, escalated_before: Mapping[Priority, datetime]
    ) -> list[tuple[Case, frozenset[str]]]:
        if not escalated_before:
            return []
        near = or_(
            *(
                and_(CaseRow.priority == priority.value, CaseRow.escalated_at <= before)
                for priority, before in escalated_before.items()
            )
        )
        query = (
            select(CaseRow, SlaAlertRow.kind)
            .outerjoin(SlaAlertRow, SlaAlertRow.case_number == CaseRow.number)
            .where(
                CaseRow.status.in_((CaseStatus.OPEN.value, CaseStatus.ASSIGNED.value)),
                CaseRow.escalated_at.is_not(None),
                near,
            )
            .order_by(CaseRow.number)
        )
        found: dict[int, tuple[Case, set[str]]] = {}
        async with self._db.session() as s:
            for row, kind in (await s.execute(query)).all():
                case, kinds = found.setdefault(row.number, (_case(row), set()))
                if kind is not None:
                    kinds.add(kind)
        return [(case, frozenset(kinds)) for case, kinds in found.values()]

    async def alerts(self) -> list[SlaAlert]:
        async with self._db.session() as s:
            rows = await s.scalars(select(SlaAlertRow).order_by(SlaAlertRow.id))
            return [SlaAlert(r.case_number, r.kind, r.at) for r in rows]
