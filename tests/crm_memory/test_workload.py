"""The workload figures health checks and metrics read, on every SQL backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crm_memory import CaseKind, ChannelIdentity, Priority, SqlDatabase, Workload


async def test_an_empty_database_has_no_workload(db: SqlDatabase) -> None:
    assert await db.workload.workload() == Workload(
        inbox_pending=0,
        inbox_oldest_pending_at=None,
        inbox_failed=0,
        open_cases=0,
        assigned_cases=0,
        escalations=0,
    )


async def test_workload_counts_backlog_cases_and_escalations(db: SqlDatabase) -> None:
    before = datetime.now(UTC)
    await db.inbox.put_many("telegram", [(1, "{}"), (2, "{}"), (3, "{}"), (4, "{}")])
    await db.inbox.done("telegram", 1)
    await db.inbox.fail("telegram", 4, "a bug", max_attempts=1)  # parked: failed, not pending
    customer, _ = await db.customers.get_or_create(
        ChannelIdentity("telegram", "7"), display_name=""
    )
    numbers = []
    for _ in range(4):
        case = await db.cases.open(
            customer_id=customer.id, kind=CaseKind.COMPLAINT, priority=Priority.NORMAL, reason="r"
        )
        numbers.append(case.number)
    await db.cases.escalate(numbers[0], "asked for a human")
    await db.cases.escalate(numbers[1], "asked for a human")
    await db.cases.assign(numbers[1], "maria")
    await db.cases.close(numbers[2])

    seen = await db.workload.workload()
    assert (seen.inbox_pending, seen.inbox_failed) == (2, 1)
    assert (seen.open_cases, seen.assigned_cases, seen.escalations) == (2, 1, 2)
    oldest = seen.inbox_oldest_pending_at
    assert oldest is not None and oldest.tzinfo is not None
    assert before - timedelta(seconds=1) <= oldest <= datetime.now(UTC)
