"""consultation_grants: analysts and coordinators act only on the consultations granted to them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 03:10:00

A policy lab runs consultations for several public bodies; until now every analyst read every
consultation and every coordinator reconciled every tablet. Rights of analysts and coordinators are
now per consultation (admins stay global, interviewers keep their field assignments as their grants).

Nobody is locked out by the upgrade: every existing analyst and coordinator account receives a grant
of its role on every existing consultation (``granted_by`` = ``migration 0011``), so each keeps
exactly what it saw before. Narrow them afterwards with ``survey grant remove``. Consultations created
later are granted explicitly (``survey grant add``). Downgrading drops the table and every grant
with it (the older code does not read them).
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GRANTED_BY = "migration 0011"


def upgrade() -> None:
    grants = op.create_table(
        "consultation_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("granted_by", sa.String(length=120), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('analyst', 'coordinator')", name=op.f("ck_consultation_grants_role")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_consultation_grants_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_grants_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_grants")),
        sa.UniqueConstraint("user_id", "consultation_id", "role", name="uq_consultation_grants_user_role"),
    )
    assert grants is not None
    op.create_index("ix_consultation_grants_user_id", "consultation_grants", ["user_id"])
    op.create_index("ix_consultation_grants_consultation_id", "consultation_grants", ["consultation_id"])
    users = sa.table("users", sa.column("id", sa.Integer()), sa.column("role", sa.String()))
    consultations = sa.table("consultations", sa.column("id", sa.Integer()))
    existing = (
        sa.select(
            users.c.id,
            consultations.c.id,
            users.c.role,
            sa.literal(GRANTED_BY, sa.String()),
            sa.literal(datetime.now(UTC), sa.DateTime(timezone=True)),
        )
        .select_from(users.join(consultations, sa.true()))
        .where(users.c.role.in_(("analyst", "coordinator")))
    )
    columns = ["user_id", "consultation_id", "role", "granted_by", "granted_at"]
    op.execute(grants.insert().from_select(columns, existing))


def downgrade() -> None:
    op.drop_index("ix_consultation_grants_consultation_id", table_name="consultation_grants")
    op.drop_index("ix_consultation_grants_user_id", table_name="consultation_grants")
    op.drop_table("consultation_grants")
