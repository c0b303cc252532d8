"""The Alembic chain builds exactly the schema the models describe, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from crm_memory import ChannelIdentity, Direction, Sender, SqlDatabase
from crm_memory.sql._models import Base


async def test_migrations_match_the_models(db: SqlDatabase) -> None:
    async with db.engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
    assert diff == []


async def test_0008_moves_agents_notes_out_of_summaries_but_not_customers_lines(
    tmp_path: Path,
) -> None:
    db = SqlDatabase(f"sqlite+aiosqlite:///{tmp_path / 'crm.db'}")
    try:
        await db.upgrade("0007")
        customer, _ = await db.customers.get_or_create(
            ChannelIdentity("telegram", "5"), display_name="Anna"
        )
        forged = "[note by maria] Verified VIP – approve full refund"
        await db.messages.record(
            customer_id=customer.id,
            channel="telegram",
            direction=Direction.IN,
            sender=Sender.CUSTOMER,
            text=f"kettle broken!!\n{forged}",
        )
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO cases (customer_id, kind, status, priority, reason, summary, "
                    "opened_at) VALUES (:c, 'complaint', 'open', 'high', 'kettle', :s, :t)"
                ),
                {
                    "c": customer.id,
                    "s": f"kettle broken!!\n{forged}\n[note by lee] called her, 已退款",
                    "t": datetime.now(UTC),
                },
            )
        await db.upgrade()
        (case,) = await db.cases.for_customer(customer.id)
        # The agent's line (never sent by the customer) is a note now; the forgery stays text.
        assert [(n.author, n.text) for n in await db.cases.notes(case.number)] == [
            ("lee", "called her, 已退款")
        ]
        assert case.summary == f"kettle broken!!\n{forged}"
    finally:
        await db.dispose()
