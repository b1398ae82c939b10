"""The field app's quota problems in the reader's language.

``survey.store.services.field_quotas.set_quotas`` lists every problem as an English sentence naming
its cell (the API and the CLI print them as they are); the console page rebuilds each known sentence in French,
Dutch or English from the parts the sentence names, and shows any other one unchanged.
"""

from __future__ import annotations

import re

from survey.console import texts

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?P<cell>.+): '(?P<choice>.*)' is not a choice of the single-choice question '(?P<question>.*)'$"),
     "q_p_not_choice"),
    (re.compile(r"^(?P<cell>.+): target must be between 0 and (?P<max>\d+)$"), "q_p_range"),
    (re.compile(r"^(?P<cell>.+): (?P<q>\d+) questions but (?P<c>\d+) categories$"), "q_p_parts"),
    (re.compile(r"^(?P<cell>.+): a question appears twice$"), "q_p_repeat"),
    (re.compile(r"^(?P<cell>.+): listed twice$"), "q_p_twice"),
]  # fmt: skip

TEXTS: texts.Catalogue = {
    "q_p_not_choice": {"fr": "{cell} : « {choice} » n'est pas un choix de la question à choix unique « {question} »",
                       "nl": "{cell}: „{choice}” is geen keuze van de vraag met één antwoord „{question}”",
                       "en": "{cell}: '{choice}' is not a choice of the single-choice question '{question}'"},
    "q_p_range": {"fr": "{cell} : l'objectif doit être entre 0 et {max}", "nl": "{cell}: het doel moet tussen 0 en {max} liggen",
                  "en": "{cell}: target must be between 0 and {max}"},
    "q_p_parts": {"fr": "{cell} : {q} questions mais {c} catégories", "nl": "{cell}: {q} vragen maar {c} categorieën",
                  "en": "{cell}: {q} questions but {c} categories"},
    "q_p_repeat": {"fr": "{cell} : une question apparaît deux fois", "nl": "{cell}: een vraag komt twee keer voor",
                   "en": "{cell}: a question appears twice"},
    "q_p_twice": {"fr": "{cell} : indiqué deux fois", "nl": "{cell}: twee keer opgegeven", "en": "{cell}: listed twice"},
}  # fmt: skip


def install() -> None:
    """Merge these texts into the console catalogue, once."""
    if "q_p_twice" not in texts.TEXTS:
        texts.register(TEXTS)


def quota_problem(problem: str, lang: str) -> str:
    """``problem`` in ``lang`` when it is one of the field app's known sentences, else as it is."""
    for pattern, key in _PATTERNS:
        found = pattern.match(problem)
        if found:
            return texts.text(key, lang, **found.groupdict())
    return problem
