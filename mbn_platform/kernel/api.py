"""API plumbing shared by every app: pagination, the base view and the PATCH helper."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mbn_platform.kernel.parsing import MAX_DATE, MIN_DATE


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


def patch_values(
    instance: Any,
    sent: Mapping[str, Any],
    fields: Iterable[str],
    *,
    related: Mapping[str, Callable[[str, Any], Any]] | None = None,
) -> dict[str, Any]:
    """The whole new state of an object for a PATCH (services take the whole state).

    Each of ``fields`` takes the value present in the validated input ``sent``, else keeps the
    instance's current one. ``related`` maps an input id (``"subject_id"``) to the function that
    fetches what it names, called ``(field, value)`` only when the id was sent: the result is keyed
    without ``_id`` (``"subject"``), the instance's current object when not sent.
    """
    values = {name: sent[name] if name in sent else getattr(instance, name) for name in fields}
    for name, fetch in (related or {}).items():
        key = name.removesuffix("_id")
        values[key] = fetch(name, sent[name]) if name in sent else getattr(instance, key)
    return values


class DateInRange(serializers.DateField):
    """A date the platform can store and compute with (``kernel.parsing``'s range: 1900 to 2200):
    a year 1 or 9999 is a 400 naming the field, not an overflow further on."""

    def to_internal_value(self, value: Any) -> Any:
        day = super().to_internal_value(value)
        if not MIN_DATE <= day <= MAX_DATE:
            raise serializers.ValidationError(str(_("Enter a date between 1900 and 2200.")))
        return day


@extend_schema_field({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "08:30"})
class HourMinuteField(serializers.TimeField):
    """A time of day written ``HH:MM``, and documented so: OpenAPI's ``format: time`` means
    RFC 3339's ``HH:MM:SS`` with an offset, which these answers are not (the fuzzer found it)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)
