"""The self-contained report: one HTML file (inline CSS and SVG) or a PDF rendered from it.

Why one HTML source for both: the PDF is exactly what the analyst reviewed in the browser, and
the HTML opens anywhere with no server (no external CSS, script or image).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from survey import __version__
from survey.analyst.render import bias_chart, diagnostics_charts, question_chart, render, stylesheet
from survey.analyst.services import WeightingSpec, bias_audit, load_context, run_analysis
from survey.store.errors import StoreError


def report_html(session: Session, slug: str, spec: WeightingSpec | None = None) -> str:
    """Run the analysis and render every section into one HTML document."""
    context = load_context(session, slug)
    if not context.target_rows:
        raise StoreError(f"consultation '{slug}' has no targets: upload them before reporting")
    analysis = run_analysis(context, spec or WeightingSpec())
    audit = bias_audit(context, analysis)
    return render(
        "analyst/report.html",
        ctx=context,
        analysis=analysis,
        charts=diagnostics_charts(analysis),
        items=[{"result": r, "chart": question_chart(r)} for r in analysis.results],
        audit=audit,
        margins=bias_chart(audit),
        css=stylesheet(),
        data_hash=context.data_hash(),
        version=__version__,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def write_pdf(html: str, path: Path) -> None:
    """Render with WeasyPrint (imported lazily: it needs Pango, which a server may lack)."""
    from weasyprint import HTML  # noqa: PLC0415 - optional: needs Pango, absent on some servers

    HTML(string=html).write_pdf(str(path))
