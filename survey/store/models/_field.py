"""Field-only tables: assignments, quotas (and their adaptive plan), sync receipts and device manifests.

They live beside the common store (same ``Base``) but only the field app writes them, so the
response tables stay exactly what every mode shares.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey.store.models._base import Base, BigId, utcnow


class FieldAssignment(Base):
    """Which interviewer may collect for which consultation (and so download its questionnaire)."""

    __tablename__ = "field_assignments"
    __table_args__ = (UniqueConstraint("user_id", "consultation_id", name="uq_field_assignments_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FieldQuota(Base):
    """An analyst's target count for one answer category (``sex`` = ``F``: 120 interviews)."""

    __tablename__ = "field_quotas"
    __table_args__ = (
        UniqueConstraint("consultation_id", "variable", "category", name="uq_field_quotas_cell"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    variable: Mapped[str] = mapped_column(String(128))
    category: Mapped[str] = mapped_column(String(200))
    target: Mapped[int] = mapped_column(Integer)


class FieldAdaptivePlan(Base):
    """A consultation whose quotas follow the field plan: re-planned whenever the stored counts change.

    ``budget`` is the field interviews of the whole campaign; ``start_field`` the field and paper
    responses stored when it was switched on, so every one stored since is an interview spent.
    ``seen`` is what the stored counts and targets were at the last plan (`field_app.adaptive`): the
    plan is recomputed only when it differs. ``problem`` says why the last attempt could not plan.
    """

    __tablename__ = "field_adaptive_plans"
    __table_args__ = (
        CheckConstraint("budget >= 0", name="budget"),
        CheckConstraint("start_field >= 0", name="start_field"),
    )

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id"), primary_key=True, autoincrement=False
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    cells: Mapped[str] = mapped_column(String(500))
    budget: Mapped[int] = mapped_column(Integer)
    start_field: Mapped[int] = mapped_column(Integer, default=0)
    seen: Mapped[str] = mapped_column(String(100), default="")
    planned_at: Mapped[dt.datetime | None]
    problem: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(150), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FieldReceipt(Base):
    """Every item a device uploaded: the interview's client hash and note, or a contact outcome.

    A contact without an interview (refusal, not at home) has no response row: it is counted from
    here. The client hash lets the reconciliation view tell "received" from "conflicting".
    """

    __tablename__ = "field_receipts"
    __table_args__ = (
        CheckConstraint("kind IN ('interview', 'contact')", name="kind"),
        CheckConstraint("outcome IS NULL OR outcome IN ('refusal', 'not_at_home')", name="outcome"),
        Index("ix_field_receipts_consultation_outcome", "consultation_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), index=True)
    interviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    client_hash: Mapped[str] = mapped_column(String(64))
    contacted_at: Mapped[dt.datetime | None]
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FieldManifestEntry(Base):
    """One UUID a device said it holds at its last sync; replaced wholesale at each report."""

    __tablename__ = "field_manifest_entries"
    __table_args__ = (UniqueConstraint("device_id", "uuid", name="uq_field_manifest_entries_item"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    uuid: Mapped[str] = mapped_column(String(36))
    client_hash: Mapped[str] = mapped_column(String(64))
    reported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FieldDeviceReport(Base):
    """What a tablet said at its last sync about the work it holds but has not sent.

    ``reported_at`` is the last sync that carried the tablet's manifest (even an empty one);
    ``unfinished`` counts interviews started and not finished (drafts never travel, so the server
    cannot count them itself), null when the tablet did not say.
    """

    __tablename__ = "field_device_reports"

    device_id: Mapped[int] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    unfinished: Mapped[int | None] = mapped_column(Integer)
    reported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FieldSupervisorCode(Base):
    """A consultation's supervisor unlock code, kept only as a salted PBKDF2 hash.

    Tablets get the same hash (never the code) with their assignments, so a supervisor can unlock
    an interviewer locked out by wrong PINs without a network; a new code reaches them at the next sync.
    """

    __tablename__ = "field_supervisor_codes"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    salt: Mapped[str] = mapped_column(String(64))
    iterations: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(128))
    set_by: Mapped[str] = mapped_column(String(150))
    set_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FieldClockFault(Base):
    """A time a tablet sent that cannot be true (year 1, or after the server's tomorrow).

    The item is kept with that time unknown (the end time becomes the server's receipt time); this
    row keeps what the tablet said, for audit and for the coordinators' "clock wrong" warning.
    """

    __tablename__ = "field_clock_faults"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(16))
    reported: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FieldConflict(Base):
    """A resubmission under a UUID the store already holds, with other answers: kept, never applied.

    The response first received stays the stored one (a resent interview must not overwrite what
    analysts may already have counted); the other version (its questionnaire version, mode, language
    and raw answers) is kept here so a coordinator sees, in the reconciliation view, that it exists,
    when each version arrived and which one counts, and nothing sent is lost. One row per distinct
    other version: sending it again only moves ``last_received_at``.
    """

    __tablename__ = "field_conflicts"
    __table_args__ = (UniqueConstraint("uuid", "content_hash", name="uq_field_conflicts_version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    interviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]]
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
