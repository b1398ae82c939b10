"""Breakdowns of numeric and multiple-choice questions: a weighted mean or share per subgroup, with its CI.

Why means for both: a numeric question's figure is its mean on the question's own scale, and a
multiple-choice option is a 0/1 indicator over the respondents who answered the question (missing
for the others), so the option's share is that indicator's mean. Both come from ``weighting``'s
``estimate`` on the analysis's weighted design, so their SEs are calibration-aware like every other
figure on the workbench. An option's share gets the logit interval single-choice shares get (R's
``svyciprop(method="logit")``), on the results page as in the breakdowns (:func:`option_shares`):
a small group's normal interval would run below 0 %.
``tests/analyst/test_breakdowns.py`` checks both against R's ``svyby`` on a calibrated design.
"""

# ruff: noqa: PLC0415
# (pandas and weighting are imported by the functions that estimate: the analysis service, which
# every server worker imports, imports this module)

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from weighting import Design

__all__ = ["CHOSEN", "MEAN", "group_means", "option_shares"]

MEAN = "mean"  # the one "category" of a numeric question, as the results page names it
CHOSEN = "1"


def group_means(
    design: Design,
    columns: Sequence[str],
    by: str,
    names: Sequence[str] | None = None,
    *,
    shares: bool = False,
) -> dict[tuple[str, str], dict[str, float]]:
    """Weighted mean (or, with ``shares``, the share of 1s) of each column within each level of ``by``.

    Keyed by (group, name): ``names`` rename the columns (a multiple-choice option's 0/1 column
    ``question.option`` becomes ``option``); a group in which nobody answered has a NaN estimate
    and n 0. With ``shares`` the columns are read as categories "1" / "0", so ``estimate`` gives
    each a proportion with its logit interval; the SE is the mean's.
    """
    from weighting import estimate

    rename = dict(zip(columns, names or columns, strict=True))
    coded = _as_categories(design, columns, by) if shares else None
    if coded is not None:
        design = dataclasses.replace(design, data=coded)
    found: dict[tuple[str, str], dict[str, float]] = {}
    for row in estimate(design, list(columns), by=by).rows:
        if shares and row.category != CHOSEN:
            continue
        found[(str(row.by), rename[row.variable])] = {
            "estimate": row.estimate, "se": row.se, "ci_low": row.ci_low, "ci_high": row.ci_high,
            "n": float(row.n),
        }  # fmt: skip
    if coded is not None:  # an option nobody chose anywhere has no "1" category: 0 wherever someone answered
        _never_chosen(coded, columns, by, rename, found)
    return found


def option_shares(design: Design, columns: Sequence[str]) -> dict[str, dict[str, float]]:
    """Each multiple-choice option's share among those who answered the question, keyed by column.

    The results page's figure for an option, with the same logit interval as in the breakdowns and
    as a single-choice share (a rare option's normal interval would run below 0 %). An option nobody
    chose has share 0 (no "1" category to estimate) wherever someone answered.
    """
    from weighting import estimate

    coded = _as_categories(design, columns, None)
    found: dict[str, dict[str, float]] = {}
    for row in estimate(dataclasses.replace(design, data=coded), list(columns)).rows:
        if row.category == CHOSEN:
            found[row.variable] = {
                "estimate": row.estimate, "se": row.se, "ci_low": row.ci_low, "ci_high": row.ci_high,
                "n": float(row.n),
            }  # fmt: skip
    for column in columns:
        if column not in found:
            n = float(coded[column].notna().sum())
            value = 0.0 if n else float("nan")
            found[column] = {"estimate": value, "se": value, "ci_low": value, "ci_high": value, "n": n}
    return found


def _as_categories(design: Design, columns: Sequence[str], by: str | None) -> pd.DataFrame:
    """``by`` and each 0/1 column as text ("1", "0", missing): the same rows, so the same design."""
    import pandas as pd

    data = design.data
    frame = data if isinstance(data, pd.DataFrame) else data.to_pandas()
    coded = {c: frame[c].map({1.0: CHOSEN, 0.0: "0"}).astype(object).to_numpy() for c in columns}
    return pd.DataFrame({by: frame[by].to_numpy(), **coded} if by is not None else coded)


def _never_chosen(
    frame: pd.DataFrame, columns: Sequence[str], by: str, rename: dict[str, str],
    found: dict[tuple[str, str], dict[str, float]],
) -> None:  # fmt: skip
    for column in columns:
        answered = frame[column].notna()
        counts = frame.loc[answered, by].astype(str).value_counts()
        for group in frame[by].dropna().astype(str).unique():
            key = (group, rename[column])
            if key not in found:
                n = float(counts.get(group, 0))
                value = 0.0 if n else float("nan")
                found[key] = {"estimate": value, "se": value, "ci_low": value, "ci_high": value, "n": n}
