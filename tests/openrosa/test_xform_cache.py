"""The XForm is built once per stored version, and never served stale after the version changes."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from field_app.openrosa.xform import build_xform, cached_xform
from survey.questionnaire.model import Questionnaire
from survey.store.db import transaction
from survey.store.models import QuestionnaireVersion
from survey.store.services.consultations import ConsultationService
from tests.field_app.conftest import FORM, FieldEnv
from tests.openrosa.test_collect import download


def test_the_same_version_is_built_once_and_equals_a_fresh_build(
    sessions: sessionmaker[Session], field_env: FieldEnv
) -> None:
    with sessions() as session:
        version = session.get(QuestionnaireVersion, field_env.version_id)
        assert version is not None
        first = cached_xform(version)
        assert cached_xform(version) is first
        assert first == build_xform(version)
        assert cached_xform(version, "field-test.field_test") is not first
        assert cached_xform(version, "field-test.field_test").form_id == "field-test.field_test"


def test_a_version_edited_in_place_or_a_new_version_is_listed_and_served_anew(
    client: TestClient,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    fields, xform = download(client, field_env)
    assert fields["hash"] == "md5:" + hashlib.md5(xform.encode()).hexdigest()
    retitled = {**FORM, "title": {**FORM["title"], "fr": "Test terrain corrigé"}}
    with transaction(sessions) as session:  # nobody answered version 1 yet: it may still be edited
        version = session.get(QuestionnaireVersion, field_env.version_id)
        assert version is not None
        ConsultationService(session).replace_content(version, Questionnaire.from_dict(retitled))
    edited_fields, edited = download(client, field_env)
    assert edited_fields["hash"] != fields["hash"] and "Test terrain corrigé" in edited
    assert edited_fields["hash"] == "md5:" + hashlib.md5(edited.encode()).hexdigest()
    with transaction(sessions) as session:
        service = ConsultationService(session)
        service.add_version(
            service.get(field_env.slug),
            Questionnaire.from_dict({**FORM, "version": "2"}),
            source_name="t",
            actor="t",
        )
    newer_fields, newer = download(client, field_env)
    assert newer_fields["version"] == "2" and newer_fields["hash"] not in (
        fields["hash"],
        edited_fields["hash"],
    )
    data = ET.fromstring(newer).find(
        "{http://www.w3.org/1999/xhtml}head/{http://www.w3.org/2002/xforms}model/{http://www.w3.org/2002/xforms}instance/*"
    )
    assert data is not None and data.get("version") == "2"
