"""Choice lists from files travel as media: listed in the manifest with their md5, downloaded by Collect.

The form is an XLSForm with ``select_one_from_file`` / ``select_multiple_from_file`` rows and the
CSV beside it, imported as an organiser would. The Collect-like client lists it, reads its manifest,
downloads the CSV, checks the md5 the manifest gave, fills the XForm (whose choices now live only in
that file) and submits an answer taken from the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from pyxform.validators import odk_validate
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.questionnaire.xlsform import load_xlsform
from survey.store.db import transaction
from survey.store.models import Answer, Response
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign
from survey.store.services.users import UserService
from tests.field_app.conftest import FieldEnv, basic
from tests.openrosa.test_collect import LIST, OPENROSA, fill, message
from tests.questionnaire.test_xlsform_bugs import workbook

SLUG = "places"
MANIFEST = "{http://openrosa.org/xforms/xformsManifest}"
PLACES = (
    "name,label::English (en),label::Français (fr),size\n"
    "bxl,Brussels,Bruxelles,big\nlln,Louvain-la-Neuve,,small\ngnt,Ghent,Gand,big\n"
)


@pytest.fixture
def places(sessions: sessionmaker[Session], field_env: FieldEnv, tmp_path: Path) -> str:
    """A consultation whose form reads its places from places.csv, assigned to int1."""
    path = workbook(
        tmp_path,
        [
            ["type", "name", "label::English (en)", "label::Français (fr)", "choice_filter"],
            ["select_one yn", "big", "Big towns only?", "Grandes villes ?", ""],
            ["select_one_from_file places.csv", "place", "Where?", "Où ?", "${big} = 'no' or size = 'big'"],
            ["select_multiple_from_file places.csv", "visited", "Visited?", "Visitées ?", ""],
        ],
        [["list_name", "name", "label::English (en)", "label::Français (fr)"],
         ["yn", "yes", "Yes", "Oui"], ["yn", "no", "No", "Non"]],
        [["form_id", "default_language"], ["places_form", "English (en)"]],
    )  # fmt: skip
    (tmp_path / "places.csv").write_text(PLACES, encoding="utf-8")
    form = load_xlsform(path).questionnaire
    with transaction(sessions) as session:
        consultations = ConsultationService(session)
        consultation = consultations.create(SLUG, {"en": "Places", "fr": "Lieux"}, actor="test")
        consultations.add_version(consultation, form, source_name="form.xlsx", actor="test")
        assign(session, UserService(session).named("int1"), consultation, actor="test")
    return SLUG


def _get(client: TestClient, url: str, user: str = "int1") -> Any:  # type: ignore[type-arg]
    return client.get(url, headers={**OPENROSA, **basic(user)})


def test_collect_downloads_the_choice_file_the_manifest_lists_and_answers_from_it(
    client: TestClient,
    sessions: sessionmaker[Session],
    places: str,
    tmp_path: Path,  # type: ignore[type-arg]
) -> None:
    listed = _get(client, f"/openrosa/{places}/formList")
    entry = ET.fromstring(listed.text).find(f"{LIST}xform")
    assert entry is not None
    fields = {child.tag.removeprefix(LIST): child.text or "" for child in entry}
    xform = _get(client, fields["downloadUrl"]).text
    model = ET.fromstring(xform).find(
        "{http://www.w3.org/1999/xhtml}head/{http://www.w3.org/2002/xforms}model"
    )
    assert model is not None
    sources = {i.get("id"): i.get("src") for i in model.iterfind("{http://www.w3.org/2002/xforms}instance")}
    assert sources["places"] == "jr://file-csv/places.csv"
    assert "Bruxelles" not in xform  # the choices live in the file only

    manifest = _get(client, fields["manifestUrl"])
    assert manifest.status_code == 200 and manifest.headers["X-OpenRosa-Version"] == "1.0"
    files = [
        {child.tag.removeprefix(MANIFEST): child.text or "" for child in media}
        for media in ET.fromstring(manifest.text).iterfind(f"{MANIFEST}mediaFile")
    ]
    assert [f["filename"] for f in files] == ["places.csv"]
    media = _get(client, files[0]["downloadUrl"])
    assert media.status_code == 200 and media.headers["content-type"].startswith("text/csv")
    assert files[0]["hash"] == "md5:" + hashlib.md5(media.content).hexdigest()
    rows = list(csv.DictReader(io.StringIO(media.content.decode("utf-8"))))
    assert [(r["name"], r["label"], r["label::Français (fr)"], r["size"]) for r in rows] == [
        ("bxl", "Brussels", "Bruxelles", "big"),
        ("lln", "Louvain-la-Neuve", "Louvain-la-Neuve", "small"),  # no French label: the English one
        ("gnt", "Ghent", "Gand", "big"),
    ]
    assert _get(client, fields["manifestUrl"]).text == manifest.text  # same bytes, same md5: no re-download

    if shutil.which("java") is not None:  # ODK Validate reads the form beside its media file
        (tmp_path / "odk").mkdir()
        (tmp_path / "odk" / "form.xml").write_text(xform, encoding="utf-8")
        (tmp_path / "odk" / "places.csv").write_bytes(media.content)
        odk_validate.check_xform(str(tmp_path / "odk" / "form.xml"))

    instance_id = str(uuid.uuid4())
    document = fill(xform, {"big": "no", "place": "lln", "visited": "bxl gnt"}, f"uuid:{instance_id}")
    sent = client.post(
        f"/openrosa/{places}/submission", files={"xml_submission_file": ("submission.xml", document, "text/xml")},
        headers={**OPENROSA, **basic("int1")},
    )  # fmt: skip
    assert sent.status_code == 201, sent.text
    with sessions() as session:
        response_id = session.scalar(select(Response.id).where(Response.uuid == instance_id))
        answers = session.execute(
            select(Answer.question, Answer.value_text).where(Answer.response_id == response_id)
            .order_by(Answer.question, Answer.position)
        ).all()  # fmt: skip
    assert [tuple(a) for a in answers] == [
        ("big", "no"),
        ("place", "lln"),
        ("visited", "bxl"),
        ("visited", "gnt"),
    ]
    wrong = fill(xform, {"big": "no", "place": "paris"}, f"uuid:{uuid.uuid4()}")
    refused = client.post(
        f"/openrosa/{places}/submission", files={"xml_submission_file": ("submission.xml", wrong, "text/xml")},
        headers={**OPENROSA, **basic("int1")},
    )  # fmt: skip
    assert refused.status_code == 400 and message(refused).startswith("place:"), refused.text


def test_media_are_served_only_to_assigned_interviewers_and_only_files_the_form_has(
    client: TestClient,
    places: str,  # type: ignore[type-arg]
) -> None:
    assert _get(client, f"/openrosa/{places}/media/places.csv").status_code == 200
    assert _get(client, f"/openrosa/{places}/media/places.csv", user="int2").status_code == 404
    missing = _get(client, f"/openrosa/{places}/media/other.csv")
    assert missing.status_code == 404 and "other.csv" in message(missing)
    assert _get(client, f"/openrosa/{places}/media/..%2Fplaces.csv").status_code == 404
    assert client.get(f"/openrosa/{places}/media/places.csv").status_code == 401
