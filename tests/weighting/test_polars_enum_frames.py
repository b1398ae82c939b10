"""A polars frame with Enum columns (what `survey weight` builds) weights as the pandas frame does.

Why: the command line hands the library polars Enum columns so that pandas is never imported; the
library reads their dictionary codes directly, categories without respondents included, as it reads
a pandas Categorical.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

from weighting import Design, Targets, calibrate, poststratify, rake
from weighting._frames import raw_codes


def _frames(n: int = 2000, seed: int = 3) -> tuple[pd.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    sexes, ages = ["F", "M"], ["18-34", "35-64", "65+", "unused"]
    sex = rng.integers(0, 2, n)
    age = rng.integers(0, 3, n)
    age[rng.random(n) < 0.01] = -1  # missing
    pandas = pd.DataFrame(
        {
            "sex": pd.Categorical.from_codes(sex, categories=sexes),
            "age": pd.Categorical.from_codes(age, categories=ages),
        }
    )
    polars = pl.DataFrame(
        {
            "sex": pl.Series(sexes, dtype=pl.Enum(sexes)).gather(sex),
            "age": pl.Series(ages, dtype=pl.Enum(ages)).gather(pl.Series(age).set(pl.Series(age) < 0, None)),
        }
    )
    return pandas, polars


TARGETS = Targets.from_dict(
    {"sex": {"F": 0.52, "M": 0.48}, "age": {"18-34": 0.3, "35-64": 0.45, "65+": 0.25}}
)


def test_enum_codes_are_read_like_categorical_codes():
    pandas, polars = _frames()
    for name in ("sex", "age"):
        codes, labels = raw_codes(polars, name)
        expected, expected_labels = raw_codes(pandas, name)
        assert labels == expected_labels
        assert codes.tolist() == np.asarray(expected).tolist()
        assert codes.dtype.kind == "i"  # signed: -1 is missing


@pytest.mark.parametrize("adjust", ["rake", "poststratify", "linear"])
def test_weights_from_enum_columns_equal_those_from_categoricals(adjust):
    pandas, polars = _frames()
    weights = []
    for frame in (pandas, polars):
        design = Design.from_frame(frame, mode_column=None)
        if adjust == "rake":
            design = rake(design, TARGETS, missing="category")
        elif adjust == "poststratify":
            design = poststratify(design, TARGETS.select(["sex"]), population=1000.0)
        else:
            design = calibrate(design, TARGETS, calfun="linear", missing="category")
        weights.append(design.weights)
    np.testing.assert_array_equal(weights[0], weights[1])
