"""What operators watch, counted in SQL: the inbox's backlog, cases with people, escalations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from crm_memory.sql._models import CaseRow, InboxRow
from crm_memory.types import CaseStatus, Workload

if TYPE_CHECKING:
    from crm_memory.sql.database import SqlDatabase

_BACKLOG = select(func.count(), func.min(InboxRow.received_at)).where(
    InboxRow.processed_at.is_(None), InboxRow.failed_at.is_(None)
)
# Parked after their last attempt: waiting for `crm inbox retry`, not for the bot.
_FAILED = select(func.count()).where(InboxRow.failed_at.is_not(None))
_CASES = (
    select(CaseRow.status, func.count())
    .where(CaseRow.status != CaseStatus.CLOSED.value)
    .group_by(CaseRow.status)
)
_ESCALATIONS = select(func.count()).where(CaseRow.escalated_at.is_not(None))


class SqlWorkloadStore:
    """The WorkloadStore over one SqlDatabase."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    async def workload(self) -> Workload:
        async with self._db.session() as s:
            pending, oldest = (await s.execute(_BACKLOG)).one()
            cases = {status: int(count) for status, count in await s.execute(_CASES)}
            escalations = await s.scalar(_ESCALATIONS)
            failed = await s.scalar(_FAILED)
        return Workload(
            inbox_pending=int(pending),
            inbox_oldest_pending_at=oldest,  # min() keeps the column's type: aware, in UTC
            inbox_failed=int(failed or 0),
            open_cases=cases.get(CaseStatus.OPEN.value, 0),
            assigned_cases=cases.get(CaseStatus.ASSIGNED.value, 0),
            escalations=int(escalations or 0),
        )
