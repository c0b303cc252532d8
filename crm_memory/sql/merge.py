"""One person known as two customers becomes one: every row of the first moves to the second."""

from __future__ import annotations

from sqlalchemy import and_, delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from crm_memory.sql._models import (
    AuditRow,
    CaseRow,
    ConversationRow,
    CustomerRow,
    DeskPostRow,
    FactRow,
    FeedbackRow,
    IdentityRow,
    MediaRow,
    MessageRow,
    SurveyRow,
)

# Tables whose rows belong to one customer by ``customer_id`` and move as they are.
_MOVED = (ConversationRow, MessageRow, CaseRow, FeedbackRow, SurveyRow, DeskPostRow, MediaRow)


async def merge_customers(
    session: AsyncSession, source_id: int, into_id: int, *, identities: bool
) -> bool:
    """Move customer ``source_id``'s history, cases, facts, ratings, files and audit entries
    to ``into_id`` and delete ``source_id``, in the session's transaction (the caller
    commits). ``identities``: the source's channel identities move too; False: they are
    dropped (nothing reaches the merged customer through them any more).

    Both rows are locked first (in id order, so two merges never wait on each other in a
    circle); False, and nothing changed, when either is gone or erased (merged already).
    """
    if source_id == into_id:
        return False
    locked = (
        await session.scalars(
            select(CustomerRow)
            .where(CustomerRow.id.in_((source_id, into_id)))
            .order_by(CustomerRow.id)
            .with_for_update()
        )
    ).all()
    rows = {row.id: row for row in locked}
    source, into = rows.get(source_id), rows.get(into_id)
    if source is None or into is None or source.erased_at is not None:
        return False
    if into.erased_at is not None:
        return False
    for table in _MOVED:
        await session.execute(
            update(table).where(table.customer_id == source_id).values(customer_id=into_id)
        )
    # A fact both knew stays once (the unique constraint): the merged customer's row is kept.
    theirs = aliased(FactRow)
    await session.execute(
        delete(FactRow).where(
            FactRow.customer_id == source_id,
            exists().where(
                and_(
                    theirs.customer_id == into_id,
                    theirs.kind == FactRow.kind,
                    theirs.value == FactRow.value,
                )
            ),
        )
    )
    await session.execute(
        update(FactRow).where(FactRow.customer_id == source_id).values(customer_id=into_id)
    )
    await session.execute(
        update(AuditRow).where(AuditRow.customer_id == source_id).values(customer_id=into_id)
    )
    if identities:
        await session.execute(
            update(IdentityRow)
            .where(IdentityRow.customer_id == source_id)
            .values(customer_id=into_id)
        )
    else:
        await session.execute(delete(IdentityRow).where(IdentityRow.customer_id == source_id))
    # The profile: what the merged customer lacks is taken from the other; first seen is
    # the earlier, last seen the later.
    into.display_name = into.display_name or source.display_name
    into.language = into.language or source.language
    into.email = into.email or source.email
    into.tags = list(dict.fromkeys([*(into.tags or ()), *(source.tags or ())]))
    into.created_at = min(into.created_at, source.created_at)
    if source.last_seen_at is not None and (
        into.last_seen_at is None or source.last_seen_at > into.last_seen_at
    ):
        into.last_seen_at = source.last_seen_at
    await session.delete(source)
    return True
