"""Photo, recording and file answers: checked from their bytes, kept once, listed and erased.

Why the bytes decide: a browser or a tablet says what it sends (``Content-Type``, a file name), and
either may lie or be wrong; what is kept and how it is served later is decided from the first bytes
of the file. An image question keeps only raster images, an audio question only common recordings;
a file question keeps anything, and every attachment is served only as a download
(survey.analyst.attachments), so an HTML or SVG file can never run in an analyst's browser.

Why idempotent: a tablet retries a sync it did not hear the answer to, and ODK Collect sends an
interview again (or in several parts, ``*isIncomplete*``); the same file for the same question of the
same response is then recognised by its SHA-256 and stored once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from survey.questionnaire.messages import message
from survey.questionnaire.model import Question, QuestionType
from survey.store.bounds import id_in_range
from survey.store.errors import NotFoundError
from survey.store.models import Answer, Attachment, Response, utcnow
from survey.store.services.counted import counted

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_BODY_CEILING = 64 * 1024 * 1024  # a request carrying files; each file is held to the setting
_IN_CHUNK = 500

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic"})
AUDIO_TYPES = frozenset(
    {"audio/mpeg", "audio/ogg", "audio/wav", "audio/mp4", "audio/webm", "audio/amr", "audio/flac",
     "audio/aac", "audio/3gpp"}
)  # fmt: skip
ALLOWED: dict[QuestionType, frozenset[str] | None] = {
    QuestionType.IMAGE: IMAGE_TYPES,
    QuestionType.AUDIO: AUDIO_TYPES,
    QuestionType.FILE: None,  # anything: served only as a download
}
# Served with their own type (still as a download); every other type goes out as octet-stream.
SERVED_AS_IS = IMAGE_TYPES | AUDIO_TYPES | {"application/pdf"}
_KINDS = {
    QuestionType.IMAGE: "JPEG, PNG, GIF, WebP, HEIC",
    QuestionType.AUDIO: "MP3, OGG, WAV, M4A, WebM, AMR, FLAC",
}

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"OggS", "audio/ogg"),
    (b"ID3", "audio/mpeg"),
    (b"fLaC", "audio/flac"),
    (b"#!AMR", "audio/amr"),
    (b"\x1aE\xdf\xa3", "audio/webm"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
)
_RIFF = {b"WEBP": "image/webp", b"WAVE": "audio/wav"}
_BRANDS = {
    b"heic": "image/heic", b"heix": "image/heic", b"mif1": "image/heic", b"hevc": "image/heic",
    b"M4A ": "audio/mp4", b"M4B ": "audio/mp4", b"isom": "audio/mp4", b"mp42": "audio/mp4",
    b"3gp4": "audio/3gpp", b"3gp5": "audio/3gpp", b"3gp6": "audio/3gpp",
}  # fmt: skip
_MARKUP = ((b"<svg", "image/svg+xml"), (b"<!doctype html", "text/html"), (b"<html", "text/html"))


def sniff(content: bytes) -> str:
    """The media type the bytes show, whatever the sender said; ``application/octet-stream`` if unknown."""
    for magic, media_type in _MAGIC:
        if content.startswith(magic):
            return media_type
    if content[:4] == b"RIFF" and content[8:12] in _RIFF:
        return _RIFF[content[8:12]]
    if content[4:8] == b"ftyp" and content[8:12] in _BRANDS:
        return _BRANDS[content[8:12]]
    if len(content) > 1 and content[0] == 0xFF and content[1] & 0xF6 in (0xF0, 0xF2):
        return "audio/aac" if content[1] & 0x06 == 0 else "audio/mpeg"  # ADTS, or an MPEG audio frame
    head = content[:512].lstrip().lower()
    head = head.removeprefix(b"<?xml").split(b">", 1)[-1].lstrip() if head.startswith(b"<?xml") else head
    for marker, media_type in _MARKUP:
        if head.startswith(marker):
            return media_type
    try:
        content[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def served_type(media_type: str) -> str:
    """The Content-Type a download carries: its own for images, sound and PDF, octet-stream otherwise."""
    return media_type if media_type in SERVED_AS_IS else "application/octet-stream"


def bare_name(filename: str) -> str:
    """The name as sent, without any folder a browser or tablet put in front of it, at most 255 characters."""
    name = PureWindowsPath(PurePosixPath(filename.replace("\x00", "")).name).name.strip()
    return "".join(c for c in name if c >= " ")[-255:] or "file"


def size_in_words(limit: int) -> str:
    """A byte limit as people read it (``10 MB``, ``512 kB``)."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{max(1, limit // 1024)} kB"


class AttachmentRefusedError(ValueError):
    """A file not kept: too large, empty, or not a type the question takes. ``code`` keys the message."""

    def __init__(self, question: str, code: str, **values: str) -> None:
        super().__init__(f"{question}: {code}")
        self.question = question
        self.code = code
        self.values = values

    def message(self, language: str) -> str:
        """The refusal in the respondent's language."""
        return message(self.code, language).format(**self.values)


@dataclass(frozen=True)
class Upload:
    """One file as received: the question it answers, its name as sent and its bytes."""

    question: str
    filename: str
    content: bytes


@dataclass(frozen=True)
class Checked:
    """A file that may be kept, with what the store records of it."""

    question: str
    filename: str
    media_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


# A name ending that the bytes can confirm: ``letter.pdf`` must be a PDF to pass ``accept=.pdf``.
_SUFFIX_TYPES = {
    ".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".gif": "image/gif", ".webp": "image/webp", ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".wav": "audio/wav",
    ".m4a": "audio/mp4", ".flac": "audio/flac", ".amr": "audio/amr",
}  # fmt: skip


def _accepted(accept: str, filename: str, media_type: str) -> bool:
    """Whether a form's ``accept`` list (``.pdf,.docx`` or ``image/*``) takes this file."""
    suffix = PurePosixPath(filename.lower()).suffix
    for token in (t.strip().lower() for t in accept.split(",") if t.strip()):
        if token.startswith(".") and token == suffix and _SUFFIX_TYPES.get(suffix, media_type) == media_type:
            return True
        if token == media_type or (token.endswith("/*") and media_type.startswith(token[:-1])):
            return True
    return False


def check(question: Question, upload: Upload, max_bytes: int) -> Checked:
    """The upload if this question may keep it, else :class:`AttachmentRefusedError` naming why."""
    if not upload.content:
        raise AttachmentRefusedError(question.name, "file_empty")
    if len(upload.content) > max_bytes:
        raise AttachmentRefusedError(question.name, "file_too_big", limit=size_in_words(max_bytes))
    media_type = sniff(upload.content)
    filename = bare_name(upload.filename)
    allowed = ALLOWED.get(question.type, frozenset())
    kinds = _KINDS.get(question.type, question.accept or "")
    if allowed is not None and media_type not in allowed:
        raise AttachmentRefusedError(question.name, "file_type", kinds=kinds)
    if (
        question.type is QuestionType.FILE
        and question.accept
        and not _accepted(question.accept, filename, media_type)
    ):
        raise AttachmentRefusedError(question.name, "file_type", kinds=question.accept)
    return Checked(question.name, filename, media_type, upload.content)


@dataclass(frozen=True)
class Listed:
    """An attachment as listed (no bytes)."""

    id: int
    response_uuid: str
    question: str
    filename: str
    media_type: str
    size: int
    sha256: str


_COLUMNS = (
    Attachment.id, Attachment.response_uuid, Attachment.question, Attachment.filename, Attachment.media_type,
    Attachment.size, Attachment.sha256,
)  # fmt: skip


class AttachmentService:
    """Keep, list, fetch and erase the files answering photo, recording and file questions."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def keep(self, consultation_id: int, response_uuid: str, file: Checked, *, replace: bool) -> bool:
        """Store a checked file for its question; True when something was written.

        The same bytes again are a no-op (a retry). Different bytes replace the stored file only when
        ``replace`` (a respondent choosing another photo before sending); otherwise the first stays,
        as the first version of an interview does.
        """
        found = self.session.scalar(
            select(Attachment).where(
                Attachment.response_uuid == response_uuid, Attachment.question == file.question
            )
        )
        digest = file.sha256
        if found is not None and (found.sha256 == digest or not replace):
            return False
        if found is None:
            found = Attachment(
                response_uuid=response_uuid, consultation_id=consultation_id, question=file.question
            )
            self.session.add(found)
        found.filename = file.filename
        found.media_type = file.media_type
        found.size = len(file.content)
        found.sha256 = digest
        found.content = file.content
        found.received_at = utcnow()
        self.session.flush()
        return True

    def prune(self, response_uuid: str, answers: Mapping[str, object]) -> int:
        """Drop the files no answer names any more (a question switched off, a photo replaced by none).

        Called when an online response is sent: only what the final answers hold is kept.
        """
        rows = self.session.execute(
            select(Attachment.id, Attachment.question, Attachment.filename).where(
                Attachment.response_uuid == response_uuid
            )
        ).all()
        stale = [i for i, question, filename in rows if answers.get(question) != filename]
        if stale:
            self.session.execute(delete(Attachment).where(Attachment.id.in_(stale)))
        return len(stale)

    def names(self, response_uuid: str) -> dict[str, str]:
        """The stored file name per question of one response."""
        rows = self.session.execute(
            select(Attachment.question, Attachment.filename).where(Attachment.response_uuid == response_uuid)
        )
        return {str(question): str(filename) for question, filename in rows}

    def for_consultation(self, consultation_id: int, uuids: Sequence[str] | None = None) -> list[Listed]:
        """The attachments of a consultation's sent responses (of these only, when given), oldest first.

        A file of an unfinished online response, of one kept for review, of a test response or of an
        interview a correction superseded is not listed: analysts see what the analysis counts.
        """
        query = (
            select(*_COLUMNS)
            .join(Response, Response.uuid == Attachment.response_uuid)
            .where(
                Attachment.consultation_id == consultation_id,
                counted(consultation_id),
            )
        )
        if uuids is None:
            return self._listed(query)
        listed: list[Listed] = []
        for start in range(0, len(uuids), _IN_CHUNK):
            listed += self._listed(
                query.where(Attachment.response_uuid.in_(uuids[start : start + _IN_CHUNK]))
            )
        return sorted(listed, key=lambda a: a.id)

    def missing(
        self, consultation_id: int, questions: Iterable[str], uuids: Sequence[str] | None = None
    ) -> list[tuple[str, str, str]]:
        """(response uuid, question, file name) of sent answers naming a file the store does not hold.

        ODK Collect may send an interview before its files (a split submission not finished yet);
        a tablet sends them after the interview. Listing what is still due tells the analyst which
        interviews are not complete yet, as ODK Central's "missing attachments" does.
        """
        held = select(Attachment.id).where(
            Attachment.response_uuid == Response.uuid, Attachment.question == Answer.question
        )
        query = (
            select(Response.uuid, Answer.question, Answer.value_text)
            .join(Answer, Answer.response_id == Response.id)
            .where(
                counted(consultation_id),
                Answer.question.in_(sorted(set(questions))),
                ~held.exists(),
            )
            .order_by(Response.id, Answer.question)
        )
        if uuids is not None:
            query = query.where(Response.uuid.in_(list(uuids)[:_IN_CHUNK]))
        return [(str(u), str(q), str(name or "")) for u, q, name in self.session.execute(query)]

    def _listed(self, query: object) -> list[Listed]:
        rows = self.session.execute(query.order_by(Attachment.id))  # type: ignore[attr-defined]
        return [Listed(*row) for row in rows]

    def content(self, consultation_id: int, attachment_id: int) -> tuple[Listed, bytes]:
        """One listed attachment of this consultation with its bytes; NotFoundError for any other id."""
        found = self.session.get(Attachment, attachment_id) if id_in_range(attachment_id) else None
        if found is None or not self.for_consultation(consultation_id, [found.response_uuid]):
            raise NotFoundError(f"attachment: no attachment {attachment_id} in this consultation")
        listed = Listed(found.id, found.response_uuid, found.question, found.filename, found.media_type,
                        found.size, found.sha256)  # fmt: skip
        return listed, found.content

    def contents(self, ids: Iterable[int]) -> Iterable[bytes]:
        """The bytes of these attachments one at a time, in the order given (an export streams them)."""
        for attachment_id in ids:
            yield self.session.scalar(select(Attachment.content).where(Attachment.id == attachment_id)) or b""


def delete_attachments(session: Session, uuids: Sequence[str]) -> int:
    """Remove every file of these responses (an erasure, a purge); returns how many went."""
    removed = 0
    for start in range(0, len(uuids), _IN_CHUNK):
        result = session.execute(
            delete(Attachment).where(Attachment.response_uuid.in_(uuids[start : start + _IN_CHUNK]))
        )
        removed += int(result.rowcount)  # type: ignore[attr-defined]
    return removed


def _cell(text: str) -> str:
    """A name as a CSV cell a spreadsheet will not run as a formula (a file may be called ``=cmd…``)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def zip_path(listed: Listed) -> str:
    """Where a file goes in the export zip: ``<response uuid>/<question>/<its name>``, never outside.

    The name as sent is cleaned of folders and of what Windows refuses, so unpacking the zip cannot
    write anywhere but inside its folder.
    """
    name = "".join("_" if c in '<>:"/\\|?*' else c for c in bare_name(listed.filename)).strip(" .") or "file"
    return f"{listed.response_uuid}/{listed.question}/{name}"


def write_zip(
    service: AttachmentService,
    listed: Sequence[Listed],
    target: IO[bytes],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Every listed file into a zip with ``attachments.csv`` (what each file answers); returns the count.

    The bytes are read one file at a time, so a large export never holds more than one file in memory.
    """
    manifest = io.StringIO()
    rows = csv.writer(manifest)
    rows.writerow(["uuid", "question", "filename", "path", "media_type", "size", "sha256"])
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, (item, content) in enumerate(
            zip(listed, service.contents(a.id for a in listed), strict=True), 1
        ):
            path = zip_path(item)
            archive.writestr(path, content)
            rows.writerow(
                [
                    item.response_uuid,
                    item.question,
                    item.filename,
                    path,
                    item.media_type,
                    item.size,
                    item.sha256,
                ]
            )
            if progress is not None:
                progress(done)
        archive.writestr("attachments.csv", manifest.getvalue())
    return len(listed)
