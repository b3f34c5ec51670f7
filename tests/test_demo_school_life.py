"""The demo's school life, seeded through the services into a session school: a timetable
imported without conflict, the region's calendar, discipline and desk records; seeding again
adds nothing."""

from __future__ import annotations

from django_tenants.utils import schema_context

from mbn_platform.demo.schoollife import demo_school_life
from shared_apps.identity.roles import Role
from shared_apps.schoolcalendar.models import RegionHoliday
from tenant_apps.discipline.models import Incident, Punishment, Sanction
from tenant_apps.school.models import SchoolClass
from tenant_apps.school.services import school_class_ensure
from tenant_apps.timetable.models import Lesson, TimetableImport
from tests.factories import member


def test_the_demo_school_life_is_built_and_idempotent(school_a):
    for role, first, last in (
        (Role.SCHOOL_LIFE, "Nadia", "Benali"),
        (Role.HEAD, "Hélène", "Vogel"),
        (Role.TEACHER, "Sophie", "Lang"),
        (Role.TEACHER, "Olivier", "Frey"),
        (Role.TEACHER, "Julie", "Arnold"),
        (Role.TEACHER, "Karim", "Haddad"),
        (Role.TEACHER, "Anne", "Marchal"),
    ):
        member(school_a, role, first_name=first, last_name=last)
    for class_name in ("6e A", "5e A"):
        with schema_context(school_a.schema_name):
            school_class_ensure(name=class_name, level=class_name[:2])
        for _ in range(3):
            member(school_a, Role.STUDENT, class_name=class_name)
    demo_school_life(school_a)
    with schema_context(school_a.schema_name):
        imp = TimetableImport.objects.get()
        assert imp.errors == [] and imp.plan["counts"]["conflicts"] == 0, imp.plan["conflicts"]
        classes = SchoolClass.objects.filter(students__isnull=False).distinct().count()
        assert Lesson.objects.count() == 15 * classes >= 30
        assert (
            Incident.objects.count() == 1
            and Punishment.objects.count() == 2
            and Sanction.objects.count() == 1
        )
    counts = RegionHoliday.objects.count()
    assert counts >= 10
    demo_school_life(school_a)
    assert RegionHoliday.objects.count() == counts
    with schema_context(school_a.schema_name):
        assert TimetableImport.objects.count() == 1 and Incident.objects.count() == 1
