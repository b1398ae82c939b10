"""A page's table as a CSV download (``?format=csv`` on the page's own URL).

Why the page's URL and not a separate export: the analyst has just chosen a method, margins and
key questions in the query string; the CSV must hold exactly the figures on the screen, so it is
the same request with another representation. Text cells are neutralised as in ``survey export``:
an answer label beginning with ``=`` must not run as a formula when the file is opened.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from litestar import Response

from survey.analyst.audit import BiasAudit
from survey.analyst.chart_text import chart_text
from survey.analyst.crosstab import Crosstab
from survey.analyst.labels import Labels
from survey.analyst.services import Analysis
from survey.analyst.spreadsheet import neutralise_frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["bias_frame", "breakdown_frame", "csv_download", "fit_frame", "key_choices", "results_frame"]

_FIGURES = ("estimate", "se", "ci_low", "ci_high", "n")


def _figures(prefix: str, cell: dict[str, Any] | None) -> dict[str, float | None]:
    cell = cell or {}
    out: dict[str, float | None] = {}
    for name in _FIGURES:
        value = cell.get(name)
        out[f"{prefix}_{name}"] = (
            float(value) if isinstance(value, int | float) and math.isfinite(value) else None
        )
    return out


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The download's table; pandas loads here, with the first CSV a worker is asked for."""
    import pandas as pd  # noqa: PLC0415

    return pd.DataFrame(rows)


def results_frame(analysis: Analysis, lang: str) -> pd.DataFrame:
    """One row per answer: labels in ``lang``, then weighted, unweighted, online and field figures."""
    rows = []
    for result in analysis.results:
        for row in result.rows:
            rows.append(
                {
                    "question": result.name,
                    "question_label": result.labels.get(lang) or result.name,
                    "kind": result.kind,
                    "category": row["category"],
                    "category_label": (row.get("labels") or {}).get(lang) or row["category"],
                    **_figures("weighted", row.get("weighted")),
                    **_figures("unweighted", row.get("unweighted")),
                    **_figures("online", row.get("online")),
                    **_figures("field", row.get("field")),
                }
            )
    frame = _frame(rows)
    frame.attrs["method"] = analysis.spec.method
    return frame


def breakdown_frame(table: Crosstab, labels: Labels, lang: str) -> pd.DataFrame:
    """One row per subgroup and answer (or option, or the mean): weighted figure with its CI and n.

    A subgroup without respondents has no estimate (empty cells), never a share of 0; ``kind``
    says whether the figure is a share (single or multiple choice) or a mean on the question's scale.
    """
    rows = []
    mean = chart_text(lang)["mean"]
    for group in table.groups:
        for category in table.categories:
            cell = table.cells.get((group, category))
            if cell is not None and not cell.get("n", 1):
                cell = None
            rows.append(
                {
                    "by": table.by,
                    "group": group,
                    "group_label": labels.choice(table.by, group, lang) if table.by != "mode" else group,
                    "question": table.question,
                    "category": category,
                    "kind": table.kind,
                    "category_label": mean
                    if table.kind == "numeric"
                    else labels.choice(table.question, category, lang),
                    "group_n": table.group_n.get(group, 0),
                    "small_group": table.small(group),
                    **{k: v for k, v in _figures("weighted", cell).items() if not k.endswith("_n")},
                }
            )
    return _frame(rows)


def fit_frame(analysis: Analysis, labels: Labels, lang: str) -> pd.DataFrame:
    """The diagnostics page's fit to the targets: per margin and category, n and the three shares."""
    return _frame(
        [
            {
                "margin": fit.margin,
                "margin_label": labels.question(fit.margin, lang),
                "category": fit.category,
                "category_label": labels.choice(fit.margin, fit.category, lang),
                "n": fit.n,
                "target_share": fit.target_share,
                "unweighted_share": fit.unweighted_share,
                "weighted_share": fit.achieved_share,
            }
            for fit in analysis.final.categories
        ]
    )


def bias_frame(audit: BiasAudit, labels: Labels, lang: str) -> pd.DataFrame:
    """The bias page's sample make-up: population, online, field, combined and weighted shares."""
    return _frame(
        [
            {
                "margin": gap.margin,
                "margin_label": labels.question(gap.margin, lang),
                "category": gap.category,
                "category_label": labels.choice(gap.margin, gap.category, lang),
                "population": gap.population,
                "online": gap.online,
                "field": gap.field,
                "combined": gap.combined,
                "weighted": gap.weighted,
            }
            for gap in audit.margins
        ]
    )


def csv_download(frame: pd.DataFrame, filename: str) -> Response[bytes]:
    """UTF-8 with a BOM (so Excel in French and Dutch reads the accents), formulas neutralised."""
    body = "\ufeff" + neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n")
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def key_choices(analysis: Analysis) -> list[tuple[str, dict[str, str]]]:
    """(name, labels) of the questions the summary can lead with: the single-choice ones."""
    return [(r.name, r.labels) for r in analysis.results if r.kind == "categorical"]
