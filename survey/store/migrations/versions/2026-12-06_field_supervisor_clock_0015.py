"""field_supervisor_codes and field_clock_faults.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 03:30:00

A supervisor unlock code per consultation, stored only as a salted PBKDF2 hash (tablets get the
same hash to unlock offline); and the impossible times tablets with a broken clock sent, kept for
audit while the interview itself is stored with its time unknown.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "field_supervisor_codes",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("iterations", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=128), nullable=False),
        sa.Column("set_by", sa.String(length=150), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_field_supervisor_codes_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consultation_id", name=op.f("pk_field_supervisor_codes")),
    )
    op.create_table(
        "field_clock_faults",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("reported", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_field_clock_faults_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_clock_faults")),
    )
    op.create_index(op.f("ix_field_clock_faults_uuid"), "field_clock_faults", ["uuid"])
    op.create_index(op.f("ix_field_clock_faults_device_id"), "field_clock_faults", ["device_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_field_clock_faults_device_id"), table_name="field_clock_faults")
    op.drop_index(op.f("ix_field_clock_faults_uuid"), table_name="field_clock_faults")
    op.drop_table("field_clock_faults")
    op.drop_table("field_supervisor_codes")
