"""Value axes for the charts: round tick values ("nice numbers") and where a value falls.

Why our own few lines: a reader checks a bar against the axis, so ticks must be round (0, 20, 40 %,
never 0, 17.7, 35.4 %) and a scale the questionnaire fixes (0 to 10) must be the axis, not widened
to a rounder one. The step is the smallest of 1, 2, 2.5 or 5 times a power of ten giving at most
about ``count`` intervals (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Axis", "nice_step", "ticks", "value_axis"]

_NICE = (1.0, 2.0, 2.5, 5.0, 10.0)
_NICE_WHOLE = (1.0, 2.0, 5.0, 10.0)  # 2.5 respondents is not a tick
_EPS = 1e-9


def nice_step(span: float, count: int = 5, *, whole: bool = False) -> float:
    """The round step cutting ``span`` into at most about ``count`` intervals."""
    raw = span / max(count, 1)
    if not (raw > 0 and math.isfinite(raw)):
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(raw))
    if whole and magnitude < 1:
        return 1.0
    steps = _NICE_WHOLE if whole and magnitude < 10 else _NICE
    return next(m * magnitude for m in steps if m * magnitude >= raw * (1 - _EPS))


def ticks(
    low: float, high: float, count: int = 5, *, extend: bool = True, whole: bool = False
) -> list[float]:
    """Round tick values over [low, high].

    ``extend`` widens the range to the next round values (a share axis up to 53 % ends at 60 %);
    without it the ends are kept (a 0-to-7 scale ends at 7, and 7 is a tick).
    """
    if high < low:
        low, high = high, low
    if high == low:
        high = low + 1.0
    step = nice_step(high - low, count, whole=whole)
    if extend:
        first, last = math.floor(low / step + _EPS) * step, math.ceil(high / step - _EPS) * step
    else:
        first, last = math.ceil(low / step - _EPS) * step, math.floor(high / step + _EPS) * step
    values = [round(first + i * step, 10) for i in range(round((last - first) / step) + 1)]
    if not extend:
        values = _with_ends(values, low, high, step)
    return values


def _with_ends(values: list[float], low: float, high: float, step: float) -> list[float]:
    """A fixed scale shows both its ends; an end too close to a round tick replaces it."""
    if values[0] - low > _EPS:
        values = [low, *values[1:]] if values[0] - low <= step / 2 else [low, *values]
    if high - values[-1] > _EPS:
        values = [*values[:-1], high] if high - values[-1] <= step / 2 else [*values, high]
    return values


@dataclass(frozen=True)
class Axis:
    """A value axis: its range and its tick values."""

    low: float
    high: float
    ticks: tuple[float, ...]

    def position(self, value: float, start: float, end: float) -> float:
        """Where ``value`` falls between the pixel positions ``start`` (low) and ``end`` (high)."""
        return start + (value - self.low) / (self.high - self.low) * (end - start)


def value_axis(
    values: Iterable[float], *, scale: tuple[float, float] | None = None, whole: bool = False, count: int = 5
) -> Axis:
    """The axis for these values: the question's ``scale`` if it has one, else zero to a round end.

    Bars start at zero, so zero is always on an axis without a scale. A value outside the scale
    (an interval reaching past it) widens the axis rather than being cut.
    """
    finite = [v for v in values if math.isfinite(v)]
    if scale is not None:
        low, high = min([scale[0], *finite]), max([scale[1], *finite])
        if (low, high) == scale:
            return Axis(low, high, tuple(ticks(low, high, count, extend=False, whole=whole)))
        marks = ticks(low, high, count, whole=whole)
        return Axis(marks[0], marks[-1], tuple(marks))
    low, high = min([0.0, *finite]), max([0.0, *finite])
    marks = ticks(low, high, count, whole=whole)
    return Axis(marks[0], marks[-1], tuple(marks))
