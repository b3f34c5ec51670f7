"""The beat's task publishes due news in the real Celery worker, in each establishment's schema,
and a second delivery of it changes nothing (the worker is another process: this test commits its
data, uniquely named, and removes it)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.news.models import NewsItem, NewsState
from tenant_apps.news.tasks import news_tick_task
from tenant_apps.notifications.models import Notification
from tenant_apps.school.models import Member
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS

pytestmark = pytest.mark.worker

TITLE = "WNEWS tick"
FAKE_USER_IDS = [9_200_000_001, 9_200_000_002]


def _cleanup() -> None:
    items = NewsItem.objects.filter(title=TITLE)
    Notification.objects.filter(
        source__in=[f"news:{pk}" for pk in items.values_list("pk", flat=True)]
    ).delete()
    items.delete()
    Member.objects.filter(user_id__in=FAKE_USER_IDS).delete()


def test_the_worker_publishes_due_news_once(celery_queue, django_db_blocker):
    with django_db_blocker.unblock():
        school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
        try:
            with schema_context(school.schema_name):
                _cleanup()
                head = Member.objects.create(
                    user_id=FAKE_USER_IDS[0], display_name="Direction W", roles=[Role.HEAD]
                )
                Member.objects.create(user_id=FAKE_USER_IDS[1], display_name="Élève W", roles=[Role.STUDENT])
                item = NewsItem.objects.create(
                    title=TITLE,
                    visibility="members",
                    state=NewsState.SCHEDULED,
                    publish_at=timezone.now() - datetime.timedelta(minutes=1),
                    author=head,
                )
            connection.set_schema_to_public()
            assert news_tick_task.apply_async(queue=celery_queue).get(timeout=60) >= 1
            assert news_tick_task.apply_async(queue=celery_queue).get(timeout=60) == 0  # delivered again
            with schema_context(school.schema_name):
                item.refresh_from_db()
                assert item.state == NewsState.PUBLISHED and item.notified_at is not None
                (told,) = Notification.objects.filter(source=f"news:{item.pk}")
                assert FAKE_USER_IDS[1] in set(told.recipients.values_list("user_id", flat=True))
        finally:
            connection.set_schema_to_public()
            with schema_context(school.schema_name):
                _cleanup()
