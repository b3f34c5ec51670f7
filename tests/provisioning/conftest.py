"""Fixtures of the offboarding tests: the committed world, file storages, the S3 backups bucket."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mbn_platform.kernel.storage import EstablishmentFileSystemStorage
from tests.conftest import s3_client
from tests.provisioning.offboarding_world import BACKUPS_BUCKET, World


@pytest.fixture
def world(django_db_setup: None, django_db_blocker: Any, tmp_path: Path, settings: Any) -> Iterator[World]:
    settings.EXPORTS_ROOT = tmp_path / "exports"
    settings.S3_BACKUPS_BUCKET = ""
    # Files written by the services themselves (establishment_create's marker) stay in tmp_path too.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "mbn_platform.kernel.storage.EstablishmentFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    with django_db_blocker.unblock():
        made = World(tmp_path=tmp_path)
        try:
            yield made
        finally:
            made.cleanup()


@pytest.fixture
def fs_storage(tmp_path: Path) -> EstablishmentFileSystemStorage:
    return EstablishmentFileSystemStorage(location=tmp_path / "media")


@pytest.fixture
def s3_backups(s3_endpoint: str, settings: Any) -> str:
    """Exports go to a bucket of the test S3 server."""
    client = s3_client(s3_endpoint)
    if BACKUPS_BUCKET not in {b["Name"] for b in client.list_buckets()["Buckets"]}:
        client.create_bucket(
            Bucket=BACKUPS_BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
        )
    settings.S3_BACKUPS_BUCKET = BACKUPS_BUCKET
    settings.S3_SETTINGS = {
        **settings.S3_SETTINGS,
        "endpoint_url": s3_endpoint,
        "region_name": "eu-west-3",
        "access_key": "test",
        "secret_key": "test",
    }
    return BACKUPS_BUCKET
