"""field_device_reports: what a tablet said at its last sync about work it has not sent.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 00:15:00

One row per device, replaced at each sync that carries a manifest (with the optional ``unfinished``
count), so the coordinators' page can tell a tablet that never synced, or still holds unfinished
interviews, from one that was complete at its last sync.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "field_device_reports",
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("unfinished", sa.Integer(), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_field_device_reports_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_field_device_reports")),
    )


def downgrade() -> None:
    op.drop_table("field_device_reports")
