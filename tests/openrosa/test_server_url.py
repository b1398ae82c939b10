"""One server address for every consultation: ``/openrosa`` lists each assigned consultation's form.

An interviewer assigned to three consultations configures Collect once. Two of them use the same
XLSForm (same form id), which the list keeps apart as ``slug.form_id``; submissions to the one
submission URL reach the consultation their form id names, and a form of a consultation the
interviewer is not assigned to is refused.
"""

from __future__ import annotations

import hashlib
import uuid
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from field_app.openrosa.app_users import create_app_user
from survey.questionnaire.model import Questionnaire
from survey.store.db import transaction
from survey.store.models import Consultation, Response
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign
from survey.store.services.users import UserService
from tests.field_app.conftest import FORM, FieldEnv, basic
from tests.openrosa.test_collect import ANSWERS, LIST, OPENROSA, fill, message

XF = "{http://www.w3.org/2002/xforms}"


def _consultation(session: Session, slug: str, form: dict[str, Any], interviewer: str | None) -> None:
    consultations = ConsultationService(session)
    consultation = consultations.create(slug, form["title"], actor="test")
    consultations.add_version(consultation, Questionnaire.from_dict(form), source_name="t", actor="test")
    if interviewer is not None:
        assign(session, UserService(session).named(interviewer), consultation, actor="test")


@pytest.fixture
def three(sessions: sessionmaker[Session], field_env: FieldEnv) -> None:
    """field-test and twin share form id ``field_test``; solo has its own; elsewhere is int2's only."""
    with transaction(sessions) as session:
        _consultation(session, "twin", {**FORM, "title": {"fr": "Jumeau", "en": "Twin"}}, "int1")
        _consultation(session, "solo", {**FORM, "form_id": "solo_form"}, "int1")
        _consultation(session, "elsewhere", {**FORM, "form_id": "elsewhere_form"}, "int2")


def _listed(client: TestClient, query: str = "", user: str = "int1") -> dict[str, dict[str, str]]:  # type: ignore[type-arg]
    reply = client.get(f"/openrosa/formList{query}", headers={**OPENROSA, **basic(user)})
    assert reply.status_code == 200 and reply.headers["X-OpenRosa-Version"] == "1.0", reply.text
    entries = [
        {child.tag.removeprefix(LIST): child.text or "" for child in entry}
        for entry in ET.fromstring(reply.text).iterfind(f"{LIST}xform")
    ]
    return {entry["formID"]: entry for entry in entries}


def _post(client: TestClient, url: str, document: bytes, user: str = "int1") -> Any:  # type: ignore[type-arg]
    files = {"xml_submission_file": ("submission.xml", document, "text/xml")}
    return client.post(url, files=files, headers={**OPENROSA, **basic(user)})


def _consultation_of(sessions: sessionmaker[Session], response_uuid: str) -> str:
    with sessions() as session:
        slug = session.scalar(
            select(Consultation.slug)
            .join(Response, Response.consultation_id == Consultation.id)
            .where(Response.uuid == response_uuid)
        )
        assert slug is not None
        return slug


def test_the_server_address_lists_every_assigned_consultation_and_routes_submissions(
    client: TestClient,
    sessions: sessionmaker[Session],
    three: None,  # type: ignore[type-arg]
) -> None:
    listed = _listed(client)
    assert sorted(listed) == ["field-test.field_test", "solo.solo_form", "twin.field_test"]
    assert _listed(client, user="int2").keys() == {"elsewhere.elsewhere_form"}
    assert list(_listed(client, "?formID=twin.field_test")) == ["twin.field_test"]
    assert _listed(client, "?formID=elsewhere.elsewhere_form") == {}
    probe = client.head("/openrosa/submission", headers=OPENROSA)
    assert probe.status_code == 401 and probe.headers["WWW-Authenticate"].startswith("Basic")
    probe = client.head("/openrosa/submission", headers={**OPENROSA, **basic("int1")})
    assert probe.status_code == 204 and int(probe.headers["X-OpenRosa-Accept-Content-Length"]) > 0

    for form_id, entry in listed.items():
        xform = client.get(entry["downloadUrl"], headers={**OPENROSA, **basic("int1")})
        assert xform.status_code == 200, xform.text
        assert entry["hash"] == "md5:" + hashlib.md5(xform.text.encode()).hexdigest()
        data = ET.fromstring(xform.text).find(
            f"{{http://www.w3.org/1999/xhtml}}head/{XF}model/{XF}instance/*"
        )
        assert data is not None and data.get("id") == form_id
        manifest = client.get(entry["manifestUrl"], headers={**OPENROSA, **basic("int1")})
        assert manifest.status_code == 200, manifest.text
        instance_id = str(uuid.uuid4())
        sent = _post(client, "/openrosa/submission", fill(xform.text, ANSWERS, f"uuid:{instance_id}"))
        assert sent.status_code == 201, sent.text
        assert _consultation_of(sessions, instance_id) == form_id.split(".", 1)[0]
        again = _post(client, "/openrosa/submission", fill(xform.text, ANSWERS, f"uuid:{instance_id}"))
        assert again.status_code == 202, again.text


def test_forms_of_other_consultations_are_refused_and_plain_ids_are_routed_when_unambiguous(
    client: TestClient,
    sessions: sessionmaker[Session],
    three: None,  # type: ignore[type-arg]
) -> None:
    own = client.get(
        "/openrosa/solo/form.xml", headers={**OPENROSA, **basic("int1")}
    ).text  # plain id solo_form
    instance_id = str(uuid.uuid4())
    assert _post(client, "/openrosa/submission", fill(own, ANSWERS, f"uuid:{instance_id}")).status_code == 201
    assert _consultation_of(sessions, instance_id) == "solo"

    shared_id = client.get("/openrosa/twin/form.xml", headers={**OPENROSA, **basic("int1")}).text
    ambiguous = _post(client, "/openrosa/submission", fill(shared_id, ANSWERS, f"uuid:{uuid.uuid4()}"))
    assert ambiguous.status_code == 400 and message(ambiguous).startswith("form: several"), ambiguous.text

    theirs = client.get("/openrosa/elsewhere/form.xml", headers={**OPENROSA, **basic("int2")}).text
    for document in (
        fill(theirs, ANSWERS, f"uuid:{uuid.uuid4()}"),
        fill(theirs, ANSWERS, f"uuid:{uuid.uuid4()}").replace(
            b'id="elsewhere_form"', b'id="elsewhere.elsewhere_form"'
        ),
        fill(theirs, ANSWERS, f"uuid:{uuid.uuid4()}").replace(b'id="elsewhere_form"', b'id="nowhere.x"'),
    ):
        refused = _post(client, "/openrosa/submission", document)
        assert refused.status_code == 403 and "not a form of a consultation assigned to you" in message(
            refused
        )
    server_id = client.get(
        "/openrosa/twin/form.xml?formID=twin.field_test", headers={**OPENROSA, **basic("int1")}
    ).text
    at_own_address = _post(
        client, "/openrosa/twin/submission", fill(server_id, ANSWERS, f"uuid:{uuid.uuid4()}")
    )
    assert at_own_address.status_code == 201, at_own_address.text  # a consultation's address takes both ids
    wrong_prefix = client.get(
        "/openrosa/twin/form.xml?formID=solo.solo_form", headers={**OPENROSA, **basic("int1")}
    )
    assert wrong_prefix.status_code == 404, wrong_prefix.text
    with sessions() as session:
        assert (
            session.scalar(select(Response.id).join(Consultation).where(Consultation.slug == "elsewhere"))
            is None
        )


def test_an_app_user_at_the_server_address_reaches_its_own_consultation_only(
    client: TestClient,
    sessions: sessionmaker[Session],
    three: None,  # type: ignore[type-arg]
) -> None:
    """int1 is assigned to three consultations; the key made for twin lists and takes twin's form only."""
    with transaction(sessions) as session:
        twin = ConsultationService(session).get("twin")
        _, key = create_app_user(session, twin, UserService(session).named("int1"), "Phone 1", actor="test")
    server = f"/openrosa/key/{key}"
    reply = client.get(f"{server}/formList", headers=OPENROSA)
    assert reply.status_code == 200, reply.text
    [entry] = [
        {child.tag.removeprefix(LIST): child.text or "" for child in xform}
        for xform in ET.fromstring(reply.text).iterfind(f"{LIST}xform")
    ]
    assert entry["formID"] == "twin.field_test"
    assert entry["downloadUrl"].endswith(f"/openrosa/twin/key/{key}/form.xml?formID=twin.field_test")
    xform = client.get(entry["downloadUrl"], headers=OPENROSA)
    assert xform.status_code == 200 and entry["hash"] == "md5:" + hashlib.md5(xform.text.encode()).hexdigest()
    assert client.get(entry["manifestUrl"], headers=OPENROSA).status_code == 200
    assert client.head(f"{server}/submission", headers=OPENROSA).status_code == 204
    instance_id = str(uuid.uuid4())
    files = {
        "xml_submission_file": (
            "submission.xml",
            fill(xform.text, ANSWERS, f"uuid:{instance_id}"),
            "text/xml",
        )
    }
    assert client.post(f"{server}/submission", files=files, headers=OPENROSA).status_code == 201
    assert _consultation_of(sessions, instance_id) == "twin"
    solo = client.get("/openrosa/solo/form.xml", headers={**OPENROSA, **basic("int1")}).text
    files = {
        "xml_submission_file": ("submission.xml", fill(solo, ANSWERS, f"uuid:{uuid.uuid4()}"), "text/xml")
    }
    refused = client.post(f"{server}/submission", files=files, headers=OPENROSA)
    assert refused.status_code == 403, refused.text  # int1's other consultation is not the key's
    unknown = client.get("/openrosa/key/999.not-a-key/formList", headers=OPENROSA)
    assert unknown.status_code == 401, unknown.text
