"""Survey weighting for the consultation platform: post-stratify, rake, calibrate, trim, estimate.

A pure library (numpy inside, pandas/polars at the edge). Adjusters take an immutable
`Design` and return a new one recording the step and its `Diagnostics`; `estimate` reads
those records so standard errors are calibration-aware by default, matching R `survey`.

Examples:
    >>> import pandas as pd
    >>> from weighting import Design, Targets, rake, estimate
    >>> df = pd.DataFrame(
    ...     {"sex": ["F", "M", "M", "F"], "age": ["y", "y", "o", "o"], "q": ["a", "b", "a", "a"]}
    ... )
    >>> t = Targets.from_dict({"sex": {"F": 0.5, "M": 0.5}, "age": {"y": 0.4, "o": 0.6}})
    >>> d = rake(Design.from_frame(df), t)
    >>> round(float(d.weights.sum()), 6)
    4.0
    >>> estimate(d, ["q"]).to_frame().columns.tolist()
    ['variable', 'category', 'estimate', 'se', 'ci_low', 'ci_high', 'n']
"""

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from weighting.errors import (
    BoundsError,
    ConvergenceError,
    DesignError,
    EmptyCellError,
    InfeasibleError,
    MissingValueError,
    NonFiniteError,
    TargetsError,
    VariableError,
    WeightingError,
)

if TYPE_CHECKING:
    from weighting._independence import IndependenceTest, RaoScottStatistic, rao_scott_test
    from weighting.calibrate import Calfun, calibrate
    from weighting.design import Design, Step
    from weighting.diagnostics import (
        CategoryFit,
        Collapse,
        Diagnostics,
        MissingTreatment,
        Note,
        WeightSummary,
        kish_deff,
    )
    from weighting.estimate import Estimate, EstimateTable, estimate
    from weighting.gweights import GWeights, g_values, g_weights
    from weighting.poststratify import poststratify
    from weighting.rake import rake
    from weighting.replicates import ReplicateFailure, ReplicateKind, ReplicateWeights, replicate_weights
    from weighting.supplied import ReplicateType, recalibrate_replicates, supplied_replicates
    from weighting.targets import Margin, Targets
    from weighting.trim import trim
    from weighting.variance import residualise, taylor_covariance, taylor_variance

# Loaded on first use (only the errors are pure Python): estimation, variance, replicates and the
# independence test are a third of the package's import time, which `survey weight` (weights only)
# would pay on every run; and a web server that only names WeightingError (to answer it with a 422)
# would load numpy and polars in every worker at start-up, for requests that never weight anything.
_LAZY = {
    "Calfun": "calibrate",
    "calibrate": "calibrate",
    **dict.fromkeys(("Design", "Step"), "design"),
    **dict.fromkeys(
        ("CategoryFit", "Collapse", "Diagnostics", "MissingTreatment", "Note", "WeightSummary", "kish_deff"),
        "diagnostics",
    ),
    **dict.fromkeys(("GWeights", "g_values", "g_weights"), "gweights"),
    "poststratify": "poststratify",
    "rake": "rake",
    **dict.fromkeys(("Margin", "Targets"), "targets"),
    **dict.fromkeys(("IndependenceTest", "RaoScottStatistic", "rao_scott_test"), "_independence"),
    **dict.fromkeys(("Estimate", "EstimateTable", "estimate"), "estimate"),
    **dict.fromkeys(
        ("ReplicateFailure", "ReplicateKind", "ReplicateWeights", "replicate_weights"), "replicates"
    ),
    **dict.fromkeys(("ReplicateType", "recalibrate_replicates", "supplied_replicates"), "supplied"),
    "trim": "trim",
    **dict.fromkeys(("residualise", "taylor_covariance", "taylor_variance"), "variance"),
}


def __getattr__(name: str) -> Any:
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{where}"), name)
    globals()[name] = value
    return value


class _Package(ModuleType):
    """The package, whose ``estimate`` and ``trim`` stay the functions once their submodules load.

    Why: importing a submodule sets it as an attribute of its package, so ``weighting.trim`` would
    become the module ``weighting/trim.py`` after a ``from weighting.trim import ...`` anywhere.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ModuleType) and _LAZY.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "BoundsError",
    "Calfun",
    "CategoryFit",
    "Collapse",
    "ConvergenceError",
    "Design",
    "DesignError",
    "Diagnostics",
    "EmptyCellError",
    "Estimate",
    "EstimateTable",
    "GWeights",
    "IndependenceTest",
    "InfeasibleError",
    "Margin",
    "MissingTreatment",
    "MissingValueError",
    "NonFiniteError",
    "Note",
    "RaoScottStatistic",
    "ReplicateFailure",
    "ReplicateKind",
    "ReplicateType",
    "ReplicateWeights",
    "Step",
    "Targets",
    "TargetsError",
    "VariableError",
    "WeightSummary",
    "WeightingError",
    "calibrate",
    "estimate",
    "g_values",
    "g_weights",
    "kish_deff",
    "poststratify",
    "rake",
    "rao_scott_test",
    "recalibrate_replicates",
    "replicate_weights",
    "residualise",
    "supplied_replicates",
    "taylor_covariance",
    "taylor_variance",
    "trim",
]
