"""Reads of the support desk, already scoped to what the user may see on this host."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.tenancy import RequestAccess
from shared_apps.audit.models import AuditEntry
from shared_apps.support.models import Impersonation, SupportRequest, SupportRequestStatus
from shared_apps.support.permissions import AGENTS
from shared_apps.support.referents import ESTABLISHMENT_REQUEST_WORKERS, for_the_region
from tenants.models import Establishment

VIEWED_PATHS_SHOWN = 200


def _support_requests() -> QuerySet[SupportRequest]:
    return (
        SupportRequest.objects.select_related("requester", "on_behalf_of", "assignee", "establishment")
        .annotate(reply_count=Count("replies"))
        .order_by("-created_at", "-pk")
    )


def support_requests_visible(
    *, access: RequestAccess, establishment: Establishment | None
) -> QuerySet[SupportRequest]:
    """On the portal: the requests the region works (``referents.for_the_region``) for a support
    agent, one's own otherwise. On an establishment's host: its requests for its admins, head and
    digital referents, one's own there otherwise."""
    user_id = access.user_id
    if user_id is None:
        return SupportRequest.objects.none()
    own = Q(requester_id=user_id) | Q(on_behalf_of_id=user_id)
    if establishment is None:
        if access.region_roles & AGENTS:
            return _support_requests().filter(for_the_region() | own)
        return _support_requests().filter(own)
    here = _support_requests().filter(establishment=establishment)
    return here if access.roles & ESTABLISHMENT_REQUEST_WORKERS else here.filter(own)


def support_request_get(
    *, access: RequestAccess, establishment: Establishment | None, request_id: int
) -> SupportRequest:
    """One request this person may see here; any other is not found (404)."""
    return get_or_404(support_requests_visible(access=access, establishment=establishment), pk=request_id)


def support_queue(
    *, status: str = "", establishment_uai: str = "", assignee_id: int | None = None
) -> QuerySet[SupportRequest]:
    """The support agents' queue (portal), with its filters; open requests first. Only what the
    region works: requests of no establishment, escalated ones, those of establishments without
    a digital referent."""
    queryset = _support_requests().filter(for_the_region())
    # Without a status: everything not resolved yet.
    queryset = (
        queryset.filter(status=status) if status else queryset.exclude(status=SupportRequestStatus.RESOLVED)
    )
    if establishment_uai:
        queryset = queryset.filter(establishment__uai=establishment_uai.strip().upper())
    if assignee_id is not None:
        queryset = queryset.filter(assignee_id=assignee_id)
    return queryset.order_by("created_at", "pk")


def impersonations_active() -> QuerySet[Impersonation]:
    """Impersonations going on now (any agent), for approvals on the portal."""
    from django.utils import timezone

    return (
        Impersonation.objects.select_related("agent", "target", "establishment", "write_approved_by")
        .filter(ended_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("started_at")
    )


def _impersonations() -> QuerySet[Impersonation]:
    return Impersonation.objects.select_related(
        "agent", "target", "establishment", "support_request", "write_approved_by"
    )


def impersonations_of_person(*, user_id: int) -> QuerySet[Impersonation]:
    """Every impersonation of one account (the person's own page)."""
    return _impersonations().filter(target_id=user_id)


def impersonations_of_establishment(*, establishment: Establishment) -> QuerySet[Impersonation]:
    """Every impersonation in one establishment (its admins' and head's page)."""
    return _impersonations().filter(establishment=establishment)


@dataclass
class ImpersonationViews:
    paths: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0


def impersonation_views(*, impersonations: list[Impersonation]) -> dict[int, ImpersonationViews]:
    """What was viewed during each impersonation (its ``impersonation.request`` audit entries),
    in one query whatever the number of impersonations; at most VIEWED_PATHS_SHOWN paths each."""
    if not impersonations:
        return {}
    establishment_ids = {item.establishment_id for item in impersonations}
    entries = (
        AuditEntry.objects.filter(
            establishment_id__in=establishment_ids,
            action="impersonation.request",
            target_type=Impersonation._meta.label_lower,
            target_id__in=[str(item.pk) for item in impersonations],
        )
        .order_by("created_at", "pk")
        .values_list("target_id", "created_at", "details")
    )
    views: dict[int, ImpersonationViews] = defaultdict(ImpersonationViews)
    for target_id, created_at, details in entries:
        item = views[int(target_id)]
        item.total += 1
        if len(item.paths) < VIEWED_PATHS_SHOWN:
            item.paths.append({"at": created_at, **(details or {})})
    return dict(views)
