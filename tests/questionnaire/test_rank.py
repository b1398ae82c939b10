"""``rank``: every choice placed once, stored as ODK stores it (the names in order, space-separated)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from survey.http import ratelimit
from survey.questionnaire.errors import FormError
from survey.questionnaire.model import Questionnaire, QuestionType
from survey.questionnaire.validation import validate
from survey.questionnaire.xlsform import load_xlsform
from survey.store.db import transaction
from survey.store.models import Answer
from survey.store.services.consultations import ConsultationService
from survey.store.services.frames import responses_frame
from tests.app_pool import lent_app
from tests.questionnaire.test_xlsform_bugs import workbook
from tests.web.test_flow import post, token

PRIORITIES = [
    ["list_name", "name", "label::English (en)", "label::Français (fr)", "label::Nederlands (nl)"],
    ["prio", "parks", "Parks", "Parcs", "Parken"],
    ["prio", "roads", "Roads", "Routes", "Wegen"],
    ["prio", "schools", "Schools", "Écoles", "Scholen"],
]


def rank_form(tmp_path: Path) -> Questionnaire:
    path = workbook(
        tmp_path,
        [
            ["type", "name", "label::English (en)", "label::Français (fr)", "label::Nederlands (nl)", "required"],
            ["rank prio", "prio", "Your priorities", "Vos priorités", "Uw prioriteiten", "yes"],
            ["text", "why", "Why?", "Pourquoi ?", "Waarom?", ""],
        ],
        PRIORITIES,
    )  # fmt: skip
    return load_xlsform(path).questionnaire


def test_rank_imports_as_a_rank_question(tmp_path: Path) -> None:
    form = rank_form(tmp_path)
    question = form.question("prio")
    assert (question.type, question.choice_list) == (QuestionType.RANK, "prio")
    assert Questionnaire.from_dict(form.to_dict()) == form


@pytest.mark.parametrize(
    ("answer", "stored"),
    [(["roads", "parks", "schools"], "roads parks schools"), ("schools roads parks", "schools roads parks")],
)
def test_a_full_ranking_is_stored_as_ordered_names(tmp_path: Path, answer: object, stored: str) -> None:
    result = validate(rank_form(tmp_path), {"prio": answer}, "en")
    assert result.ok and result.answers == {"prio": stored}


@pytest.mark.parametrize(
    ("answer", "code", "french"),
    [
        (["roads", "roads", "parks"], "rank_repeated", "Chaque option ne peut occuper qu'une seule place"),
        (["roads", "", "parks"], "rank_incomplete", "Donnez une place à chacune des options."),
        ("roads parks", "rank_incomplete", "Donnez une place à chacune des options."),
        (["roads", "bikes", "parks"], "choice", "Choisissez une des options proposées."),
        ([], "required", "Cette question est obligatoire."),
        ({"roads": 1}, "choice", "Choisissez une des options proposées."),
    ],
)
def test_a_wrong_ranking_is_refused_by_name(tmp_path: Path, answer: object, code: str, french: str) -> None:
    result = validate(rank_form(tmp_path), {"prio": answer}, "fr")
    (error,) = result.errors
    assert (error.question, error.code) == ("prio", code)
    assert error.message.startswith(french)
    assert "prio" not in result.answers


def test_odk_collect_gets_a_native_rank_widget(tmp_path: Path) -> None:
    """The OpenRosa XForm keeps the type, so ODK Collect draws its own ranking widget."""
    from types import SimpleNamespace

    from field_app.openrosa.xform import build_xform

    form = rank_form(tmp_path)
    version = SimpleNamespace(
        content=form.to_dict(), number=1, id=1, content_hash="0" * 64, consultation_id=1
    )
    xml = str(build_xform(version).xml)  # type: ignore[arg-type]
    assert '<odk:rank ref="/data/prio_page/prio">' in xml


@pytest.fixture
def client(settings, sessions) -> Iterator[TestClient]:  # type: ignore[type-arg]
    saved = ratelimit.FORMS.limit
    ratelimit.FORMS.limit = 0  # a test posts faster than a person; the limiter has its own tests
    with lent_app(settings) as app, TestClient(app) as test_client:
        yield test_client
    ratelimit.FORMS.limit = saved


@pytest.fixture
def rank_site(tmp_path: Path, sessions):
    form = rank_form(tmp_path)
    with transaction(sessions) as session:
        service = ConsultationService(session)
        consultation = service.create("ranks", form.title, actor="test")
        service.add_version(consultation, form, source_name="rank.xlsx", actor="test")
    return form


def _begin(client):
    landing = client.get("/c/ranks?lang=en")
    return client.post(
        "/c/ranks/start", data={"csrf_token": token(landing.text), "consent": "yes", "_lang": "en"}
    )


def test_rank_page_without_javascript_stores_the_order(client, rank_site, sessions) -> None:
    page = _begin(client)
    assert page.text.count(' name="prio"') == 3  # one select per place
    assert '<label for="q-prio-place-1">Place 1</label>' in page.text
    assert '<label for="q-prio-place-3">Place 3</label>' in page.text
    repeated = post(client, page, {"prio": ["roads", "roads", "parks"]})
    assert repeated.status_code == 422
    assert "Each option can have only one place: an option is chosen twice." in repeated.text
    assert 'href="#q-prio-place-1"' in repeated.text
    # what was chosen stays chosen, so only the repeated place is changed
    assert (
        '<option value="roads" selected>' in repeated.text
        and '<option value="parks" selected>' in repeated.text
    )
    incomplete = post(client, repeated, {"prio": ["roads", "", "parks"]})
    assert "Give each option a place." in incomplete.text
    done = post(client, incomplete, {"prio": ["schools", "roads", "parks"]})
    assert "/p/2" in str(done.url)
    with sessions() as session:
        rows = session.scalars(select(Answer).where(Answer.question == "prio")).all()
        assert [(r.position, r.value_text) for r in rows] == [(0, "schools roads parks")]
    back = post(client, done, {}, action="back")
    assert '<option value="schools" selected>' in back.text
    assert back.text.index('<option value="schools" selected>') < back.text.index(
        '<option value="parks" selected>'
    )
    finished = post(client, post(client, back, {"prio": ["schools", "roads", "parks"]}), {"why": "ok"})
    assert "/thanks" in str(finished.url)
    with sessions() as session:  # the analysts' frame (exports, codebook) holds ODK's text
        consultation = ConsultationService(session).get("ranks")
        frame = responses_frame(session, consultation.id, rank_site)
    assert frame["prio"].to_list() == ["schools roads parks"]


def test_the_rank_row_of_a_real_form_is_no_longer_refused() -> None:
    """ODK Central's all-question-types fixture: its rank and photo rows imported, its video rows refused."""
    corpus = Path(__file__).resolve().parents[1] / "data" / "xlsforms"
    with pytest.raises(FormError) as caught:
        load_xlsform(corpus / "all-question-types-v2024091201-3.xlsx")
    messages = [issue.message for issue in caught.value.issues]
    assert not any("'rank'" in m for m in messages)
    assert not any("type 'image'" in m for m in messages)
    assert any("type 'video' is not supported" in m for m in messages)
