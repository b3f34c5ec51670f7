"""API plumbing shared by every app: pagination and the base view."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class DefaultPagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}``, 50 a page (``?page=``, ``?page_size=`` ≤ 200)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class BaseAPIView(APIView):
    """Every API view declares who may call it (``mbn_platform.kernel.permissions``).

    A view that answers a list page by page sets ``pagination_class = DefaultPagination`` and
    answers with ``self.page_response``: the OpenAPI schema then documents the list as it is
    (``count``, ``next``, ``previous``, ``results``) with its ``page`` parameters.
    """

    required_roles: frozenset[str] | None = None
    required_region_roles: frozenset[str] | None = None
    allow_anonymous = False
    pagination_class: type[BasePagination] | None = None

    def page_response(
        self, request: Request, rows: Iterable[Any], serialize: Callable[[Sequence[Any]], Any]
    ) -> Response:
        """One page of ``rows`` (a queryset or a list), serialized by ``serialize``."""
        if self.pagination_class is None:
            raise TypeError(f"{type(self).__name__} answers pages: set pagination_class.")
        paginator = self.pagination_class()
        page: Sequence[Any] = paginator.paginate_queryset(rows, request, view=self) or []  # type: ignore[arg-type]
        return paginator.get_paginated_response(serialize(list(page)))
