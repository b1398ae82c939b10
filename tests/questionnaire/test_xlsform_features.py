"""XLSForm features beyond the basic types: range, required as an expression, messages per language."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.questionnaire.errors import FormError
from survey.questionnaire.model import Questionnaire, QuestionType
from survey.questionnaire.validation import validate
from survey.questionnaire.xlsform import load_xlsform
from tests.questionnaire.test_xlsform_bugs import YES_NO, workbook


@pytest.fixture
def form(tmp_path: Path) -> Questionnaire:
    path = workbook(
        tmp_path,
        [
            ["type", "name", "label::English (en)", "label::Français (fr)", "parameters", "required",
             "required_message::English (en)", "required_message::Français (fr)", "constraint",
             "constraint_message::English (en)", "constraint_message::Français (fr)"],
            ["range", "score", "Score", "Note", "start=0 end=10 step=2", "yes", "", "", "", "", ""],
            ["range", "height", "Height", "Taille", "start=0.5 end=2.5 step=0.5", "", "", "", ". != 1", "Not 1", "Pas 1"],
            ["select_one yn", "owner", "Owner?", "Propriétaire ?", "", "", "", "", "", "", ""],
            ["integer", "cars", "Cars?", "Voitures ?", "", "${owner} = 'yes'", "Say how many", "Dites combien",
             "", "", ""],
        ],
        YES_NO,
    )  # fmt: skip
    return load_xlsform(path).questionnaire


def test_range_is_a_bounded_number(form: Questionnaire) -> None:
    score, height = form.question("score"), form.question("height")
    assert (score.type, height.type) == (QuestionType.INTEGER, QuestionType.DECIMAL)
    assert validate(form, {"score": "4", "height": "2"}, "en").ok
    codes = {e.question: e.code for e in validate(form, {"score": "3", "height": "3"}, "en").errors}
    assert codes == {"score": "constraint", "height": "constraint"}
    codes = {e.question: e.code for e in validate(form, {"score": "12", "height": "1"}, "en").errors}
    assert codes == {"score": "constraint", "height": "constraint"}


def test_range_is_announced_as_a_number_input(tmp_path: Path) -> None:
    path = workbook(tmp_path, [["type", "name", "label", "parameters"], ["range", "r", "R", "start=1 end=5"]])
    (warning,) = load_xlsform(path).warnings
    assert (warning.row, warning.column) == (2, "type")
    assert warning.message == "range 'r' is asked as a number from 1 to 5, not a slider"


def test_required_as_an_expression(form: Questionnaire) -> None:
    assert form.question("cars").required_when == "${owner} = 'yes'"
    assert Questionnaire.from_dict(form.to_dict()) == form
    errors = validate(form, {"score": "2", "owner": "yes"}, "fr").errors
    assert [(e.question, e.code, e.message) for e in errors] == [("cars", "required", "Dites combien")]
    assert validate(form, {"score": "2", "owner": "no"}, "fr").ok


def test_messages_are_per_language(form: Questionnaire) -> None:
    (error,) = validate(form, {"score": "2", "height": "1"}, "fr").errors
    assert error.message == "Pas 1"
    (error,) = validate(form, {"score": "2", "height": "1"}, "en").errors
    assert error.message == "Not 1"


def test_the_same_name_in_two_groups_is_refused_as_not_supported(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        [
            ["type", "name", "label"],
            ["begin group", "a", "A"],
            ["text", "x", "X"],
            ["end group", "", ""],
            ["begin group", "b", "B"],
            ["text", "x", "X again"],
            ["end group", "", ""],
        ],
    )
    with pytest.raises(FormError) as caught:
        load_xlsform(path)
    (issue,) = caught.value.issues
    assert (issue.row, issue.column) == (6, "name")
    assert "already used on row 3" in issue.message and "not supported" in issue.message


def test_acknowledge_hidden_and_defaults(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        [
            ["type", "name", "label", "default"],
            ["acknowledge", "consent", "I have read the notice", ""],
            ["hidden", "wave", "", "spring 2024"],
            ["select_one yn", "owner", "Owner?", "no"],
            ["integer", "cars", "Cars?", "${owner}"],
            ["hidden", "nothing", "", ""],
        ],
        YES_NO,
    )
    result = load_xlsform(path)
    q = result.questionnaire
    consent = q.question("consent")
    assert consent.type is QuestionType.SELECT_ONE and [c.name for c in q.choices_for(consent)] == ["OK"]
    assert (
        q.question("wave").type is QuestionType.CALCULATE
        and q.question("wave").calculation == "'spring 2024'"
    )
    assert q.question("owner").default == "no" and q.question("cars").default is None
    assert [(w.row, w.column) for w in result.warnings] == [(5, "default"), (6, "type")]
    answers = validate(q, {"consent": "OK", "owner": "yes"}, "en").answers
    assert answers == {"consent": "OK", "wave": "spring 2024", "owner": "yes"}
    assert Questionnaire.from_dict(q.to_dict()) == q
