"""Cross-check post-stratification and raking weights against samplics on the same data."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from weighting import Design, poststratify, rake

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    SampleWeight = pytest.importorskip("samplics.weighting").SampleWeight


def _controls(targets, total):
    return {
        m.name: {c: s * total for c, s in zip(m.categories, m.shares, strict=True)} for m in targets.margins
    }


@pytest.mark.filterwarnings("ignore")
def test_poststratify_matches_samplics(sample, targets):
    total = 2500.0
    ours = poststratify(
        Design.from_frame(sample, weights="base"), targets, margin="age_group", population=total
    )
    control = _controls(targets, total)["age_group"]
    theirs = SampleWeight().poststratify(
        samp_weight=sample["base"].to_numpy(), control=control, domain=sample["age_group"].to_numpy()
    )
    np.testing.assert_allclose(ours.weights, theirs, rtol=1e-10)


@pytest.mark.filterwarnings("ignore")
def test_rake_matches_samplics(sample, targets):
    total = 2500.0
    ours = rake(
        Design.from_frame(sample, weights="base"), targets, population=total, tol=1e-12, max_iter=1000
    )
    margins = {m.name: sample[m.name].to_numpy() for m in targets.margins}
    theirs = SampleWeight().rake(
        samp_weight=sample["base"].to_numpy(),
        margins=margins,
        control=_controls(targets, total),
        tol=1e-12,
        ctrl_tol=1e-12,
        max_iter=1000,
    )
    np.testing.assert_allclose(ours.weights, theirs, rtol=1e-6)
