"""staff_sessions: a signed-in staff member's session, so that signing out ends it on the server.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 00:40:00

A signed cookie alone stayed valid until it expired (8 hours), even after sign-out, a password
change or a role change: whoever had copied it kept access. Each sign-in now stores the SHA-256 of
a random session id (never the id itself) with its account and expiry; a request is admitted only
while its row exists. Sign-out deletes the row; a password or role change deletes all of the account's.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_staff_sessions_user_id", "staff_sessions", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_staff_sessions_user_id", table_name="staff_sessions")
    op.drop_table("staff_sessions")
