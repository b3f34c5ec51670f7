"""A person's devices that receive their notifications by Web Push: subscribe, list, remove.

A subscription is the push service's endpoint (on one of ``settings.WEB_PUSH["SERVICE_HOSTS"]``:
the platform never posts to an address a user chose) and the device's keys. One row per
endpoint: a device subscribed again by someone else (a shared tablet) becomes theirs.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record
from mbn_platform.kernel.errors import ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from shared_apps.identity.models import User
from shared_apps.notifications.models import PushSubscription

MAX_DEVICES = 20


def _b64url(value: str, *, length: int, field: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != length or (length == 65 and raw[0] != 4):
        raise ValidationFailed(fields={field: [_("This is not a key of a push subscription.")]})
    return value.rstrip("=")


def _check_endpoint(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    allowed = settings.WEB_PUSH["SERVICE_HOSTS"]
    known = any(host == h or (h.startswith(".") and host.endswith(h)) for h in allowed)
    secure = parts.scheme == "https" or (parts.scheme == "http" and not settings.PRODUCTION)
    if not (secure and known):
        raise ValidationFailed(fields={"endpoint": [_("This push service is not one the platform uses.")]})
    return endpoint


def push_subscriptions_of(*, user_id: int) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user_id=user_id).order_by("-created_at", "-pk")


@transaction.atomic
def push_subscription_save(
    *, actor: Actor | None, user: User, endpoint: str, p256dh: str, auth: str, device: str = ""
) -> PushSubscription:
    """Subscribe a device (again: its keys and owner are updated)."""
    values = {
        "user": user,
        "p256dh": _b64url(p256dh, length=65, field="p256dh"),
        "auth": _b64url(auth, length=16, field="auth"),
        "device": device.strip()[:120],
    }
    _check_endpoint(endpoint)
    existing = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    if existing is None and push_subscriptions_of(user_id=user.pk).count() >= MAX_DEVICES:
        raise ValidationFailed(
            fields={"endpoint": [_("Remove a device first: %(n)d at most.") % {"n": MAX_DEVICES}]}
        )
    subscription, created = PushSubscription.objects.update_or_create(endpoint=endpoint, defaults=values)
    if created or existing is None or existing.user_id != user.pk:
        audit_record(
            actor=actor,
            action="notifications.push_subscribed",
            target=user,
            details={"subscription": subscription.pk, "device": subscription.device},
        )
    return subscription


@transaction.atomic
def push_subscription_delete(*, actor: Actor | None, user: User, subscription_id: int) -> None:
    """Remove one of the person's devices (another person's is 404)."""
    subscription = get_or_404(push_subscriptions_of(user_id=user.pk), pk=subscription_id)
    audit_record(
        actor=actor,
        action="notifications.push_unsubscribed",
        target=user,
        details={"subscription": subscription.pk, "device": subscription.device},
    )
    subscription.delete()
