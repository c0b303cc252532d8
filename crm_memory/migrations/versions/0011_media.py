"""media: each message's attachment (kind, Telegram file id, mime type, size, name, caption)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm_memory.sql._models


revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = crm_memory.sql._models.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "media",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("message_id", BigId, nullable=False),
        sa.Column("customer_id", BigId, nullable=False),
        sa.Column("case_number", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_id", sa.String(length=256), nullable=False),
        sa.Column("file_unique_id", sa.String(length=128), nullable=False),
        sa.Column("mime_type", sa.String(length=128), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("file_name", sa.String(length=256), nullable=True),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=128), nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.Column("forgotten", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_media_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_media_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media")),
        sa.UniqueConstraint("message_id", name="uq_media_message_id"),
    )
    op.create_index("ix_media_customer_id", "media", ["customer_id"], unique=False)
    op.create_index("ix_media_case_number", "media", ["case_number"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_media_case_number", table_name="media")
    op.drop_index("ix_media_customer_id", table_name="media")
    op.drop_table("media")
