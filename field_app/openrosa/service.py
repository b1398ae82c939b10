"""What the OpenRosa routes ask of the store: who is calling, what they may fill, and storing an interview.

Why a service: the OpenRosa controllers (HTTP Basic at a consultation's address or at the server-level
one, and the same with an app user's key) receive an :class:`OpenRosaService` by dependency key and
never the session. A submission is one call that returns a :class:`Submitted` outcome, which the
controller sends as the ``<OpenRosaResponse>`` Collect shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import UploadFile
from litestar.exceptions import PermissionDeniedException
from sqlalchemy import select
from sqlalchemy.orm import Session

from field_app.errors import NotAssigned
from field_app.openrosa.app_users import AppUserRefusedError, app_user_of_request, key_consultation
from field_app.openrosa.auth import collect_device, interviewer
from field_app.openrosa.instance import Instance, InstanceError, answers_of, read_instance
from field_app.openrosa.xform import XForm, cached_xform
from field_app.schemas import ItemResult, SyncItem
from field_app.sync import Collector, SyncService
from survey.questionnaire.model import Questionnaire
from survey.store.models import Consultation, Device, QuestionnaireVersion, User
from survey.store.services.attachments import (
    AttachmentRefusedError,
    AttachmentService,
    Checked,
    Upload,
    check,
)
from survey.store.services.consultations import ConsultationService, load_questionnaire
from survey.store.services.field_assignments import assigned_consultations

__all__ = ["DeviceOf", "Locate", "OpenRosaService", "Submitted", "server_form_id"]

_NUMBER = re.compile(r"[0-9]{1,9}")
_STATUS = {"stored": 201, "duplicate": 202, "conflict": 409}
DeviceOf = Callable[[], Device]
Locate = Callable[[Instance], tuple[Consultation, QuestionnaireVersion]]


def server_form_id(consultation: Consultation, form_id: str) -> str:
    """The form id the server-level list gives: ``slug.form_id``, unique across consultations.

    Two consultations may well use the same XLSForm (same ``form_id``); Collect keys its forms by id
    and version, so at the one address that lists them all each id names its consultation. Slugs
    hold no dot, so the first dot always ends the slug.
    """
    return f"{consultation.slug}.{form_id}"


@dataclass(frozen=True)
class Submitted:
    """What became of one submitted interview: the HTTP status and the sentence Collect shows.

    ``received`` marks the two answers Collect counts as sent (stored now, or already stored), which
    carry ``nature="submit_success"``.
    """

    status: int
    message: str
    received: bool = False


def _refusal(result: ItemResult) -> str:
    if result.errors:
        return "; ".join(f"{e.field}: {e.message}" for e in result.errors)
    return result.detail or result.status


def _submitted(result: ItemResult) -> Submitted:
    status = _STATUS.get(result.status, 400)
    if status == 201:
        return Submitted(201, "Interview received.", received=True)
    if status == 202:
        return Submitted(202, "This interview was already received; nothing changed.", received=True)
    if result.code == "different_content":
        return Submitted(
            409,
            f"{_refusal(result)}: the version received first stays stored; this one was kept for "
            "your coordinator to review",
        )
    return Submitted(status, _refusal(result))


def _parts(data: dict[str, Any]) -> dict[str, UploadFile]:
    """The attachment parts of a submission by file name (Collect names each part after its file)."""
    found: dict[str, UploadFile] = {}
    for key, value in data.items():
        for part in value if isinstance(value, list) else [value]:
            if isinstance(part, UploadFile):
                found[key] = found.get(key) or part
                if part.filename:
                    found.setdefault(part.filename, part)
    return found


def attached_files(
    form: Questionnaire, answers: dict[str, object], data: dict[str, Any], max_bytes: int
) -> list[Checked]:
    """The files this post carries for the instance's photo, recording and file answers, checked.

    Only a file an answer names is read; one missing here may come in a later post of the same
    interview (``*isIncomplete*``). A file refused raises InstanceError naming the question.
    """
    parts = _parts(data)
    checked = []
    for question in (q for q in form.questions if q.type.is_attachment):
        name = answers.get(question.name)
        part = parts.get(name) if isinstance(name, str) else None
        if part is None:
            continue
        part.file.seek(0)
        upload = Upload(question.name, str(name), part.file.read(max_bytes + 1))
        try:
            checked.append(check(question, upload, max_bytes))
        except AttachmentRefusedError as exc:
            raise InstanceError(f"{question.name}: {exc.message('en')}") from None
    return checked


def _not_yours(instance: Instance) -> PermissionDeniedException:
    return PermissionDeniedException(
        f"form '{instance.form_id[:100]}' is not a form of a consultation assigned to you"
    )


class OpenRosaService:
    """The OpenRosa requests against the store, on the request's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def interviewer(self, connection: ASGIConnection[Any, Any, Any, Any]) -> User:
        """The interviewer of the HTTP Basic credentials (401 with a challenge when absent or wrong)."""
        return interviewer(self.session, connection)

    def collect_device(self, user: User) -> Device:
        """The interviewer's ODK Collect device, made on first use (403 once revoked)."""
        return collect_device(self.session, user)

    def app_user(self, connection: ASGIConnection[Any, Any, Any, Any]) -> Device:
        """The app user whose key the route names: 401 for an unknown or revoked key, 404 elsewhere."""
        return app_user_of_request(self.session, connection)

    def app_user_interviewer(self, app_user: Device) -> User:
        """The interviewer the app user collects for (their assignment still decides what is served)."""
        user = self.session.get(User, app_user.user_id)
        if user is None:  # the key's check found the account; it cannot vanish within the request
            raise AppUserRefusedError("the interviewer account of this app user is gone")
        return user

    def assigned(self, user: User) -> list[Consultation]:
        """Every consultation the interviewer is assigned to."""
        return assigned_consultations(self.session, user.id)

    def key_assigned(self, key: str, user: User) -> list[Consultation]:
        """The key's own consultation, while the app user's interviewer is still assigned there."""
        own = key_consultation(self.session, key, None)
        return [c for c in self.assigned(user) if own is not None and c.id == own.id]

    def assigned_to(self, user: User, slug: str) -> Consultation:
        """The consultation of the address, when the interviewer is assigned to it (else 404)."""
        for consultation in self.assigned(user):
            if consultation.slug == slug:
                return consultation
        raise NotAssigned(f"consultation '{slug}' is not assigned to {user.username}")

    def current_version(self, consultation: Consultation) -> QuestionnaireVersion:
        return ConsultationService(self.session).current_version(consultation)

    def current_xform(self, consultation: Consultation, form_id: str | None = None) -> XForm:
        """The current version's XForm, under its own id or ``form_id`` (the server-level one)."""
        return cached_xform(self.current_version(consultation), form_id=form_id)

    def submitted_version(self, consultation: Consultation, instance: Instance) -> QuestionnaireVersion:
        """The stored version an instance names by form id and version number, or InstanceError.

        The id may be the form's own (the consultation's address) or its server-level ``slug.form_id``.
        Only plain ASCII numbers of at most nine digits are looked up: ``int()`` accepts other digits
        ("²" fails inside it) and a longer number overflows the database's integer column.
        """
        number = int(instance.version) if _NUMBER.fullmatch(instance.version) else None
        version = None
        if number is not None:
            version = self.session.scalar(
                select(QuestionnaireVersion).where(
                    QuestionnaireVersion.consultation_id == consultation.id,
                    QuestionnaireVersion.number == number,
                )
            )
        if version is None or instance.form_id not in (
            version.form_id,
            server_form_id(consultation, version.form_id),
        ):
            raise InstanceError(
                f"version: form '{instance.form_id[:100]}' version '{instance.version[:20]}' "
                f"is not a form of '{consultation.slug}'"
            )
        return version

    def in_consultation(self, consultation: Consultation) -> Locate:
        """Instances sent to a consultation's own address belong to it, in the version they name."""
        return lambda instance: (consultation, self.submitted_version(consultation, instance))

    def by_form(self, assigned: list[Consultation]) -> Locate:
        """Instances sent to the server-level address are routed by form id and version."""
        return lambda instance: self.locate_by_form(assigned, instance)

    def locate_by_form(
        self, assigned: list[Consultation], instance: Instance
    ) -> tuple[Consultation, QuestionnaireVersion]:
        """The consultation (of ``assigned``) and version an instance belongs to, by form id and version.

        ``slug.form_id`` names its consultation; a plain ``form_id`` is routed when exactly one
        assigned consultation has that form. A form of none of them is refused (403).
        """
        slug, dot, _ = instance.form_id.partition(".")
        named = next((c for c in assigned if c.slug == slug), None) if dot else None
        if named is not None:
            return named, self.submitted_version(named, instance)
        having = [c for c in assigned if self._has_form(c, instance.form_id)]
        if not having:
            raise _not_yours(instance)
        if len(having) > 1:
            raise InstanceError(
                f"form: several of your consultations use form '{instance.form_id[:100]}'; send it from "
                "the consultation's own server address, or download the form again from this one"
            )
        return having[0], self.submitted_version(having[0], instance)

    def _has_form(self, consultation: Consultation, form_id: str) -> bool:
        found = self.session.scalar(
            select(QuestionnaireVersion.id)
            .where(
                QuestionnaireVersion.consultation_id == consultation.id,
                QuestionnaireVersion.form_id == form_id,
            )
            .limit(1)
        )
        return found is not None

    def submit(
        self,
        xml: bytes,
        files: dict[str, Any],
        user: User,
        device_of: DeviceOf,
        locate: Locate,
        *,
        max_attachment_bytes: int,
    ) -> Submitted:
        """Store one interview as a tablet sync item: 201 the first time, 202 when sent again.

        ``files`` are the post's other multipart parts: the photos, recordings and files its answers
        name (each checked, at most ``max_attachment_bytes``). A resent or split interview may bring
        files the first post lacked; they are kept once, and the post then counts as received anew.

        ``locate`` finds the consultation and version the instance belongs to, raising InstanceError
        (a 400 here) or a store error (its OpenRosa message) when it belongs to none the user may
        fill. The device is looked up only once the instance is readable. Idempotency, validation,
        corrections and reconciliation are the tablets' own (:class:`field_app.sync.SyncService`).
        """
        try:
            instance = read_instance(xml)
            consultation, version = locate(instance)
            form = load_questionnaire(version)
            answers = answers_of(instance, form)
            attached = attached_files(form, answers, files, max_attachment_bytes)
        except InstanceError as exc:
            return Submitted(400, str(exc))
        device = device_of()
        item = SyncItem(
            uuid=instance.uuid, consultation=consultation.slug, version_id=version.id, mode="field",
            language=form.default_language, answers=answers, replaces_uuid=instance.deprecated_uuid,
        )  # fmt: skip
        result = SyncService(self.session, Collector(device.id, user.id)).apply([item])[0]
        if _STATUS.get(result.status) in (201, 202):
            keeper = AttachmentService(self.session)
            kept = [keeper.keep(consultation.id, instance.uuid, file, replace=False) for file in attached]
            if any(kept):
                return Submitted(201, "Interview received.", received=True)
        return _submitted(result)
