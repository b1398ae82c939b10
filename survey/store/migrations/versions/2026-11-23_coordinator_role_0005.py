"""coordinator role: field coordinators who check tablets against the store (reconciliation).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 16:30:00

Only the CHECK constraint on ``users.role`` changes. SQLite cannot alter a constraint, so batch
mode copies the table; the downgrade refuses to run while coordinator accounts exist rather than
silently deleting or demoting them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from survey.store.migrations.sqlite_foreign_keys import foreign_keys_off

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WITH_COORDINATOR = "role IN ('admin', 'analyst', 'interviewer', 'coordinator')"
WITHOUT_COORDINATOR = "role IN ('admin', 'analyst', 'interviewer')"


def _replace_check(condition: str) -> None:
    with foreign_keys_off("users"), op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_role"), type_="check")
        batch.create_check_constraint(op.f("ck_users_role"), condition)


def upgrade() -> None:
    _replace_check(WITH_COORDINATOR)


def downgrade() -> None:
    coordinators = op.get_bind().scalar(sa.text("SELECT count(*) FROM users WHERE role = 'coordinator'"))
    if coordinators:
        msg = f"{coordinators} coordinator account(s) exist: change their role before downgrading"
        raise RuntimeError(msg)
    _replace_check(WITHOUT_COORDINATOR)
