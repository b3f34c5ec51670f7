"""What the structure's API views share: who may read and write, the documented answers, a page of
rows, the validated input."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.api import BaseAPIView
from tenant_apps.structure.permissions import STRUCTURE_MANAGERS, STRUCTURE_READERS

DELETED = {
    204: OpenApiResponse(description="Deleted."),
    404: OpenApiResponse(description="Unknown id (or one of another establishment)."),
    409: OpenApiResponse(description="Still in use: nothing was deleted; the message says what uses it."),
}


def changed(out: Any) -> dict[int, Any]:
    """The responses of a PATCH."""
    return {
        200: out,
        400: OpenApiResponse(description="Invalid input: ``error.fields`` names each field and why."),
        404: DELETED[404],
        409: OpenApiResponse(description="The new name or code is already taken."),
    }


def page(
    view: BaseAPIView, request: Request, queryset: Any, out: type[serializers.Serializer[Any]]
) -> Response:
    return view.page_response(request, queryset, lambda rows: out(rows, many=True).data)


def valid(serializer: type[serializers.Serializer[Any]], request: Request, *, partial: bool = False) -> Any:
    data = serializer(data=request.data, partial=partial)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class ListCreate(BaseAPIView):
    """GET (staff) a list of one kind, POST (administrative staff) a new one."""

    required_roles = STRUCTURE_READERS
    write_roles = STRUCTURE_MANAGERS


class Detail(BaseAPIView):
    """GET (staff), PATCH and DELETE (administrative staff) of one object; 404 for unknown ids."""

    required_roles = STRUCTURE_READERS
    write_roles = STRUCTURE_MANAGERS
