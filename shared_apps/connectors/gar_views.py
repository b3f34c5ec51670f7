"""The GAR's nightly exports on the operators' console (``/connectors/gar-exports/`` on the
portal, ``GET /api/v1/connectors/gar-exports/``): each night's status, counts, files and error;
an operator starts a failed night again."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from shared_apps.connectors.models import GarExport
from shared_apps.identity.roles import OPERATORS

RUNS_SHOWN = 60


def gar_exports_visible(request: HttpRequest) -> QuerySet[GarExport]:
    access = request_access(request)
    if access.establishment_id is not None or not access.region_roles & OPERATORS:
        return GarExport.objects.none()
    return GarExport.objects.order_by("-night")


class GarExportsView(RolesRequiredMixin, View):
    required_region_roles = OPERATORS

    def get(self, request: HttpRequest) -> HttpResponse:
        runs = gar_exports_visible(request)[:RUNS_SHOWN]
        return render(request, "connectors/gar_exports.html", {"runs": runs})

    def post(self, request: HttpRequest) -> HttpResponse:
        from shared_apps.connectors.tasks import gar_export_task

        transaction.on_commit(gar_export_task.delay)
        messages.success(
            request, _("Tonight's export to the GAR starts (a night already delivered is not sent again).")
        )
        return HttpResponseRedirect(reverse("connectors-gar-exports"))


class GarExportOut(serializers.Serializer[object]):
    night = serializers.DateField()
    status = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    files = serializers.ListField(child=serializers.CharField())
    error = serializers.CharField()
    attempts = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class GarExportListApi(BaseAPIView):
    """GET: the nights' exports to the GAR, newest first (region operators, on the portal)."""

    pagination_class = DefaultPagination
    required_region_roles = OPERATORS

    @extend_schema(responses=GarExportOut(many=True))
    def get(self, request: Request) -> Response:
        found = gar_exports_visible(request)
        return self.page_response(request, found, lambda rows: GarExportOut(rows, many=True).data)
