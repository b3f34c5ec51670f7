"""File storage with one key prefix per establishment (design brief §3).

Every stored name starts with the schema of the establishment that stored it
(``t_1a2b3c4d5e/homework/sheet.pdf``); S3 (django-storages, boto3) when ``S3_BUCKET`` is set,
the local filesystem with the same layout otherwise. A name of another establishment is refused:
files never leak across establishments even if a name does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from os import PathLike
from typing import IO, Any

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

from mbn_platform.kernel.db import tenant_db


def establishment_prefix() -> str:
    return f"{tenant_db().schema_name}/"


class EstablishmentPrefixMixin:
    """Prefix new names with the current schema; refuse names of another schema."""

    @staticmethod
    def _prefixed(name: str) -> str:
        prefix = establishment_prefix()
        return name if name.startswith(prefix) else prefix + name.lstrip("/")

    def generate_filename(self, filename: str | PathLike[str]) -> str:
        return super().generate_filename(self._prefixed(str(filename)))  # type: ignore[misc]

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        prefixed = self._prefixed(name or getattr(content, "name", None) or "file")
        return super().save(prefixed, content, max_length)  # type: ignore[misc]

    def _check_owned(self, name: str) -> None:
        if not name.startswith(establishment_prefix()):
            raise SuspiciousFileOperation("This file belongs to another establishment.")

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        self._check_owned(name)
        return super()._open(name, mode)  # type: ignore[misc]

    def _save(self, name: str, content: File[Any]) -> str:
        self._check_owned(name)
        return super()._save(name, content)  # type: ignore[misc]

    def delete(self, name: str) -> None:
        self._check_owned(name)
        super().delete(name)  # type: ignore[misc]

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
        if name:
            self._check_owned(name)
        return super().url(name, *args, **kwargs)  # type: ignore[misc]


@dataclass(frozen=True)
class PrefixUsage:
    """What is stored under a key prefix: total size in bytes and number of files."""

    bytes: int = 0
    files: int = 0


class EstablishmentFileSystemStorage(EstablishmentPrefixMixin, FileSystemStorage):
    def prefix_usage(self, prefix: str) -> PrefixUsage:
        """Everything stored under ``prefix`` (an establishment's schema name), by walking its folder."""
        root = self.path(prefix.strip("/"))
        size = files = 0
        for folder, _dirs, names in os.walk(root):
            for name in names:
                try:
                    size += os.stat(os.path.join(folder, name)).st_size
                except FileNotFoundError:  # removed while walking
                    continue
                files += 1
        return PrefixUsage(bytes=size, files=files)


class EstablishmentS3Storage(EstablishmentPrefixMixin, S3Storage):
    def prefix_usage(self, prefix: str) -> PrefixUsage:
        """Everything stored under ``prefix``, from the bucket's listing (1,000 keys a request)."""
        key_prefix = self._normalize_name(prefix.strip("/") + "/")
        size = files = 0
        for obj in self.bucket.objects.filter(Prefix=key_prefix):
            size += int(obj.size)
            files += 1
        return PrefixUsage(bytes=size, files=files)


def prefix_usage(prefix: str, storage: Any = None) -> PrefixUsage:
    """What the default storage (or ``storage``) holds under ``prefix``: used by the metering to
    measure an establishment's files without entering its schema."""
    from django.core.files.storage import default_storage

    backend = storage if storage is not None else default_storage
    measure = getattr(backend, "prefix_usage", None)
    if measure is None:  # a storage without the establishments' layout holds nothing of theirs
        return PrefixUsage()
    result: PrefixUsage = measure(prefix)
    return result
