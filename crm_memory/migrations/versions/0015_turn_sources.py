"""turn sources: what a customer's turn writes names the message it answers, once per message

A turn may run twice for one message (a worker killed, or its lease lost, before the turn's
closing write). Cases, feedback, ratings and the bot's posts in the agents' chat carry the
message whose turn wrote them, with unique indexes, and ``case_edits`` keeps which message
changed which case's summary, so a repeated turn finds what it wrote instead of writing it
again. Rows written before this revision have no source (NULL: never a conflict).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 02:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_message_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("escalated_by", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            "uq_cases_source", ["source_message_id", "kind", "reason"], unique=True
        )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_message_id", sa.BigInteger(), nullable=True))
        batch_op.create_unique_constraint("uq_feedback_source", ["source_message_id"])
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_message_id", sa.BigInteger(), nullable=True))
        batch_op.create_unique_constraint("uq_survey_source", ["source_message_id"])
    with op.batch_alter_table("desk_posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_message_id", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            "ix_desk_posts_source", ["source_message_id", "case_number"], unique=False
        )
    op.create_table(
        "case_edits",
        sa.Column("case_number", sa.BigInteger().with_variant(sa.Integer(), "sqlite")),
        sa.Column("source_message_id", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_number"],
            ["cases.number"],
            name=op.f("fk_case_edits_case_number_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "case_number", "source_message_id", "seq", name=op.f("pk_case_edits")
        ),
    )


def downgrade() -> None:
    op.drop_table("case_edits")
    with op.batch_alter_table("desk_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_desk_posts_source")
        batch_op.drop_column("source_message_id")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_constraint("uq_survey_source", type_="unique")
        batch_op.drop_column("source_message_id")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_constraint("uq_feedback_source", type_="unique")
        batch_op.drop_column("source_message_id")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("uq_cases_source")
        batch_op.drop_column("escalated_by")
        batch_op.drop_column("source_message_id")
