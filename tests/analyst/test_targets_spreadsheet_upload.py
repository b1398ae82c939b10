"""Targets saved by a French or Dutch spreadsheet upload as they are, under the command line's rules.

Excel in a French or Dutch locale saves "CSV UTF-8" with a byte-order mark, or plain "CSV" in
Windows-1252, with semicolons between fields and decimal commas; the analyst must not have to edit
that file before the workbench takes it, and a file `survey weight --targets` reads must mean the
same thing here. Mistakes are named by line and column.
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
from survey.tabular_csv import EncodingError, decode_text
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
    assert "line 3, column &#39;share&#39;: share &#39;0,4,9&#39; is not a number" in response.text


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
    assert problems == [
        "line 3, column 'share': share '0,5' is not a number"
    ]  # a comma file has decimal points
    assert parse_targets_csv(io.StringIO("variable;category\nsex;F\n").read())[1] == [
        "line 1: the header must be variable,category,share"
    ]


def _as_windows_excel_saves(rows: list[tuple[str, str, float]]) -> bytes:
    """What French Excel writes as "CSV (separated by semicolons)": Windows-1252, no BOM, decimal
    commas, and here a remark column with accented words."""
    lines = ["variable;category;share;remarque"]
    lines += [f"{v};{c};{repr(s).replace('.', ',')};Région bruxelloise, données 2024" for v, c, s in rows]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def test_a_windows_1252_file_uploads_as_excel_wrote_it(
    client: TestClient, demo: sessionmaker[Session]
) -> None:
    assert login(client) == 303
    token = csrf(client, f"/analyst/{SLUG}")
    good = _good_rows()
    body = _as_windows_excel_saves(good)
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")  # the file really is not UTF-8
    response = client.post(
        f"/analyst/{SLUG}/targets?lang=en",
        data={"csrf_token": token, "label": "Excel fr 1252"},
        files={"file": ("cibles.csv", body, "text/csv")},
    )
    assert response.status_code == 200, response.text
    with demo() as session:
        consultation = session.scalars(select(Consultation).where(Consultation.slug == SLUG)).one()
        service = TargetService(session)
        latest = service.latest(consultation)
        stored = [(r.variable, r.category, r.share) for r in service.rows(latest)]
    assert latest.label == "Excel fr 1252" and sorted(stored) == sorted(good)


def test_the_command_line_reads_the_same_windows_1252_file(tmp_path: Path) -> None:
    """One rule: `survey weight --targets` reads the file the workbench took, to the same rows."""
    path = tmp_path / "cibles.csv"
    path.write_bytes(_as_windows_excel_saves(_good_rows()))
    frame = read_targets(path)
    read = [(v, c, float(s)) for v, c, s in frame.select("variable", "category", "share").iter_rows()]
    assert read == _good_rows()
    assert set(frame.get_column("remarque")) == {"Région bruxelloise, données 2024"}


def test_a_windows_1252_mistake_is_named_by_row_and_column_in_its_own_letters(client: TestClient) -> None:
    assert login(client) == 303
    token = csrf(client, f"/analyst/{SLUG}")
    body = "variable;category;share\r\nmunicipality;Liège;0,5\r\nmunicipality;bruxelles;0,5\r\n".encode(
        "cp1252"
    )
    for lang, needle in [
        (
            "en",
            "line 2, column &#39;category&#39;: category &#39;Liège&#39; is not a choice of &#39;municipality&#39;",
        ),
        ("fr", "ligne 2, colonne « category » : la catégorie « Liège »"),
        ("nl", "regel 2, kolom &#39;category&#39;"),
    ]:
        response = client.post(
            f"/analyst/{SLUG}/targets?lang={lang}",
            data={"csrf_token": token},
            files={"file": ("cibles.csv", body, "text/csv")},
        )
        assert response.status_code == 422 and needle in response.text, (lang, response.text[-3000:])


def test_bytes_that_are_no_text_are_refused_naming_the_line(client: TestClient) -> None:
    """0x81 has no character in Windows-1252 and cannot stand alone in UTF-8: not a text file."""
    assert login(client) == 303
    token = csrf(client, f"/analyst/{SLUG}")
    body = b"variable;category;share\r\nsex;F;0,5\r\nsex;M\x81;0,5\r\n"
    response = client.post(
        f"/analyst/{SLUG}/targets?lang=en",
        data={"csrf_token": token},
        files={"file": ("cibles.csv", body, "text/csv")},
    )
    assert response.status_code == 422
    assert "line 3: neither UTF-8 nor Windows-1252 text" in response.text


def test_utf_8_is_tried_first_so_a_utf_8_file_never_reads_as_windows_1252() -> None:
    text = "variable;category;share\nmunicipality;Liège;1\n"
    for raw in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("cp1252")):
        assert decode_text(raw) == text
    with pytest.raises(EncodingError) as caught:
        decode_text(b"a\nb\nc\x9d\n")
    assert caught.value.line == 3
