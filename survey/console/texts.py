"""Every word the console shows, in French, Dutch and English (a test checks each key has all three).

Why one catalogue: console pages are written by two people at once; one dictionary keeps the
wording consistent and lets a test find a missing translation before an organiser does. Modules
may add their own catalogue and merge it with :func:`register` so that two editors never touch
the same lines.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection

from survey import catalogue
from survey.catalogue import Catalogue
from survey.http.i18n import LANGUAGE_NAMES, SUPPORTED, negotiate

LANGUAGE_COOKIE = "console_lang"


TEXTS: Catalogue = {
    "console": {"fr": "Console des consultations", "nl": "Raadplegingsconsole", "en": "Consultation console"},
    "skip": {"fr": "Aller au contenu", "nl": "Naar de inhoud", "en": "Skip to content"},
    "language": {"fr": "Langue", "nl": "Taal", "en": "Language"},
    "main_nav": {"fr": "Navigation principale", "nl": "Hoofdnavigatie", "en": "Main navigation"},
    "consultation_nav": {"fr": "Sections de la consultation", "nl": "Onderdelen van de raadpleging",
                         "en": "Consultation sections"},
    "signed_in_as": {"fr": "Connecté·e : {name} ({role})", "nl": "Aangemeld: {name} ({role})",
                     "en": "Signed in: {name} ({role})"},
    "sign_in": {"fr": "Se connecter", "nl": "Aanmelden", "en": "Sign in"},
    "sign_in_title": {"fr": "Connexion à la console", "nl": "Aanmelden op de console", "en": "Sign in to the console"},
    "sign_out": {"fr": "Se déconnecter", "nl": "Afmelden", "en": "Sign out"},
    "username": {"fr": "Nom d'utilisateur", "nl": "Gebruikersnaam", "en": "Username"},
    "password": {"fr": "Mot de passe", "nl": "Wachtwoord", "en": "Password"},
    "bad_login": {"fr": "Nom d'utilisateur ou mot de passe incorrect.", "nl": "Onjuiste gebruikersnaam of wachtwoord.",
                  "en": "Wrong username or password."},
    "too_many": {"fr": "Trop d'essais. Réessayez dans {minutes} minute(s).",
                 "nl": "Te veel pogingen. Probeer opnieuw over {minutes} minuut/minuten.",
                 "en": "Too many attempts. Try again in {minutes} minute(s)."},
    "no_access": {"fr": "Le compte {name} n'a pas accès à la console.", "nl": "Account {name} heeft geen toegang tot de console.",
                  "en": "The account {name} has no access to the console."},
    "form_expired": {"fr": "Le formulaire a expiré : rechargez la page et réessayez.",
                     "nl": "Het formulier is verlopen: laad de pagina opnieuw en probeer nog eens.",
                     "en": "The form has expired: reload the page and try again."},
    "nav_consultations": {"fr": "Consultations", "nl": "Raadplegingen", "en": "Consultations"},
    "nav_overview": {"fr": "Vue d'ensemble", "nl": "Overzicht", "en": "Overview"},
    "nav_questionnaire": {"fr": "Questionnaire", "nl": "Vragenlijst", "en": "Questionnaire"},
    "back": {"fr": "Retour", "nl": "Terug", "en": "Back"},
    "forbidden": {"fr": "Votre rôle ne permet pas cette action.", "nl": "Uw rol staat deze handeling niet toe.",
                  "en": "Your role does not allow this."},
    "role_admin": {"fr": "administrateur", "nl": "beheerder", "en": "admin"},
    "role_analyst": {"fr": "analyste", "nl": "analist", "en": "analyst"},
    "role_coordinator": {"fr": "coordinateur", "nl": "coördinator", "en": "coordinator"},
    "role_interviewer": {"fr": "enquêteur", "nl": "enquêteur", "en": "interviewer"},
}  # fmt: skip
catalogue.register("console", TEXTS)


def register(catalogue: Catalogue) -> None:
    """Add a page module's own texts; a key defined twice is a mistake, refused at import."""
    clash = set(catalogue) & set(TEXTS)
    if clash:
        raise ValueError(f"console text keys defined twice: {', '.join(sorted(clash))}")
    TEXTS.update(catalogue)


def text(key: str, lang: str, **values: Any) -> str:
    """A text in ``lang`` (French when that language lacks it), with ``{placeholders}`` filled."""
    template = TEXTS[key].get(lang) or TEXTS[key]["fr"]
    return template.format(**values) if values else template


def language(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """``?lang=`` first, then the language the console remembered, then Accept-Language, then French."""
    asked = connection.query_params.get("lang")
    if asked in SUPPORTED:
        return str(asked)
    remembered = connection.cookies.get(LANGUAGE_COOKIE)
    return negotiate(connection.headers.get("accept-language"), remembered)


__all__ = ["LANGUAGE_COOKIE", "LANGUAGE_NAMES", "SUPPORTED", "TEXTS", "language", "register", "text"]
