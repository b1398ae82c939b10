"""Result snapshots: frozen, citable results; the public pages only ever read these rows.

Why a frozen copy instead of recomputing: a published figure must not move when a late response
arrives or targets are re-uploaded. The row names exactly what produced it (data hash,
questionnaire version, targets version, method, software version) so it can be reproduced.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.store.models._base import Base, utcnow


class ResultSnapshot(Base):
    """One frozen weighting run; ``published_at`` set means it is visible without login, until
    ``withdrawn_at`` is set (the row stays, so links to it explain the withdrawal)."""

    __tablename__ = "result_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"))
    target_set_id: Mapped[int] = mapped_column(ForeignKey("target_sets.id"))
    data_hash: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(32))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    software_version: Mapped[str] = mapped_column(String(40))
    content: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[dt.datetime | None]
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(default=None)
