"""The bugs seen on real forms (issue 15), each reproduced with a small workbook."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from survey.questionnaire.errors import FormError
from survey.questionnaire.expressions import parse
from survey.questionnaire.model import QuestionType
from survey.questionnaire.xlsform import load_xlsform

YES_NO = [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]


def workbook(
    tmp_path: Path,
    survey: list[list[object]],
    choices: list[list[object]] | None = None,
    settings: list[list[object]] | None = None,
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows is not None:
            extra = book.create_sheet(title)
            for row in rows:
                extra.append(row)
    path = tmp_path / "form.xlsx"
    book.save(path)
    return path


def test_select_types_written_with_spaces_import(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        [
            ["type", "name", "label"],
            ["select all that apply yn", "many", "Many?"],
            ["select one yn", "one", "One?"],
            ["select_multiple yn", "more", "More?"],
        ],
        YES_NO,
    )
    q = load_xlsform(path).questionnaire
    assert q.question("many").type is QuestionType.SELECT_MULTIPLE
    assert q.question("one").type is QuestionType.SELECT_ONE
    assert q.question("more").type is QuestionType.SELECT_MULTIPLE


def test_or_other_adds_the_other_choice_and_its_text_question(tmp_path: Path) -> None:
    path = workbook(tmp_path, [["type", "name", "label"], ["select_one yn or_other", "pet", "Pet?"]], YES_NO)
    q = load_xlsform(path).questionnaire
    assert [c.name for c in q.choices_for(q.question("pet"))] == ["yes", "no", "other"]
    assert q.question("pet_other").relevant == "selected(${pet}, 'other')"
    assert [[x.name for x in p.questions] for p in q.pages] == [["pet", "pet_other"]]  # asked on one page


def test_choices_from_a_csv_beside_the_form_are_read(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        [
            ["type", "name", "label", "choice_filter"],
            ["select_one yn", "big", "Big towns only?", ""],
            ["select_one_from_file places.csv", "place", "Where?", "${big} = 'no' or size = 'big'"],
            ["select_multiple_from_file places.csv", "visited", "Visited?", ""],
        ],
        YES_NO,
    )
    (tmp_path / "places.csv").write_text(
        "name,label::English (en),label::Français (fr),size\nbxl,Brussels,Bruxelles,big\nlln,Louvain-la-Neuve,,small\n",
        encoding="utf-8",
    )
    result = load_xlsform(path)
    q = result.questionnaire
    assert [c.name for c in q.choices_for(q.question("place"))] == ["bxl", "lln"]
    assert q.question("visited").type is QuestionType.SELECT_MULTIPLE
    (brussels, louvain) = q.choices["places.csv"]
    assert brussels.labels == {"en": "Brussels", "fr": "Bruxelles"} and brussels.filters == {"size": "big"}
    assert louvain.label("fr", default_language="en") == "Louvain-la-Neuve"
    assert result.warnings == ()


def test_choices_from_a_missing_file_are_refused_naming_the_row_and_the_file(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        [
            ["type", "name", "label"],
            ["text", "t", "T"],
            ["select_one_from_file places.csv", "place", "Where?"],
        ],
    )
    with pytest.raises(FormError) as caught:
        load_xlsform(path)
    (issue,) = caught.value.issues
    assert (issue.row, issue.column) == (3, "type")
    assert issue.message == "choices file 'places.csv' not found beside the form"


def test_choices_from_an_xml_file_are_not_supported(tmp_path: Path) -> None:
    path = workbook(
        tmp_path, [["type", "name", "label"], ["select_one_from_file places.xml", "place", "Where?"]]
    )
    with pytest.raises(FormError) as caught:
        load_xlsform(path)
    (issue,) = caught.value.issues
    assert (issue.row, issue.column) == (2, "type")
    assert "not supported" in issue.message and "unknown" not in issue.message


@pytest.mark.parametrize("list_name", ["yesNo", "list:yn", "Oui_Non"])
def test_list_names_keep_their_case_and_may_hold_a_colon(tmp_path: Path, list_name: str) -> None:
    choices = [["list_name", "name", "label"], [list_name, "yes", "Yes"], [list_name, "no", "No"]]
    path = workbook(tmp_path, [["type", "name", "label"], [f"select_one {list_name}", "q", "Q?"]], choices)
    q = load_xlsform(path).questionnaire
    assert [c.name for c in q.choices_for(q.question("q"))] == ["yes", "no"]


@pytest.mark.parametrize(
    "kind",
    ["imei", "simserial", "subscriberid", "phonenumber", "username", "email", "audit", "start", "deviceid"],
)
def test_metadata_types_are_ignored_with_a_warning(tmp_path: Path, kind: str) -> None:
    name = "" if kind == "audit" else "meta_row"  # pyxform wants an audit row unnamed
    path = workbook(tmp_path, [["type", "name", "label"], [kind, name, ""], ["text", "t", "T"]])
    result = load_xlsform(path)
    assert [q.name for q in result.questionnaire.questions] == ["t"]
    ours = [w for w in result.warnings if "metadata" in w.message]
    assert [(w.row, w.column) for w in ours] == [(2, "type")]
    assert f"metadata '{kind}' ignored" in ours[0].message


def test_curly_quotes_in_expressions_are_read_as_straight_quotes(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        [
            ["type", "name", "label", "relevant"],
            ["select_one yn", "owner", "Owner?", ""],
            ["text", "why", "Why?", "${owner} = \u201cyes\u201d or ${owner} = \u2018no\u2019"],
        ],
        YES_NO,
    )
    relevant = load_xlsform(path).questionnaire.question("why").relevant
    assert relevant == "${owner} = \"yes\" or ${owner} = 'no'"
    assert parse(relevant or "").is_true({"owner": "yes"})


def test_a_note_without_a_name_imports(tmp_path: Path) -> None:
    path = workbook(tmp_path, [["type", "name", "label"], ["note", "", "Welcome"], ["text", "t", "T"]])
    q = load_xlsform(path).questionnaire
    note = q.questions[0]
    assert note.type is QuestionType.NOTE and note.label("en") == "Welcome"


def test_a_calculation_on_a_question_row_is_reported_not_dropped_silently(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        [
            ["type", "name", "label", "calculation"],
            ["integer", "age", "Age", ""],
            ["integer", "twice", "Twice", "${age} * 2"],
        ],
    )
    result = load_xlsform(path)
    (warning,) = result.warnings
    assert (warning.row, warning.column) == (3, "calculation")
    assert "calculation ignored" in warning.message
    assert result.questionnaire.question("twice").calculation is None


def test_choice_labels_fall_back_to_the_default_language_then_any_label(tmp_path: Path) -> None:
    untagged = workbook(
        tmp_path,
        [["type", "name", "label"], ["select_one rel", "r", "Relation?"]],
        [["list_name", "name", "label"], ["rel", "wife_or_husband", "Wife / Husband"]],
    )
    q = load_xlsform(untagged).questionnaire
    (choice,) = q.choices["rel"]
    assert choice.label("fr", default_language=q.default_language) == "Wife / Husband"
    assert choice.label("fr") == "Wife / Husband"

    tagged = workbook(
        tmp_path,
        [
            ["type", "name", "label::English (en)", "label::Deutsch (de)"],
            ["select_one rel", "r", "Relation?", "Beziehung?"],
        ],
        [
            ["list_name", "name", "label::English (en)", "label::Deutsch (de)"],
            ["rel", "wife_or_husband", "Wife / Husband", "Ehefrau / Ehemann"],
        ],
        [["default_language"], ["Deutsch (de)"]],
    )
    q = load_xlsform(tagged).questionnaire
    (choice,) = q.choices["rel"]
    assert q.default_language == "de"
    assert choice.label("fr", default_language=q.default_language) == "Ehefrau / Ehemann"
    assert choice.label("en", default_language=q.default_language) == "Wife / Husband"


def test_every_problem_is_reported_at_once_in_row_order(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        [
            ["type", "name", "label", "constraint"],
            ["geopoint", "where", "Where?", ""],
            ["integer", "b", "B", "1 +"],
            ["text", "b", "Again", ""],
            ["datepicker", "d", "D", ""],
            ["text", "bad name", "X", ""],
            ["video", "r", "R", ""],
        ],
    )
    with pytest.raises(FormError) as caught:
        load_xlsform(path)
    rows = [issue.row for issue in caught.value.issues]
    assert rows == [2, 3, 4, 5, 6, 7], caught.value.issues
    messages = [issue.message for issue in caught.value.issues]
    assert "not supported" in messages[0] and "not supported" in messages[5]
    assert "unknown question type 'datepicker'" in messages[3]


def test_the_forms_languages_are_those_of_its_question_labels() -> None:
    """field-list.xlsx labels its question in English only; its choices also in Chinese and untagged."""
    q = load_xlsform(
        Path(__file__).resolve().parents[1] / "data" / "xlsforms" / "field-list.xlsx"
    ).questionnaire
    assert q.languages == ("en",) and q.default_language == "en"


def test_a_number_as_a_column_header_is_named_not_a_crash(tmp_path: Path) -> None:
    """pyxform stops with an internal AttributeError on such a header; the author gets the cell instead."""
    path = workbook(tmp_path, [["type", "name", "label", 3], ["text", "t", "T", ""]])
    with pytest.raises(FormError) as caught:
        load_xlsform(path)
    assert [str(i) for i in caught.value.issues] == [
        "sheet 'survey', row 1, column 'D': a column header must be text, found 3"
    ]
