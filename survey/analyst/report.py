"""The self-contained report: one HTML file (inline CSS and SVG) or a PDF rendered from it.

Why one HTML source for both: the PDF is exactly what the analyst reviewed in the browser, and
the HTML opens anywhere with no server (no external CSS, script or image).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from survey import __version__
from survey.analyst.audit import BiasAudit, bias_audit
from survey.analyst.formatting import number
from survey.analyst.render import (
    bias_chart,
    comment_groups,
    diagnostics_charts,
    question_chart,
    render,
    stylesheet,
)
from survey.analyst.report_text import mode_name, report_text
from survey.analyst.services import Analysis, Context, WeightingSpec, load_context, run_analysis
from survey.store.errors import StoreError

REPORT_COMMENTS = 25  # per question: a report is read, not searched (all comments are in the export)


REPORT_STAGES = (
    "loading responses",
    "weighting and estimating every question",
    "bias audit and mode effects",
    "rendering",
)


def report_html(
    session: Session,
    slug: str,
    spec: WeightingSpec | None = None,
    lang: str = "en",
    stage: Callable[[str], None] = lambda _name: None,
    *,
    scheme: str | None = None,
) -> str:
    """Run the analysis and render every section into one HTML document in ``lang``.

    ``scheme`` names a saved weighting scheme (its targets version and choices replace ``spec``);
    ``stage`` is told as each of :data:`REPORT_STAGES` starts (the CLI shows it as progress).
    """
    stage(REPORT_STAGES[0])
    context = load_context(session, slug, scheme=scheme)
    if not context.target_rows:
        raise StoreError(f"consultation '{slug}' has no targets: upload them before reporting")
    stage(REPORT_STAGES[1])
    chosen = (
        WeightingSpec.of_scheme(context.scheme) if context.scheme is not None else spec or WeightingSpec()
    )
    analysis = run_analysis(context, chosen)
    stage(REPORT_STAGES[2])
    audit = bias_audit(context, analysis, lang)
    stage(REPORT_STAGES[3])
    return render_report(context, analysis, audit, lang)


def render_report(context: Context, analysis: Analysis, audit: BiasAudit, lang: str = "en") -> str:
    """Render an analysis already run (split out so the benchmark can time rendering alone)."""
    labels = context.labels
    modes = ", ".join(f"{number(n, lang)} {mode_name(m, lang)}" for m, n in analysis.n.items() if m != "all")
    return render(
        "analyst/report.html",
        ctx=context,
        analysis=analysis,
        lab=labels,
        lang=lang,
        rt=report_text(lang),
        modes=modes,
        charts=diagnostics_charts(analysis, labels, lang),
        items=[{"result": r, "chart": question_chart(r, lang)} for r in analysis.results],
        comment_groups=comment_groups(analysis.comments, REPORT_COMMENTS),
        audit=audit,
        margins=bias_chart(audit, labels, lang),
        css=stylesheet(),
        data_hash=context.data_hash(),
        version=__version__,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def write_pdf(html: str, path: Path) -> None:
    """Render with WeasyPrint (imported lazily: it needs Pango, which a server may lack)."""
    path.write_bytes(pdf_bytes(html))


def pdf_bytes(html: str) -> bytes:
    """The PDF of ``html`` in memory (a browser download needs no file on the server)."""
    from weasyprint import HTML  # noqa: PLC0415 - optional: needs Pango, absent on some servers

    found: bytes = HTML(string=html).write_pdf()
    return found
