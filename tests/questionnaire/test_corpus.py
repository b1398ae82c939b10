"""Real-world XLSForms (tests/data/xlsforms): each meets the outcome its manifest names, and none crashes.

The manifest says, for every form, whether it imports cleanly, imports with named warnings, or is
refused with a named first problem; a change of behaviour on any real form shows up here by name.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from survey.questionnaire.errors import FormError
from survey.questionnaire.xlsform import load_xlsform

CORPUS = Path(__file__).resolve().parents[1] / "data" / "xlsforms"
MANIFEST: dict[str, dict] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["forms"]


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_form_meets_its_expected_outcome(name: str) -> None:
    expected = MANIFEST[name]
    try:
        result = load_xlsform(CORPUS / name)
    except FormError as exc:
        problems = [str(issue) for issue in exc.issues]
        assert expected["outcome"] == "refused", problems
        assert problems[0].startswith(expected["reason"]), problems
        assert len(problems) == expected["problems"], problems
        rows = [issue.row for issue in exc.issues if issue.row is not None]
        assert rows == sorted(rows), "problems are reported in row order"
        assert not any("unknown question type" in p and "not supported" in p for p in problems)
        return
    assert expected["outcome"] != "refused", f"expected a refusal: {expected.get('reason')}"
    warnings = [str(w) for w in result.warnings]
    assert len(warnings) == len(expected.get("warnings", [])), warnings
    for found, wanted in zip(warnings, expected.get("warnings", []), strict=True):
        assert found.startswith(wanted)
    questionnaire = result.questionnaire
    assert len(questionnaire.questions) == expected["questions"]
    for question in questionnaire.questions:
        if question.type.has_choices:
            assert questionnaire.choices_for(question), question.name


def test_corpus_holds_forty_public_forms_each_with_its_source() -> None:
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix in (".xls", ".xlsx")}
    assert on_disk == set(MANIFEST)
    assert len(on_disk) >= 40
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for name, entry in MANIFEST.items():
        assert entry["source"].split("@")[0] in readme, name
    outcomes = {entry["outcome"] for entry in MANIFEST.values()}
    assert outcomes == {"imports", "imports_with_warnings", "refused"}


def test_the_first_fourteen_forms_a_mature_importer_accepts_all_import() -> None:
    """The fourteen forms of the first hand-over, kept in tests/data/xlsforms: the eight its notes say
    a mature importer accepts."""
    for name in (
        "text_and_integer.xlsx", "group.xlsx", "field-list.xlsx", "yes_or_no_question.xlsx", "tutorial.xls",
        "survey_no_name.xlsx", "choice_filter_test.xlsx", "or_other.xlsx",
    ):  # fmt: skip
        assert load_xlsform(CORPUS / name).questionnaire.questions, name
