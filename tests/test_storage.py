"""Files are stored under the establishment's prefix, on S3 (an S3-compatible server started for
the session, tests/conftest.py) and on the filesystem, and a file of another establishment is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context

from mbn_platform.kernel.storage import EstablishmentFileSystemStorage, EstablishmentS3Storage
from tests.conftest import S3_DOCUMENTS_BUCKET, s3_client

BUCKET = S3_DOCUMENTS_BUCKET


@pytest.fixture
def s3_storage(s3_endpoint: str) -> EstablishmentS3Storage:
    return EstablishmentS3Storage(
        bucket_name=BUCKET,
        endpoint_url=s3_endpoint,
        region_name="eu-west-3",
        access_key="test",
        secret_key="test",
        file_overwrite=False,
    )


def test_s3_files_are_stored_under_the_establishment_prefix(s3_storage, s3_endpoint, school_a, school_b):
    with schema_context(school_a.schema_name):
        name = s3_storage.save("homework/sheet.txt", ContentFile(b"Exercices 1 a 4"))
        assert name.startswith(f"{school_a.schema_name}/homework/")
        with s3_storage.open(name) as handle:
            assert handle.read() == b"Exercices 1 a 4"

    client = s3_client(s3_endpoint)
    keys = [obj["Key"] for obj in client.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert name in keys

    with schema_context(school_b.schema_name), pytest.raises(SuspiciousFileOperation):
        s3_storage.open(name)


def test_filesystem_files_use_the_same_layout_and_refuse_other_establishments(tmp_path, school_a, school_b):
    storage = EstablishmentFileSystemStorage(location=tmp_path)
    with schema_context(school_a.schema_name):
        name = storage.save("spaces/photo.txt", ContentFile(b"x"))
    assert (tmp_path / school_a.schema_name / "spaces").is_dir()
    with schema_context(school_b.schema_name):
        with pytest.raises(SuspiciousFileOperation):
            storage.open(name)
        with pytest.raises(SuspiciousFileOperation):
            storage.delete(name)
        assert storage.save(name.split("/", 1)[1], ContentFile(b"y")).startswith(f"{school_b.schema_name}/")
