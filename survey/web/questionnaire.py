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
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from survey.http import csrf, ratelimit
from survey.http.deps import provide_service
from survey.http.i18n import SUPPORTED, negotiate, text
from survey.http.qr import qr_svg
from survey.questionnaire.messages import message
from survey.questionnaire.model import Questionnaire
from survey.questionnaire.routing import visible_pages
from survey.questionnaire.validation import FieldError
from survey.settings import Settings
from survey.store.models import Consultation
from survey.store.services.attachments import UPLOAD_BODY_CEILING, size_in_words
from survey.store.services.progress import PagePost, ProgressService, Step, Unfinished
from survey.web.pages import (
    answers_json,
    form_values,
    has_files,
    live_plan,
    minutes_needed,
    question_views,
    uploads_of,
)
from survey.web.trial_link import is_trial

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
HONEYPOT = "website"


async def provide_page_form(request: Request) -> dict[str, Any]:
    """A posted page, URL-encoded or (a page with a file question) multipart, as one mapping.

    A field sent several times (checkboxes, rank places) is a list, as Litestar's URL-encoded body
    gives it. A page without files is held to the usual body size: only a multipart page may carry
    up to the upload ceiling (each file is then held to SURVEY_MAX_ATTACHMENT_BYTES).
    """
    multipart = request.content_type[0] == RequestEncodingType.MULTI_PART
    if not multipart and len(await request.body()) > _settings(request).max_body_bytes:
        raise HTTPException(status_code=413, detail="request body: too large")
    form = await request.form()
    return {key: values[0] if len(values) == 1 else values for key, values in form.dict().items()}


@dataclass
class Visitor:
    """Language, easy-read choice and CSRF token of the person looking at a page (``fresh``: the CSRF
    seed to set with the page when the browser has none yet)."""

    lang: str
    easy: bool
    token: str
    fresh: str | None = None


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _visitor(request: Request, lang: str | None, easy: str | None, default_lang: str | None = None,
             default_easy: bool = False) -> Visitor:  # fmt: skip
    language = negotiate(request.headers.get("accept-language"), lang or default_lang)
    easy_read = default_easy if easy is None else easy == "1"
    token, fresh = csrf.form_token(request)
    return Visitor(language, easy_read, token, fresh)


def _render(
    request: Request,
    name: str,
    visitor: Visitor,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Template:
    """A citizen page (or the console's preview of one), its forms signed with the visitor's CSRF token."""
    path = request.url.path

    def url(**params: str) -> str:
        query = {"lang": visitor.lang, "easy": "1" if visitor.easy else "0", **params}
        return f"{path}?{urlencode(query)}"

    secure = request.url.scheme == "https"
    return Template(
        template_name=name,
        status_code=status_code,
        cookies=[csrf.seed_cookie(visitor.fresh, secure=secure)] if visitor.fresh else [],
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
    if not csrf.form_ok(request, data):
        return _error(request, visitor, "expired_form", 403)
    if data.get(HONEYPOT):
        return _error(request, visitor, "expired_form", 400)
    if not ratelimit.FORMS.hit(ratelimit.client_address(request)):
        return _error(request, visitor, "too_many", 429)
    return None


def _base(slug: str, token: str) -> str:
    return f"/c/{slug}/r/{token}"


class QuestionnaireController(Controller):
    """``/c/{slug}``: the online questionnaire for citizens."""

    path = "/c/{slug:str}"
    include_in_schema = False
    dependencies = {  # noqa: RUF012
        "progress_service": provide_service(ProgressService),
        "page_form": Provide(provide_page_form),
    }

    @get(sync_to_thread=True)
    def landing(
        self,
        request: Request,
        progress_service: NamedDependency[ProgressService],
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
        form = progress_service.form(slug, trial=trial)
        if form.consultation.status == "closed":
            published = progress_service.has_published(form.consultation)
            return _closed(request, visitor, form.consultation, published)
        return _landing(request, visitor, form.consultation, form.questionnaire, code=(code or "")[:40],
                        trial=(test or "") if trial else "")  # fmt: skip

    @post("/start", sync_to_thread=True)
    def start(
        self,
        request: Request,
        progress_service: NamedDependency[ProgressService],
        slug: FromPath[str],
        data: FormData,
    ) -> Template | Redirect:
        """Consent given (and, for a panel, a valid invitation code): create the response, go to page one."""
        visitor = _visitor(request, data.get("_lang"), data.get("_easy", "0"))
        refused = _guard(request, visitor, data)
        if refused is not None:
            return refused
        trial = is_trial(_settings(request).secret_key, slug, data.get("test"))
        form = progress_service.form(slug, trial=trial)
        if form.consultation.status == "closed":
            published = progress_service.has_published(form.consultation)
            return _closed(request, visitor, form.consultation, published, status_code=409)
        code = str(data.get("code") or "")[:40]
        consent = data.get("consent") == "yes"
        refusal = progress_service.invitation_refusal(form.consultation, code)
        if not consent or refusal:
            return _landing(
                request, visitor, form.consultation, form.questionnaire, status_code=403 if refusal else 400,
                error="" if consent else text("consent_required", visitor.lang),
                code_error=text(f"invitation_{refusal}", visitor.lang) if refusal else "", code=code,
                consent=consent, trial=str(data.get("test")) if trial else "",
            )  # fmt: skip
        token = progress_service.begin(form, visitor.lang, visitor.easy, code=code, is_test=trial)
        first = visible_pages(form.questionnaire, {})
        return Redirect(f"{_base(slug, token)}/p/{first[0] + 1 if first else 1}", status_code=303)

    @get("/r/{token:str}", sync_to_thread=True)
    def resume(
        self,
        request: Request,
        progress_service: NamedDependency[ProgressService],
        slug: FromPath[str],
        token: FromPath[str],
    ) -> Template | Redirect:
        """The resume link: back to the first page that still needs an answer."""
        found = self._load(request, progress_service, slug, token, None, None)
        if isinstance(found, Template | Redirect):
            return found
        target = progress_service.resume_page(found[0])
        return Redirect(f"{_base(slug, token)}/p/{target + 1}", status_code=303)

    @get("/r/{token:str}/p/{number:int}", sync_to_thread=True)
    def show_page(
        self, request: Request, progress_service: NamedDependency[ProgressService], slug: FromPath[str],
        token: FromPath[str], number: FromPath[int], lang: FromQuery[str | None] = None,
        easy: FromQuery[str | None] = None,
    ) -> Template | Redirect:  # fmt: skip
        found = self._load(request, progress_service, slug, token, lang, easy)
        if isinstance(found, Template | Redirect):
            return found
        unfinished, visitor = found
        questionnaire = unfinished.questionnaire
        if not 1 <= number <= len(questionnaire.pages):
            return _error(request, visitor, "not_found", 404)
        answers = progress_service.answers(unfinished.response, questionnaire)
        return self._page(request, visitor, slug, token, questionnaire, number - 1, answers, answers, [])

    @post("/r/{token:str}/p/{number:int}", sync_to_thread=True, request_max_body_size=UPLOAD_BODY_CEILING)
    def post_page(
        self,
        request: Request,
        progress_service: NamedDependency[ProgressService],
        slug: FromPath[str],
        token: FromPath[str],
        number: FromPath[int],
        page_form: NamedDependency[dict[str, Any]],
    ) -> Template | Redirect:
        """Validate this page, keep what is valid (files included), then go on, back, or show the errors."""
        data = page_form
        found = self._load(request, progress_service, slug, token, data.get("_lang"), data.get("_easy"))
        if isinstance(found, Template | Redirect):
            return found
        unfinished, visitor = found
        refused = _guard(request, visitor, data)
        if refused is not None:
            return refused
        questionnaire = unfinished.questionnaire
        index = number - 1
        on_page = 0 <= index < len(questionnaire.pages)
        values = form_values(questionnaire.pages[index], data) if on_page else {}
        limit = _settings(request).max_attachment_bytes
        uploads = uploads_of(questionnaire.pages[index], data, limit) if on_page else ()
        shown = data.get("_shown", [])
        posted = PagePost(
            index=index, values=values, action=data.get("_action", "next"),
            shown=frozenset(shown if isinstance(shown, list) else [shown]), scripted=data.get("_js") == "1",
            language=visitor.lang, easy_read=visitor.easy, uploads=uploads, max_attachment_bytes=limit,
        )  # fmt: skip
        outcome = progress_service.post_page(unfinished, posted)
        base = _base(slug, token)
        match outcome.step:
            case Step.CLOSED:
                assert outcome.consultation is not None
                return _closed(request, visitor, outcome.consultation, outcome.published, status_code=409)
            case Step.NOT_FOUND:
                return _error(request, visitor, "not_found", 404)
            case Step.FINISHED | Step.COMPLETED:
                return Redirect(f"{base}/thanks", status_code=303)
            case Step.BACK:
                back = f"{base}/p/{outcome.page + 1}" if outcome.page is not None else f"/c/{slug}"
                return Redirect(back, status_code=303)
            case Step.SAVED:
                return Redirect(f"{base}/saved", status_code=303)
            case Step.AGAIN:
                return self._page(
                    request, visitor, slug, token, questionnaire, index, dict(values), outcome.answers,
                    outcome.errors, status_code=422 if outcome.errors else 200, more=outcome.more,
                )  # fmt: skip
            case Step.NEXT:
                return Redirect(f"{base}/p/{(outcome.page or 0) + 1}", status_code=303)
            case Step.INVITATION_USED:
                return _error(request, visitor, "invitation_used", 403)

    @get("/r/{token:str}/saved", sync_to_thread=True)
    def saved(
        self, request: Request, progress_service: NamedDependency[ProgressService], slug: FromPath[str],
        token: FromPath[str], lang: FromQuery[str | None] = None, easy: FromQuery[str | None] = None,
    ) -> Template | Redirect:  # fmt: skip
        found = self._load(request, progress_service, slug, token, lang, easy)
        if isinstance(found, Template | Redirect):
            return found
        _unfinished, visitor = found
        link = f"{request.base_url}".rstrip("/") + _base(slug, token)
        qr = qr_svg(link, text("qr_title", visitor.lang))
        return _render(request, "saved.html", visitor, link=link, continue_url=_base(slug, token), qr=qr)

    @get("/r/{token:str}/thanks", sync_to_thread=True)
    def thanks(
        self, request: Request, progress_service: NamedDependency[ProgressService], slug: FromPath[str],
        token: FromPath[str], lang: FromQuery[str | None] = None, easy: FromQuery[str | None] = None,
    ) -> Template:  # fmt: skip
        finished = progress_service.finished(token)
        if finished is None:
            visitor = _visitor(request, lang, easy)
            return _error(request, visitor, "not_found", 404)
        response = finished.response
        visitor = _visitor(request, lang, easy, response.language, response.easy_read)
        results_url = f"/results/{slug}?lang={visitor.lang}" if finished.published else ""
        return _render(request, "thanks.html", visitor, reference=response.uuid[:8], results_url=results_url)

    def _load(
        self, request: Request, progress: ProgressService, slug: str, token: str, lang: str | None,
        easy: str | None,
    ) -> Template | Redirect | tuple[Unfinished, Visitor]:  # fmt: skip
        """The in-progress response behind a token, or the page to show instead (404, thank-you)."""
        found = progress.unfinished(slug, token)
        if found is None:
            return _error(request, _visitor(request, lang, easy), "not_found", 404)
        if not isinstance(found, Unfinished):
            return Redirect(f"{_base(slug, token)}/thanks", status_code=303)
        visitor = _visitor(request, lang, easy, found.response.language, found.response.easy_read)
        return found, visitor

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
            multipart=has_files(page),
            file_limit=size_in_words(_settings(request).max_attachment_bytes),
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


def _closed(request: Request, visitor: Visitor, consultation: Consultation, published: bool,
            status_code: int = 200) -> Template:  # fmt: skip
    """The polite closed page, in the reader's language, with the published results when there are."""
    return _render(
        request, "closed.html", visitor, status_code=status_code, consultation=consultation,
        title=consultation.title.get(visitor.lang) or next(iter(consultation.title.values()), consultation.slug),
        results_url=f"/results/{consultation.slug}?lang={visitor.lang}" if published else "",
    )  # fmt: skip
