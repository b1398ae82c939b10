"""attachments: the bytes of photo, recording and file answers, in the store itself.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 09:30:00

In the database rather than a folder: it works the same on SQLite and PostgreSQL, and a backup of
the store holds the files with the answers that name them. A new table only: nothing is rewritten,
and the downgrade drops only what this revision added.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("response_uuid", sa.String(length=36), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=128), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["consultations.id"], name=op.f("fk_attachments_consultation_id_consultations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("response_uuid", "question", name="uq_attachments_slot"),
    )  # fmt: skip
    op.create_index(op.f("ix_attachments_response_uuid"), "attachments", ["response_uuid"], unique=False)
    op.create_index(op.f("ix_attachments_consultation_id"), "attachments", ["consultation_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_attachments_consultation_id"), table_name="attachments")
    op.drop_index(op.f("ix_attachments_response_uuid"), table_name="attachments")
    op.drop_table("attachments")
