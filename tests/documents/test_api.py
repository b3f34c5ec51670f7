"""The documents' API (``/api/v1/documents/…``): libraries with one's right and the quota's use,
folders, upload (multipart), versions and restore, rename/move/delete, the quota's 413 with its
code, rights per role, another school's ids (404), bounded queries."""

from __future__ import annotations

from django_tenants.utils import schema_context

from tenant_apps.documents.services import files
from tests.conftest import client_for
from tests.documents.conftest import PDF, SPACE_ID, World, pdf, png

API = "/api/v1/documents"


def test_personal_library_folders_files_versions_and_restore(world: World):
    api = client_for(world.owner, world.establishment, api=True)
    mine = api.get(f"{API}/libraries/mine/").json()
    assert mine["kind"] == "personal" and mine["right"] == "owner" and mine["usage"]["used"] == 0
    library = mine["id"]
    folder = api.post(f"{API}/libraries/{library}/folders/", {"name": "Sujets de brevet"}, format="json")
    assert folder.status_code == 201
    folder_id = folder.json()["id"]
    sent = api.post(
        f"{API}/libraries/{library}/files/", {"file": pdf("Brevet 2025.pdf"), "folder_id": folder_id}
    )
    assert sent.status_code == 201, sent.content
    file_id = sent.json()["id"]
    assert sent.json()["preview_url"] == f"/documents/files/{file_id}/preview/"
    listed = api.get(f"{API}/libraries/{library}/files/", {"folder_id": folder_id}).json()
    assert [f["name"] for f in listed["results"]] == ["Brevet 2025.pdf"]
    assert (
        api.post(f"{API}/files/{file_id}/versions/", {"file": pdf("x.pdf", PDF + b"%2")}).status_code == 201
    )
    restored = api.post(f"{API}/files/{file_id}/versions/1/restore/")
    assert (
        restored.status_code == 201
        and restored.json()["number"] == 3
        and restored.json()["restored_from"] == 1
    )
    versions = api.get(f"{API}/files/{file_id}/versions/").json()["results"]
    assert [v["number"] for v in versions] == [3, 2, 1]
    renamed = api.patch(f"{API}/files/{file_id}/", {"name": "Brevet blanc", "folder_id": None}, format="json")
    assert renamed.status_code == 200 and renamed.json() == renamed.json() | {
        "name": "Brevet blanc.pdf",
        "folder_id": None,
        "version": 3,
    }
    assert (
        api.patch(f"{API}/folders/{folder_id}/", {"name": "Annales"}, format="json").json()["name"]
        == "Annales"
    )
    assert api.get(f"{API}/libraries/{library}/").json()["usage"]["used"] == len(PDF) * 2 + 2
    assert api.delete(f"{API}/files/{file_id}/").status_code == 204
    assert api.get(f"{API}/libraries/{library}/").json()["usage"]["used"] == 0
    assert api.delete(f"{API}/folders/{folder_id}/").status_code == 204


def test_bad_input_and_quota_answers(world: World, settings):
    api = client_for(world.owner, world.establishment, api=True)
    library = world.personal(world.owner).pk
    disguised = api.post(f"{API}/libraries/{library}/files/", {"file": pdf("virus.pdf", b"MZ\x90\x00\x03")})
    assert disguised.status_code == 400 and "file" in disguised.json()["error"]["fields"]
    unknown_folder = api.post(f"{API}/libraries/{library}/files/", {"file": pdf(), "folder_id": 999999})
    assert unknown_folder.status_code == 400 and "folder_id" in unknown_folder.json()["error"]["fields"]
    assert api.post(f"{API}/libraries/{library}/folders/", {"name": "a/b"}, format="json").status_code == 400
    settings.DOCUMENTS_LIMITS = {**settings.DOCUMENTS_LIMITS, "personal_bytes": 100}
    full = api.post(f"{API}/libraries/{library}/files/", {"file": png(size=64)})
    assert full.status_code == 413
    error = full.json()["error"]
    assert error["code"] == "personal_quota_exceeded" and "100\xa0bytes left" in error["message"]


def test_rights_per_role_in_the_api(world: World):
    space = world.space()
    with schema_context(world.establishment.schema_name):
        document = files.document_upload(actor=world.owner, library=space, folder=None, upload=pdf())
    reader = client_for(world.reader, world.establishment, api=True)
    assert reader.get(f"{API}/libraries/{space.pk}/").json()["right"] == "reader"
    assert reader.get(f"{API}/files/{document.pk}/").status_code == 200
    assert reader.post(f"{API}/libraries/{space.pk}/files/", {"file": pdf("b.pdf")}).status_code == 403
    assert reader.delete(f"{API}/files/{document.pk}/").status_code == 403
    assert reader.post(f"{API}/files/{document.pk}/versions/1/restore/").status_code == 403
    contributor = client_for(world.contributor, world.establishment, api=True)
    assert contributor.post(f"{API}/libraries/{space.pk}/files/", {"file": pdf("b.pdf")}).status_code == 201
    outsider = client_for(world.outsider, world.establishment, api=True)
    for url in (
        f"{API}/libraries/{space.pk}/",
        f"{API}/libraries/{space.pk}/files/",
        f"{API}/files/{document.pk}/",
    ):
        assert outsider.get(url).status_code == 404
    # Another person's personal library: 404.
    mine = world.personal(world.owner)
    assert contributor.get(f"{API}/libraries/{mine.pk}/").status_code == 404
    assert space.space_id == SPACE_ID


def test_another_school_ids_are_404(world: World, school_b):
    from shared_apps.identity.roles import Role
    from tests.factories import member

    with schema_context(world.establishment.schema_name):
        document = files.document_upload(actor=world.owner, library=world.space(), folder=None, upload=pdf())
    stranger = client_for(member(school_b, Role.HEAD), school_b, api=True)
    for url in (
        f"{API}/files/{document.pk}/",
        f"{API}/files/{document.pk}/versions/",
        f"{API}/libraries/{document.library_id}/files/",
    ):
        assert stranger.get(url).status_code == 404
    assert stranger.delete(f"{API}/files/{document.pk}/").status_code == 404


def test_the_files_list_queries_are_bounded(world: World, django_assert_max_num_queries, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "mbn_platform.kernel.storage.EstablishmentFileSystemStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path)
    space = world.space()
    with schema_context(world.establishment.schema_name):
        for number in range(10):
            files.document_upload(actor=world.owner, library=space, folder=None, upload=pdf(f"{number}.pdf"))
    api = client_for(world.owner, world.establishment, api=True)
    api.get(f"{API}/libraries/{space.pk}/files/")
    with django_assert_max_num_queries(12):
        listed = api.get(f"{API}/libraries/{space.pk}/files/")
    assert listed.json()["count"] == 10
