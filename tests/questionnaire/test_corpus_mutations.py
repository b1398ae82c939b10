"""Corpus forms with cells overwritten at random (fixed seed): every variant is imported or refused, none crashes."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from survey.questionnaire.errors import FormError
from survey.questionnaire.xlsform import load_xlsform

CORPUS = Path(__file__).resolve().parents[1] / "data" / "xlsforms"
FORMS = [
    "choice_filter_test.xlsx",
    "group.xlsx",
    "or_other.xlsx",
    "yes_or_no_question.xlsx",
    "xl_date_ambiguous_v1.xlsx",
]
TRICKY: list[object] = [
    "", "select_one", "select_one nope", "begin group", "end group", "begin repeat", "end repeat", "${", "${x}",
    "calculate", "'", "note", "range", "a b", "label::", "list_name", "name", "type", "true()", "1 +", "selected(",
    "geopoint", "select_one_from_file x.csv", "today()", "hidden", "acknowledge", None, 3, 2.5,
]  # fmt: skip


@pytest.mark.parametrize("form", FORMS)
def test_mutated_forms_never_crash(tmp_path: Path, form: str) -> None:
    generator = random.Random(form)
    outcomes = []
    for variant in range(10):
        book = openpyxl.load_workbook(CORPUS / form)
        for _ in range(generator.randint(1, 8)):
            sheet = generator.choice(book.worksheets)
            row = generator.randint(1, max(1, min(sheet.max_row, 40)))
            column = generator.randint(1, max(1, min(sheet.max_column, 12)))
            sheet.cell(row, column).value = generator.choice(TRICKY)
        path = tmp_path / f"{variant}.xlsx"
        book.save(path)
        try:
            load_xlsform(path)
            outcomes.append("imported")
        except FormError as exc:
            assert exc.issues and all(issue.message for issue in exc.issues)
            assert not any("pyxform cannot read" in issue.message for issue in exc.issues), exc.issues
            outcomes.append("refused")
    assert len(outcomes) == 10
