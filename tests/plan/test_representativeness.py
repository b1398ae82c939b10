"""Representativeness figures: checked by hand, against a unit-level computation and against the library.

The independent implementation expands each cell into its ``N_c`` population units, gives each
unit its cell's response propensity ``n_c / N_c`` and computes the spread over units with numpy
and pandas, as Schouten et al. define it; the module under test only ever sees cell totals.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest

import weighting._plan_cells as plan_cells
import weighting.representativeness as rep
from weighting import Design, Targets, TargetsError, VariableError, kish_deff, poststratify
from weighting.representativeness import (
    Cells,
    cells_from_data,
    coverage,
    margin_of_error,
    partial_indicators,
    r_indicator,
    weight_effect,
)

# A small population: sex x age, counts N_c and responses n_c per cell.
CATS = (("F", "y"), ("F", "m"), ("F", "o"), ("M", "y"), ("M", "m"), ("M", "o"))
POP = np.array([120, 200, 180, 130, 190, 180], dtype=float)  # N = 1,000
RESP = np.array([30, 40, 18, 13, 19, 36], dtype=float)  # n = 156


def small() -> Cells:
    return Cells(("sex", "age"), CATS, POP / POP.sum(), RESP)


def units() -> pd.DataFrame:
    """One row per population unit with its cell's propensity: the definition, written out."""
    rows = []
    for (sex, age), size, resp in zip(CATS, POP, RESP, strict=True):
        rows += [(sex, age, resp / size)] * int(size)
    return pd.DataFrame(rows, columns=["sex", "age", "rho"])


@pytest.mark.parametrize("module", [rep, plan_cells])
def test_module_examples(module):
    assert doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


def test_two_cells_by_hand():
    # F: 30 of 200 people (rate 0.15), M: 10 of 200 (0.05); mean rate 0.1, spread 0.05.
    cells = Cells(("sex",), (("F",), ("M",)), np.array([0.5, 0.5]), np.array([30.0, 10.0]))
    ind = r_indicator(cells, population=400)
    assert ind.mean_propensity == pytest.approx(0.1)
    assert ind.sd == pytest.approx(0.05)
    assert ind.r == pytest.approx(0.9)
    assert ind.cv == pytest.approx(0.5)
    # Post-stratified weights: F 200/30, M 200/10; n·Σw²/(Σw)² = 40·(30·(20/3)² + 10·20²)/400² = 4/3.
    effect = weight_effect(cells)
    assert effect.deff == pytest.approx(4 / 3)
    assert effect.n_eff == pytest.approx(30.0)
    assert effect.max_weight == pytest.approx(2.0)  # M weight 20 over the mean weight 10
    assert effect.moe == pytest.approx(1.959964 * 0.5 / math.sqrt(30), rel=1e-6)


def test_r_indicator_equals_the_unit_level_definition():
    u = units()
    ind = r_indicator(small(), population=POP.sum())
    assert ind.mean_propensity == pytest.approx(u["rho"].mean())
    assert ind.sd == pytest.approx(u["rho"].std(ddof=0))
    assert ind.r == pytest.approx(1 - 2 * u["rho"].std(ddof=0))
    assert ind.cv == pytest.approx(u["rho"].std(ddof=0) / u["rho"].mean())
    # Schouten et al. (2009) divide by N - 1: the same to within sqrt(N/(N-1)).
    assert ind.sd == pytest.approx(u["rho"].std(ddof=1), rel=1e-3)


def test_cv_needs_no_population_size():
    without = r_indicator(small())
    assert math.isnan(without.r)
    assert without.cv == pytest.approx(r_indicator(small(), population=1000).cv)
    assert without.cv == pytest.approx(r_indicator(small(), population=10**6).cv)


def test_partial_indicators_equal_between_and_within_variances_over_units():
    u = units()
    mean = u["rho"].mean()
    found = {p.variable: p for p in partial_indicators(small(), population=POP.sum())}
    for variable, other in (("sex", "age"), ("age", "sex")):
        group_mean = u.groupby(variable)["rho"].transform("mean")
        between = ((group_mean - mean) ** 2).mean()
        other_mean = u.groupby(other)["rho"].transform("mean")
        within = ((u["rho"] - other_mean) ** 2).mean()
        assert found[variable].unconditional == pytest.approx(math.sqrt(between))
        assert found[variable].conditional == pytest.approx(math.sqrt(within))
        assert found[variable].unconditional_cv == pytest.approx(math.sqrt(between) / mean)
        # Category values: signed, and their squares add up to the variable's.
        for category, signed, conditional in found[variable].categories:
            in_k = u[variable] == category
            expected = math.sqrt(in_k.mean()) * (u.loc[in_k, "rho"].mean() - mean) / mean
            assert signed == pytest.approx(expected)
            assert conditional == pytest.approx(
                math.sqrt(((u["rho"] - other_mean)[in_k] ** 2).sum() / len(u)) / mean
            )
        assert sum(s * s for _, s, _ in found[variable].categories) == pytest.approx(
            found[variable].unconditional_cv ** 2
        )


def test_weight_effect_equals_the_library_post_stratification():
    rows = [(s, a) for (s, a), n in zip(CATS, RESP, strict=True) for _ in range(int(n))]
    data = pd.DataFrame(rows, columns=["sex", "age"])
    targets = Targets.from_dict(
        {"sex:age": {f"{s}:{a}": float(p) for (s, a), p in zip(CATS, POP / POP.sum(), strict=True)}}
    )
    weights = poststratify(Design.from_frame(data), targets).weights
    effect = weight_effect(small())
    assert effect.deff == pytest.approx(kish_deff(weights))
    assert effect.n_eff == pytest.approx(len(data) / kish_deff(weights))
    assert effect.max_weight == pytest.approx(weights.max() / weights.mean())
    assert effect.moe == pytest.approx(margin_of_error(len(data) / kish_deff(weights)))


def test_empty_cells_are_reported_not_hidden():
    cells = Cells(("sex",), (("F",), ("M",), ("X",)), np.array([0.5, 0.4, 0.1]), np.array([10.0, 10.0, 0.0]))
    effect = weight_effect(cells)
    assert effect.empty_cells == 1
    assert effect.uncovered_share == pytest.approx(0.1)
    assert effect.deff == pytest.approx(20 * ((5 / 9) ** 2 / 10 + (4 / 9) ** 2 / 10))
    assert math.isinf(weight_effect(cells.with_responses(np.zeros(3))).deff)


def test_a_population_smaller_than_the_responses_is_refused():
    with pytest.raises(TargetsError, match="more responses than people"):
        r_indicator(small(), population=100)


def test_coverage_per_margin_and_crossed_cell():
    rows = {(r.margin, r.category): r for r in coverage(small())}
    assert rows["sex", "F"].population_share == pytest.approx(0.5)
    assert rows["sex", "F"].responses == 88
    assert rows["sex", "F"].response_share == pytest.approx(88 / 156)
    assert rows["age", "o"].responses == 54
    assert rows["sex:age", "M:y"].ratio == pytest.approx((13 / 156) / 0.13)
    assert len(rows) == 2 + 3 + 6


def test_cells_from_data_use_a_crossed_target_or_say_they_assume_independence():
    data = pd.DataFrame({"sex": ["F", "F", "M", None, "Z"], "age": ["y", "o", "o", "y", "y"]})
    single = Targets.from_dict({"sex": {"F": 0.6, "M": 0.4}, "age": {"y": 0.3, "o": 0.7}})
    cells = cells_from_data(data, single, ["sex", "age"])
    assert dict(zip(cells.labels(), cells.shares, strict=True)) == pytest.approx(
        {"F:y": 0.18, "F:o": 0.42, "M:y": 0.12, "M:o": 0.28}
    )
    assert dict(zip(cells.labels(), cells.responses, strict=True)) == {"F:y": 1, "F:o": 1, "M:y": 0, "M:o": 1}
    assert any("independent" in n for n in cells.notes)
    assert any("2 responses left out" in n for n in cells.notes)
    crossed = Targets.from_dict({"sex:age": {"F:y": 0.1, "F:o": 0.5, "M:y": 0.2, "M:o": 0.2}})
    cells = cells_from_data(data, crossed, ["sex", "age"])
    assert dict(zip(cells.labels(), cells.shares, strict=True)) == pytest.approx(
        {"F:y": 0.1, "F:o": 0.5, "M:y": 0.2, "M:o": 0.2}
    )
    assert not any("independent" in n for n in cells.notes)


def test_cells_from_data_name_an_unknown_variable():
    single = Targets.from_dict({"sex": {"F": 0.6, "M": 0.4}})
    with pytest.raises(VariableError, match="'age'"):
        cells_from_data(pd.DataFrame({"sex": ["F"]}), single, ["sex", "age"])
    with pytest.raises(TargetsError, match="no targets for 'sex'"):
        cells_from_data(pd.DataFrame({"sex": ["F"]}), Targets.from_dict({"age": {"y": 1.0}}), ["sex"])


def test_cells_from_data_take_each_groups_crossed_margin_and_match_numbers_to_labels():
    data = pd.DataFrame({"sex": ["F", "M", "M"], "age": ["y", "o", "o"], "edu": [1.0, 2.0, 2.0]})
    targets = Targets.from_dict(
        {"sex:age": {"F:y": 0.1, "F:o": 0.5, "M:y": 0.2, "M:o": 0.2}, "edu": {"1": 0.4, "2": 0.6}}
    )
    cells = cells_from_data(data, targets, ["sex", "age", "edu"], groups=[("sex", "age"), ("edu",)])
    shares = dict(zip(cells.labels(), cells.shares, strict=True))
    assert shares["F:o:2"] == pytest.approx(0.5 * 0.6)
    assert dict(zip(cells.labels(), cells.responses, strict=True))["M:o:2"] == 2
    assert sum(cells.responses) == 3
    assert any("independent" in n for n in cells.notes)


def test_cell_index_is_the_same_through_the_dense_table_and_the_sort(monkeypatch):
    rng = np.random.default_rng(4)
    data = pd.DataFrame(
        {"sex": rng.choice(["F", "M", None], 500), "age": rng.choice(["y", "m", "o", "zz"], 500)}
    )
    cells = Cells(("sex", "age"), CATS, POP / POP.sum(), np.zeros(6))
    dense = rep.cell_index(data, cells)
    monkeypatch.setattr(plan_cells, "_DENSE_LIMIT", 0)
    assert rep.cell_index(data, cells).tolist() == dense.tolist()
    expected = [
        CATS.index((s, a)) if (s, a) in CATS else -1 for s, a in zip(data["sex"], data["age"], strict=True)
    ]
    assert dense.tolist() == expected
