"""Population tables in the console: derive targets by the CLI's rule, check, save as a new version."""

from __future__ import annotations

import re

from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.models import AuditEntry, Target, TargetSet
from tests.console.conftest import csrf, post
from tests.factories import store_demo_form

PAGE = "/console/c/panel/targets"
TABLE = b"sex,age_group,count\nF,18-24,30\nF,65+,20\nM,18-24,40\nM,65+,10\n"
HIDDEN = re.compile(r'name="(payload|signature)" value="([^"]+)"')


def _derive(client: TestClient, table: bytes = TABLE, name: str = "pop.csv", variables: str = "sex,sex:age_group",
            lang: str = "en") -> object:  # fmt: skip
    return client.post(
        f"{PAGE}/derive?lang={lang}",
        data={"csrf_token": csrf(client, PAGE), "variables": variables, "label": "census", "source": ""},
        files={"table": (name, table, "text/csv")},
    )


def test_derived_targets_are_shown_then_saved_as_a_dated_version_with_their_source(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    store_demo_form(sessions, "panel")
    shown = _derive(client)
    assert shown.status_code == 200
    assert "Population: 100 · source: population table pop.csv" in shown.text
    assert ">0.3000<" in shown.text and ">F:18-24<" in shown.text
    hidden = dict(HIDDEN.findall(shown.text))
    saved = post(client, f"{PAGE}/save", hidden, token_from=PAGE)
    assert saved.status_code == 303 and saved.headers["location"].endswith("targets?version=1")
    again = post(client, f"{PAGE}/save", hidden, token_from=PAGE)
    assert again.status_code == 303 and again.headers["location"].endswith("?version=2")
    with sessions() as session:
        sets = session.scalars(select(TargetSet).order_by(TargetSet.version)).all()
        assert [(s.version, s.label, s.source, s.population) for s in sets] == [
            (1, "census", "population table pop.csv", 100.0),
            (2, "census", "population table pop.csv", 100.0),
        ]
        cells = {(t.variable, t.category): round(t.share, 6) for t in session.scalars(
            select(Target).where(Target.target_set_id == sets[0].id))}  # fmt: skip
        assert cells[("sex", "F")] == 0.5 and cells[("sex:age_group", "M:65+")] == 0.1 and len(cells) == 6
        assert (
            session.scalar(select(AuditEntry.actor).where(AuditEntry.action == "upload_targets"))
            == "organiser"
        )
    listing = client.get(f"{PAGE}?version=1&lang=nl").text
    assert "population table pop.csv" in listing and "Versie" in listing


def test_a_tampered_preview_is_refused(client: TestClient, sessions: sessionmaker[Session]) -> None:
    store_demo_form(sessions, "panel")
    hidden = dict(HIDDEN.findall(_derive(client).text))
    hidden["payload"] = hidden["payload"][:-4] + "AAAA"
    answer = post(client, f"{PAGE}/save?lang=en", hidden, token_from=PAGE)
    assert answer.status_code == 400 and "did not come from this page" in answer.text
    with sessions() as session:
        assert session.scalars(select(TargetSet)).all() == []


def test_bad_tables_and_margins_name_the_field_without_a_traceback(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    store_demo_form(sessions, "panel")
    cases = [
        (b"sex,count\nF,3\n,4\n", "pop.csv", "sex", "column &#39;sex&#39; is empty at data row 2"),
        (b"sex,n\nF,3\n", "pop.csv", "sex", "no column &#39;count&#39;"),
        (TABLE, "pop.csv", "region", "no column &#39;region&#39;"),
        (TABLE, "pop.xlsx", "sex", "Population table: accepted formats"),
        (TABLE, "pop.csv", " , ", "Margins: name at least one column"),
        (b"\xff\xfe\x00garbage", "pop.parquet", "sex", "pop.parquet"),
    ]
    for table, name, variables, needle in cases:
        answer = _derive(client, table, name, variables)
        assert answer.status_code == 400, (name, variables, answer.text[:300])
        assert needle in answer.text and "Traceback" not in answer.text
    in_dutch = _derive(client, b"sex,count\nF,3\n,4\n", "pop.csv", "sex", lang="nl")
    assert "pop.csv: kolom „sex” is leeg op gegevensrij 2" in in_dutch.text
    region = _derive(client, b"sex,region,count\nF,north,3\nM,north,4\n", variables="sex,region")
    hidden = dict(HIDDEN.findall(region.text))
    refused = post(client, f"{PAGE}/save?lang=en", hidden, token_from=PAGE)
    assert (
        refused.status_code == 400
        and "do not fit the questionnaire" in refused.text
        and "region" in refused.text
    )


def test_an_upload_above_the_limit_is_refused_with_a_message(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    from survey.console.targets import MAX_UPLOAD

    store_demo_form(sessions, "panel")
    answer = _derive(client, b"sex,count\n" + b"F,1\n" * ((MAX_UPLOAD + 10) // 4), lang="fr")
    assert answer.status_code == 413 and "le fichier dépasse 8 Mo" in answer.text
    far = client.post(f"{PAGE}/derive?lang=fr", headers={"Accept": "text/html"},
                      files={"table": ("pop.csv", b"F,1\n" * (MAX_UPLOAD // 2), "text/csv")})  # fmt: skip
    assert far.status_code == 413 and "trop volumineux" in far.text and "Traceback" not in far.text
