"""Where an académie's files land: an S3 prefix (``s3://bucket/prefix/``, reached with the endpoint
and credentials of ``S3_SETTINGS``), or a folder under ``AAF_FEEDS_ROOT`` (development, the demo:
the same layout on the local filesystem). A source lists its XML files and streams one."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ServiceUnavailable, ValidationFailed

S3_RE = re.compile(r"^s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(?P<prefix>[^\s]*))?$")
FOLDER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*/?$")
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    name: str  # the file's own name (the key's last part)
    key: str
    size: int
    version: str  # changes when the file is replaced (S3 ETag; size and time of a local file)


class FeedSource(ABC):
    @abstractmethod
    def files(self) -> list[SourceFile]:
        """The XML files at the location."""

    @abstractmethod
    def chunks(self, key: str) -> Iterator[bytes]:
        """The content of one file, read in chunks."""


def _unavailable(location: str, error: Exception) -> ServiceUnavailable:
    return ServiceUnavailable(
        _("The feed's files cannot be read at %(location)s: %(error)s")
        % {"location": location, "error": error},
        code=ErrorCode.FEED_UNAVAILABLE,
    )


class S3Source(FeedSource):
    def __init__(self, bucket: str, prefix: str) -> None:
        import boto3

        options = settings.S3_SETTINGS
        self.bucket, self.prefix = bucket, prefix
        self.client = boto3.client(
            "s3",
            endpoint_url=options.get("endpoint_url"),
            region_name=options.get("region_name"),
            aws_access_key_id=options.get("access_key"),
            aws_secret_access_key=options.get("secret_key"),
        )

    def files(self) -> list[SourceFile]:
        from botocore.exceptions import BotoCoreError, ClientError

        found = []
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix
            ):
                for item in page.get("Contents", []):
                    key = str(item["Key"])
                    if key.lower().endswith(".xml"):
                        version = str(item.get("ETag", "")).strip('"')
                        found.append(
                            SourceFile(key.rsplit("/", 1)[-1], key, int(item.get("Size", 0)), version)
                        )
        except (BotoCoreError, ClientError) as error:
            raise _unavailable(f"s3://{self.bucket}/{self.prefix}", error) from error
        return found

    def chunks(self, key: str) -> Iterator[bytes]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
            yield from body.iter_chunks(CHUNK)
        except (BotoCoreError, ClientError) as error:
            raise _unavailable(f"s3://{self.bucket}/{key}", error) from error


class FolderSource(FeedSource):
    def __init__(self, path: Path) -> None:
        self.path = path

    def files(self) -> list[SourceFile]:
        if not self.path.is_dir():
            return []
        found = []
        for path in sorted(self.path.iterdir()):
            if path.is_file() and path.suffix.lower() == ".xml":
                stat = path.stat()
                found.append(
                    SourceFile(path.name, path.name, stat.st_size, f"{stat.st_size}-{stat.st_mtime_ns}")
                )
        return found

    def chunks(self, key: str) -> Iterator[bytes]:
        with (self.path / key).open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk


def feeds_root() -> Path:
    return Path(settings.AAF_FEEDS_ROOT)


def location_normalize(location: str) -> str:
    """A location as an operator types it: ``s3://bucket/prefix/``, or a folder's path under
    ``AAF_FEEDS_ROOT``. Refused: anything else, a folder outside the root."""
    value = (location or "").strip()
    s3 = S3_RE.match(value)
    if s3 is not None:
        prefix = (s3["prefix"] or "").strip("/")
        return f"s3://{s3['bucket']}/{prefix + '/' if prefix else ''}"
    if FOLDER_RE.match(value) and ".." not in value.split("/"):
        root = feeds_root().resolve()
        if (root / value).resolve().is_relative_to(root):
            return value.rstrip("/")
    raise ValidationFailed(
        fields={"location": [_("Give an S3 prefix (s3://bucket/prefix/) or a folder under the feeds' root.")]}
    )


def feed_source(location: str) -> FeedSource:
    s3 = S3_RE.match(location)
    if s3 is not None:
        prefix = s3["prefix"] or ""
        return S3Source(s3["bucket"], prefix)
    return FolderSource(feeds_root() / location)
