"""Run the Examples blocks of the public weighting modules (docs that cannot rot)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "weighting",
    "weighting.calibrate",
    "weighting._independence",
    "weighting._joint",
    "weighting.design",
    "weighting.diagnostics",
    "weighting.estimate",
    "weighting.poststratify",
    "weighting.rake",
    "weighting.replicates",
    "weighting.supplied",
    "weighting._feasibility",
    "weighting.targets",
    "weighting.trim",
    "weighting.variance",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0
