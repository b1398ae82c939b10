"""Public results pages: published snapshots only, no login, FR/NL/EN with an easy-read summary.

Why they read only ``ResultSnapshot.content``: a published figure must not move when data or
targets change, and rendering from one stored JSON document keeps the page fast (no analysis).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.orm import Session

from survey.analyst import snapshots
from survey.analyst.labels import Labels
from survey.analyst.public_text import TEXT, methodology
from survey.analyst.public_text import date as long_date
from survey.analyst.render import question_chart, render
from survey.http.i18n import negotiate
from survey.http.params import PathId
from survey.store.models import ResultSnapshot
from survey.store.services.consultations import ConsultationService

__all__ = ["PUBLIC_LANGS", "PublicResultsController", "public_html"]

HTML = MediaType.HTML
PUBLIC_LANGS = ("fr", "nl", "en")


def _lang(request: Request[Any, Any, Any]) -> str:
    lang = negotiate(request.headers.get("accept-language"), request.query_params.get("lang"))
    return lang if lang in PUBLIC_LANGS else PUBLIC_LANGS[0]


class PublicResultsController(Controller):
    """Published snapshots only, no login; FR/NL/EN by ``?lang=`` or Accept-Language."""

    path = "/results"
    include_in_schema = False

    @get("/{slug:str}", media_type=HTML, sync_to_thread=True)
    def list_published(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session], slug: FromPath[str]
    ) -> Response[str]:
        consultation = ConsultationService(db_session).get(slug)
        lang = _lang(request)
        items = snapshots.snapshots(db_session, consultation, published_only=True)
        body = render("analyst/public_list.html", c=consultation, items=items, lang=lang, langs=PUBLIC_LANGS,
                      t=TEXT[lang])  # fmt: skip
        return Response(body, media_type=HTML)

    @get("/{slug:str}/{snapshot_id:int}", media_type=HTML, sync_to_thread=True)
    def show(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        slug: FromPath[str],
        snapshot_id: FromPath[PathId],
    ) -> Response[str]:
        consultation = ConsultationService(db_session).get(slug)
        snapshot = snapshots.published(db_session, consultation, snapshot_id)
        lang = _lang(request)
        if snapshot.withdrawn_at is not None:
            body = render("analyst/public_withdrawn.html", c=consultation, s=snapshot, lang=lang, langs=PUBLIC_LANGS,
                          t=TEXT[lang], when=long_date(snapshot.withdrawn_at, lang))  # fmt: skip
            return Response(body, media_type=HTML, status_code=410)
        return Response(public_html(snapshot, lang), media_type=HTML)


def public_html(snapshot: ResultSnapshot, lang: str, *, preview: str = "") -> str:
    """The public page of one snapshot: easy-read summary and methodology from its content, then a
    chart and a data table per question. ``preview`` is a banner for staff looking at a draft."""
    content = snapshot.content
    charts = [question_chart(q, lang, title=q["labels"].get(lang) or q["name"]) for q in content["questions"]]
    return render(
        "analyst/public.html", s=snapshot, c=content, lang=lang, langs=PUBLIC_LANGS, t=TEXT[lang], charts=charts,
        lab=Labels.from_dict(content.get("labels")), preview=preview,
        method=methodology(content, snapshot.published_at, lang, easy=False),
        easy_text=methodology(content, snapshot.published_at, lang, easy=True),
    )  # fmt: skip
