"""Reads of the connectors app, already scoped to what the person may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet

from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.tenancy import RequestAccess
from shared_apps.connectors.models import AppGrant, CasService, ConnectedApp, LtiTool
from shared_apps.connectors.permissions import APP_ADMIN_REGION_ROLES, APP_ADMIN_ROLES
from shared_apps.identity.models import Membership, MembershipStatus


def _managed(found: QuerySet[Any], access: RequestAccess) -> QuerySet[Any]:
    """On a school's host, its leaders see its own registrations; on the portal, operators all."""
    if access.establishment_id is not None:
        if not access.roles & APP_ADMIN_ROLES:
            return found.none()
        return found.filter(owner_establishment_id=access.establishment_id)
    return found if access.region_roles & APP_ADMIN_REGION_ROLES else found.none()


def connected_apps_visible(*, access: RequestAccess) -> QuerySet[ConnectedApp]:
    found = ConnectedApp.objects.select_related("application", "owner_establishment").prefetch_related(
        "establishments"
    )
    return _managed(found, access)


def cas_services_visible(*, access: RequestAccess) -> QuerySet[CasService]:
    """The CAS services the person manages, with the same scope as the applications."""
    found = CasService.objects.select_related("owner_establishment").prefetch_related("establishments")
    return _managed(found, access)


def lti_tools_visible(*, access: RequestAccess) -> QuerySet[LtiTool]:
    """The LTI tools the person manages, with the same scope as the applications."""
    found = LtiTool.objects.select_related("owner_establishment").prefetch_related("establishments")
    return _managed(found, access)


def lti_tool_visible(*, access: RequestAccess, tool_id: int) -> LtiTool:
    found = lti_tools_visible(access=access).filter(pk=tool_id).first()
    if found is None:
        raise NotFound()
    return found


def connected_app_visible(*, access: RequestAccess, app_id: int) -> ConnectedApp:
    found = connected_apps_visible(access=access).filter(pk=app_id).first()
    if found is None:
        raise NotFound()
    return found


def app_grants_of(*, user_id: int) -> QuerySet[AppGrant]:
    """The applications the person authorised and did not revoke, newest first."""
    return AppGrant.objects.filter(user_id=user_id, revoked_at__isnull=True).select_related("application")


def app_grant_of(*, user_id: int, grant_id: int) -> AppGrant:
    found = app_grants_of(user_id=user_id).filter(pk=grant_id).first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class ResourceTile:
    name: str
    url: str
    protocol: str  # "oidc", "cas", "lti" or "saml" (the GAR)


def resources_for(*, user_id: int, establishment_id: int) -> list[ResourceTile]:
    """The applications this person may open from this establishment (their roles here), each
    opening with single sign-on; in three queries whatever the number of applications."""
    roles = set(
        Membership.objects.filter(
            user_id=user_id, establishment_id=establishment_id, status=MembershipStatus.ACTIVE
        ).values_list("role", flat=True)
    )
    if not roles:
        return []

    def open_here(rules: ConnectedApp | CasService) -> bool:
        places = {e.pk for e in rules.establishments.all()}
        if places and establishment_id not in places:
            return False
        return not rules.allowed_roles or bool(roles & set(rules.allowed_roles))

    tiles: list[ResourceTile] = []
    apps = ConnectedApp.objects.filter(is_active=True).exclude(launch_url="").select_related("application")
    for app in apps.prefetch_related("establishments"):
        if open_here(app):
            tiles.append(ResourceTile(name=app.name, url=app.launch_url, protocol="oidc"))
    services = CasService.objects.filter(is_active=True).exclude(launch_url="")
    for service in services.prefetch_related("establishments"):
        if open_here(service):
            login = f"/cas/login?{urlencode({'service': service.launch_url})}"
            tiles.append(ResourceTile(name=service.name, url=login, protocol="cas"))
    return sorted(tiles, key=lambda tile: tile.name.lower())
