"""Every corpus form that imports: a Collect submission built from its own XForm's instance template is
stored with exactly the answers the same interview gets through the tablet app's sync."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from survey.questionnaire.model import Questionnaire
from survey.questionnaire.model import QuestionType as T
from survey.questionnaire.validation import validate
from survey.questionnaire.xlsform import load_xlsform
from survey.store.db import transaction
from survey.store.models import User
from survey.store.services.consultations import ConsultationService
from survey.store.services.field_assignments import assign
from tests.field_app.conftest import FieldEnv, login
from tests.openrosa.test_collect import download, fill, stored_answers, submit

CORPUS = Path(__file__).resolve().parents[1] / "data" / "xlsforms"
IMPORTING = sorted(
    name
    for name, entry in json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["forms"].items()
    if entry["outcome"] != "refused"
)
CANDIDATES: dict[T, list[str]] = {
    T.INTEGER: ["1", "20", "0", "5"], T.DECIMAL: ["1.5", "20", "0"], T.TEXT: ["texte <libre> & court"],
    T.DATE: ["2024-05-31"], T.TIME: ["14:30"], T.DATETIME: ["2024-05-31T14:30"], T.GEOPOINT: ["50.85 4.35"],
}  # fmt: skip


def _alternatives(form: Questionnaire, name: str) -> list[object]:
    question = form.question(name)
    if not question.type.has_choices:
        return list(CANDIDATES.get(question.type, []))
    options = [c.name for c in form.choices_for(question)]
    return [[o] for o in options] if question.type is T.SELECT_MULTIPLE else list(options)


def valid_answers(form: Questionnaire) -> dict[str, object]:
    """Answers the platform accepts: each question's first candidate, the next one where refused."""
    answers = {
        q.name: _alternatives(form, q.name)[0]
        for q in form.questions
        if q.type not in (T.NOTE, T.CALCULATE) and _alternatives(form, q.name)
    }
    for _ in range(10):
        result = validate(form, answers, form.default_language)
        if result.ok:
            return {name: value for name, value in answers.items() if name in result.answers}
        for error in result.errors:
            options = _alternatives(form, error.question)
            current = answers.get(error.question)
            following = options.index(current) + 1 if current in options else len(options)
            if following < len(options):
                answers[error.question] = options[following]
            else:
                answers.pop(error.question, None)
    raise AssertionError(f"no valid answers found for {form.form_id}")


def _store(sessions: sessionmaker[Session], name: str, form: Questionnaire) -> FieldEnv:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:70]
    with transaction(sessions) as session:
        consultations = ConsultationService(session)
        consultation = consultations.create(slug, form.title or {"en": name}, actor="test")
        version = consultations.add_version(consultation, form, source_name=name, actor="test").version
        interviewer = session.query(User).filter_by(username="int1").one()
        assign(session, interviewer, consultation, actor="test")
        return FieldEnv(slug, version.id, "int1", "boss")


def test_corpus_forms_submitted_from_collect_store_what_the_tablet_stores(
    client: TestClient,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,  # type: ignore[type-arg]
) -> None:
    token = login(client)["token"]
    for name in IMPORTING:
        form = load_xlsform(CORPUS / name).questionnaire
        env = _store(sessions, name, form)
        answers = valid_answers(form)
        texts = {k: " ".join(v) if isinstance(v, list) else str(v) for k, v in answers.items()}
        _, xform = download(client, env)
        collect_uuid = str(uuid.uuid4())
        sent = submit(client, env, fill(xform, texts, f"uuid:{collect_uuid}"))
        assert sent.status_code == 201, f"{name}: {sent.text}"
        tablet_uuid = str(uuid.uuid4())
        item = {"uuid": tablet_uuid, "consultation": env.slug, "version_id": env.version_id,
                "language": form.default_language, "answers": answers}  # fmt: skip
        synced = client.post(
            "/field/api/sync", json={"items": [item]}, headers={"Authorization": f"Bearer {token}"}
        )
        assert synced.json()["results"][0]["status"] == "stored", f"{name}: {synced.text}"
        collected = stored_answers(sessions, collect_uuid)
        assert collected == stored_answers(sessions, tablet_uuid), name
        assert len(collected) >= len(answers), name
