"""leases: each inbox row names its chat, and a lease per chat says which worker handles it

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from crm_memory.sql._models import UtcDateTime

revision: str = "0013"
down_revision: str | None = "0012"  # after 0012 (assign)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chat", sa.String(length=200), nullable=True))
        batch_op.create_index("ix_inbox_chat", ["channel", "chat", "update_id"], unique=False)
    # Rows stored before this revision: their sender is their chat (a private chat's id is
    # its user's); rows with neither are a chat of their own.
    op.execute(
        "UPDATE inbox SET chat = COALESCE(sender, 'update:' || CAST(update_id AS VARCHAR(30)))"
        " WHERE chat IS NULL"
    )
    op.create_table(
        "inbox_leases",
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("chat", sa.String(length=200), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=True),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "chat", name=op.f("pk_inbox_leases")),
    )


def downgrade() -> None:
    op.drop_table("inbox_leases")
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.drop_index("ix_inbox_chat")
        batch_op.drop_column("chat")
