"""Where archives are kept: the backups bucket (``S3_BACKUPS_BUCKET``), else ``EXPORTS_ROOT``.

Next to each archive, ``<key>.sha256`` (``sha256sum`` format) holds its checksum.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ServiceUnavailable, ValidationFailed
from tenants.offboarding.archives import SHA256_RE, ArchiveInvalid

EXPORT_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*\.tar\.gz$")


def export_key_normalize(key: str) -> str:
    """A key as given by an operator (``establishments/...tar.gz`` or ``s3://<bucket>/...``)."""
    value = (key or "").strip()
    bucket = str(settings.S3_BACKUPS_BUCKET)
    if value.startswith("s3://"):
        named_bucket, _slash, value = value.removeprefix("s3://").partition("/")
        if named_bucket != bucket:
            message = (
                _("Exports are read from the bucket %(bucket)s.") % {"bucket": bucket}
                if bucket
                else _("Exports are kept in a folder here (S3_BACKUPS_BUCKET is not set): give the key only.")
            )
            raise ValidationFailed(fields={"export_key": [message]})
    if not EXPORT_KEY_RE.match(value):
        raise ValidationFailed(fields={"export_key": [_("Not an export key (…/name.tar.gz).")]})
    return value


class ExportLocation(ABC):
    @abstractmethod
    def describe(self, key: str) -> str: ...

    @abstractmethod
    def store(self, *, key: str, archive: Path, sha256: str) -> None:
        """Keep the archive under ``key`` and its checksum next to it."""

    @abstractmethod
    def fetch(self, *, key: str, workdir: Path) -> tuple[Path, str]:
        """A local copy of the archive and its recorded checksum; ArchiveInvalid if missing."""


def _sidecar(sha256: str, key: str) -> bytes:
    return f"{sha256}  {PurePosixPath(key).name}\n".encode()


def _sidecar_parse(raw: bytes) -> str:
    value = raw.decode("ascii", errors="replace").split(" ", 1)[0].strip()
    if not SHA256_RE.match(value):
        raise ArchiveInvalid(_("The export's checksum file is invalid."))
    return value


class LocalExports(ExportLocation):
    """A folder (development, the demo, tests): files readable by their owner only."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValidationFailed(fields={"export_key": [_("Not an export key.")]})
        return path

    def describe(self, key: str) -> str:
        return str(self._path(key))

    def store(self, *, key: str, archive: Path, sha256: str) -> None:
        target = self._path(key)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for path, write in (
            (target, lambda tmp: shutil.copyfile(archive, tmp)),
            (
                target.with_name(target.name + ".sha256"),
                lambda tmp: Path(tmp).write_bytes(_sidecar(sha256, key)),
            ),
        ):
            descriptor, tmp = tempfile.mkstemp(prefix=".", dir=path.parent)
            os.close(descriptor)
            try:
                write(tmp)
                os.chmod(tmp, 0o600)
                os.replace(tmp, path)
            finally:
                Path(tmp).unlink(missing_ok=True)

    def fetch(self, *, key: str, workdir: Path) -> tuple[Path, str]:
        path = self._path(key)
        sidecar = path.with_name(path.name + ".sha256")
        if not path.is_file() or not sidecar.is_file():
            raise ArchiveInvalid(_("There is no export %(key)s.") % {"key": key})
        return path, _sidecar_parse(sidecar.read_bytes())


class S3Exports(ExportLocation):
    """The backups bucket, with the endpoint and credentials of the documents storage."""

    def __init__(self, bucket: str) -> None:
        import boto3

        options = settings.S3_SETTINGS
        self.bucket = bucket
        self.client = boto3.client(
            "s3",
            endpoint_url=options.get("endpoint_url"),
            region_name=options.get("region_name"),
            aws_access_key_id=options.get("access_key"),
            aws_secret_access_key=options.get("secret_key"),
        )

    def describe(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"

    def _unavailable(self, error: Exception) -> ServiceUnavailable:
        return ServiceUnavailable(
            _("The bucket %(bucket)s cannot be used: %(error)s") % {"bucket": self.bucket, "error": error},
            code=ErrorCode.EXPORTS_UNAVAILABLE,
        )

    def store(self, *, key: str, archive: Path, sha256: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.upload_file(
                str(archive), self.bucket, key, ExtraArgs={"Metadata": {"sha256": sha256}}
            )
            self.client.put_object(Bucket=self.bucket, Key=f"{key}.sha256", Body=_sidecar(sha256, key))
        except (BotoCoreError, ClientError) as error:
            raise self._unavailable(error) from error

    def fetch(self, *, key: str, workdir: Path) -> tuple[Path, str]:
        from botocore.exceptions import BotoCoreError, ClientError

        target = workdir / "archive.tar.gz"
        try:
            sidecar = self.client.get_object(Bucket=self.bucket, Key=f"{key}.sha256")["Body"].read()
            self.client.download_file(self.bucket, key, str(target))
        except ClientError as error:
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status == 404 or error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise ArchiveInvalid(_("There is no export %(key)s.") % {"key": key}) from error
            raise self._unavailable(error) from error
        except BotoCoreError as error:
            raise self._unavailable(error) from error
        return target, _sidecar_parse(sidecar)


def exports_location() -> ExportLocation:
    bucket = str(settings.S3_BACKUPS_BUCKET)
    return S3Exports(bucket) if bucket else LocalExports(Path(settings.EXPORTS_ROOT))
