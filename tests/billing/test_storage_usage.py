"""What an establishment stores is measured from the storage's listing under its prefix, on S3 and
on the filesystem, without entering its schema; another establishment's files do not count."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django_tenants.utils import schema_context

from mbn_platform.kernel.storage import EstablishmentFileSystemStorage, PrefixUsage, prefix_usage
from tests.test_storage import s3_storage  # noqa: F401  (a fixture)


def test_s3_usage_is_listed_under_the_prefix(s3_storage, school_a, school_b):  # noqa: F811
    folder = f"billing-{uuid.uuid4().hex[:8]}"  # the bucket is shared by the session's tests
    with schema_context(school_a.schema_name):
        s3_storage.save(f"{folder}/a.txt", ContentFile(b"x" * 1500))
        s3_storage.save(f"{folder}/deep/b.txt", ContentFile(b"y" * 500))
    with schema_context(school_b.schema_name):
        s3_storage.save(f"{folder}/c.txt", ContentFile(b"z" * 7))

    assert prefix_usage(f"{school_a.schema_name}/{folder}/", storage=s3_storage) == PrefixUsage(
        bytes=2000, files=2
    )
    assert prefix_usage(f"{school_b.schema_name}/{folder}/", storage=s3_storage) == PrefixUsage(
        bytes=7, files=1
    )
    assert prefix_usage(f"{school_a.schema_name}/", storage=s3_storage).bytes >= 2000


def test_filesystem_usage_walks_the_establishments_folder(tmp_path, school_a, school_b):
    storage = EstablishmentFileSystemStorage(location=tmp_path)
    with schema_context(school_a.schema_name):
        storage.save("homework/a.txt", ContentFile(b"x" * 1000))
        storage.save("spaces/photos/b.txt", ContentFile(b"y" * 24))
    with schema_context(school_b.schema_name):
        storage.save("homework/c.txt", ContentFile(b"z" * 5))

    assert prefix_usage(f"{school_a.schema_name}/", storage=storage) == PrefixUsage(bytes=1024, files=2)
    assert prefix_usage(f"{school_b.schema_name}/", storage=storage) == PrefixUsage(bytes=5, files=1)
    assert prefix_usage("t_nothing_here/", storage=storage) == PrefixUsage()
