"""Field planner: which interviews, added to those stored, make the post-stratified estimate most precise.

Why greedy is exact here: after post-stratifying on cells with population shares ``P_c`` and
``a_c = n_c + m_c`` responses (``n_c`` stored, ``m_c`` planned), the variance of a weighted mean of
a unit-variance outcome is ``V(a) = Σ_c P_c² / a_c`` (see `weighting.representativeness`), and
for a fixed total ``n + M`` the Kish deff ``(n + M)·V`` and the effective size ``1/V`` are both
set by ``V`` alone. ``V`` is a sum of convex, decreasing functions of integer ``a_c``, under one
constraint ``Σ m_c = M`` (and optional caps ``0 ≤ m_c ≤ u_c``): for such separable convex
resource allocation, giving interviews one at a time to the cell whose marginal gain
``P_c²/(a_c(a_c+1))`` is largest reaches the integer optimum for every ``M`` along the way
(Gross 1956; Fox 1966; Ibaraki & Katoh 1988, ch. 4). So the greedy plan for the smallest budget
meeting a margin of error is found by running until it is met.

A cell that has no response makes ``V`` infinite (post-stratification cannot reach it), so empty
cells with a share are served first, largest share first; a cell whose share is 0 has no gain and
gets nothing. With per-interview costs ``k_c`` the greedy takes the best gain per cost: this
is the continuous optimum's rule and a heuristic for integers (exact when costs are equal).

Examples:
    >>> import numpy as np
    >>> from weighting.representativeness import Cells
    >>> cells = Cells(("sex",), (("F",), ("M",)), np.array([0.5, 0.5]), np.array([30.0, 10.0]))
    >>> plan(cells, 20).planned.tolist()
    [0, 20]
    >>> round(plan(cells, 20).after.deff, 3)
    1.0
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from weighting._frames import FloatArray, IntArray
from weighting.errors import WeightingError
from weighting.representativeness import Z95, Cells, WeightEffect, weight_effect

__all__ = ["FieldPlan", "SimulationRow", "objective", "plan", "plan_for_moe", "proportional", "simulate"]


@dataclass(frozen=True)
class FieldPlan:
    """Planned interviews per cell, with the weighting figures before and after them.

    Attributes:
        cells: The cells planned over (responses = those stored).
        planned: Interviews to collect per cell.
        before: Weight effect of the stored responses alone.
        after: Weight effect once the planned interviews are added.
        cost: Total cost of the plan (its size when no costs were given).
        unplaced: Interviews of the budget that no cell could take (every cap reached).
    """

    cells: Cells
    planned: IntArray
    before: WeightEffect
    after: WeightEffect
    cost: float
    unplaced: int = 0


def objective(shares: FloatArray, counts: FloatArray) -> float:
    """``Σ P_c²/a_c`` over cells with a share: infinite while one of them has no response."""
    keep = shares > 0
    if np.any(counts[keep] <= 0):
        return math.inf
    return float(np.sum(shares[keep] ** 2 / counts[keep]))


def _limits(cells: Cells, caps: FloatArray | None, costs: FloatArray | None) -> tuple[FloatArray, FloatArray]:
    size = len(cells.categories)
    cap = np.full(size, np.inf) if caps is None else np.asarray(caps, dtype=np.float64)
    cost = np.ones(size) if costs is None else np.asarray(costs, dtype=np.float64)
    if cap.shape != (size,) or cost.shape != (size,):
        raise WeightingError("costs and caps need one value per cell", code="plan_shape")
    if np.any(np.isnan(cap)) or np.any(cap < 0):
        raise WeightingError("a cell's cap must be a number >= 0", code="plan_cap")
    if np.any(~np.isfinite(cost)) or np.any(cost <= 0):
        raise WeightingError("a cell's cost must be a finite number > 0", code="plan_cost")
    return cap, cost


class _Greedy:
    """The running allocation: a heap of cells keyed by (still empty?, -gain per cost)."""

    def __init__(self, cells: Cells, cap: FloatArray, cost: FloatArray) -> None:
        self.shares = np.asarray(cells.shares, dtype=np.float64)
        self.counts = np.asarray(cells.responses, dtype=np.float64).copy()
        self.cap, self.cost = cap, cost
        self.planned = np.zeros(len(self.shares), dtype=np.int64)
        self.empty = int(np.count_nonzero((self.shares > 0) & (self.counts <= 0)))
        keep = (self.shares > 0) & (self.counts > 0)
        self.variance = float(np.sum(self.shares[keep] ** 2 / self.counts[keep]))
        self.spent = 0.0
        self.heap = [self._key(c) for c in range(len(self.shares)) if self._open(c)]
        heapq.heapify(self.heap)

    def _open(self, c: int) -> bool:
        return bool(self.shares[c] > 0 and self.planned[c] < self.cap[c])

    def _key(self, c: int) -> tuple[int, float, int]:
        a, p = self.counts[c], self.shares[c]
        if a <= 0:
            return (0, -p / self.cost[c], c)
        return (1, -(p * p / (a * (a + 1))) / self.cost[c], c)

    @property
    def value(self) -> float:
        return math.inf if self.empty else self.variance

    def step(self) -> bool:
        """Give one interview to the best cell; False when no cell can take one."""
        if not self.heap:
            return False
        _, _, c = heapq.heappop(self.heap)
        a, p = self.counts[c], self.shares[c]
        if a <= 0:
            self.empty -= 1
            self.variance += p * p
        else:
            self.variance -= p * p / (a * (a + 1))
        self.counts[c] += 1
        self.planned[c] += 1
        self.spent += self.cost[c]
        if self._open(c):
            heapq.heappush(self.heap, self._key(c))
        return True

    def result(self, cells: Cells, unplaced: int = 0) -> FieldPlan:
        return _finish(cells, self.planned, self.spent, unplaced)


def _finish(cells: Cells, planned: IntArray, cost: float, unplaced: int = 0) -> FieldPlan:
    after = cells.with_responses(np.asarray(cells.responses, dtype=np.float64) + planned)
    return FieldPlan(cells, planned, weight_effect(cells), weight_effect(after), cost, unplaced)


def _check_budget(budget: int) -> None:
    if budget < 0:
        raise WeightingError(f"the budget must be 0 or more interviews, got {budget}", code="plan_budget")


def plan(
    cells: Cells, budget: int, *, caps: FloatArray | None = None, costs: FloatArray | None = None
) -> FieldPlan:
    """The plan of ``budget`` interviews that minimises the deff of the final post-stratified weights.

    With ``costs``, the plan is instead the cheapest (greedy by gain per cost) that reaches the
    precision the best plan of ``budget`` interviews would reach; its size may then differ.

    Examples:
        >>> import numpy as np
        >>> from weighting.representativeness import Cells
        >>> cells = Cells(("age",), (("y",), ("m",), ("o",)), np.array([0.3, 0.5, 0.2]), np.array([0.0, 50.0, 10.0]))
        >>> plan(cells, 1).planned.tolist()  # the empty cell first
        [1, 0, 0]
    """
    _check_budget(budget)
    cap, cost = _limits(cells, caps, None)
    greedy = _Greedy(cells, cap, cost)
    placed = 0
    while placed < budget and greedy.step():
        placed += 1
    cost = _limits(cells, None, costs)[1]
    if costs is None or not math.isfinite(greedy.value):
        # Without costs, or when the budget cannot reach every empty cell (no finite precision to
        # match), the plan is the best of its size; its cost is what its interviews cost.
        return _finish(cells, greedy.planned, float(np.dot(greedy.planned, cost)), budget - placed)
    return _cheapest(cells, greedy.value, cap, cost, budget - placed)


def _cheapest(cells: Cells, target: float, cap: FloatArray, cost: FloatArray, unplaced: int) -> FieldPlan:
    greedy = _Greedy(cells, cap, cost)
    while greedy.value > target * (1 + 1e-12) and greedy.step():
        pass
    return greedy.result(cells, unplaced)


def plan_for_moe(
    cells: Cells,
    moe: float,
    *,
    caps: FloatArray | None = None,
    costs: FloatArray | None = None,
    limit: int = 10_000_000,
) -> FieldPlan:
    """The smallest plan whose post-stratified 50 % proportion has a margin of error ``<= moe``.

    Raises:
        WeightingError: When the caps (or ``limit`` interviews) stop the plan short of ``moe``.
    """
    if not 0 < moe < 1:
        raise WeightingError(f"the margin of error must be between 0 and 1, got {moe}", code="plan_moe")
    target = (moe / (Z95 * 0.5)) ** 2  # MOE = z·0.5·sqrt(V)
    cap, cost = _limits(cells, caps, costs)
    greedy = _Greedy(cells, cap, cost)
    steps = 0
    while greedy.value > target:
        if steps >= limit or not greedy.step():
            raise WeightingError(
                f"no plan of up to {steps} interviews reaches a margin of error of {moe:g}"
                " (the caps or the limit stop it)",
                code="plan_unreachable",
                moe=moe,
                interviews=steps,
            )
        steps += 1
    return greedy.result(cells)


def proportional(cells: Cells, budget: int) -> FieldPlan:
    """The usual quota plan, for comparison: ``budget`` split by population share (largest remainders).

    Examples:
        >>> import numpy as np
        >>> from weighting.representativeness import Cells
        >>> cells = Cells(("sex",), (("F",), ("M",)), np.array([0.52, 0.48]), np.array([30.0, 10.0]))
        >>> proportional(cells, 25).planned.tolist()
        [13, 12]
    """
    _check_budget(budget)
    shares = np.asarray(cells.shares, dtype=np.float64)
    exact = shares / shares.sum() * budget
    planned = np.floor(exact).astype(np.int64)
    short = budget - int(planned.sum())
    order = np.argsort(-(exact - planned), kind="stable")
    planned[order[:short]] += 1
    return _finish(cells, planned, float(budget))


@dataclass(frozen=True)
class SimulationRow:
    """One scenario of `simulate`: its field interviews and the error of the weighted shares.

    ``bias`` is the mean over outcome categories of |average estimate − truth|; ``rmse`` the
    root of the mean over categories of the mean squared error; ``worst_bias`` the largest |bias|.
    """

    scenario: str
    interviews: int
    bias: float
    rmse: float
    worst_bias: float


def simulate(
    cells: Cells,
    online: FloatArray,
    outcomes: Mapping[str, FloatArray],
    plans: Mapping[str, IntArray],
    *,
    draws: int,
    seed: int = 0,
) -> list[SimulationRow]:
    """What each plan buys: bias and RMSE of post-stratified shares over ``draws`` synthetic samples.

    The simulated world: the population is the cells with their shares ``P_c``; within a cell, the
    answers to each question follow the distribution ``outcomes[q][c]`` (a row per cell, a column per
    category), so the truth is ``Σ_c P_c·outcomes[q][c]``. Each draw takes as many online responses
    as were stored (``online.sum()``), spread over the cells by the observed online response
    propensities (``online`` counts, a multinomial draw), keeps the other stored responses
    (``cells.responses − online``) in their cells, adds the plan's interviews, draws everyone's
    answers, and post-stratifies on the cells (cells left without a response drop out, their
    share spread over the others: the bias a plan that misses them leaves).

    Examples:
        >>> import numpy as np
        >>> from weighting.representativeness import Cells
        >>> cells = Cells(("age",), (("y",), ("o",)), np.array([0.5, 0.5]), np.array([90.0, 0.0]))
        >>> yes = {"q": np.array([[0.8, 0.2], [0.2, 0.8]])}
        >>> rows = simulate(cells, np.array([90.0, 0.0]), yes, {"none": np.array([0, 0]),
        ...                 "plan": np.array([0, 30])}, draws=200, seed=1)
        >>> [(r.scenario, round(r.bias, 1)) for r in rows]
        [('none', 0.3), ('plan', 0.0)]
    """
    if draws < 1:
        raise WeightingError(
            f"the number of simulated samples must be 1 or more, got {draws}", code="plan_draws"
        )
    rng = np.random.default_rng(seed)
    shares = np.asarray(cells.shares, dtype=np.float64)
    online = np.asarray(online, dtype=np.float64)
    others = np.asarray(cells.responses, dtype=np.float64) - online
    n_online = round(float(online.sum()))
    propensity = online / online.sum() if n_online else np.zeros_like(online)
    truths = {q: shares @ np.asarray(p, dtype=np.float64) for q, p in outcomes.items()}
    rows = []
    for scenario, planned in plans.items():
        errors: dict[str, list[FloatArray]] = {q: [] for q in outcomes}
        for _ in range(draws):
            drawn = rng.multinomial(n_online, propensity) if n_online else np.zeros(len(shares))
            size = (drawn + others + np.asarray(planned)).astype(np.int64)
            present = size > 0
            weight = np.where(present, shares, 0.0)
            weight = weight / weight.sum()
            for q, probabilities in outcomes.items():
                counts = rng.multinomial(size, np.asarray(probabilities, dtype=np.float64))
                means = counts / np.maximum(size, 1)[:, None]
                errors[q].append(weight @ means - truths[q])
        stacked = np.concatenate([np.asarray(e) for e in errors.values()], axis=1)  # draws x categories
        bias = np.abs(stacked.mean(axis=0))
        rows.append(
            SimulationRow(
                scenario,
                int(np.sum(planned)),
                float(bias.mean()),
                float(np.sqrt((stacked**2).mean())),
                float(bias.max()),
            )
        )
    return rows
