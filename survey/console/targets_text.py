"""Population-table problems in the reader's language.

``survey.store.services.population_targets`` words each problem in English for the CLI, naming the
file, column and row; the console page rebuilds the known sentences in French, Dutch or English
from those parts, and shows any other one (a reader's own wording of an unreadable file) unchanged.
"""

from __future__ import annotations

import re

from survey.console import problem_texts, texts

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?P<file>.+): no column 'count'$"), "t_p_no_count"),
    (re.compile(r"^population table has no column '(?P<column>.*)'$"), "t_p_no_column"),
    (re.compile(r"^(?P<file>.+): column '(?P<column>.*)' is empty at data row (?P<row>\d+)$"), "t_p_empty"),
    (re.compile(r"^(?P<file>.+): column 'count' must hold counts of 0 or more that add up to more than 0$"),
     "t_p_counts"),
]  # fmt: skip

TEXTS: texts.Catalogue = {
    "t_p_no_count": {"fr": "{file} : pas de colonne « count »", "nl": "{file}: geen kolom „count”",
                     "en": "{file}: no column 'count'"},
    "t_p_no_column": {"fr": "le tableau de population n'a pas de colonne « {column} »",
                      "nl": "de populatietabel heeft geen kolom „{column}”",
                      "en": "population table has no column '{column}'"},
    "t_p_empty": {"fr": "{file} : la colonne « {column} » est vide à la ligne de données {row}",
                  "nl": "{file}: kolom „{column}” is leeg op gegevensrij {row}",
                  "en": "{file}: column '{column}' is empty at data row {row}"},
    "t_p_counts": {"fr": "{file} : la colonne « count » doit contenir des effectifs de 0 ou plus, de total supérieur à 0",
                   "nl": "{file}: kolom „count” moet aantallen van 0 of meer bevatten, samen meer dan 0",
                   "en": "{file}: column 'count' must hold counts of 0 or more that add up to more than 0"},
}  # fmt: skip


def install() -> None:
    """Merge these texts into the console catalogue, once."""
    if "t_p_counts" not in texts.TEXTS:
        texts.register(TEXTS)


def population_problem(problem: str, lang: str) -> str:
    """``problem`` in ``lang`` when it is one of the known sentences (a file the table reader could
    not read included: :mod:`survey.console.problem_texts`), else as it is."""
    for pattern, key in _PATTERNS:
        found = pattern.match(problem)
        if found:
            return texts.text(key, lang, **found.groupdict())
    return problem_texts.problem(problem, lang)
