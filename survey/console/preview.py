"""Preview of a questionnaire version exactly as a citizen sees it, and as the tablet shows it, for
organisers; nothing is stored.

The citizen page template and its views (``pages.question_views``) render the page, in any
language and in easy-read, so what the organiser checks is what citizens get. The buttons post
back here: the page's answers are validated (errors show as a citizen would see them) and the
preview moves to the next or previous page, but no response row is ever created. Every page of
the version can be reached, whatever the answers, so that none stays unchecked.

The tablet preview (``.../tablet``) is the field app's own interview screen (its scripts from
``field_app/static``) on the version's content, the document a tablet downloads; the answers stay
in the page (``static/tablet-preview.js``) and are never sent.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from survey.console import consultation_texts, preview_texts  # noqa: F401  (register their texts)
from survey.console import texts as console_texts
from survey.console.guards import VIEW, ConsoleAccessService, console_guard, console_user
from survey.console.render import NO_STORE, page
from survey.http import csrf
from survey.http.deps import provide_service
from survey.questionnaire.messages import message, tablet_questionnaire
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.validation import FieldError, validate
from survey.settings import Settings
from survey.store.models import Consultation, QuestionnaireVersion
from survey.store.services.attachments import (
    UPLOAD_BODY_CEILING,
    AttachmentRefusedError,
    check,
    size_in_words,
)
from survey.store.services.consultations import ConsultationService, load_questionnaire
from survey.web.pages import answers_json, form_values, has_files, question_views, uploads_of
from survey.web.questionnaire import Visitor, _render, _visitor, provide_page_form

TABLET_WORDS = ("paused", "paused_title", "finished", "finished_title", "resume", "restart")


def _version(
    service: ConsultationService, access: ConsoleAccessService, request: Request, slug: str, number: int
) -> tuple[Consultation, QuestionnaireVersion]:
    consultation = service.get(slug)
    access.require(console_user(request), consultation, VIEW)
    for version in service.versions(consultation):
        if version.number == number:
            return consultation, version
    raise NotFoundException(f"consultation '{slug}' has no questionnaire version {number}")


def _show(request: Request, visitor: Visitor, slug: str, number: int, questionnaire: Questionnaire,
          index: int, values: dict[str, Any], errors: list[Any], status_code: int = 200) -> Template:  # fmt: skip
    page = questionnaire.pages[index]
    views = question_views(questionnaire, page, values, values, errors, visitor.lang, visitor.easy)
    total = len(questionnaire.pages)
    language = console_texts.text(f"lang_{visitor.lang}", visitor.lang)
    easy = ", " + console_texts.text("easy_read", visitor.lang) if visitor.easy else ""
    heading = console_texts.text("preview_of", visitor.lang, n=number, language=language, easy=easy)
    notice = f"{heading}. {console_texts.text('preview_notice', visitor.lang)}"
    return _render(
        request, "page.html", visitor, status_code=status_code,
        title=page.label(visitor.lang) or questionnaire.title.get(visitor.lang, ""),
        form_title=questionnaire.title.get(visitor.lang) or next(iter(questionnaire.title.values()), ""),
        questions=views, errors=[(v, v.error) for v in views if v.error],
        k=index + 1, n=total, is_last=index == total - 1, is_first=index == 0,
        action=f"/console/c/{slug}/preview/{number}/p/{index + 1}",
        other_answers=answers_json({}, set()), more=False,
        msg_integer=message("integer", visitor.lang), msg_decimal=message("decimal", visitor.lang),
        multipart=has_files(page), file_limit=size_in_words(request.app.state.settings.max_attachment_bytes),
        preview_notice=notice, preview_back=f"/console/c/{slug}/questionnaire",
        preview_back_text=console_texts.text("nav_questionnaire", visitor.lang),
        headers=NO_STORE,
    )  # fmt: skip


def _files(questionnaire: Questionnaire, index: int, data: dict[str, Any], values: dict[str, object],
           language: str, settings: Settings) -> list[FieldError]:  # fmt: skip
    """The page's files checked as a citizen's would be (nothing kept): a good one answers its question."""
    refused = []
    page = questionnaire.pages[index]
    for upload in uploads_of(page, data, settings.max_attachment_bytes):
        try:
            values[upload.question] = check(questionnaire.question(upload.question), upload,
                                            settings.max_attachment_bytes).filename  # fmt: skip
        except AttachmentRefusedError as exc:
            refused.append(FieldError(upload.question, exc.code, exc.message(language)))
    return refused


class PreviewController(Controller):
    """``/console/c/{slug}/preview/{number}/p/{page}``: a version's pages as citizens see them."""

    path = "/console/c/{slug:str}/preview/{number:int}"
    guards = [console_guard]  # noqa: RUF012
    include_in_schema = False
    dependencies = {  # noqa: RUF012
        "consultation_service": provide_service(ConsultationService),
        "console_access_service": provide_service(ConsoleAccessService),
        "page_form": Provide(provide_page_form),
    }

    @get("/", sync_to_thread=True)
    def first(
        self, request: Request, consultation_service: NamedDependency[ConsultationService],
        console_access_service: NamedDependency[ConsoleAccessService], slug: FromPath[str], number: FromPath[int],
        lang: FromQuery[str | None] = None, easy: FromQuery[str | None] = None,
    ) -> Redirect:  # fmt: skip
        """The version's first page (checked first: another's consultation is not found here either)."""
        _version(consultation_service, console_access_service, request, slug, number)
        query = urlencode({"lang": lang or "", "easy": easy or "0"})
        return Redirect(f"/console/c/{slug}/preview/{number}/p/1?{query}", status_code=303)

    @get("/tablet", sync_to_thread=True)
    def tablet(
        self, request: Request, consultation_service: NamedDependency[ConsultationService],
        console_access_service: NamedDependency[ConsoleAccessService], slug: FromPath[str], number: FromPath[int],
        lang: FromQuery[str | None] = None, easy: FromQuery[str | None] = None,
    ) -> Response[str]:  # fmt: skip
        """The version as the tablet's interview screen draws it, in the respondent's language."""
        _consultation, version = _version(consultation_service, console_access_service, request, slug, number)
        visitor = _visitor(request, lang, easy)
        language = console_texts.text(f"lang_{visitor.lang}", visitor.lang)
        easy_read = ", " + console_texts.text("easy_read", visitor.lang) if visitor.easy else ""
        heading = console_texts.text(
            "tablet_preview_of", visitor.lang, n=number, language=language, easy=easy_read
        )
        data = {
            "slug": slug, "version_id": version.id, "language": visitor.lang, "easy": visitor.easy,
            "questionnaire": tablet_questionnaire(version.content),
            "texts": {key: console_texts.text(f"tablet_preview_{key}", visitor.lang) for key in TABLET_WORDS},
        }  # fmt: skip
        return page(request, "preview_tablet.html", heading=heading, slug=slug, data=data)

    @get("/p/{page:int}", sync_to_thread=True)
    def show(
        self, request: Request, consultation_service: NamedDependency[ConsultationService],
        console_access_service: NamedDependency[ConsoleAccessService], slug: FromPath[str], number: FromPath[int],
        page: FromPath[int], lang: FromQuery[str | None] = None, easy: FromQuery[str | None] = None,
    ) -> Template:  # fmt: skip
        _consultation, version = _version(consultation_service, console_access_service, request, slug, number)
        questionnaire = load_questionnaire(version)
        if not 1 <= page <= len(questionnaire.pages):
            raise NotFoundException(f"version {number} has no page {page}")
        visitor = _visitor(request, lang, easy)
        return _show(request, visitor, slug, number, questionnaire, page - 1, {}, [])

    @post("/p/{page:int}", sync_to_thread=True, request_max_body_size=UPLOAD_BODY_CEILING)
    def answer(
        self, request: Request, consultation_service: NamedDependency[ConsultationService],
        console_access_service: NamedDependency[ConsoleAccessService], slug: FromPath[str], number: FromPath[int],
        page: FromPath[int], page_form: NamedDependency[dict[str, Any]],
    ) -> Template | Redirect:  # fmt: skip
        """Check the page's answers (and files) as the real page would, store nothing, move on."""
        data = page_form
        _consultation, version = _version(consultation_service, console_access_service, request, slug, number)
        if not csrf.form_ok(request, data):
            raise PermissionDeniedException("missing or invalid CSRF token: reload the page and try again")
        questionnaire = load_questionnaire(version)
        if not 1 <= page <= len(questionnaire.pages):
            raise NotFoundException(f"version {number} has no page {page}")
        visitor = _visitor(request, data.get("_lang"), data.get("_easy", "0"))
        query = f"?lang={visitor.lang}&easy={'1' if visitor.easy else '0'}"
        action = data.get("_action", "next")
        if action == "back":
            return Redirect(
                f"/console/c/{slug}/preview/{number}/p/{max(1, page - 1)}{query}", status_code=303
            )
        values = form_values(questionnaire.pages[page - 1], data)
        refused = _files(questionnaire, page - 1, data, values, visitor.lang, request.app.state.settings)
        names = {q.name for q in questionnaire.pages[page - 1].questions} - {e.question for e in refused}
        errors = refused + [
            e for e in validate(questionnaire, values, visitor.lang).errors if e.question in names
        ]
        if action == "next" and errors:
            return _show(request, visitor, slug, number, questionnaire, page - 1, values, errors, 422)
        target = min(page + 1, len(questionnaire.pages)) if action == "next" else page
        return Redirect(f"/console/c/{slug}/preview/{number}/p/{target}{query}", status_code=303)
