"""API of directory imports (a school's host) and of account activation (every host)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView
from mbn_platform.kernel.errors import NotFound
from shared_apps.directory.activation_services import account_activate, activation_letters_pdf
from shared_apps.directory.models import DirectoryImport
from shared_apps.directory.permissions import IMPORT_ROLES
from shared_apps.directory.school_roll import school_roll
from shared_apps.directory.selectors import directory_import_get, directory_import_same_as_applied
from shared_apps.directory.services import (
    MAX_FILE_BYTES,
    directory_import_apply,
    directory_import_preview,
)
from tenants.requests import establishment_served


class ActivationThrottle(SimpleRateThrottle):
    """Activation attempts per client address (the codes are also revoked after 10 failures)."""

    scope = "activation"
    rate = "10/minute"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ImportOut(serializers.Serializer[DirectoryImport]):
    id = serializers.IntegerField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    applied_at = serializers.DateTimeField(allow_null=True)
    formats = serializers.ListField(child=serializers.CharField())
    files = serializers.ListField(child=serializers.DictField())
    families = serializers.ListField(child=serializers.CharField())
    counts = serializers.DictField()
    progress = serializers.SerializerMethodField()
    errors = serializers.ListField(child=serializers.DictField())  # type: ignore[assignment]
    samples = serializers.DictField()
    skipped = serializers.ListField(child=serializers.DictField())
    same_as_applied = serializers.SerializerMethodField()

    def get_progress(self, obj: DirectoryImport) -> dict[str, int]:
        return {"done": obj.progress_done, "total": obj.progress_total}

    def get_same_as_applied(self, obj: DirectoryImport) -> int | None:
        same = directory_import_same_as_applied(directory_import=obj)
        return same.pk if same else None


UPLOAD_SCHEMA = {
    "multipart/form-data": {
        "type": "object",
        "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
        "required": ["files"],
    }
}


class DirectoryImportListApi(BaseAPIView):
    """Upload the directory export's files: they are checked and previewed, nothing is applied."""

    required_roles = IMPORT_ROLES
    parser_classes = [MultiPartParser]

    @extend_schema(request=UPLOAD_SCHEMA, responses={201: ImportOut})
    def post(self, request: Request) -> Response:
        uploads = request.FILES.getlist("files")
        files = [(upload.name or "file", upload.read(MAX_FILE_BYTES + 1)) for upload in uploads]
        directory_import = directory_import_preview(
            actor=actor_of(request),
            establishment=establishment_served(request),
            files=files,
        )
        return Response(ImportOut(directory_import).data, status=status.HTTP_201_CREATED)


class DirectoryImportDetailApi(BaseAPIView):
    """An import's status, counts, progress and errors."""

    required_roles = IMPORT_ROLES

    @extend_schema(responses=ImportOut)
    def get(self, request: Request, import_id: int) -> Response:
        found = directory_import_get(establishment=establishment_served(request), import_id=import_id)
        return Response(ImportOut(found).data)


class DirectoryImportApplyApi(BaseAPIView):
    """Apply a previewed import (in the background: follow its progress on the detail)."""

    required_roles = IMPORT_ROLES

    @extend_schema(request=None, responses={202: ImportOut})
    def post(self, request: Request, import_id: int) -> Response:
        found = directory_import_get(establishment=establishment_served(request), import_id=import_id)
        applied = directory_import_apply(actor=actor_of(request), directory_import=found)
        return Response(ImportOut(applied).data, status=status.HTTP_202_ACCEPTED)


class ActivationLettersApi(BaseAPIView):
    """The activation letters (PDF) of a class's students and guardians not yet activated.
    Each letter carries a new code."""

    required_roles = IMPORT_ROLES

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, class_id: int) -> HttpResponse:
        establishment = establishment_served(request)
        school_class = school_roll().class_get(class_id=class_id)
        if school_class is None:
            raise NotFound()
        pdf = activation_letters_pdf(
            establishment=establishment,
            school_class=school_class,
            actor=actor_of(request),
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="activation-{school_class.pk}.pdf"'
        return response


class AccountActivateApi(BaseAPIView):
    """Set the first password of an imported account with its activation code (anonymous)."""

    allow_anonymous = True
    authentication_classes = ()
    throttle_classes = (ActivationThrottle,)

    class ActivateIn(serializers.Serializer[Any]):
        login = serializers.CharField(max_length=64)
        code = serializers.CharField(max_length=32)
        password = serializers.CharField(max_length=128, trim_whitespace=False)

    class ActivateOut(serializers.Serializer[Any]):
        login = serializers.CharField()

    @extend_schema(request=ActivateIn, responses=ActivateOut)
    def post(self, request: Request) -> Response:
        data = self.ActivateIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = account_activate(**data.validated_data, request=request._request)
        return Response(self.ActivateOut({"login": user.login}).data)
