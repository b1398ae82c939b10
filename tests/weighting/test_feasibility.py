"""Infeasible margins and bounds are detected and explained in an analyst's words (issue #23).

Each case is built by hand so that its conflict is known: the message must name exactly the
margins and categories that cause it, with their targets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import weighting as wt
from weighting._feasibility import Problem, explain_failure, solve
from weighting.targets import Margin


def _frame(cells: dict[tuple[str, ...], int], names: tuple[str, ...]) -> pd.DataFrame:
    rows = [key for key, n in cells.items() for _ in range(n)]
    return pd.DataFrame(rows, columns=list(names))


def test_the_issue_example_names_category_margin_and_both_targets():
    """sch.wide=No only among stype=M schools, whose target (1,018) is below No's (1,072)."""
    data = _frame(
        {("No", "M"): 20, ("Yes", "M"): 30, ("Yes", "E"): 80, ("Yes", "H"): 40}, ("sch.wide", "stype")
    )
    targets = wt.Targets.from_dict(
        {
            "sch.wide": {"No": 1072 / 6194, "Yes": 5122 / 6194},
            "stype": {"E": 4421 / 6194, "H": 755 / 6194, "M": 1018 / 6194},
        }
    )
    with pytest.raises(wt.InfeasibleError) as info:
        wt.rake(wt.Design.from_frame(data), targets, population=6194)
    message = str(info.value)
    assert (
        "category No of sch.wide is only present among respondents with stype=M, "
        "whose target 1,018 is below No's (1,072)"
    ) in message
    assert info.value.code == "infeasible_margins"
    assert isinstance(info.value, wt.ConvergenceError)  # callers catching non-convergence still catch it


def test_calibrate_raking_explains_the_same_conflict():
    data = _frame({("No", "M"): 20, ("Yes", "M"): 30, ("Yes", "E"): 80}, ("a", "b"))
    targets = wt.Targets.from_dict({"a": {"No": 0.6, "Yes": 0.4}, "b": {"E": 0.5, "M": 0.5}})
    with pytest.raises(
        wt.InfeasibleError, match="category No of a is only present among respondents with b=M"
    ):
        wt.calibrate(wt.Design.from_frame(data), targets, calfun="raking")


def test_two_categories_together_exceed_the_one_they_share():
    """x and y (0.2 each) live only with b=p (0.35): each alone fits, together they do not.
    The cheap check before iterating cannot see it; the explanation after failing does."""
    cells = {("x", "p"): 10, ("y", "p"): 10, ("z", "p"): 10, ("z", "q"): 10, ("z", "r"): 10}
    data = _frame(cells, ("a", "b"))
    targets = wt.Targets.from_dict(
        {"a": {"x": 0.2, "y": 0.2, "z": 0.6}, "b": {"p": 0.35, "q": 0.3, "r": 0.35}}
    )
    with pytest.raises(wt.InfeasibleError) as info:
        wt.rake(wt.Design.from_frame(data), targets, population=100)
    assert (
        "categories x, y of a are only present among respondents with b=p, whose target 35 is below theirs (40)"
        in str(info.value)
    )


def test_three_margins_in_conflict_that_no_pair_explains_are_named_together():
    """Odd-parity cells: every pair of margins sees all four combinations, yet shares of 0.2
    for each '1' force the (1,1,1) cell negative: only the three margins together conflict."""
    cells = {("1", "0", "0"): 5, ("0", "1", "0"): 5, ("0", "0", "1"): 5, ("1", "1", "1"): 5}
    data = _frame(cells, ("a", "b", "c"))
    share = {"0": 0.8, "1": 0.2}
    targets = wt.Targets.from_dict({"a": share, "b": share, "c": share})
    with pytest.raises(wt.InfeasibleError, match="the margins a, b, c cannot be met together"):
        wt.rake(wt.Design.from_frame(data), targets)


def test_feasible_only_with_zero_weights_is_a_convergence_error_that_says_so():
    """x only with p and equal targets: the y respondents with p would need weight zero."""
    data = _frame({("x", "p"): 10, ("y", "p"): 10, ("y", "q"): 10}, ("a", "b"))
    targets = wt.Targets.from_dict({"a": {"x": 0.3, "y": 0.7}, "b": {"p": 0.3, "q": 0.7}})
    with pytest.raises(wt.ConvergenceError) as info:
        wt.rake(wt.Design.from_frame(data), targets, max_iter=50, tol=1e-10)
    assert not isinstance(info.value, wt.InfeasibleError)
    assert "would need weight zero" in str(info.value)


def test_bounds_a_category_cannot_reach_are_named_before_iterating():
    data = pd.DataFrame({"sex": ["F"] * 30 + ["M"] * 70})
    targets = wt.Targets.from_dict({"sex": {"F": 0.5, "M": 0.5}})
    with pytest.raises(wt.BoundsError) as info:
        wt.calibrate(wt.Design.from_frame(data), targets, calfun="logit", bounds=(0.8, 1.2), population=1000)
    message = str(info.value)
    assert (
        "category F of sex starts with weight 300: with g at most 1.2 it reaches 360, below its target 500"
        in message
    )
    assert (
        "category M of sex starts with weight 700: with g at least 0.8 it keeps 560, above its target 500"
        in message
    )


def test_bounds_two_margins_cannot_meet_together_are_named():
    """Each margin alone fits g in [0.5, 2]; together they need a cell above twice its weight."""
    cells = {("0", "0"): 45, ("0", "1"): 5, ("1", "0"): 5, ("1", "1"): 45}
    data = _frame(cells, ("a", "b"))
    targets = wt.Targets.from_dict({"a": {"0": 0.7, "1": 0.3}, "b": {"0": 0.3, "1": 0.7}})
    with pytest.raises(
        wt.BoundsError, match=r"with g between 0\.5 and 2 the margins a, b cannot be met together"
    ):
        wt.calibrate(wt.Design.from_frame(data), targets, calfun="logit", bounds=(0.5, 2.0), population=100)


def test_linear_programme_tells_the_three_cases_apart():
    margins = (Margin(("a",), ("x", "y"), (0.5, 0.5)), Margin(("b",), ("p", "q"), (0.5, 0.5)))
    cats = (np.array([0, 1, 1]), np.array([0, 0, 1]))
    weight = np.ones(3)

    def status(ta: float, tb: float) -> str:
        return solve(Problem(weight, cats, (np.array([ta, 1 - ta]), np.array([tb, 1 - tb])), margins))

    assert status(0.3, 0.5) == "feasible"
    assert status(0.3, 0.3) == "boundary"
    assert status(0.5, 0.3) == "infeasible"
    assert explain_failure(Problem(weight, cats, (np.array([0.3, 0.7]), np.array([0.5, 0.5])), margins)) == (
        "feasible",
        "",
    )
