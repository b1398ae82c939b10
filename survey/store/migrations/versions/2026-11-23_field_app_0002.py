"""field app: interviewer assignments, quotas, sync receipts (incl. contact outcomes), device manifests.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "field_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["consultations.id"],
            name=op.f("fk_field_assignments_consultation_id_consultations"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_field_assignments_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_assignments")),
        sa.UniqueConstraint("user_id", "consultation_id", name="uq_field_assignments_pair"),
    )  # fmt: skip
    op.create_index(op.f("ix_field_assignments_user_id"), "field_assignments", ["user_id"])
    op.create_table(
        "field_quotas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("variable", sa.String(length=128), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_field_quotas_consultation_id_consultations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_quotas")),
        sa.UniqueConstraint("consultation_id", "variable", "category", name="uq_field_quotas_cell"),
    )
    op.create_index(op.f("ix_field_quotas_consultation_id"), "field_quotas", ["consultation_id"])
    op.create_table(
        "field_receipts",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("interviewer_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("client_hash", sa.String(length=64), nullable=False),
        sa.Column("contacted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('interview', 'contact')", name=op.f("ck_field_receipts_kind")),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN ('refusal', 'not_at_home')", name=op.f("ck_field_receipts_outcome")
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["consultations.id"],
            name=op.f("fk_field_receipts_consultation_id_consultations"),
        ),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name=op.f("fk_field_receipts_device_id_devices")),
        sa.ForeignKeyConstraint(["interviewer_id"], ["users.id"], name=op.f("fk_field_receipts_interviewer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_receipts")),
        sa.UniqueConstraint("uuid", name=op.f("uq_field_receipts_uuid")),
    )  # fmt: skip
    op.create_index(op.f("ix_field_receipts_device_id"), "field_receipts", ["device_id"])
    op.create_index(
        "ix_field_receipts_consultation_outcome", "field_receipts", ["consultation_id", "outcome"]
    )
    op.create_table(
        "field_manifest_entries",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("client_hash", sa.String(length=64), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_field_manifest_entries_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_manifest_entries")),
        sa.UniqueConstraint("device_id", "uuid", name="uq_field_manifest_entries_item"),
    )  # fmt: skip
    op.create_index(op.f("ix_field_manifest_entries_device_id"), "field_manifest_entries", ["device_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_field_manifest_entries_device_id"), table_name="field_manifest_entries")
    op.drop_table("field_manifest_entries")
    op.drop_index("ix_field_receipts_consultation_outcome", table_name="field_receipts")
    op.drop_index(op.f("ix_field_receipts_device_id"), table_name="field_receipts")
    op.drop_table("field_receipts")
    op.drop_index(op.f("ix_field_quotas_consultation_id"), table_name="field_quotas")
    op.drop_table("field_quotas")
    op.drop_index(op.f("ix_field_assignments_user_id"), table_name="field_assignments")
    op.drop_table("field_assignments")
