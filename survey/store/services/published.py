"""Whether a consultation has public results: the citizen pages ask it to link a closed consultation to them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.store.models import Consultation, ResultSnapshot


def has_published(session: Session, consultation: Consultation) -> bool:
    """Whether any results of this consultation are public (without loading their content)."""
    query = select(ResultSnapshot.id).where(
        ResultSnapshot.consultation_id == consultation.id,
        ResultSnapshot.published_at.is_not(None),
        ResultSnapshot.withdrawn_at.is_(None),
    )
    return session.scalar(query.limit(1)) is not None
