"""XLSForm import: the demo form, real-world forms from pyxform's suite, and broken forms."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from survey.demo.form import FORM_XLSX, build_workbook
from survey.questionnaire.errors import FormError
from survey.questionnaire.model import Questionnaire, QuestionType
from survey.questionnaire.xlsform import load_xlsform

SHARED = Path(__file__).resolve().parents[3] / "shared" / "xlsforms"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/xlsforms is not beside the checkout")


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
            "row 2, column 'type': choice list 'colours' is not defined in sheet 'choices'",
        ),
        (
            [["integer", "age", "Age?", "", ". >= 0 and"]],
            CHOICES,
            "row 2, column 'constraint': invalid expression '. >= 0 and'",
        ),
        (
            [["integer", "age", "Age?", "", ""], ["text", "why", "Why?", "${agee} > 3", ""]],
            CHOICES,
            "row 3, column 'relevant': expression refers to unknown question ${agee}",
        ),
        (
            [["integer", "age", "Age?", "", ""], ["text", "age", "Again?", "", ""]],
            CHOICES,
            "row 3, column 'name': name 'age' is already used on row 2",
        ),
        (
            [["begin group", "g", "G", "", ""], ["text", "t", "T", "", ""]],
            CHOICES,
            "row 2, column 'type': group 'g' is never closed",
        ),
        ([["geopoint", "where", "Where?", "", ""]], CHOICES, "type 'geopoint' is not supported"),
        (
            [["text", "bad name", "X", "", ""]],
            CHOICES,
            "row 2, column 'name': invalid or missing name 'bad name'",
        ),
        (
            [["text", "nolabel", "", "", ""]],
            CHOICES,
            "row 2, column 'label': question 'nolabel' has no label",
        ),
        (
            [["select_one yn", "q", "Q", "", ""]],
            [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "yes", "Again"]],
            "sheet 'choices', row 3, column 'name': choice 'yes' appears twice in list 'yn'",
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


ACCEPTED = [
    "text_and_integer.xlsx",
    "group.xlsx",
    "field-list.xlsx",
    "yes_or_no_question.xlsx",
    "tutorial.xls",
    "survey_no_name.xlsx",
    "choice_filter_test.xlsx",
    "or_other.xlsx",
    "specify_other.xlsx",
]
REFUSED = {
    "UCL_Biomass_Plot_Form.xlsx": "type 'geopoint' is not supported",
    "xlsform_spec_test.xlsx": "type 'date' is not supported",
    "duplicate_columns.xlsx": "sheet 'survey', row 1, column 'label': column appears twice",
    "bad_calc.xlsx": "sheet 'survey', row 2, column 'type': type 'calculate' is not supported",
    "unknown_question_type.xls": "unknown question type 'unknown'",
}


@needs_shared
@pytest.mark.parametrize("name", ACCEPTED)
def test_real_world_forms_import(name: str) -> None:
    q = load_xlsform(SHARED / name).questionnaire
    assert q.questions
    assert all(q.choices_for(question) for question in q.questions if question.type.has_choices)


@needs_shared
def test_choice_filter_and_legacy_syntax_are_understood() -> None:
    cascade = load_xlsform(SHARED / "choice_filter_test.xlsx").questionnaire
    assert cascade.question("county").choice_filter == "${state}=cf"
    assert {c.filters.get("cf") for c in cascade.choices["counties"]} == {"washington", "texas"}
    other = load_xlsform(SHARED / "or_other.xlsx").questionnaire
    assert other.question("fav_color_other").relevant == "selected(${fav_color}, 'other')"
    tutorial = load_xlsform(SHARED / "tutorial.xls")
    assert any("repeat 'member'" in str(w) for w in tutorial.warnings)


@needs_shared
@pytest.mark.parametrize(("name", "expected"), sorted(REFUSED.items()))
def test_unsupported_or_broken_real_world_forms_are_refused_precisely(name: str, expected: str) -> None:
    with pytest.raises(FormError) as caught:
        load_xlsform(SHARED / name)
    assert any(expected in str(issue) for issue in caught.value.issues), caught.value.issues
