"""The notifications in the records of processing: the person's export, the yearly purge, erasure."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.kernel.privacy import privacy_declarations
from shared_apps.identity.roles import Role
from tenant_apps.notifications.models import Notification, NotificationRecipient
from tests.notifications.helpers import person, tell


def _declaration(key: str):
    return next(d for d in privacy_declarations() if d.key == key)


def test_export_purge_and_erase(school_a):
    parent = person(school_a, Role.GUARDIAN, phone="+33612345678")
    tell(school_a, [parent.pk], title="Absence of Léa")
    [settings_part, _bounces] = _declaration("notifications.settings").export(frozenset([parent.pk]))
    assert settings_part.rows[0]["phone"] == "+33612345678"
    centre = _declaration("notifications.centre")
    with schema_context(school_a.schema_name):
        [part] = centre.export(frozenset([parent.pk]))
        assert part.rows[0]["title"] == "Absence of Léa"
        assert centre.purge(timezone.now()) == 0
        Notification.objects.update(created_at=timezone.now() - datetime.timedelta(days=400))
        assert centre.purge(timezone.now()) >= 1
        tell(school_a, [parent.pk])
        assert centre.erase(frozenset([parent.pk])) == 1
        assert not NotificationRecipient.objects.filter(user_id=parent.pk).exists()
