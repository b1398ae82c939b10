"""App users: ODK Collect configured by a QR code, as ODK Central does, for one consultation.

Why: typing a server address, a user name and a password into Collect on each of forty tablets is
slow and error-prone, and a shared password leaks. An app user is a long random key for one
interviewer on one consultation; Collect learns it by scanning a QR code that holds its settings
(server address with the key in it). The key is a device token: only its SHA-256 is kept (one
:class:`~survey.store.models.Device` row per app user), so the coordinators' tablet list, the
reconciliation and revocation work as for the field tablets, and a revoked key is refused at once.

The key starts with the consultation's id (``12.<random>``): tablet tokens never contain a dot, so a
tablet's token is never taken for an app user's, and the key cannot be moved to another
consultation (the id is inside what is hashed). The device label names the consultation and the
app user for people reading the tablet list (``ODK Collect app user · slug · name``).
"""

from __future__ import annotations

import base64
import json
import secrets
import zlib
from dataclasses import dataclass

from litestar.connection import ASGIConnection
from sqlalchemy import select
from sqlalchemy.orm import Session

from field_app.auth import revoke_device
from field_app.errors import NotAssigned
from survey.http.login_throttle import limiter_of
from survey.http.ratelimit import client_address, client_key
from survey.store.errors import AuthError, NotFoundError, StoreError
from survey.store.models import Consultation, Device, FieldAssignment, Role, User, utcnow
from survey.store.services import grants
from survey.store.services.audit import record
from survey.store.services.consultations import ConsultationService
from survey.store.tokens import hash_token

LABEL = "ODK Collect app user"
SEPARATOR = " · "
NAME_MAX = 100
KEY_BYTES = 48  # 64 characters of URL-safe base64, as long as ODK Central's app-user tokens
LIMITER_KEY = "openrosa_key_limiter"
UNKNOWN_KEY = "unknown app user key: scan the coordinator's QR code again"
REVOKED = "this app user (device {id}) was revoked: ask your coordinator for a new QR code"


class AppUserRefusedError(AuthError):
    """A key that is unknown, revoked, or whose interviewer account is disabled (401)."""

    error_code = "app_user_refused"


@dataclass(frozen=True)
class AppUser:
    """One app user as the coordinator's page and the CLI show it."""

    device_id: int
    name: str
    interviewer: str
    created_at: str
    revoked: bool
    last_seen_at: str


def _prefix(slug: str) -> str:
    return f"{LABEL}{SEPARATOR}{slug}{SEPARATOR}"


def is_app_user_of(device: Device, slug: str) -> bool:
    """Whether the device row is an app user made for the consultation ``slug``."""
    return device.label.startswith(_prefix(slug))


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise StoreError("name: give the app user a name (for example the tablet's number)")
    if len(cleaned) > NAME_MAX:
        raise StoreError(f"name: at most {NAME_MAX} characters")
    return cleaned


def create_app_user(
    session: Session,
    consultation: Consultation,
    interviewer: User,
    name: str,
    *,
    actor: str,
    actor_id: int | None = None,
) -> tuple[Device, str]:
    """A new app user of ``interviewer`` on ``consultation`` and its key (returned once, never stored).

    The interviewer must be assigned to the consultation: the app user collects in their name.
    """
    cleaned = _clean_name(name)
    if interviewer.role != Role.INTERVIEWER.value or not interviewer.active:
        raise StoreError(f"interviewer: '{interviewer.username}' is not an active interviewer account")
    if not grants.may(session, interviewer, consultation.id, Role.INTERVIEWER):
        raise StoreError(
            f"interviewer: '{interviewer.username}' is not assigned to '{consultation.slug}'; assign them first"
        )
    key = f"{consultation.id}.{secrets.token_urlsafe(KEY_BYTES)}"
    label = (_prefix(consultation.slug) + cleaned)[:200]
    device = Device(user_id=interviewer.id, label=label, token_hash=hash_token(key))
    session.add(device)
    session.flush()
    record(
        session,
        actor=actor,
        actor_id=actor_id,
        action="create_app_user",
        entity="device",
        entity_id=device.id,
        details={"consultation": consultation.slug, "interviewer": interviewer.username, "name": cleaned},
    )
    return device, key


def app_users(session: Session, consultation: Consultation) -> list[AppUser]:
    """The consultation's app users, oldest first, revoked ones included (they stay in the record)."""
    rows = session.execute(
        select(Device, User.username)
        .join(User, User.id == Device.user_id)
        .where(Device.label.startswith(_prefix(consultation.slug), autoescape=True))
        .order_by(Device.id)
    ).all()
    return [
        AppUser(
            device_id=device.id,
            name=device.label.removeprefix(_prefix(consultation.slug)),
            interviewer=username,
            created_at=device.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            revoked=device.revoked_at is not None,
            last_seen_at=device.last_seen_at.strftime("%Y-%m-%d %H:%M UTC") if device.last_seen_at else "",
        )
        for device, username in rows
    ]


def revoke_app_user(
    session: Session, consultation: Consultation, device_id: int, *, actor: str, actor_id: int | None = None
) -> Device:
    """Revoke one app user of the consultation (audited; revoking twice keeps the first time)."""
    device = session.get(Device, device_id)
    if device is None or not is_app_user_of(device, consultation.slug):
        raise NotFoundError(f"app user: no app user {device_id} on '{consultation.slug}'")
    return revoke_device(session, device_id, actor=actor, actor_id=actor_id)


def _device_of_key(session: Session, key: str) -> Device:
    device = session.scalar(select(Device).where(Device.token_hash == hash_token(key)))
    if device is None or not device.label.startswith(LABEL + SEPARATOR):
        raise AppUserRefusedError(UNKNOWN_KEY)
    return device


def key_consultation(session: Session, key: str, slug: str | None) -> Consultation | None:
    """The consultation the route names (``slug``), or, at the server-level address, the key's own.

    Either way it must be the consultation whose id starts the key: the id is inside what is hashed.
    """
    consultation_id, _, _ = key.partition(".")
    if slug is not None:
        consultation = session.scalar(select(Consultation).where(Consultation.slug == slug))
    elif consultation_id.isdigit() and len(consultation_id) <= 9:
        consultation = session.get(Consultation, int(consultation_id))
    else:
        consultation = None
    if consultation is None or str(consultation.id) != consultation_id:
        return None
    return consultation


def app_user_of_request(session: Session, connection: ASGIConnection) -> Device:
    """The live app user whose key the route names, for the consultation the route names.

    Unknown keys count as failed sign-ins for the client (five, then 429 until the window passes):
    a key is a password that cannot be guessed unless guessing is free. Only the client is counted:
    counting per consultation would let anyone lock every app user of a consultation out. A known
    key used on another consultation is a 404, as for interviewers who are not assigned there. A
    route without a slug (the server-level address) reaches the key's own consultation.
    """
    key = str(connection.path_params["token"])
    slug = connection.path_params.get("slug")
    address = client_address(connection)
    with limiter_of(connection, LIMITER_KEY).attempt(f"key@{client_key(address)}", address):  # type: ignore[arg-type]
        device = _device_of_key(session, key)
    consultation = key_consultation(session, key, None if slug is None else str(slug))
    if consultation is None or not is_app_user_of(device, consultation.slug):
        raise NotAssigned(f"consultation '{slug or '?'}' is not assigned to this app user")
    if device.revoked_at is not None:
        raise AppUserRefusedError(REVOKED.format(id=device.id))
    user = session.get(User, device.user_id)
    if user is None or not user.active:
        raise AppUserRefusedError("the interviewer account of this app user is disabled")
    device.last_seen_at = utcnow()
    return device


def server_url(base: str, slug: str, key: str) -> str:
    """The address Collect talks to: every OpenRosa route of the consultation under the key."""
    return f"{base.rstrip('/')}/openrosa/{slug}/key/{key}"


def collect_settings(
    base: str, consultation: Consultation, key: str, language: str = "fr"
) -> dict[str, object]:
    """Collect's settings for one app user: the server, exact form updates, sending on any network."""
    title = consultation.title.get(language) or next(iter(consultation.title.values()), consultation.slug)
    return {
        "general": {
            "server_url": server_url(base, consultation.slug, key),
            "form_update_mode": "match_exactly",
            "autosend": "wifi_and_cellular",
        },
        "admin": {},
        "project": {"name": title},
    }


def qr_payload(settings: dict[str, object]) -> str:
    """What the QR code holds: the settings JSON, zlib-compressed, then base64 (Collect's format)."""
    return base64.b64encode(zlib.compress(json.dumps(settings, ensure_ascii=False).encode("utf-8"))).decode()


class AppUserService:
    """What the coordinators' app-user pages read and write, so their controller never holds a session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def consultation(self, slug: str) -> Consultation:
        """The consultation named in the address (404 when there is none)."""
        return ConsultationService(self.session).get(slug)

    def interviewers(self, consultation: Consultation) -> list[User]:
        """Active interviewers assigned to the consultation, by username: who an app user may collect for."""
        return list(
            self.session.scalars(
                select(User)
                .join(FieldAssignment, FieldAssignment.user_id == User.id)
                .where(
                    FieldAssignment.consultation_id == consultation.id,
                    User.role == Role.INTERVIEWER.value,
                    User.active.is_(True),
                )
                .order_by(User.username)
            )
        )

    def listing(self, consultation: Consultation) -> list[AppUser]:
        """The consultation's app users, revoked ones included."""
        return app_users(self.session, consultation)

    def create(self, consultation: Consultation, username: str, name: str, staff: User) -> tuple[User, str]:
        """A new app user collecting as ``username``: the interviewer and the key (shown once, never kept).

        Raises StoreError naming the field when the interviewer or the name is refused.
        """
        interviewer = self.session.scalar(select(User).where(User.username == username))
        if interviewer is None:
            raise StoreError(f"interviewer: no interviewer '{username[:80]}'")
        _, key = create_app_user(
            self.session, consultation, interviewer, name, actor=staff.username, actor_id=staff.id
        )
        return interviewer, key

    def revoke(self, slug: str, device_id: int, staff: User) -> None:
        """Revoke one app user of the consultation: its key is refused from the next request on."""
        consultation = self.consultation(slug)
        revoke_app_user(self.session, consultation, device_id, actor=staff.username, actor_id=staff.id)
