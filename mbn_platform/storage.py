"""File storage with one key prefix per establishment (design brief §3).

Every stored name starts with the schema of the establishment that stored it
(``t_1a2b3c4d5e/homework/sheet.pdf``); S3 (django-storages, boto3) when ``S3_BUCKET`` is set,
the local filesystem with the same layout otherwise. A name of another establishment is refused:
files never leak across establishments even if a name does.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.db import connection
from storages.backends.s3 import S3Storage


def establishment_prefix() -> str:
    return f"{connection.schema_name}/"


class EstablishmentPrefixMixin:
    """Prefix new names with the current schema; refuse names of another schema."""

    def generate_filename(self, filename: str) -> str:
        prefix = establishment_prefix()
        name = filename if filename.startswith(prefix) else prefix + filename.lstrip("/")
        return super().generate_filename(name)  # type: ignore[misc]

    def _check_owned(self, name: str) -> None:
        if not name.startswith(establishment_prefix()):
            raise SuspiciousFileOperation("This file belongs to another establishment.")

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        self._check_owned(name)
        return super()._open(name, mode)  # type: ignore[misc,no-any-return]

    def _save(self, name: str, content: File[Any]) -> str:
        self._check_owned(name)
        return super()._save(name, content)  # type: ignore[misc,no-any-return]

    def delete(self, name: str) -> None:
        self._check_owned(name)
        super().delete(name)  # type: ignore[misc]

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
        if name:
            self._check_owned(name)
        return super().url(name, *args, **kwargs)  # type: ignore[misc,no-any-return]


class EstablishmentFileSystemStorage(EstablishmentPrefixMixin, FileSystemStorage):
    pass


class EstablishmentS3Storage(EstablishmentPrefixMixin, S3Storage):
    pass
