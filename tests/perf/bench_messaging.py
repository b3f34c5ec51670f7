"""Messaging at an establishment's scale (issue 17): one message to every guardian of a
1,200-student establishment (~2,000 recipients: 40 classes of 30, two guardians for two children
in three), against one message to one person measured in the same run; and the inbox of a
recipient with 1,000 threads, against an inbox of 10. Prints the times and the SQL query counts
(asserted bounded: the same whatever the number of recipients or threads). Not a timed test.

``MBN_BENCH_MESSAGING_STUDENTS`` sets the size (1,200 by default)."""

from __future__ import annotations

import os
import statistics
import time

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.identity.models import GuardianLink, User
from shared_apps.identity.roles import Role
from tenant_apps.messaging.audiences import Audience
from tenant_apps.messaging.models import Message, Participant, Thread
from tenant_apps.messaging.services import thread_start
from tenant_apps.school.models import Member, SchoolClass
from tests.conftest import client_for
from tests.factories import member

pytestmark = pytest.mark.perf

STUDENTS = int(os.environ.get("MBN_BENCH_MESSAGING_STUDENTS", "1200"))
CLASS_SIZE = 30
THREADS = 1000
ROUNDS = 5


def _users(prefix: str, count: int) -> list[User]:
    password = make_password(None)
    User.objects.bulk_create(
        [
            User(login=f"{prefix}{n}", first_name="P", last_name=f"{prefix}{n}", password=password)
            for n in range(count)
        ],
        batch_size=1000,
    )
    return list(User.objects.filter(login__startswith=prefix).order_by("pk"))


def _establishment(school) -> list[SchoolClass]:
    """40 classes of 30 students; a guardian for each child, one in three shared with a sibling."""
    students = _users("bstu", STUDENTS)
    guardians = _users("bgua", STUDENTS * 5 // 3)
    links = []
    used = 0
    for n, student in enumerate(students):
        links.append(GuardianLink(guardian=guardians[used], child=student))
        used += 1
        if n % 3 != 0:  # two guardians for two children in three
            links.append(GuardianLink(guardian=guardians[used % len(guardians)], child=student))
            used += 1
    GuardianLink.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    with schema_context(school.schema_name):
        classes = SchoolClass.objects.bulk_create(
            [SchoolClass(name=f"B{n}", level="Bench") for n in range(STUDENTS // CLASS_SIZE)]
        )
        Member.objects.bulk_create(
            [
                Member(
                    user_id=s.pk,
                    display_name=s.last_name,
                    roles=[Role.STUDENT],
                    school_class=classes[n // CLASS_SIZE],
                )
                for n, s in enumerate(students)
            ]
            + [Member(user_id=g.pk, display_name=g.last_name, roles=[Role.GUARDIAN]) for g in guardians],
            batch_size=1000,
        )
    return classes


def _measure(fn) -> tuple[float, int]:
    seconds = []
    queries = 0
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            seconds.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
    return statistics.median(seconds), queries


def test_one_message_to_every_guardian(school_a, bench_report):
    head = member(school_a, Role.HEAD)
    teacher = member(school_a, Role.TEACHER)
    classes = _establishment(school_a)
    with schema_context(school_a.schema_name):
        one = [Member.objects.get(user_id=teacher.pk)]
        every_class = [Audience("guardians", c) for c in classes]
        base_s, base_q = _measure(
            lambda: thread_start(actor=head, subject="Info", body="Bonjour", recipients=one)
        )
        big_s, big_q = _measure(
            lambda: thread_start(
                actor=head, subject="Rentrée", body="La rentrée est lundi.", audiences=every_class
            )
        )
        recipients = Participant.objects.filter(thread=Thread.objects.latest("pk")).count() - 1
    bench_report(
        f"messaging: one message to {recipients} guardians ({STUDENTS} students): {big_s * 1000:.0f} ms, "
        f"{big_q} queries; to one person: {base_s * 1000:.1f} ms, {base_q} queries "
        f"(time x{big_s / base_s:.1f} for x{recipients} recipients)"
    )
    assert recipients >= STUDENTS
    assert big_q <= base_q + 5, (big_q, base_q)  # not one query per recipient


def test_the_inbox_of_a_recipient_with_1000_threads(school_a, bench_report):
    sender = member(school_a, Role.HEAD)
    few_reader, many_reader = member(school_a, Role.GUARDIAN), member(school_a, Role.GUARDIAN)
    with schema_context(school_a.schema_name):
        author = Member.objects.get(user_id=sender.pk)
        for reader, count in ((few_reader, 10), (many_reader, THREADS)):
            mine = Member.objects.get(user_id=reader.pk)
            now = timezone.now()
            threads = Thread.objects.bulk_create(
                [Thread(subject=f"Message {n}", started_by=author, last_message_at=now) for n in range(count)]
            )
            Message.objects.bulk_create(
                [Message(thread=t, author=author, body="Bonjour", created_at=now) for t in threads]
            )
            Participant.objects.bulk_create(
                [Participant(thread=t, member=author, last_sent_at=now) for t in threads]
                + [Participant(thread=t, member=mine, last_incoming_at=now) for t in threads]
            )
    results = {}
    for reader in (few_reader, many_reader):
        client = client_for(reader, school_a)
        client.get("/messages/")
        results[reader.pk] = _measure(lambda c=client: c.get("/messages/"))
    (few_s, few_q), (many_s, many_q) = results[few_reader.pk], results[many_reader.pk]
    bench_report(
        f"messaging: inbox page with {THREADS} threads: {many_s * 1000:.1f} ms, {many_q} queries; with 10: "
        f"{few_s * 1000:.1f} ms, {few_q} queries (time x{many_s / few_s:.2f})"
    )
    assert many_q == few_q
