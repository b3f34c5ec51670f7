"""Libraries and folders in the API (``/api/v1/documents/…``): one's personal library, a library
one may read (with one's right and the quota's use), its folders; owners and contributors
create, rename, move and delete folders. What one may not see: 404."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.parsing import query_int
from tenant_apps.documents import selectors
from tenant_apps.documents.api.common import FolderIn, FolderOut, FolderPatchIn, LibraryOut, folder_named
from tenant_apps.documents.models import Folder, Library
from tenant_apps.documents.permissions import DOCUMENT_USERS
from tenant_apps.documents.services import folders
from tenant_apps.documents.services.libraries import library_for_person
from tenant_apps.documents.services.quotas import establishment_usage, library_usage
from tenant_apps.school.models import Member


def library_data(library: Library, right: str) -> dict[str, Any]:
    usage = library_usage(library) or establishment_usage()
    library.right = right  # type: ignore[attr-defined]
    library.usage = {"used": usage.used, "quota": usage.quota, "left": usage.left}  # type: ignore[attr-defined]
    return dict(LibraryOut(library).data)


class MyLibraryApi(BaseAPIView):
    """GET: one's personal documents' library (made on first use)."""

    required_roles = DOCUMENT_USERS

    @extend_schema(responses=LibraryOut)
    def get(self, request: Request) -> Response:
        member = Member.objects.filter(user_id=request.user.pk or 0, is_active=True).first()
        if member is None:
            raise NotFound()
        library = library_for_person(member)
        _library, right = selectors.library_seen(actor_of(request), library.pk)
        return Response(library_data(library, right))


class LibraryApi(BaseAPIView):
    """GET: a library one may read, with one's right and the quota's use."""

    required_roles = DOCUMENT_USERS

    @extend_schema(responses=LibraryOut)
    def get(self, request: Request, library_id: int) -> Response:
        library, right = selectors.library_seen(actor_of(request), library_id)
        return Response(library_data(library, right))


class FolderListApi(BaseAPIView):
    """GET: the folders in a folder (``parent_id``; none: the library's root). POST: a new folder."""

    required_roles = DOCUMENT_USERS
    pagination_class = DefaultPagination

    @extend_schema(parameters=[OpenApiParameter("parent_id", int)], responses=FolderOut(many=True))
    def get(self, request: Request, library_id: int) -> Response:
        library, _right = selectors.library_seen(actor_of(request), library_id)
        parent = selectors.folder_in(library, query_int(request.GET, "parent_id"))
        found = selectors.subfolders(library, parent)
        return self.page_response(request, found, lambda rows: FolderOut(rows, many=True).data)

    @extend_schema(request=FolderIn, responses={201: FolderOut})
    def post(self, request: Request, library_id: int) -> Response:
        library, _right = selectors.library_seen(actor_of(request), library_id)
        data = FolderIn(data=request.data)
        data.is_valid(raise_exception=True)
        parent = folder_named(library, data.validated_data["parent_id"], "parent_id")
        folder = folders.folder_create(
            actor=actor_of(request), library=library, parent=parent, name=data.validated_data["name"]
        )
        return Response(FolderOut(folder).data, status=201)


def folder_seen(request: Request, folder_id: int) -> Folder:
    folder = Folder.objects.select_related("library__owner").filter(pk=folder_id).first()
    if folder is None:
        raise NotFound()
    selectors.library_seen(actor_of(request), folder.library_id)
    return folder


class FolderApi(BaseAPIView):
    """GET a folder; PATCH its ``name`` and/or ``parent_id`` (null: the root); DELETE it with all
    it holds."""

    required_roles = DOCUMENT_USERS

    @extend_schema(responses=FolderOut)
    def get(self, request: Request, folder_id: int) -> Response:
        return Response(FolderOut(folder_seen(request, folder_id)).data)

    @extend_schema(request=FolderPatchIn, responses=FolderOut)
    def patch(self, request: Request, folder_id: int) -> Response:
        folder = folder_seen(request, folder_id)
        data = FolderPatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        sent, actor = data.validated_data, actor_of(request)
        if "name" in sent:
            folder = folders.folder_rename(actor=actor, folder=folder, name=sent["name"])
        if "parent_id" in sent:
            parent = folder_named(folder.library, sent["parent_id"], "parent_id")
            folder = folders.folder_move(actor=actor, folder=folder, parent=parent)
        return Response(FolderOut(folder).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, folder_id: int) -> Response:
        folders.folder_delete(actor=actor_of(request), folder=folder_seen(request, folder_id))
        return Response(status=204)
