"""The scale of a numeric question (0 to 10, 0 to 100), read from its constraint.

Why from the constraint: XLSForm has no "scale" column; a form says what answers are allowed with a
constraint such as ``. >= 0 and . <= 10``, and its hint says what the ends mean ("from 0, no trust,
to 10, complete trust"). A mean is drawn and printed on that scale, so 6.2 reads as 6.2 out of 10,
not as a bar filling the chart because it is the largest value shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from survey.questionnaire.errors import ExpressionError
from survey.questionnaire.expressions import parse
from survey.questionnaire.model import Question

__all__ = ["Scale", "scale_of"]

_LOWER = {">=": True, ">": True, "<=": False, "<": False}
_MIRROR = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}


@dataclass(frozen=True)
class Scale:
    """The answers a numeric question allows: ``low`` to ``high``, and its hint in each language."""

    low: float
    high: float
    hints: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high, "hints": dict(self.hints)}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Scale | None:
        if not data:
            return None
        return cls(float(data["low"]), float(data["high"]), dict(data.get("hints") or {}))


def _bounds(node: Any, found: dict[bool, float]) -> None:
    """Collect ``. >= number`` style comparisons joined by ``and`` (either side may be the dot)."""
    if node[0] != "bin":
        return
    _, op, left, right = node
    if op == "and":
        _bounds(left, found)
        _bounds(right, found)
        return
    if op not in _LOWER:
        return
    if left == ("cur",) and right[0] == "num":
        found[_LOWER[op]] = float(right[1])
    elif right == ("cur",) and left[0] == "num":
        found[_LOWER[_MIRROR[op]]] = float(left[1])
    elif left == ("cur",) and right[0] == "neg" and right[1][0] == "num":
        found[_LOWER[op]] = -float(right[1][1])


def scale_of(question: Question) -> Scale | None:
    """The closed range a numeric question's constraint allows, or None when it gives no two ends."""
    if not question.type.is_numeric or not question.constraint:
        return None
    try:
        tree = parse(question.constraint).tree
    except ExpressionError:
        return None
    found: dict[bool, float] = {}
    _bounds(tree, found)
    if True not in found or False not in found or not found[True] < found[False]:
        return None
    return Scale(found[True], found[False], dict(question.hints))
