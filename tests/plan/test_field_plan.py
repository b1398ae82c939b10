"""The field planner reaches the integer optimum: checked against brute force on small cases."""

from __future__ import annotations

import doctest
import itertools
import math

import numpy as np
import pytest

import weighting.field_plan as fp
from weighting import WeightingError
from weighting.field_plan import objective, plan, plan_for_moe, proportional, simulate
from weighting.representativeness import Z95, Cells, margin_of_error


def cells(shares: list[float], counts: list[float]) -> Cells:
    return Cells(("x",), tuple((str(i),) for i in range(len(shares))), np.array(shares), np.array(counts))


def allocations(size: int, budget: int, caps: list[float] | None = None):
    """Every way to split ``budget`` interviews over ``size`` cells within the caps."""
    for split in itertools.product(range(budget + 1), repeat=size):
        if sum(split) == budget and (caps is None or all(m <= c for m, c in zip(split, caps, strict=True))):
            yield np.array(split)


def best(shares: list[float], counts: list[float], budget: int, caps: list[float] | None = None) -> float:
    s, n = np.array(shares), np.array(counts, dtype=float)
    return min(objective(s, n + m) for m in allocations(len(shares), budget, caps))


CASES = [
    ([0.4, 0.3, 0.2, 0.1], [10, 3, 0, 1]),
    ([0.25, 0.25, 0.25, 0.25], [0, 0, 5, 9]),
    ([0.5, 0.0, 0.3, 0.2], [2, 4, 1, 7]),
    ([0.1, 0.6, 0.05, 0.25], [8, 1, 0, 0]),
]


def test_module_examples():
    assert doctest.testmod(fp, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


@pytest.mark.parametrize(("shares", "counts"), CASES)
@pytest.mark.parametrize("budget", [0, 1, 2, 3, 5, 8])
def test_greedy_reaches_the_brute_force_optimum(shares, counts, budget):
    result = plan(cells(shares, counts), budget)
    assert int(result.planned.sum()) == budget
    achieved = objective(np.array(shares), np.array(counts, dtype=float) + result.planned)
    assert achieved == pytest.approx(best(shares, counts, budget), rel=1e-12) or (
        math.isinf(achieved) and math.isinf(best(shares, counts, budget))
    )


@pytest.mark.parametrize("budget", [1, 3, 6])
def test_greedy_with_caps_reaches_the_brute_force_optimum(budget):
    shares, counts, caps = [0.4, 0.3, 0.2, 0.1], [1, 0, 2, 0], [1, 2, 1, 5]
    result = plan(cells(shares, counts), budget, caps=np.array(caps, dtype=float))
    assert all(m <= c for m, c in zip(result.planned, caps, strict=True))
    achieved = objective(np.array(shares), np.array(counts, dtype=float) + result.planned)
    assert achieved == pytest.approx(best(shares, counts, budget, caps), rel=1e-12)


def test_empty_cells_are_filled_first_and_zero_shares_get_nothing():
    result = plan(cells([0.3, 0.0, 0.1, 0.6], [0, 0, 0, 500]), 2)
    assert result.planned.tolist() == [1, 0, 1, 0]
    result = plan(cells([0.3, 0.0, 0.1, 0.6], [0, 0, 0, 500]), 1000)
    assert result.planned[1] == 0
    assert result.before.empty_cells == 2
    assert result.after.empty_cells == 0


def test_caps_leave_the_rest_unplaced():
    result = plan(cells([0.5, 0.5], [0, 0]), 10, caps=np.array([2.0, 3.0]))
    assert result.planned.tolist() == [2, 3]
    assert result.unplaced == 5


def test_plan_beats_proportional_allocation_on_a_skewed_sample():
    # Online: the young and educated over-represented; 148 field interviews as in the demo.
    c = cells([0.15, 0.35, 0.30, 0.20], [400, 450, 100, 53])
    optimal, usual = plan(c, 148), proportional(c, 148)
    assert optimal.after.deff < usual.after.deff < usual.before.deff
    assert optimal.after.n_eff > usual.after.n_eff
    assert int(usual.planned.sum()) == 148


def test_moe_plan_is_the_smallest_budget_reaching_it():
    c = cells([0.4, 0.3, 0.2, 0.1], [30, 3, 0, 2])
    result = plan_for_moe(c, 0.12)
    size = int(result.planned.sum())
    assert result.after.moe <= 0.12
    assert plan(c, size - 1).after.moe > 0.12  # and the best plan one smaller does not (it is optimal)


def test_moe_plan_matches_brute_force_on_a_small_case():
    shares, counts = [0.5, 0.3, 0.2], [6, 1, 0]
    moe = margin_of_error(14.0)  # n_eff of 14 needed
    target = (moe / (Z95 * 0.5)) ** 2
    smallest = next(m for m in range(40) if best(shares, counts, m) <= target * (1 + 1e-12))
    assert int(plan_for_moe(cells(shares, counts), moe).planned.sum()) == smallest


def test_costs_give_a_cheaper_plan_of_the_same_precision():
    c = cells([0.25, 0.25, 0.25, 0.25], [40, 10, 10, 40])
    costs = np.array([1.0, 1.0, 4.0, 1.0])  # cell 2 is hard to reach
    unit = plan(c, 40)
    cheap = plan(c, 40, costs=costs)
    assert cheap.after.n_eff >= unit.after.n_eff * (1 - 1e-9)
    assert cheap.cost < float(np.dot(unit.planned, costs))


def test_unreachable_moe_and_bad_input_are_named():
    with pytest.raises(WeightingError, match="no plan of up to 4"):
        plan_for_moe(cells([0.5, 0.5], [1, 1]), 0.05, caps=np.array([2.0, 2.0]))
    with pytest.raises(WeightingError, match="budget"):
        plan(cells([0.5, 0.5], [1, 1]), -1)
    with pytest.raises(WeightingError, match="cost"):
        plan(cells([0.5, 0.5], [1, 1]), 3, costs=np.array([1.0, 0.0]))
    with pytest.raises(WeightingError, match="margin of error"):
        plan_for_moe(cells([0.5, 0.5], [1, 1]), 1.5)


def test_simulated_rmse_matches_the_closed_form_variance_of_a_post_stratified_share():
    # No online part: fixed cell sizes, so the weighted share's variance is Σ P_c² μ_c(1-μ_c)/a_c exactly.
    shares, sizes = np.array([0.5, 0.3, 0.2]), np.array([40.0, 10.0, 25.0])
    mu = np.array([[0.7, 0.3], [0.2, 0.8], [0.5, 0.5]])
    c = Cells(("x",), (("a",), ("b",), ("c",)), shares, sizes)
    (row,) = simulate(c, np.zeros(3), {"q": mu}, {"stored": np.zeros(3, dtype=np.int64)}, draws=4000, seed=3)
    variance = float(np.sum(shares**2 * mu[:, 0] * mu[:, 1] / sizes))
    assert row.rmse == pytest.approx(math.sqrt(variance), rel=0.05)
    assert row.bias < 4 * math.sqrt(variance / 4000)  # unbiased: only Monte Carlo noise


def test_simulation_ranks_the_plan_before_proportional_before_nothing():
    c = cells([0.15, 0.35, 0.30, 0.20], [400, 450, 100, 53])
    mu = np.array([[0.8, 0.2], [0.6, 0.4], [0.4, 0.6], [0.2, 0.8]])
    optimal, usual = plan(c, 148), proportional(c, 148)
    plans = {"plan": optimal.planned, "proportional": usual.planned, "none": 0 * optimal.planned}
    rows = {r.scenario: r for r in simulate(c, c.responses, {"q": mu}, plans, draws=2000, seed=5)}
    assert rows["plan"].rmse < rows["proportional"].rmse < rows["none"].rmse
    assert rows["plan"].interviews == rows["proportional"].interviews == 148


def test_a_plan_that_misses_a_cell_leaves_its_bias():
    c = cells([0.5, 0.5], [60, 0])
    mu = np.array([[0.9, 0.1], [0.3, 0.7]])
    rows = {r.scenario: r for r in simulate(c, c.responses, {"q": mu}, {"none": np.array([0, 0]),
                                                                        "one": np.array([0, 1])}, draws=500)}  # fmt: skip
    assert rows["none"].bias == pytest.approx(0.3, abs=0.02)  # 0.9 instead of 0.6
    assert rows["one"].bias < 0.05
    with pytest.raises(WeightingError, match="simulated samples"):
        simulate(c, c.responses, {"q": mu}, {"none": np.array([0, 0])}, draws=0)


def test_costs_with_a_budget_short_of_the_empty_cells_still_plan_the_budget():
    c = cells([0.4, 0.3, 0.2, 0.1], [0, 0, 0, 5])
    result = plan(c, 2, costs=np.array([1.0, 2.0, 1.0, 1.0]))
    assert result.planned.tolist() == [1, 1, 0, 0]  # the largest empty cells, as without costs
    assert result.cost == 3.0
