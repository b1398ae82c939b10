"""One way to draw a console page: the layout, its navigation, the language switch and the headers.

Why a helper rather than Litestar's ``Template``: every console page must carry the CSRF token
of the staff session (signed double submit, as the workbench), ``Cache-Control: no-store`` (a
shared office browser must not show an organiser's page from its cache after sign-out) and
remember an explicit language choice; one function does it for every page.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from litestar import MediaType, Request, Response
from litestar.connection import ASGIConnection
from litestar.response import Redirect

from survey.console import texts
from survey.console.nav import CONSULTATION_NAV, MAIN_NAV
from survey.http import csrf, staff_session
from survey.http.templates import environment
from survey.store.models import Consultation

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
LANGUAGE_SECONDS = 365 * 24 * 3600
NO_STORE = {"Cache-Control": "no-store"}

ENV = environment(TEMPLATES)


def _switcher(request: ASGIConnection[Any, Any, Any, Any]) -> list[tuple[str, str, str]]:
    """(code, name, link): this page in another language; after a POST, the page's GET address."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    path = request.url.path
    return [
        (code, name, f"{path}?{urlencode([*kept, ('lang', code)])}") for code, name in texts.LANGUAGE_NAMES
    ]


def _nav(items: Sequence[tuple[str, str]], path: str, **values: str) -> list[tuple[str, str, bool]]:
    """(text key, href, current) per entry; the longest matching prefix is the current one."""
    hrefs = [href.format(**values) for _key, href in items]
    matching = [h for h in hrefs if path == h or path.startswith(h.rstrip("/") + "/")]
    current = max(matching, key=len) if matching else None
    return [(key, href, href == current) for (key, _), href in zip(items, hrefs, strict=True)]


def page(
    request: Request[Any, Any, Any],
    template: str,
    *,
    status: int = 200,
    consultation: Consultation | None = None,
    **context: Any,
) -> Response[str]:
    """Render ``templates/console/<template>`` in the reader's language with the layout's context."""
    lang = texts.language(request)
    token, fresh = csrf.form_token(request)
    user = getattr(request.state, "console_user", None)
    body = ENV.get_template(f"console/{template}").render(
        lang=lang,
        t=lambda key, **values: texts.text(key, lang, **values),
        csrf=token,
        user=user,
        languages=_switcher(request),
        main_nav=_nav(MAIN_NAV, request.url.path) if user else [],
        consultation=consultation,
        consultation_nav=_nav(CONSULTATION_NAV, request.url.path, slug=consultation.slug)
        if consultation
        else [],
        **context,
    )
    response = Response(body, media_type=MediaType.HTML, status_code=status, headers=NO_STORE)
    secure = staff_session.is_https(request)
    csrf.remember(response, fresh, request)
    if request.query_params.get("lang") == lang:  # an explicit choice is remembered
        response.set_cookie(
            staff_session.cookie(
                texts.LANGUAGE_COOKIE, lang, path="/console", max_age=LANGUAGE_SECONDS, secure=secure
            )
        )
    return response


def see_other(location: str) -> Redirect:
    """The answer to a successful write: back to a page by GET (post/redirect/get), never cached."""
    return Redirect(location, status_code=303, headers=NO_STORE)
