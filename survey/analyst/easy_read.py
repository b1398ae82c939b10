"""The easy-read findings of the public page: what people think first, then what weighting changed.

Why written from the frozen summary: easy read (FALC, makkelijk lezen) asks for the finding first,
one idea per short sentence, whole numbers ("36 in 100 people") and no technical words. The summary
already holds each key question's weighted and unweighted share, sorted by how much weighting moved
them, so the largest story (a majority that weighting turns into a minority) comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from survey.catalogue import Catalogue, per_language, register

__all__ = ["EASY_FINDINGS", "MAX_FINDINGS", "Finding", "findings"]

OR = {"fr": "ou", "nl": "of", "en": "or"}
MAX_FINDINGS = 3  # easy read: a few findings a reader can hold, the rest is in the tables below

_FINDING_WORDS: Catalogue = {
    "title": {"fr": "Ce que les gens pensent", "nl": "Wat de mensen denken", "en": "What people think"},
    "share": {
        "fr": "{w} personnes sur 100 répondent\xa0: «\xa0{answer}\xa0».",
        "nl": "{w} op de 100 mensen antwoorden: ‘{answer}’.",
        "en": "{w} in 100 people answer: “{answer}”.",
    },
    "before": {
        "fr": "Sans notre correction, c’était {u} personnes sur 100.",
        "nl": "Zonder onze correctie waren het er {u} op de 100.",
        "en": "Without our correction, it was {u} in 100 people.",
    },
    "was_majority": {
        "fr": "Sans correction, c’était plus de la moitié.",
        "nl": "Zonder correctie was het meer dan de helft.",
        "en": "Without the correction, it was more than half.",
    },
    "now_minority": {
        "fr": "Avec la correction, c’est moins de la moitié.",
        "nl": "Met de correctie is het minder dan de helft.",
        "en": "With the correction, it is less than half.",
    },
    "was_minority": {
        "fr": "Sans correction, c’était moins de la moitié.",
        "nl": "Zonder correctie was het minder dan de helft.",
        "en": "Without the correction, it was less than half.",
    },
    "now_majority": {
        "fr": "Avec la correction, c’est plus de la moitié.",
        "nl": "Met de correctie is het meer dan de helft.",
        "en": "With the correction, it is more than half.",
    },
    "same": {
        "fr": "Notre correction ne change presque rien ici.",
        "nl": "Onze correctie verandert hier bijna niets.",
        "en": "Our correction changes almost nothing here.",
    },
    "how": {"fr": "Comment nous avons calculé", "nl": "Hoe we hebben gerekend", "en": "How we calculated"},
}
EASY_FINDINGS: dict[str, dict[str, str]] = per_language(register("easy_read.easy_findings", _FINDING_WORDS))


@dataclass(frozen=True)
class Finding:
    """One key question in easy read: its wording, then short sentences."""

    question: str
    sentences: tuple[str, ...]


def _sentences(row: dict[str, Any], lang: str) -> tuple[str, ...]:
    words = EASY_FINDINGS[lang]
    weighted, unweighted = round(100 * float(row["weighted"])), round(100 * float(row["unweighted"]))
    # a combined answer ("agree + strongly agree") is read as either answer, not as a sum
    answer = (row["labels"].get(lang) or row["category"]).replace(" + ", f" {OR[lang]} ")
    said = [words["share"].format(w=weighted, answer=answer)]
    if weighted == unweighted:
        return (*said, words["same"])
    said.append(words["before"].format(u=unweighted))
    if unweighted > 50 > weighted:
        said += [words["was_majority"], words["now_minority"]]
    elif weighted > 50 > unweighted:
        said += [words["was_minority"], words["now_majority"]]
    return tuple(said)


def findings(content: dict[str, Any], lang: str) -> list[Finding]:
    """Up to :data:`MAX_FINDINGS` key questions, the one weighting moved most first.

    Per question the answer with the largest shift is told (the summary is sorted by it); snapshots
    frozen before the summary existed have none, and the page then starts with how it was made.
    """
    rows = (content.get("summary") or {}).get("rows") or []
    found: list[Finding] = []
    seen: set[str] = set()
    for row in rows:
        if row["question"] in seen or row.get("exact"):  # a weighting variable's correction is no finding
            continue
        seen.add(row["question"])
        question = (row.get("question_labels") or {}).get(lang) or row["question"]
        found.append(Finding(question, _sentences(row, lang)))
        if len(found) == MAX_FINDINGS:
            break
    return found
