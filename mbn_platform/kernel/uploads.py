"""One check for the files people upload (a lesson's documents, a homework handed in, a message's
attachment): a size limit and a type told by the file's first bytes (its name and declared type
are the sender's word), with a clear error naming the field."""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.errors import ValidationFailed


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


PDF = FileKind("pdf", "application/pdf")
PNG = FileKind("png", "image/png")
JPEG = FileKind("jpg", "image/jpeg")
GIF = FileKind("gif", "image/gif")
MP3 = FileKind("mp3", "audio/mpeg")
#: Office documents are ZIP containers: told apart by their name's extension once the ZIP is read.
OFFICE = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
_MAGIC = ((b"%PDF", PDF), (b"\x89PNG", PNG), (b"\xff\xd8\xff", JPEG), (b"GIF8", GIF), (b"ID3", MP3))
#: What a school document may be: PDF, images, sound, office documents.
DOCUMENT_TYPES_TEXT = _("PDF, PNG, JPEG, GIF, MP3 or an office document (ODT, DOCX, ODS, XLSX, ODP, PPTX)")


def _detected(upload: Any, head: bytes) -> FileKind | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    name = str(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if head.startswith(b"PK\x03\x04") and extension in OFFICE:
        try:
            with zipfile.ZipFile(upload) as archive:
                valid = archive.testzip() is None and bool(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            valid = False
        upload.seek(0)
        if valid:
            return FileKind(extension, OFFICE[extension])
    return None


def upload_kind(
    upload: Any, *, field: str, max_bytes: int, allowed: Collection[FileKind] | None = None
) -> FileKind:
    """The kind of an accepted upload (PDF, PNG, JPEG, GIF, MP3, an office document; only the
    kinds ``allowed`` when given); a file too large, empty or of another type is a
    ``ValidationFailed`` on ``field``."""
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes:
        raise ValidationFailed(
            fields={
                field: [str(_("The file is too large (%(mb)d MB at most).") % {"mb": max_bytes // 2**20})]
            }
        )
    if size == 0:
        raise ValidationFailed(fields={field: [str(_("The file is empty."))]})
    head = upload.read(8)
    upload.seek(0)
    kind = _detected(upload, head)
    if kind is not None and (allowed is None or kind in allowed):
        return kind
    types = DOCUMENT_TYPES_TEXT if allowed is None else ", ".join(k.extension.upper() for k in allowed)
    raise ValidationFailed(
        fields={field: [str(_("Send a file of one of these types: %(types)s.") % {"types": types})]}
    )


def safe_file_name(name: str, extension: str, *, default: str = "document") -> str:
    """A name to show and download a file under: the sender's name without its folders, cut to
    100 characters, with the extension its content has."""
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0].strip()
    cleaned = "".join(ch for ch in base if ch.isalnum() or ch in " -_()'")[:100].strip() or default
    return f"{cleaned}.{extension}"
