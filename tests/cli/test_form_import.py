"""``survey form import``: a broken form exits non-zero naming the cell, and stores nothing."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from sqlalchemy import func, select

from survey.demo.form import FORM_XLSX
from survey.store.models import Consultation, QuestionnaireVersion
from tests.entry_point import Ran, run_survey


def _run(*args: str, url: str) -> Ran:
    return run_survey(*args, "--database-url", url)


def test_import_good_then_broken_form(sessions, database_url: str, tmp_path: Path) -> None:
    good = _run("form", "import", str(FORM_XLSX), "--consultation", "demo", url=database_url)
    assert good.returncode == 0, good.stderr
    assert "stored as version 1 of 'demo'" in good.stdout
    same = _run("form", "import", str(FORM_XLSX), "--consultation", "demo", url=database_url)
    assert "identical to existing version 1" in same.stdout

    book = openpyxl.Workbook()
    book.active.title = "survey"
    book.active.append(["type", "name", "label"])
    book.active.append(["select_one nowhere", "q", "Question"])
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    bad = _run("form", "import", str(broken), "--consultation", "other", url=database_url)
    assert bad.returncode == 2
    assert "row 2, column 'type': choice list 'nowhere' is not defined" in bad.stderr
    assert "Traceback" not in bad.stderr
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(QuestionnaireVersion)) == 1
        assert session.scalar(select(func.count()).select_from(Consultation)) == 1
