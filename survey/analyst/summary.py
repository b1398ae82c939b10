"""The summary that opens every results view: what weighting changed, largest shift first.

Why: a weighted share alone hides the story when weighting turns a majority into a minority
(the demo's "yes" to merging goes from 53 % unweighted to 36 % weighted). The summary puts the
weighted share, its 95 % CI, the unweighted share and the shift side by side, with the shift's
own standard error so a reader can tell a real shift from noise.

The SE of the shift is linearised (Taylor), calibration-aware: the shift p_w − p_u is a smooth
function of sample totals, its influence score is the weighted proportion's score residualised
on the calibration steps (as ``weighting.estimate`` does) minus the unweighted proportion's score,
which calibration does not touch; the variance of that one score's total is the shift's variance.
It is computed with ``weighting.residualise`` and ``weighting.taylor_variance``.

A weighting variable chosen as a key question is weighted to its population figures exactly: its
interval is one value and its "shift" is the correction weighting made, not a finding with an SE.
Such rows are marked ``exact``, explained once (as the public page does) and sorted after the others,
so the headline and the easy-read findings stay on what weighting revealed.
"""

# ruff: noqa: PLC0415
# (numpy, pandas and weighting are imported by the functions that compute: the pages import this
# module for its texts and row types, in server workers that may never summarise anything)

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Protocol

from survey.catalogue import Catalogue, per_language, register

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from weighting import Design

__all__ = ["EXACT_SE", "SE_METHOD", "SUMMARY_TEXT", "Summary", "SummaryRow", "shift_scores", "summarise"]

SE_METHOD = "taylor-linearised, calibration-aware"
AGREEMENT = ("strongly_agree", "agree")  # an agreement scale's top-2 box, added as one combined row
COMBINED = "+"
EXACT_SE = 5e-5  # a 95 % interval narrower than 0.02 percentage points: it prints as one value

_SUMMARY_WORDS: Catalogue = {
    "title": {
        "fr": "Résumé : ce que la pondération a changé",
        "nl": "Samenvatting: wat de weging veranderde",
        "en": "Summary: what weighting changed",
    },
    "moves": {
        "fr": "La pondération fait passer «\xa0{answer}\xa0» ({question}) de {before} à {after}.",
        "nl": "De weging brengt ‘{answer}’ ({question}) van {before} naar {after}.",
        "en": "Weighting moves “{answer}” ({question}) from {before} to {after}.",
    },
    "question": {"fr": "Question", "nl": "Vraag", "en": "Question"},
    "answer": {"fr": "Réponse", "nl": "Antwoord", "en": "Answer"},
    "weighted": {"fr": "Pondéré", "nl": "Gewogen", "en": "Weighted"},
    "ci": {"fr": "IC à 95 %", "nl": "95%-BI", "en": "95% CI"},
    "unweighted": {"fr": "Non pondéré", "nl": "Ongewogen", "en": "Unweighted"},
    "shift": {
        "fr": "Écart dû à la pondération",
        "nl": "Verschuiving door weging",
        "en": "Shift due to weighting",
    },
    "se": {"fr": "Erreur type de l’écart", "nl": "Standaardfout verschuiving", "en": "SE of shift"},
    "points": {"fr": "{value} pts", "nl": "{value} ptn", "en": "{value} pts"},
    "clear": {
        "fr": "plus de deux fois son erreur type",
        "nl": "meer dan tweemaal de standaardfout",
        "en": "larger than twice its SE",
    },
    "more": {
        "fr": "Toutes les autres réponses ({n}), par taille de l’écart",
        "nl": "Alle andere antwoorden ({n}), op grootte van de verschuiving",
        "en": "All other answers ({n}), by size of shift",
    },
    "table": {
        "fr": "Plus grands écarts dus à la pondération",
        "nl": "Grootste verschuivingen door weging",
        "en": "Largest shifts due to weighting",
    },
    "method": {
        "fr": "Questions clés : toutes les questions à choix unique qui ne servent pas à la pondération, triées par taille de l’écart. L’erreur type de l’écart est calculée par linéarisation de Taylor de la part pondérée moins la part non pondérée, en tenant compte du calage.",
        "nl": "Kernvragen: alle vragen met één antwoord die geen wegingsvariabele zijn, gesorteerd op grootte van de verschuiving. De standaardfout van de verschuiving is berekend met Taylor-linearisatie van het gewogen min het ongewogen aandeel, rekening houdend met de kalibratie.",
        "en": "Key questions: every single-choice question that is not a weighting variable, sorted by the size of the shift. The SE of the shift is computed by Taylor linearisation of the weighted minus unweighted share, taking the calibration into account.",
    },
    "none": {
        "fr": "Aucune question à choix unique hors variables de pondération à résumer.",
        "nl": "Geen vraag met één antwoord buiten de wegingsvariabelen om samen te vatten.",
        "en": "No single-choice question outside the weighting variables to summarise.",
    },
    "exact_cell": {
        "fr": "exact par construction",
        "nl": "exact door constructie",
        "en": "exact by construction",
    },
    "exact_note": {
        "fr": "Parmi les questions clés, servent à la pondération : {questions}. Leurs parts pondérées ont été rendues égales aux chiffres de la population ; elles sont exactes par construction et n’ont pas d’intervalle. Leur écart est la correction apportée par la pondération, pas un résultat : il n’a pas d’erreur type et vient après les autres.",
        "nl": "Van de kernvragen dienen voor de weging: {questions}. Hun gewogen aandelen zijn gelijk gemaakt aan de bevolkingscijfers; ze zijn exact door constructie en hebben geen interval. Hun verschuiving is de correctie door de weging, geen resultaat: ze heeft geen standaardfout en komt na de andere.",
        "en": "Among the key questions, used for weighting: {questions}. Their weighted shares were made equal to the population figures; they are exact by construction and have no interval. Their shift is the correction weighting made, not a finding: it has no standard error and comes after the others.",
    },
    "choose": {
        "fr": "Questions clés du résumé",
        "nl": "Kernvragen van de samenvatting",
        "en": "Key questions of the summary",
    },
    "apply": {
        "fr": "Afficher le résumé pour ces questions",
        "nl": "De samenvatting voor deze vragen tonen",
        "en": "Show the summary for these questions",
    },
    "csv": {
        "fr": "Télécharger le tableau des résultats (CSV)",
        "nl": "De resultatentabel downloaden (CSV)",
        "en": "Download the results table (CSV)",
    },
}
SUMMARY_TEXT: dict[str, dict[str, str]] = per_language(register("summary.summary_text", _SUMMARY_WORDS))


class _Result(Protocol):
    """What the summary reads of a question's results (``services.QuestionResult`` or its dict)."""

    name: str
    kind: str
    labels: dict[str, str]
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class SummaryRow:
    """One category of a key question: weighted share and CI, unweighted share, shift and its SE."""

    question: str
    question_labels: dict[str, str]
    category: str
    labels: dict[str, str]
    weighted: float
    ci_low: float
    ci_high: float
    unweighted: float
    shift: float
    shift_se: float
    n: int
    exact: bool = False  # a weighting variable met exactly: no interval, the shift is the correction

    @property
    def clear(self) -> bool:
        """Whether the shift is larger than twice its SE (weighting changed it beyond noise)."""
        return not self.exact and self.shift_se > 0 and abs(self.shift) > 2 * self.shift_se


@dataclass(frozen=True)
class Summary:
    """The key rows, largest absolute shift first, and how their SE was computed."""

    rows: tuple[SummaryRow, ...]
    se_method: str = SE_METHOD

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (a snapshot stores it so the public page shows the frozen summary)."""
        return {
            "se_method": self.se_method,
            "rows": [{**asdict(r), "clear": r.clear} for r in self.rows],
        }


def shift_scores(design: Design, y: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """Linearised score of (weighted − unweighted share) of indicator ``y`` among ``answered`` rows.

    The weighted part is residualised on the design's calibration steps; the unweighted part
    (every respondent counts 1) does not depend on the calibration and is left as it is.
    """
    import numpy as np

    from weighting import residualise

    weighted, unweighted = _score_parts(design, y, answered)
    return np.asarray(residualise(design, weighted[:, None])[:, 0] - unweighted)


def _score_parts(design: Design, y: np.ndarray, answered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scores of the weighted share (before residualising) and of the unweighted share."""
    import numpy as np

    w = np.where(answered, design.weights, 0.0)
    ones = answered.astype(np.float64)
    p_w = float(np.dot(w, y) / w.sum())
    p_u = float(np.dot(ones, y) / ones.sum())
    return w * (y - p_w) / w.sum(), ones * (y - p_u) / ones.sum()


def summarise(
    design: Design,
    data: pd.DataFrame,
    results: Sequence[_Result],
    weighting_variables: Sequence[str],
    keys: Sequence[str] | None = None,
) -> Summary:
    """Summary rows of the key questions (default: single-choice questions not used for weighting)."""
    import numpy as np

    from weighting import residualise, taylor_variance

    chosen = [
        r
        for r in results
        if r.kind == "categorical"
        and r.name in data
        and (r.name in keys if keys is not None else r.name not in weighting_variables)
    ]
    cells: list[tuple[_Result, dict[str, Any]]] = []
    weighted: list[np.ndarray] = []
    unweighted: list[np.ndarray] = []
    for result in chosen:
        column = data[result.name]
        answered = column.notna().to_numpy()
        if not answered.any():
            continue
        text = column.astype("string")
        present = [row for row in result.rows if row.get("unweighted") is not None]
        combined = _top_two(design, result, present, text, answered)
        for row in [*present, *combined]:
            parts = str(row["category"]).split(COMBINED)
            y = text.isin(parts).fillna(False).to_numpy(dtype=np.float64)
            cells.append((result, row))
            weighted_score, unweighted_score = _score_parts(design, y, answered)
            weighted.append(weighted_score)
            unweighted.append(unweighted_score)
    if not cells:
        return Summary(())
    # one residualisation for every cell: each calibration sweep then runs once, not once per cell
    scores = residualise(design, np.column_stack(weighted)) - np.column_stack(unweighted)
    variances = taylor_variance(design, scores, calibrated=False)
    rows = [
        SummaryRow(
            question=result.name,
            question_labels=dict(result.labels),
            category=str(row["category"]),
            labels=dict(row["labels"]),
            weighted=float(row["weighted"]["estimate"]),
            ci_low=float(row["weighted"]["ci_low"]),
            ci_high=float(row["weighted"]["ci_high"]),
            unweighted=float(row["unweighted"]["estimate"]),
            shift=float(row["weighted"]["estimate"]) - float(row["unweighted"]["estimate"]),
            shift_se=math.sqrt(max(float(v), 0.0)),
            n=int(row["weighted"]["n"]),
            exact=result.name in weighting_variables and float(row["weighted"]["se"]) < EXACT_SE,
        )
        for (result, row), v in zip(cells, variances, strict=True)
    ]
    rows.sort(key=lambda r: (r.exact, -abs(r.shift), r.question, r.category))
    return Summary(tuple(rows))


def _top_two(
    design: Design, result: _Result, rows: list[dict[str, Any]], text: pd.Series, answered: np.ndarray
) -> list[dict[str, Any]]:
    """The "strongly agree + agree" row of an agreement scale, estimated by ``weighting.estimate``.

    Why: support on a five-point scale is the top-2 box; its shift is what a reader asks about
    (the demo's merger support goes from 53 % to 36 %), and no single category shows it.
    """
    import numpy as np
    import pandas as pd

    from weighting import Design, estimate

    by_name = {str(row["category"]): row for row in rows}
    if not all(name in by_name for name in AGREEMENT) or not isinstance(design.data, pd.DataFrame):
        return []
    column = f"{result.name}{COMBINED}top2"
    agree = text.isin(AGREEMENT).fillna(False).to_numpy(dtype=bool)
    values = np.where(agree, "1", "0").astype(object)
    values[~answered] = None
    extended = dataclasses.replace(design, data=design.data.assign(**{column: values}))
    unweighted = Design.from_frame(extended.data, mode_column=design.mode_column)
    weighted_row = _row(estimate(extended, [column]).rows)
    unweighted_row = _row(estimate(unweighted, [column]).rows)
    if weighted_row is None or unweighted_row is None:
        return []
    languages = {lang for name in AGREEMENT for lang in by_name[name]["labels"]}
    return [
        {
            "category": COMBINED.join(AGREEMENT),
            "labels": {
                lang: " + ".join(str(by_name[name]["labels"].get(lang, name)) for name in AGREEMENT)
                for lang in sorted(languages)
            },
            "weighted": weighted_row,
            "unweighted": unweighted_row,
        }
    ]


def _row(rows: Sequence[Any]) -> dict[str, float] | None:
    """The "1" category of an indicator's estimate rows, as the results rows store figures."""
    for row in rows:
        if row.category == "1":
            return {"estimate": row.estimate, "se": row.se, "ci_low": row.ci_low, "ci_high": row.ci_high,
                    "n": row.n}  # fmt: skip
    return None
