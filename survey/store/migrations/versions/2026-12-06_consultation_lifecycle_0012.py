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
    op.drop_column("responses", "is_test")  # SQLite 3.35+ drops a column in place
    with op.batch_alter_table("consultations") as batch:
        batch.drop_column("privacy_notice")
        batch.drop_column("closes_at")
        batch.drop_column("opens_at")
