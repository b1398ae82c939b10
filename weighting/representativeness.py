"""How representative are the responses so far: coverage, R-indicators and the cost of weighting.

Why a module of its own: the field planner, the workbench monitor and ``survey plan`` must show
the same figures, computed once from the same cell table (population share and responses per
crossed cell). Everything here is closed-form on cells, never on rows, so a million responses cost
one ``group by``.

Notation (one crossed cell ``c``, e.g. ``F:18-24``): population share ``P_c`` (so ``N_c = P_c·N``
for a population of ``N``), responses ``n_c``, ``n = Σ n_c``.

* Response propensity, estimated by the cell response rate (the saturated model of
  Schouten, Cobben & Bethlehem 2009, sect. 3): ``ρ_c = n_c / N_c``; its population mean is
  ``ρ̄ = n / N``. The *representation ratio* ``r_c = ρ_c / ρ̄ = (n_c/n) / P_c`` does not need ``N``.
* Standard deviation of the propensities over the population's units,
  ``S(ρ) = sqrt(Σ_c P_c (ρ_c − ρ̄)²) = ρ̄ · sqrt(Σ_c P_c (r_c − 1)²)``. The divisor is ``N``, where
  Schouten et al. (2009, eq. 3) write ``N − 1``: the two differ by a factor ``sqrt(N/(N−1))``
  (under 0.01 % above N = 5,000), and the ``N`` form makes the between/within split of the
  partial indicators add up exactly.
* **R-indicator** ``R = 1 − 2·S(ρ)`` (1: every cell answers at the same rate); it needs ``N``.
  **Coefficient of variation** ``CV = S(ρ) / ρ̄`` (Schouten, Cobben, Lundquist & Wagner 2016) does
  not, and is the figure to compare over time for a self-selected online sample, whose tiny response
  rate keeps R close to 1 whatever the bias. Maximal absolute bias of a mean of a standardised
  outcome: ``B = (1 − R) / (2 ρ̄) = CV`` (Schouten et al. 2009, eq. 7).
* **Partial R-indicators** (Schouten, Shlomo & Skinner 2011, J. Official Statistics 27(2)) for a
  variable ``Z`` with categories ``k``: unconditional ``P_U(Z) = sqrt(Σ_k P_k (ρ̄_k − ρ̄)²)`` (the
  between-category spread of ``ρ`` over ``Z``), per category ``P_U(Z,k) = sqrt(P_k)(ρ̄_k − ρ̄)``
  (signed: negative means under-represented); conditional ``P_C(Z) = sqrt(Σ_c P_c (ρ_c − ρ̄_l(c))²)``
  where ``l(c)`` is the cell of the *other* variables (the spread ``Z`` adds once they are known),
  per category ``P_C(Z,k)`` the same sum over the cells with ``Z = k``. They are given on the
  propensity scale (needs ``N``) and divided by ``ρ̄`` (the partial CVs, which do not).
* **Weights that post-stratification would give**: ``w_c ∝ P_c / n_c``. Kish's design effect
  ``deff = 1 + CV²(w) = n·Σw²/(Σw)² = n·Σ_c P_c²/n_c`` (Kish 1965, sect. 11.7; shares renormalised
  over the cells that have responses), effective size ``n_eff = n / deff``, largest weight relative
  to the mean ``max_c P_c·n/n_c``, and margin of error of a 50 % proportion
  ``MOE = z·sqrt(0.25·deff/n) = z / (2·sqrt(n_eff))`` (no finite-population correction).

Examples:
    >>> cells = Cells(("sex",), (("F",), ("M",)), np.array([0.5, 0.5]), np.array([30.0, 10.0]))
    >>> round(weight_effect(cells).deff, 4)
    1.3333
    >>> round(r_indicator(cells, population=400).r, 4)
    0.9
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from weighting._frames import FloatArray
from weighting._plan_cells import Cells, cell_index, cells_from_data
from weighting.errors import TargetsError
from weighting.targets import CROSS

__all__ = [
    "Z95",
    "Cells",
    "CoverageRow",
    "PartialIndicator",
    "RIndicator",
    "WeightEffect",
    "cell_index",
    "cells_from_data",
    "coverage",
    "margin_of_error",
    "partial_indicators",
    "r_indicator",
    "weight_effect",
]

Z95 = 1.959963984540054


@dataclass(frozen=True)
class CoverageRow:
    """One category of a margin: population share against the responses' share."""

    margin: str
    category: str
    population_share: float
    responses: int
    response_share: float

    @property
    def ratio(self) -> float:
        """Response share / population share: below 1 is under-covered (0 = nobody), above 1 over-covered."""
        return self.response_share / self.population_share if self.population_share else math.inf


@dataclass(frozen=True)
class RIndicator:
    """R-indicator, propensity spread and CV; R and S are NaN when the population size is unknown."""

    r: float
    sd: float
    cv: float
    mean_propensity: float
    n: int


@dataclass(frozen=True)
class PartialIndicator:
    """Partial indicators of one variable, overall and per category (CV scale and propensity scale)."""

    variable: str
    unconditional_cv: float
    conditional_cv: float
    unconditional: float
    conditional: float
    categories: tuple[tuple[str, float, float], ...]  # (category, signed unconditional CV, conditional CV)


@dataclass(frozen=True)
class WeightEffect:
    """What post-stratifying on the cells would cost in precision."""

    n: int
    deff: float
    n_eff: float
    max_weight: float
    moe: float
    uncovered_share: float
    empty_cells: int


def margin_of_error(n_eff: float, p: float = 0.5, z: float = Z95) -> float:
    """Half-width of the confidence interval of a proportion ``p`` from ``n_eff`` effective responses.

    Examples:
        >>> round(margin_of_error(1067.0), 4)
        0.03
    """
    return z * math.sqrt(p * (1 - p) / n_eff) if n_eff > 0 else math.inf


def weight_effect(cells: Cells) -> WeightEffect:
    """Kish deff, n_eff, largest relative weight and MOE of the post-stratified weights (see module doc).

    Cells without responses cannot be weighted: their population share is reported as
    ``uncovered_share`` and the figures are those of the other cells, shares renormalised.
    """
    shares, counts = np.asarray(cells.shares, float), np.asarray(cells.responses, float)
    n = float(counts.sum())
    present = counts > 0
    empty = int(np.count_nonzero((shares > 0) & ~present))
    covered = float(shares[present].sum())
    if n <= 0 or covered <= 0:
        return WeightEffect(int(n), math.inf, 0.0, math.inf, math.inf, float(shares.sum()), empty)
    p = shares[present] / covered
    variance = float(np.sum(p * p / counts[present]))  # Σ P_c²/n_c: variance of a post-stratified mean, σ = 1
    n_eff = 1.0 / variance
    return WeightEffect(
        n=round(n),
        deff=n * variance,
        n_eff=n_eff,
        max_weight=float(np.max(p * n / counts[present])),
        moe=margin_of_error(n_eff),
        uncovered_share=1.0 - covered,
        empty_cells=empty,
    )


def _ratios(cells: Cells) -> tuple[FloatArray, FloatArray, float]:
    """Population shares, representation ratios ``r_c`` and ``n`` over the cells with a share."""
    shares, counts = np.asarray(cells.shares, float), np.asarray(cells.responses, float)
    keep = shares > 0
    p, n_c = shares[keep] / shares[keep].sum(), counts[keep]
    n = float(n_c.sum())
    ratios = (n_c / n) / p if n > 0 else np.full_like(p, math.nan)
    return p, ratios, n


def r_indicator(cells: Cells, population: float | None = None) -> RIndicator:
    """R-indicator and CV of the cell response propensities (Schouten, Cobben & Bethlehem 2009).

    Responses in a cell whose population share is 0 have no propensity and are left out.

    Examples:
        >>> cells = Cells(("sex",), (("F",), ("M",)), np.array([0.5, 0.5]), np.array([30.0, 10.0]))
        >>> ind = r_indicator(cells, population=400)
        >>> round(ind.cv, 4), round(ind.mean_propensity, 4), round(ind.sd, 4)
        (0.5, 0.1, 0.05)
    """
    p, ratios, n = _ratios(cells)
    cv = math.sqrt(float(np.sum(p * (ratios - 1) ** 2))) if n > 0 else math.nan
    if population is None or not population > 0:
        return RIndicator(math.nan, math.nan, cv, math.nan, round(n))
    mean = n / population
    if np.any(ratios * mean > 1 + 1e-9):
        raise TargetsError(
            f"more responses than people in a cell: a population of {population:g} is too small",
            code="population_too_small",
            population=population,
        )
    return RIndicator(1 - 2 * mean * cv, mean * cv, cv, mean, round(n))


def partial_indicators(cells: Cells, population: float | None = None) -> tuple[PartialIndicator, ...]:
    """Unconditional and conditional partial indicators of every variable (see module doc).

    Examples:
        >>> cells = Cells(("sex", "age"), (("F", "y"), ("F", "o"), ("M", "y"), ("M", "o")),
        ...               np.full(4, 0.25), np.array([10.0, 30.0, 10.0, 30.0]))
        >>> [(p.variable, round(p.unconditional_cv, 3), round(p.conditional_cv, 3))
        ...  for p in partial_indicators(cells)]
        [('sex', 0.0, 0.0), ('age', 0.5, 0.5)]
    """
    shares = np.asarray(cells.shares, float)
    keep = np.flatnonzero(shares > 0)
    p, ratios, n = _ratios(cells)
    mean = n / population if population and population > 0 else math.nan
    found = []
    for j, variable in enumerate(cells.variables):
        own = [cells.categories[i][j] for i in keep]
        rest = [cells.categories[i][:j] + cells.categories[i][j + 1 :] for i in keep]
        own_r, rest_r = _group_ratio(own, p, ratios), _group_ratio(rest, p, ratios)
        between = p * (own_r - 1) ** 2
        within = p * (ratios - rest_r) ** 2
        per_category = []
        for category in dict.fromkeys(own):
            mask = np.array([o == category for o in own])
            p_k = float(p[mask].sum())
            signed = math.sqrt(p_k) * (float(own_r[mask][0]) - 1)
            per_category.append((category, signed, math.sqrt(float(within[mask].sum()))))
        u_cv, c_cv = math.sqrt(float(between.sum())), math.sqrt(float(within.sum()))
        found.append(PartialIndicator(variable, u_cv, c_cv, u_cv * mean, c_cv * mean, tuple(per_category)))
    return tuple(found)


def _group_ratio(groups: Sequence[object], p: FloatArray, ratios: FloatArray) -> FloatArray:
    """Per cell, the representation ratio of its group: ``Σ P_c r_c / Σ P_c`` over the group's cells."""
    codes, index = np.unique(np.array([repr(g) for g in groups]), return_inverse=True)
    mass = np.bincount(index, weights=p, minlength=codes.size)
    resp = np.bincount(index, weights=p * ratios, minlength=codes.size)
    return np.asarray((resp / mass)[index], dtype=np.float64)


def coverage(cells: Cells, margins: Sequence[Sequence[str]] | None = None) -> tuple[CoverageRow, ...]:
    """Per margin (each variable alone by default, plus the crossed cells) share against responses."""
    wanted: list[tuple[str, ...]] = (
        [tuple(m) for m in margins] if margins is not None else [(v,) for v in cells.variables]
    )
    if len(cells.variables) > 1 and cells.variables not in wanted:
        wanted.append(cells.variables)
    n = float(np.sum(cells.responses))
    rows: list[CoverageRow] = []
    for margin in wanted:
        positions = [cells.variables.index(v) for v in margin]
        shares: dict[str, float] = {}
        counts: dict[str, float] = {}
        for cats, share, count in zip(cells.categories, cells.shares, cells.responses, strict=True):
            key = CROSS.join(cats[i] for i in positions)
            shares[key] = shares.get(key, 0.0) + float(share)
            counts[key] = counts.get(key, 0.0) + float(count)
        rows += [
            CoverageRow(
                CROSS.join(margin), key, shares[key], round(counts[key]), counts[key] / n if n else 0.0
            )
            for key in shares
        ]
    return tuple(rows)
