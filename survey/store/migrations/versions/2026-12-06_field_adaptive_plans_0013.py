"""field_adaptive_plans: consultations whose field quotas follow the field plan (issue #17).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 03:30:00

One row per consultation switched to adaptive quotas: the cells and budget of the plan, the field
count when it began, and what the stored counts were at the last plan (so the server re-plans only
when they change). Dropping it leaves the quotas as last planned.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "field_adaptive_plans",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("cells", sa.String(length=500), nullable=False),
        sa.Column("budget", sa.Integer(), nullable=False),
        sa.Column("start_field", sa.Integer(), nullable=False),
        sa.Column("seen", sa.String(length=100), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=150), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("budget >= 0", name=op.f("ck_field_adaptive_plans_budget")),
        sa.CheckConstraint("start_field >= 0", name=op.f("ck_field_adaptive_plans_start_field")),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_field_adaptive_plans_consultation_id_consultations"),
        ),
        sa.PrimaryKeyConstraint("consultation_id", name=op.f("pk_field_adaptive_plans")),
    )


def downgrade() -> None:
    op.drop_table("field_adaptive_plans")
