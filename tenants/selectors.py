"""Reads of establishments (public schema)."""

from __future__ import annotations

from django.db.models import QuerySet

from tenants.models import Establishment


def establishment_primary_host(establishment: Establishment) -> str | None:
    """The primary domain, using prefetched domains when present."""
    for domain in establishment.domains.all():
        if domain.is_primary:
            return str(domain.domain)
    return None


def establishments_serving() -> QuerySet[Establishment]:
    return Establishment.objects.exclude(schema_name="public").prefetch_related("domains").order_by("name")
