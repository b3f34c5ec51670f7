"""Helpers of the notification tests: people with settings, running delivery in a schema."""

from __future__ import annotations

import datetime
from typing import Any

from django_tenants.utils import schema_context

from shared_apps.identity.models import User
from shared_apps.notifications.models import NotificationSettings
from shared_apps.notifications.service import Notified, notify
from shared_apps.notifications.text import Text
from tenant_apps.notifications.delivery import deliveries_send_due, notification_plan
from tenants.models import Establishment
from tests.factories import member


def person(establishment: Establishment, role: str, *, email: str = "", **choices: Any) -> User:
    user = member(
        establishment, role, email=email or f"{role}.{establishment.pk}.{User.objects.count()}@example.org"
    )
    if choices:
        NotificationSettings.objects.update_or_create(user=user, defaults=choices)
    return user


def tell(
    establishment: Establishment, recipients: list[int], *, type_: str = "absence", **kwargs: Any
) -> Notified:
    return notify(
        actor=None,
        type=type_,
        recipients=recipients,
        title=kwargs.pop("title", Text("Absence of %(name)s", name="Léa")),
        body=kwargs.pop("body", "Marked absent at 8:00."),
        link=kwargs.pop("link", "/attendance/family/"),
        establishment=establishment,
        **kwargs,
    )


def deliver(establishment: Establishment, notified: Notified, now: datetime.datetime | None = None) -> int:
    """What the delivery task does, in the establishment's schema."""
    assert notified.notification_id is not None
    with schema_context(establishment.schema_name):
        notification_plan(notification_id=notified.notification_id, now=now)
        return deliveries_send_due(notification_id=notified.notification_id, now=now)
