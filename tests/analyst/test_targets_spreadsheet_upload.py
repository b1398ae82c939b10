"""Targets saved by a French or Dutch spreadsheet upload as they are, under the command line's rules.

Excel in a French or Dutch locale saves "CSV UTF-8" with a byte-order mark, semicolons between
fields and decimal commas; the analyst must not have to edit that file before the workbench takes
it, and a file `survey weight --targets` reads must mean the same thing here.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.analyst.targets_csv import parse_targets_csv
from survey.store.models import Consultation
from survey.store.services.targets import TargetService
from survey.tabular import read_targets
from tests.analyst.conftest import SLUG, TARGETS_GOOD, csrf, login


def _good_rows() -> list[tuple[str, str, float]]:
    with TARGETS_GOOD.open(newline="", encoding="utf-8") as fh:
        return [(r["variable"], r["category"], float(r["share"])) for r in csv.DictReader(fh)]


def _as_excel_saves(rows: list[tuple[str, str, float]], separator: str) -> bytes:
    """The rows as a French/Dutch Excel writes "CSV UTF-8": BOM, CRLF, decimal commas, a stray space."""
    lines = [separator.join(("Variable", "Category", "Share"))]
    lines += [separator.join((v, f"{c} ", repr(s).replace(".", ","))) for v, c, s in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.mark.parametrize("separator", [";", "\t"])
def test_excel_file_uploads_with_its_shares(
    client: TestClient, demo: sessionmaker[Session], separator: str
) -> None:
    assert login(client) == 303
    token = csrf(client, f"/analyst/{SLUG}")
    good = _good_rows()
    response = client.post(
        f"/analyst/{SLUG}/targets?lang=en",
        data={"csrf_token": token, "label": "Excel fr"},
        files={"file": ("cibles.csv", _as_excel_saves(good, separator), "text/csv")},
    )
    assert response.status_code == 200, response.text
    assert "Targets stored" in response.text
    with demo() as session:
        consultation = session.scalars(select(Consultation).where(Consultation.slug == SLUG)).one()
        service = TargetService(session)
        stored = [(r.variable, r.category, r.share) for r in service.rows(service.latest(consultation))]
    assert sorted(stored) == sorted(good)  # categories trimmed, shares read with their decimal comma


def test_a_spreadsheet_file_with_a_wrong_share_names_its_line(client: TestClient) -> None:
    assert login(client) == 303
    token = csrf(client, f"/analyst/{SLUG}")
    body = "\ufeffvariable;category;share\r\nsex;F;0,51\r\nsex;M;0,4,9\r\n".encode()
    response = client.post(
        f"/analyst/{SLUG}/targets?lang=en",
        data={"csrf_token": token},
        files={"file": ("cibles.csv", body, "text/csv")},
    )
    assert response.status_code == 422
    assert "line 3: share &#39;0,4,9&#39; is not a number" in response.text


def test_the_category_rule_is_the_command_line_s(tmp_path: Path) -> None:
    text = (
        "\ufeffvariable;category;share\r\n"
        "size;1.0;0,25\r\nsize;2.50 ;0,25\r\nsize;01;0,25\r\nsize; NA;0,125\r\n"
        "size:sex;10.:F;0,125\r\n"
    )
    rows, problems = parse_targets_csv(text)
    assert problems == []
    web = [(r.variable, r.category, r.share) for r in rows]
    assert [c for _, c, _ in web] == ["1", "2.5", "01", "NA", "10:F"]
    path = tmp_path / "targets.csv"
    path.write_bytes(text.encode("utf-8"))
    cli = read_targets(path)
    assert web == [
        (v, c, float(s)) for v, c, s in zip(cli["variable"], cli["category"], cli["share"], strict=True)
    ]


def test_a_comma_file_keeps_reading_as_before() -> None:
    rows, problems = parse_targets_csv('variable,category,share\nsex,"F",0.5\nsex,M,"0,5"\n')
    assert [(r.category, r.share) for r in rows] == [("F", 0.5)]
    assert problems == ["line 3: share '0,5' is not a number"]  # a comma file has decimal points
    assert parse_targets_csv(io.StringIO("variable;category\nsex;F\n").read())[1] == [
        "line 1: the header must be variable,category,share"
    ]
