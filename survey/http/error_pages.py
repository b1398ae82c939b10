"""Error pages for people, error bodies for programs: the same error, shown as each can read it.

A browser that follows a dead link, posts too much or meets a server fault used to get a bare JSON
object; it now gets an HTML page in its reader's language (``?lang``, then Accept-Language), with
the site's header and a way home, that screen readers and axe accept. API clients (the JSON API
paths, or anything that does not ask for HTML) keep the JSON body with ``status_code`` and
``detail``.
"""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response

from survey.catalogue import register
from survey.http.i18n import SUPPORTED, negotiate, text

__all__ = ["error_page", "wants_html"]

API_PREFIXES = ("/api/", "/field/api/", "/analyst/api/", "/schema/openapi")

MESSAGES: dict[int, dict[str, str]] = {
    400: {"fr": "La demande n'a pas pu être lue.", "nl": "Het verzoek kon niet worden gelezen.",
          "en": "The request could not be read."},
    401: {"fr": "Connectez-vous pour voir cette page.", "nl": "Meld u aan om deze pagina te zien.",
          "en": "Sign in to see this page."},
    403: {"fr": "Vous n'avez pas accès à cette page.", "nl": "U hebt geen toegang tot deze pagina.",
          "en": "You do not have access to this page."},
    404: {"fr": "Page introuvable.", "nl": "Pagina niet gevonden.", "en": "Page not found."},
    405: {"fr": "Cette page ne peut pas être ouverte de cette façon.",
          "nl": "Deze pagina kan niet op deze manier worden geopend.",
          "en": "This page cannot be opened this way."},
    413: {"fr": "Ce que vous avez envoyé est trop volumineux.", "nl": "Wat u hebt verzonden is te groot.",
          "en": "What you sent is too large."},
    415: {"fr": "Ce format n'est pas accepté ici.", "nl": "Dit formaat wordt hier niet aanvaard.",
          "en": "This format is not accepted here."},
    422: {"fr": "Certaines valeurs envoyées ne sont pas acceptées.",
          "nl": "Sommige verzonden waarden worden niet aanvaard.",
          "en": "Some of the values sent are not accepted."},
    429: {"fr": "Trop de demandes. Attendez une minute et réessayez.",
          "nl": "Te veel verzoeken. Wacht een minuut en probeer opnieuw.",
          "en": "Too many requests. Wait a minute and try again."},
    500: {"fr": "Une erreur s'est produite de notre côté. Vos réponses déjà envoyées sont conservées ; "
                "réessayez dans un instant.",
          "nl": "Er ging bij ons iets mis. Uw reeds verzonden antwoorden zijn bewaard; probeer het zo opnieuw.",
          "en": "Something went wrong on our side. Answers you already sent are kept; try again in a moment."},
    503: {"fr": "Le service est momentanément indisponible. Réessayez dans un instant.",
          "nl": "De dienst is even niet beschikbaar. Probeer het zo opnieuw.",
          "en": "The service is briefly unavailable. Try again in a moment."},
}  # fmt: skip
register("http.error_pages", {str(status): texts for status, texts in MESSAGES.items()})
_OTHER = {"fr": "La demande n'a pas abouti (erreur {status}).", "nl": "Het verzoek is mislukt (fout {status}).",
          "en": "The request did not succeed (error {status})."}  # fmt: skip
_REFERENCE = {"fr": "Référence", "nl": "Referentie", "en": "Reference"}


def wants_html(request: Request[Any, Any, Any]) -> bool:
    """A browser asking for a page (not a program calling an API path)."""
    path = request.scope.get("path", "")
    return not path.startswith(API_PREFIXES) and "text/html" in request.headers.get("accept", "")


def message(status: int, language: str) -> str:
    own = MESSAGES.get(status)
    return own[language] if own else _OTHER[language].format(status=status)


def error_page(
    request: Request[Any, Any, Any],
    status: int,
    *,
    reference: str = "",
    headers: dict[str, str] | None = None,
) -> Response[str]:
    """The error as an HTML page in the reader's language, with the same status (and headers)."""
    raw_lang = request.query_params.get("lang") if request.scope.get("query_string") else None
    lang = negotiate(request.headers.get("accept-language"), raw_lang if raw_lang in SUPPORTED else None)
    sentence = message(status, lang)
    if reference:
        sentence = f"{sentence} ({_REFERENCE[lang]} {reference})"
    template = request.app.template_engine.get_template("error.html")  # type: ignore[union-attr]
    html = template.render(lang=lang, easy=False, languages=SUPPORTED, message=sentence,
                           t=lambda key, **values: text(key, lang, **values),
                           lang_url=lambda code: f"?lang={code}")  # fmt: skip
    return Response(html, status_code=status, media_type=MediaType.HTML, headers=headers)
