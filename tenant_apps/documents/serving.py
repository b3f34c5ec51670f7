"""Serving a file: previewable images and PDFs inline in the page (``<img>``, ``<iframe>``),
streamed from our own host (same origin, so the page's security policy allows them), with
``nosniff``; any other file, or any download, as an attachment — from S3 a redirect to a signed
URL valid a few minutes that itself sets the attachment and the type told by the content, from
the disk (demo, development) streamed with ``nosniff``."""

from __future__ import annotations

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from storages.backends.s3 import S3Storage

from mbn_platform.kernel.errors import NotFound
from tenant_apps.documents.models import Document, Version

SIGNED_URL_SECONDS = 300
PREVIEWABLE_IMAGES = frozenset({"image/png", "image/jpeg", "image/gif"})
PREVIEWABLE = PREVIEWABLE_IMAGES | {"application/pdf"}


def previewable(content_type: str) -> bool:
    return content_type in PREVIEWABLE


def is_image(content_type: str) -> bool:
    return content_type in PREVIEWABLE_IMAGES


def _quoted(name: str) -> str:
    return name.replace('"', "").replace("\\", "")


def version_response(document: Document, version: Version, *, inline: bool) -> HttpResponseBase:
    """The stored file of ``version`` (``inline`` only for a previewable type)."""
    inline = inline and previewable(version.content_type)
    name = document.name
    if not inline and isinstance(default_storage, S3Storage):
        try:
            url = default_storage.url(
                str(version.file.name),
                parameters={
                    "ResponseContentDisposition": f'attachment; filename="{_quoted(name)}"',
                    "ResponseContentType": version.content_type,
                },
                expire=SIGNED_URL_SECONDS,
            )
        except SuspiciousFileOperation as exc:
            raise NotFound() from exc
        response: HttpResponseBase = HttpResponseRedirect(url)
    else:
        try:
            stored = default_storage.open(str(version.file.name), "rb")
        except (OSError, SuspiciousFileOperation) as exc:
            raise NotFound() from exc
        response = FileResponse(
            stored, as_attachment=not inline, filename=name, content_type=version.content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
