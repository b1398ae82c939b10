"""The easy-read findings of the public page: what people think first, then what weighting changed.

Why written from the frozen summary: easy read (FALC, makkelijk lezen) asks for the finding first,
one idea per short sentence, whole numbers ("36 in 100 people") and no technical words. The summary
already holds each key question's weighted and unweighted share, sorted by how much weighting moved
them, so the largest story (a majority that weighting turns into a minority) comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["EASY_FINDINGS", "MAX_FINDINGS", "Finding", "findings"]

OR = {"fr": "ou", "nl": "of", "en": "or"}
MAX_FINDINGS = 3  # easy read: a few findings a reader can hold, the rest is in the tables below

EASY_FINDINGS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Ce que les gens pensent",
        "share": "{w} personnes sur 100 répondent\u00a0: «\u00a0{answer}\u00a0».",
        "before": "Sans notre correction, c’était {u} personnes sur 100.",
        "was_majority": "Sans correction, c’était plus de la moitié.",
        "now_minority": "Avec la correction, c’est moins de la moitié.",
        "was_minority": "Sans correction, c’était moins de la moitié.",
        "now_majority": "Avec la correction, c’est plus de la moitié.",
        "same": "Notre correction ne change presque rien ici.",
        "how": "Comment nous avons calculé",
    },
    "nl": {
        "title": "Wat de mensen denken",
        "share": "{w} op de 100 mensen antwoorden: ‘{answer}’.",
        "before": "Zonder onze correctie waren het er {u} op de 100.",
        "was_majority": "Zonder correctie was het meer dan de helft.",
        "now_minority": "Met de correctie is het minder dan de helft.",
        "was_minority": "Zonder correctie was het minder dan de helft.",
        "now_majority": "Met de correctie is het meer dan de helft.",
        "same": "Onze correctie verandert hier bijna niets.",
        "how": "Hoe we hebben gerekend",
    },
    "en": {
        "title": "What people think",
        "share": "{w} in 100 people answer: “{answer}”.",
        "before": "Without our correction, it was {u} in 100 people.",
        "was_majority": "Without the correction, it was more than half.",
        "now_minority": "With the correction, it is less than half.",
        "was_minority": "Without the correction, it was less than half.",
        "now_majority": "With the correction, it is more than half.",
        "same": "Our correction changes almost nothing here.",
        "how": "How we calculated",
    },
}


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
        if row["question"] in seen:
            continue
        seen.add(row["question"])
        question = (row.get("question_labels") or {}).get(lang) or row["question"]
        found.append(Finding(question, _sentences(row, lang)))
        if len(found) == MAX_FINDINGS:
            break
    return found
