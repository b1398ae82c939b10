"""Per-consultation rights: which staff member may act in which role on which consultation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey.store.models._base import Base, utcnow

GRANT_ROLE_CHECK = "role IN ('analyst', 'coordinator')"


class Grant(Base):
    """An analyst's or coordinator's right on one consultation.

    Why per consultation: a policy lab runs consultations for several public bodies, and an analyst
    working for one must not read another's answers. Admins are global and need no grant;
    interviewers are granted a consultation by their field assignment (``field_assignments``), which
    ``survey.store.services.grants`` reads as the interviewer's grant, so one rule answers for all.
    A grant applies only while the account still holds its role: an analyst turned coordinator keeps
    the rows (the audit trail stays readable) but no analyst rights.
    """

    __tablename__ = "consultation_grants"
    __table_args__ = (
        UniqueConstraint("user_id", "consultation_id", "role", name="uq_consultation_grants_user_role"),
        CheckConstraint(GRANT_ROLE_CHECK, name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    granted_by: Mapped[str] = mapped_column(String(120))
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
