"""Chart axes: round ticks, fixed question scales, and the scale read from a constraint."""

from __future__ import annotations

import pytest

from survey.analyst.axes import nice_step, ticks, value_axis
from survey.analyst.scales import Scale, scale_of
from survey.questionnaire.model import Question, QuestionType


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 0.53, [0, 0.2, 0.4, 0.6]),
        (0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0, 1151, [0, 250, 500, 750, 1000, 1250]),
        (0, 37, [0, 10, 20, 30, 40]),
        (0.31, 4.7, [0, 1, 2, 3, 4, 5]),
        (-0.12, 0.3, [-0.2, -0.1, 0, 0.1, 0.2, 0.3]),
        (1.42, 1.58, [1.4, 1.45, 1.5, 1.55, 1.6]),
    ],
)
def test_ticks_are_round_and_cover_the_values(low: float, high: float, expected: list[float]) -> None:
    found = ticks(low, high)
    assert found == pytest.approx(expected)
    assert found[0] <= low and found[-1] >= high


def test_a_fixed_scale_keeps_its_ends() -> None:
    assert ticks(0, 10, extend=False) == [0, 2, 4, 6, 8, 10]
    assert ticks(1, 5, extend=False) == [1, 2, 3, 4, 5]
    assert ticks(0, 7, extend=False) == [0, 2, 4, 7]  # 6 gives way to the scale's end
    assert ticks(0, 100, extend=False) == [0, 20, 40, 60, 80, 100]


def test_whole_ticks_for_counts() -> None:
    assert nice_step(3, 4, whole=True) == 1
    assert ticks(0, 3, 4, whole=True) == [0, 1, 2, 3]
    assert nice_step(10, 4) == 2.5 and nice_step(10, 4, whole=True) == 5


def test_means_sit_on_the_question_scale_not_on_their_own_maximum() -> None:
    axis = value_axis([6.2, 5.8, 6.6], scale=(0, 10))
    assert (axis.low, axis.high) == (0, 10)
    assert axis.position(6.2, 0, 100) == pytest.approx(62)
    unscaled = value_axis([6.2, 5.8, 6.6])
    assert (unscaled.low, unscaled.high) == (0, 8)  # zero to a round end, never the bar's own maximum
    wider = value_axis([9.8, 9.6, 10.2], scale=(0, 10))  # an interval past the scale widens the axis
    assert wider.low == 0 and wider.high >= 10.2


def _question(constraint: str | None, kind: QuestionType = QuestionType.INTEGER) -> Question:
    return Question("trust", kind, {"en": "Trust"}, hints={"en": "From 0 (none) to 10 (complete)"},
                    constraint=constraint)  # fmt: skip


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        (". >= 0 and . <= 10", (0, 10)),
        (". <= 100 and . >= 0", (0, 100)),
        ("0 <= . and 10 >= .", (0, 10)),
        (". > -5 and . < 5", (-5, 5)),
        (". >= 1 and . <= 5 and . != 3", (1, 5)),
        (". >= 0", None),
        (". >= 0 or . <= 10", None),
        (". >= 10 and . <= 0", None),
        ("regex(., '^[0-9]+$')", None),
        (None, None),
    ],
)
def test_scale_from_the_constraint(constraint: str | None, expected: tuple[float, float] | None) -> None:
    found = scale_of(_question(constraint))
    assert (None if found is None else (found.low, found.high)) == expected
    if found is not None:
        assert found.hints == {"en": "From 0 (none) to 10 (complete)"}
        assert Scale.from_dict(found.to_dict()) == found


def test_only_numeric_questions_have_a_scale() -> None:
    assert scale_of(_question(". >= 0 and . <= 10", QuestionType.TEXT)) is None
