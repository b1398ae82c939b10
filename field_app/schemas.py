"""Wire formats of the field API (msgspec structs, so they appear in the OpenAPI schema as-is)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec

from survey.http.params import BodyId

MAX_BATCH = 500
ItemStatus = Literal["stored", "duplicate", "conflict", "invalid"]


class LoginRequest(msgspec.Struct):
    """An interviewer's credentials plus a human label for the tablet being registered."""

    username: str
    password: str
    device_label: str = "tablet"


class SupervisorHash(msgspec.Struct, kw_only=True):
    """The consultation's supervisor unlock code as the tablet may hold it: PBKDF2-SHA256, never the code."""

    salt: str
    iterations: int
    hash: str
    set_at: dt.datetime


class SupervisorCodeRequest(msgspec.Struct):
    """A new supervisor unlock code (8 to 64 letters or digits; spaces and dashes are ignored)."""

    code: str


class ConsultationInfo(msgspec.Struct, kw_only=True):
    """An assigned consultation, the questionnaire version to download for it, and its unlock hash."""

    slug: str
    title: dict[str, str]
    status: str
    version_id: int
    version_number: int
    content_hash: str
    supervisor: SupervisorHash | None = None


class LoginResponse(msgspec.Struct):
    """The per-device token is shown once: the server keeps only its SHA-256."""

    token: str
    device_id: int
    interviewer_id: int
    username: str
    display_name: str
    consultations: list[ConsultationInfo]


class VersionDocument(msgspec.Struct):
    """One questionnaire version as the tablet caches it (immutable, so cacheable forever)."""

    version_id: int
    consultation: str
    number: int
    content_hash: str
    questionnaire: dict[str, Any]


class SyncItem(msgspec.Struct, kw_only=True):
    """One interview (answers) or one contact without interview (refusal / not at home)."""

    uuid: str
    consultation: str
    kind: Literal["interview", "contact"] = "interview"
    version_id: int | None = None
    mode: Literal["field", "paper"] = "field"
    language: str = "fr"
    easy_read: bool = False
    answers: dict[str, Any] = msgspec.field(default_factory=dict)
    paper_form_number: str | None = None
    replaces_uuid: str | None = None
    started_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None
    outcome: Literal["refusal", "not_at_home"] | None = None
    note: str = ""
    client_hash: str = ""


class ManifestEntry(msgspec.Struct):
    """A UUID the tablet holds and the hash of its content, as the tablet computed it."""

    uuid: str
    client_hash: str = ""


UnfinishedCount = Annotated[
    int,
    msgspec.Meta(
        ge=0, le=1_000_000,
        description="Optional: interviews started on the tablet and not finished (drafts never travel). "
        "Sent with the manifest, it lets the coordinators' page say a tablet still holds unfinished work.",
    ),
]  # fmt: skip


class SyncRequest(msgspec.Struct, kw_only=True):
    """A batch of at most MAX_BATCH items and, optionally, the tablet's manifest.

    A large manifest is sent in chunks (request bodies are capped): the first replaces what the
    server kept for the device, the next ones carry ``manifest_append: true``.
    """

    items: list[SyncItem] = msgspec.field(default_factory=list)
    manifest: list[ManifestEntry] | None = None
    manifest_append: bool = False
    unfinished: UnfinishedCount | None = None


class FieldErrorOut(msgspec.Struct):
    """Why one answer was refused."""

    field: str
    code: str
    message: str


ITEM_CODES = (
    "invalid_uuid", "consultation_not_assigned", "unknown_version", "paper_number_required",
    "outcome_required", "invalid_answers", "invalid_item", "different_content",
    "already_received_as_contact", "already_received_as_interview",
)  # fmt: skip
ItemCode = Annotated[
    str,
    msgspec.Meta(
        description="Why an item was refused, stable for clients to translate (empty when stored or "
        "duplicate): " + ", ".join(ITEM_CODES) + ". `detail` says the same in English for support.",
        examples=["different_content"],
    ),
]


class ItemResult(msgspec.Struct, kw_only=True):
    """Per-item outcome: the tablet marks an item sent only on ``stored`` or ``duplicate``.

    ``code`` says why an item was refused, so the tablet can say it in the interviewer's language;
    for ``invalid_answers`` every answer's problem is in ``errors`` with its own code.
    ``clock_wrong`` names the times (``started_at``, ``submitted_at``) that could not be true (before
    2000 or more than a day ahead of the server): the item is kept with those times unknown.
    """

    uuid: str
    status: ItemStatus
    detail: str = ""
    errors: list[FieldErrorOut] = msgspec.field(default_factory=list)
    code: ItemCode = ""
    clock_wrong: list[str] = msgspec.field(default_factory=list)  # times ignored: the tablet's clock is wrong


class SyncResponse(msgspec.Struct, kw_only=True):
    """Results in the order of the request, and how many manifest entries were recorded."""

    results: list[ItemResult]
    manifest_entries: int | None = None
    server_time: dt.datetime


class ExportFile(msgspec.Struct, kw_only=True):
    """What the tablet's "export unsynced" button writes; the admin import reads the same file."""

    format: str = "civic-field-export/1"
    device_id: BodyId
    interviewer_id: BodyId
    exported_at: dt.datetime | None = None
    items: list[SyncItem] = msgspec.field(default_factory=list)


class QuotaCell(msgspec.Struct, kw_only=True):
    """A target count for one category of one question, and how many complete responses have it."""

    variable: str
    category: str
    target: int  # checked with the cell's other problems, so every reason is listed at once
    done: int = 0
    labels: dict[str, str] = msgspec.field(default_factory=dict)  # the cell in words, per language
    full: bool = False  # done >= target


ReconciliationReason = Literal["", "not_in_store", "other_device", "other_channel", "hash_differs"]


class ReconciliationItem(msgspec.Struct):
    """One manifest entry and what the server holds for it.

    ``reason`` is a stable code and ``params`` its values (the other device, the two hashes), so the
    coordinators' pages can say it in their language; ``detail`` is the same in English.
    """

    uuid: str
    state: Literal["received", "missing", "conflicting"]
    detail: str = ""
    reason: ReconciliationReason = ""
    params: dict[str, str] = msgspec.field(default_factory=dict)


class Resubmission(msgspec.Struct, kw_only=True):
    """An interview this device sent again under a stored UUID with other content (refused, kept).

    ``stored_received_at`` is when the stored version arrived (the first one received, the one that
    counts); ``other_*`` when the refused version first and last arrived; ``differing`` names the
    questions whose answers differ, then ``language``, ``version`` or ``mode`` when those do.
    """

    uuid: str
    stored_received_at: dt.datetime | None
    stored_device_id: int | None
    other_received_at: dt.datetime
    other_last_received_at: dt.datetime
    differing: list[str]


class FieldErrorBody(msgspec.Struct):
    """Every error of the field API: ``code`` is stable for clients, ``detail`` is English for support."""

    status_code: int
    detail: str
    code: str


class Reconciliation(msgspec.Struct, kw_only=True):
    """Per-device view: what the tablet last said it holds versus what the store received."""

    device_id: int
    label: str
    username: str
    revoked: bool
    last_seen_at: dt.datetime | None
    manifest_reported_at: dt.datetime | None
    received: int
    missing: int
    conflicting: int
    items: list[ReconciliationItem]
    synced_at: dt.datetime | None = None  # last sync that carried the manifest; None: never
    unfinished: int | None = None  # as the tablet reported it then; None: not reported
    superseded: int = 0  # received items a field correction has replaced (kept, not counted)
    awaiting_original: int = 0  # corrections from this tablet whose original the store has not received
    clock_wrong: int = 0  # times this tablet sent that could not be true (stored as unknown)
    resubmissions: list[Resubmission] = msgspec.field(default_factory=list)  # other content, refused, kept


class DeviceInfo(msgspec.Struct):
    """A registered device as the admin sees it."""

    device_id: int
    label: str
    username: str
    created_at: dt.datetime
    last_seen_at: dt.datetime | None
    revoked_at: dt.datetime | None


class AssignmentRequest(msgspec.Struct):
    """Give an interviewer a consultation."""

    username: str
    consultation: str
