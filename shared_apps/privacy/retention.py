"""The daily retention purge: what must not be kept any more goes, by rule, with an audit entry
per rule that removed something (and one for the run).

- accounts of people with no role left in any establishment (nor on the region's side) since the
  retention period (3 months for students and guardians, 1 year for staff, configurable in
  ``PRIVACY_RETENTION_DAYS``): each establishment's app erases what remains of them there (their
  name on their local row), then the account goes (its memberships, links, sessions, requests);
- whatever each app declares a ``purge`` for (``mbn_platform.kernel.privacy``): ended sessions,
  failed sign-ins, support screenshots and old requests, absence justification attachments of
  past school years (in each establishment's schema);
- right-of-access archives after a few days.

Durations and legal bases: docs/privacy.md.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.privacy import ESTABLISHMENT, REGION, privacy_declarations
from shared_apps.identity.models import Membership, MembershipStatus, User
from shared_apps.identity.roles import STAFF_ROLES
from shared_apps.privacy.exports import export_root
from shared_apps.privacy.models import AccessExport
from tenants.models import Establishment, EstablishmentStatus

WITH_SCHEMA = (EstablishmentStatus.ACTIVE, EstablishmentStatus.SUSPENDED, EstablishmentStatus.ARCHIVED)


def departed_accounts(*, now: datetime.datetime) -> list[int]:
    """People with no active (or pending) role anywhere, no region role, no admin-site account,
    whose last role ended longer ago than their retention period."""
    days = settings.PRIVACY_RETENTION_DAYS
    rows = (
        User.objects.filter(
            memberships__isnull=False, region_roles__isnull=True, is_staff=False, is_superuser=False
        )
        .exclude(memberships__status__in=[MembershipStatus.ACTIVE, MembershipStatus.PENDING])
        .annotate(left=Max("memberships__updated_at"))
        .values_list("pk", "left")
        .distinct()
    )
    staff = set(
        Membership.objects.filter(role__in=STAFF_ROLES, user_id__in=[pk for pk, _left in rows]).values_list(
            "user_id", flat=True
        )
    )
    due = []
    for pk, left in rows:
        period = days["departed_staff"] if pk in staff else days["departed_families"]
        if left is not None and left < now - timedelta(days=period):
            due.append(pk)
    return sorted(due)


@transaction.atomic
def accounts_purge(*, now: datetime.datetime) -> int:
    user_ids = departed_accounts(now=now)
    if not user_ids:
        return 0
    by_school: dict[int, set[int]] = defaultdict(set)
    for user_id, establishment_id in Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "establishment_id"
    ):
        by_school[establishment_id].add(user_id)
    for school in Establishment.objects.filter(pk__in=by_school):
        with schema_context(school.schema_name):
            for declaration in privacy_declarations(scope=ESTABLISHMENT):
                if declaration.erase is not None:
                    declaration.erase(frozenset(by_school[school.pk]))
    for declaration in privacy_declarations(scope=REGION):
        if declaration.erase is not None:
            declaration.erase(frozenset(user_ids))
    User.objects.filter(pk__in=user_ids).delete()
    return len(user_ids)


def _exports_purge(now: datetime.datetime) -> int:
    old = AccessExport.objects.filter(
        created_at__lt=now - timedelta(days=settings.PRIVACY_RETENTION_DAYS["access_exports"])
    )
    for export in old.exclude(file_name=""):
        (export_root() / export.file_name).unlink(missing_ok=True)
    return int(old.delete()[0])


def _record(rule: str, count: int, establishment: Establishment | None = None) -> None:
    if count:
        with transaction.atomic():
            audit_record(
                actor=None,
                action="privacy.purged",
                establishment=establishment,
                details={"rule": rule, "count": count},
            )


def retention_purge(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every rule once; returns what each removed (``rule`` or ``rule@UAI``)."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    counts["identity.departed_accounts"] = accounts_purge(now=now)
    _record("identity.departed_accounts", counts["identity.departed_accounts"])
    counts["privacy.access_exports"] = _exports_purge(now)
    _record("privacy.access_exports", counts["privacy.access_exports"])
    for declaration in privacy_declarations(scope=REGION):
        if declaration.purge is not None:
            with transaction.atomic():
                counts[declaration.key] = declaration.purge(now)
            _record(declaration.key, counts[declaration.key])
    tenant_rules = [d for d in privacy_declarations(scope=ESTABLISHMENT) if d.purge is not None]
    for school in Establishment.objects.filter(status__in=WITH_SCHEMA).order_by("uai"):
        with schema_context(school.schema_name):
            for declaration in tenant_rules:
                with transaction.atomic():
                    count = declaration.purge(now)  # type: ignore[misc]
                counts[f"{declaration.key}@{school.uai}"] = count
                _record(declaration.key, count, school)
    with transaction.atomic():
        audit_record(
            actor=None, action="privacy.retention_purge", details={k: v for k, v in counts.items() if v}
        )
    return counts
