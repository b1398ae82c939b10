"""``survey export --attachments``: the exported responses' files in a zip beside the data, the
codebook marking the questions whose answer is a file name."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import polars as pl
import typer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from survey.cli import export, report
from survey.questionnaire.model import Page, Question, QuestionType
from survey.store.db import transaction
from survey.store.models import Answer, Response
from survey.store.services.attachments import AttachmentService, Upload, check
from survey.store.services.consultations import ConsultationService
from tests.analyst.conftest import SLUG
from tests.factories import demo_questionnaire

app = typer.Typer()
export.register(app)
report.register(app)  # two commands, so the command name is an argument as in `survey`
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
PHOTO = Question("photo", QuestionType.IMAGE, {"fr": "Photo", "nl": "Foto", "en": "Photo"})


def _with_photos(demo: sessionmaker[Session]) -> list[str]:
    """A version of the demo form with a photo question, and a photo for two sent responses."""
    form = demo_questionnaire()
    form = dataclasses.replace(
        form, pages=(*form.pages, Page("photos", {"en": "Photos"}, questions=(PHOTO,)))
    )
    with transaction(demo) as session:
        service = ConsultationService(session)
        consultation = service.get(SLUG)
        service.add_version(consultation, form, source_name="demo+photo", actor="test")
        responses = session.scalars(
            select(Response).where(Response.status == "complete").order_by(Response.id).limit(2)
        ).all()
        files = AttachmentService(session)
        for number, response in enumerate(responses):
            name = f"p{number}.png"
            session.add(Answer(response_id=response.id, question="photo", position=0, value_text=name))
            files.keep(
                consultation.id, response.uuid, check(PHOTO, Upload("photo", name, PNG), 1024), replace=False
            )
        return [r.uuid for r in responses]


def test_the_zip_holds_the_exported_responses_files(
    demo: sessionmaker[Session], demo_url: str, tmp_path: Path
) -> None:
    uuids = _with_photos(demo)
    out = tmp_path / "data.csv"
    result = CliRunner().invoke(
        app, ["export", SLUG, "--out", str(out), "--attachments", "--database-url", demo_url]
    )
    assert result.exit_code == 0, result.output
    zipped = tmp_path / "data.attachments.zip"
    assert f"wrote {zipped} (2 files)" in result.output.replace("\n", "")
    archive = zipfile.ZipFile(zipped)
    assert sorted(archive.namelist()) == sorted(
        ["attachments.csv", f"{uuids[0]}/photo/p0.png", f"{uuids[1]}/photo/p1.png"]
    )
    assert archive.read(f"{uuids[1]}/photo/p1.png") == PNG
    manifest = pl.read_csv(io.BytesIO(archive.read("attachments.csv")))
    assert manifest["uuid"].to_list() == uuids
    data = pl.read_csv(out)
    assert sorted(data.filter(pl.col("photo").is_not_null())["uuid"].to_list()) == sorted(uuids)
    codebook = pl.read_csv(tmp_path / "data.codebook.csv")
    assert codebook.filter(pl.col("variable") == "photo")["type"].to_list() == [
        "attachment (image): file name"
    ]


def test_without_the_flag_no_zip_is_written(
    demo: sessionmaker[Session], demo_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "plain.csv"
    result = CliRunner().invoke(app, ["export", SLUG, "--out", str(out), "--database-url", demo_url])
    assert result.exit_code == 0, result.output
    assert out.exists() and not (tmp_path / "plain.attachments.zip").exists()
