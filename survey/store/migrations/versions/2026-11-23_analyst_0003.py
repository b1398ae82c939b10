"""analyst: result snapshots (frozen weighting runs; published ones are public).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "result_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_version_id", sa.Integer(), nullable=False),
        sa.Column("target_set_id", sa.Integer(), nullable=False),
        sa.Column("data_hash", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("software_version", sa.String(length=40), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["consultations.id"],
            name=op.f("fk_result_snapshots_consultation_id_consultations"),
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_version_id"], ["questionnaire_versions.id"],
            name=op.f("fk_result_snapshots_questionnaire_version_id_questionnaire_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["target_set_id"], ["target_sets.id"], name=op.f("fk_result_snapshots_target_set_id_target_sets")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_result_snapshots_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_snapshots")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_result_snapshots_consultation_id"), "result_snapshots", ["consultation_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_result_snapshots_consultation_id"), table_name="result_snapshots")
    op.drop_table("result_snapshots")
