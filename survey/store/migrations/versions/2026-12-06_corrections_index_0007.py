"""index on responses.replaces_uuid: a field correction supersedes the interview it replaces.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 00:05:00

Every reader of complete responses excludes those a complete correction replaces
(:mod:`survey.store.services.counted`), which looks responses up by ``replaces_uuid``; without an
index that lookup would scan the table once per response.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_responses_replaces_uuid", "responses", ["replaces_uuid"])


def downgrade() -> None:
    op.drop_index("ix_responses_replaces_uuid", table_name="responses")
