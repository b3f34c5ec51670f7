"""A real Celery worker delivers a push notification to a subscribed device once, even when its
task is queued twice (the push-service stand-in decrypts what it receives)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django_tenants.utils import schema_context

from shared_apps.identity.models import Membership, User
from shared_apps.identity.roles import Role
from shared_apps.notifications.mailcatcher import MailCatcher
from shared_apps.notifications.models import PushSubscription
from shared_apps.notify.service import notify
from tenant_apps.notifications import store
from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.tasks import notification_deliver_task
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS
from tests.notifications.push_service import push_service
from tests.notifications.worker import smtp_worker

pytestmark = [pytest.mark.worker, pytest.mark.real_delivery]


def test_a_worker_pushes_a_notification_once_when_its_task_runs_twice(
    committed_db, tmp_path: Path, monkeypatch
):
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    tag = uuid.uuid4().hex[:6]
    parent = User.objects.create(login=f"push{tag}", email="", first_name="Inès", language="fr")
    Membership.objects.create(user=parent, establishment=school, role=Role.GUARDIAN)
    queued: list[tuple[int, str]] = []
    monkeypatch.setattr(
        store, "delivery_enqueue", lambda **kw: queued.append((kw["notification_id"], kw["schema"]))
    )
    try:
        with (
            push_service(settings.WEB_PUSH["VAPID_PUBLIC_KEY"]) as service,
            MailCatcher(tmp_path / "mail") as catcher,
            smtp_worker(catcher) as queue,
        ):
            device = service.device().subscription()
            PushSubscription.objects.create(
                user=parent, endpoint=device["endpoint"], **device["keys"], device="Chrome — Android"
            )
            with transaction.atomic():
                notify(
                    actor=None,
                    type="homework",
                    recipients=[parent.pk],
                    title="Devoir de mathématiques pour jeudi",
                    link="/homework/",
                    establishment=school,
                )
            [(notification_id, schema)] = queued
            results = [
                notification_deliver_task.apply_async(
                    (notification_id,), headers={"_schema_name": schema}, queue=queue
                )
                for _twice in range(2)
            ]
            assert sorted(result.get(timeout=120) for result in results) == [0, 1]
            [push] = service.received
            assert service.refused == []
            assert push["payload"]["title"] == "Collège Alpha: Devoir de mathématiques pour jeudi"
            assert push["payload"]["url"].endswith("/homework/")
    finally:
        with schema_context(school.schema_name):
            Notification.objects.filter(recipients__user_id=parent.pk).delete()
        connection.set_schema_to_public()
        User.objects.filter(pk=parent.pk).delete()
