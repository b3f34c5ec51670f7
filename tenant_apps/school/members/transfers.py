"""Transfers of students between establishments, on an establishment's host: the requests of
other establishments for its students (accept: the student leaves for there; refuse: they stay)
and its own requests still waiting. API under /api/v1/memberships/transfers/, a page at
/members/transfers/. Thin: the rules are in ``shared_apps/identity/transfers.py`` and
``memberships.py``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView
from mbn_platform.kernel.errors import ApplicationError
from mbn_platform.kernel.permissions import RolesRequiredMixin
from shared_apps.identity.memberships import establishment_transfer_accept, establishment_transfer_refuse
from shared_apps.identity.models import EnrolmentTransfer
from shared_apps.identity.transfers import transfer_incoming_get, transfers_incoming, transfers_outgoing
from tenant_apps.school.permissions import MEMBERSHIP_MANAGERS
from tenants.requests import establishment_served


class TransferOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    person_id = serializers.IntegerField(source="membership.user_id")
    person = serializers.CharField(source="membership.user.display_name")
    to_establishment = serializers.CharField(source="membership.establishment.name")
    to_uai = serializers.CharField(source="membership.establishment.uai")
    class_name = serializers.CharField()
    requested_at = serializers.DateTimeField()
    outcome = serializers.CharField()


class TransfersApi(BaseAPIView):
    """Requests of other establishments for students of this one (``incoming``) and this one's
    requests for students of others (``outgoing``), still waiting."""

    required_roles = MEMBERSHIP_MANAGERS

    class TransfersOut(serializers.Serializer[Any]):
        incoming = TransferOut(many=True)
        outgoing = TransferOut(many=True)

    @extend_schema(responses=TransfersOut)
    def get(self, request: Request) -> Response:
        establishment = establishment_served(request)
        data = {
            "incoming": list(transfers_incoming(establishment=establishment)[:200]),
            "outgoing": list(transfers_outgoing(establishment=establishment)[:200]),
        }
        return Response(self.TransfersOut(data).data)


class TransferDecisionApi(BaseAPIView):
    """Accept (the student's enrolment here ends, theirs there begins) or refuse a request."""

    required_roles = MEMBERSHIP_MANAGERS
    accept = True

    @extend_schema(request=None, responses=TransferOut)
    def post(self, request: Request, transfer_id: int) -> Response:
        return Response(TransferOut(_decide(request, transfer_id, accept=self.accept)).data)


def _decide(request: HttpRequest, transfer_id: int, *, accept: bool) -> EnrolmentTransfer:
    establishment = establishment_served(request)
    transfer = transfer_incoming_get(establishment=establishment, transfer_id=transfer_id)
    decide = establishment_transfer_accept if accept else establishment_transfer_refuse
    return decide(actor=actor_of(request), establishment=establishment, transfer=transfer)


class TransfersView(RolesRequiredMixin, View):
    """The page: requests to answer, and this establishment's own still waiting."""

    required_roles = MEMBERSHIP_MANAGERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def page(self, request: HttpRequest, *, error: ApplicationError | None = None) -> HttpResponse:
        establishment = establishment_served(request)
        return render(
            request,
            "school/members/transfers.html",
            {
                "incoming": list(transfers_incoming(establishment=establishment)[:200]),
                "outgoing": list(transfers_outgoing(establishment=establishment)[:200]),
                "error": error,
            },
            status=error.status if error else 200,
        )


class TransferDecisionView(TransfersView):
    http_method_names = ["post"]
    accept = True

    def post(self, request: HttpRequest, transfer_id: int) -> HttpResponse:
        try:
            transfer = _decide(request, transfer_id, accept=self.accept)
        except ApplicationError as error:
            return self.page(request, error=error)
        name = transfer.membership.user.display_name
        other = transfer.membership.establishment.name
        if self.accept:
            messages.success(request, _("%(name)s leaves for %(other)s.") % {"name": name, "other": other})
        else:
            messages.success(request, _("%(name)s stays here.") % {"name": name})
        return HttpResponseRedirect(reverse("members-transfers"))
