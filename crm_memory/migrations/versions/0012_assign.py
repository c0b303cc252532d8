"""assign: agents' status, capacity and skills; the assignment record; SLA alerts

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from crm_memory.sql._models import UtcDateTime

revision: str = "0012"
down_revision: str | None = "0011"  # after 0011 (media)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "agent_profiles",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_at", UtcDateTime(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("last_assigned_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_agent_profiles")),
        sa.UniqueConstraint("telegram_user_id", name="uq_agent_profiles_telegram"),
    )
    op.create_table(
        "case_assignments",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("case_number", BigId, nullable=False),
        sa.Column("agent", sa.String(length=100), nullable=True),
        sa.Column("assigned_at", UtcDateTime(), nullable=False),
        sa.Column("assigned_by", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_number"],
            ["cases.number"],
            name=op.f("fk_case_assignments_case_number_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_assignments")),
    )
    op.create_index("ix_case_assignments_case", "case_assignments", ["case_number", "id"])
    op.create_table(
        "sla_alerts",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("case_number", BigId, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_number"],
            ["cases.number"],
            name=op.f("fk_sla_alerts_case_number_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_alerts")),
        sa.UniqueConstraint("case_number", "kind", name="uq_sla_alerts_case_kind"),
    )


def downgrade() -> None:
    op.drop_table("sla_alerts")
    op.drop_index("ix_case_assignments_case", table_name="case_assignments")
    op.drop_table("case_assignments")
    op.drop_table("agent_profiles")
