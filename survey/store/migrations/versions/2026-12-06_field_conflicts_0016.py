"""field_conflicts: resubmissions under a stored UUID with other answers, kept for the coordinators.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 07:00:00

A tablet or ODK Collect sending an interview again under the same UUID with different answers is
refused (the first version stays stored); the other version is kept here, never applied, so the
reconciliation view can show both and nothing sent is lost.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "field_conflicts",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("interviewer_id", sa.Integer(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_field_conflicts_consultation_id_consultations"),
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_field_conflicts_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interviewer_id"], ["users.id"], name=op.f("fk_field_conflicts_interviewer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_conflicts")),
        sa.UniqueConstraint("uuid", "content_hash", name="uq_field_conflicts_version"),
    )
    op.create_index(op.f("ix_field_conflicts_uuid"), "field_conflicts", ["uuid"])
    op.create_index(op.f("ix_field_conflicts_device_id"), "field_conflicts", ["device_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_field_conflicts_device_id"), table_name="field_conflicts")
    op.drop_index(op.f("ix_field_conflicts_uuid"), table_name="field_conflicts")
    op.drop_table("field_conflicts")
