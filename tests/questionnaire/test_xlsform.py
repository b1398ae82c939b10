"""XLSForm import: the demo form, real-world forms from pyxform's suite, and broken forms."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from survey.demo.form import FORM_XLSX, build_workbook
from survey.questionnaire.errors import FormError
from survey.questionnaire.model import Questionnaire, QuestionType
from survey.questionnaire.xlsform import load_xlsform

CORPUS = Path(__file__).resolve().parents[1] / "data" / "xlsforms"


def test_demo_form_imports_with_three_languages_easy_read_and_skip_logic() -> None:
    result = load_xlsform(FORM_XLSX)
    q = result.questionnaire
    assert result.warnings == ()
    assert q.languages == ("fr", "nl", "en") and q.easy_languages == ("fr", "nl", "en")
    assert [p.name for p in q.pages] == ["about_you", "merger", "competences", "trust", "your_opinion"]
    assert q.question("merge_why_not").type is QuestionType.SELECT_MULTIPLE
    assert q.question("merge_why_not_other").relevant == "selected(${merge_why_not}, 'other')"
    assert q.question("trust_region").constraint == ". >= 0 and . <= 10"
    assert len(q.choices["municipality"]) == 19
    assert q.question("merge_municipalities").label("fr", easy=True).startswith("Il faudrait")
    assert q.question("sex").label("nl", easy=True) == "U bent:"  # falls back to the normal label
    assert Questionnaire.from_dict(q.to_dict()) == q


def test_committed_demo_workbook_matches_its_generator(tmp_path: Path) -> None:
    rebuilt = load_xlsform(build_workbook(tmp_path / "rebuilt.xlsx")).questionnaire
    assert rebuilt.content_hash == load_xlsform(FORM_XLSX).questionnaire.content_hash


def _form(tmp_path: Path, survey: list[list[object]], choices: list[list[object]] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices is not None:
        choice_sheet = book.create_sheet("choices")
        for row in choices:
            choice_sheet.append(row)
    path = tmp_path / "form.xlsx"
    book.save(path)
    return path


HEADER = ["type", "name", "label", "relevant", "constraint"]
CHOICES = [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]


@pytest.mark.parametrize(
    ("rows", "choices", "expected"),
    [
        (
            [["datepicker", "when", "When?", "", ""]],
            CHOICES,
            "sheet 'survey', row 2, column 'type': unknown question type 'datepicker'",
        ),
        (
            [["select_one colours", "c", "Colour?", "", ""]],
            CHOICES,
            "row 2, column 'type': pyxform: List name not in choices sheet: colours",
        ),
        (
            [["integer", "age", "Age?", "", ". >= 0 and"]],
            CHOICES,
            "row 2, column 'constraint': invalid expression '. >= 0 and'",
        ),
        (
            [["integer", "age", "Age?", "", ""], ["text", "why", "Why?", "${agee} > 3", ""]],
            CHOICES,
            "row 3, column 'relevant': pyxform: On the 'survey' sheet, the 'relevant' value is invalid."
            " Reference variables must contain a name from the 'survey' sheet. Could not find the name 'agee'.",
        ),
        (
            [["integer", "age", "Age?", "", ""], ["text", "age", "Again?", "", ""]],
            CHOICES,
            "row 3, column 'name': pyxform: On the 'survey' sheet, the 'name' value 'age' is invalid.",
        ),
        (
            [["begin group", "g", "G", "", ""], ["text", "t", "T", "", ""]],
            CHOICES,
            "row 2, column 'type': pyxform: Unmatched 'begin_group'",
        ),
        (
            [["geopoint", "where", "Where?", "", ""]],
            CHOICES,
            "row 2, column 'type': type 'geopoint' is not supported: a position is personal data",
        ),
        (
            [["text", "bad name", "X", "", ""]],
            CHOICES,
            "row 2, column 'name': pyxform: On the 'survey' sheet, the 'name' value is invalid.",
        ),
        (
            [["text", "nolabel", "", "", ""]],
            CHOICES,
            "row 2, column 'label': question 'nolabel' has no label",
        ),
        (
            [["select_one yn", "q", "Q", "", ""]],
            [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "yes", "Again"]],
            "sheet 'choices', row 3, column 'name': pyxform: On the 'choices' sheet, the 'name' value is invalid.",
        ),
    ],
    ids=[
        "unknown-type",
        "missing-choices",
        "bad-expression",
        "unknown-reference",
        "duplicate-name",
        "unclosed-group",
        "unsupported-type",
        "invalid-name",
        "no-label",
        "duplicate-choice",
    ],
)
def test_broken_forms_name_sheet_row_and_column(tmp_path: Path, rows, choices, expected: str) -> None:
    with pytest.raises(FormError) as caught:
        load_xlsform(_form(tmp_path, [HEADER, *rows], choices))
    assert any(expected in str(issue) for issue in caught.value.issues), caught.value.issues


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["datepicker", "a", "A", "", ""],
        ["integer", "b", "B", "", "1 +"],
        ["text", "b", "B2", "", ""],
    ]
    with pytest.raises(FormError) as caught:
        load_xlsform(_form(tmp_path, rows, CHOICES))
    assert len(caught.value.issues) == 3


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    path.write_text("not a zip")
    with pytest.raises(FormError, match="cannot read the workbook"):
        load_xlsform(path)


def test_choice_filter_and_legacy_syntax_are_understood() -> None:
    cascade = load_xlsform(CORPUS / "choice_filter_test.xlsx").questionnaire
    assert cascade.question("county").choice_filter == "${state}=cf"
    assert {c.filters.get("cf") for c in cascade.choices["counties"]} == {"washington", "texas"}
    other = load_xlsform(CORPUS / "or_other.xlsx").questionnaire
    assert other.question("fav_color_other").relevant == "selected(${fav_color}, 'other')"
    tutorial = load_xlsform(CORPUS / "tutorial.xls")
    assert any("repeat 'member'" in str(w) for w in tutorial.warnings)
