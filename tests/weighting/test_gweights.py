"""g-weights (final weight / starting weight) against R `survey` and a closed form.

The R values come from ``Rscript tests/weighting/golden/make_golden_g.R`` (golden_g.json): logit
and linear calibration with bounds that bind, from equal starting weights N/n and from a base-weight
column, summarised in R as ``weights(cal) / weights(design)`` with ``quantile(type = 7)`` and
``hist(right = FALSE, include.lowest = TRUE)`` over ten equal bins from min to max.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import weighting as wt
from weighting.diagnostics import QUANTILES

GOLDEN = Path(__file__).parent / "golden"
RTOL = 1e-9  # as the weights themselves are held to R (test_oracle_r.py)


@cache
def golden() -> dict[str, Any]:
    return json.loads((GOLDEN / "golden_g.json").read_text(encoding="utf-8"))


def _calibrated(case: dict[str, Any]) -> wt.Design:
    data = pd.read_csv(GOLDEN / "consult.csv", keep_default_na=False, na_values=[""])
    targets = wt.Targets.from_frame(pd.read_csv(GOLDEN / "consult_t_margins.csv", keep_default_na=False))
    design = wt.Design.from_frame(data, weights=case["base_weight"])
    return wt.calibrate(design, targets, calfun=case["calfun"], bounds=tuple(case["bounds"]),
                        population=float(case["population"]), tol=1e-13, max_iter=500)  # fmt: skip


@pytest.mark.parametrize("name", ["logit_equal", "logit_basew", "linear_equal"])
def test_g_weights_match_r(name: str) -> None:
    case = golden()[name]
    got = wt.g_weights(_calibrated(case))
    assert got.n == case["n"]
    for ours, theirs in [(got.min, case["min"]), (got.max, case["max"]), (got.mean, case["mean"]),
                         *zip(got.quantiles.values(), case["quantiles"], strict=True)]:  # fmt: skip
        assert ours == pytest.approx(theirs, rel=RTOL)
    assert list(got.counts) == case["counts"]
    assert got.edges[0] == got.min and got.edges[-1] == got.max and len(got.edges) == 11


def test_the_bounds_bind_where_r_says_they_do() -> None:
    """The linear case holds many rows at exactly its bounds: the summary shows them there."""
    case = golden()["linear_equal"]
    got = wt.g_weights(_calibrated(case))
    lo, hi = case["bounds"]
    assert got.min == pytest.approx(lo, rel=1e-12) and got.max == pytest.approx(hi, rel=1e-12)
    assert got.quantiles["p01"] == pytest.approx(lo, rel=1e-12)


def test_post_stratification_gives_the_closed_form() -> None:
    """One margin: g in a cell is its population share over its sample share, exactly."""
    data = pd.DataFrame({"sex": ["F"] * 2 + ["M"] * 6})
    design = wt.poststratify(wt.Design.from_frame(data), wt.Targets.from_dict({"sex": {"F": 0.5, "M": 0.5}}),
                             population=1000.0)  # fmt: skip
    got = wt.g_weights(design, bins=4)
    g = np.array([0.5 / (2 / 8)] * 2 + [0.5 / (6 / 8)] * 6)  # 2 and 2/3
    assert (got.min, got.max) == pytest.approx((2 / 3, 2.0), rel=1e-15)
    assert got.mean == pytest.approx(g.mean(), rel=1e-15)
    # Type-7 quantiles of six values 2/3 then two values 2: index (n - 1)·q = 7q, interpolated.
    for q, value in zip(QUANTILES, got.quantiles.values(), strict=True):
        k = 7 * q
        low, frac = int(np.floor(k)), k - np.floor(k)
        ordered = np.sort(g)
        expected = ordered[low] + frac * (ordered[min(low + 1, 7)] - ordered[low])
        assert value == pytest.approx(expected, rel=1e-15)
    assert got.counts == (6, 0, 0, 2)


def test_trimming_keeps_g_within_its_caps() -> None:
    data = pd.DataFrame({"sex": ["F"] * 2 + ["M"] * 18, "age": ["y", "o"] * 10})
    targets = wt.Targets.from_dict({"sex": {"F": 0.5, "M": 0.5}, "age": {"y": 0.5, "o": 0.5}})
    raked = wt.rake(wt.Design.from_frame(data), targets)
    assert wt.g_weights(raked).max > 4
    trimmed = wt.g_weights(wt.trim(raked, 0.5, 3.0, recalibrate=False))
    assert trimmed.max <= 3.0 * (1 + 1e-9) and trimmed.min >= 0.5 * (1 - 1e-9)
    assert sum(trimmed.counts) == 20


def test_g_needs_an_adjustment() -> None:
    with pytest.raises(wt.DesignError, match="need an adjustment"):
        wt.g_weights(wt.Design.from_frame(pd.DataFrame({"sex": ["F", "M"]})))
