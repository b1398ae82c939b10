"""The frame of every coordinator page: language choice, switcher, sign-out, strict headers.

Why apart: the reconciliation pages and the sign-in form share it, and the sign-in module must
not depend on the pages it protects.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from litestar import Request, Response

from field_app.coordinator_texts import LANGUAGES, text
from survey.http.i18n import negotiate
from survey.store.models import User

_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:1100px;margin:0 auto;padding:12px;color:#111}"
    "table{border-collapse:collapse;width:100%}th,td{padding:6px 8px;border-bottom:1px solid #ccc;"
    "text-align:left}td.n{text-align:right}.bad{color:#a00;font-weight:700}.ok{color:#176b2c}.over{color:#8a4b00}"
    "code{font-size:14px}a{color:#0b4f9c}a:focus,summary:focus{outline:3px solid #e0a800}"
    "th[scope=row]{font-weight:400}.langs ul{list-style:none;display:flex;gap:12px;margin:0;padding:0;"
    "justify-content:flex-end}.langs a{display:inline-block;padding:6px 4px}.langs a[aria-current]{font-weight:700;"
    "color:#111}.account{display:flex;gap:12px;justify-content:flex-end;align-items:center;margin:4px 0}"
    "button{font:inherit;padding:6px 12px}input{font:inherit;padding:6px;max-width:100%}"
    "button:focus,input:focus,.scroll:focus{outline:3px solid #e0a800}.scroll{overflow-x:auto;max-width:100%}"
    # every control a finger can hit on a phone or tablet: at least 44 x 44 CSS pixels (WCAG 2.5.5)
    ".langs a,main a,body>p a,td a,th a{display:inline-flex;align-items:center;min-height:44px;min-width:44px}"
    "button,input,select,summary{min-height:44px;min-width:44px}"
)


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
        """A page text in this language, escaped for HTML (values included)."""
        return escape(text(key, self.code, **values))

    def link(self, path: str) -> str:
        """An internal link that keeps an explicit language choice."""
        return f"{path}?lang={self.code}" if self.explicit else path


def _switcher(lang: PageLanguage, here: str) -> str:
    """Plain links (no script, no form): each language's name written in that language."""
    current = ' aria-current="true"'
    links = "".join(
        f'<li><a href="{here}?lang={code}" hreflang="{code}" lang="{code}"'
        f"{current if code == lang.code else ''}>{escape(name)}</a></li>"
        for code, name in LANGUAGES
    )
    return f'<nav class="langs" aria-label="{lang.t("language")}"><ul>{links}</ul></nav>'


def scrollable(table: str, name: str) -> str:
    """A wide table in a region that scrolls sideways on a phone (focusable, so keys scroll it too)."""
    return f'<div class="scroll" role="region" aria-label="{name}" tabindex="0">{table}</div>'


def sign_out_form(lang: PageLanguage, user: User, csrf_token: str) -> str:
    """Who is signed in, and a button to sign out (a form: signing out changes state)."""
    return (
        f'<form class="account" method="post" action="/field/coordinator/logout?lang={lang.code}">'
        f"<span>{lang.t('signed_in_as', name=user.display_name or user.username)}</span> "
        f'<input type="hidden" name="csrf_token" value="{escape(csrf_token)}">'
        f'<button type="submit">{lang.t("sign_out")}</button></form>'
    )


def page(
    title: str, body: str, lang: PageLanguage, here: str, *, status: int = 200, account: str = ""
) -> Response[str]:
    """A whole page: strict CSP (no script at all, forms post only here), never cached."""
    html = (
        f'<!doctype html><html lang="{lang.code}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<header>{_switcher(lang, here)}{account}</header>"
        f'<main id="main"><h1>{escape(title)}</h1>{body}</main></body></html>'
    )
    headers = {
        "Cache-Control": "no-store",
        "Content-Language": lang.code,
        "Vary": "Accept-Language",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    }
    return Response(html, media_type="text/html; charset=utf-8", headers=headers, status_code=status)
