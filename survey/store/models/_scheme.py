"""Weighting schemes: a named, stored choice of targets version, method, margins, bounds and trimming.

Why a table: "the weighted results" mean nothing without saying how they were weighted; a scheme
gives that choice a name the workbench, the CLI, snapshots, reports and the API all refer to, and it
points at one target-set version, so a newer upload never changes what an existing scheme means.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey.store.models._base import Base, utcnow


class WeightingScheme(Base):
    """One named scheme of a consultation; ``settings`` holds margins, bounds, trimming and the
    missing-value treatment as :class:`survey.store.services.schemes.SchemeDefinition` writes them."""

    __tablename__ = "weighting_schemes"
    __table_args__ = (UniqueConstraint("consultation_id", "name", name="uq_weighting_schemes_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    target_set_id: Mapped[int] = mapped_column(ForeignKey("target_sets.id"))
    method: Mapped[str] = mapped_column(String(32))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
