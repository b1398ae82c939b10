"""The citizen questionnaire: landing and consent, one page per questionnaire page, save and resume.

Everything works with JavaScript off: each page is a plain form posted back here, validated on the
server, and the respondent is redirected (303) to the next relevant page. The browser script only
hides irrelevant questions and checks answers early; the server decides everything again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from survey.http import csrf, ratelimit
from survey.http.i18n import SUPPORTED, negotiate, text
from survey.http.qr import qr_svg
from survey.questionnaire.messages import message
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.validation import FieldError, validate
from survey.settings import Settings
from survey.store.errors import InvitationError, NotFoundError
from survey.store.models import Consultation, QuestionnaireVersion, Response, ResponseStatus
from survey.store.services.consultations import ConsultationService, load_questionnaire
from survey.store.services.invitations import InvitationService
from survey.store.services.published import has_published
from survey.web.pages import (
    answers_json,
    form_values,
    live_plan,
    minutes_needed,
    question_on,
    question_views,
    visible_pages,
)
from survey.web.progress import ProgressStore
from survey.web.trial_link import is_trial

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
HONEYPOT = "website"


@dataclass
class Visitor:
    """Language, easy-read choice and CSRF token of the person looking at a page."""

    lang: str
    easy: bool
    token: str


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _visitor(request: Request, lang: str | None, easy: str | None, default_lang: str | None = None,
             default_easy: bool = False) -> Visitor:  # fmt: skip
    language = negotiate(request.headers.get("accept-language"), lang or default_lang)
    easy_read = default_easy if easy is None else easy == "1"
    token = csrf.token_for(_settings(request).secret_key, request.cookies.get(csrf.COOKIE))
    return Visitor(language, easy_read, token)


def _render(
    request: Request,
    name: str,
    visitor: Visitor,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    cookies: list[Cookie] | None = None,
    **context: Any,
) -> Template:
    """A citizen page; ``cookies`` replace the citizen CSRF cookie (the staff preview signs its forms
    with the staff session's token instead)."""
    path = request.url.path

    def url(**params: str) -> str:
        query = {"lang": visitor.lang, "easy": "1" if visitor.easy else "0", **params}
        return f"{path}?{urlencode(query)}"

    secure = request.url.scheme == "https"
    cookie = Cookie(
        key=csrf.COOKIE, value=visitor.token, httponly=True, samesite="lax", secure=secure, path="/"
    )
    return Template(
        template_name=name,
        status_code=status_code,
        cookies=[cookie] if cookies is None else cookies,
        headers=headers,
        context={
            "lang": visitor.lang,
            "easy": visitor.easy,
            "languages": SUPPORTED,
            "t": lambda key, **values: text(key, visitor.lang, **values),
            "lang_url": lambda code: url(lang=code),
            "easy_url": url(easy="0" if visitor.easy else "1"),
            "csrf_field": csrf.FIELD,
            "csrf_token": visitor.token,
            **context,
        },
    )


def _error(request: Request, visitor: Visitor, key: str, status_code: int) -> Template:
    return _render(request, "error.html", visitor, status_code=status_code, message=text(key, visitor.lang))


def _guard(request: Request, visitor: Visitor, data: dict[str, Any]) -> Template | None:
    """CSRF, honeypot and rate limit, in that order; a page to show instead, or None when all is well."""
    if not csrf.check(_settings(request).secret_key, request.cookies.get(csrf.COOKIE), data.get(csrf.FIELD)):
        return _error(request, visitor, "expired_form", 403)
    if data.get(HONEYPOT):
        return _error(request, visitor, "expired_form", 400)
    if not ratelimit.FORMS.hit(ratelimit.client_address(request)):
        return _error(request, visitor, "too_many", 429)
    return None


def _consultation(
    session: Session, slug: str, *, trial: bool = False
) -> tuple[Consultation, QuestionnaireVersion, Questionnaire]:
    """The consultation and its current form; a draft does not exist for citizens (only for the
    organisers' test link)."""
    service = ConsultationService(session)
    consultation = service.get(slug)
    if consultation.status == "draft" and not trial:
        raise NotFoundError(f"no consultation '{slug}'")
    version = service.current_version(consultation)
    return consultation, version, load_questionnaire(version)


def _base(slug: str, token: str) -> str:
    return f"/c/{slug}/r/{token}"


class QuestionnaireController(Controller):
    """``/c/{slug}``: the online questionnaire for citizens."""

    path = "/c/{slug:str}"
    include_in_schema = False

    @get(sync_to_thread=True)
    def landing(
        self,
        request: Request,
        db_session: NamedDependency[Session],
        slug: FromPath[str],
        lang: FromQuery[str | None] = None,
        easy: FromQuery[str | None] = None,
        code: FromQuery[str | None] = None,
        test: FromQuery[str | None] = None,
    ) -> Template:
        """Who asks, why, how long it takes, what happens to the answers, and the consent form.

        A closed consultation shows the closed page instead; a draft is found only through the
        organisers' test link (``?test=``), whose responses are marked as tests.
        """
        visitor = _visitor(request, lang, easy)
        trial = is_trial(_settings(request).secret_key, slug, test)
        consultation, _version, questionnaire = _consultation(db_session, slug, trial=trial)
        if consultation.status == "closed":
            return _closed(request, db_session, visitor, consultation)
        return _landing(request, visitor, consultation, questionnaire, code=(code or "")[:40],
                        trial=(test or "") if trial else "")  # fmt: skip

    @post("/start", sync_to_thread=True)
    def start(
        self, request: Request, db_session: NamedDependency[Session], slug: FromPath[str], data: FormData
    ) -> Template | Redirect:
        """Consent given (and, for a panel, a valid invitation code): create the response, go to page one."""
        visitor = _visitor(request, data.get("_lang"), data.get("_easy", "0"))
        refused = _guard(request, visitor, data)
        if refused is not None:
            return refused
        trial = is_trial(_settings(request).secret_key, slug, data.get("test"))
        consultation, version, questionnaire = _consultation(db_session, slug, trial=trial)
        if consultation.status == "closed":
            return _closed(request, db_session, visitor, consultation, status_code=409)
        code = str(data.get("code") or "")[:40]
        consent = data.get("consent") == "yes"
        code_problem = _code_problem(db_session, consultation, code)
        if not consent or code_problem:
            return _landing(
                request, visitor, consultation, questionnaire, status_code=403 if code_problem else 400,
                error="" if consent else text("consent_required", visitor.lang),
                code_error=text(code_problem, visitor.lang) if code_problem else "", code=code, consent=consent,
                trial=str(data.get("test")) if trial else "",
            )  # fmt: skip
        response, token = ProgressStore(db_session).start(version, visitor.lang, visitor.easy, is_test=trial)
        if consultation.invitation_only:
            InvitationService(db_session).claim(consultation, code, response.uuid)
        first = visible_pages(questionnaire, {})
        return Redirect(f"{_base(slug, token)}/p/{first[0] + 1 if first else 1}", status_code=303)

    @get("/r/{token:str}", sync_to_thread=True)
    def resume(
        self,
        request: Request,
        db_session: NamedDependency[Session],
        slug: FromPath[str],
        token: FromPath[str],
    ) -> Template | Redirect:
        """The resume link: back to the first page that still needs an answer."""
        found = self._load(request, db_session, slug, token, None, None)
        if isinstance(found, Template | Redirect):
            return found
        response, _, _version, questionnaire = found
        answers = ProgressStore(db_session).answers(response, questionnaire)
        errors = validate(questionnaire, answers, response.language).errors
        pages = visible_pages(questionnaire, answers)
        target = _first_page_with(questionnaire, errors, pages) if errors else (pages[-1] if pages else 0)
        return Redirect(f"{_base(slug, token)}/p/{target + 1}", status_code=303)

    @get("/r/{token:str}/p/{number:int}", sync_to_thread=True)
    def show_page(
        self, request: Request, db_session: NamedDependency[Session], slug: FromPath[str], token: FromPath[str],
        number: FromPath[int], lang: FromQuery[str | None] = None, easy: FromQuery[str | None] = None,
    ) -> Template | Redirect:  # fmt: skip
        found = self._load(request, db_session, slug, token, lang, easy)
        if isinstance(found, Template | Redirect):
            return found
        response, visitor, _version, questionnaire = found
        if not 1 <= number <= len(questionnaire.pages):
            return _error(request, visitor, "not_found", 404)
        answers = ProgressStore(db_session).answers(response, questionnaire)
        return self._page(request, visitor, slug, token, questionnaire, number - 1, answers, answers, [])

    @post("/r/{token:str}/p/{number:int}", sync_to_thread=True)
    def post_page(
        self,
        request: Request,
        db_session: NamedDependency[Session],
        slug: FromPath[str],
        token: FromPath[str],
        number: FromPath[int],
        data: FormData,
    ) -> Template | Redirect:
        """Validate this page, keep what is valid, then go on, back, or show the errors."""
        found = self._load(request, db_session, slug, token, data.get("_lang"), data.get("_easy"))
        if isinstance(found, Template | Redirect):
            return found
        response, visitor, version, questionnaire = found
        refused = _guard(request, visitor, data)
        if refused is not None:
            return refused
        consultation = db_session.get(Consultation, response.consultation_id)
        if consultation is not None and consultation.status == "closed" and not response.is_test:
            return _closed(request, db_session, visitor, consultation, status_code=409)
        if not 1 <= number <= len(questionnaire.pages):
            return _error(request, visitor, "not_found", 404)
        index = number - 1
        page = questionnaire.pages[index]
        store = ProgressStore(db_session)
        if not store.lock(response):
            return Redirect(f"{_base(slug, token)}/thanks", status_code=303)
        stored = store.answers(response, questionnaire)
        names = {q.name for q in page.questions}
        values = form_values(page, data)
        raw: dict[str, object] = {k: v for k, v in stored.items() if k not in names} | values
        kept = validate(questionnaire, raw, visitor.lang, partial=True)
        store.save(response, version, kept.answers, visitor.lang, visitor.easy)
        action = data.get("_action", "next")
        pages = visible_pages(questionnaire, kept.answers)
        base = _base(slug, token)
        if action == "back":
            earlier = [i for i in pages if i < index]
            return Redirect(f"{base}/p/{earlier[-1] + 1}" if earlier else f"/c/{slug}", status_code=303)
        if action == "save":
            return Redirect(f"{base}/saved", status_code=303)
        errors = [e for e in validate(questionnaire, raw, visitor.lang).errors if e.question in names]
        shown = data.get("_shown", [])
        shown = set(shown if isinstance(shown, list) else [shown])
        on_now = {q.name for q in page.questions if q.name in _relevant_names(questionnaire, kept.answers)}
        # Without the script, questions that an answer on this page just switched on were never seen:
        # show the page again with them instead of reporting them as missing.
        unseen = set() if data.get("_js") == "1" else on_now - shown
        errors = [e for e in errors if e.question not in unseen]
        if errors or unseen:
            return self._page(
                request, visitor, slug, token, questionnaire, index, values, kept.answers, errors,
                status_code=422 if errors else 200, more=bool(unseen) and not errors,
            )  # fmt: skip
        later = [i for i in pages if i > index]
        if later:
            return Redirect(f"{base}/p/{later[0] + 1}", status_code=303)
        final = validate(questionnaire, kept.answers, visitor.lang)
        if not final.ok:
            target = _first_page_with(questionnaire, final.errors, pages)
            return Redirect(f"{base}/p/{target + 1}", status_code=303)
        if consultation is not None and consultation.invitation_only:
            try:
                InvitationService(db_session).use_claimed(response.uuid)
            except InvitationError:
                return _error(request, visitor, "invitation_used", 403)
        store.complete(response, version, kept.answers, visitor.lang, visitor.easy)
        return Redirect(f"{base}/thanks", status_code=303)

    @get("/r/{token:str}/saved", sync_to_thread=True)
    def saved(
        self, request: Request, db_session: NamedDependency[Session], slug: FromPath[str], token: FromPath[str],
        lang: FromQuery[str | None] = None, easy: FromQuery[str | None] = None,
    ) -> Template | Redirect:  # fmt: skip
        found = self._load(request, db_session, slug, token, lang, easy)
        if isinstance(found, Template | Redirect):
            return found
        _response, visitor, _version, _questionnaire = found
        link = f"{request.base_url}".rstrip("/") + _base(slug, token)
        qr = qr_svg(link, text("qr_title", visitor.lang))
        return _render(request, "saved.html", visitor, link=link, continue_url=_base(slug, token), qr=qr)

    @get("/r/{token:str}/thanks", sync_to_thread=True)
    def thanks(
        self, request: Request, db_session: NamedDependency[Session], slug: FromPath[str], token: FromPath[str],
        lang: FromQuery[str | None] = None, easy: FromQuery[str | None] = None,
    ) -> Template:  # fmt: skip
        response = ProgressStore(db_session).find(token)
        if response is None or response.status == ResponseStatus.IN_PROGRESS.value:
            visitor = _visitor(request, lang, easy)
            return _error(request, visitor, "not_found", 404)
        visitor = _visitor(request, lang, easy, response.language, response.easy_read)
        consultation = db_session.get(Consultation, response.consultation_id)
        published = consultation is not None and has_published(db_session, consultation)
        results_url = f"/results/{slug}?lang={visitor.lang}" if published else ""
        return _render(request, "thanks.html", visitor, reference=response.uuid[:8], results_url=results_url)

    def _load(
        self, request: Request, session: Session, slug: str, token: str, lang: str | None, easy: str | None,
    ) -> Template | Redirect | tuple[Response, Visitor, QuestionnaireVersion, Questionnaire]:  # fmt: skip
        """The in-progress response behind a token, or the page to show instead (404, thank-you)."""
        response = ProgressStore(session).find(token)
        consultation = ConsultationService(session).find(slug)
        if response is None or consultation is None or response.consultation_id != consultation.id:
            return _error(request, _visitor(request, lang, easy), "not_found", 404)
        if response.status != ResponseStatus.IN_PROGRESS.value:
            return Redirect(f"{_base(slug, token)}/thanks", status_code=303)
        visitor = _visitor(request, lang, easy, response.language, response.easy_read)
        version = session.get(QuestionnaireVersion, response.questionnaire_version_id)
        assert version is not None
        return response, visitor, version, load_questionnaire(version)

    def _page(
        self, request: Request, visitor: Visitor, slug: str, token: str, questionnaire: Questionnaire,
        index: int, values: dict[str, Any], answers: dict[str, Any], errors: list[FieldError],
        status_code: int = 200, more: bool = False,
    ) -> Template:  # fmt: skip
        page = questionnaire.pages[index]
        views = question_views(questionnaire, page, values, answers, errors, visitor.lang, visitor.easy)
        pages = visible_pages(questionnaire, answers)
        position = pages.index(index) + 1 if index in pages else min(index + 1, len(pages))
        later = [i for i in pages if i > index]
        return _render(
            request, "page.html", visitor, status_code=status_code,
            title=page.label(visitor.lang) or questionnaire.title.get(visitor.lang, ""),
            form_title=questionnaire.title.get(visitor.lang) or next(iter(questionnaire.title.values()), ""),
            questions=views,
            errors=[(v, v.error) for v in views if v.error],
            k=position, n=max(len(pages), position),
            is_last=not later, is_first=index == (pages[0] if pages else 0),
            action=f"{_base(slug, token)}/p/{index + 1}",
            other_answers=answers_json(answers, {q.name for q in page.questions}),
            plan=live_plan(questionnaire),
            more=more,
            msg_integer=message("integer", visitor.lang),
            msg_decimal=message("decimal", visitor.lang),
        )  # fmt: skip


def _landing(
    request: Request, visitor: Visitor, consultation: Consultation, questionnaire: Questionnaire, *,
    status_code: int = 200, error: str = "", code_error: str = "", code: str = "", consent: bool = False,
    trial: str = "",
) -> Template:  # fmt: skip
    return _render(
        request, "consultation.html", visitor, status_code=status_code,
        consultation=consultation,
        title=consultation.title.get(visitor.lang) or next(iter(consultation.title.values()), consultation.slug),
        purpose=consultation.description.get(visitor.lang, ""),
        minutes=minutes_needed(questionnaire),
        is_open=consultation.status == "open" or bool(trial), trial=trial,
        privacy_notice=consultation.privacy_notice.get(visitor.lang, ""),
        error=error, code_error=code_error, code=code, consent=consent,
    )  # fmt: skip


def _closed(request: Request, session: Session, visitor: Visitor, consultation: Consultation,
            status_code: int = 200) -> Template:  # fmt: skip
    """The polite closed page, in the reader's language, with the published results when there are."""
    published = has_published(session, consultation)
    return _render(
        request, "closed.html", visitor, status_code=status_code, consultation=consultation,
        title=consultation.title.get(visitor.lang) or next(iter(consultation.title.values()), consultation.slug),
        results_url=f"/results/{consultation.slug}?lang={visitor.lang}" if published else "",
    )  # fmt: skip


def _code_problem(session: Session, consultation: Consultation, code: str) -> str:
    """The interface-text key saying what is wrong with an invitation code, or "" when all is well."""
    if not consultation.invitation_only:
        return ""
    try:
        InvitationService(session).check(consultation, code)
    except InvitationError as exc:
        return f"invitation_{exc.reason}"
    return ""


def _relevant_names(questionnaire: Questionnaire, answers: dict[str, Any]) -> set[str]:
    return {q.name for q in questionnaire.questions if question_on(q, answers)}


def _first_page_with(questionnaire: Questionnaire, errors: list[FieldError], pages: list[int]) -> int:
    wrong = {e.question for e in errors}
    for i in pages:
        if any(q.name in wrong for q in questionnaire.pages[i].questions):
            return i
    return pages[0] if pages else 0
