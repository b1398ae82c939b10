"""Every console controller, for ``survey.app`` (one entry there: ``*CONSOLE_ROUTES``).

Adding a page: write its controller in a module of its own (guarded by ``console_guard``), add it
here, and add its navigation line in ``nav.py``.
"""

from __future__ import annotations

from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from survey.console.audit import AuditController
from survey.console.consultations import ConsultationsController
from survey.console.invitations import InvitationsController
from survey.console.people import PeopleController
from survey.console.people_grants import GrantsController
from survey.console.people_reset import ResetController
from survey.console.preview import PreviewController
from survey.console.questionnaire import QuestionnaireController
from survey.console.quotas import QuotasController
from survey.console.render import STATIC
from survey.console.signin import SignInController
from survey.console.targets import TargetsController

CONSOLE_ROUTES: list[ControllerRouterHandler] = [
    SignInController,
    ConsultationsController,
    QuestionnaireController,
    PreviewController,
    PeopleController,
    GrantsController,
    ResetController,
    AuditController,
    InvitationsController,
    TargetsController,
    QuotasController,
    create_static_files_router(path="/static/console", directories=[STATIC], include_in_schema=False),
]
