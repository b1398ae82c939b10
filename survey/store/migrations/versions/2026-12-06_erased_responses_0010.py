"""erased_responses: UUIDs erased at a person's request, so a tablet's replay cannot store them again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 01:10:00

``survey erase`` removes a response and everything stored from it; a tablet that never saw the
acknowledgement would send the same interview again, which the store would accept as new. The UUID
(an identifier without content) and the moment are kept; nothing else.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erased_responses",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_erased_responses")),
    )


def downgrade() -> None:
    op.drop_table("erased_responses")
