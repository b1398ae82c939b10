"""Diagnostics computed on groups of equal rows (joint cells) match the row-level computation.

Order statistics (min, max, the np.quantile "linear" quantiles, g range) are the same numbers
bit for bit; sums (total, mean, Kish deff, achieved shares) only differ by summation order.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import weighting as wt
from weighting import _adjust
from weighting.diagnostics import QUANTILES, grouped_quantiles, summarise_groups, summarise_weights

SUM_FIELDS = ("weight_sum", "weight_share", "mean", "deff", "n_eff")


def _assert_same_summary(a: wt.WeightSummary, b: wt.WeightSummary) -> None:
    da, db = dataclasses.asdict(a), dataclasses.asdict(b)
    for key in da:
        if key in SUM_FIELDS:
            assert da[key] == pytest.approx(db[key], rel=1e-12, abs=0.0), key
        else:
            assert da[key] == db[key], key  # bit for bit


@pytest.mark.parametrize("seed", range(40))
def test_grouped_quantiles_equal_numpy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 60))
    values = rng.lognormal(size=k) if seed % 2 else rng.integers(1, 4, size=k) * 0.37
    counts = rng.integers(0, 25, size=k)
    counts[0] = max(counts[0], 1)
    rows = np.repeat(values, counts)
    rng.shuffle(rows)
    qs = (*QUANTILES, 0.0, 1.0, *rng.random(5))
    assert np.array_equal(grouped_quantiles(values, counts, qs), np.quantile(rows, qs))


def test_grouped_quantiles_single_row() -> None:
    assert np.array_equal(grouped_quantiles(np.array([2.5]), np.array([1]), QUANTILES), np.full(7, 2.5))


@pytest.mark.parametrize("seed", range(20))
def test_summarise_groups_equals_rows(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    k = int(rng.integers(1, 200))
    w = rng.lognormal(size=k) * 10
    base = rng.choice([1.0, 2.5, 7.0], size=k)
    counts = rng.integers(0, 50, size=k)
    counts[-1] = max(counts[-1], 1)
    grand = float(np.dot(counts, w)) * 1.7
    rows = summarise_weights("x", np.repeat(w, counts), np.repeat(base, counts), grand)
    _assert_same_summary(summarise_groups("x", w, base, counts, grand), rows)


def _frame(n: int, seed: int, base: str) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "a": rng.choice(["x", "y", "z"], size=n, p=[0.5, 0.3, 0.2]),
            "b": pd.Categorical(rng.choice(["p", "q"], size=n, p=[0.7, 0.3])),
            "c": rng.integers(0, 4, size=n),
            "mode": rng.choice(["online", "paper", None], size=n, p=[0.6, 0.35, 0.05]),
        }
    )
    if base == "few":
        df["w"] = rng.choice([1.0, 1.5, 4.0], size=n)
    elif base == "many":
        df["w"] = rng.uniform(0.5, 3.0, size=n)
    return df


TARGETS = wt.Targets.from_dict(
    {
        "a": {"x": 0.3, "y": 0.3, "z": 0.4},
        "b": {"p": 0.5, "q": 0.5},
        "c": {"0": 0.2, "1": 0.3, "2": 0.3, "3": 0.2},
    }
)


def _adjusters() -> list:
    return [
        lambda d: wt.rake(d, TARGETS, tol=1e-12, population=1000.0),
        lambda d: wt.poststratify(d, TARGETS, margin="a"),
        lambda d: wt.calibrate(d, TARGETS, calfun="linear"),
        lambda d: wt.calibrate(d, TARGETS, calfun="logit", bounds=(0.2, 5.0)),
        # a second step: g is relative to the first step's starting weights
        lambda d: wt.rake(wt.poststratify(d, TARGETS, margin="b"), TARGETS, tol=1e-12),
    ]


@pytest.mark.parametrize("base", ["none", "few", "many"])
@pytest.mark.parametrize("which", range(5))
def test_adjuster_diagnostics_grouped_equal_rows(
    base: str, which: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    df = _frame(3000, 11 + which, base)
    design = wt.Design.from_frame(df, weights=None if base == "none" else "w")
    run = _adjusters()[which]
    grouped = run(design).diagnostics[-1]
    monkeypatch.setattr(_adjust, "_groups", lambda *args, **kwargs: None)
    rows = run(design).diagnostics[-1]
    _assert_same_summary(grouped.overall, rows.overall)
    assert (
        [m.group for m in grouped.by_mode]
        == [m.group for m in rows.by_mode]
        == ["online", "paper", "(missing)"]
    )
    for g, r in zip(grouped.by_mode, rows.by_mode, strict=True):
        _assert_same_summary(g, r)
    for g, r in zip(grouped.categories, rows.categories, strict=True):
        assert dataclasses.replace(g, achieved_share=0.0) == dataclasses.replace(r, achieved_share=0.0)
        assert g.achieved_share == pytest.approx(r.achieved_share, rel=1e-12, abs=1e-15)
    assert grouped.max_deviation == pytest.approx(rows.max_deviation, abs=1e-14)
