"""Problems the services word in English (for the CLI), rebuilt in the console reader's language.

Why here and not in the services: ``survey.tabular`` (a file that cannot be read) and
``survey.store.services.grants`` (a grant refused) speak to the command line, where English names
the file, column, row or account exactly; the console rebuilds the known sentences from those parts
in French, Dutch or English. A sentence not known here (a reader library's own wording of a broken
file) is kept as it is, after the known part ("cannot read FILE:") is translated.
"""

from __future__ import annotations

import re

from survey.console import texts

_READ = re.compile(r"^cannot read (?P<file>.+?): (?P<reason>.+)$")
_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^file not found$"), "p_read_missing"),
    (re.compile(r"^it is a folder$"), "p_read_folder"),
    (re.compile(r"^column '(?P<column>.*)' appears more than once in the header$"), "p_read_twice"),
    (re.compile(r"^line (?P<line>\d+) has (?P<fields>\d+) fields, the header has (?P<width>\d+)$"), "p_read_ragged"),
    (re.compile(r"^not UTF-8 text \(save it as CSV UTF-8\)$"), "p_read_utf8"),
]  # fmt: skip
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?P<file>.+): column '(?P<column>.*)': (?P<value>'.*'|\".*\") at data row (?P<row>\d+) "
                r"is not a number$"), "p_not_number"),
    (re.compile(r"^role: '(?P<role>\w+)' is global and is not granted per consultation$"), "p_grant_global"),
    (re.compile(r"^role: '(?P<name>.+)' is (?P<held>\w+), not (?P<role>\w+); change the account's role first$"),
     "p_grant_role"),
    (re.compile(r"^user: no user (?P<id>\d+)$"), "p_grant_no_user"),
    (re.compile(r"^consultation: no consultation (?P<id>\d+)$"), "p_grant_no_consultation"),
]  # fmt: skip
_ROLES = ("role", "held")

TEXTS: texts.Catalogue = {
    "p_read": {"fr": "impossible de lire {file} : {reason}", "nl": "{file} kan niet gelezen worden: {reason}",
               "en": "cannot read {file}: {reason}"},
    "p_read_missing": {"fr": "fichier introuvable", "nl": "bestand niet gevonden", "en": "file not found"},
    "p_read_folder": {"fr": "c'est un dossier", "nl": "het is een map", "en": "it is a folder"},
    "p_read_twice": {"fr": "la colonne « {column} » figure plus d'une fois dans l'en-tête",
                     "nl": "kolom „{column}” staat meer dan eens in de kopregel",
                     "en": "column '{column}' appears more than once in the header"},
    "p_read_ragged": {"fr": "la ligne {line} a {fields} champs, l'en-tête en a {width}",
                      "nl": "regel {line} heeft {fields} velden, de kopregel {width}",
                      "en": "line {line} has {fields} fields, the header has {width}"},
    "p_read_utf8": {"fr": "ce n'est pas du texte UTF-8 (enregistrez-le en « CSV UTF-8 »)",
                    "nl": "dit is geen UTF-8-tekst (sla het op als „CSV UTF-8”)",
                    "en": "not UTF-8 text (save it as CSV UTF-8)"},
    "p_not_number": {"fr": "{file} : colonne « {column} » : {value} à la ligne de données {row} n'est pas un nombre",
                     "nl": "{file}: kolom „{column}”: {value} op gegevensrij {row} is geen getal",
                     "en": "{file}: column '{column}': {value} at data row {row} is not a number"},
    "p_grant_global": {"fr": "le rôle {role} vaut pour toutes les consultations et ne s'attribue pas par consultation",
                       "nl": "de rol {role} geldt voor alle raadplegingen en wordt niet per raadpleging toegekend",
                       "en": "the role {role} is global and is not granted per consultation"},
    "p_grant_role": {"fr": "{name} est {held}, pas {role} : changez d'abord le rôle du compte",
                     "nl": "{name} is {held}, geen {role}: wijzig eerst de rol van het account",
                     "en": "{name} is {held}, not {role}: change the account's role first"},
    "p_grant_no_user": {"fr": "aucun compte n° {id}", "nl": "geen account nr. {id}", "en": "no account {id}"},
    "p_grant_no_consultation": {"fr": "aucune consultation n° {id}", "nl": "geen raadpleging nr. {id}",
                                "en": "no consultation {id}"},
}  # fmt: skip

texts.register(TEXTS)


def problem(message: str, lang: str) -> str:
    """``message`` in ``lang`` when it is one of the known sentences, else as it is."""
    read = _READ.match(message)
    if read:
        return texts.text("p_read", lang, file=read["file"], reason=_reason(read["reason"], lang))
    for pattern, key in _PATTERNS:
        found = pattern.match(message)
        if found:
            values = found.groupdict()
            for name in _ROLES:
                if name in values and f"role_{values[name]}" in texts.TEXTS:
                    values[name] = texts.text(f"role_{values[name]}", lang)
            return texts.text(key, lang, **values)
    return message


def _reason(reason: str, lang: str) -> str:
    for pattern, key in _REASONS:
        found = pattern.match(reason)
        if found:
            return texts.text(key, lang, **found.groupdict())
    return reason
