"""Files and their versions in the API (``/api/v1/documents/…``): the files of a folder, upload
(multipart), a file's details, rename and move (PATCH), delete; its versions, a new version
(multipart), restore an old one. Quota exceeded: 413 with ``establishment_quota_exceeded`` or
``personal_quota_exceeded``; a type not allowed: 400 on ``file``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.parsing import query_int
from tenant_apps.documents import selectors
from tenant_apps.documents.api.common import FileIn, FileOut, FilePatchIn, VersionIn, VersionOut, folder_named
from tenant_apps.documents.models import Document
from tenant_apps.documents.permissions import DOCUMENT_USERS
from tenant_apps.documents.services import files


class FileListApi(BaseAPIView):
    """GET: the files of a folder (``folder_id``; none: the library's root). POST (multipart,
    ``file``, ``folder_id``): upload (a file of the same name there gets a new version)."""

    required_roles = DOCUMENT_USERS
    pagination_class = DefaultPagination
    parser_classes = [MultiPartParser]

    @extend_schema(parameters=[OpenApiParameter("folder_id", int)], responses=FileOut(many=True))
    def get(self, request: Request, library_id: int) -> Response:
        library, _right = selectors.library_seen(actor_of(request), library_id)
        folder = selectors.folder_in(library, query_int(request.GET, "folder_id"))
        found = selectors.files_in(library, folder)
        return self.page_response(request, found, lambda rows: FileOut(rows, many=True).data)

    @extend_schema(request={"multipart/form-data": FileIn}, responses={201: FileOut})
    def post(self, request: Request, library_id: int) -> Response:
        library, _right = selectors.library_seen(actor_of(request), library_id)
        data = FileIn(data=request.data)
        data.is_valid(raise_exception=True)
        folder = folder_named(library, data.validated_data["folder_id"], "folder_id")
        document = files.document_upload(
            actor=actor_of(request), library=library, folder=folder, upload=data.validated_data["file"]
        )
        return Response(FileOut(document).data, status=201)


def file_seen(request: Request, document_id: int) -> Document:
    document, _right = selectors.document_seen(actor_of(request), document_id)
    return document


class FileApi(BaseAPIView):
    """GET a file; PATCH its ``name`` and/or ``folder_id`` (null: the root); DELETE it (all its
    versions: they no longer count in the quotas)."""

    required_roles = DOCUMENT_USERS
    parser_classes = [JSONParser]

    @extend_schema(responses=FileOut)
    def get(self, request: Request, document_id: int) -> Response:
        return Response(FileOut(file_seen(request, document_id)).data)

    @extend_schema(request=FilePatchIn, responses=FileOut)
    def patch(self, request: Request, document_id: int) -> Response:
        document = file_seen(request, document_id)
        data = FilePatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        sent, actor = data.validated_data, actor_of(request)
        if "name" in sent:
            document = files.document_rename(actor=actor, document=document, name=sent["name"])
        if "folder_id" in sent:
            folder = folder_named(document.library, sent["folder_id"], "folder_id")
            document = files.document_move(actor=actor, document=document, folder=folder)
        return Response(FileOut(document).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, document_id: int) -> Response:
        files.document_delete(actor=actor_of(request), document=file_seen(request, document_id))
        return Response(status=204)


class VersionListApi(BaseAPIView):
    """GET: a file's versions, newest first. POST (multipart, ``file``): a new version."""

    required_roles = DOCUMENT_USERS
    pagination_class = DefaultPagination
    parser_classes = [MultiPartParser]

    @extend_schema(responses=VersionOut(many=True))
    def get(self, request: Request, document_id: int) -> Response:
        found = selectors.versions_of(file_seen(request, document_id))
        return self.page_response(request, found, lambda rows: VersionOut(rows, many=True).data)

    @extend_schema(request={"multipart/form-data": VersionIn}, responses={201: VersionOut})
    def post(self, request: Request, document_id: int) -> Response:
        document = file_seen(request, document_id)
        data = VersionIn(data=request.data)
        data.is_valid(raise_exception=True)
        version = files.document_version_add(
            actor=actor_of(request), document=document, upload=data.validated_data["file"]
        )
        return Response(VersionOut(version).data, status=201)


class VersionRestoreApi(BaseAPIView):
    """POST: make version ``number`` current again, as a new version (nothing is lost)."""

    required_roles = DOCUMENT_USERS

    @extend_schema(request=None, responses={201: VersionOut})
    def post(self, request: Request, document_id: int, number: int) -> Response:
        version = files.document_restore(
            actor=actor_of(request), document=file_seen(request, document_id), number=number
        )
        return Response(VersionOut(version).data, status=201)
