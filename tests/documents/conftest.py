from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from tenant_apps.documents.models import Library
from tenant_apps.documents.rights import register_space_rights, unregister_space_rights
from tenant_apps.documents.services.libraries import library_for_person, library_for_space
from tenant_apps.school.models import Member
from tenants.models import Establishment
from tests.conftest import S3_DOCUMENTS_BUCKET
from tests.factories import member

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SPACE_ID = 41


def pdf(name: str = "cours.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name: str = "schema.png", size: int = 1) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (size, size), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@dataclass
class World:
    establishment: Establishment
    owner: User  # a teacher: owner of the space's library and of their personal documents
    contributor: User  # a student
    reader: User  # another student
    outsider: User  # a student with no right on the space
    rights: dict[int, str] = field(default_factory=dict)

    def member(self, user: User) -> Member:
        with schema_context(self.establishment.schema_name):
            return Member.objects.get(user_id=user.pk)

    def personal(self, user: User) -> Library:
        with schema_context(self.establishment.schema_name):
            return library_for_person(Member.objects.get(user_id=user.pk))

    def space(self) -> Library:
        with schema_context(self.establishment.schema_name):
            return library_for_space(SPACE_ID)


@pytest.fixture
def s3_storage(settings: Any, s3_endpoint: str) -> str:
    """Files go to the S3 test server (one bucket, a prefix per establishment)."""
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


@pytest.fixture
def world(school_a: Establishment, s3_storage: str) -> Iterator[World]:
    """A space (``SPACE_ID``) whose rights a test hook gives: the teacher owns it, one student
    contributes, another reads; a third student has no right."""
    found = World(
        establishment=school_a,
        owner=member(school_a, Role.TEACHER),
        contributor=member(school_a, Role.STUDENT, class_name="4e B"),
        reader=member(school_a, Role.STUDENT, class_name="4e B"),
        outsider=member(school_a, Role.STUDENT, class_name="4e C"),
    )
    found.rights = {found.owner.pk: "owner", found.contributor.pk: "contributor", found.reader.pk: "reader"}

    def space_rights(actor: Any, space_id: int) -> str | None:
        return found.rights.get(actor.pk) if space_id == SPACE_ID else None

    register_space_rights(space_rights)
    try:
        yield found
    finally:
        unregister_space_rights()
