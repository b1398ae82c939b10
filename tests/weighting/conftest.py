"""Shared fixtures for the weighting tests: a small, reproducible mixed-mode sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from weighting import Targets


def make_sample(n: int = 300, seed: int = 7) -> pd.DataFrame:
    """Respondents with sex, age_group, region, mode, a numeric and a text outcome, base weights."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], n, p=[0.62, 0.38]),
            "age_group": rng.choice(["18-34", "35-64", "65+"], n, p=[0.2, 0.5, 0.3]),
            "region": rng.choice(["north", "centre", "south"], n),
            "mode": rng.choice(["online", "field", "paper"], n, p=[0.8, 0.15, 0.05]),
            "q_trust": rng.choice(["low", "mid", "high"], n),
            "base": rng.uniform(0.5, 2.0, n),
            "stratum": rng.choice(["s1", "s2"], n),
            "psu": rng.integers(0, 30, n),
        }
    )
    frame["score"] = rng.normal(size=n) + (frame["sex"] == "F") * 0.8 + (frame["age_group"] == "65+") * 0.5
    return frame


@pytest.fixture
def sample() -> pd.DataFrame:
    return make_sample()


@pytest.fixture
def targets() -> Targets:
    return Targets.from_dict(
        {
            "sex": {"F": 0.51, "M": 0.49},
            "age_group": {"18-34": 0.3, "35-64": 0.45, "65+": 0.25},
            "region": {"north": 0.4, "centre": 0.35, "south": 0.25},
        }
    )
