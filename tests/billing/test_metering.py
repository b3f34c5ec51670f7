"""The daily metering: accounts by role, active users from the sessions (a person with two
roles counted once), sign-ins, storage; idempotent; a missed day caught up; records immutable."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shared_apps.billing.metering import metering_catch_up, metering_day_record
from shared_apps.billing.models import RecordIsImmutable, UsageDay
from shared_apps.identity.roles import Role
from tests.billing.helpers import at, establishment, funder, person, session

# The latest Wednesday that is over: its Monday is two days before, its eve a Tuesday.
DAY = timezone.localdate() - datetime.timedelta(days=(timezone.localdate().weekday() - 2) % 7 or 7)
MONDAY = DAY - datetime.timedelta(days=2)


@pytest.fixture
def region(db):
    """Two establishments: a teacher of both, students and a guardian, sessions around DAY."""
    payer = funder()
    alpha, beta = establishment(payer, name="Alpha"), establishment(payer, name="Beta")
    since = DAY - datetime.timedelta(days=30)
    teacher = person((alpha, Role.TEACHER), (beta, Role.TEACHER), since=since)
    student = person((alpha, Role.STUDENT), since=since)
    parent_and_teacher = person((alpha, Role.GUARDIAN), (alpha, Role.TEACHER), since=since)
    idle = person((alpha, Role.STUDENT), since=since)
    # Sessions: the teacher signs in twice on DAY; the student's session of the eve lasts into DAY;
    # the parent was active earlier in the week only; the idle student never.
    session(teacher, at(DAY, 8), at(DAY, 9))
    session(teacher, at(DAY, 14), at(DAY, 15))
    session(student, at(DAY - datetime.timedelta(days=1), 22), at(DAY, 0, 30))
    session(parent_and_teacher, at(MONDAY, 9), at(MONDAY, 10))
    return {"alpha": alpha, "beta": beta, "idle": idle}


def test_a_day_is_recorded_per_establishment_with_a_fixed_number_of_queries(region):
    with CaptureQueriesContext(connection) as queries:
        written = metering_day_record(actor=None, day=DAY)

    assert written >= 2
    alpha = UsageDay.objects.get(establishment_id=region["alpha"].pk, day=DAY)
    assert alpha.accounts_by_role == {"teacher": 2, "student": 2, "guardian": 1}
    assert alpha.accounts == 5
    assert alpha.active_by_role == {"teacher": 1, "student": 1}
    assert alpha.active == 2
    assert alpha.sign_ins == 2  # sessions opened during the day (the student's opened the eve)
    # From the Monday: the parent (also a teacher) counts once per role.
    assert alpha.active_week_by_role == {"teacher": 2, "student": 1, "guardian": 1}
    beta = UsageDay.objects.get(establishment_id=region["beta"].pk, day=DAY)
    assert (beta.accounts, beta.active, beta.active_by_role) == (1, 1, {"teacher": 1})
    # Bounded whatever the number of establishments and people (no query per person).
    assert len(queries) <= 10


def test_a_person_with_two_roles_counts_once_in_the_totals(region):
    metering_day_record(actor=None, day=MONDAY)
    record = UsageDay.objects.get(establishment_id=region["alpha"].pk, day=MONDAY)
    assert record.active_by_role == {"teacher": 1, "guardian": 1}
    assert record.active == 1
    assert record.sign_ins == 1


def test_running_a_day_again_changes_nothing(region):
    metering_day_record(actor=None, day=DAY)
    before = list(UsageDay.objects.filter(day=DAY).values_list("pk", "active", "accounts", "recorded_at"))

    assert metering_day_record(actor=None, day=DAY) == 0

    assert (
        list(UsageDay.objects.filter(day=DAY).values_list("pk", "active", "accounts", "recorded_at"))
        == before
    )


def test_a_missed_day_is_caught_up(region):
    # Given the metering ran on DAY - 2, then missed a day
    first = DAY - datetime.timedelta(days=2)
    metering_day_record(actor=None, day=first)
    # When it runs up to DAY
    recorded = metering_catch_up(actor=None, until=DAY)
    # Then the day missed and DAY are recorded, once each
    assert recorded == [first + datetime.timedelta(days=1), DAY]
    days = set(UsageDay.objects.filter(establishment_id=region["alpha"].pk).values_list("day", flat=True))
    assert days == {first, first + datetime.timedelta(days=1), DAY}
    assert metering_catch_up(actor=None, until=DAY) == []


def test_today_cannot_be_metered(db):
    with pytest.raises(ValueError, match="over"):
        metering_day_record(actor=None, day=timezone.localdate())


def test_usage_records_are_immutable_in_the_orm_and_in_the_database(region):
    metering_day_record(actor=None, day=DAY)
    record = UsageDay.objects.get(establishment_id=region["alpha"].pk, day=DAY)
    record.active = 99
    with pytest.raises(RecordIsImmutable):
        record.save()
    with pytest.raises(RecordIsImmutable):
        UsageDay.objects.filter(pk=record.pk).update(active=99)
    with pytest.raises(RecordIsImmutable):
        record.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE billing_usageday SET active = 99 WHERE id = %s", [record.pk])
    assert UsageDay.objects.get(pk=record.pk).active == 2
