"""invitations: optional one-code-one-response access for recruited panels.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (both backends, SQLite included): a batch copy would drop ``consultations``,
    # which other tables point at, and foreign keys refuse that on a populated store.
    op.add_column(
        "consultations", sa.Column("invitation_only", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("batch", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_uuid", sa.String(length=36), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_invitations_consultation_id_consultations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_invitations_code_hash")),
    )
    op.create_index(op.f("ix_invitations_consultation_id"), "invitations", ["consultation_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_invitations_consultation_id"), table_name="invitations")
    op.drop_table("invitations")
    op.drop_column("consultations", "invitation_only")  # SQLite 3.35+ drops a column in place
