"""What is cached across requests (docs/performance.md) is forgotten on the very next request
when it changes: a role removed, a membership ended, an account deactivated, an establishment
suspended. The changes below go through the services; "another process" is simulated by
leaving this process's own entries in place and moving only the shared generation, as a bump
made by another web process or a Celery worker would."""

from __future__ import annotations

from django.core.cache import caches
from django.db import connection

from mbn_platform.kernel.generations import ESTABLISHMENTS, generations_forget_held, users_changed
from shared_apps.identity.models import Membership, MembershipStatus
from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_end, membership_grant
from tenants.middleware import domain_cache
from tenants.models import Establishment, EstablishmentStatus
from tenants.provisioning.lifecycle import establishment_set_status
from tests.conftest import client_for
from tests.factories import member


def test_a_role_removed_takes_effect_on_the_next_request(school_a):
    head = member(school_a, Role.TEACHER)
    membership_grant(actor=None, user=head, establishment=school_a, role=Role.HEAD)
    client = client_for(head, school_a)
    assert client.get("/members/").status_code == 200
    assert client.get("/members/").status_code == 200  # now answered from the caches

    membership_end(actor=None, user=head, establishment=school_a, role=Role.HEAD)

    assert client.get("/members/").status_code == 403
    assert client.get("/").status_code == 200  # still a teacher here
    assert "Members and roles" not in client.get("/").content.decode()


def test_a_membership_ended_refuses_the_establishment_at_once(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a)
    assert client.get("/").status_code == 200
    assert client.get("/ping").status_code == 200

    membership_end(actor=None, user=student, establishment=school_a, role=Role.STUDENT)

    assert client.get("/").status_code == 403
    assert client.get("/timetable/").status_code == 403


def test_a_change_made_elsewhere_is_seen_through_the_generation_only(school_a):
    """A bulk update (no signal, no local clearing): only the generation moves, as when another
    process changes the rows; this process's entries of the old generation are not used."""
    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a)
    assert client.get("/").status_code == 200
    Membership.objects.filter(user=student, establishment=school_a).update(status=MembershipStatus.DEPARTED)
    assert client.get("/").status_code == 200  # no bump yet: the cached access still holds

    users_changed([student.pk])

    assert client.get("/").status_code == 403


def test_a_role_ended_by_another_process_is_seen_within_the_second(school_a):
    """Another process ends the membership: its bump reaches Redis; this process keeps the
    person's number it read for a second (``MBN_PEOPLE_HOLD_SECONDS``), then reads the new one."""
    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a)
    assert client.get("/").status_code == 200
    Membership.objects.filter(user=student, establishment=school_a).update(status=MembershipStatus.DEPARTED)
    caches["platform"].incr(f"gen:user:{student.pk}")  # the other process's bump, as it reaches Redis
    assert client.get("/").status_code == 200  # this process holds the number it read for a second
    generations_forget_held()  # ... the second has passed
    assert client.get("/").status_code == 403


def test_a_deactivated_account_is_signed_out_on_the_next_request(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a)
    assert client.get("/ping").content == f"pong {student.pk}".encode()
    student.is_active = False
    student.save(update_fields=["is_active"])
    assert client.get("/ping").content == b"pong -"


def test_a_suspended_establishment_is_closed_on_the_next_request(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a)
    assert client.get("/").status_code == 200
    establishment_set_status(actor=None, establishment=school_a, status=EstablishmentStatus.SUSPENDED)
    assert client.get("/").status_code == 503
    establishment_set_status(actor=None, establishment=school_a, status=EstablishmentStatus.ACTIVE)
    assert client.get("/").status_code == 200


def test_a_suspension_by_another_process_is_seen_through_the_generation(school_a):
    student = member(school_a, Role.STUDENT)
    client = client_for(student, school_a)
    assert client.get("/").status_code == 200
    # Another process suspends: this process's host cache is not cleared, the generation moves.
    Establishment.objects.filter(pk=school_a.pk).update(status=EstablishmentStatus.SUSPENDED)
    assert client.get("/").status_code == 200
    caches["platform"].incr(f"gen:{ESTABLISHMENTS}")  # the other process's bump, as it reaches Redis
    assert client.get("/").status_code == 200  # this process holds the number it read for a second
    generations_forget_held()  # ... the second has passed
    assert client.get("/").status_code == 503
    connection.set_schema_to_public()
    assert domain_cache.get(school_a.domains.get(is_primary=True).domain)[0].status == "suspended"  # type: ignore[union-attr]


def test_the_switcher_follows_memberships_and_names(school_a, school_b):
    person = member(school_a, Role.TEACHER)
    client = client_for(person, school_a)
    assert school_b.name not in client.get("/").content.decode()
    membership_grant(actor=None, user=person, establishment=school_b, role=Role.GUARDIAN)
    assert school_b.name in client.get("/").content.decode()
    school_a.name = "Collège Alpha renommé"
    school_a.save(update_fields=["name"])
    assert "Collège Alpha renommé" in client.get("/").content.decode()
    membership_end(actor=None, user=person, establishment=school_b, role=Role.GUARDIAN)
    assert school_b.name not in client.get("/").content.decode()


def test_a_new_current_school_year_is_seen_at_once(school_a):
    import datetime

    from django_tenants.utils import schema_context

    from tenant_apps.structure.selectors import current_school_year
    from tenant_apps.structure.services.years import school_year_create

    with schema_context(school_a.schema_name):
        before = current_school_year()
        year = school_year_create(
            actor=None,
            name="2031-2032",
            start=datetime.date(2031, 9, 1),
            end=datetime.date(2032, 7, 3),
            is_current=True,
        )
        assert before is None or before.pk != year.pk
        assert current_school_year() == year


def test_a_period_changed_or_deleted_is_seen_at_once(school_a):
    import datetime

    from django_tenants.utils import schema_context

    from tenant_apps.structure.selectors import period_of, periods_of_year
    from tenant_apps.structure.services.years import (
        period_create,
        period_delete,
        period_update,
        school_year_create,
    )

    day = datetime.date(2031, 10, 6)
    with schema_context(school_a.schema_name):
        year = school_year_create(
            actor=None, name="2031-2032", start=datetime.date(2031, 9, 1), end=datetime.date(2032, 7, 3)
        )
        assert period_of(day) is None  # read, and cached
        t1 = period_create(
            actor=None,
            year=year,
            name="T1",
            kind="trimester",
            start=datetime.date(2031, 9, 1),
            end=datetime.date(2031, 11, 30),
        )
        assert period_of(day) == t1 and period_of(day).year.name == "2031-2032"
        period_update(
            actor=None, period=t1, name="T1", kind="trimester", start=datetime.date(2031, 9, 1), end=day
        )
        assert period_of(day + datetime.timedelta(days=1)) is None
        assert [p.end for p in periods_of_year(year)] == [day]
        period_delete(actor=None, period=t1)
        assert period_of(day) is None and periods_of_year(year) == []


def test_a_subject_coefficient_changed_is_seen_at_once(school_a):
    from decimal import Decimal

    from django_tenants.utils import schema_context

    from tenant_apps.grades.selectors import subject_coefficients
    from tenant_apps.grades.services import subject_coefficient_set
    from tenant_apps.structure.models import Subject

    head = member(school_a, Role.HEAD)
    with schema_context(school_a.schema_name):
        subject = Subject.objects.create(code="MATHS", name="Mathématiques")
        assert subject.pk not in subject_coefficients()  # read, and cached
        subject_coefficient_set(actor=head, subject=subject, coefficient=Decimal(3))
        assert subject_coefficients()[subject.pk] == Decimal(3)
        pk = subject.pk
        subject.delete()
        assert pk not in subject_coefficients()
