"""Small run of scripts/simulate_coverage.py: raking must repair a biased mixed-mode sample.

Why: the oracle tests prove the arithmetic; this proves the statistical claim the platform
makes to its users: after raking an online sample that over-represents the young and the
highly educated (plus a small field sample biased the other way) to population margins,
the estimates are close to unbiased and the 95% CIs cover the truth about 95% of the time,
whereas the unweighted ones do not. 200 replications with a fixed seed keep it deterministic
and under ~10 s; the full run (1000+ replications) is the script itself.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "simulate_coverage.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("simulate_coverage", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["simulate_coverage"] = module
    spec.loader.exec_module(module)
    return module


sim = _load()


@pytest.fixture(scope="module")
def report() -> dict:
    """200 replications on a 200k population (the script's defaults otherwise)."""
    return sim.simulate(sim.Config(replications=200))


@pytest.mark.slow
@pytest.mark.parametrize("outcome", ["score", "support"])
def test_raked_intervals_cover_about_95_percent(report: dict, outcome: str):
    """Calibration-aware 95% CIs of raked estimates cover the truth 90-99% of the time."""
    coverage = report["results"][f"raked/{outcome}"]["coverage"]
    assert 0.90 <= coverage <= 0.99, f"raked {outcome}: coverage {coverage:.3f}"


@pytest.mark.slow
@pytest.mark.parametrize("outcome", ["score", "support"])
def test_unweighted_estimates_are_biased_and_raking_removes_most_of_it(report: dict, outcome: str):
    """The unweighted mean is off by many SEs; raking cuts the bias at least fivefold."""
    unweighted = report["results"][f"unweighted/{outcome}"]
    raked = report["results"][f"raked/{outcome}"]
    assert unweighted["coverage"] < 0.5
    assert raked["abs_bias"] * 5 < unweighted["abs_bias"]
    assert raked["rmse"] < unweighted["rmse"]


@pytest.mark.slow
def test_raked_se_tracks_the_spread_of_the_estimates(report: dict):
    """The mean reported SE is within 20% of the empirical SD across samples (not fixed-weight SE)."""
    for outcome in ("score", "support"):
        s = report["results"][f"raked/{outcome}"]
        assert 0.8 < s["mean_se"] / s["empirical_sd"] < 1.2, (outcome, s)


def test_samples_are_biased_the_way_the_platform_sees_them():
    """Online over-represents the young and highly educated, field the opposite, ~15% field."""
    rng = np.random.default_rng(1)
    pop = sim.make_population(50_000, rng)
    idx, mode = sim.draw_sample(pop, 1003, 148, rng)
    assert idx.size == np.unique(idx).size == 1151
    online, field = idx[mode == 1], idx[mode == 0]
    assert abs(field.size / idx.size - 0.13) < 0.03
    assert pop.age[online].mean() < pop.age.mean() < pop.age[field].mean()
    high = pop.education == 2
    assert high[field].mean() < high.mean() < high[online].mean()
    shares = pop.target_shares()
    assert np.allclose(shares.groupby("variable")["share"].sum(), 1.0)


def test_cli_help_runs(capsys: pytest.CaptureFixture[str]):
    """The script has a working --help (argparse)."""
    with pytest.raises(SystemExit) as exc:
        sim.main(["--help"])
    assert exc.value.code == 0
    assert "--replications" in capsys.readouterr().out
