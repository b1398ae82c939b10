"""Post-stratification on one variable or on crossed cells (`sex:age_group`).

Why a separate adjuster: it is closed-form (weight × target / cell total), the reference
against which raking and calibration are checked, and R records it as its own step.
"""

from __future__ import annotations

from collections.abc import Mapping

from weighting._adjust import finish, prepare
from weighting._cells import MissingPolicy
from weighting.design import Design
from weighting.errors import TargetsError
from weighting.targets import Targets

__all__ = ["poststratify"]


def poststratify(
    design: Design,
    targets: Targets,
    *,
    margin: str | None = None,
    population: float | None = None,
    missing: MissingPolicy = "error",
    collapse: Mapping[str, Mapping[str, str]] | None = None,
    min_cell: int = 0,
) -> Design:
    """Post-stratify: every cell's weights are scaled so the cell total equals its target.

    Args:
        design: The design to adjust (its current weights are the starting weights).
        targets: Target shares or counts; one margin, or name it with `margin`.
        margin: Which margin of `targets` defines the cells (e.g. `"sex:age_group"`).
        population: Total the weights must sum to (default: count targets' total, else n).
        missing: Missing weighting values: "error" (default), "mode" (impute the modal
            category) or "category" (own cell keeping its base-weighted share).
        collapse: Explicit merges `{margin: {category: merged_category}}` applied to sample and targets.
        min_cell: Merge cells with fewer respondents (including empty ones) into their smaller
            neighbour in target-file order, repeatedly; each merge is reported in the diagnostics.

    Returns:
        A new Design with the step recorded (for calibration-aware SEs) and its Diagnostics.

    Raises:
        TargetsError: Several margins without `margin`, or categories not matching the targets.
        EmptyCellError: A target cell without respondents (and no collapsing asked).
        MissingValueError: Missing values with `missing="error"`.

    Examples:
        >>> import pandas as pd
        >>> from weighting import Design, Targets
        >>> d = Design.from_frame(pd.DataFrame({"sex": ["F", "M", "M", "M"]}))
        >>> poststratify(d, Targets.from_dict({"sex": {"F": 0.5, "M": 0.5}})).weights.tolist()
        [2.0, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666]
    """
    if margin is not None:
        targets = targets.select([margin])
    elif len(targets.margins) != 1:
        raise TargetsError(
            f"post-stratification needs one margin (cross them, e.g. 'sex:age_group'); targets have "
            f"{', '.join(targets.names)}: use rake or name the margin",
            code="one_margin",
            margins=", ".join(targets.names),
        )
    prep = prepare(
        design, targets, population=population, missing=missing, collapse=collapse, min_cell=min_cell
    )
    cell_weight = prep.cell_weight
    (cats,) = prep.cells.cell_categories
    ratio = prep.totals[0][cats] / cell_weight
    weights = prep.apply(ratio)
    return finish(
        design,
        prep,
        method="poststratify",
        factors=ratio[None, :],
        weights=weights,
        iterations=1,
        converged=True,
        cell_factor=ratio,
    )
