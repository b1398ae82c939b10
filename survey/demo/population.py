"""Build the demo population table (approximate, for demonstration only).

The figures are plausible, not official: adult residents of the Brussels-Capital Region by
municipality × sex × age group × education × nationality group, built from rough published
orders of magnitude. Replace ``data/population_brussels_demo.csv`` with official statistics
(Statbel / IBSA) in the same format for real work: one column per characteristic, plus ``count``.

Regenerate with ``python -m survey.demo.population``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from survey.demo._places import AGE_GROUPS, EDUCATION, MUNICIPALITIES, NATIONALITY, SEXES

POPULATION_CSV = Path(__file__).parent / "data" / "population_brussels_demo.csv"
ADULT_SHARE = 0.77

_AGE = {
    "central": (0.11, 0.27, 0.21, 0.15, 0.12, 0.14),
    "working": (0.12, 0.20, 0.20, 0.17, 0.14, 0.17),
    "affluent": (0.09, 0.15, 0.17, 0.17, 0.16, 0.26),
}
_EDUCATION = {  # low, medium, high for ages 25-64; the young and the old are adjusted below
    "central": (0.20, 0.27, 0.53),
    "working": (0.38, 0.35, 0.27),
    "affluent": (0.14, 0.28, 0.58),
}
_NATIONALITY = {
    "central": (0.55, 0.33, 0.12),
    "working": (0.66, 0.14, 0.20),
    "affluent": (0.68, 0.24, 0.08),
}


def _education_mix(profile: str, age: str) -> np.ndarray:
    low, medium, high = _EDUCATION[profile]
    if age == "18-24":
        low, medium, high = low * 0.8, medium * 1.5, high * 0.45
    elif age == "65+":
        low, medium, high = low * 1.6, medium * 1.0, high * 0.6
    mix = np.array([low, medium, high])
    return mix / mix.sum()


def build_population_table() -> pd.DataFrame:
    """Deterministic table: the same numbers every time, so tests can compare against the CSV."""
    rows = []
    for code, (_fr, _nl, total, profile) in MUNICIPALITIES.items():
        adults = total * ADULT_SHARE
        for sex, sex_share in zip(SEXES, (0.51, 0.49), strict=True):
            for age, age_share in zip(AGE_GROUPS, _AGE[profile], strict=True):
                education = _education_mix(profile, age)
                for edu, edu_share in zip(EDUCATION, education, strict=True):
                    nationality = np.array(_NATIONALITY[profile])
                    if edu == "high":
                        nationality = nationality * np.array([0.9, 1.5, 0.7])
                    nationality = nationality / nationality.sum()
                    for nat, nat_share in zip(NATIONALITY, nationality, strict=True):
                        count = adults * sex_share * age_share * edu_share * nat_share
                        rows.append((code, sex, age, edu, nat, round(count)))
    return pd.DataFrame(
        rows, columns=["municipality", "sex", "age_group", "education", "nationality_group", "count"]
    )


def load_population_table(path: Path = POPULATION_CSV) -> pd.DataFrame:
    """Read a population table; categorical columns as text, ``count`` as a number."""
    frame = pd.read_csv(path, dtype=str)
    frame["count"] = pd.to_numeric(frame["count"])
    return frame


if __name__ == "__main__":
    build_population_table().to_csv(POPULATION_CSV, index=False)
    print(f"wrote {POPULATION_CSV}")
