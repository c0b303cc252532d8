"""canned replies: named answers agents send, with a text per language and an attachment

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm_memory.sql._models


revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = crm_memory.sql._models.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "canned_replies",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("attachment_kind", sa.String(length=16), nullable=True),
        sa.Column("attachment_file_id", sa.String(length=512), nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.Column("updated_at", When, nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_replies")),
        sa.UniqueConstraint("name", name=op.f("uq_canned_replies_name")),
    )
    op.create_table(
        "canned_variants",
        sa.Column("canned_id", BigId, nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["canned_id"],
            ["canned_replies.id"],
            name=op.f("fk_canned_variants_canned_id_canned_replies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("canned_id", "language", name=op.f("pk_canned_variants")),
    )


def downgrade() -> None:
    op.drop_table("canned_variants")
    op.drop_table("canned_replies")
