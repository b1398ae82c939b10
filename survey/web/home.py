"""The public home page: which consultations are open, in the visitor's language."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from survey.http.deps import provide_service
from survey.http.i18n import SUPPORTED, negotiate, text
from survey.store.services.consultations import ConsultationService


class HomeController(Controller):
    """``GET /``: server-rendered, no JavaScript needed."""

    path = "/"
    include_in_schema = False
    dependencies = {"consultation_service": provide_service(ConsultationService)}  # noqa: RUF012

    @get(sync_to_thread=True)
    def home(
        self,
        request: Request,
        consultation_service: NamedDependency[ConsultationService],
        lang: FromQuery[str | None] = None,
    ) -> Template:
        language = negotiate(request.headers.get("accept-language"), lang)
        consultations = [c for c in consultation_service.list() if c.status == "open"]
        return Template(
            template_name="home.html",
            context={
                "lang": language,
                "languages": SUPPORTED,
                "t": lambda key: text(key, language),
                "consultations": [
                    {
                        "slug": c.slug,
                        "title": c.title.get(language) or next(iter(c.title.values()), c.slug),
                        "description": c.description.get(language, ""),
                        "organiser": c.organiser,
                    }
                    for c in consultations
                ],
            },
        )
