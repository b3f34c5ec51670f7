"""Reads of the connectors app, already scoped to what the person may see."""

from __future__ import annotations

from django.db.models import QuerySet

from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.tenancy import RequestAccess
from shared_apps.connectors.models import AppGrant, ConnectedApp
from shared_apps.connectors.permissions import APP_ADMIN_REGION_ROLES, APP_ADMIN_ROLES


def connected_apps_visible(*, access: RequestAccess) -> QuerySet[ConnectedApp]:
    """On a school's host, its leaders see its own applications; on the portal, operators all."""
    found = ConnectedApp.objects.select_related("application", "owner_establishment").prefetch_related(
        "establishments"
    )
    if access.establishment_id is not None:
        if not access.roles & APP_ADMIN_ROLES:
            return found.none()
        return found.filter(owner_establishment_id=access.establishment_id)
    if access.region_roles & APP_ADMIN_REGION_ROLES:
        return found
    return found.none()


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
