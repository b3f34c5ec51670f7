"""A real Celery worker delivers a notification once, even when its task is queued twice."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context

from shared_apps.identity.models import Membership, User
from shared_apps.identity.roles import Role
from shared_apps.notifications.mailcatcher import MailCatcher
from shared_apps.notify.service import notify
from tenant_apps.notifications import store
from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.tasks import notification_deliver_task
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS
from tests.notifications.worker import smtp_worker

pytestmark = [pytest.mark.worker, pytest.mark.real_delivery]


def test_an_event_is_delivered_once_when_its_task_runs_twice(committed_db, tmp_path: Path, monkeypatch):
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    tag = uuid.uuid4().hex[:6]
    people = User.objects.bulk_create(
        [User(login=f"w{tag}{n}", email=f"w{n}.{tag}@example.org", first_name="T") for n in range(3)]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, establishment=school, role=Role.TEACHER) for u in people]
    )
    queued: list[tuple[int, str]] = []
    monkeypatch.setattr(
        store, "delivery_enqueue", lambda **kw: queued.append((kw["notification_id"], kw["schema"]))
    )
    try:
        with MailCatcher(tmp_path / "mail") as catcher, smtp_worker(catcher) as queue:
            with transaction.atomic():
                notify(
                    actor=None,
                    type="lesson_change",
                    recipients=[u.pk for u in people],
                    title="Moved",
                    establishment=school,
                )
            [(notification_id, schema)] = queued
            results = [
                notification_deliver_task.apply_async(
                    (notification_id,), headers={"_schema_name": schema}, queue=queue
                )
                for _twice in range(2)
            ]
            assert sorted(result.get(timeout=120) for result in results) == [0, 3]
            assert sorted(m.to for m in catcher.messages()) == sorted(u.email for u in people)
    finally:
        with schema_context(school.schema_name):
            Notification.objects.filter(recipients__user_id=people[0].pk).delete()
        connection.set_schema_to_public()
        User.objects.filter(pk__in=[u.pk for u in people]).delete()
