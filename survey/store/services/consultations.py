"""Consultations and questionnaire versions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, defer

from survey.questionnaire.model import Questionnaire
from survey.store.db import on_postgresql
from survey.store.errors import ImmutableError, NotFoundError
from survey.store.models import Consultation, QuestionnaireVersion
from survey.store.services.audit import record

Versions = list[QuestionnaireVersion]  # named before the class, whose ``list`` method shadows the builtin


@dataclass(frozen=True)
class VersionResult:
    """A stored version and whether this call created it (False: identical content existed)."""

    version: QuestionnaireVersion
    created: bool


class ConsultationService:
    """Create consultations, add questionnaire versions, find the current one."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def create(
        self,
        slug: str,
        title: dict[str, str],
        *,
        actor: str,
        description: dict[str, str] | None = None,
        organiser: str = "",
        contact: str = "",
    ) -> Consultation:
        consultation = Consultation(
            slug=slug, title=title, description=description or {}, organiser=organiser, contact=contact
        )
        self.session.add(consultation)
        self.session.flush()
        record(self.session, actor=actor, action="create", entity="consultation", entity_id=consultation.id)
        return consultation

    def get(self, slug: str) -> Consultation:
        found = self.session.scalar(select(Consultation).where(Consultation.slug == slug))
        if found is None:
            raise NotFoundError(f"no consultation '{slug}'")
        return found

    def find(self, slug: str) -> Consultation | None:
        return self.session.scalar(select(Consultation).where(Consultation.slug == slug))

    def list(self) -> list[Consultation]:
        return list(self.session.scalars(select(Consultation).order_by(Consultation.id)))

    def add_version(
        self, consultation: Consultation, questionnaire: Questionnaire, *, source_name: str, actor: str
    ) -> VersionResult:
        """Store a new version unless identical content is already stored (same content hash)."""
        content_hash = questionnaire.content_hash
        existing = self.session.scalar(
            select(QuestionnaireVersion).where(
                QuestionnaireVersion.consultation_id == consultation.id,
                QuestionnaireVersion.content_hash == content_hash,
            )
        )
        if existing is not None:
            return VersionResult(existing, created=False)
        number = (
            self.session.scalar(
                select(func.max(QuestionnaireVersion.number)).where(
                    QuestionnaireVersion.consultation_id == consultation.id
                )
            )
            or 0
        ) + 1
        version = QuestionnaireVersion(
            consultation_id=consultation.id,
            number=number,
            form_id=questionnaire.form_id,
            form_version=questionnaire.version,
            content=questionnaire.to_dict(),
            content_hash=content_hash,
            source_name=source_name,
        )
        self.session.add(version)
        self.session.flush()
        record(
            self.session,
            actor=actor,
            action="import_form",
            entity="questionnaire_version",
            entity_id=version.id,
            details={"consultation": consultation.slug, "number": number, "hash": content_hash},
        )
        return VersionResult(version, created=True)

    def current_version(self, consultation: Consultation) -> QuestionnaireVersion:
        found = self.session.scalar(
            select(QuestionnaireVersion)
            .where(QuestionnaireVersion.consultation_id == consultation.id)
            .order_by(QuestionnaireVersion.number.desc())
            .limit(1)
        )
        if found is None:
            raise NotFoundError(f"consultation '{consultation.slug}' has no questionnaire yet")
        return found

    def version(self, consultation: Consultation, version_id: int) -> QuestionnaireVersion:
        """A version by id; its (large) content loads only if the parsed form is not cached yet.

        Every online submission names its version, so this runs once per response: reading and
        decoding the whole questionnaire JSON each time cost more than storing the answers.
        """
        found = self.session.get(
            QuestionnaireVersion, version_id, options=[defer(QuestionnaireVersion.content)]
        )
        if found is None or found.consultation_id != consultation.id:
            raise NotFoundError(f"no questionnaire version {version_id} in '{consultation.slug}'")
        return found

    def with_version(self, slug: str, version_id: int) -> tuple[Consultation, QuestionnaireVersion]:
        """A consultation and one of its versions in one query: the online submission path's lookup."""
        row = self.session.execute(
            select(Consultation, QuestionnaireVersion)
            .join(QuestionnaireVersion, QuestionnaireVersion.consultation_id == Consultation.id)
            .where(Consultation.slug == slug, QuestionnaireVersion.id == version_id)
            .options(defer(QuestionnaireVersion.content))
        ).first()
        if row is None:
            consultation = self.get(slug)
            return consultation, self.version(consultation, version_id)  # raises the precise error
        return row[0], row[1]

    def open_with_version(self, slug: str, version_id: int) -> tuple[Consultation, QuestionnaireVersion]:
        """``with_version`` for a submission: NotFoundError when the consultation no longer takes answers."""
        consultation, version = self.with_version(slug, version_id)
        if consultation.status != "open":
            raise NotFoundError(f"consultation '{slug}' is not open")
        return consultation, version

    def versions(self, consultation: Consultation) -> Versions:
        return list(
            self.session.scalars(
                select(QuestionnaireVersion)
                .where(QuestionnaireVersion.consultation_id == consultation.id)
                .order_by(QuestionnaireVersion.number)
            )
        )

    def replace_content(self, version: QuestionnaireVersion, questionnaire: Questionnaire) -> None:
        """Edit a version in place: allowed only while nobody has answered it (the database enforces it).

        On PostgreSQL the responses table is locked against inserts first, so a response being
        stored at this moment is either committed before the edit (which the guard then refuses)
        or waits and is checked against the new content (see ``intake``).
        """
        try:
            with self.session.begin_nested():
                if on_postgresql(self.session):
                    self.session.execute(text("LOCK TABLE responses IN SHARE MODE"))
                version.content = questionnaire.to_dict()
                version.content_hash = questionnaire.content_hash
        except DBAPIError as exc:
            raise ImmutableError(
                f"questionnaire version {version.number} already has responses: import a new version instead"
            ) from exc


def load_questionnaire(version: QuestionnaireVersion) -> Questionnaire:
    """The typed questionnaire of a stored version.

    Versions are immutable once answered, so the parsed form is cached by content hash: every
    submission would otherwise rebuild the whole model from JSON.
    """
    found = _CACHE.get(version.content_hash)
    if found is None:
        found = Questionnaire.from_dict(version.content)
        if len(_CACHE) > 256:
            _CACHE.clear()
        _CACHE[version.content_hash] = found
    return found


_CACHE: dict[str, Questionnaire] = {}
