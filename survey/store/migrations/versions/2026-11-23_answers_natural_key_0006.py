"""answers keyed by (response, question, position): one value per slot, enforced by the store.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 19:30:00

The surrogate ``id`` and its sequence go; the primary key becomes the natural one, which also
serves every lookup the ``(response_id, question)`` index served. Each stored answer costs one
index entry and one sequence call less (the online submission path writes twenty a response),
and a response can no longer hold two values for one single-choice question. The upgrade refuses
to run, naming how many, if the store already holds such duplicates.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DUPLICATES = """
    SELECT count(*) FROM (
        SELECT 1 FROM answers GROUP BY response_id, question, position HAVING count(*) > 1
    ) AS duplicated
"""


def upgrade() -> None:
    duplicated = op.get_bind().scalar(sa.text(_DUPLICATES))
    if duplicated:
        msg = f"{duplicated} (response, question, position) slot(s) hold more than one answer: resolve them first"
        raise RuntimeError(msg)
    with op.batch_alter_table("answers") as batch:
        batch.drop_index("ix_answers_response_question")
        batch.drop_column("id")  # drops the old primary key with it
        batch.create_primary_key(op.f("pk_answers"), ["response_id", "question", "position"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE answers DROP CONSTRAINT pk_answers")
        op.execute("ALTER TABLE answers ADD COLUMN id BIGSERIAL")
        op.execute("ALTER TABLE answers ADD CONSTRAINT pk_answers PRIMARY KEY (id)")
    else:
        with op.batch_alter_table("answers", recreate="always") as batch:
            batch.drop_constraint(op.f("pk_answers"), type_="primary")
            batch.add_column(sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True))
    op.create_index("ix_answers_response_question", "answers", ["response_id", "question"], unique=False)
