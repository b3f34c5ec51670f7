"""A person's notification centre, gathered from every establishment they belong to.

Public tables give the establishments (one query); then each establishment's schema is read on
its own (``schema_context``, one query each: never SQL across schemas). Entries are identified
by their establishment and their row there (``<establishment id>-<entry id>``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.tenancy import url_on_host
from shared_apps.identity.models import Membership, MembershipStatus
from shared_apps.notifications.text import text_render
from shared_apps.notifications.types import TYPE_RULES
from shared_apps.notifications.unread import unread_forget
from tenant_apps.notifications.models import NotificationRecipient
from tenants.models import Establishment
from tenants.selectors import establishment_primary_host

CENTRE_SIZE = 50


@dataclass(frozen=True)
class CentreEntry:
    key: str
    establishment_id: int
    school: str
    type: str
    type_label: str
    title: str
    body: str
    url: str
    created_at: datetime.datetime
    read: bool


def establishments_of(*, user_id: int) -> list[Establishment]:
    """The establishments where the person has an active membership (their centre's sources)."""
    ids = (
        Membership.objects.filter(user_id=user_id, status=MembershipStatus.ACTIVE)
        .values_list("establishment_id", flat=True)
        .distinct()
    )
    return list(Establishment.objects.filter(pk__in=ids).prefetch_related("domains").order_by("name"))


def centre_entries(
    *, request: HttpRequest, user_id: int, unread_only: bool = False, limit: int = CENTRE_SIZE
) -> list[CentreEntry]:
    """The person's newest notifications of all their establishments, newest first."""
    found: list[CentreEntry] = []
    for est in establishments_of(user_id=user_id):
        host = establishment_primary_host(est)
        with schema_context(est.schema_name):
            rows = NotificationRecipient.objects.filter(user_id=user_id).select_related("notification")
            if unread_only:
                rows = rows.filter(read_at__isnull=True)
            for row in rows.order_by("-created_at", "-pk")[:limit]:
                found.append(_entry(request, est, host, row))
    found.sort(key=lambda entry: entry.created_at, reverse=True)
    return found[:limit]


def _entry(
    request: HttpRequest, est: Establishment, host: str | None, row: NotificationRecipient
) -> CentreEntry:
    notification = row.notification
    link = notification.link
    if link and not link.startswith(("http://", "https://")) and host:
        link = url_on_host(request, host, link)
    rule = TYPE_RULES.get(notification.type)
    return CentreEntry(
        key=f"{est.pk}-{row.pk}",
        establishment_id=est.pk,
        school=est.name,
        type=notification.type,
        type_label=str(rule.label) if rule else notification.type,
        title=text_render(notification.title),
        body=text_render(notification.body) if notification.body else "",
        url=link,
        created_at=row.created_at,
        read=row.read_at is not None,
    )


def unread_total(user_id: int) -> int:
    """How many unread notifications the person has (one count per establishment)."""
    total = 0
    for est in establishments_of(user_id=user_id):
        with schema_context(est.schema_name):
            total += NotificationRecipient.objects.filter(user_id=user_id, read_at__isnull=True).count()
    return total


def _own_establishment(user_id: int, establishment_id: int) -> Establishment:
    for est in establishments_of(user_id=user_id):
        if est.pk == establishment_id:
            return est
    raise NotFound()


def notification_mark_read(*, user_id: int, key: str) -> None:
    """Mark one of the person's entries read; another person's (or an unknown one) is 404."""
    est_part, _sep, entry_part = key.partition("-")
    if not (est_part.isdigit() and entry_part.isdigit()) or len(key) > 40:
        raise NotFound()
    est = _own_establishment(user_id, int(est_part))
    with schema_context(est.schema_name), transaction.atomic():
        updated = NotificationRecipient.objects.filter(pk=int(entry_part), user_id=user_id).update(
            read_at=timezone.now()
        )
        if not updated:
            raise NotFound()
    unread_forget(user_ids=[user_id])


def notifications_mark_all_read(*, user_id: int) -> int:
    """Mark every entry of the person read, in each of their establishments."""
    marked = 0
    now = timezone.now()
    for est in establishments_of(user_id=user_id):
        with schema_context(est.schema_name):
            marked += NotificationRecipient.objects.filter(user_id=user_id, read_at__isnull=True).update(
                read_at=now
            )
    unread_forget(user_ids=[user_id])
    return marked
