"""The bias audit frozen in a snapshot, and read back for its report and public page.

Why frozen: the audit (how far online answers and the samples were from the population, and what the
field interviews changed) explains the published figures, so it must be the audit of the data and
targets that produced them, not of a rerun on today's. Figures are stored, not sentences: the plain
summary is written again in the reader's language from the stored gaps. Snapshots frozen before the
audit was stored have none (the pages then say so).
"""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

from survey.analyst.audit import BiasAudit, BiasRow, MarginGap, plain_summary
from survey.analyst.labels import Labels

__all__ = ["freeze_audit", "snapshot_labels", "stored_audit"]

KEY = "bias_audit"


def _finite(value: Any) -> Any:
    """JSON has no NaN: a gap with no SE (a category nobody gave) is stored as null."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def freeze_audit(audit: BiasAudit) -> dict[str, Any]:
    """The audit's figures as JSON (rows, demographic gaps, distances, mode effects)."""
    return {
        "rows": [{k: _finite(v) for k, v in asdict(r).items()} for r in audit.rows],
        "margins": [{k: _finite(v) for k, v in asdict(g).items()} for g in audit.margins],
        "distance": audit.distance,
        "mode_effects": audit.mode_effects,
    }


def _number(value: Any) -> float:
    return float("nan") if value is None else float(value)


def stored_audit(content: dict[str, Any], labels: Labels, lang: str) -> BiasAudit | None:
    """The snapshot's audit with its summary in ``lang``, or None when the snapshot has none."""
    stored = content.get(KEY)
    if not isinstance(stored, dict):
        return None
    rows = [BiasRow(r["question"], r["category"], *(_number(r[k]) for k in ("online", "weighted", "points", "in_se")))
            for r in stored.get("rows", [])]  # fmt: skip
    margins = [
        MarginGap(g["margin"], g["category"],
                  *(_number(g[k]) for k in ("population", "online", "field", "combined", "weighted")))
        for g in stored.get("margins", [])
    ]  # fmt: skip
    distance = {m: {k: float(v) for k, v in d.items()} for m, d in (stored.get("distance") or {}).items()}
    return BiasAudit(rows, margins, distance, plain_summary(margins, distance, labels, lang),
                     list(stored.get("mode_effects") or []))  # fmt: skip


def snapshot_labels(content: dict[str, Any]) -> Labels:
    """The margins' labels the snapshot keeps, plus every question's and answer's from its results.

    Why: a snapshot stores the labels of the weighting margins apart, and each question's wording
    with its figures; the audit names both kinds.
    """
    base = Labels.from_dict(content.get("labels"))
    questions = dict(base.questions)
    choices = {name: dict(found) for name, found in base.choices.items()}
    for q in content.get("questions", []):
        questions.setdefault(q["name"], dict(q.get("labels") or {}))
        answers = choices.setdefault(q["name"], {})
        for row in q.get("rows", []):
            answers.setdefault(row["category"], dict(row.get("labels") or {}))
    return Labels(questions, choices)
