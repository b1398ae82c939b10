"""The words of the open-comments page in French, Dutch and English.

Why a table of its own: the page is the only one that searches and pages, and a test checks that
each language has each sentence with the same placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["COMMENTS_TEXT", "comments_text"]

COMMENTS_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Open comments", "filters": "Find comments", "search": "Words in the comment",
        "search_hint": "Case and accents are ignored; every word must appear.",
        "question": "Question", "all_questions": "All open questions", "mode": "Collection mode",
        "all_modes": "All modes", "language": "Language of the questionnaire", "all_languages": "All languages",
        "answer": "Respondents who answered", "any_answer": "Any answer", "apply": "Show comments",
        "clear_filters": "Clear the filters", "count": "{matched} of {total} comments",
        "count_page": "{matched} of {total} comments; {first}–{last} shown.",
        "none": "No comment matches these filters.", "pages": "Pages of comments", "previous": "Previous page",
        "next": "Next page", "page": "Page {n}", "page_of": "Page {page} of {pages}",
        "written": "Written on {date}", "mode_online": "online", "mode_field": "field", "mode_paper": "paper",
        "link": "Search, filter and page through all comments",
    },
    "fr": {
        "title": "Commentaires libres", "filters": "Trouver des commentaires", "search": "Mots du commentaire",
        "search_hint": "Les majuscules et les accents sont ignorés ; chaque mot doit figurer.",
        "question": "Question", "all_questions": "Toutes les questions ouvertes", "mode": "Mode de collecte",
        "all_modes": "Tous les modes", "language": "Langue du questionnaire", "all_languages": "Toutes les langues",
        "answer": "Répondants ayant répondu", "any_answer": "N’importe quelle réponse",
        "apply": "Afficher les commentaires", "clear_filters": "Effacer les filtres",
        "count": "{matched} commentaires sur {total}",
        "count_page": "{matched} commentaires sur {total} ; {first} à {last} affichés.",
        "none": "Aucun commentaire ne correspond à ces filtres.", "pages": "Pages de commentaires",
        "previous": "Page précédente", "next": "Page suivante", "page": "Page {n}",
        "page_of": "Page {page} sur {pages}", "written": "Écrit le {date}", "mode_online": "en ligne",
        "mode_field": "terrain", "mode_paper": "papier",
        "link": "Rechercher, filtrer et parcourir tous les commentaires",
    },
    "nl": {
        "title": "Open opmerkingen", "filters": "Opmerkingen zoeken", "search": "Woorden in de opmerking",
        "search_hint": "Hoofdletters en accenten tellen niet; elk woord moet voorkomen.",
        "question": "Vraag", "all_questions": "Alle open vragen", "mode": "Afnamewijze",
        "all_modes": "Alle afnamewijzen", "language": "Taal van de vragenlijst", "all_languages": "Alle talen",
        "answer": "Respondenten die antwoordden", "any_answer": "Om het even welk antwoord",
        "apply": "Opmerkingen tonen", "clear_filters": "Filters wissen", "count": "{matched} van {total} opmerkingen",
        "count_page": "{matched} van {total} opmerkingen; {first} tot {last} getoond.",
        "none": "Geen enkele opmerking past bij deze filters.", "pages": "Pagina’s met opmerkingen",
        "previous": "Vorige pagina", "next": "Volgende pagina", "page": "Pagina {n}",
        "page_of": "Pagina {page} van {pages}", "written": "Geschreven op {date}", "mode_online": "online",
        "mode_field": "terrein", "mode_paper": "papier",
        "link": "Alle opmerkingen doorzoeken, filteren en doorbladeren",
    },
}  # fmt: skip


def comments_text(lang: str) -> Mapping[str, str]:
    """The page's words in ``lang``; English when the language is not one of the three."""
    return COMMENTS_TEXT.get(lang, COMMENTS_TEXT["en"])
