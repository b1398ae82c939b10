"""The `WeightingError` family: one-line, user-facing messages that name the culprit.

Why a family: the CLI and the web layer translate every weighting failure into one line
(exit code 2, HTTP 422) by catching the base class, while tests and callers can still
distinguish a bad target file from a non-converging rake.
"""

from __future__ import annotations

__all__ = [
    "BoundsError",
    "ConvergenceError",
    "DesignError",
    "EmptyCellError",
    "InfeasibleError",
    "MissingValueError",
    "NonFiniteError",
    "TargetsError",
    "VariableError",
    "WeightingError",
]


class WeightingError(ValueError):
    """Base class: anything wrong with the data, the targets or the requested adjustment.

    The message is English, as the library has no language of its own. ``code`` and ``values``
    carry what it says, so a caller that speaks French or Dutch can say the same thing in its
    reader's language; an error without a code (``""``) can only be shown as it is.
    """

    def __init__(self, message: str, *, code: str = "", **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


class VariableError(WeightingError):
    """A named variable (weighting, outcome, strata, cluster, by) is absent or unusable."""


class TargetsError(WeightingError):
    """Targets are malformed or do not match the sample (category absent on one side, bad shares)."""


class EmptyCellError(TargetsError):
    """A target cell has no respondent, so no weight can reach it."""


class MissingValueError(WeightingError):
    """A weighting or design variable has missing values and no treatment was requested."""


class ConvergenceError(WeightingError):
    """An iterative adjustment stopped at its iteration cap without meeting its tolerance."""


class NonFiniteError(ConvergenceError):
    """A computation produced an infinite or undefined number (overflow, 0/0).

    Why a class of its own: such a number is never a result. Every adjuster, replicate and
    estimate checks for it and raises this instead of returning NaN or claiming convergence.
    """


class InfeasibleError(TargetsError, ConvergenceError):
    """No positive (or, with bounds, bounded) weights can meet every margin at once.

    The message names the margins and categories in conflict (see `weighting._feasibility`).
    It is a ConvergenceError too, as iterating could never have converged.
    """


class BoundsError(WeightingError):
    """Calibration bounds cannot be met (or are malformed)."""


class DesignError(WeightingError):
    """The design itself is unusable (non-positive weights, a lonely PSU, too many replicates...)."""
