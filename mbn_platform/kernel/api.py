"""API plumbing shared by every app: pagination and the base view."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination
from rest_framework.views import APIView


class DefaultPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class BaseAPIView(APIView):
    """Every API view declares who may call it (``mbn_platform.kernel.permissions``)."""

    required_roles: frozenset[str] | None = None
    required_region_roles: frozenset[str] | None = None
    allow_anonymous = False
