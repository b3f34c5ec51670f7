"""Reads of the audit log, scoped: region operators see everything (on the portal), an
establishment's admins and head their establishment's entries (on its host)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from mbn_platform.kernel.parsing import query_date, query_text
from shared_apps.audit.models import AuditEntry
from shared_apps.identity.models import User
from tenants.models import Establishment


@dataclass(frozen=True)
class AuditFilters:
    uai: str = ""
    actor: str = ""  # a login
    action: str = ""  # exact, or a prefix ending with "." ("impersonation.")
    date_from: date | None = None
    date_to: date | None = None

    def as_params(self) -> dict[str, str]:
        values = asdict(self)
        params = {
            "uai": values["uai"],
            "actor": values["actor"],
            "action": values["action"],
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        return {key: value for key, value in params.items() if value}


def audit_filters_from(params: Mapping[str, Any]) -> AuditFilters:
    """The filters of a page's or the API's query string (``uai``, ``actor``, ``action``,
    ``from``, ``to``), parsed at the boundary (``kernel.parsing``): a malformed or out-of-range
    date, a NUL byte, is a validation error naming its field."""
    return AuditFilters(
        uai=query_text(params, "uai", max_length=200).upper()[:8],
        actor=query_text(params, "actor", max_length=200).lower()[:64],
        action=query_text(params, "action", max_length=200)[:64],
        date_from=query_date(params, "from"),
        date_to=query_date(params, "to"),
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _of_uai(uai: str, *, current: int | None, region: bool) -> Q:
    """The entries of the establishment holding ``uai`` now and of those that held it before it
    (offboarded, then perhaps restored under a new row): an offboarded establishment's row is gone,
    but its offboarding entry names its UAI and its row id, which its older entries carry.
    ``region``: also the region's entries that name the UAI (an onboarding job's, ...)."""
    former = AuditEntry.objects.filter(action="establishment.offboard", details__uai=uai).values(
        "establishment_id"
    )
    found = Q(establishment_id__in=former)
    if current is not None:
        found |= Q(establishment_id=current)
    if region:
        found |= Q(details__uai=uai)
    return found


def audit_entries(
    *, establishment: Establishment | None, filters: AuditFilters, hide_impersonation: bool = False
) -> QuerySet[AuditEntry]:
    """Entries matching the filters, newest first, with their actor, establishment and the login
    of the person acted as (one query a page). ``establishment``: only its entries (a school's
    host); None: the whole region (operators on the portal), where ``uai`` filters.

    ``hide_impersonation``: for a support agent impersonating a reader of the log, who must not
    see who impersonated whom (the impersonation pages are out of their reach too): no
    ``impersonation.*`` entry, nothing done while acting as someone."""
    queryset = AuditEntry.objects.all()
    if hide_impersonation:
        queryset = queryset.exclude(action__startswith="impersonation.").filter(acting_as_id__isnull=True)
    if establishment is not None:
        queryset = queryset.filter(_of_uai(establishment.uai, current=establishment.pk, region=False))
    elif filters.uai:
        found = Establishment.objects.filter(uai=filters.uai).values_list("pk", flat=True).first()
        queryset = queryset.filter(_of_uai(filters.uai, current=found, region=True))
    if filters.actor:
        queryset = queryset.filter(actor_id__in=User.objects.filter(login=filters.actor).values("pk"))
    if filters.action:
        if filters.action.endswith("."):
            queryset = queryset.filter(action__startswith=filters.action)
        else:
            queryset = queryset.filter(action=filters.action)
    if filters.date_from:
        queryset = queryset.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return (
        queryset.select_related("actor", "establishment")
        .annotate(
            acting_as_login=Subquery(User.objects.filter(pk=OuterRef("acting_as_id")).values("login")[:1])
        )
        .order_by("-created_at", "-pk")
    )
