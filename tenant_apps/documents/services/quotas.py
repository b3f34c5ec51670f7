"""The storage quotas: one for the whole establishment (every library of its schema), one for
each person's own documents. What counts is what the versions stored (``stored_bytes``: a restore
stores nothing new); a deleted file no longer counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import PayloadTooLarge
from tenant_apps.documents.models import Library, Version


@dataclass(frozen=True)
class Usage:
    used: int
    quota: int

    @property
    def left(self) -> int:
        return max(self.quota - self.used, 0)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.used / self.quota)) if self.quota else 100


def limits() -> dict[str, int]:
    found: dict[str, int] = settings.DOCUMENTS_LIMITS
    return found


def establishment_usage() -> Usage:
    used = Version.objects.aggregate(total=Sum("stored_bytes"))["total"] or 0
    return Usage(used=used, quota=limits()["establishment_bytes"])


def library_usage(library: Library) -> Usage | None:
    """A personal library's use of its owner's quota (a space's library: None, only the
    establishment's quota applies)."""
    if library.kind != Library.Kind.PERSONAL:
        return None
    used = Version.objects.filter(document__library=library).aggregate(total=Sum("stored_bytes"))["total"]
    return Usage(used=used or 0, quota=limits()["personal_bytes"])


class QuotaExceeded(PayloadTooLarge):
    """413 with the quota's own code and how much space is left."""


def quota_check(library: Library, size: int) -> None:
    """Room for ``size`` more bytes in the establishment and, for personal documents, in the
    person's quota; else ``QuotaExceeded`` saying how much is left."""
    for usage, code, text in (
        (
            establishment_usage(),
            ErrorCode.ESTABLISHMENT_QUOTA_EXCEEDED,
            _("The establishment's document storage is full: %(left)s left, this file needs %(size)s."),
        ),
        (
            library_usage(library),
            ErrorCode.PERSONAL_QUOTA_EXCEEDED,
            _("Your personal documents are full: %(left)s left, this file needs %(size)s."),
        ),
    ):
        if usage is not None and size > usage.left:
            message = text % {"left": filesizeformat(usage.left), "size": filesizeformat(size)}
            raise QuotaExceeded(message, code=code, fields={"file": [message]})
