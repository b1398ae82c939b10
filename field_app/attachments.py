"""A tablet's photos, recordings and files, sent after the interview they belong to.

Why a second request per file: the interview itself travels as JSON in batches (field_app.sync),
which must stay small; a photo is sent alone, as the raw bytes, once the server has acknowledged
its interview. The tablet keeps the file in IndexedDB until this request is acknowledged too, so a
file is never lost, and the store keeps the same bytes for the same question once, so a retry never
stores it twice.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from field_app.errors import NotAssigned
from survey.store.errors import StoreError
from survey.store.models import Answer, Device, QuestionnaireVersion, Response
from survey.store.services.attachments import AttachmentRefusedError, AttachmentService, Upload, check
from survey.store.services.consultations import load_questionnaire
from survey.store.services.responses import normalise_uuid


class FileRefusedError(StoreError):
    """A file the question does not take (too large, empty, wrong kind) or that no answer names."""

    error_code = "file_refused"


class TabletFiles:
    """Keep the files of interviews this tablet sent."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def attach(
        self, device: Device, uuid: str, question: str, filename: str, content: bytes, max_bytes: int
    ) -> bool:
        """Store one file of an interview this device (or its interviewer) sent; True when it was new.

        An interview not received yet, or received from another interviewer, is "not found" alike:
        a tablet cannot learn or touch what others collected.
        """
        try:
            uuid = normalise_uuid(uuid)
        except ValueError:
            raise NotAssigned("uuid: not an interview of this tablet") from None
        response = self.session.scalar(select(Response).where(Response.uuid == uuid))
        if response is None or (
            response.device_id != device.id and response.interviewer_id != device.user_id
        ):
            raise NotAssigned("uuid: not an interview of this tablet (sync the interview first)")
        version = self.session.get(QuestionnaireVersion, response.questionnaire_version_id)
        assert version is not None
        form = load_questionnaire(version)
        asked = next((q for q in form.questions if q.name == question and q.type.is_attachment), None)
        if asked is None:
            raise FileRefusedError(f"question: '{question[:128]}' is not a photo, recording or file question")
        named = self.session.scalar(
            select(Answer.value_text).where(Answer.response_id == response.id, Answer.question == question)
        )
        if named != filename:
            raise FileRefusedError(f"{question}: the interview's answer names another file")
        try:
            checked = check(asked, Upload(question, filename, content), max_bytes)
        except AttachmentRefusedError as exc:
            raise FileRefusedError(f"{question}: {exc.message('en')}") from None
        return AttachmentService(self.session).keep(response.consultation_id, uuid, checked, replace=False)
