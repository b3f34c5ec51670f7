"""The people an establishment leaves out of the GAR's export (an objection, someone not
concerned): ``/connectors/gar-exclusions/`` on the school's host (its admins and head) and
``/api/v1/connectors/gar-exclusions/``. Taken into account from the next night."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.permissions import RolesRequiredMixin
from mbn_platform.kernel.tenancy import request_access
from shared_apps.connectors.gar_export import gar_exclusion_remove, gar_exclusion_set
from shared_apps.connectors.models import GarExclusion
from shared_apps.connectors.permissions import APP_ADMIN_ROLES
from shared_apps.identity.models import Membership, User
from tenants.requests import establishment_served


def exclusions_here(request: HttpRequest) -> QuerySet[GarExclusion]:
    access = request_access(request)
    if access.establishment_id is None or not access.roles & APP_ADMIN_ROLES:
        return GarExclusion.objects.none()
    return GarExclusion.objects.filter(establishment_id=access.establishment_id).select_related("user")


def exclude(request: HttpRequest, *, login: str, reason: str) -> GarExclusion:
    """Leave out a member of this establishment, named by their login."""
    establishment = establishment_served(request)
    user = User.objects.filter(
        login=login.strip(), pk__in=Membership.objects.filter(establishment=establishment).values("user_id")
    ).first()
    if user is None:
        raise ValidationFailed(fields={"login": [_("No member of this establishment has this login.")]})
    return gar_exclusion_set(actor=actor_of(request), establishment=establishment, user=user, reason=reason)


def exclusion_here(request: HttpRequest, exclusion_id: int) -> GarExclusion:
    found = exclusions_here(request).filter(pk=exclusion_id).first()
    if found is None:
        raise NotFound()
    return found


class ExclusionForm(forms.Form):
    login = forms.CharField(label=gettext_lazy("The person's login"), max_length=64)
    reason = forms.CharField(label=gettext_lazy("Reason (optional)"), max_length=200, required=False)


class GarExclusionsView(RolesRequiredMixin, View):
    required_roles = APP_ADMIN_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(ExclusionForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ExclusionForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            exclude(request, login=form.cleaned_data["login"], reason=form.cleaned_data["reason"])
        except ValidationFailed as error:
            for field, errors in (error.fields or {}).items():
                form.add_error(field, errors)
            return self.page(form, status=400)
        messages.success(request, _("This person will not be sent to the GAR from tonight."))
        return HttpResponseRedirect(reverse("connectors-gar-exclusions"))

    def page(self, form: ExclusionForm, status: int = 200) -> HttpResponse:
        context: dict[str, Any] = {"form": form, "exclusions": exclusions_here(self.request)}
        return render(self.request, "connectors/gar_exclusions.html", context, status=status)


class GarExclusionLiftView(RolesRequiredMixin, View):
    required_roles = APP_ADMIN_ROLES
    http_method_names = ["post"]

    def post(self, request: HttpRequest, exclusion_id: int) -> HttpResponse:
        gar_exclusion_remove(actor=actor_of(request), exclusion=exclusion_here(request, exclusion_id))
        messages.success(request, _("This person will be sent to the GAR again from tonight."))
        return HttpResponseRedirect(reverse("connectors-gar-exclusions"))


class GarExclusionOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    login = serializers.CharField(source="user.login")
    name = serializers.CharField(source="user.get_full_name")
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class GarExclusionIn(serializers.Serializer[object]):
    login = serializers.CharField(max_length=64)
    reason = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class GarExclusionListApi(BaseAPIView):
    """GET: the people left out of the GAR's export here; POST: leave one out (by login)."""

    pagination_class = DefaultPagination
    required_roles = APP_ADMIN_ROLES

    @extend_schema(responses=GarExclusionOut(many=True))
    def get(self, request: Request) -> Response:
        found = exclusions_here(request).order_by("user__last_name", "user__first_name")
        return self.page_response(request, found, lambda rows: GarExclusionOut(rows, many=True).data)

    @extend_schema(request=GarExclusionIn, responses={201: GarExclusionOut})
    def post(self, request: Request) -> Response:
        data = GarExclusionIn(data=request.data)
        data.is_valid(raise_exception=True)
        made = exclude(request, login=data.validated_data["login"], reason=data.validated_data["reason"])
        return Response(GarExclusionOut(made).data, status=201)


class GarExclusionApi(BaseAPIView):
    """DELETE: send the person to the GAR again."""

    required_roles = APP_ADMIN_ROLES

    @extend_schema(responses={204: None})
    def delete(self, request: Request, exclusion_id: int) -> Response:
        gar_exclusion_remove(actor=actor_of(request), exclusion=exclusion_here(request, exclusion_id))
        return Response(status=204)
