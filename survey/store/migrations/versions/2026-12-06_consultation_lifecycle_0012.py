"""consultation lifecycle: opening and closing dates, privacy notice; test responses.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 03:10:00

The console schedules a consultation (``opens_at``, ``closes_at``: the status is derived from them
when read, so no background job is needed), stores its privacy notice per language, and marks the
responses organisers give while trying a questionnaire (``is_test``) so that no result counts them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# Adding a column with a constant default is a catalogue change on PostgreSQL 11 and later: the
# ACCESS EXCLUSIVE lock on ``responses`` is held only while the catalogue is updated, no rewrite.
locks_big_tables = "adds responses.is_test: a brief ACCESS EXCLUSIVE lock on responses, no table rewrite"


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy: SQLite would rebuild ``responses`` and break the trigger
    # that keeps answered questionnaire versions immutable (it names that table).
    op.add_column("consultations", sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("consultations", sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "consultations", sa.Column("privacy_notice", sa.JSON(), nullable=False, server_default="{}")
    )
    op.add_column("responses", sa.Column("is_test", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place; a batch copy of ``consultations`` would drop the table
    # every other one points at, which foreign keys refuse.
    op.drop_column("responses", "is_test")
    for column in ("privacy_notice", "closes_at", "opens_at"):
        op.drop_column("consultations", column)
