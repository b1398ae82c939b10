"""Malformed staff forms and uploads get a 4xx with a message, never a 500, and store nothing."""

from __future__ import annotations

from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.models import TargetSet
from tests.analyst.conftest import PASSWORD, SLUG, TARGETS_GOOD, csrf, login

PAGE = f"/analyst/{SLUG}"


def _target_sets(demo: sessionmaker[Session]) -> int:
    with demo() as session:
        return int(session.scalar(select(func.count(TargetSet.id))) or 0)


def test_a_file_in_place_of_the_token_or_bytes_that_are_not_text_are_refused(client: TestClient) -> None:
    token = csrf(client)
    as_file = client.post(
        "/analyst/login",
        data={"username": "analyst", "password": PASSWORD},
        files={"csrf_token": ("token.txt", token.encode(), "text/plain")},
    )
    assert as_file.status_code == 403
    latin1 = (
        b'--b\r\nContent-Disposition: form-data; name="username"\r\n\r\nanalyst\xe9\r\n'
        b'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
        + token.encode()
        + b"\r\n--b--\r\n"
    )
    garbled = client.post(
        "/analyst/login", content=latin1, headers={"Content-Type": "multipart/form-data; boundary=b"}
    )
    assert garbled.status_code == 400 and "UTF-8" in garbled.text
    coordinator = client.post(
        "/field/coordinator/login",
        content=latin1,
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert coordinator.status_code == 400


def test_unreadable_csv_and_impossible_population_store_no_targets(
    client: TestClient, demo: sessionmaker[Session]
) -> None:
    assert login(client) == 303
    before = _target_sets(demo)
    token = csrf(client, PAGE)
    huge_field = "variable,category,share\nsex," + "F" * 200_000 + ",0.5\n"
    unreadable = client.post(
        f"{PAGE}/targets?lang=fr", data={"csrf_token": token},
        files={"file": ("t.csv", huge_field.encode(), "text/csv")},
    )  # fmt: skip
    assert unreadable.status_code == 422 and "ligne 2 : ce n&#39;est pas du CSV lisible" in unreadable.text
    for population in ("inf", "nan", "0", "-5"):
        refused = client.post(
            f"{PAGE}/targets?lang=en", data={"csrf_token": token, "population": population},
            files={"file": ("t.csv", TARGETS_GOOD.read_bytes(), "text/csv")},
        )  # fmt: skip
        assert refused.status_code == 422, population
        assert "must be a number above 0" in refused.text
    nul_label = client.post(
        f"{PAGE}/targets?lang=en", data={"csrf_token": token, "label": "L\x00"},
        files={"file": ("t.csv", TARGETS_GOOD.read_bytes(), "text/csv")},
    )  # fmt: skip
    assert nul_label.status_code == 422 and "label" in nul_label.text  # the text policy names the field
    long_label = client.post(
        f"{PAGE}/targets?lang=en", data={"csrf_token": token, "label": "L" * 400},
        files={"file": ("t.csv", TARGETS_GOOD.read_bytes(), "text/csv")},
    )  # fmt: skip
    assert long_label.status_code == 200 and "Targets stored" in long_label.text
    with demo() as session:
        newest = session.scalars(select(TargetSet).order_by(TargetSet.id.desc()).limit(1)).one()
    assert newest.label == "L" * 300
    assert _target_sets(demo) == before + 1  # only the good file with the long label
