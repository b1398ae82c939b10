"""The words of the open-comments page in French, Dutch and English.

Why a table of its own: the page is the only one that searches and pages, and a test checks that
each language has each sentence with the same placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping

from survey.catalogue import Catalogue, per_language, register

__all__ = ["COMMENTS_TEXT", "comments_text"]

_COMMENTS_WORDS: Catalogue = {
    "title": {"fr": "Commentaires libres", "nl": "Open opmerkingen", "en": "Open comments"},
    "filters": {"fr": "Trouver des commentaires", "nl": "Opmerkingen zoeken", "en": "Find comments"},
    "search": {"fr": "Mots du commentaire", "nl": "Woorden in de opmerking", "en": "Words in the comment"},
    "search_hint": {"fr": "Les majuscules et les accents sont ignorés ; chaque mot doit figurer.", "nl": "Hoofdletters en accenten tellen niet; elk woord moet voorkomen.", "en": "Case and accents are ignored; every word must appear."},
    "question": {"fr": "Question", "nl": "Vraag", "en": "Question"},
    "all_questions": {"fr": "Toutes les questions ouvertes", "nl": "Alle open vragen", "en": "All open questions"},
    "mode": {"fr": "Mode de collecte", "nl": "Afnamewijze", "en": "Collection mode"},
    "all_modes": {"fr": "Tous les modes", "nl": "Alle afnamewijzen", "en": "All modes"},
    "language": {"fr": "Langue du questionnaire", "nl": "Taal van de vragenlijst", "en": "Language of the questionnaire"},
    "all_languages": {"fr": "Toutes les langues", "nl": "Alle talen", "en": "All languages"},
    "answer": {"fr": "Répondants ayant répondu", "nl": "Respondenten die antwoordden", "en": "Respondents who answered"},
    "any_answer": {"fr": "N’importe quelle réponse", "nl": "Om het even welk antwoord", "en": "Any answer"},
    "apply": {"fr": "Afficher les commentaires", "nl": "Opmerkingen tonen", "en": "Show comments"},
    "clear_filters": {"fr": "Effacer les filtres", "nl": "Filters wissen", "en": "Clear the filters"},
    "count": {"fr": "{matched} commentaires sur {total}", "nl": "{matched} van {total} opmerkingen", "en": "{matched} of {total} comments"},
    "count_page": {"fr": "{matched} commentaires sur {total} ; {first} à {last} affichés.", "nl": "{matched} van {total} opmerkingen; {first} tot {last} getoond.", "en": "{matched} of {total} comments; {first}–{last} shown."},
    "none": {"fr": "Aucun commentaire ne correspond à ces filtres.", "nl": "Geen enkele opmerking past bij deze filters.", "en": "No comment matches these filters."},
    "pages": {"fr": "Pages de commentaires", "nl": "Pagina’s met opmerkingen", "en": "Pages of comments"},
    "previous": {"fr": "Page précédente", "nl": "Vorige pagina", "en": "Previous page"},
    "next": {"fr": "Page suivante", "nl": "Volgende pagina", "en": "Next page"},
    "page": {"fr": "Page {n}", "nl": "Pagina {n}", "en": "Page {n}"},
    "page_of": {"fr": "Page {page} sur {pages}", "nl": "Pagina {page} van {pages}", "en": "Page {page} of {pages}"},
    "written": {"fr": "Écrit le {date}", "nl": "Geschreven op {date}", "en": "Written on {date}"},
    "mode_online": {"fr": "en ligne", "nl": "online", "en": "online"},
    "mode_field": {"fr": "terrain", "nl": "terrein", "en": "field"},
    "mode_paper": {"fr": "papier", "nl": "papier", "en": "paper"},
    "link": {"fr": "Rechercher, filtrer et parcourir tous les commentaires", "nl": "Alle opmerkingen doorzoeken, filteren en doorbladeren", "en": "Search, filter and page through all comments"},
}  # fmt: skip
COMMENTS_TEXT: dict[str, dict[str, str]] = per_language(
    register("comments_text.comments_text", _COMMENTS_WORDS)
)


def comments_text(lang: str) -> Mapping[str, str]:
    """The page's words in ``lang``; English when the language is not one of the three."""
    return COMMENTS_TEXT.get(lang, COMMENTS_TEXT["en"])
