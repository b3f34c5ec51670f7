"""The documents' rules, through the services: quotas (the establishment's, a person's), versions
and restore, deletion (audited, gone from the quotas and from S3), the type told by the content,
and each right (owner, contributor, reader, none) on a space's library."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from shared_apps.audit.models import AuditEntry
from tenant_apps.documents.models import Document, Library
from tenant_apps.documents.rights import library_rights, unregister_space_rights
from tenant_apps.documents.services import files, folders
from tenant_apps.documents.services.libraries import library_for_person, library_for_space
from tenant_apps.documents.services.quotas import establishment_usage, library_usage
from tests.conftest import S3_DOCUMENTS_BUCKET, s3_client
from tests.documents.conftest import PDF, SPACE_ID, World, pdf, png


def limits(settings, **sizes: int) -> None:
    settings.DOCUMENTS_LIMITS = {**settings.DOCUMENTS_LIMITS, **sizes}


def test_libraries_are_got_or_created_once(world: World):
    with schema_context(world.establishment.schema_name):
        assert library_for_space(SPACE_ID).pk == library_for_space(SPACE_ID).pk
        me = world.member(world.owner)
        assert library_for_person(me).pk == library_for_person(me).pk
        assert Library.objects.count() == 2


def test_rights_per_role_on_a_space_and_a_personal_library(world: World):
    space, mine = world.space(), world.personal(world.owner)
    with schema_context(world.establishment.schema_name):
        assert library_rights(world.owner, space) == "owner"
        assert library_rights(world.contributor, space) == "contributor"
        assert library_rights(world.reader, space) == "reader"
        assert library_rights(world.outsider, space) is None
        assert library_rights(None, space) is None
        assert library_rights(world.owner, mine) == "owner"
        assert library_rights(world.contributor, mine) is None  # another person's documents
        # The contributor writes, the reader may not (403), the outsider does not see it (404).
        files.document_upload(actor=world.contributor, library=space, folder=None, upload=pdf())
        with pytest.raises(PermissionDenied):
            files.document_upload(actor=world.reader, library=space, folder=None, upload=pdf("b.pdf"))
        with pytest.raises(NotFound):
            folders.folder_create(actor=world.outsider, library=space, parent=None, name="Cours")
        # Without the spaces' hook, nobody has a right on a space's library.
        unregister_space_rights()
        assert library_rights(world.owner, space) is None


def test_versions_and_restore_lose_nothing(world: World):
    space = world.space()
    with schema_context(world.establishment.schema_name):
        first = files.document_upload(actor=world.owner, library=space, folder=None, upload=pdf("TD.pdf"))
        # The same name in the same folder: a new version of the same file.
        again = files.document_upload(
            actor=world.contributor, library=space, folder=None, upload=pdf("TD.pdf", PDF + b"v2")
        )
        assert again.pk == first.pk
        third = files.document_version_add(actor=world.owner, document=again, upload=png("TD.png"))
        assert third.number == 3 and third.content_type == "image/png"
        restored = files.document_restore(actor=world.owner, document=again, number=1)
        document = Document.objects.get(pk=first.pk)
        assert restored.number == 4 and restored.restored_from == 1
        assert document.current_id == restored.pk and document.content_type == "application/pdf"
        assert list(document.versions.values_list("number", flat=True)) == [4, 3, 2, 1]
        with document.current.file.open("rb") as handle:
            assert handle.read() == PDF
        # A restore stores nothing new: it does not count twice in the quota.
        assert establishment_usage().used == len(PDF) * 2 + 2 + third.size
        with pytest.raises(NotFound):
            files.document_restore(actor=world.owner, document=document, number=9)
        with pytest.raises(PermissionDenied):
            files.document_restore(actor=world.reader, document=document, number=2)


def test_the_personal_quota_refuses_and_says_what_is_left(world: World, settings):
    limits(settings, personal_bytes=len(PDF) + 10)
    mine = world.personal(world.owner)
    with schema_context(world.establishment.schema_name):
        files.document_upload(actor=world.owner, library=mine, folder=None, upload=pdf("a.pdf"))
        with pytest.raises(ApplicationError) as refused:
            files.document_upload(actor=world.owner, library=mine, folder=None, upload=pdf("b.pdf"))
        assert refused.value.status == 413
        assert refused.value.code == ErrorCode.PERSONAL_QUOTA_EXCEEDED
        assert "10\xa0bytes left" in refused.value.message
        # A space's library is not bound by a person's quota.
        files.document_upload(actor=world.owner, library=world.space(), folder=None, upload=pdf("b.pdf"))
        # Deleting a file frees its room (every version of it).
        document = Document.objects.get(library=mine)
        files.document_delete(actor=world.owner, document=document)
        assert library_usage(mine).used == 0
        files.document_upload(actor=world.owner, library=mine, folder=None, upload=pdf("b.pdf"))


def test_the_establishment_quota_counts_every_library(world: World, settings):
    limits(settings, establishment_bytes=len(PDF) * 2 + 5)
    with schema_context(world.establishment.schema_name):
        files.document_upload(actor=world.owner, library=world.space(), folder=None, upload=pdf("a.pdf"))
        mine = world.personal(world.reader)
        files.document_upload(actor=world.reader, library=mine, folder=None, upload=pdf("a.pdf"))
        with pytest.raises(ApplicationError) as refused:
            files.document_upload(actor=world.owner, library=world.space(), folder=None, upload=pdf("c.pdf"))
        assert refused.value.code == ErrorCode.ESTABLISHMENT_QUOTA_EXCEEDED
        assert "establishment" in refused.value.message and "5\xa0bytes left" in refused.value.message
        # A new version counts too.
        document = Document.objects.get(library=mine)
        with pytest.raises(ApplicationError):
            files.document_version_add(actor=world.reader, document=document, upload=pdf("a.pdf"))


def test_the_type_is_told_by_the_content_and_the_size_is_bounded(world: World, settings):
    space = world.space()
    with schema_context(world.establishment.schema_name):
        disguised = SimpleUploadedFile("notes.pdf", b"<html><script>alert(1)</script>", "application/pdf")
        with pytest.raises(ValidationFailed) as refused:
            files.document_upload(actor=world.owner, library=space, folder=None, upload=disguised)
        assert "file" in refused.value.fields
        # A PDF sent under another name is stored as the PDF it is.
        named = files.document_upload(actor=world.owner, library=space, folder=None, upload=pdf("photo.png"))
        assert named.name == "photo.pdf" and named.content_type == "application/pdf"
        limits(settings, file_bytes=10)
        with pytest.raises(ValidationFailed):
            files.document_upload(actor=world.owner, library=space, folder=None, upload=pdf("big.pdf"))


def test_folders_nest_rename_move_and_delete_with_their_files(
    world: World, s3_storage: str, django_capture_on_commit_callbacks
):
    space = world.space()
    schema = world.establishment.schema_name
    with schema_context(schema):
        cours = folders.folder_create(actor=world.owner, library=space, parent=None, name="Cours")
        chapitre = folders.folder_create(
            actor=world.contributor, library=space, parent=cours, name="Chapitre 1"
        )
        with pytest.raises(ApplicationError) as taken:
            folders.folder_create(actor=world.owner, library=space, parent=None, name="cours")
        assert taken.value.code == ErrorCode.ALREADY_EXISTS
        with pytest.raises(ValidationFailed):
            folders.folder_move(actor=world.owner, folder=cours, parent=chapitre)  # into itself
        folders.folder_rename(actor=world.owner, folder=chapitre, name="Fractions")
        document = files.document_upload(actor=world.owner, library=space, folder=chapitre, upload=pdf())
        files.document_rename(actor=world.owner, document=document, name="Fractions - cours")
        document.refresh_from_db()
        assert document.name == "Fractions - cours.pdf"
        files.document_move(actor=world.owner, document=document, folder=None)
        files.document_move(actor=world.owner, document=document, folder=chapitre)
        key = document.current.file.name
        assert key.startswith(f"{schema}/documents/")
        assert s3_client(s3_storage).head_object(Bucket=S3_DOCUMENTS_BUCKET, Key=key)
    with schema_context(schema), pytest.raises(PermissionDenied):
        folders.folder_delete(actor=world.reader, folder=cours)
    with schema_context(schema), django_capture_on_commit_callbacks(execute=True):
        folders.folder_delete(actor=world.owner, folder=cours)
        assert not Document.objects.exists() and establishment_usage().used == 0
    # Deletions are audited; the stored file is gone from S3 once committed.
    assert AuditEntry.objects.filter(action="documents.folder_deleted", details__files=1).exists()
    listed = s3_client(s3_storage).list_objects_v2(Bucket=S3_DOCUMENTS_BUCKET, Prefix=key)
    assert listed.get("KeyCount", 0) == 0
