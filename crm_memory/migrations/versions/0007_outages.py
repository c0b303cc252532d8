"""outages: a chat's owner in SQL; inbox attempts, parked failures and their reason

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 10:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm_memory.sql._models


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = crm_memory.sql._models.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('chat_owners',
    sa.Column('chat', sa.String(length=200), nullable=False),
    sa.Column('agent', sa.String(length=100), nullable=False),
    sa.Column('case_number', sa.BigInteger(), nullable=True),
    sa.Column('claimed_at', When, nullable=False),
    sa.PrimaryKeyConstraint('chat', name=op.f('pk_chat_owners'))
    )
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('failed_at', When, nullable=True))
        batch_op.add_column(sa.Column('error', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.drop_column('error')
        batch_op.drop_column('failed_at')
        batch_op.drop_column('attempts')
    op.drop_table('chat_owners')
