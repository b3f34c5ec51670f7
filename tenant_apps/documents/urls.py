"""Routes of the document libraries (included by mbn_platform/config/urls_tenant.py): the pages
under the ``documents`` namespace (``documents:library``, ``documents:mine``, …), the API's under
``/api/v1/documents/``."""

from __future__ import annotations

from django.urls import path

from tenant_apps.documents.api import files as files_api
from tenant_apps.documents.api import libraries as libraries_api
from tenant_apps.documents.views import files, library

app_name = "documents"

page_urlpatterns = [
    path("documents/mine/", library.MyDocumentsView.as_view(), name="mine"),
    path("documents/libraries/<int:library_id>/", library.LibraryView.as_view(), name="library"),
    path("documents/files/<int:document_id>/", files.DocumentView.as_view(), name="file"),
    path("documents/files/<int:document_id>/download/", files.DownloadView.as_view(), name="download"),
    path("documents/files/<int:document_id>/preview/", files.PreviewView.as_view(), name="preview"),
]

api_urlpatterns = [
    path("documents/libraries/mine/", libraries_api.MyLibraryApi.as_view(), name="api-documents-mine"),
    path(
        "documents/libraries/<int:library_id>/",
        libraries_api.LibraryApi.as_view(),
        name="api-documents-library",
    ),
    path(
        "documents/libraries/<int:library_id>/folders/",
        libraries_api.FolderListApi.as_view(),
        name="api-documents-folders",
    ),
    path(
        "documents/libraries/<int:library_id>/files/",
        files_api.FileListApi.as_view(),
        name="api-documents-files",
    ),
    path(
        "documents/folders/<int:folder_id>/", libraries_api.FolderApi.as_view(), name="api-documents-folder"
    ),
    path("documents/files/<int:document_id>/", files_api.FileApi.as_view(), name="api-documents-file"),
    path(
        "documents/files/<int:document_id>/versions/",
        files_api.VersionListApi.as_view(),
        name="api-documents-versions",
    ),
    path(
        "documents/files/<int:document_id>/versions/<int:number>/restore/",
        files_api.VersionRestoreApi.as_view(),
        name="api-documents-restore",
    ),
]
