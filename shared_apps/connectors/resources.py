"""The resources page of an establishment (``/resources/`` on its host) and its API
(``/api/v1/resources/``): the connected applications and CAS services a person may open here,
each with single sign-on: the GAR through the portal's SAML provider (``GAR_ENTRY_URL``), an OIDC
tool starting its own sign-in at its launch address, a CAS tool through the portal's
``/cas/login``, which hands it a ticket."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.permissions import ANY_MEMBER, RolesRequiredMixin
from mbn_platform.kernel.tenancy import RequestAccess, request_access, url_on_host
from shared_apps.connectors.lti_services import lti_launch_url
from shared_apps.connectors.models import LtiTool
from shared_apps.connectors.rosters import school_roster
from shared_apps.connectors.saml import GAR_PROFILES
from shared_apps.connectors.selectors import ResourceTile, resources_for
from tenants.requests import establishment_served

#: The classes shown as launch contexts for each tool (a teacher's classes).
MAX_CLASS_TILES = 12


def tiles_of(request: HttpRequest) -> list[ResourceTile]:
    establishment = establishment_served(request)
    access = request_access(request)
    tiles = resources_for(user_id=access.user_id or 0, establishment_id=establishment.pk)
    if settings.GAR_ENTRY_URL and access.roles & GAR_PROFILES.keys():
        # The GAR (digital textbooks): it asks the portal's SAML provider to sign the person in.
        tiles.insert(
            0, ResourceTile(name=_("Digital textbooks (GAR)"), url=settings.GAR_ENTRY_URL, protocol="saml")
        )
    tiles += lti_tiles(access=access, establishment_id=establishment.pk)
    portal = settings.MBN_BASE_DOMAIN
    return [
        ResourceTile(name=t.name, url=url_on_host(request, portal, t.url), protocol=t.protocol)
        if t.url.startswith("/") and t.protocol == "cas"
        else t
        for t in tiles
    ]


def lti_tiles(*, access: RequestAccess, establishment_id: int) -> list[ResourceTile]:
    """The LTI tools open to the person here: one tile per class of theirs (the class as the
    launch's context: their class, the classes they teach), or one without a class."""
    everywhere = Q(establishments__isnull=True) | Q(establishments=establishment_id)
    any_role = Q(allowed_roles=[]) | Q(allowed_roles__overlap=sorted(access.roles))
    tools = list(LtiTool.objects.filter(everywhere, any_role, is_active=True).distinct().order_by("name"))
    if not tools:
        return []
    classes = school_roster().classes_of(user_id=access.user_id or 0)[:MAX_CLASS_TILES]
    tiles: list[ResourceTile] = []
    for tool in tools:
        for school_class in classes:
            name = f"{tool.name} — {school_class.name}"
            tiles.append(ResourceTile(name=name, url=lti_launch_url(tool, school_class), protocol="lti"))
        if not classes:
            tiles.append(ResourceTile(name=tool.name, url=f"/lti/launch/{tool.pk}/", protocol="lti"))
    return tiles


class ResourcesView(RolesRequiredMixin, View):
    required_roles = ANY_MEMBER

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "connectors/resources.html", {"tiles": tiles_of(request)})


class ResourceOut(serializers.Serializer[object]):
    name = serializers.CharField()
    url = serializers.CharField()
    protocol = serializers.ChoiceField(choices=["oidc", "cas", "lti", "saml"])


class ResourcesApi(BaseAPIView):
    """GET: the applications the person may open from this establishment, with their addresses."""

    pagination_class = DefaultPagination
    required_roles = ANY_MEMBER

    @extend_schema(responses=ResourceOut(many=True))
    def get(self, request: Request) -> Response:
        tiles = tiles_of(request)
        return self.page_response(request, tiles, lambda rows: ResourceOut(rows, many=True).data)
