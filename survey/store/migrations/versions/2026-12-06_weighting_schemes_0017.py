"""weighting_schemes: a named choice of targets version, method, margins, bounds and trimming.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 06:30:00

Snapshots, reports and the analyst API name the weighting they show by a scheme's name; the scheme
points at one target-set version, so uploading newer targets never changes what it means. A new
table only: nothing is rewritten, and the downgrade drops only what this revision added.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "weighting_schemes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("target_set_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["consultations.id"],
            name=op.f("fk_weighting_schemes_consultation_id_consultations"),
        ),
        sa.ForeignKeyConstraint(
            ["target_set_id"], ["target_sets.id"], name=op.f("fk_weighting_schemes_target_set_id_target_sets")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_weighting_schemes_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weighting_schemes")),
        sa.UniqueConstraint("consultation_id", "name", name=op.f("uq_weighting_schemes_name")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_weighting_schemes_consultation_id"), "weighting_schemes", ["consultation_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_weighting_schemes_consultation_id"), table_name="weighting_schemes")
    op.drop_table("weighting_schemes")
