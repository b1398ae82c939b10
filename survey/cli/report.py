"""``survey report``: the weighted results of one consultation as self-contained HTML or PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import survey.store.models  # noqa: F401  (every mapped table, field and snapshot ones included)
from survey.analyst import snapshots
from survey.analyst.report import REPORT_STAGES, report_html, write_pdf
from survey.analyst.report_text import REPORT_TEXT, report_language
from survey.analyst.services import METHODS, WeightingSpec
from survey.analyst.snapshot_report import snapshot_report_html
from survey.cli._common import DatabaseOption, fail, out, sessions, stages
from survey.store.errors import StoreError
from survey.store.services.consultations import ConsultationService
from weighting import WeightingError

__all__ = ["register"]


def _spec(method: str, trim: str | None) -> WeightingSpec:
    if method not in METHODS:
        fail(f"--method must be one of {', '.join(METHODS)}")
    caps = None
    if trim:
        try:
            lo, hi = (float(p) for p in trim.split(","))
        except ValueError:
            fail(f"--trim must be two numbers LO,HI (got {trim!r})")
        caps = (lo, hi)
    return WeightingSpec(method=method, trim=caps)


def report_command(
    consultation: Annotated[str, typer.Argument(help="Consultation slug, e.g. brussels-futures.")],
    out_path: Annotated[Path, typer.Option("--out", help="report.html (self-contained) or report.pdf.")],
    method: Annotated[
        str | None,
        typer.Option(help="rake (default) | poststratify | linear | logit | raking.", show_default=False),
    ] = None,
    trim: Annotated[str | None, typer.Option(help="LO,HI caps on g, e.g. 0.3,3.")] = None,
    scheme: Annotated[
        str | None,
        typer.Option(
            help="A saved weighting scheme (survey scheme list): its targets version, method, "
            "margins, bounds and trimming; not with --method or --trim."
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(help="fr | nl | en: the report's language (default: from LC_ALL/LANG, else en)."),
    ] = None,
    snapshot: Annotated[
        int | None,
        typer.Option(help="Report this snapshot's frozen figures (see /analyst/SLUG) instead of a new run."),
    ] = None,
    database_url: str | None = DatabaseOption,
) -> None:
    """Weight the latest targets and write diagnostics, results per question and the bias audit."""
    if out_path.suffix not in {".html", ".pdf"}:
        fail("--out must end in .html or .pdf")
    if language is not None and language not in REPORT_TEXT:
        fail(f"--language must be one of {', '.join(REPORT_TEXT)} (got {language!r})")
    if not out_path.resolve().parent.is_dir():
        fail(f"cannot write {out_path}: folder {out_path.parent} does not exist")
    if scheme is not None and (method is not None or trim is not None):
        fail("--scheme fixes the method and the trimming: give --scheme alone, or --method/--trim without it")
    if snapshot is not None and (method is not None or trim is not None or scheme is not None):
        fail("--snapshot reports the snapshot's own weighting: leave out --method, --trim and --scheme")
    spec = _spec(method or "rake", trim)
    pdf = out_path.suffix == ".pdf"
    with stages((1 if snapshot is not None else len(REPORT_STAGES)) + pdf) as stage:
        try:
            with sessions(database_url)() as session:
                if snapshot is None:
                    html = report_html(
                        session, consultation, spec, report_language(language), stage, scheme=scheme
                    )
                else:
                    stage(f"reading snapshot {snapshot}")
                    frozen = snapshots.of_consultation(
                        session, ConsultationService(session).get(consultation), snapshot
                    )
                    html = snapshot_report_html(frozen, report_language(language))
        except (StoreError, WeightingError) as exc:
            fail(str(exc))
        if not pdf:
            out_path.write_text(html, encoding="utf-8")
        else:
            stage("writing the PDF")
            try:
                write_pdf(html, out_path)
            except ImportError as exc:
                fail(f"PDF needs WeasyPrint (pip install weasyprint): {exc}")
    out.print(f"wrote {out_path}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``survey report`` to the main app."""
    app.command("report", help=report_command.__doc__)(report_command)
