"""Language choice: an explicit ``?lang=`` wins, then Accept-Language, then French."""

from __future__ import annotations

SUPPORTED = ("fr", "nl", "en")
DEFAULT = "fr"

TEXTS: dict[str, dict[str, str]] = {
    "site_title": {"fr": "Consultations citoyennes", "nl": "Burgerraadplegingen", "en": "Citizen consultations"},
    "open_consultations": {
        "fr": "Consultations ouvertes",
        "nl": "Lopende raadplegingen",
        "en": "Open consultations",
    },
    "none": {"fr": "Aucune consultation pour le moment.", "nl": "Momenteel geen raadplegingen.",
             "en": "No consultation at the moment."},
    "organised_by": {"fr": "Organisée par", "nl": "Georganiseerd door", "en": "Organised by"},
    "language": {"fr": "Langue", "nl": "Taal", "en": "Language"},
    "skip": {"fr": "Aller au contenu", "nl": "Naar de inhoud", "en": "Skip to content"},
}  # fmt: skip


def negotiate(accept_language: str | None, explicit: str | None = None) -> str:
    """Pick a supported language; quality values in Accept-Language are honoured."""
    if explicit in SUPPORTED:
        return str(explicit)
    ranked: list[tuple[float, str]] = []
    for part in (accept_language or "").split(","):
        pieces = part.strip().split(";")
        code = pieces[0].strip().lower().split("-")[0]
        quality = 1.0
        for piece in pieces[1:]:
            if piece.strip().startswith("q="):
                try:
                    quality = float(piece.strip()[2:])
                except ValueError:
                    quality = 0.0
        if code in SUPPORTED:
            ranked.append((quality, code))
    ranked.sort(key=lambda item: -item[0])
    return ranked[0][1] if ranked else DEFAULT


def text(key: str, language: str) -> str:
    """Interface text in a language (French when a key lacks one)."""
    return TEXTS[key].get(language) or TEXTS[key][DEFAULT]
