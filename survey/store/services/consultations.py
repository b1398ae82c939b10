"""Consultations, their lifecycle (draft → open → closed, with dates) and questionnaire versions.

The console and the ``survey consultation`` commands both call this module: one rule, two doors.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.attributes import flag_modified

from survey.questionnaire.model import Questionnaire
from survey.store.db import on_postgresql
from survey.store.errors import ImmutableError, NotFoundError, StoreError
from survey.store.models import Consultation, QuestionnaireVersion
from survey.store.models._base import utcnow
from survey.store.services.audit import record

Versions = list[QuestionnaireVersion]  # named before the class, whose ``list`` method shadows the builtin
Consultations = list[Consultation]


LANGUAGES = ("fr", "nl", "en")
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
STATUSES = ("draft", "open", "closed")
MAX_LINE = 300  # organiser, contact: the columns' width
MAX_TEXT = 20_000  # a description or privacy notice per language


@dataclass(frozen=True)
class Problem:
    """One thing wrong with what an organiser asked for: the field, a stable code, a sentence."""

    field: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ConsultationInputError(StoreError):
    """Refused input, every problem at once (the console shows each beside its field)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass
class ConsultationDraft:
    """What creating a consultation takes; texts are per language (fr, nl, en)."""

    slug: str
    title: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)
    organiser: str = ""
    contact: str = ""
    privacy_notice: dict[str, str] = field(default_factory=dict)
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None

    def problems(self) -> list[Problem]:
        """Everything wrong with the draft (empty when it can be stored)."""
        found: list[Problem] = []
        if not SLUG.match(self.slug):
            found.append(Problem("slug", "slug_format", "use 1 to 80 lower-case letters, digits and hyphens, "
                                 "starting and ending with a letter or digit"))  # fmt: skip
        if not any(v.strip() for v in self.title.values()):
            found.append(Problem("title", "title_missing", "give a title in at least one language"))
        for name, texts in (("title", self.title), ("description", self.description),
                            ("privacy_notice", self.privacy_notice)):  # fmt: skip
            unknown = sorted(set(texts) - set(LANGUAGES))
            if unknown:
                found.append(Problem(name, "language_unknown", f"unknown language {', '.join(unknown)}"))
            limit = MAX_LINE if name == "title" else MAX_TEXT
            for lang, value in texts.items():
                if len(value) > limit:
                    found.append(Problem(f"{name}_{lang}", "too_long", f"at most {limit} characters"))
        for name, value in (("organiser", self.organiser), ("contact", self.contact)):
            if len(value) > MAX_LINE:
                found.append(Problem(name, "too_long", f"at most {MAX_LINE} characters"))
        found.extend(date_problems(self.opens_at, self.closes_at))
        return found


def date_problems(opens_at: dt.datetime | None, closes_at: dt.datetime | None) -> list[Problem]:
    """A closing date must come after the opening date; both must say their time zone."""
    found = [
        Problem(name, "date_naive", "give the time zone (UTC is assumed by the console and the CLI)")
        for name, value in (("opens_at", opens_at), ("closes_at", closes_at))
        if value is not None and value.tzinfo is None
    ]
    if not found and opens_at is not None and closes_at is not None and closes_at <= opens_at:
        found.append(
            Problem("closes_at", "closes_before_opening", "the closing date must come after the opening date")
        )
    return found


def _texts(values: dict[str, str]) -> dict[str, str]:
    """Per-language texts without the empty ones (a missing language falls back when shown)."""
    return {lang: value.strip() for lang, value in values.items() if value.strip()}


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

    def create_draft(
        self, draft: ConsultationDraft, *, actor: str, actor_id: int | None = None
    ) -> Consultation:
        """A new consultation in ``draft``: citizens cannot see it until it is opened (or its opening
        date comes). Every problem is reported at once; a slug already taken is one of them."""
        problems = draft.problems()
        if SLUG.match(draft.slug) and self.find(draft.slug) is not None:
            problems.insert(
                0, Problem("slug", "slug_taken", f"'{draft.slug}' is already used by another consultation")
            )
        if problems:
            raise ConsultationInputError(problems)
        consultation = Consultation(
            slug=draft.slug, title=_texts(draft.title), description=_texts(draft.description),
            organiser=draft.organiser.strip(), contact=draft.contact.strip(),
            privacy_notice=_texts(draft.privacy_notice), status="draft",
            opens_at=draft.opens_at, closes_at=draft.closes_at,
        )  # fmt: skip
        self.session.add(consultation)
        self.session.flush()
        record(self.session, actor=actor, actor_id=actor_id, action="create", entity="consultation",
               entity_id=consultation.id, details={"slug": draft.slug, "status": "draft"})  # fmt: skip
        return consultation

    def open(self, consultation: Consultation, *, actor: str, actor_id: int | None = None) -> None:
        """Open now: citizens and tablets get it. A past closing date is dropped (this reopens it);
        a future one stays. Refused without a questionnaire (there would be nothing to answer)."""
        if self._latest_number(consultation) == 0:
            raise ConsultationInputError([Problem("questionnaire", "no_questionnaire",
                                                  "import a questionnaire before opening the consultation")])  # fmt: skip
        now = utcnow()
        if consultation.closes_at is not None and consultation.closes_at <= now:
            consultation.closes_at = None
        consultation.opens_at = None
        self._set_status(consultation, "open", actor, actor_id)

    def close(self, consultation: Consultation, *, actor: str, actor_id: int | None = None) -> None:
        """Close now: citizens see the closed page, tablets stop offering it (and still sync)."""
        self._set_status(consultation, "closed", actor, actor_id)

    def schedule(
        self,
        consultation: Consultation,
        *,
        opens_at: dt.datetime | None,
        closes_at: dt.datetime | None,
        actor: str,
        actor_id: int | None = None,
    ) -> None:
        """Set (or clear, with None) the dates on which it opens and closes by itself.

        An opening date applies to a draft; a consultation already open ignores it. A closed
        consultation is reopened with ``open`` first, so a date can never reopen it unnoticed.
        """
        problems = date_problems(opens_at, closes_at)
        if consultation.status == "closed":
            problems.append(Problem("status", "already_closed", "the consultation is closed: open it first"))
        if problems:
            raise ConsultationInputError(problems)
        consultation.opens_at, consultation.closes_at = opens_at, closes_at
        # Stored as the new dates make it now (a past closing date closes it at once), so that
        # readers of the bare column agree with those that derive it.
        consultation.status = consultation.status_at(utcnow())
        flag_modified(consultation, "status")
        self.session.flush()
        self.session.refresh(consultation)
        record(self.session, actor=actor, actor_id=actor_id, action="schedule", entity="consultation",
               entity_id=consultation.id, details={"opens_at": _iso(opens_at), "closes_at": _iso(closes_at)})  # fmt: skip

    def _set_status(self, consultation: Consultation, status: str, actor: str, actor_id: int | None) -> None:
        before = consultation.status
        consultation.status = status
        flag_modified(consultation, "status")  # written even when the dates already showed it
        self.session.flush()
        record(self.session, actor=actor, actor_id=actor_id, action=status, entity="consultation",
               entity_id=consultation.id, details={"from": before, "to": status})  # fmt: skip

    def _latest_number(self, consultation: Consultation) -> int:
        return int(
            self.session.scalar(
                select(func.max(QuestionnaireVersion.number)).where(
                    QuestionnaireVersion.consultation_id == consultation.id
                )
            )
            or 0
        )

    def get(self, slug: str) -> Consultation:
        found = self.session.scalar(select(Consultation).where(Consultation.slug == slug))
        if found is None:
            raise NotFoundError(f"no consultation '{slug}'")
        return found

    def find(self, slug: str) -> Consultation | None:
        return self.session.scalar(select(Consultation).where(Consultation.slug == slug))

    def list(self) -> list[Consultation]:
        return list(self.session.scalars(select(Consultation).order_by(Consultation.id)))

    def public(self) -> Consultations:
        """What citizens and API clients may know of: every consultation but drafts (dates applied)."""
        return [c for c in self.list() if c.status != "draft"]

    def get_public(self, slug: str) -> Consultation:
        """A consultation citizens may know of; a draft is answered like one that does not exist."""
        found = self.get(slug)
        if found.status == "draft":
            raise NotFoundError(f"no consultation '{slug}'")
        return found

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


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


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
