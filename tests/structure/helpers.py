"""What the structure tests share: objects of each kind in the small school of tests/timetable/helpers.py."""

from __future__ import annotations

import datetime
from typing import Any

from django_tenants.utils import schema_context

from tenant_apps.structure.models import (
    Period,
    SchoolYear,
    TeachingAssignment,
)
from tenant_apps.structure.services import (
    period_create,
    school_year_create,
    teaching_assignment_create,
)
from tenants.models import Establishment
from tests.timetable.helpers import School

API = "/api/v1/structure"


def in_school(school: School, query: Any) -> Any:
    return in_schema(school.establishment, query)


def in_schema(establishment: Establishment, query: Any) -> Any:
    with schema_context(establishment.schema_name):
        return query()


def the_next_year(school: School) -> SchoolYear:
    return in_school(
        school,
        lambda: school_year_create(
            actor=None, name="T2027", start=datetime.date(2027, 8, 30), end=datetime.date(2028, 7, 1)
        ),
    )


def an_assignment(school: School) -> TeachingAssignment:
    return in_school(
        school,
        lambda: teaching_assignment_create(
            actor=None,
            teacher=school.m(school.teacher),
            subject=school.english,
            school_class=school.school_class,
        ),
    )


def a_period(school: School) -> Period:
    return in_school(
        school,
        lambda: period_create(
            actor=None,
            year=school.year,
            name="T1",
            kind="trimester",
            start=datetime.date(2026, 9, 1),
            end=datetime.date(2026, 11, 30),
        ),
    )


def one_of_each_kind(school: School) -> dict[str, int]:
    """One object of each kind (ids in the school's schema)."""
    return {
        "years": school.year.pk,
        "periods": a_period(school).pk,
        "subjects": school.math.pk,
        "rooms": school.room.pk,
        "classes": school.school_class.pk,
        "groups": school.group.pk,
        "assignments": an_assignment(school).pk,
    }
