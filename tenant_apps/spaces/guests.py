"""Inter-school project spaces: a person of establishment B may be a guest of a project space of
establishment A when both establishments allow inter-school projects (``SpacesSettings``, off by
default). The guest has no membership in A: A's schema holds a ``Member`` row for them without any
role (so their posts have an author) and a ``SpaceMember`` row naming their establishment. On A's
host, the membership middleware lets them use only the spaces pages and API (``/spaces/``, and
``/spaces/<id>/…`` of a space they are a guest of, and that space's document library) while both
establishments still allow it and their membership in B is active; everywhere else they are
refused as any non-member is."""

from __future__ import annotations

import re

from django.http import HttpRequest
from django_tenants.utils import schema_context

from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.tenancy import guest_access_register
from shared_apps.identity.models import Membership, MembershipStatus
from tenant_apps.spaces.documents_link import space_of_document_path
from tenant_apps.spaces.models import SpaceMember, SpacesSettings
from tenants.models import Establishment

#: The paths a guest may use: the list of their spaces and the pages and API of one space.
GUEST_PATH = re.compile(r"^/(?:api/v1/)?spaces/(?:(\d+)/.*)?$")


def inter_school_allowed_here() -> bool:
    return SpacesSettings.objects.filter(inter_school=True).exists()


def inter_school_allowed(establishment: Establishment) -> bool:
    """Whether an establishment allows inter-school projects (read in its own schema)."""
    here = schema_establishment()
    if here is not None and here.pk == establishment.pk:
        return inter_school_allowed_here()
    with schema_context(establishment.schema_name):
        return inter_school_allowed_here()


def guest_homes(user_id: int, space_id: int | None) -> list[int]:
    """The establishments a person is a guest from, of this space (or of any space here)."""
    rows = SpaceMember.objects.filter(member__user_id=user_id, home_establishment_id__isnull=False)
    if space_id is not None:
        rows = rows.filter(space_id=space_id)
    return sorted({home for home in rows.values_list("home_establishment_id", flat=True) if home is not None})


def guest_allowed(user_id: int, space_id: int | None) -> bool:
    """Whether a guest may still use the space (or the list of their spaces) here."""
    homes = guest_homes(user_id, space_id)
    if not homes or not inter_school_allowed_here():
        return False
    active = Membership.objects.filter(
        user_id=user_id, establishment_id__in=homes, status=MembershipStatus.ACTIVE
    ).values_list("establishment_id", flat=True)
    return any(inter_school_allowed(home) for home in Establishment.objects.filter(pk__in=list(active)))


def guest_access(request: HttpRequest, user_id: int) -> bool:
    match = GUEST_PATH.match(request.path)
    if match is not None:
        return guest_allowed(user_id, int(match.group(1)) if match.group(1) else None)
    space_id = space_of_document_path(request.path)  # the space's library, as the space
    return space_id is not None and guest_allowed(user_id, space_id)


def guests_register() -> None:
    guest_access_register(guest_access)
