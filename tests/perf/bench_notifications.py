"""Notification benchmark (issue 15): one event addressed to every guardian of a 1,200-student
establishment (~2,000 people; MBN_BENCH_NOTIFY_RECIPIENTS, a sample in `make test`).

1. ``notify`` itself (what the caller's transaction pays): time and SQL queries, which must not
   grow with the recipients (a fixed number: no query per person).
2. A real Celery worker delivers every e-mail to the local SMTP server (the mail catcher): the
   time until the last one is caught, against a baseline measured in the same run: the same
   number of plain e-mails handed to the same server by Django over one connection.
3. The daily digest of that establishment for the same people (one e-mail each): time and
   queries (bounded, a fixed number whatever the people), against the same baseline.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from shared_apps.identity.models import Membership, User
from shared_apps.identity.roles import Role
from shared_apps.notifications.mailcatcher import MailCatcher
from shared_apps.notify.service import notify
from shared_apps.notify.text import Text
from tenant_apps.notifications import store
from tenant_apps.notifications.digest import digest_run
from tenant_apps.notifications.models import Notification
from tenants.models import Establishment
from tests.conftest import SESSION_SCHOOLS
from tests.notifications.worker import smtp_worker

pytestmark = pytest.mark.perf
RECIPIENTS = int(os.environ.get("MBN_BENCH_NOTIFY_RECIPIENTS", "2000"))
MAX_NOTIFY_QUERIES = 12  # transaction and savepoints included; the recipients in one insert
MAX_DIGEST_QUERIES = 20  # per establishment: claim and settle; people: three reads in all


@pytest.fixture
def catcher(tmp_path: Path, settings: Any) -> Iterator[MailCatcher]:
    with MailCatcher(tmp_path / "mail") as caught:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = caught.host, caught.port, False
        settings.NOTIFICATIONS_QUIET_HOURS = ("00:00", "00:00")
        yield caught


@pytest.fixture
def mail_worker(committed_db: None, catcher: MailCatcher) -> Iterator[str]:
    """A Celery worker of its own, sending to the catcher."""
    with smtp_worker(catcher) as queue:
        yield queue


def _guardians(school: Establishment, count: int) -> list[int]:
    tag = uuid.uuid4().hex[:6]
    users = User.objects.bulk_create(
        [
            User(
                login=f"bn{tag}{n}",
                email=f"guardian{n}.{tag}@example.org",
                first_name="Parent",
                last_name=str(n),
            )
            for n in range(count)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, establishment=school, role=Role.GUARDIAN) for user in users]
    )
    return [user.pk for user in users]


def _baseline(catcher: MailCatcher, count: int) -> float:
    """Plain e-mails to the same SMTP server, one connection: what sending itself costs."""
    messages = [EmailMessage("Baseline", "Hello", to=[f"baseline{n}@example.org"]) for n in range(count)]
    start = time.perf_counter()
    get_connection().send_messages(messages)
    return time.perf_counter() - start


def test_one_event_to_every_guardian_of_a_large_school(mail_worker, catcher, bench_report, monkeypatch):
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    people = _guardians(school, RECIPIENTS)
    results: list[Any] = []

    def enqueue(*, notification_id: int, schema: str) -> None:
        from tenant_apps.notifications.tasks import notification_deliver_task

        results.append(
            notification_deliver_task.apply_async(
                (notification_id,), headers={"_schema_name": schema}, queue=mail_worker
            )
        )

    monkeypatch.setattr(store, "delivery_enqueue", enqueue)
    try:
        baseline = _baseline(catcher, RECIPIENTS)
        for message in catcher.folder.glob("*.eml"):
            message.unlink()
        title = Text("The school is closed on Friday %(day)s", day="12")
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            with transaction.atomic():
                notify(
                    actor=None,
                    type="administration",
                    recipients=people,
                    title=title,
                    establishment=school,
                    urgent=True,
                )
            enqueued = time.perf_counter() - start
        assert len(queries) <= MAX_NOTIFY_QUERIES, [q["sql"][:80] for q in queries.captured_queries]
        [result] = results
        result.get(timeout=1800)
        delivered = time.perf_counter() - start
        caught = len(list(catcher.folder.glob("*.eml")))
        assert caught == RECIPIENTS
        bench_report(
            f"notify to {RECIPIENTS} guardians: enqueue {enqueued * 1000:.0f} ms in {len(queries)} queries; "
            f"one worker delivered every e-mail to the SMTP server in {delivered:.1f} s "
            f"({delivered / baseline:.1f}x plain SMTP sending of as many e-mails, {baseline:.1f} s)"
        )

        # The digest of the day for the same people (families: one e-mail each).
        with transaction.atomic():
            notify(
                actor=None,
                type="homework",
                recipients=people,
                title="Homework for Monday",
                establishment=school,
            )
        [_first, second] = results
        second.get(timeout=1800)
        for message in catcher.folder.glob("*.eml"):
            message.unlink()
        with CaptureQueriesContext(connection) as digest_queries:
            start = time.perf_counter()
            sent = digest_run(establishments=[school])
            digest_seconds = time.perf_counter() - start
        assert sent == RECIPIENTS
        assert len(digest_queries) <= MAX_DIGEST_QUERIES, len(digest_queries)
        bench_report(
            f"daily digest of that school for {RECIPIENTS} people: {digest_seconds:.1f} s in "
            f"{len(digest_queries)} queries ({digest_seconds / baseline:.1f}x plain SMTP sending)"
        )
    finally:
        with schema_context(school.schema_name):
            Notification.objects.filter(recipients__user_id__in=people[:1]).delete()
        connection.set_schema_to_public()
        User.objects.filter(pk__in=people).delete()
