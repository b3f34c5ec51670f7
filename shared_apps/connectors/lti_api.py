"""The LTI tools' API (``/api/v1/connectors/lti-tools/``): an establishment's leaders on its host,
region operators on the portal (for the establishments they name, none: the whole region)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.tenancy import request_access, url_on_host
from shared_apps.connectors import lti_services, selectors
from shared_apps.connectors.api import _establishments
from shared_apps.connectors.models import LtiTool
from shared_apps.connectors.permissions import APP_ADMIN_REGION_ROLES, APP_ADMIN_ROLES, APP_ROLE_CHOICES
from tenants.requests import current_establishment


def platform_settings(request: Any) -> dict[str, str]:
    """What a tool's administrator enters in the tool (Moodle: "Platform details")."""
    portal = settings.MBN_BASE_DOMAIN
    return {
        "issuer": url_on_host(request, portal, ""),
        "authorization_endpoint": url_on_host(request, portal, "/lti/authorize/"),
        "token_endpoint": url_on_host(request, portal, "/lti/token/"),
        "jwks_uri": url_on_host(request, portal, "/lti/jwks/"),
    }


class LtiToolOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    client_id = serializers.CharField()
    deployment_id = serializers.CharField()
    login_url = serializers.CharField()
    launch_url = serializers.CharField()
    redirect_uris = serializers.ListField(child=serializers.CharField())
    jwks_url = serializers.CharField()
    has_public_key = serializers.SerializerMethodField()
    establishments = serializers.SerializerMethodField()
    allowed_roles = serializers.ListField(child=serializers.CharField())
    share_name = serializers.BooleanField()
    share_email = serializers.BooleanField()
    roster_access = serializers.BooleanField()
    is_active = serializers.BooleanField()

    def get_has_public_key(self, tool: LtiTool) -> bool:
        return bool(tool.public_key.strip())

    def get_establishments(self, tool: LtiTool) -> list[str]:
        return sorted(e.uai for e in tool.establishments.all())


class LtiToolIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=255)
    deployment_id = serializers.CharField(max_length=64, default="1")
    login_url = serializers.CharField(max_length=500, help_text="The tool's OIDC login initiation URL.")
    launch_url = serializers.CharField(max_length=500, help_text="The target link URI.")
    redirect_uris = serializers.ListField(
        child=serializers.CharField(max_length=500), min_length=1, max_length=10
    )
    jwks_url = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    public_key = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)
    establishments = serializers.ListField(
        child=serializers.CharField(max_length=8), required=False, default=list, max_length=1000
    )
    allowed_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=APP_ROLE_CHOICES), required=False, default=list
    )
    share_name = serializers.BooleanField(default=False)
    share_email = serializers.BooleanField(default=False)
    roster_access = serializers.BooleanField(default=True)


class LtiToolCreatedOut(LtiToolOut):
    platform = serializers.DictField(child=serializers.CharField())


class LtiToolListApi(BaseAPIView):
    """GET: the LTI tools registered here; POST: register one (the answer gives the platform's
    issuer and endpoints to enter in the tool)."""

    pagination_class = DefaultPagination
    required_roles = APP_ADMIN_ROLES
    required_region_roles = APP_ADMIN_REGION_ROLES

    @extend_schema(responses=LtiToolOut(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.lti_tools_visible(access=request_access(request))
        return self.page_response(request, found, lambda rows: LtiToolOut(rows, many=True).data)

    @extend_schema(request=LtiToolIn, responses={201: LtiToolCreatedOut})
    def post(self, request: Request) -> Response:
        data = LtiToolIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        owner = current_establishment(request)
        targets = _establishments(owner, values.pop("establishments"))
        tool = lti_services.lti_tool_register(
            actor=actor_of(request), owner_establishment=owner, establishments=targets, **values
        )
        body = dict(LtiToolOut(tool).data)
        body["platform"] = platform_settings(request)
        return Response(body, status=201)


class LtiToolApi(BaseAPIView):
    """PATCH: change a tool's settings; DELETE: remove it (no more launches, its tokens stop)."""

    required_roles = APP_ADMIN_ROLES
    required_region_roles = APP_ADMIN_REGION_ROLES

    @extend_schema(request=LtiToolIn(partial=True), responses=LtiToolOut)
    def patch(self, request: Request, tool_id: int) -> Response:
        tool = selectors.lti_tool_visible(access=request_access(request), tool_id=tool_id)
        data = LtiToolIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = {k: v for k, v in data.validated_data.items() if k != "establishments"}
        tool = lti_services.lti_tool_update(actor=actor_of(request), tool=tool, **changes)
        return Response(LtiToolOut(tool).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, tool_id: int) -> Response:
        tool = selectors.lti_tool_visible(access=request_access(request), tool_id=tool_id)
        lti_services.lti_tool_remove(actor=actor_of(request), tool=tool)
        return Response(status=204)
