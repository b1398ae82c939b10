"""Shared fixtures for the weighting tests: a small, reproducible mixed-mode sample."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from weighting import Targets

GOLDEN = Path(__file__).parent / "golden"
# What make_golden_designs.R writes; make_golden.R and make_golden_breakdowns.R write the rest of
# golden/ (make_golden_g.R's output has its own test).
DESIGNS_SCRIPT_WRITES = (
    "golden_designs.json",
    "api_clus1_reps.csv",
    "api_clus2.csv",
    "mu284.csv",
    "api_lonely.csv",
)
# Where regenerated golden folders are kept between runs: in the user's cache, beside uv's and the one
# scripts/test.sh gives mypy, so a fresh clone (as CI makes for every run) finds them too; kept under
# .venv it ran R again on every CI run. The key (the scripts' bytes, R's and its survey package's
# versions) names what a folder holds whatever the checkout.
REGENERATED_CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "civic-consult" / "golden-regenerated"
)


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


Regenerate = Callable[..., Path]


@pytest.fixture(scope="session")
def regenerate_golden(tmp_path_factory: pytest.TempPathFactory) -> Regenerate:
    """``regenerate_golden(*scripts)``: a folder holding what those R scripts in golden/ write today.

    Why a cache: running the scripts costs about 20 s of CPU, every run, for output that only changes
    with the scripts or with R and its survey package (the scripts fix their RNG kind and seed and read
    nothing but what they wrote). The folder is kept under ``.venv`` keyed by the scripts' bytes and
    those two versions, so any change to one of them runs R again; the tests still compare every
    regenerated file with the stored one, so an edited golden file fails as before. Each oracle file
    asks only for its own scripts: xdist runs them on two workers at once, and each used to run all
    of them.
    """
    if shutil.which("Rscript") is None:
        pytest.fail(
            "Rscript is missing: scripts/test.sh installs r-base-core, r-cran-survey and r-cran-mass (the R oracle)"
        )
    probe = subprocess.run(
        ["Rscript", "-e", 'library(MASS); cat(R.version.string, as.character(packageVersion("survey")), sep = "|")'],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if probe.returncode != 0:
        pytest.fail(
            "R is installed without its survey or MASS package (calibrate() needs MASS): install r-cran-survey"
            f" and r-cran-mass (scripts/test.sh does). R said: {probe.stderr.strip()[-300:]}"
        )

    def regenerate(*scripts: str) -> Path:
        key = hashlib.sha256(probe.stdout.encode())
        for script in scripts:
            key.update(script.encode() + (GOLDEN / script).read_bytes())
        cached = REGENERATED_CACHE / key.hexdigest()[:20]
        REGENERATED_CACHE.mkdir(parents=True, exist_ok=True)
        with (REGENERATED_CACHE / f".{cached.name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # a second run asking for the same scripts waits for this one
            if cached.is_dir():
                return cached
            fresh = tmp_path_factory.mktemp("golden")
            for script in scripts:
                subprocess.run(
                    ["Rscript", str(GOLDEN / script), str(fresh)],
                    capture_output=True,
                    timeout=600,
                    check=True,
                )
            staging = REGENERATED_CACHE / f".{cached.name}.{os.getpid()}"
            shutil.copytree(fresh, staging)
            staging.rename(cached)
            return fresh

    return regenerate
