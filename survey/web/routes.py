"""Route handlers of the citizen side, collected here so the app factory stays short."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from survey.web.home import HomeController
from survey.web.questionnaire import QuestionnaireController

WEB_ROUTES: list[ControllerRouterHandler] = [HomeController, QuestionnaireController]
