"""case notes as their own rows; idempotency keys of desk and API actions

Notes used to be appended to a case's summary as "[note by NAME] text" lines and read back
by that prefix, so a customer who wrote such a line had it shown as an agent's note. The
upgrade moves a summary line into case_notes only when it can be told apart from the
customer's words: it starts with "[note by NAME] " and it is not in any message the customer
sent. A line a customer did write (a forgery, or a quote) stays in the summary as text, as
does everything once the customer's messages were erased or expired (nothing to compare
with). Moved notes carry the upgrade's time: when they were written was never stored.
(A note of several lines moves with its first line only: the old form did not mark where it
ended.) The downgrade appends the notes to their summaries again, in the old form.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 14:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import crm_memory.sql._models


revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = crm_memory.sql._models.UtcDateTime(timezone=True)
PREFIX = "[note by "

cases = sa.table(
    "cases",
    sa.column("number", sa.BigInteger),
    sa.column("customer_id", sa.BigInteger),
    sa.column("summary", sa.Text),
)
messages = sa.table(
    "messages",
    sa.column("customer_id", sa.BigInteger),
    sa.column("direction", sa.String),
    sa.column("text", sa.Text),
)
notes = sa.table(
    "case_notes",
    sa.column("id", BigId),
    sa.column("case_number", sa.BigInteger),
    sa.column("author", sa.String),
    sa.column("text", sa.Text),
    sa.column("created_at", When),
)


def split_note(line: str) -> tuple[str, str] | None:
    """(author, text) of an old "[note by NAME] text" line, or None."""
    if not line.startswith(PREFIX) or "] " not in line:
        return None
    author, _, text = line[len(PREFIX) :].partition("] ")
    if not author.strip() or not text.strip() or len(author) > 100:
        return None
    return author.strip(), text.strip()


def upgrade() -> None:
    op.create_table(
        "case_notes",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("case_number", BigId, nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_number"],
            ["cases.number"],
            name=op.f("fk_case_notes_case_number_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
    )
    with op.batch_alter_table("case_notes", schema=None) as batch_op:
        batch_op.create_index("ix_case_notes_case", ["case_number", "id"], unique=False)
    op.create_table(
        "idempotency_keys",
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.PrimaryKeyConstraint("actor", "key", name=op.f("pk_idempotency_keys")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index("ix_idempotency_keys_created_at", ["created_at"], unique=False)
    move_notes_out_of_summaries()


def move_notes_out_of_summaries() -> None:
    connection = op.get_bind()
    moved_at = datetime.now(UTC)
    found = connection.execute(
        sa.select(cases.c.number, cases.c.customer_id, cases.c.summary)
        .where(cases.c.summary.contains(PREFIX, autoescape=True))
        .order_by(cases.c.number)
    ).all()
    for number, customer_id, summary in found:
        said = connection.scalars(
            sa.select(messages.c.text).where(
                messages.c.customer_id == customer_id, messages.c.direction == "in"
            )
        ).all()
        kept, moved = [], []
        for line in summary.splitlines():
            note = split_note(line.strip())
            # Only a line the customer never sent can have been written by an agent.
            if note is None or any(line.strip() in text for text in said):
                kept.append(line)
            else:
                moved.append(note)
        if not moved:
            continue
        connection.execute(
            sa.insert(notes),
            [
                {"case_number": number, "author": a, "text": t, "created_at": moved_at}
                for a, t in moved
            ],
        )
        connection.execute(
            sa.update(cases).where(cases.c.number == number).values(summary="\n".join(kept).strip())
        )


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(notes.c.case_number, notes.c.author, notes.c.text).order_by(notes.c.id)
    ).all()
    for number, author, text in rows:
        summary = connection.scalar(sa.select(cases.c.summary).where(cases.c.number == number))
        line = f"{PREFIX}{author}] {text}"
        connection.execute(
            sa.update(cases)
            .where(cases.c.number == number)
            .values(summary=f"{summary or ''}\n{line}".strip())
        )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_idempotency_keys_created_at")
    op.drop_table("idempotency_keys")
    with op.batch_alter_table("case_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_case_notes_case")
    op.drop_table("case_notes")
