"""inbox sender: who sent each stored update, so that an erasure finds theirs

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sender', sa.String(length=200), nullable=True))
        batch_op.create_index('ix_inbox_sender', ['channel', 'sender'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.drop_index('ix_inbox_sender')
        batch_op.drop_column('sender')
