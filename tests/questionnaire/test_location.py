"""geopoint rows: a position is personal data, collected only when the form is imported with --allow-location."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from survey.questionnaire.errors import FormError
from survey.questionnaire.model import QuestionType
from survey.questionnaire.validation import validate
from survey.questionnaire.xlsform import load_xlsform
from tests.questionnaire.test_xlsform_bugs import workbook

ROWS = [
    ["type", "name", "label"],
    ["text", "t", "T"],
    ["geopoint", "where", "Where are you?"],
    ["gps", "also", "Again?"],
]


def test_refused_without_the_explicit_flag_naming_each_row(tmp_path: Path) -> None:
    with pytest.raises(FormError) as caught:
        load_xlsform(workbook(tmp_path, ROWS))
    assert [(i.row, i.column) for i in caught.value.issues] == [(3, "type"), (4, "type")]
    assert all("--allow-location" in i.message and "not supported" in i.message for i in caught.value.issues)


def test_imported_as_a_personal_answer_with_the_flag(tmp_path: Path) -> None:
    q = load_xlsform(workbook(tmp_path, ROWS), allow_location=True).questionnaire
    where = q.question("where")
    assert where.type is QuestionType.GEOPOINT and where.type.is_personal
    assert q.question("also").type is QuestionType.GEOPOINT
    assert not QuestionType.TEXT.is_personal


def test_positions_are_checked_and_stored_as_odk_text(tmp_path: Path) -> None:
    q = load_xlsform(workbook(tmp_path, ROWS), allow_location=True).questionnaire
    result = validate(q, {"where": "50.8466 4.3528", "also": "50,85  4,35 56 12.5"}, "en")
    assert result.ok, result.errors
    assert result.answers == {"where": "50.8466 4.3528", "also": "50.85 4.35 56 12.5"}
    for wrong in ("91 4", "50.8", "north south", "50 4 1 -3", "50 4 1 2 3"):
        (error,) = validate(q, {"where": wrong}, "fr").errors
        assert error.code == "geopoint" and error.message.startswith("Indiquez une position")


def test_the_command_line_takes_the_flag(tmp_path: Path) -> None:
    path = workbook(tmp_path, ROWS)
    refused = subprocess.run(
        [sys.executable, "-m", "survey", "form", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2 and "--allow-location" in refused.stderr
    accepted = subprocess.run(
        [sys.executable, "-m", "survey", "form", "validate", "--allow-location", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert accepted.returncode == 0, accepted.stderr
    assert "valid — 3 questions" in accepted.stdout
