"""What the console's quota editor asks of the store and of the field app, on the request's session."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from sqlalchemy.orm import Session

from survey.console import guards
from survey.console.people_field import FieldOps, QuotaLine, field_ops
from survey.questionnaire.model import QuestionType
from survey.store.errors import NotFoundError, StoreError
from survey.store.models import Consultation, User
from survey.store.services.consultations import ConsultationService, load_questionnaire


class QuotaEditorService:
    """A consultation's quota lines, the cells they may use, and their replacement (the field app's rule)."""

    def __init__(self, session: Session, ops: FieldOps) -> None:
        self.session = session
        self.ops = ops

    def consultation_for(self, user: User, slug: str, right: str) -> Consultation:
        """See :func:`guards.consultation_for`."""
        return guards.consultation_for(self.session, user, slug, right)

    def lines(self, consultation: Consultation, lang: str) -> list[QuotaLine]:
        """The stored cells with their targets and counts, in words of ``lang``."""
        return self.ops.quotas(self.session, consultation, lang)

    def choices(self, consultation: Consultation) -> list[tuple[str, list[str]]]:
        """The single-choice questions of the current form and their choice names: what a cell may use."""
        try:
            questionnaire = load_questionnaire(
                ConsultationService(self.session).current_version(consultation)
            )
        except NotFoundError:
            return []
        return [
            (q.name, [c.name for c in questionnaire.choices_for(q)])
            for q in questionnaire.questions
            if q.type is QuestionType.SELECT_ONE
        ]

    def replace(self, consultation: Consultation, lines: list[QuotaLine], *, actor: str) -> None:
        """Replace the quotas; a refusal (StoreError, every problem at once) leaves the store as it was."""
        try:
            self.ops.set_quotas(self.session, consultation, lines, actor=actor)
        except StoreError:
            self.session.rollback()
            raise


def provide_quota_editor(
    request: Request[Any, Any, Any], db_session: NamedDependency[Session]
) -> QuotaEditorService:
    """The editor on the request's session and the field operations the app was assembled with."""
    return QuotaEditorService(db_session, field_ops(request))
