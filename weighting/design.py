"""The immutable survey `Design`: data, base weights, strata/PSU and the calibration history.

Why (R survey style): adjusters never mutate; they return a new Design that appends a
`Step` record. Variance estimation reads those records and residualises on every step in
order, so a standard error can never forget the calibration, and replicate weights can
re-run every step on each replicate.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from weighting._cells import joint_cells
from weighting._frames import CellIndex, FloatArray, Frame, IntArray, encode, n_rows, numeric
from weighting._stages import LONELY_PSU, LonelyPSU
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
        ssu: Second-stage unit code per row (unique across PSUs), or None (one stage).
        fpc: Population size of each stage per row (N_h of the row's stratum, then N of the
            row's PSU), or None: with-replacement approximation (first stage only, as R).
        lonely_psu: What a stratum with one PSU contributes to the variance, as R's
            `survey.lonely.psu`: fail (default), remove, adjust, average or certainty.
        strata_labels: Stratum label per code, for messages.
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
    ssu: IntArray | None = None
    fpc: tuple[FloatArray, ...] | None = None
    lonely_psu: LonelyPSU = "fail"
    strata_labels: tuple[str, ...] = ()

    @classmethod
    def from_frame(
        cls,
        data: Frame,
        *,
        weights: str | None = None,
        strata: str | None = None,
        cluster: str | Sequence[str] | None = None,
        mode_column: str | None = "mode",
        fpc: str | Sequence[str] | None = None,
        lonely_psu: LonelyPSU = "fail",
    ) -> Design:
        """Build a design from a data frame; weights/strata/cluster/fpc are column names.

        Base weights must be present and > 0 (errors name the first bad row). Without a weight
        column every respondent starts at weight 1 (the adjusters rescale to N/n), unless `fpc`
        gives the population sizes: then the weights are the product of N/n over the stages,
        as R's `svydesign(ids=~psu+ssu, fpc=~N1+N2)`.

        Args:
            data: The respondents.
            weights: Base weight column.
            strata: Stratum column (first stage).
            cluster: PSU column, or (PSU, SSU) columns for a two-stage design.
            mode_column: Collection mode column, for diagnostics.
            fpc: Population size per stage (counts, or sampling fractions when every value is
                <= 1), one column per stage (the rows when there is no cluster). With fpc the
                variance is R's without-replacement multistage one; without, the first stage
                only (with-replacement approximation).
            lonely_psu: A stratum with one PSU: "fail" (an error naming the stratum), "remove" or
                "certainty" (contributes nothing), "adjust" (centred at the population mean),
                "average" (the average of the other strata), as R's `survey.lonely.psu`.

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
        if lonely_psu not in LONELY_PSU:
            raise DesignError(f"unknown lonely_psu {lonely_psu!r} (use {', '.join(LONELY_PSU)})")
        labels: tuple[str, ...] = ()
        strata_codes = None
        if strata:
            strata_codes, names = _design_codes(data, strata, "strata")
            labels = tuple(names)
        clusters = [cluster] if isinstance(cluster, str) else list(cluster or [])
        if len(clusters) > 2:
            raise DesignError("designs have at most two stages (PSU, then SSU)")
        psu_codes = ssu_codes = None
        if clusters:
            psu_codes = _nested(_design_codes(data, clusters[0], "cluster")[0], strata_codes)
        if len(clusters) == 2:
            ssu_codes = _nested(_design_codes(data, clusters[1], "cluster")[0], psu_codes)
        popsize = None
        if fpc is not None:
            columns = [fpc] if isinstance(fpc, str) else list(fpc)
            popsize = _popsizes(data, columns, strata_codes, psu_codes, ssu_codes, max(len(clusters), 1))
            if weights is None:
                base = _frozen(_fpc_weights(popsize, strata_codes, psu_codes, ssu_codes, n))
        return cls(
            data=data,
            base_weights=_frozen(base),
            weights=_frozen(base),  # frozen: sharing the buffer is safe
            strata=None if strata_codes is None else _frozen(strata_codes),
            psu=None if psu_codes is None else _frozen(psu_codes),
            mode_column=mode_column,
            has_base_weights=weights is not None or popsize is not None,
            ssu=None if ssu_codes is None else _frozen(ssu_codes),
            fpc=None if popsize is None else tuple(_frozen(p) for p in popsize),
            lonely_psu=lonely_psu,
            strata_labels=labels,
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


def _design_codes(data: Frame, name: str, role: str) -> tuple[IntArray, list[str]]:
    codes, labels = encode(data, name, role=role)
    if (codes < 0).any():
        row = int(np.flatnonzero(codes < 0)[0]) + 1
        raise MissingValueError(f"{role} variable {name!r} is missing at data row {row}")
    return codes, labels


def _nested(codes: IntArray, outer: IntArray | None) -> IntArray:
    """Unit codes made unique across the outer units (R's `nest=TRUE`): (outer, unit) pairs."""
    if outer is None:
        return codes
    sizes = [int(outer.max()) + 1, int(codes.max()) + 1]
    return joint_cells([outer, codes], sizes).cells.astype(np.int64)


def _sample_sizes(
    strata: IntArray | None, psu: IntArray | None, ssu: IntArray | None, n: int, stages: int
) -> list[FloatArray]:
    """Per row, the number of units sampled at each stage in its stratum (stage 1) or PSU (stage 2)."""
    outer = strata if strata is not None else np.zeros(n, dtype=np.int64)
    units = psu if psu is not None else np.arange(n)
    out = []
    for inner, group in [(units, outer), (ssu, units)][:stages]:
        assert inner is not None
        first = np.unique(inner, return_index=True)[1]
        counts = np.bincount(group[first], minlength=int(group.max()) + 1).astype(np.float64)
        out.append(counts[group])
    return out


def _popsizes(
    data: Frame,
    columns: list[str],
    strata: IntArray | None,
    psu: IntArray | None,
    ssu: IntArray | None,
    stages: int,
) -> list[FloatArray]:
    """Population sizes per stage and row, from counts or sampling fractions (all values <= 1)."""
    if len(columns) != stages:
        raise DesignError(
            f"fpc needs one column per stage ({stages}), got {len(columns)}: {', '.join(columns)}"
        )
    sampled = _sample_sizes(strata, psu, ssu, n_rows(data), stages)
    out = []
    for name, n_s in zip(columns, sampled, strict=True):
        values = numeric(data, name, role="fpc")
        bad = ~np.isfinite(values) | (values <= 0)
        if bad.any():
            row = int(np.flatnonzero(bad)[0]) + 1
            raise DesignError(f"fpc {name!r} must be a number > 0 (data row {row} has {values[row - 1]!r})")
        pop = n_s / values if np.all(values <= 1) else values
        short = pop < n_s - 1e-9
        if short.any():
            row = int(np.flatnonzero(short)[0]) + 1
            raise DesignError(
                f"fpc {name!r}: population {pop[row - 1]:g} is smaller than the {n_s[row - 1]:g} units sampled "
                f"(data row {row})"
            )
        out.append(pop)
    return out


def _fpc_weights(
    popsize: list[FloatArray], strata: IntArray | None, psu: IntArray | None, ssu: IntArray | None, n: int
) -> FloatArray:
    """Weights Π N/n over the stages (R's probabilities from fpc when no weights are given)."""
    sampled = _sample_sizes(strata, psu, ssu, n, len(popsize))
    w = np.ones(n)
    for pop, n_s in zip(popsize, sampled, strict=True):
        w = w * pop / n_s
    return w
