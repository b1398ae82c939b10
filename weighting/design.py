"""The immutable survey `Design`: data, base weights, strata/PSU and the calibration history.

Why (R survey style): adjusters never mutate; they return a new Design that appends a
`Step` record. Variance estimation reads those records and residualises on every step in
order, so a standard error can never forget the calibration, and replicate weights can
re-run every step on each replicate.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from weighting._cells import joint_cells
from weighting._frames import CellIndex, FloatArray, Frame, IntArray, encode, n_rows, numeric
from weighting.diagnostics import Diagnostics
from weighting.errors import DesignError, MissingValueError, NonFiniteError
from weighting.targets import Margin

__all__ = ["Design", "Step"]


def _frozen(a: np.ndarray) -> np.ndarray:
    if a.ndim == 1 and a.strides == (0,):  # a broadcast constant: already read-only, no memory
        return a
    a = np.ascontiguousarray(a)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class Step:
    """Record of one adjustment, enough to residualise scores and to redo it on replicates.

    Attributes:
        method: poststratify, rake, linear, raking, logit or trim.
        margins: The margins after collapse / missing treatment.
        cells: Row -> joint cell of the step's margins.
        cell_categories: Per margin, joint cell -> category index.
        totals: Per margin, population counts per category.
        old_weights: Weights entering the step (R's `oldweights`).
        factors: poststratify: (1, C) ratios; rake: (M, C) cumulative factors after each margin of
            the last sweep; calibration: (1, C) g; trim: (1, n) row multipliers.
        bounds: g bounds for calibration (or trimming caps), if any.
        max_iter: Iteration cap used.
        tol: Tolerance used.
        rescale: Whether the starting weights were rescaled to the total (no population known,
            or equal base weights N/n); replicates replay the same rule.
    """

    method: str
    margins: tuple[Margin, ...]
    cells: CellIndex
    cell_categories: tuple[IntArray, ...]
    totals: tuple[FloatArray, ...]
    old_weights: FloatArray
    factors: FloatArray
    bounds: tuple[float, float] | None = None
    max_iter: int = 1
    tol: float = 0.0
    rescale: bool = True

    @property
    def n_cells(self) -> int:
        """Number of observed joint cells."""
        return int(self.cell_categories[0].size) if self.cell_categories else 0

    @property
    def total(self) -> float:
        """Population total the step calibrates to."""
        return float(self.totals[0].sum()) if self.totals else float(self.old_weights.sum())


@dataclass(frozen=True, eq=False)
class Design:
    """A one-stage with-replacement design (optionally stratified and clustered) plus its weighting history.

    Attributes:
        data: The respondents (pandas or polars), never modified.
        base_weights: Design weights (ones when no column is given).
        weights: Current weights (base weights until an adjuster runs).
        strata: Stratum code per row, or None.
        psu: Primary sampling unit code per row (unique across strata), or None (each row is a PSU).
        steps: Adjustment records, oldest first.
        diagnostics: One Diagnostics per step.
        mode_column: Column holding the collection mode (online/field/paper), used for diagnostics.
        has_base_weights: Whether base weights came from a column (then, with a known population,
            adjusters start from them as given, like R; otherwise from N/n).

    Examples:
        >>> import pandas as pd
        >>> d = Design.from_frame(pd.DataFrame({"sex": ["F", "M"], "w": [1.0, 3.0]}), weights="w")
        >>> d.weights.tolist(), d.steps
        ([1.0, 3.0], ())
    """

    data: Frame
    base_weights: FloatArray
    weights: FloatArray
    strata: IntArray | None = None
    psu: IntArray | None = None
    steps: tuple[Step, ...] = ()
    diagnostics: tuple[Diagnostics, ...] = ()
    mode_column: str | None = "mode"
    has_base_weights: bool = False

    @classmethod
    def from_frame(
        cls,
        data: Frame,
        *,
        weights: str | None = None,
        strata: str | None = None,
        cluster: str | None = None,
        mode_column: str | None = "mode",
    ) -> Design:
        """Build a design from a data frame; weights/strata/cluster are column names.

        Base weights must be present and > 0 (errors name the first bad row). Without a weight
        column every respondent starts at weight 1 (the adjusters rescale to N/n).

        Examples:
            >>> import pandas as pd
            >>> df = pd.DataFrame({"st": ["a", "a", "b", "b"], "y": [1, 2, 3, 4]})
            >>> Design.from_frame(df, strata="st").strata.tolist()
            [0, 0, 1, 1]
        """
        n = n_rows(data)
        if n == 0:
            raise DesignError("the data have no rows", code="no_rows")
        if weights is None:  # one read-only value broadcast to n rows: no memory, known constant
            base = np.broadcast_to(np.float64(1.0), (n,))
        else:
            base = numeric(data, weights, role="base weight")
            bad = ~np.isfinite(base)
            if bad.any():
                raise MissingValueError(
                    f"base weight {weights!r} is missing at data row {int(np.flatnonzero(bad)[0]) + 1}"
                )
            if (base <= 0).any():
                row = int(np.flatnonzero(base <= 0)[0]) + 1
                raise DesignError(
                    f"base weight {weights!r} must be > 0 (data row {row} has {base[row - 1]:g})"
                )
        strata_codes = _design_codes(data, strata, "strata") if strata else None
        psu_codes = None
        if cluster:
            cl = _design_codes(data, cluster, "cluster")
            if strata_codes is not None:
                sizes = [int(strata_codes.max()) + 1, int(cl.max()) + 1]
                cl = joint_cells([strata_codes, cl], sizes).cells.astype(np.int64)
            psu_codes = cl
        return cls(
            data=data,
            base_weights=_frozen(base),
            weights=_frozen(base),  # frozen: sharing the buffer is safe
            strata=None if strata_codes is None else _frozen(strata_codes),
            psu=None if psu_codes is None else _frozen(psu_codes),
            mode_column=mode_column,
            has_base_weights=weights is not None,
        )

    @property
    def n(self) -> int:
        """Number of respondents."""
        return int(self.base_weights.size)

    def with_step(self, step: Step, weights: FloatArray, diagnostics: Diagnostics) -> Design:
        """A new Design with `weights` and the step / diagnostics appended (self is unchanged).

        Raises:
            NonFiniteError: A weight is infinite or undefined (never recorded as a result).
        """
        require_finite(weights, diagnostics.method)
        return dataclasses.replace(
            self,
            weights=_frozen(weights),
            steps=(*self.steps, step),
            diagnostics=(*self.diagnostics, diagnostics),
        )

    def with_weights(self, weights: FloatArray) -> Design:
        """A design with fixed weights and no calibration history (SEs then treat weights as given).

        Raises:
            NonFiniteError: A weight is infinite or missing.
        """
        require_finite(weights, "fixed weights")
        return dataclasses.replace(
            self, base_weights=_frozen(weights), weights=_frozen(weights), steps=(), has_base_weights=True
        )

    @property
    def initial_weights(self) -> FloatArray:
        """Weights entering the first adjustment (the denominator of g); base weights if none yet."""
        return self.steps[0].old_weights if self.steps else self.base_weights


def require_finite(weights: FloatArray, what: str) -> None:
    """Raise NonFiniteError naming the first row whose weight is infinite or undefined."""
    finite = np.isfinite(weights)
    if not finite.all():
        row = int(np.flatnonzero(~finite)[0]) + 1
        raise NonFiniteError(
            f"{what}: the weight of data row {row} is not a finite number ({weights[row - 1]!r})",
            code="non_finite_weight", row=row, step=what,
        )  # fmt: skip


def _design_codes(data: Frame, name: str, role: str) -> IntArray:
    codes, _ = encode(data, name, role=role)
    if (codes < 0).any():
        row = int(np.flatnonzero(codes < 0)[0]) + 1
        raise MissingValueError(f"{role} variable {name!r} is missing at data row {row}")
    return codes
