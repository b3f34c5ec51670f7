"""The documents' pages: one's personal documents, a space's library by right (owner,
contributor, reader, none), upload (a plain form post, and the script's JSON answer), folders,
versions and restore, downloads (attachment and nosniff, from S3 through a signed URL), inline
previews of images and PDFs only, another school's file (404), bounded queries."""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.documents.models import Document, Folder
from tenant_apps.documents.services import files
from tests.conftest import client_for
from tests.documents.conftest import PDF, World, pdf, png
from tests.factories import member


def library_page(library_id: int) -> str:
    return f"/documents/libraries/{library_id}/"


def test_my_documents_upload_a_folder_and_the_navigation(world: World):
    teacher = client_for(world.owner, world.establishment)
    home = teacher.get("/").content.decode()
    assert 'href="/documents/mine/"' in home and "My documents" in home
    answer = teacher.get("/documents/mine/")
    mine = world.personal(world.owner)
    assert answer.status_code == 200 and f'action="{library_page(mine.pk)}"' in answer.content.decode()
    page = teacher.get(library_page(mine.pk)).content.decode()
    assert "No documents yet." in page and "<progress" in page and 'for="upload-progress"' in page
    made = teacher.post(library_page(mine.pk), {"action": "folder", "name": "Cours de 4e"})
    with schema_context(world.establishment.schema_name):
        folder = Folder.objects.get(library=mine)
    assert made.status_code == 302 and made["Location"] == f"{library_page(mine.pk)}?folder={folder.pk}"
    in_folder = f"{library_page(mine.pk)}?folder={folder.pk}"
    assert (
        teacher.post(in_folder, {"action": "upload", "file": pdf("Chapitre 3 - Fractions.pdf")}).status_code
        == 302
    )
    page = teacher.get(in_folder).content.decode()
    assert "Chapitre 3 - Fractions.pdf" in page and 'aria-current="page">Cours de 4e' in page
    # Nobody else sees one's personal documents.
    assert client_for(world.contributor, world.establishment).get(in_folder).status_code == 404


def test_the_upload_script_gets_json_and_errors_name_the_quota(world: World, settings):
    space = world.space()
    student = client_for(world.contributor, world.establishment)
    sent = student.post(library_page(space.pk), {"file": pdf()}, HTTP_ACCEPT="application/json")
    assert sent.status_code == 200 and sent.json() == {"redirect": library_page(space.pk)}
    settings.DOCUMENTS_LIMITS = {**settings.DOCUMENTS_LIMITS, "establishment_bytes": len(PDF) + 3}
    full = student.post(library_page(space.pk), {"file": pdf("b.pdf")}, HTTP_ACCEPT="application/json")
    assert full.status_code == 413
    assert full.json()["error"]["code"] == "establishment_quota_exceeded"
    assert "3\xa0bytes left" in full.json()["error"]["message"]
    # Without the script: the page again, the message beside the field.
    page = student.post(library_page(space.pk), {"file": pdf("b.pdf")})
    assert page.status_code == 413 and "3\xa0bytes left" in page.content.decode()
    bad = student.post(library_page(space.pk), {"file": pdf("x.pdf", b"MZ\x90\x00 not a pdf")})
    assert bad.status_code == 400 and "Send a file of one of these types" in bad.content.decode()


def test_rights_on_a_space_library_pages(world: World):
    space = world.space()
    with schema_context(world.establishment.schema_name):
        document = files.document_upload(actor=world.owner, library=space, folder=None, upload=pdf())
    reader = client_for(world.reader, world.establishment)
    page = reader.get(library_page(space.pk)).content.decode()
    assert "cours.pdf" in page and "You may read and download" in page and "Add a file" not in page
    assert reader.post(library_page(space.pk), {"file": pdf("b.pdf")}).status_code == 404
    file_page = reader.get(f"/documents/files/{document.pk}/").content.decode()
    assert "Restore" not in file_page and "Upload a new version" not in file_page
    assert reader.post(f"/documents/files/{document.pk}/", {"action": "delete"}).status_code == 404
    outsider = client_for(world.outsider, world.establishment)
    for url in (
        library_page(space.pk),
        f"/documents/files/{document.pk}/",
        f"/documents/files/{document.pk}/download/",
    ):
        assert outsider.get(url).status_code == 404
    # A guardian of the establishment with no right: 404 too.
    guardian = member(world.establishment, Role.GUARDIAN)
    assert client_for(guardian, world.establishment).get(library_page(space.pk)).status_code == 404
    contributor = client_for(world.contributor, world.establishment)
    assert "Upload a new version" in contributor.get(f"/documents/files/{document.pk}/").content.decode()


def test_versions_restore_and_delete_on_the_file_page(world: World):
    space = world.space()
    with schema_context(world.establishment.schema_name):
        document = files.document_upload(actor=world.owner, library=space, folder=None, upload=pdf())
    teacher = client_for(world.owner, world.establishment)
    url = f"/documents/files/{document.pk}/"
    assert teacher.post(url, {"action": "version", "file": pdf("cours.pdf", PDF + b"%v2")}).status_code == 302
    assert teacher.post(url, {"action": "restore", "number": "1"}).status_code == 302
    page = teacher.get(url).content.decode()
    assert "v3" in page and "restored from v1" in page and "Restore v2" in page
    assert teacher.post(url, {"action": "rename", "name": "Cours - fractions"}).status_code == 302
    deleted = teacher.post(url, {"action": "delete"})
    assert deleted.status_code == 302 and deleted["Location"] == library_page(space.pk)
    with schema_context(world.establishment.schema_name):
        assert not Document.objects.exists()


def test_downloads_are_attachments_and_previews_inline_for_images_and_pdfs(world: World, s3_storage: str):
    space = world.space()
    with schema_context(world.establishment.schema_name):
        document = files.document_upload(actor=world.owner, library=space, folder=None, upload=pdf())
        image = files.document_upload(actor=world.owner, library=space, folder=None, upload=png())
        office = files.document_upload(actor=world.owner, library=space, folder=None, upload=docx())
    reader = client_for(world.reader, world.establishment)
    # From S3: a redirect to a signed URL that sets the attachment and the type itself.
    download = reader.get(f"/documents/files/{document.pk}/download/")
    assert download.status_code == 302 and download["X-Content-Type-Options"] == "nosniff"
    location = download["Location"]
    assert location.startswith(s3_storage) and "Signature=" in location
    assert "response-content-disposition=attachment" in location
    fetched = httpx_get(location)
    assert fetched.status_code == 200 and fetched.content == PDF
    assert fetched.headers["content-disposition"].startswith("attachment")
    assert fetched.headers["content-type"] == "application/pdf"
    # Previews: inline, from our own host, framable by our own pages only, never sniffed.
    page = reader.get(f"/documents/files/{document.pk}/").content.decode()
    assert f'<iframe src="/documents/files/{document.pk}/preview/?version=1"' in page
    preview = reader.get(f"/documents/files/{document.pk}/preview/")
    assert preview.status_code == 200 and preview["Content-Disposition"].startswith("inline")
    assert preview["Content-Type"] == "application/pdf" and preview["X-Content-Type-Options"] == "nosniff"
    assert (
        preview["X-Frame-Options"] == "SAMEORIGIN"
        and "frame-ancestors 'self'" in preview["Content-Security-Policy"]
    )
    assert b"".join(preview.streaming_content) == PDF
    assert (
        f'<img src="/documents/files/{image.pk}/preview/?version=1"'
        in reader.get(f"/documents/files/{image.pk}/").content.decode()
    )
    assert reader.get(f"/documents/files/{image.pk}/preview/")["Content-Type"] == "image/png"
    # An office document is never shown inline.
    assert reader.get(f"/documents/files/{office.pk}/preview/").status_code == 404
    assert "<iframe" not in reader.get(f"/documents/files/{office.pk}/").content.decode()


def test_downloads_from_the_disk_are_streamed_as_attachments(world: World, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "mbn_platform.kernel.storage.EstablishmentFileSystemStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path)
    with schema_context(world.establishment.schema_name):
        document = files.document_upload(actor=world.owner, library=world.space(), folder=None, upload=pdf())
    answer = client_for(world.reader, world.establishment).get(f"/documents/files/{document.pk}/download/")
    assert answer.status_code == 200 and answer["Content-Disposition"].startswith("attachment")
    assert answer["X-Content-Type-Options"] == "nosniff" and b"".join(answer.streaming_content) == PDF


def test_a_file_of_one_school_is_not_reachable_from_another(world: World, school_b):
    with schema_context(world.establishment.schema_name):
        document = files.document_upload(actor=world.owner, library=world.space(), folder=None, upload=pdf())
        library_id = document.library_id
    # The same person, also a member of school B, on school B's host.
    from shared_apps.identity.services import membership_grant

    membership_grant(actor=None, user=world.owner, establishment=school_b, role=Role.TEACHER)
    there = client_for(world.owner, school_b)
    for url in (
        f"/documents/files/{document.pk}/",
        f"/documents/files/{document.pk}/download/",
        f"/documents/files/{document.pk}/preview/",
        library_page(library_id),
        f"/api/v1/documents/files/{document.pk}/",
    ):
        assert there.get(url).status_code == 404, url


def test_the_library_page_queries_do_not_grow_with_its_files(
    world: World, django_assert_max_num_queries, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "mbn_platform.kernel.storage.EstablishmentFileSystemStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path)
    space = world.space()
    with schema_context(world.establishment.schema_name):
        for number in range(12):
            files.document_upload(
                actor=world.owner, library=space, folder=None, upload=pdf(f"fiche {number}.pdf")
            )
    teacher = client_for(world.owner, world.establishment)
    teacher.get(library_page(space.pk))
    with django_assert_max_num_queries(16):
        page = teacher.get(library_page(space.pk))
    assert page.content.decode().count("/download/") == 12


def docx():
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("progression.docx", buffer.getvalue())


def httpx_get(url: str):
    import urllib.request

    class Answer:
        pass

    with urllib.request.urlopen(url) as response:  # noqa: S310 (the test S3 server)
        answer = Answer()
        answer.status_code = response.status
        answer.content = response.read()
        answer.headers = {k.lower(): v for k, v in response.headers.items()}
    return answer
