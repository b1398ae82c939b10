"""The frame of every coordinator page: language choice, switcher, sign-out, strict headers.

Why apart: the reconciliation pages, the app-user pages and the sign-in form share it, and the
sign-in module must not depend on the pages it protects. The pages are Jinja templates
(``field_app/templates/coordinator``) with autoescape on, as the workbench and the console are:
no value reaches the HTML unescaped, and no page is built from strings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litestar import Request, Response

from field_app.coordinator_texts import LANGUAGES, long_date, text
from survey.http.i18n import negotiate
from survey.http.templates import environment
from survey.store.models import Consultation

TEMPLATES = Path(__file__).parent / "templates"
ENV = environment(TEMPLATES)
HEADERS = {
    "Cache-Control": "no-store",
    "Vary": "Accept-Language",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}


@dataclass(frozen=True)
class PageLanguage:
    """The reader's language and whether they chose it with ``?lang=`` (then links keep the choice)."""

    code: str
    explicit: bool

    @classmethod
    def of(cls, request: Request[Any, Any, Any]) -> PageLanguage:
        """``?lang=`` first, then Accept-Language, then French, as on the citizens' pages."""
        asked = request.query_params.get("lang")
        code = negotiate(request.headers.get("accept-language"), asked)
        return cls(code, asked == code)

    def t(self, key: str, **values: object) -> str:
        """A page text in this language, values filled in (the template escapes it)."""
        return text(key, self.code, **values)

    def link(self, path: str) -> str:
        """An internal link that keeps an explicit language choice."""
        return f"{path}?lang={self.code}" if self.explicit else path

    def date(self, value: dt.datetime) -> str:
        """A stored time with the month in words and an explicit UTC."""
        return long_date(value, self.code)


def utc_stamp(value: dt.datetime) -> str:
    """The machine-readable ``datetime`` of a ``<time>`` element (the store keeps UTC, naive on SQLite)."""
    utc = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%MZ")


def consultation_title(consultation: Consultation, code: str) -> str:
    """The consultation's title in the reader's language, else its first one, else its slug."""
    return consultation.title.get(code) or next(iter(consultation.title.values()), consultation.slug)


ENV.globals["languages"] = LANGUAGES
ENV.globals["consultation_title"] = consultation_title
ENV.filters["utc_stamp"] = utc_stamp


def page(
    template: str,
    title: str,
    lang: PageLanguage,
    here: str,
    *,
    status: int = 200,
    csrf: str = "",
    **context: Any,
) -> Response[str]:
    """A whole page from ``templates/coordinator/<template>``: strict CSP (no script at all, forms post
    only here), never cached. ``csrf`` signs the page's forms; ``account`` (the signed-in user, None
    for scripts using HTTP Basic) shows the sign-out form."""
    html = ENV.get_template(f"coordinator/{template}").render(
        title=title, lang=lang, t=lang.t, here=here, csrf=csrf, **context
    )
    headers = {**HEADERS, "Content-Language": lang.code}
    return Response(html, media_type="text/html; charset=utf-8", headers=headers, status_code=status)
