"""What every workbench page shares: the layout's context, the language switcher, the checked form.

Why a module of its own: the workbench's controllers live in several modules (results, snapshots,
representativeness); each renders through the same ``page`` so the CSRF seed, the language cookie
and the signed-in user are handled in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from litestar import MediaType, Request, Response

from survey.analyst.labels import Labels
from survey.analyst.render import render
from survey.analyst.report_text import report_text
from survey.analyst.services import weighting_shown
from survey.analyst.workbench_text import LANGUAGE_COOKIE, workbench_language, workbench_text
from survey.http import csrf, staff_session
from survey.http.i18n import LANGUAGE_NAMES
from survey.store.models import User

__all__ = ["HTML", "form_data", "page", "signed_in", "words"]

HTML = MediaType.HTML
LANGUAGE_SECONDS = 365 * 24 * 3600


def switcher(request: Request[Any, Any, Any]) -> list[tuple[str, str, str]]:
    """(code, name, link) per language: the same page and weighting choices in another language.

    After a form post (an upload, a freeze) the page shown is the consultation's overview, and the
    posted URL only takes POST: the links then lead to the overview.
    """
    path, kept = request.url.path, [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if request.method != "GET":
        slug = request.path_params.get("slug")
        path, kept = (f"/analyst/{slug}" if slug else "/analyst"), []
    return [(code, name, f"{path}?{urlencode([*kept, ('lang', code)])}") for code, name in LANGUAGE_NAMES]


def page(request: Request[Any, Any, Any], template: str, status: int = 200, **context: Any) -> Response[str]:
    token, fresh = csrf.form_token(request)
    user = getattr(request.state, "analyst_user", None)
    ctx = context.get("ctx")
    lang = workbench_language(request)
    context.setdefault("lab", ctx.labels if ctx is not None else Labels())
    context.setdefault("downloads", True)  # chart download links: the workbench offers them, the report not
    if ctx is not None and context.get("analysis") is not None:  # every weighted page says which weighting
        context.setdefault("shown", weighting_shown(ctx, context["analysis"]))
    body = render(template, csrf=token, user=user, lang=lang, rt=report_text(lang), wt=workbench_text(lang),
                  languages=switcher(request), **context)  # fmt: skip
    secure = staff_session.is_https(request)
    cookies = [csrf.seed_cookie(fresh, secure=secure)] if fresh else []
    if request.query_params.get("lang") == lang:  # an explicit choice is remembered
        cookies.append(
            staff_session.cookie(
                LANGUAGE_COOKIE, lang, path="/analyst", max_age=LANGUAGE_SECONDS, secure=secure
            )
        )
    return Response(body, media_type=HTML, status_code=status, cookies=cookies)


def words(request: Request[Any, Any, Any]) -> Mapping[str, str]:
    return workbench_text(workbench_language(request))


async def form_data(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return dict(await staff_session.checked_form(request))


def signed_in(request: Request[Any, Any, Any]) -> User:
    user: User = request.state.analyst_user
    return user
