"""date, time, datetime and calculate rows: imported from XLSForm, validated and computed on the server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from survey.questionnaire.model import Questionnaire, QuestionType
from survey.questionnaire.validation import validate
from survey.questionnaire.xlsform import load_xlsform
from tests.questionnaire.test_xlsform_bugs import YES_NO, workbook


@pytest.fixture
def form(tmp_path: Path) -> Questionnaire:
    path = workbook(
        tmp_path,
        [
            ["type", "name", "label", "constraint", "calculation", "relevant"],
            ["date", "born", "Born?", ". < today()", "", ""],
            ["time", "wake", "Wake up?", "", "", ""],
            ["datetime", "seen", "Seen?", ". > '2020-01-01'", "", ""],
            ["select_multiple yn", "pick", "Pick", "", "", ""],
            ["calculate", "age_days", "", "", "today() - ${born}", ""],
            [
                "calculate",
                "label",
                "",
                "",
                "if(count-selected(${pick}) > 1, concat('both:', ${pick}), 'one')",
                "",
            ],
            ["calculate", "rounded", "", "", "round(${age_days} div 365.25, 1)", "${born} != ''"],
            ["integer", "check", "Check", ". = int(${rounded})", "", ""],
        ],
        YES_NO,
    )
    return load_xlsform(path).questionnaire


def test_types_and_calculations_are_imported(form: Questionnaire) -> None:
    assert [q.type for q in form.questions[:3]] == [
        QuestionType.DATE,
        QuestionType.TIME,
        QuestionType.DATETIME,
    ]
    assert form.question("age_days").calculation == "today() - ${born}"
    assert Questionnaire.from_dict(form.to_dict()) == form


def test_dates_and_times_are_stored_as_iso_text(form: Questionnaire) -> None:
    result = validate(form, {"born": "1990-06-15", "wake": "07:30", "seen": "2024-05-31T14:30"}, "en")
    assert result.ok, result.errors
    assert (result.answers["born"], result.answers["wake"], result.answers["seen"]) == (
        "1990-06-15",
        "07:30",
        "2024-05-31T14:30",
    )


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("born", "1990-02-30", "date"),
        ("born", "15/06/1990", "date"),
        ("born", 19900615, "date"),
        ("wake", "25:00", "time"),
        ("wake", "7h30", "time"),
        ("seen", "2024-05-31", "datetime"),
        ("seen", "2024-13-01T10:00", "datetime"),
    ],
)
def test_impossible_dates_and_times_are_refused_in_the_respondents_language(
    form: Questionnaire, name: str, value: object, code: str
) -> None:
    errors = validate(form, {name: value}, "nl").errors
    assert [(e.question, e.code) for e in errors] == [(name, code)]
    assert errors[0].message.startswith("Geef")


def test_date_constraints_compare_dates(form: Questionnaire) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    errors = validate(form, {"born": tomorrow, "seen": "2019-12-31T23:00"}, "en").errors
    assert [(e.question, e.code) for e in errors] == [("born", "constraint"), ("seen", "constraint")]


def test_calculations_are_computed_on_the_server_whatever_was_sent(form: Questionnaire) -> None:
    born = (dt.date.today() - dt.timedelta(days=3653)).isoformat()
    result = validate(form, {"born": born, "pick": ["yes", "no"], "label": "forged", "check": "10"}, "en")
    assert result.ok, result.errors
    assert result.answers["age_days"] == "3653"
    assert result.answers["label"] == "both:yes no"
    assert result.answers["rounded"] == "10"


def test_a_calculation_that_is_not_relevant_is_not_stored(form: Questionnaire) -> None:
    result = validate(form, {"pick": ["yes"]}, "en")
    assert result.answers["label"] == "one"
    assert "rounded" not in result.answers
