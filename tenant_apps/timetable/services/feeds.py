"""A person's secret calendar feed address: made, revoked (each leaves one audit entry), and
the person a live token stands for."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.errors import NotFound
from tenant_apps.timetable.models import ICalToken


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _revoke(user_id: int) -> int:
    return ICalToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def ical_token_create(*, actor: Actor | None, user_id: int) -> str:
    """A new secret feed token for the person (the previous one stops working). Returned once."""
    _revoke(user_id)
    token = secrets.token_urlsafe(32)
    ICalToken.objects.create(user_id=user_id, token_hash=_hash(token))
    audit_record(
        actor=actor,
        action="timetable.calendar_feed_created",
        establishment=schema_establishment(),
        details={"user_id": user_id},
    )
    return token


@transaction.atomic
def ical_token_revoke(*, actor: Actor | None, user_id: int) -> int:
    """End the person's feed address (the number of tokens revoked: 0 or 1)."""
    revoked = _revoke(user_id)
    if revoked:
        audit_record(
            actor=actor,
            action="timetable.calendar_feed_revoked",
            establishment=schema_establishment(),
            details={"user_id": user_id},
        )
    return revoked


def ical_token_user(*, token: str) -> int:
    """The user id of a live token; NotFound for an unknown or revoked one."""
    if not token or len(token) > 100:
        raise NotFound()
    found = ICalToken.objects.filter(token_hash=_hash(token), revoked_at__isnull=True).values_list(
        "user_id", flat=True
    )
    user_id = next(iter(found), None)
    if user_id is None:
        raise NotFound()
    return int(user_id)
