"""Subgroups: one respondent means no confidence interval, said aloud; domains keep the full design."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import weighting as wt


def test_a_group_with_one_respondent_warns_and_has_no_interval():
    data = pd.DataFrame(
        {"g": ["a", "a", "a", "b"], "q": ["yes", "no", "yes", "yes"], "y": [1.0, 2.0, 4.0, 3.0]}
    )
    design = wt.Design.from_frame(data)
    with pytest.warns(RuntimeWarning, match="q=yes in b rests on one respondent: no confidence interval"):
        table = wt.estimate(design, ["q", "y"], by="g")
    lone = [r for r in table.rows if r.by == "b"]
    assert lone and all(r.n == 1 for r in lone)
    assert all(math.isnan(r.ci_low) and math.isnan(r.ci_high) for r in lone)
    assert all(np.isfinite(r.se) for r in lone)  # the SE is still the design's (a domain), as R gives it
    assert {n.code for n in table.notes} == {"one_respondent"}
    assert all(not math.isnan(r.ci_low) for r in table.rows if r.by == "a")


def test_domain_estimates_keep_the_full_design_not_a_subset():
    """With strata, a domain SE uses every stratum's PSUs (zeros outside the domain), as svyby:
    estimating on the subset alone gives another (wrong) SE."""
    data = pd.DataFrame(
        {
            "st": ["s1"] * 4 + ["s2"] * 4,
            "g": ["a", "b", "a", "b", "a", "a", "a", "b"],
            "y": [1.0, 5.0, 2.0, 6.0, 3.0, 4.0, 8.0, 7.0],
            "w": [1.0, 2.0, 1.0, 2.0, 3.0, 3.0, 3.0, 1.0],
        }
    )
    design = wt.Design.from_frame(data, strata="st", weights="w")
    domain = next(r for r in wt.estimate(design, ["y"], by="g").rows if r.by == "a")
    subset = wt.estimate(wt.Design.from_frame(data[data["g"] == "a"], strata="st", weights="w"), ["y"]).rows[
        0
    ]
    assert domain.estimate == pytest.approx(subset.estimate)
    assert domain.se != pytest.approx(subset.se)


def test_the_se_header_says_only_what_was_done():
    data = pd.DataFrame({"s": ["a", "a", "b", "b"], "y": [1.0, 2.0, 3.0, 5.0]})
    plain = wt.Design.from_frame(data)
    assert wt.estimate(plain, ["y"]).variance == "taylor"  # nothing calibrated: not "calibration-aware"
    raked = wt.poststratify(plain, wt.Targets.from_dict({"s": {"a": 0.5, "b": 0.5}}))
    assert wt.estimate(raked, ["y"]).variance == "taylor, calibration-aware"
    assert wt.estimate(raked, ["y"], calibrated=False).variance == "taylor"
    data["N"] = 40
    fpc = wt.Design.from_frame(data, strata="s", fpc="N", lonely_psu="adjust")
    assert wt.estimate(fpc, ["y"]).variance == "taylor, without replacement (fpc), lonely PSUs: adjust"
