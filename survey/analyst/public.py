"""Public results pages: published snapshots only, no login, FR/NL/EN with an easy-read summary.

Why they read only ``ResultSnapshot.content``: a published figure must not move when data or
targets change, and rendering from one stored JSON document keeps the page fast (no analysis).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from survey.analyst import snapshots
from survey.analyst.characteristics import characteristic, characteristics
from survey.analyst.charts import Chart
from survey.analyst.easy_read import EASY_FINDINGS, findings
from survey.analyst.labels import CROSS, Labels
from survey.analyst.public_text import TEXT, exact_margins, join, method_name, methodology
from survey.analyst.public_text import date as long_date
from survey.analyst.render import bias_chart, question_chart, render
from survey.analyst.report_text import report_text
from survey.analyst.snapshot_audit import snapshot_labels, stored_audit
from survey.http.deps import provide_service
from survey.http.i18n import negotiate
from survey.http.params import PathId
from survey.store.models import ResultSnapshot

__all__ = ["PUBLIC_LANGS", "PublicResultsController", "easy_read", "in_words", "public_chart", "public_html"]

HTML = MediaType.HTML
PUBLIC_LANGS = ("fr", "nl", "en")


def _lang(request: Request[Any, Any, Any]) -> str:
    lang = negotiate(request.headers.get("accept-language"), request.query_params.get("lang"))
    return lang if lang in PUBLIC_LANGS else PUBLIC_LANGS[0]


class PublicResultsController(Controller):
    """Published snapshots only, no login; FR/NL/EN by ``?lang=`` or Accept-Language."""

    path = "/results"
    include_in_schema = False
    dependencies = {"snapshot_service": provide_service(snapshots.SnapshotService)}  # noqa: RUF012

    @get("/{slug:str}", media_type=HTML, sync_to_thread=True)
    def list_published(
        self,
        request: Request[Any, Any, Any],
        snapshot_service: NamedDependency[snapshots.SnapshotService],
        slug: FromPath[str],
    ) -> Response[str]:
        consultation = snapshot_service.consultation(slug)
        lang = _lang(request)
        items = snapshot_service.listed(consultation, published_only=True)
        body = render("analyst/public_list.html", c=consultation, items=items, lang=lang, langs=PUBLIC_LANGS,
                      t=TEXT[lang])  # fmt: skip
        return Response(body, media_type=HTML)

    @get("/{slug:str}/{snapshot_id:int}", media_type=HTML, sync_to_thread=True)
    def show(
        self,
        request: Request[Any, Any, Any],
        snapshot_service: NamedDependency[snapshots.SnapshotService],
        slug: FromPath[str],
        snapshot_id: FromPath[PathId],
    ) -> Response[str]:
        consultation = snapshot_service.consultation(slug)
        snapshot = snapshot_service.published(consultation, snapshot_id)
        lang = _lang(request)
        if snapshot.withdrawn_at is not None:
            body = render("analyst/public_withdrawn.html", c=consultation, s=snapshot, lang=lang, langs=PUBLIC_LANGS,
                          t=TEXT[lang], when=long_date(snapshot.withdrawn_at, lang))  # fmt: skip
            return Response(body, media_type=HTML, status_code=410)
        return Response(public_html(snapshot, lang, easy=easy_read(request)), media_type=HTML)


def easy_read(request: Request[Any, Any, Any]) -> bool:
    """Whether the easy-read version was asked for (``?easy=1``)."""
    return request.query_params.get("easy") == "1"


def in_words(question: dict[str, Any], lang: str) -> dict[str, Any]:
    """A numeric question's one row is "mean" in every language of the analysis: say it in ``lang``."""
    if question.get("kind") != "numeric":
        return question
    rows = [
        {**row, "labels": {**row["labels"], lang: TEXT[lang]["mean"]}} if row["category"] == "mean" else row
        for row in question["rows"]
    ]
    return {**question, "rows": rows}


def public_html(snapshot: ResultSnapshot, lang: str, *, preview: str = "", easy: bool = False) -> str:
    """The public page of one snapshot: summary, easy-read findings and methodology from its content,
    then a chart and a data table per question, and the bias audit frozen with them (folded). ``preview`` is a banner for staff looking at a draft;
    ``easy`` puts the easy-read version first and folds the technical tables."""
    content = snapshot.content
    questions = [in_words(q, lang) for q in content["questions"]]
    charts = [public_chart(q, lang) for q in questions]
    labels = Labels.from_dict(content.get("labels"))
    exact = exact_margins(content)
    audit_labels = snapshot_labels(content)
    audit = stored_audit(content, audit_labels, lang)
    return render(
        "analyst/public.html", s=snapshot, c=content, questions=questions, lang=lang, langs=PUBLIC_LANGS,
        t=TEXT[lang], charts=charts, lab=labels, preview=preview, easy=easy, exact=exact,
        exact_names=join(characteristics([q["name"] for q in questions if q["name"] in exact], lang, labels)
                         or ["–"], lang),
        method=methodology(content, snapshot.published_at, lang, easy=False),
        easy_text=methodology(content, snapshot.published_at, lang, easy=True),
        findings=findings(content, lang), ef=EASY_FINDINGS[lang],
        method_label=method_name(snapshot.method, lang),
        rt=report_text(lang), audit=audit, audit_lab=audit_labels,
        bias=bias_chart(audit, audit_labels, lang) if audit else [],
        technical_margins=", ".join(
            " × ".join(characteristic(part, lang, labels) for part in margin.split(CROSS))
            for margin in content.get("margins", [])
        ),
    )  # fmt: skip


def public_chart(question: dict[str, Any], lang: str) -> Chart:
    """The question's estimates with their intervals, titled and described in ``lang``."""
    title = question["labels"].get(lang) or question["name"]
    return question_chart(question, lang, title=title, desc=TEXT[lang]["chart_desc"].format(title=title))
