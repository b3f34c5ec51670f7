from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tests.factories import member
from tests.timetable.helpers import School, make_school


@pytest.fixture
def school(school_a) -> School:
    """The class's teachers: ``teacher`` (mathematics, Monday) and ``other_teacher`` (English,
    Tuesday); ``guardian`` is the first student's; a head organises."""
    school = make_school(school_a)
    school.lesson()
    school.lesson(teacher=school.other_teacher, subject=school.english, weekday=1)
    school.extra["head"] = member(school_a, Role.HEAD)
    with schema_context(school_a.schema_name):
        school.extra["child"] = school.m(school.students[0])
    return school
