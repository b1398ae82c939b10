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
from weighting.estimate import Estimate, EstimateTable, estimate
from weighting.gweights import GWeights, g_values, g_weights
from weighting.poststratify import poststratify
from weighting.rake import rake
from weighting.replicates import ReplicateFailure, ReplicateKind, ReplicateWeights, replicate_weights
from weighting.supplied import ReplicateType, recalibrate_replicates, supplied_replicates
from weighting.targets import Margin, Targets
from weighting.trim import trim
from weighting.variance import residualise, taylor_covariance, taylor_variance

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
