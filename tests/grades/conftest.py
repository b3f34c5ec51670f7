from __future__ import annotations

import datetime

import pytest
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.structure.services import period_create
from tests.factories import member
from tests.timetable.helpers import School, make_school

T1 = (datetime.date(2026, 8, 31), datetime.date(2026, 11, 29))
T2 = (datetime.date(2026, 11, 30), datetime.date(2027, 3, 7))


@pytest.fixture
def school(school_a) -> School:
    school = make_school(school_a)
    school.lesson()  # the teacher teaches the class mathematics; the other teacher teaches nothing
    school.lesson(subject=school.english, group=school.group, weekday=1)
    school.extra["head"] = member(school_a, Role.HEAD)
    with schema_context(school_a.schema_name):
        school.extra["t1"] = period_create(
            actor=None, year=school.year, name="T1", kind="trimester", start=T1[0], end=T1[1]
        )
        school.extra["t2"] = period_create(
            actor=None, year=school.year, name="T2", kind="trimester", start=T2[0], end=T2[1]
        )
    return school
