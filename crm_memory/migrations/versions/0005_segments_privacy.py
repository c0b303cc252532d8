"""segments, lifetime value, erasure and the agents' chat posts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm_memory.sql._models


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lifetime_value', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('tier_source', sa.String(length=16), nullable=False, server_default='rule'))
        batch_op.add_column(sa.Column('erased_at', crm_memory.sql._models.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('segment_at', crm_memory.sql._models.UtcDateTime(timezone=True), nullable=True))

    op.create_table('desk_posts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('case_number', sa.BigInteger(), nullable=True),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('message_id', sa.BigInteger(), nullable=False),
    sa.Column('thread_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', crm_memory.sql._models.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_desk_posts_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_posts'))
    )
    with op.batch_alter_table('desk_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_posts_customer_id'), ['customer_id'], unique=False)

    # Reports group by these.
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('topic', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_cases_opened_at', ['opened_at'], unique=False)
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agent_wrote', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index('ix_conversations_started_at', ['started_at'], unique=False)
    op.execute(
        "UPDATE conversations SET agent_wrote = TRUE WHERE EXISTS (SELECT 1 FROM messages"
        " WHERE messages.conversation_id = conversations.id AND messages.sender = 'agent')"
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index('ix_survey_responses_created_at', ['created_at'], unique=False)
    # Covering: the report counts messages by time, sender and intent from the index alone.
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_created_at')
        batch_op.create_index('ix_messages_created_sender_intent', ['created_at', 'sender', 'intent'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_created_sender_intent')
        batch_op.create_index('ix_messages_created_at', ['created_at'], unique=False)
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_responses_created_at')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_conversations_started_at')
        batch_op.drop_column('agent_wrote')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_opened_at')
        batch_op.drop_column('topic')
    with op.batch_alter_table('desk_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desk_posts_customer_id'))
    op.drop_table('desk_posts')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('segment_at')
        batch_op.drop_column('erased_at')
        batch_op.drop_column('tier_source')
        batch_op.drop_column('lifetime_value')
