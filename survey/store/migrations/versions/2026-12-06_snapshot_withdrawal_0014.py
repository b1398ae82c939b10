"""snapshot withdrawal: a published result can be withdrawn, and its page says so with the date.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 03:30:00

Deleting a published snapshot would break every link and citation to it without a word; a
withdrawn snapshot keeps its row (for audit and for the page that explains the withdrawal) but is
no longer shown as results. Only a nullable column is added, which takes no table rewrite.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("result_snapshots") as batch:
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("result_snapshots") as batch:
        batch.drop_column("withdrawn_at")
