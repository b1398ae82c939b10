"""Unfinished online responses, kept server-side so a respondent can come back without an account.

An unfinished response is an ordinary ``responses`` row with status ``in_progress``; the only key
to it is a random resume token of which we store the SHA-256, so a database leak does not hand out
working links. The final submission goes through :class:`ResponseService` like every other mode,
so online answers get exactly the same validation and idempotency as field and paper ones.

The citizen pages call this service once per request and render the outcome it returns: which
page comes next, which errors to show, or which page to show instead (closed, thank-you, 404).
"""

from __future__ import annotations

import secrets
import uuid as uuid_lib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from survey.questionnaire.model import Questionnaire, QuestionType
from survey.questionnaire.routing import question_on, visible_pages
from survey.questionnaire.validation import Answer as AnswerValue
from survey.questionnaire.validation import FieldError, validate
from survey.store.errors import InvitationError, NotFoundError
from survey.store.models import (
    Answer,
    Consultation,
    Mode,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    utcnow,
)
from survey.store.services.attachments import (
    DEFAULT_MAX_BYTES,
    AttachmentRefusedError,
    AttachmentService,
    Upload,
    check,
)
from survey.store.services.consultations import ConsultationService, load_questionnaire
from survey.store.services.invitations import InvitationService
from survey.store.services.published import has_published
from survey.store.services.responses import Ack, ResponseService, Submission, answer_rows, content_hash
from survey.store.tokens import hash_token

Answers = dict[str, AnswerValue]


@dataclass(frozen=True)
class CitizenForm:
    """A consultation as a citizen meets it: its current version and the questionnaire in it."""

    consultation: Consultation
    version: QuestionnaireVersion
    questionnaire: Questionnaire


@dataclass(frozen=True)
class Unfinished:
    """The in-progress response behind a resume token, with the version it is answered in."""

    response: Response
    version: QuestionnaireVersion
    questionnaire: Questionnaire


@dataclass(frozen=True)
class Finished:
    """A sent response, for its thank-you page."""

    response: Response
    published: bool  # the consultation has public results to link to


@dataclass(frozen=True)
class PagePost:
    """One posted questionnaire page, already read from the form."""

    index: int  # 0-based page number as posted (may be out of range)
    values: Mapping[str, object]  # this page's answers as typed
    action: str  # "next", "back" or "save"
    shown: frozenset[str]  # the questions the browser showed
    scripted: bool  # the browser ran the page script (it shows questions as they switch on)
    language: str
    easy_read: bool
    uploads: tuple[Upload, ...] = ()  # files chosen on this page (photo, recording, file questions)
    max_attachment_bytes: int = DEFAULT_MAX_BYTES


class Step(StrEnum):
    """Where a posted page leads."""

    CLOSED = "closed"  # the consultation closed meanwhile: the closed page
    NOT_FOUND = "not_found"  # no such page
    FINISHED = "finished"  # already sent (a double post): the thank-you page
    BACK = "back"  # to ``page``, or to the landing page when ``page`` is None
    SAVED = "saved"  # the "come back later" page
    AGAIN = "again"  # this page again, with ``errors`` or with questions it just switched on
    NEXT = "next"  # on to ``page``
    INVITATION_USED = "invitation_used"  # the invitation code was used by someone else meanwhile
    COMPLETED = "completed"  # stored for good: the thank-you page


@dataclass(frozen=True)
class PageOutcome:
    """What a posted page did, for the controller to render."""

    step: Step
    page: int | None = None  # 0-based target page for BACK and NEXT
    answers: Answers = field(default_factory=dict)  # every answer kept so far (AGAIN)
    errors: list[FieldError] = field(default_factory=list)  # this page's errors (AGAIN)
    more: bool = False  # AGAIN without errors: questions switched on that were not seen yet
    consultation: Consultation | None = None  # for CLOSED
    published: bool = False  # for CLOSED: the consultation has public results


class ProgressService:
    """Start, find, save and finish unfinished online responses."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def form(self, slug: str, *, trial: bool = False) -> CitizenForm:
        """The consultation and its current form; a draft does not exist for citizens (only for the
        organisers' test link)."""
        service = ConsultationService(self.session)
        consultation = service.get(slug)
        if consultation.status == "draft" and not trial:
            raise NotFoundError(f"no consultation '{slug}'")
        version = service.current_version(consultation)
        return CitizenForm(consultation, version, load_questionnaire(version))

    def has_published(self, consultation: Consultation) -> bool:
        """Whether the consultation has public results (a closed page links to them)."""
        return has_published(self.session, consultation)

    def invitation_refusal(self, consultation: Consultation, code: str) -> str | None:
        """Why an invitation code is refused (``InvitationError.reason``), or None when it is fine."""
        if not consultation.invitation_only:
            return None
        try:
            InvitationService(self.session).check(consultation, code)
        except InvitationError as exc:
            return exc.reason
        return None

    def begin(self, form: CitizenForm, language: str, easy_read: bool, *, code: str, is_test: bool) -> str:
        """Consent given: a new response (its invitation code claimed) and its resume token."""
        response, token = self.start(form.version, language, easy_read, is_test=is_test)
        if form.consultation.invitation_only:
            InvitationService(self.session).claim(form.consultation, code, response.uuid)
        return token

    def start(
        self, version: QuestionnaireVersion, language: str, easy_read: bool, *, is_test: bool = False
    ) -> tuple[Response, str]:
        """A new empty in-progress response and its resume token (shown once, never stored).

        ``is_test``: started through the organisers' test link; the mark stays when it is sent.
        """
        token = secrets.token_urlsafe(24)
        ack = ResponseService(self.session).submit(
            Submission(
                uuid=str(uuid_lib.uuid4()), version=version, mode=Mode.ONLINE, language=language,
                answers={}, status=ResponseStatus.IN_PROGRESS, easy_read=easy_read, started_at=utcnow(),
            )
        )  # fmt: skip
        response = self.session.get(Response, ack.response_id)
        assert response is not None
        response.resume_token_hash = hash_token(token)
        response.is_test = is_test
        self.session.flush()
        return response, token

    def find(self, token: str) -> Response | None:
        if not token or len(token) > 100:
            return None
        return self.session.scalar(select(Response).where(Response.resume_token_hash == hash_token(token)))

    def unfinished(self, slug: str, token: str) -> Unfinished | Response | None:
        """The in-progress response behind a token of this consultation; the response itself when it
        was sent already (its thank-you page), None when the token names nothing here."""
        response = self.find(token)
        consultation = ConsultationService(self.session).find(slug)
        if response is None or consultation is None or response.consultation_id != consultation.id:
            return None
        if response.status != ResponseStatus.IN_PROGRESS.value:
            return response
        version = self.session.get(QuestionnaireVersion, response.questionnaire_version_id)
        assert version is not None
        return Unfinished(response, version, load_questionnaire(version))

    def finished(self, token: str) -> Finished | None:
        """The sent response behind a token, or None (unknown, or still in progress)."""
        response = self.find(token)
        if response is None or response.status == ResponseStatus.IN_PROGRESS.value:
            return None
        consultation = self.session.get(Consultation, response.consultation_id)
        return Finished(response, consultation is not None and has_published(self.session, consultation))

    def resume_page(self, found: Unfinished) -> int:
        """Where a resume link leads: the first page that still needs an answer, else the last one."""
        answers = self.answers(found.response, found.questionnaire)
        errors = validate(found.questionnaire, answers, found.response.language).errors
        pages = visible_pages(found.questionnaire, answers)
        return first_page_with(found.questionnaire, errors, pages) if errors else (pages[-1] if pages else 0)

    def post_page(self, found: Unfinished, posted: PagePost) -> PageOutcome:
        """Validate one page, keep what is valid, then say where to go: on, back, or this page again.

        The last page sends the response (its invitation code used) when every answer is valid.
        """
        response, version, questionnaire = found.response, found.version, found.questionnaire
        consultation = self.session.get(Consultation, response.consultation_id)
        if consultation is not None and consultation.status == "closed" and not response.is_test:
            return PageOutcome(
                Step.CLOSED, consultation=consultation, published=self.has_published(consultation)
            )
        if not 0 <= posted.index < len(questionnaire.pages):
            return PageOutcome(Step.NOT_FOUND)
        index = posted.index
        if not self.lock(response):
            return PageOutcome(Step.FINISHED)
        stored = self.answers(response, questionnaire)
        names = {q.name for q in questionnaire.pages[index].questions}
        raw: dict[str, object] = {k: v for k, v in stored.items() if k not in names} | dict(posted.values)
        refused = self._files(response, questionnaire, posted, stored, raw)
        kept = validate(questionnaire, raw, posted.language, partial=True)
        self.save(response, version, kept.answers, posted.language, posted.easy_read)
        if refused:  # the other answers are kept; this page again, naming the file(s) refused
            others = validate(questionnaire, raw, posted.language).errors
            taken = {e.question for e in refused}
            errors = refused + [e for e in others if e.question in names and e.question not in taken]
            return PageOutcome(Step.AGAIN, answers=kept.answers, errors=errors)
        pages = visible_pages(questionnaire, kept.answers)
        if posted.action == "back":
            earlier = [i for i in pages if i < index]
            return PageOutcome(Step.BACK, page=earlier[-1] if earlier else None)
        if posted.action == "save":
            return PageOutcome(Step.SAVED)
        errors = [e for e in validate(questionnaire, raw, posted.language).errors if e.question in names]
        on_now = {q.name for q in questionnaire.pages[index].questions if question_on(q, kept.answers)}
        # Without the script, questions that an answer on this page just switched on were never seen:
        # show the page again with them instead of reporting them as missing.
        unseen = set() if posted.scripted else on_now - posted.shown
        errors = [e for e in errors if e.question not in unseen]
        if errors or unseen:
            return PageOutcome(
                Step.AGAIN, answers=kept.answers, errors=errors, more=bool(unseen) and not errors
            )
        later = [i for i in pages if i > index]
        if later:
            return PageOutcome(Step.NEXT, page=later[0])
        final = validate(questionnaire, kept.answers, posted.language)
        if not final.ok:
            return PageOutcome(Step.NEXT, page=first_page_with(questionnaire, final.errors, pages))
        if consultation is not None and consultation.invitation_only:
            try:
                InvitationService(self.session).use_claimed(response.uuid)
            except InvitationError:
                return PageOutcome(Step.INVITATION_USED)
        self.complete(response, version, kept.answers, posted.language, posted.easy_read)
        return PageOutcome(Step.COMPLETED)

    def _files(
        self, response: Response, questionnaire: Questionnaire, posted: PagePost, stored: Answers,
        raw: dict[str, object],
    ) -> list[FieldError]:  # fmt: skip
        """Keep the files chosen on this page (their names become the answers) and say which were refused.

        A question left without a new file keeps the file sent before: a file picker cannot be
        pre-filled, so an empty one means "no change", not "no answer".
        """
        page = questionnaire.pages[posted.index]
        chosen = {u.question: u for u in posted.uploads}
        refused: list[FieldError] = []
        files = AttachmentService(self.session)
        for question in (q for q in page.questions if q.type.is_attachment):
            upload = chosen.get(question.name)
            if upload is None:
                if question.name in stored:
                    raw[question.name] = stored[question.name]
                continue
            try:
                checked = check(question, upload, posted.max_attachment_bytes)
            except AttachmentRefusedError as exc:
                refused.append(FieldError(question.name, exc.code, exc.message(posted.language)))
                if question.name in stored:
                    raw[question.name] = stored[question.name]
                continue
            files.keep(response.consultation_id, response.uuid, checked, replace=True)
            raw[question.name] = checked.filename
        return refused

    def lock(self, response: Response) -> bool:
        """Take the response for this request, or False if it is no longer in progress.

        Two posts of the same page (a double click on "send", a retry after a timeout) then run one
        after the other: the second finds the response completed and is shown the thank-you page
        instead of storing it twice. A no-op UPDATE locks the row on PostgreSQL and takes SQLite's
        write lock, so the same code serialises both.
        """
        taken = self.session.execute(
            update(Response)
            .where(Response.id == response.id, Response.status == ResponseStatus.IN_PROGRESS.value)
            .values(status=Response.status)
            .execution_options(synchronize_session=False)
        )
        return bool(taken.rowcount)  # type: ignore[attr-defined]

    def answers(self, response: Response, questionnaire: Questionnaire) -> Answers:
        """The stored answers, typed back as validation returns them."""
        types = {q.name: q.type for q in questionnaire.questions}
        rows = self.session.scalars(
            select(Answer).where(Answer.response_id == response.id).order_by(Answer.question, Answer.position)
        )
        out: Answers = {}
        for row in rows:
            kind = types.get(row.question)
            if kind is QuestionType.SELECT_MULTIPLE:
                existing = out.setdefault(row.question, [])
                assert isinstance(existing, list)
                existing.append(row.value_text or "")
            elif row.value_number is not None:
                out[row.question] = (
                    int(row.value_number) if kind is QuestionType.INTEGER else row.value_number
                )
            else:
                out[row.question] = row.value_text or ""
        return out

    def save(
        self,
        response: Response,
        version: QuestionnaireVersion,
        answers: Mapping[str, AnswerValue],
        language: str,
        easy_read: bool,
    ) -> None:
        """Replace the partial answers (already validated with ``partial=True``)."""
        if response.status != ResponseStatus.IN_PROGRESS.value:
            raise ValueError("only an in-progress response can be saved")
        self.session.execute(delete(Answer).where(Answer.response_id == response.id))
        self.session.add_all(
            Answer(
                response_id=rid, question=question, position=position, value_text=text, value_number=number
            )
            for rid, question, position, text, number in answer_rows(response.id, answers)
        )
        response.language = language
        response.easy_read = easy_read
        response.content_hash = content_hash(version.content_hash, Mode.ONLINE, language, answers)
        response.received_at = utcnow()
        self.session.flush()

    def complete(
        self, response: Response, version: QuestionnaireVersion, answers: Mapping[str, object], language: str,
        easy_read: bool,
    ) -> Ack:  # fmt: skip
        """Submit the finished response under the same UUID; the link then only shows the thank-you page.

        The in-progress row is replaced by the one ResponseService stores (same UUID, same token
        hash), inside the request's transaction: either the complete response exists or nothing changed.
        """
        uuid, started, token_hash = response.uuid, response.started_at, response.resume_token_hash
        is_test = response.is_test
        AttachmentService(self.session).prune(response.uuid, answers)
        self.session.execute(delete(Answer).where(Answer.response_id == response.id))
        self.session.delete(response)
        self.session.flush()
        ack = ResponseService(self.session).submit(
            Submission(
                uuid=uuid, version=version, mode=Mode.ONLINE, language=language, answers=answers,
                easy_read=easy_read, started_at=started,
            )
        )  # fmt: skip
        stored = self.session.get(Response, ack.response_id)
        assert stored is not None
        stored.resume_token_hash = token_hash
        stored.is_test = is_test
        self.session.flush()
        return ack


def first_page_with(questionnaire: Questionnaire, errors: list[FieldError], pages: list[int]) -> int:
    """The first page, among those shown, holding a question with an error."""
    wrong = {e.question for e in errors}
    for i in pages:
        if any(q.name in wrong for q in questionnaire.pages[i].questions):
            return i
    return pages[0] if pages else 0
