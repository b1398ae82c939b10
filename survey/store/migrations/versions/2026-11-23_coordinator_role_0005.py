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

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WITH_COORDINATOR = "role IN ('admin', 'analyst', 'interviewer', 'coordinator')"
WITHOUT_COORDINATOR = "role IN ('admin', 'analyst', 'interviewer')"


def _sqlite_foreign_keys(state: str) -> None:
    """Batch mode drops and recreates ``users``, which devices and responses point at.

    SQLite ignores ``PRAGMA foreign_keys`` inside a transaction, and the engine's begin hook opens
    one (``BEGIN IMMEDIATE``) even in autocommit mode, so that one is committed first. The copy
    keeps every id; ``foreign_key_check`` proves no reference was lost before switching back on.
    """
    with op.get_context().autocommit_block():
        raw = op.get_bind().connection.dbapi_connection
        if raw is None:
            return
        if raw.in_transaction:  # type: ignore[attr-defined]
            raw.execute("COMMIT")  # type: ignore[attr-defined]
        if state == "ON":
            orphans = raw.execute("PRAGMA foreign_key_check").fetchall()  # type: ignore[attr-defined]
            if orphans:
                msg = f"foreign keys broken after rebuilding users: {orphans[:5]}"
                raise RuntimeError(msg)
        raw.execute(f"PRAGMA foreign_keys = {state}")  # type: ignore[attr-defined]


def _replace_check(condition: str) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _sqlite_foreign_keys("OFF")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_role"), type_="check")
        batch.create_check_constraint(op.f("ck_users_role"), condition)
    if sqlite:
        _sqlite_foreign_keys("ON")


def upgrade() -> None:
    _replace_check(WITH_COORDINATOR)


def downgrade() -> None:
    coordinators = op.get_bind().scalar(sa.text("SELECT count(*) FROM users WHERE role = 'coordinator'"))
    if coordinators:
        msg = f"{coordinators} coordinator account(s) exist: change their role before downgrading"
        raise RuntimeError(msg)
    _replace_check(WITHOUT_COORDINATOR)
