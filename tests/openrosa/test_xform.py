"""The XForm generated from a stored version: well-formed, named and versioned, translated, and valid for ODK."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pyxform.validators import odk_validate
from sqlalchemy.orm import Session, sessionmaker

from field_app.openrosa.xform import XForm, build_xform
from survey.questionnaire.xlsform import load_xlsform
from survey.store.db import transaction
from survey.store.models import QuestionnaireVersion
from tests.field_app.conftest import FieldEnv
from tests.openrosa.odk import assert_valid, valid_paths

XF = "{http://www.w3.org/2002/xforms}"
H = "{http://www.w3.org/1999/xhtml}"


def _xform(sessions: sessionmaker[Session], field_env: FieldEnv) -> str:
    with transaction(sessions) as session:
        version = session.get(QuestionnaireVersion, field_env.version_id)
        assert version is not None
        return build_xform(version).xml


def test_xform_names_the_form_its_version_and_its_languages(
    sessions: sessionmaker[Session], field_env: FieldEnv
) -> None:
    root = ET.fromstring(_xform(sessions, field_env))
    model = root.find(f"{H}head/{XF}model")
    assert model is not None
    data = model.find(f"{XF}instance/{XF}data")
    assert data is not None
    assert (data.get("id"), data.get("version")) == ("field_test", "1")
    assert data.find(f"{XF}meta/{XF}instanceID") is not None
    languages = [t.get("lang") for t in model.iterfind(f"{XF}itext/{XF}translation")]
    assert languages == ["Français (fr)", "Nederlands (nl)", "English (en)", "Easy read (en)"]
    texts = {
        t.get("lang"): {e.get("id"): e.findtext(f"{XF}value") for e in t.iterfind(f"{XF}text")}
        for t in model.iterfind(f"{XF}itext/{XF}translation")
    }
    assert texts["Nederlands (nl)"]["/data/about/age:label"] == "Leeftijd"
    assert texts["Easy read (en)"]["/data/about/sex:label"] == "Man or woman?"
    assert texts["Easy read (en)"]["/data/about/age:label"] == "Age"  # no easy wording: the normal label
    binds = {b.get("nodeset"): b.attrib for b in model.iterfind(f"{XF}bind")}
    assert binds["/data/vote/votes"]["relevant"].split() == ["/data/about/age", ">=", "18"]
    assert binds["/data/about/sex"]["required"] == "true()"


@pytest.mark.skipif(
    shutil.which("java") is None, reason="ODK Validate needs a Java runtime (apt: default-jre)"
)
def test_odk_validate_accepts_the_generated_xform(
    sessions: sessionmaker[Session], field_env: FieldEnv, tmp_path: Path
) -> None:
    path = tmp_path / "form.xml"
    path.write_text(_xform(sessions, field_env), encoding="utf-8")
    odk_validate.check_xform(str(path))  # raises ODKValidateError on any error


CORPUS = Path(__file__).resolve().parents[1] / "data" / "xlsforms"
IMPORTING = sorted(
    name
    for name, entry in json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["forms"].items()
    if entry["outcome"] != "refused"
)


@pytest.fixture(scope="module")
def corpus_xforms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, XForm] | Exception]:
    """Each importing corpus form's XForm written to a file (or what building it raised, for its test)."""
    folder = tmp_path_factory.mktemp("corpus_xforms")
    built: dict[str, tuple[Path, XForm] | Exception] = {}
    for index, name in enumerate(IMPORTING):
        try:
            form = load_xlsform(CORPUS / name).questionnaire
            xform = build_xform(QuestionnaireVersion(number=3, content=form.to_dict(), form_id=form.form_id))
        except Exception as error:  # re-raised by that form's own test
            built[name] = error
            continue
        path = folder / f"{index:03d}.xml"
        path.write_text(xform.xml, encoding="utf-8")
        built[name] = (path, xform)
    return built


@pytest.fixture(scope="module")
def corpus_accepted(corpus_xforms: dict[str, tuple[Path, XForm] | Exception]) -> set[Path]:
    """The corpus XForms ODK Validate accepts, from one Java process for all of them."""
    return valid_paths([entry[0] for entry in corpus_xforms.values() if not isinstance(entry, Exception)])


@pytest.mark.skipif(
    shutil.which("java") is None, reason="ODK Validate needs a Java runtime (apt: default-jre)"
)
@pytest.mark.parametrize("name", IMPORTING)
def test_every_corpus_form_that_imports_gives_an_xform_odk_validate_accepts(
    name: str, corpus_xforms: dict[str, tuple[Path, XForm] | Exception], corpus_accepted: set[Path]
) -> None:
    """Found pages of calculations only, which became body-less groups that ODK Validate refuses."""
    built = corpus_xforms[name]
    if isinstance(built, Exception):
        raise built
    path, xform = built
    data = ET.fromstring(xform.xml).find(f"{H}head/{XF}model/{XF}instance/*")
    assert data is not None and data.get("version") == "3"
    assert_valid(path, corpus_accepted)


def test_the_xform_is_built_without_java_as_in_the_docker_image(
    sessions: sessionmaker[Session], field_env: FieldEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found building the form list: pyxform ran ODK Validate on every request, a 500 without Java."""
    monkeypatch.setenv("PATH", str(tmp_path))  # no java here, as in python:3.11-slim
    assert shutil.which("java") is None
    root = ET.fromstring(_xform(sessions, field_env))
    assert root.find(f"{H}head/{XF}model/{XF}instance/{XF}data") is not None
