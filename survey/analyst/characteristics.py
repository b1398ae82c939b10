"""Short names of the characteristics results are weighted on: "sex, age, education, municipality".

Why not the question text: a weighting variable's label is what respondents were asked ("You are:",
"Your highest diploma?"), which reads badly in a sentence about the method. The usual census
characteristics have a short name per language here; any other keeps its questionnaire label when
that label is already short, else its variable name with spaces.
"""

from __future__ import annotations

from survey.analyst.labels import CROSS, Labels
from survey.catalogue import register

__all__ = ["SHORT_NAMES", "characteristic", "characteristics"]

SHORT_NAMES: dict[str, dict[str, str]] = {
    "sex": {"fr": "sexe", "nl": "geslacht", "en": "sex"},
    "gender": {"fr": "genre", "nl": "gender", "en": "gender"},
    "age": {"fr": "âge", "nl": "leeftijd", "en": "age"},
    "age_group": {"fr": "âge", "nl": "leeftijd", "en": "age"},
    "education": {"fr": "niveau d’études", "nl": "opleidingsniveau", "en": "education"},
    "municipality": {"fr": "commune", "nl": "gemeente", "en": "municipality"},
    "commune": {"fr": "commune", "nl": "gemeente", "en": "municipality"},
    "district": {"fr": "quartier", "nl": "wijk", "en": "district"},
    "region": {"fr": "région", "nl": "gewest", "en": "region"},
    "province": {"fr": "province", "nl": "provincie", "en": "province"},
    "nationality": {"fr": "nationalité", "nl": "nationaliteit", "en": "nationality"},
    "nationality_group": {"fr": "nationalité", "nl": "nationaliteit", "en": "nationality"},
    "employment": {"fr": "situation professionnelle", "nl": "werksituatie", "en": "employment"},
    "household_size": {"fr": "taille du ménage", "nl": "gezinsgrootte", "en": "household size"},
    "language": {"fr": "langue", "nl": "taal", "en": "language"},
}
register("characteristics.short_names", SHORT_NAMES)
SHORT_LABEL_WORDS = 3  # a questionnaire label this short already reads as a name


def characteristic(name: str, lang: str, labels: Labels | None = None) -> str:
    """The short name of one weighting variable in ``lang`` (lower case, to sit inside a sentence)."""
    known = SHORT_NAMES.get(name.lower())
    if known:
        return known.get(lang, known["en"])
    label = (labels or Labels()).question(name, lang)
    if label != name and len(label.split()) <= SHORT_LABEL_WORDS and "?" not in label:
        return label[:1].lower() + label[1:]
    return name.replace("_", " ")


def characteristics(
    margins: list[str] | tuple[str, ...], lang: str, labels: Labels | None = None
) -> list[str]:
    """Each characteristic once, in margin order; a crossed margin (``sex:age_group``) names both parts."""
    names = [part for margin in margins for part in margin.split(CROSS)]
    return list(dict.fromkeys(characteristic(n, lang, labels) for n in names))
