"""The connectors' API: applications (``/api/v1/connectors/apps/``: an establishment's leaders on
its host, region operators on the portal) and the person's own authorisations
(``/api/v1/account/connected-apps/``: sessions only, like the rest of the account's security)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.permissions import ANY_MEMBER
from mbn_platform.kernel.tenancy import request_access
from shared_apps.connectors import selectors, services
from shared_apps.connectors.permissions import APP_ADMIN_REGION_ROLES, APP_ADMIN_ROLES, APP_ROLE_CHOICES
from shared_apps.connectors.services import CLIENT_TYPES
from tenants.models import Establishment
from tenants.requests import current_establishment


class ConnectedAppOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="application.name")
    client_id = serializers.CharField(source="application.client_id")
    client_type = serializers.CharField(source="application.client_type")
    redirect_uris = serializers.SerializerMethodField()
    establishments = serializers.SerializerMethodField()
    allowed_roles = serializers.ListField(child=serializers.CharField())
    share_name = serializers.BooleanField()
    share_email = serializers.BooleanField()
    requires_consent = serializers.BooleanField()
    launch_url = serializers.CharField()
    is_active = serializers.BooleanField()

    def get_redirect_uris(self, app: Any) -> list[str]:
        return str(app.application.redirect_uris).split()

    def get_establishments(self, app: Any) -> list[str]:
        return sorted(e.uai for e in app.establishments.all())


class ConnectedAppCreatedOut(ConnectedAppOut):
    client_secret = serializers.CharField(help_text="Shown once; empty for a public client.")


class ConnectedAppIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=255)
    redirect_uris = serializers.ListField(
        child=serializers.CharField(max_length=500), min_length=1, max_length=10
    )
    client_type = serializers.ChoiceField(choices=list(CLIENT_TYPES), default=CLIENT_TYPES[0])
    establishments = serializers.ListField(
        child=serializers.CharField(max_length=8),
        required=False,
        default=list,
        max_length=1000,
        help_text="UAIs (portal only); none: every establishment of the region.",
    )
    allowed_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=APP_ROLE_CHOICES), required=False, default=list
    )
    share_name = serializers.BooleanField(default=False)
    share_email = serializers.BooleanField(default=False)
    requires_consent = serializers.BooleanField(default=True)
    launch_url = serializers.CharField(
        max_length=500,
        required=False,
        default="",
        allow_blank=True,
        help_text="Where the resources page opens it (its sign-in start); blank: not on the page.",
    )


class ConnectedAppListApi(BaseAPIView):
    """GET: the applications registered here; POST: register one (its secret is shown once)."""

    pagination_class = DefaultPagination
    required_roles = APP_ADMIN_ROLES
    required_region_roles = APP_ADMIN_REGION_ROLES

    @extend_schema(responses=ConnectedAppOut(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.connected_apps_visible(access=request_access(request))
        return self.page_response(request, found, lambda rows: ConnectedAppOut(rows, many=True).data)

    @extend_schema(request=ConnectedAppIn, responses={201: ConnectedAppCreatedOut})
    def post(self, request: Request) -> Response:
        data = ConnectedAppIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        owner = current_establishment(request)
        targets = _establishments(owner, v["establishments"])
        connected, secret = services.connected_app_register(
            actor=actor_of(request),
            name=v["name"],
            redirect_uris=v["redirect_uris"],
            client_type=v["client_type"],
            owner_establishment=owner,
            establishments=targets,
            allowed_roles=v["allowed_roles"],
            share_name=v["share_name"],
            share_email=v["share_email"],
            requires_consent=v["requires_consent"],
            launch_url=v["launch_url"],
        )
        body = dict(ConnectedAppOut(connected).data)
        body["client_secret"] = secret
        return Response(body, status=201)


class ConnectedAppDisableApi(BaseAPIView):
    """POST: stop an application: no more sign-ins, its tokens refused at once."""

    required_roles = APP_ADMIN_ROLES
    required_region_roles = APP_ADMIN_REGION_ROLES

    @extend_schema(request=None, responses=ConnectedAppOut)
    def post(self, request: Request, app_id: int) -> Response:
        connected = selectors.connected_app_visible(access=request_access(request), app_id=app_id)
        services.connected_app_disable(actor=actor_of(request), connected=connected)
        return Response(ConnectedAppOut(connected).data)


class AppGrantOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    application = serializers.CharField(source="application.name")
    scope = serializers.CharField()
    granted_at = serializers.DateTimeField()
    second_factor_at = serializers.DateTimeField(allow_null=True)


class AppGrantListApi(BaseAPIView):
    """GET: the applications the person signed in to (their tokens)."""

    pagination_class = DefaultPagination
    required_roles = ANY_MEMBER

    @extend_schema(responses=AppGrantOut(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.app_grants_of(user_id=request_access(request).user_id or 0)
        return self.page_response(request, found, lambda rows: AppGrantOut(rows, many=True).data)


class AppGrantRevokeApi(BaseAPIView):
    """DELETE: revoke an application's access (its tokens are refused at once)."""

    required_roles = ANY_MEMBER

    @extend_schema(responses={204: None})
    def delete(self, request: Request, grant_id: int) -> Response:
        grant = selectors.app_grant_of(user_id=request_access(request).user_id or 0, grant_id=grant_id)
        services.app_grant_revoke(actor=actor_of(request), grant=grant)
        return Response(status=204)


class CasServiceOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    service_prefix = serializers.CharField()
    launch_url = serializers.CharField()
    establishments = serializers.SerializerMethodField()
    allowed_roles = serializers.ListField(child=serializers.CharField())
    share_name = serializers.BooleanField()
    share_email = serializers.BooleanField()
    is_active = serializers.BooleanField()

    def get_establishments(self, service: Any) -> list[str]:
        return sorted(e.uai for e in service.establishments.all())


class CasServiceIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=255)
    service_prefix = serializers.CharField(max_length=500)
    launch_url = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    establishments = serializers.ListField(
        child=serializers.CharField(max_length=8), required=False, default=list, max_length=1000
    )
    allowed_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=APP_ROLE_CHOICES), required=False, default=list
    )
    share_name = serializers.BooleanField(default=False)
    share_email = serializers.BooleanField(default=False)


class CasServiceListApi(BaseAPIView):
    """GET: the CAS services registered here; POST: register one (by its addresses' prefix)."""

    pagination_class = DefaultPagination
    required_roles = APP_ADMIN_ROLES
    required_region_roles = APP_ADMIN_REGION_ROLES

    @extend_schema(responses=CasServiceOut(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.cas_services_visible(access=request_access(request))
        return self.page_response(request, found, lambda rows: CasServiceOut(rows, many=True).data)

    @extend_schema(request=CasServiceIn, responses={201: CasServiceOut})
    def post(self, request: Request) -> Response:
        data = CasServiceIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        owner = current_establishment(request)
        service = services.cas_service_register(
            actor=actor_of(request),
            name=v["name"],
            service_prefix=v["service_prefix"],
            launch_url=v["launch_url"],
            owner_establishment=owner,
            establishments=_establishments(owner, v["establishments"]),
            allowed_roles=v["allowed_roles"],
            share_name=v["share_name"],
            share_email=v["share_email"],
        )
        return Response(CasServiceOut(service).data, status=201)


def _establishments(owner: Establishment | None, uais: list[str]) -> list[Establishment]:
    """The establishments named by UAI (on the portal only: a school's registration is its own)."""
    if owner is not None or not uais:
        return []
    found = list(Establishment.objects.filter(uai__in=uais))
    if len(found) != len(set(uais)):
        raise ValidationFailed(fields={"establishments": [_("Unknown UAI.")]})
    return found
