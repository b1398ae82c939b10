"""Problems worded in English by the services reach the console in the reader's language.

The sentences come from the real code paths: a population table the console cannot read goes
through ``survey.tabular`` as an upload would, and refused grants come from the grants service
itself, so a change of wording there that the console no longer knows fails here.
"""

from __future__ import annotations

import html

import pytest
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from survey.console.problem_texts import problem
from survey.store.errors import StoreError
from survey.store.models import Role
from survey.store.services import grants
from tests.console.conftest import csrf, make_user
from tests.factories import store_demo_form

PAGE = "/console/c/panel/targets"


def _derive(client: TestClient, table: bytes, lang: str) -> str:
    answer = client.post(
        f"{PAGE}/derive?lang={lang}",
        data={"csrf_token": csrf(client, PAGE), "variables": "sex", "label": "census", "source": ""},
        files={"table": ("pop.csv", table, "text/csv")},
    )
    assert answer.status_code == 400, answer.text[:300]
    assert "Traceback" not in answer.text
    return html.unescape(answer.text)


def test_an_unreadable_population_table_is_explained_in_french_dutch_and_english(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    store_demo_form(sessions, "panel")
    ragged = b"sex,count\nF,3\nM,4,9\n"
    assert "impossible de lire pop.csv : la ligne 3 a 3 champs, l'en-tête en a 2" in _derive(
        client, ragged, "fr"
    )
    assert "pop.csv kan niet gelezen worden: regel 3 heeft 3 velden, de kopregel 2" in _derive(
        client, ragged, "nl"
    )
    assert "cannot read pop.csv: line 3 has 3 fields, the header has 2" in _derive(client, ragged, "en")
    twice = b"sex,sex,count\nF,F,3\n"
    assert "kolom „sex” staat meer dan eens in de kopregel" in _derive(client, twice, "nl")
    binary = b"sex,count\nF\x81,3\n"  # 0x81: no character in UTF-8 (alone) nor in Windows-1252
    assert "la ligne 2 n'est ni du texte UTF-8 ni du Windows-1252" in _derive(client, binary, "fr")
    words = b"sex,count\nF,drie\n"
    assert "pop.csv: kolom „count”: 'drie' op gegevensrij 1 is geen getal" in _derive(client, words, "nl")


def _refusal(sessions: sessionmaker[Session], **kwargs: object) -> str:
    with sessions() as session, pytest.raises(StoreError) as refused:
        grants.grant(session, by="test", **kwargs)  # type: ignore[arg-type]
    return str(refused.value)


def test_refused_grants_are_worded_in_the_readers_language(sessions: sessionmaker[Session]) -> None:
    consultation_id = store_demo_form(sessions, "panel").consultation_id
    analyst = make_user(sessions, "ana", Role.ANALYST)
    wrong_role = _refusal(sessions, user_id=analyst, consultation_id=consultation_id, role=Role.COORDINATOR)
    assert (
        problem(wrong_role, "nl") == "ana is analist, geen coördinator: wijzig eerst de rol van het account"
    )
    assert (
        problem(wrong_role, "fr") == "ana est analyste, pas coordinateur : changez d'abord le rôle du compte"
    )
    global_role = _refusal(sessions, user_id=analyst, consultation_id=consultation_id, role=Role.ADMIN)
    assert problem(global_role, "fr") == (
        "le rôle administrateur vaut pour toutes les consultations et ne s'attribue pas par consultation"
    )
    no_user = _refusal(sessions, user_id=2**30, consultation_id=consultation_id, role=Role.ANALYST)
    assert problem(no_user, "nl") == f"geen account nr. {2**30}"
    no_consultation = _refusal(sessions, user_id=analyst, consultation_id=2**30, role=Role.ANALYST)
    assert problem(no_consultation, "en") == f"no consultation {2**30}"


def test_a_sentence_the_console_does_not_know_is_kept_as_it_is() -> None:
    assert problem("cannot read pop.parquet: parquet: invalid magic", "fr") == (
        "impossible de lire pop.parquet : parquet: invalid magic"
    )
    assert problem("something new", "nl") == "something new"
