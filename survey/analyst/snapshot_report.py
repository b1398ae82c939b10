"""The report of one snapshot: the frozen figures, never a rerun.

Why from ``ResultSnapshot.content`` only: a report handed to a council must show the numbers that
were published, whatever responses or targets arrived since; reading the stored document (summary,
estimates, diagnostics) is also what keeps it identical to the public page of the same snapshot.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from survey import __version__
from survey.analyst import charts
from survey.analyst.characteristics import characteristic
from survey.analyst.labels import CROSS, Labels
from survey.analyst.public import PUBLIC_LANGS, in_words, public_chart
from survey.analyst.public_text import TEXT, exact_margins, join, method_name, methodology
from survey.analyst.public_text import date as long_date
from survey.analyst.render import bias_chart, render, stylesheet
from survey.analyst.report_text import mode_name, report_text
from survey.analyst.snapshot_audit import snapshot_labels, stored_audit
from survey.store.models import ResultSnapshot

__all__ = ["snapshot_report_html"]


def _notes(diagnostics: dict[str, Any]) -> list[object]:
    """Frozen notes as the weighting library's notes again, so they are said in the report's language."""
    from weighting.diagnostics import Note  # noqa: PLC0415  # numpy: only when a report is made

    found: list[object] = []
    for note in diagnostics.get("notes", []):
        if isinstance(note, dict):
            found.append(Note(note.get("text", ""), code=note.get("code", ""), **(note.get("values") or {})))
        else:
            found.append(str(note))
    return found


def _fit_charts(diagnostics: dict[str, Any], labels: Labels, lang: str) -> list[dict[str, Any]]:
    """Per margin: target, unweighted and weighted shares as a chart and the rows of its table."""
    text = report_text(lang)
    margins: dict[str, list[dict[str, Any]]] = {}
    for fit in diagnostics.get("categories", []):
        margins.setdefault(fit["margin"], []).append(fit)
    found = []
    for margin, fits in margins.items():
        chart = charts.grouped_bars(
            text["chart_fit"].format(margin=labels.question(margin, lang)),
            [labels.choice(margin, f["category"], lang) for f in fits],
            {
                text["target"]: [f["target_share"] for f in fits],
                text["unweighted"]: [f["unweighted_share"] for f in fits],
                text["weighted"]: [f["achieved_share"] for f in fits],
            },
            lang=lang,
        )
        found.append({"margin": margin, "chart": chart, "fits": fits})
    return found


def _status(snapshot: ResultSnapshot, lang: str) -> str:
    text = report_text(lang)
    if snapshot.withdrawn_at is not None:
        return text["snapshot_withdrawn"].format(id=snapshot.id, date=long_date(snapshot.withdrawn_at, lang))
    if snapshot.published_at is not None:
        return text["snapshot_published"].format(id=snapshot.id, date=long_date(snapshot.published_at, lang))
    return text["snapshot_draft"].format(id=snapshot.id)


def snapshot_report_html(snapshot: ResultSnapshot, lang: str = "en") -> str:
    """One self-contained HTML document (inline CSS and SVG) of the snapshot, in ``lang``."""
    lang = lang if lang in PUBLIC_LANGS else "en"
    content = snapshot.content
    labels = Labels.from_dict(content.get("labels"))
    questions = [in_words(q, lang) for q in content.get("questions", [])]
    diagnostics = content.get("diagnostics") or {}
    groups = [diagnostics["overall"], *diagnostics.get("by_mode", [])] if diagnostics.get("overall") else []
    neff: charts.Chart | None = None
    if groups:
        text = report_text(lang)
        neff = charts.grouped_bars(
            text["chart_neff"], [mode_name(g["group"], lang) for g in groups],
            {text["respondents"]: [float(g["n"]) for g in groups], text["n_eff"]: [g["n_eff"] for g in groups]},
            percent=False, lang=lang,
        )  # fmt: skip
    title = content.get("title", {})
    audit_labels = snapshot_labels(content)
    audit = stored_audit(content, audit_labels, lang)
    exact = exact_margins(content)
    counts = {k: v for k, v in (content.get("n") or {}).items() if k != "all"}
    return render(
        "analyst/snapshot_report.html", s=snapshot, c=content, lang=lang, rt=report_text(lang), t=TEXT[lang],
        lab=labels, title=title.get(lang) or next(iter(title.values()), ""), status=_status(snapshot, lang),
        modes=", ".join(f"{n} {mode_name(m, lang)}" for m, n in counts.items()),
        questions=questions, exact=exact,
        exact_names=join([characteristic(q["name"], lang, labels) for q in questions if q["name"] in exact], lang)
        if exact else "",
        charts=[public_chart(q, lang) for q in questions],
        method=methodology(content, snapshot.published_at, lang, easy=False),
        method_label=method_name(snapshot.method, lang),
        margins=", ".join(" × ".join(characteristic(p, lang, labels) for p in m.split(CROSS))
                          for m in content.get("margins", [])),
        d=diagnostics, groups=groups, neff=neff, fits=_fit_charts(diagnostics, labels, lang),
        notes=_notes(diagnostics), css=stylesheet(), version=__version__,
        audit=audit, audit_lab=audit_labels, bias=bias_chart(audit, audit_labels, lang) if audit else [],
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )  # fmt: skip
