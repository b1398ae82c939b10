"""``survey report`` and ``survey export``: files that read back, a PDF with its sections."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pyreadstat
import pytest
import typer
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from survey.analyst.report import REPORT_STAGES, report_html
from survey.cli import export, report
from tests.analyst.conftest import SLUG

app = typer.Typer()
report.register(app)
export.register(app)
runner = CliRunner()


def _run(*args: str) -> None:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output


def test_report_html_is_self_contained(demo: sessionmaker[Session], demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    _run("report", SLUG, "--out", str(out), "--database-url", demo_url)
    html = out.read_text()
    for section in ("Methodology", "Weighting diagnostics", "Results per question", "Bias audit"):
        assert section in html
    assert "<svg" in html and "<link" not in html and "src=" not in html


def test_report_pdf_sections_and_render(demo: sessionmaker[Session], demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    _run("report", SLUG, "--out", str(out), "--database-url", demo_url)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for section in ("Methodology", "Weighting diagnostics", "Results per question", "Bias audit"):
        assert section in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", str(out), str(tmp_path / "p")], check=True
    )
    pages = sorted(tmp_path.glob("p*.png"))
    assert len(pages) == 2 and all(p.stat().st_size > 2000 for p in pages)


SECTIONS = {
    "fr": ("Méthodologie", "Diagnostics de la pondération", "Résultats par question", "Audit des biais"),
    "nl": ("Methode", "Diagnose van de weging", "Resultaten per vraag", "Vertekeningsaudit"),
}


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_report_in_french_and_dutch(
    demo: sessionmaker[Session], demo_url: str, tmp_path: Path, lang: str
) -> None:
    out = tmp_path / "report.html"
    _run("report", SLUG, "--out", str(out), "--language", lang, "--database-url", demo_url)
    html = out.read_text()
    assert f'<html lang="{lang}">' in html
    for section in SECTIONS[
        lang
    ]:  # the diagnostics are the appendix: "Annexe – Diagnostics de la pondération"
        assert re.search(rf"<h2>([^<]* – )?{re.escape(section)}</h2>", html), section
    for english in ("Weighting diagnostics", "Bias audit", "Open comments", "What the field work brought in"):
        assert english not in html
    # The form's own labels in that language, and figures written the local way (45,2 % / 45,2%)
    assert {"fr": "Femme", "nl": "Vrouw"}[lang] in html
    percent = r"\d,\d\u202f%" if lang == "fr" else r"\d,\d%"
    assert re.search(percent, html) and not re.search(r"\d\.\d%", html)
    summary = re.search(r'<ul id="bias-summary">(.*?)</ul>', html, re.S)
    assert (
        summary and {"fr": "des répondants en ligne", "nl": "van de online respondenten"}[lang] in summary[1]
    )


def test_report_language_from_the_locale(demo: sessionmaker[Session], demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        app,
        ["report", SLUG, "--out", str(out), "--database-url", demo_url],
        env={"LC_ALL": "", "LC_MESSAGES": "", "LANG": "nl_BE.UTF-8"},
    )
    assert result.exit_code == 0, result.output
    assert '<html lang="nl">' in out.read_text()


def test_report_pdf_in_french(demo: sessionmaker[Session], demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "rapport.pdf"
    _run("report", SLUG, "--out", str(out), "--language", "fr", "--database-url", demo_url)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for section in SECTIONS["fr"]:
        assert section in text
    assert "Ce que le travail de terrain a apporté" in text


def test_report_names_each_stage_as_it_starts(demo: sessionmaker[Session]) -> None:
    started: list[str] = []
    with demo() as session:
        html = report_html(session, SLUG, lang="nl", stage=started.append)
    assert started == list(REPORT_STAGES) and "Vertekeningsaudit" in html


def test_report_refuses_bad_output(demo: sessionmaker[Session], demo_url: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["report", SLUG, "--out", str(tmp_path / "r.docx"), "--database-url", demo_url]
    )
    assert result.exit_code == 2
    result = runner.invoke(
        app, ["report", "nope", "--out", str(tmp_path / "r.html"), "--database-url", demo_url]
    )
    assert result.exit_code == 2 and "nope" in result.output
    result = runner.invoke(
        app,
        [
            "report",
            SLUG,
            "--out",
            str(tmp_path / "r.html"),
            "--language",
            "de",
            "--database-url",
            demo_url,
        ],
    )
    assert result.exit_code == 2 and "--language" in result.output and not (tmp_path / "r.html").exists()


def test_exports_read_back(demo: sessionmaker[Session], demo_url: str, tmp_path: Path) -> None:
    frames = {}
    for fmt in ("csv", "parquet", "sav", "dta"):
        out = tmp_path / f"data.{fmt}"
        _run("export", SLUG, "--format", fmt, "--out", str(out), "--database-url", demo_url)
        assert (tmp_path / "data.codebook.csv").exists()
        frames[fmt] = out
    csv = pl.read_csv(frames["csv"])
    parquet = pl.read_parquet(frames["parquet"])
    assert csv.height == parquet.height == 1151
    assert (
        csv["weight"].sum()
        == pytest.approx(parquet["weight"].sum())
        == pytest.approx(parquet["weight"].sum())
    )
    sav, meta = pyreadstat.read_sav(str(frames["sav"]))
    assert len(sav) == 1151 and meta.variable_value_labels["sex"] == {1.0: "Woman", 2.0: "Man"}
    assert str(meta.column_names_to_labels["weight"]).startswith("Final weight")
    assert "merge_why_not__cost" in sav.columns
    dta, dmeta = pyreadstat.read_dta(str(frames["dta"]))
    assert len(dta) == 1151 and dmeta.variable_value_labels["education"]
    assert (
        sav["weight"].sum() == pytest.approx(dta["weight"].sum()) == pytest.approx(float(csv["weight"].sum()))
    )
    codebook = pl.read_csv(tmp_path / "data.codebook.csv")
    assert {"variable", "label", "value", "value_label"} <= set(codebook.columns)
    assert shutil.which("pdftotext")
