"""The report of a snapshot: its frozen figures (responses added later change nothing), summary
first, a table of contents, diagnostics in an appendix, table rows never split across PDF pages;
from ``survey report SLUG --snapshot N`` and as a download from the snapshot page."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
import uuid
from pathlib import Path

import pytest
import typer
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from survey.analyst.audit import bias_audit
from survey.analyst.public import public_html
from survey.analyst.services import WeightingSpec, load_context, run_analysis
from survey.analyst.snapshot_audit import freeze_audit, snapshot_labels, stored_audit
from survey.analyst.snapshot_report import snapshot_report_html
from survey.analyst.snapshots import freeze_content
from survey.cli import export, report
from survey.store.db import transaction
from survey.store.models import Answer, Response, ResultSnapshot
from survey.store.services.consultations import ConsultationService
from tests.analyst.conftest import SLUG, login, publish_default_snapshot

app = typer.Typer()
report.register(app)
export.register(app)  # two commands, as in the real app: "report" stays a subcommand
runner = CliRunner()
GENERATED = re.compile(
    r"(Generated|Produit le|Gemaakt op) [^.]+ by survey [^ ]+\.|par survey [^ ]+\.|door survey [^ ]+\."
)

CHART_IDS = re.compile(r"\bc[td]\d+\b")


def _pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return text.stdout.replace("\u202f", " ").replace("\u00a0", " ").split("\f")


@pytest.fixture(scope="module")
def frozen(demo: sessionmaker[Session]) -> int:
    """A published snapshot of the default weighting, then 60 more online "strongly agree" responses."""
    with transaction(demo) as session:
        snapshot = publish_default_snapshot(session)
        found = snapshot.id
    return found


def _add_responses(demo: sessionmaker[Session], count: int) -> None:
    """Copies of the first online response, all strongly agreeing with the merger."""
    with transaction(demo) as session:
        consultation = ConsultationService(session).get(SLUG)
        first = session.scalars(
            select(Response).where(Response.consultation_id == consultation.id, Response.mode == "online",
                                   Response.status == "complete").order_by(Response.id)
        ).first()  # fmt: skip
        assert first is not None
        answers = session.scalars(select(Answer).where(Answer.response_id == first.id)).all()
        for _ in range(count):
            key = str(uuid.uuid4())
            copy = Response(
                uuid=key, consultation_id=consultation.id, questionnaire_version_id=first.questionnaire_version_id,
                mode="online", language=first.language, status="complete",
                content_hash=hashlib.sha256(key.encode()).hexdigest(), submitted_at=dt.datetime.now(dt.UTC),
            )  # fmt: skip
            session.add(copy)
            session.flush()
            session.add_all(
                Answer(response_id=copy.id, question=a.question, position=a.position,
                       value_text="strongly_agree" if a.question == "merge_municipalities" else a.value_text,
                       value_number=a.value_number)
                for a in answers
            )  # fmt: skip


def _report(demo: sessionmaker[Session], snapshot_id: int, lang: str = "en") -> str:
    with demo() as session:
        snapshot = session.get(ResultSnapshot, snapshot_id)
        assert snapshot is not None
        # the generation time and the charts' element ids (a counter per process) differ by design
        return CHART_IDS.sub("", GENERATED.sub("", snapshot_report_html(snapshot, lang)))


def _merge_row(html: str) -> str:
    """The summary's first row (largest shift): the figures a reader quotes first."""
    return html.split('class="summary-table"')[1].split("</tr>")[1]


def test_report_shows_the_frozen_figures_after_new_responses(
    demo: sessionmaker[Session], frozen: int
) -> None:
    before = _report(demo, frozen)
    with demo() as session:
        live_before = run_analysis(load_context(session, SLUG), WeightingSpec()).summary.rows[0]
    _add_responses(demo, 60)
    with demo() as session:
        live_after = run_analysis(load_context(session, SLUG), WeightingSpec()).summary.rows[0]
    # the data did change: a rerun now gives other numbers, so an unchanged report is the snapshot's doing
    assert abs(live_after.unweighted - live_before.unweighted) > 0.005
    after = _report(demo, frozen)
    assert after == before
    assert f"{100 * live_before.unweighted:.1f}%" in _merge_row(after)
    assert f"{100 * live_after.unweighted:.1f}%" not in _merge_row(after)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ("Contents", "Summary: what weighting changed", "Methodology", "Results per question",
                "Appendix – Weighting diagnostics", "published on")),
        ("fr", ("Sommaire", "Résumé : ce que la pondération a changé", "Méthodologie", "Résultats par question",
                "Annexe – Diagnostics de la pondération", "publié le")),
        ("nl", ("Inhoud", "Samenvatting: wat de weging veranderde", "Methode", "Resultaten per vraag",
                "Bijlage – Diagnose van de weging", "gepubliceerd op")),
    ],
)  # fmt: skip
def test_summary_first_contents_and_diagnostics_in_an_appendix(
    demo: sessionmaker[Session], frozen: int, lang: str, words: tuple[str, ...]
) -> None:
    html = _report(demo, frozen, lang)
    for word in words:
        assert word in html, word
    order = [
        html.index(f'id="{anchor}"')
        for anchor in ("toc", "key-results", "methodology", "results", "appendix")
    ]
    assert order == sorted(order)
    toc = html.split('id="toc"')[1].split("</nav>")[0]
    for anchor in re.findall(r'href="#([^"]+)"', toc):
        assert f'id="{anchor}"' in html, anchor
    appendix = html.split('id="appendix"')[1]
    assert "rt." not in appendix and appendix.count("<tr>") > 10  # per-mode and fit tables, frozen
    assert "tr, th, td { break-inside: avoid" in html
    if lang != "en":
        assert ">mean<" not in html  # the numeric question's row is said in the report's language


def test_the_bias_audit_is_frozen_and_said_again_in_the_readers_language(demo: sessionmaker[Session]) -> None:
    """The stored audit, read back, is the live audit of the same run (summary included, in FR)."""
    with demo() as session:
        context = load_context(session, SLUG)
    analysis = run_analysis(context, WeightingSpec())
    content = json.loads(json.dumps(freeze_content(context, analysis)))  # as the JSON column stores it
    live = bias_audit(context, analysis, "fr")
    again = stored_audit(content, snapshot_labels(content), "fr")
    assert again is not None and again.rows and again.margins and again.mode_effects
    assert freeze_audit(again) == json.loads(json.dumps(freeze_audit(live)))
    assert again.summary == live.summary
    assert (
        stored_audit({k: v for k, v in content.items() if k != "bias_audit"}, snapshot_labels(content), "fr")
        is None
    )


def test_report_and_public_page_show_the_frozen_bias_audit_or_say_it_is_not_stored(
    demo: sessionmaker[Session], frozen: int
) -> None:
    html = _report(demo, frozen, "nl")
    toc = html.split('id="toc"')[1].split("</nav>")[0]
    assert 'href="#bias"' in toc and "Vertekeningsaudit" in toc
    bias = html.split('<section id="bias">')[1].split("</section>")[0]
    assert 'id="bias-summary"' in bias and 'id="bias-rows"' in bias and 'id="mode-effects"' in bias
    order = [html.index(f'id="{anchor}"') for anchor in ("results", "bias", "appendix")]
    assert order == sorted(order)
    with demo() as session:
        snapshot = session.get(ResultSnapshot, frozen)
        assert snapshot is not None
        first = snapshot.content["bias_audit"]["rows"][0]
        public = public_html(snapshot, "fr")
        assert f"{100 * first['online']:.1f}".replace(".", ",") in bias.split('id="bias-rows"')[1]
        assert 'id="bias-audit"' in public and "Audit des biais" in public and 'id="bias-rows"' in public
        snapshot.content = {
            k: v for k, v in snapshot.content.items() if k != "bias_audit"
        }  # as frozen before
        old_report, old_public = snapshot_report_html(snapshot, "en"), public_html(snapshot, "nl")
        session.rollback()
    assert 'id="no-bias-audit"' in old_report and "Bias audit not stored in this snapshot" in old_report
    assert 'id="no-bias-audit"' in old_public and "niet bewaard in deze momentopname" in old_public


def test_cli_pdf_of_a_snapshot_keeps_table_rows_whole(
    demo: sessionmaker[Session], demo_url: str, frozen: int, tmp_path: Path
) -> None:
    out = tmp_path / "snapshot.pdf"
    result = runner.invoke(
        app, ["report", SLUG, "--snapshot", str(frozen), "--out", str(out), "--language", "fr",
              "--database-url", demo_url],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pages = _pdf_pages(out)
    assert len(pages) > 4
    assert "Sommaire" in pages[0] and "Résumé : ce que la pondération a changé" in pages[0] + pages[1]
    appendix = next(i for i, p in enumerate(pages) if "Annexe – Diagnostics de la pondération" in p
                    and "Effet de plan et taille d'échantillon effective" in p)  # fmt: skip
    results = next(i for i, p in enumerate(pages) if "Résultats par question" in p and "Sommaire" not in p)
    assert 0 < results < appendix
    with demo() as session:
        snapshot = session.get(ResultSnapshot, frozen)
        assert snapshot is not None
        rows = snapshot.content["summary"]["rows"]
    checked = 0
    for row in rows:  # the row's block of lines (rows are apart by blank lines) holds all its words
        weighted, unweighted = (
            f"{100 * row[k]:.1f}".replace(".", ",") + " %" for k in ("weighted", "unweighted")
        )
        words = f"{row['question_labels']['fr']} {row['labels']['fr']}".split()
        blocks = [block for page in pages for block in re.split(r"\n\s*\n", page)
                  if any(weighted in line and unweighted in line for line in block.splitlines())]  # fmt: skip
        assert any(all(word in block for word in words) for block in blocks), (words, weighted, blocks)
        checked += 1
    assert checked == len(rows) > 10


def test_cli_refuses_snapshot_with_a_method_and_an_unknown_snapshot(
    demo_url: str, frozen: int, tmp_path: Path
) -> None:
    out = str(tmp_path / "r.html")
    mixed = runner.invoke(app, ["report", SLUG, "--snapshot", str(frozen), "--method", "linear", "--out", out,
                                "--database-url", demo_url])  # fmt: skip
    assert mixed.exit_code != 0 and "--snapshot" in mixed.output
    missing = runner.invoke(
        app, ["report", SLUG, "--snapshot", "99999", "--out", out, "--database-url", demo_url]
    )
    assert missing.exit_code != 0 and "99999" in missing.output


def test_download_from_the_snapshot_page(client: TestClient, frozen: int) -> None:
    assert login(client) == 303
    review = client.get(f"/analyst/{SLUG}/snapshots/{frozen}")
    assert f"/analyst/{SLUG}/snapshots/{frozen}/report?format=pdf&amp;lang=fr" in review.text
    pdf = client.get(f"/analyst/{SLUG}/snapshots/{frozen}/report?format=pdf&lang=fr")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers["content-disposition"]
    page = client.get(f"/analyst/{SLUG}/snapshots/{frozen}/report?format=html&lang=nl")
    assert page.status_code == 200 and "Bijlage – Diagnose van de weging" in page.text
    assert client.get(f"/analyst/{SLUG}/snapshots/{frozen}/report?format=docx").status_code == 400
    assert TestClient(client.app).get(
        f"/analyst/{SLUG}/snapshots/{frozen}/report", follow_redirects=False
    ).status_code in (302, 303, 401)
