"""Mapped classes of the common store, re-exported so callers import from one place."""

from survey.store.models._audit import AuditEntry
from survey.store.models._base import Base, utcnow
from survey.store.models._consultation import Consultation, QuestionnaireVersion
from survey.store.models._field import (
    FieldAdaptivePlan,
    FieldAssignment,
    FieldClockFault,
    FieldConflict,
    FieldDeviceReport,
    FieldManifestEntry,
    FieldQuota,
    FieldReceipt,
    FieldSupervisorCode,
)
from survey.store.models._grant import Grant
from survey.store.models._invitation import Invitation
from survey.store.models._response import Answer, Attachment, ErasedResponse, Mode, Response, ResponseStatus
from survey.store.models._scheme import WeightingScheme
from survey.store.models._snapshot import ResultSnapshot
from survey.store.models._staff_session import StaffSession
from survey.store.models._target import Target, TargetSet
from survey.store.models._user import Device, Role, User

__all__ = [
    "Answer",
    "Attachment",
    "AuditEntry",
    "Base",
    "Consultation",
    "Device",
    "ErasedResponse",
    "FieldAdaptivePlan",
    "FieldAssignment",
    "FieldClockFault",
    "FieldConflict",
    "FieldDeviceReport",
    "FieldManifestEntry",
    "FieldQuota",
    "FieldReceipt",
    "FieldSupervisorCode",
    "Grant",
    "Invitation",
    "Mode",
    "QuestionnaireVersion",
    "Response",
    "ResponseStatus",
    "ResultSnapshot",
    "Role",
    "StaffSession",
    "Target",
    "TargetSet",
    "User",
    "WeightingScheme",
    "utcnow",
]
