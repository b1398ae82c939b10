"""Population margins per consultation, versioned: a new upload never overwrites an old one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey.store.models._base import Base, utcnow


class TargetSet(Base):
    """One uploaded set of margins; results snapshots point at the version they used."""

    __tablename__ = "target_sets"
    __table_args__ = (UniqueConstraint("consultation_id", "version", name="uq_target_sets_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    version: Mapped[int]
    label: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    population: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Target(Base):
    """One margin cell: ``variable`` may be crossed (``sex:age_group``, category ``F:18-24``)."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("target_set_id", "variable", "category", name="uq_targets_cell"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_set_id: Mapped[int] = mapped_column(ForeignKey("target_sets.id", ondelete="CASCADE"), index=True)
    variable: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(200))
    share: Mapped[float] = mapped_column(Float)
