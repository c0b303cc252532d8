"""feedback kind: praise, criticism or a suggestion, so suggestions can be listed as such

Rows written before this revision get their kind from the sign of their sentiment (a
suggestion was stored as mild praise then, and stays praise).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 08:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), server_default="criticism", nullable=False)
        )
    op.execute("UPDATE feedback SET kind = 'praise' WHERE sentiment > 0")


def downgrade() -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_column("kind")
