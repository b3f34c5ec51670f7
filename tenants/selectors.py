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
    return (
        Establishment.objects.exclude(schema_name="public")
        .select_related("funded_by")
        .prefetch_related("domains")
        .order_by("name")
    )


def establishment_search(
    *,
    query: str = "",
    academie: str = "",
    departement: str = "",
    kind: str = "",
    status: str = "",
    funder: str = "",
) -> QuerySet[Establishment]:
    """The operators' console list: search by name, UAI or subdomain; filter by académie,
    département, kind, status and funder."""
    from django.db.models import Q

    queryset = establishments_serving()
    if query.strip():
        term = query.strip()
        queryset = queryset.filter(
            Q(name__icontains=term) | Q(uai__iexact=term) | Q(domains__domain__istartswith=term)
        )
    for field, value in (
        ("academie", academie),
        ("departement", departement),
        ("kind", kind),
        ("status", status),
    ):
        if value:
            queryset = queryset.filter(**{field: value})
    if funder:  # the billing funder's code or name
        queryset = queryset.filter(Q(funded_by__code=funder) | Q(funded_by__name=funder))
    return queryset.distinct()


def establishment_absolute_url(establishment: Establishment | None, path: str) -> str:
    """An absolute URL for messages sent outside a request (e-mails, letters): the
    establishment's primary host, or the portal's when there is none."""
    from django.conf import settings

    host = (establishment_primary_host(establishment) if establishment else None) or settings.MBN_BASE_DOMAIN
    scheme = "https" if settings.PRODUCTION else "http"
    port = f":{settings.MBN_URL_PORT}" if getattr(settings, "MBN_URL_PORT", "") else ""
    return f"{scheme}://{host}{port}{path}"
