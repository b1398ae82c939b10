"""``survey demo``: load the demo consultation, its population targets, staff accounts and sample.

The field side is filled too, so the coordinators' pages show something on the first run: a
coordinator account, quota cells that follow the field plan (adaptive quotas of 148 more field
interviews over sex × age group and education, first set in proportion to the population) and,
for each demo tablet, the manifest of the interviews it collected as a sync would have reported it.

Loading twice is harmless: the form is recognised by its content hash and each respondent by a
UUID derived from the seed, so nothing is stored twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from field_app.adaptive import switch_on
from field_app.schemas import ManifestEntry, QuotaCell
from field_app.sync import record_manifest
from survey.demo.form import FORM_XLSX
from survey.demo.population import load_population_table
from survey.demo.sample import generate_sample
from survey.questionnaire.xlsform import load_xlsform
from survey.store.db import transaction
from survey.store.models import Device, FieldAdaptivePlan, Mode, Response, Role, TargetSet, User
from survey.store.services.consultations import ConsultationService, load_questionnaire
from survey.store.services.field_assignments import assign
from survey.store.services.field_quotas import set_quotas
from survey.store.services.grants import grant
from survey.store.services.responses import ResponseService, Submission
from survey.store.services.targets import TargetRow, TargetService
from survey.store.services.users import UserService
from weighting.targets import margins_from_population

SLUG = "brussels-futures"
WEIGHTING_VARIABLES = ["sex", "age_group", "education", "municipality", "nationality_group"]
QUESTION_COLUMNS = (
    "sex", "age_group", "municipality", "education", "nationality_group", "years_in_brussels",
    "merge_municipalities", "merge_how", "merge_why_not", "merge_why_not_other", "level_police",
    "level_social_aid", "level_housing", "level_mobility", "trust_municipality", "trust_region",
    "trust_federal", "simpler_institutions", "more_participation", "comment",
)  # fmt: skip
STAFF = (
    ("admin", Role.ADMIN),
    ("analyst", Role.ANALYST),
    ("coordinator", Role.COORDINATOR),
    *((f"interviewer{i}", Role.INTERVIEWER) for i in (1, 2, 3)),
)


@dataclass(frozen=True)
class DemoReport:
    """What ``survey demo`` did, for the terminal."""

    slug: str
    stored: int
    duplicates: int
    password: str | None


def _answers(row: pd.Series) -> dict[str, object]:
    answers: dict[str, object] = {}
    for column in QUESTION_COLUMNS:
        value = row[column]
        if value is None or (isinstance(value, float) and pd.isna(value)):
            continue
        if column == "years_in_brussels" and int(value) < 0:
            continue
        answers[column] = value.item() if hasattr(value, "item") else value
    return answers


def _staff(session: Session, password: str) -> tuple[bool, list[User]]:
    users = UserService(session)
    created = False
    staff: list[User] = []
    for username, role in STAFF:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = users.create(username, password, role, actor="demo", display_name=username.title())
            created = True
        staff.append(user)
    return created, staff


def _devices(session: Session, interviewers: list[User]) -> list[Device]:
    devices = []
    for user in interviewers:
        device = session.scalar(select(Device).where(Device.user_id == user.id))
        if device is None:
            token_hash = hashlib.sha256(secrets.token_bytes(32)).hexdigest()
            device = Device(user_id=user.id, label=f"Tablet of {user.username}", token_hash=token_hash)
            session.add(device)
            session.flush()
        devices.append(device)
    return devices


def load_demo(
    factory: sessionmaker[Session],
    *,
    password: str | None = None,
    seed: int = 2022,
    progress: Callable[[int, int], None] | None = None,
) -> DemoReport:
    """Load everything; ``progress(done, total)`` is called while responses are stored."""
    password = password or secrets.token_urlsafe(9)
    population = load_population_table()
    imported = load_xlsform(FORM_XLSX)
    with transaction(factory) as session:
        created_staff, staff = _staff(session, password)
        consultations = ConsultationService(session)
        consultation = consultations.find(SLUG) or consultations.create(
            SLUG,
            imported.questionnaire.title,
            actor="demo",
            organiser="Brussels Local Authorities (demo)",
            contact="privacy@example.org",
            description={
                "fr": "Comment mieux organiser les institutions de la Région de Bruxelles-Capitale ?",
                "nl": "Hoe kunnen de instellingen van het Brussels Hoofdstedelijk Gewest beter georganiseerd worden?",
                "en": "How should the institutions of the Brussels-Capital Region be organised?",
            },
        )
        version = consultations.add_version(
            consultation, imported.questionnaire, source_name=FORM_XLSX.name, actor="demo"
        ).version
        if session.scalar(select(TargetSet).where(TargetSet.consultation_id == consultation.id)) is None:
            margins = margins_from_population(population, WEIGHTING_VARIABLES)
            rows = [
                TargetRow(str(v), str(c), float(sh))
                for v, c, sh in zip(margins["variable"], margins["category"], margins["share"], strict=True)
            ]
            TargetService(session).add(
                consultation, rows, load_questionnaire(version), actor="demo",
                label="Demo population (approximate figures)", source="survey/demo/data/population_brussels_demo.csv",
                population=float(population["count"].sum()),
            )  # fmt: skip
        interviewers = [u for u in staff if u.role == Role.INTERVIEWER.value]
        devices = _devices(session, interviewers)
        for interviewer in interviewers:
            assign(session, interviewer, consultation, actor="demo")
        for member in (u for u in staff if u.role in (Role.ANALYST.value, Role.COORDINATOR.value)):
            grant(
                session, user_id=member.id, consultation_id=consultation.id, role=Role(member.role), by="demo"
            )
        set_quotas(session, consultation, _quotas(population), actor="demo")
    sample = generate_sample(population, seed=seed)
    stored = duplicates = 0
    start = dt.datetime(2022, 11, 7, 9, 0, tzinfo=dt.UTC)
    batch = 200
    for offset in range(0, len(sample), batch):
        with transaction(factory) as session:
            responses = ResponseService(session)
            for i, (_, row) in enumerate(sample.iloc[offset : offset + batch].iterrows(), start=offset):
                field = row["mode"] == "field"
                device = devices[i % len(devices)]
                submitted = start + dt.timedelta(minutes=53 * i)
                ack = responses.submit(
                    Submission(
                        uuid=row["uuid"], version=version, mode=Mode(row["mode"]), language=row["language"],
                        answers=_answers(row), interviewer_id=device.user_id if field else None,
                        device_id=device.id if field else None,
                        started_at=submitted - dt.timedelta(minutes=12), submitted_at=submitted,
                    )
                )  # fmt: skip
                stored += ack.status == "stored"
                duplicates += ack.status == "duplicate"
        if progress:
            progress(min(offset + batch, len(sample)), len(sample))
    with transaction(factory) as session:
        _manifests(session, devices)
        _adaptive_plan(session)
    return DemoReport(SLUG, stored, duplicates, password if created_staff else None)


QUOTA_TOTAL = 1200  # interviews wanted over all modes, shared out like the population
QUOTA_CELLS = "sex:age_group"
UNFINISHED_ON_LAST_TABLET = 1  # so the page shows a tablet that is not complete yet


def _quotas(population: pd.DataFrame) -> list[QuotaCell]:
    """Sex × age-group cells in proportion to the population (the interviewer sees "Woman, 65+")."""
    margins = margins_from_population(population, [QUOTA_CELLS])
    return [
        QuotaCell(variable=QUOTA_CELLS, category=str(category), target=round(share * QUOTA_TOTAL))
        for category, share in zip(margins["category"], margins["share"], strict=True)
    ]


PLAN_CELLS = "sex:age_group,education"
PLAN_BUDGET = 148  # as many field interviews again as the demo holds: "what 148 field interviews buy"


def _adaptive_plan(session: Session) -> None:
    """The demo's field work follows the plan: adaptive quotas over sex × age group and education.

    Switched on once (a second load keeps the campaign as it stands); the monitor page then shows
    this plan and what it buys on its first opening.
    """
    consultation = ConsultationService(session).get(SLUG)
    if session.get(FieldAdaptivePlan, consultation.id) is None:
        switch_on(session, consultation, PLAN_CELLS, PLAN_BUDGET, actor="demo")


def _manifests(session: Session, devices: list[Device]) -> None:
    """What each demo tablet would have reported at its last sync: the field interviews it holds."""
    for index, device in enumerate(devices):
        uuids = session.scalars(
            select(Response.uuid).where(Response.device_id == device.id).order_by(Response.id)
        )
        unfinished = UNFINISHED_ON_LAST_TABLET if index == len(devices) - 1 else 0
        record_manifest(session, device.id, [ManifestEntry(uuid=u) for u in uuids], unfinished=unfinished)
