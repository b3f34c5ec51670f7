"""Document libraries (issue 18): a 20 MB file uploaded and downloaded through the platform
against a direct put/get of the same bytes on the same S3 server (moto) in the same run, and the
library page of a folder of 1,000 files: its SQL query count (asserted bounded) and time.

The platform's upload is the API's multipart POST through the whole stack (middleware, session,
the type check, the quota, the write to S3); its download is the page's redirect to a signed URL
then the GET on S3, and the inline preview streamed by the platform itself. Not a timed test."""

from __future__ import annotations

import os
import time
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.documents.models import Document, Version
from tenant_apps.documents.services.libraries import library_for_person
from tenant_apps.school.models import Member
from tests.conftest import S3_DOCUMENTS_BUCKET, client_for, s3_client
from tests.factories import member

pytestmark = pytest.mark.perf

SIZE = 20 * 1024 * 1024
FILES = 1000


def _mb_per_second(seconds: float) -> float:
    return SIZE / 2**20 / seconds


@pytest.fixture
def s3(settings, s3_endpoint):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "mbn_platform.kernel.storage.EstablishmentS3Storage",
            "OPTIONS": {
                "bucket_name": S3_DOCUMENTS_BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "eu-west-3",
                "access_key": "test",
                "secret_key": "test",
                "file_overwrite": False,
            },
        },
    }
    return s3_endpoint


def test_upload_download_throughput_and_a_folder_of_1000_files(school_a, s3, bench_report):
    teacher = member(school_a, Role.TEACHER)
    with schema_context(school_a.schema_name):
        library = library_for_person(Member.objects.get(user_id=teacher.pk))
    content = b"%PDF-1.4\n" + os.urandom(SIZE - 9)
    api = client_for(teacher, school_a, api=True)
    assert api.get(f"/api/v1/documents/libraries/{library.pk}/").status_code == 200  # warm: URLs loaded

    started = time.perf_counter()
    sent = api.post(
        f"/api/v1/documents/libraries/{library.pk}/files/",
        {"file": SimpleUploadedFile("Annales.pdf", content, content_type="application/pdf")},
    )
    upload = time.perf_counter() - started
    assert sent.status_code == 201, sent.content
    file_id = sent.json()["id"]

    started = time.perf_counter()
    redirect = api.get(f"/documents/files/{file_id}/download/")
    with urllib.request.urlopen(redirect["Location"]) as answer:  # noqa: S310 (the test S3 server)
        fetched = answer.read()
    download = time.perf_counter() - started
    assert fetched == content

    started = time.perf_counter()
    preview = api.get(f"/documents/files/{file_id}/preview/")
    streamed = b"".join(preview.streaming_content)
    preview_seconds = time.perf_counter() - started
    assert streamed == content

    client = s3_client(s3)
    key = f"bench/{file_id}.pdf"
    started = time.perf_counter()
    client.put_object(Bucket=S3_DOCUMENTS_BUCKET, Key=key, Body=content)
    put = time.perf_counter() - started
    started = time.perf_counter()
    assert client.get_object(Bucket=S3_DOCUMENTS_BUCKET, Key=key)["Body"].read() == content
    get = time.perf_counter() - started
    client.delete_object(Bucket=S3_DOCUMENTS_BUCKET, Key=key)
    bench_report(
        f"documents 20 MB: upload through the platform {_mb_per_second(upload):.0f} MB/s "
        f"(direct S3 put {_mb_per_second(put):.0f} MB/s); download (signed URL) "
        f"{_mb_per_second(download):.0f} MB/s, inline preview streamed by the platform "
        f"{_mb_per_second(preview_seconds):.0f} MB/s (direct S3 get {_mb_per_second(get):.0f} MB/s)"
    )

    with schema_context(school_a.schema_name):
        document = Document.objects.get(pk=file_id)
        uploader = Member.objects.get(user_id=teacher.pk)
        made = Document.objects.bulk_create(
            Document(library=library, name=f"Fiche {n:04d}.pdf", size=1000, content_type="application/pdf")
            for n in range(FILES - 1)
        )
        versions = Version.objects.bulk_create(
            Version(
                document=d,
                number=1,
                file=document.current.file.name,
                size=1000,
                content_type="application/pdf",
                uploaded_by=uploader,
            )
            for d in made
        )
        for d, v in zip(made, versions, strict=True):
            d.current = v
        Document.objects.bulk_update(made, ["current"])
    connection.set_schema_to_public()
    page = client_for(teacher, school_a)
    page.get(f"/documents/libraries/{library.pk}/")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        answer = page.get(f"/documents/libraries/{library.pk}/")
        seconds = time.perf_counter() - started
    assert answer.status_code == 200 and answer.content.decode().count("/download/") == FILES
    assert len(queries) <= 16, len(queries)
    bench_report(
        f"documents: the library page of a folder of {FILES} files: {len(queries)} queries, "
        f"{seconds * 1000:.0f} ms"
    )
