"""The timetable import (structure managers): send a file (multipart ``file``, optional
``from_day``) to preview it; read a preview; apply it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from tenant_apps.structure.selectors import current_school_year
from tenant_apps.timetable import services
from tenant_apps.timetable.permissions import LESSON_MANAGERS
from tenant_apps.timetable.selectors import timetable_imports


class ImportOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    source_name = serializers.CharField()
    source_format = serializers.CharField()
    status = serializers.CharField()
    from_day = serializers.DateField()
    created_at = serializers.DateTimeField()
    applied_at = serializers.DateTimeField(allow_null=True)
    file_errors = serializers.JSONField(source="errors", help_text="the file's errors: line, field, message")
    plan = serializers.JSONField(
        help_text="counts, created, changed, removed, conflicts, unknown, new_subjects, new_rooms"
    )


class ImportIn(serializers.Serializer[object]):
    file = serializers.FileField()
    from_day = serializers.DateField(required=False, allow_null=True)


class ImportListApi(BaseAPIView):
    """GET: the imports (newest first); POST (multipart): read a file and preview it."""

    required_roles = LESSON_MANAGERS
    pagination_class = DefaultPagination
    parser_classes = [MultiPartParser]

    @extend_schema(responses=ImportOut(many=True))
    def get(self, request: Request) -> Response:
        return self.page_response(request, timetable_imports(), lambda rows: ImportOut(rows, many=True).data)

    @extend_schema(request={"multipart/form-data": ImportIn}, responses={201: ImportOut})
    def post(self, request: Request) -> Response:
        data = ImportIn(data=request.data)
        data.is_valid(raise_exception=True)
        year = current_school_year()
        if year is None:
            raise ValidationFailed(fields={"file": [str(_("Create the school year first."))]})
        upload = data.validated_data["file"]
        imp = services.timetable_import_preview(
            actor=actor_of(request),
            year=year,
            name=upload.name,
            data=upload.read(),
            from_day=data.validated_data.get("from_day"),
        )
        return Response(ImportOut(imp).data, status=201)


class ImportDetailApi(BaseAPIView):
    required_roles = LESSON_MANAGERS

    @extend_schema(responses=ImportOut)
    def get(self, request: Request, import_id: int) -> Response:
        return Response(ImportOut(get_or_404(timetable_imports(), pk=import_id)).data)


class ImportApplyApi(BaseAPIView):
    """POST: apply a preview (409 ``import_refused`` with errors, ``import_applied`` when done
    already, ``import_stale`` when the timetable changed since the preview)."""

    required_roles = LESSON_MANAGERS

    @extend_schema(request=None, responses=ImportOut)
    def post(self, request: Request, import_id: int) -> Response:
        imp = services.timetable_import_apply(
            actor=actor_of(request), imp=get_or_404(timetable_imports(), pk=import_id)
        )
        return Response(ImportOut(imp).data)
