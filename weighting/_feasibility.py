"""Can weights meet every margin at once? If not, which categories conflict, in an analyst's words.

Why: raking and bounded calibration iterate towards weights that meet every margin. When no
such weights exist they cannot converge, and may overflow. Whether they exist is a linear
feasibility question over the observed joint cells (a few hundred numbers, not rows): cell
totals x_c > 0 (or lo·w_c <= x_c <= hi·w_c with bounds on g) whose sums per category equal
the targets. Two stages keep the usual run fast:

- before iterating, a cheap necessary check on every pair of margins (Hall's condition: a
  category's target cannot exceed the targets of the categories it is observed with), which
  catches the usual conflict ("category No of sch.wide is only present among stype=M, whose
  target 1,018 is below No's 1,072"), and, with bounds, each category's reach lo·W..hi·W;
- when iterating fails anyway, the exact linear programme (scipy's HiGHS, imported only
  then) decides between "no solution", "only with zero weights" and "slow", and names the
  smallest set of margins in conflict.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal

import numpy as np

from weighting._frames import FloatArray, IntArray
from weighting.errors import BoundsError, InfeasibleError
from weighting.targets import Margin

__all__ = [
    "Conflict",
    "Problem",
    "bound_conflicts",
    "bounds_error",
    "check_before",
    "explain_failure",
    "infeasible_error",
    "pair_conflicts",
    "solve",
]

_REL_TOL = 1e-9
_MAX_SUBSET = 10
Status = Literal["feasible", "boundary", "infeasible"]


@dataclass(frozen=True)
class Problem:
    """A weighting step on cells: starting cell totals, each margin's category per cell, targets."""

    cell_weight: FloatArray
    cell_categories: tuple[IntArray, ...]
    totals: tuple[FloatArray, ...]
    margins: tuple[Margin, ...]

    @property
    def grand(self) -> float:
        """The population total (mean over margins, which agree to rounding)."""
        return float(sum(float(t.sum()) for t in self.totals) / len(self.totals))

    def subset(self, keep: tuple[int, ...]) -> Problem:
        """The same problem with only margins `keep`."""
        return Problem(
            self.cell_weight,
            tuple(self.cell_categories[m] for m in keep),
            tuple(self.totals[m] for m in keep),
            tuple(self.margins[m] for m in keep),
        )


def _num(value: float) -> str:
    """A target as an analyst reads it: thousands separated, no spurious decimals."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _names(categories: tuple[str, ...]) -> str:
    return ", ".join(categories)


@dataclass(frozen=True)
class Conflict:
    """Categories of one margin that live only among categories of another with a smaller target.

    `tight`: the targets are equal, so a solution exists only if every other respondent of the
    other categories gets zero weight (raking then creeps towards zero and never converges).
    """

    margin: str
    categories: tuple[str, ...]
    target: float
    other_margin: str
    other_categories: tuple[str, ...]
    other_target: float
    tight: bool = False

    def sentence(self) -> str:
        """The conflict in words, e.g. ``category No of sch.wide is only present among ...``."""
        one = len(self.categories) == 1
        which = (
            f"category {self.categories[0]} of {self.margin}"
            if one
            else f"categories {_names(self.categories)} of {self.margin}"
        )
        among = (
            f"{self.other_margin}={self.other_categories[0]}"
            if len(self.other_categories) == 1
            else f"{self.other_margin} in {{{_names(self.other_categories)}}}"
        )
        their = f"{self.categories[0]}'s" if one else "theirs"
        verb = "is" if one else "are"
        if self.tight:
            return (
                f"{which} {verb} only present among respondents with {among}, whose target {_num(self.other_target)} "
                f"equals {their} ({_num(self.target)}): every other respondent with {among} would need weight zero"
            )
        return (
            f"{which} {verb} only present among respondents with {among}, whose target {_num(self.other_target)} "
            f"is below {their} ({_num(self.target)})"
        )


def _co_occurrence(problem: Problem, a: int, b: int) -> np.ndarray:
    active = problem.cell_weight > 0
    co = np.zeros((problem.totals[a].size, problem.totals[b].size), dtype=bool)
    co[problem.cell_categories[a][active], problem.cell_categories[b][active]] = True
    return co


def _subsets(k: int, exhaustive: bool) -> np.ndarray:
    """Candidate category sets as rows of a boolean matrix: singletons, or every proper subset."""
    if not exhaustive or k > _MAX_SUBSET:
        return np.eye(k, dtype=bool)
    rows = [
        np.isin(np.arange(k), combo)
        for size in range(1, k)
        for combo in itertools.combinations(range(k), size)
    ]
    return np.array(rows, dtype=bool)


def _directed(problem: Problem, a: int, b: int, *, exhaustive: bool, tight: bool) -> Conflict | None:
    """A set S of margin a's categories whose target exceeds (or, `tight`, equals while others share
    them) the targets of the margin-b categories observed with S; smallest S first."""
    co = _co_occurrence(problem, a, b)
    ta, tb = problem.totals[a], problem.totals[b]
    sets = _subsets(ta.size, exhaustive)
    reach = (sets.astype(np.int64) @ co.astype(np.int64)) > 0
    lhs, rhs = sets @ ta, reach @ tb
    tol = _REL_TOL * problem.grand
    if tight:
        # Equal targets, and some respondent outside S shares S's partners: zero weight forced.
        others = (~sets).astype(np.int64) @ co.astype(np.int64) > 0
        shared = (others & reach).any(axis=1)
        bad = (np.abs(lhs - rhs) <= tol) & shared
    else:
        bad = lhs > rhs + tol
    if not bad.any():
        return None
    size = sets.sum(axis=1)
    order = np.lexsort((-(lhs - rhs), size))
    i = int(next(j for j in order if bad[j]))
    ma, mb = problem.margins[a], problem.margins[b]
    return Conflict(
        margin=ma.name,
        categories=tuple(ma.categories[k] for k in np.flatnonzero(sets[i])),
        target=float(lhs[i]),
        other_margin=mb.name,
        other_categories=tuple(mb.categories[k] for k in np.flatnonzero(reach[i])),
        other_target=float(rhs[i]),
        tight=tight,
    )


def pair_conflicts(problem: Problem, *, exhaustive: bool = False, tight: bool = False) -> list[Conflict]:
    """At most one conflict per ordered pair of margins (cheap: co-occurrence of categories on cells).

    Examples:
        >>> import numpy as np
        >>> from weighting.targets import Margin
        >>> p = Problem(
        ...     np.ones(3), (np.array([0, 1, 1]), np.array([0, 0, 1])), (np.array([60.0, 40.0]), np.array([50.0, 50.0])),
        ...     (Margin(("a",), ("No", "Yes"), (0.6, 0.4)), Margin(("b",), ("M", "E"), (0.5, 0.5))),
        ... )
        >>> pair_conflicts(p)[0].sentence()
        "category No of a is only present among respondents with b=M, whose target 50 is below No's (60)"
    """
    found: list[Conflict] = []
    for a, b in itertools.permutations(range(len(problem.totals)), 2):
        conflict = _directed(problem, a, b, exhaustive=exhaustive, tight=tight)
        if conflict is not None:
            found.append(conflict)
    return found


def bound_conflicts(problem: Problem, lo: float, hi: float) -> list[str]:
    """Categories that g in [lo, hi] cannot carry to their target, one sentence each."""
    out: list[str] = []
    tol = _REL_TOL * problem.grand
    for cats, target, margin in zip(problem.cell_categories, problem.totals, problem.margins, strict=True):
        have = np.bincount(cats, weights=problem.cell_weight, minlength=target.size)
        for k in np.flatnonzero(target > hi * have + tol):
            out.append(
                f"category {margin.categories[k]} of {margin.name} starts with weight {_num(have[k])}: with g at "
                f"most {hi:g} it reaches {_num(hi * have[k])}, below its target {_num(target[k])}"
            )
        for k in np.flatnonzero(target < lo * have - tol):
            out.append(
                f"category {margin.categories[k]} of {margin.name} starts with weight {_num(have[k])}: with g at "
                f"least {lo:g} it keeps {_num(lo * have[k])}, above its target {_num(target[k])}"
            )
    return out


def solve(problem: Problem, bounds: tuple[float, float] | None = None) -> Status:
    """Decide exactly, by linear programming on the cells, whether the margins can be met.

    Without bounds: "feasible" when strictly positive cell totals exist, "boundary" when only
    some zero ones do, "infeasible" when none do. With bounds (lo, hi) on g: "feasible" or
    "infeasible" for lo·w <= x <= hi·w.
    """
    from scipy import sparse  # noqa: PLC0415  (heavy: only when iterating failed)
    from scipy.optimize import linprog  # noqa: PLC0415

    grand = problem.grand
    active = np.flatnonzero(problem.cell_weight > 0)
    n = active.size
    rows, b_eq, offset = [], [], 0
    for cats, target in zip(problem.cell_categories, problem.totals, strict=True):
        rows.append(offset + cats[active])
        b_eq.append(target / grand)
        offset += target.size
    if n == 0:
        return "infeasible"
    a_eq = sparse.csr_matrix(
        (np.ones(n * len(rows)), (np.concatenate(rows), np.tile(np.arange(n), len(rows)))), shape=(offset, n)
    )
    b = np.concatenate(b_eq)
    w = problem.cell_weight[active] / grand
    if bounds is not None:
        lo, hi = bounds
        res = linprog(
            np.zeros(n), A_eq=a_eq, b_eq=b, bounds=np.column_stack([lo * w, hi * w]), method="highs"
        )
        return "feasible" if res.status == 0 else "infeasible"
    share = w / w.sum()
    # maximise t subject to x >= t·share, 0 <= t <= 1: t > 0 iff a strictly positive solution exists
    a_ub = sparse.hstack([-sparse.identity(n), sparse.csr_matrix(share[:, None])])
    a_eq_t = sparse.hstack([a_eq, sparse.csr_matrix((offset, 1))])
    cost = np.zeros(n + 1)
    cost[-1] = -1.0
    res = linprog(
        cost,
        A_ub=a_ub,
        b_ub=np.zeros(n),
        A_eq=a_eq_t,
        b_eq=b,
        bounds=[(0, None)] * n + [(0, 1)],
        method="highs",
    )
    if res.status != 0:
        return "infeasible"
    return "feasible" if -res.fun > 1e-7 else "boundary"


def _smallest_conflicting(problem: Problem, bounds: tuple[float, float] | None) -> tuple[int, ...]:
    """A minimal set of margins that cannot be met together (deletion filter over the margins)."""
    keep = list(range(len(problem.totals)))
    for m in range(len(problem.totals)):
        trial = tuple(k for k in keep if k != m)
        if len(trial) >= 1 and solve(problem.subset(trial), bounds) == "infeasible":
            keep = list(trial)
    return tuple(keep)


def _empty(problem: Problem) -> list[str]:
    out = []
    for cats, target, margin in zip(problem.cell_categories, problem.totals, problem.margins, strict=True):
        have = np.bincount(cats, weights=problem.cell_weight, minlength=target.size)
        out += [
            f"category {margin.categories[k]} of {margin.name} has no respondent with weight left"
            for k in np.flatnonzero((have <= 0) & (target > 0))
        ]
    return out


def explain_failure(problem: Problem, bounds: tuple[float, float] | None = None) -> tuple[Status, str]:
    """Why weights meeting every margin (within `bounds`) do not exist; ("feasible", "") when they do.

    Returns the status of `solve` and, unless feasible, one or more sentences naming the
    categories in conflict (or, when no pair of margins explains it, the margins).
    """
    empty = _empty(problem)
    if empty:
        return "infeasible", "; ".join(empty)
    if bounds is not None:
        said = bound_conflicts(problem, *bounds)
        if said:
            return "infeasible", "; ".join(said[:3])
        if solve(problem, bounds) == "feasible":
            return "feasible", ""
        names = [problem.margins[m].name for m in _smallest_conflicting(problem, bounds)]
        return "infeasible", (
            f"with g between {bounds[0]:g} and {bounds[1]:g} the margins {', '.join(names)} cannot be met together"
        )
    conflicts = pair_conflicts(problem, exhaustive=True)
    if conflicts:
        return "infeasible", "; ".join(c.sentence() for c in conflicts[:2])
    status = solve(problem)
    if status == "feasible":
        return "feasible", ""
    if status == "boundary":
        tight = pair_conflicts(problem, exhaustive=True, tight=True)
        if tight:
            return "boundary", "; ".join(c.sentence() for c in tight[:2])
        return "boundary", "the margins can only be met by giving some respondents weight zero"
    names = [problem.margins[m].name for m in _smallest_conflicting(problem, None)]
    return "infeasible", f"the margins {', '.join(names)} cannot be met together by positive weights"


def infeasible_error(why: str, *, replicate: int | None = None) -> InfeasibleError:
    """The error for margins no positive weights can meet, naming the conflict."""
    where = f"replicate {replicate}: " if replicate is not None else ""
    return InfeasibleError(
        f"{where}no positive weights can meet every margin: {why}; collapse these categories or check the targets",
        code="infeasible_margins", explanation=why,
    )  # fmt: skip


def bounds_error(why: str, bounds: tuple[float, float], *, replicate: int | None = None) -> BoundsError:
    """The error for calibration bounds that cannot be met, naming the categories that cannot reach."""
    where = f"replicate {replicate}: " if replicate is not None else ""
    return BoundsError(
        f"{where}calibration bounds {bounds[0]:g},{bounds[1]:g} cannot be met: {why}; "
        "widen the bounds or collapse categories",
        code="bounds_infeasible", lo=bounds[0], hi=bounds[1], explanation=why,
    )  # fmt: skip


def check_before(
    problem: Problem, bounds: tuple[float, float] | None = None, *, replicate: int | None = None
) -> None:
    """The cheap checks run before iterating; raise InfeasibleError / BoundsError naming the conflict."""
    if bounds is not None:
        said = bound_conflicts(problem, *bounds)
        if said:
            raise bounds_error("; ".join(said[:3]), bounds, replicate=replicate)
        return
    conflicts = pair_conflicts(problem)
    if conflicts:
        raise infeasible_error("; ".join(c.sentence() for c in conflicts[:2]), replicate=replicate)
