"""Serving a stored report card, fast on report-card day: never regenerated, never read through
a web worker when the files are on S3 (a redirect to a signed URL valid a few minutes), streamed
from the disk otherwise (the demo, development)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.text import slugify
from storages.backends.s3 import S3Storage

from tenant_apps.reportcards.models import ReportCard

SIGNED_URL_SECONDS = 300


def download_name(card: ReportCard) -> str:
    return f"{slugify(card.student.display_name)}-{slugify(card.period.name)}-v{card.version}.pdf"


def card_response(card: ReportCard) -> HttpResponseBase:
    name = download_name(card)
    if isinstance(default_storage, S3Storage):
        url = default_storage.url(
            card.file,
            parameters={"ResponseContentDisposition": f'attachment; filename="{name}"'},
            expire=SIGNED_URL_SECONDS,
        )
        return HttpResponseRedirect(url)
    response = FileResponse(default_storage.open(card.file), as_attachment=True, filename=name)
    response["Content-Type"] = "application/pdf"
    response["Cache-Control"] = "private, max-age=300"
    return response
