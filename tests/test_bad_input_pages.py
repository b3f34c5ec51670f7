"""Bad input on the structure, timetable and attendance pages and APIs is answered, never a 500:
unknown ids, malformed query parameters, empty and malformed form posts."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern

from shared_apps.identity.roles import Role
from tenant_apps.attendance import urls as attendance_urls
from tenant_apps.structure import urls as structure_urls
from tenant_apps.timetable import urls as timetable_urls
from tests.conftest import client_for
from tests.factories import member

GARBAGE = {
    "date": "31/02",
    "period": "x",
    "class": "y",
    "child": "z",
    "from": "q",
    "to": "r",
    "year": "s",
    "teacher": "t",
    "room": "u",
    "group": "v",
    "status": "w",
    "start": "a",
    "end": "b",
    "back": "//evil.example/",
}


#: ``<int:pk>`` routes name their kind by the folder before the id (``structure/rooms/<pk>/``).
PK_KINDS = {
    "years": "year_id",
    "periods": "period_id",
    "subjects": "subject_id",
    "rooms": "room_id",
    "classes": "class_id",
    "groups": "group_id",
    "assignments": "assignment_id",
}


def _paths(patterns: list[URLPattern], prefix: str, ids: dict[str, int], day: str) -> list[str]:
    """Every route, its ids filled from ``ids`` (unknown kinds and ``ids`` empty: 999999)."""

    def fill(match: re.Match[str], route: str) -> str:
        name = match.group(1)
        if name == "pk":
            folder = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
            name = PK_KINDS.get(folder, name)
        return str(ids.get(name, 999999))

    paths = []
    for pattern in patterns:
        route = str(pattern.pattern)
        route = re.sub(r"<int:([a-z_]+)>", lambda m, r=route: fill(m, r), route)  # type: ignore[misc]
        route = re.sub(r"<str:day>", day, route)
        route = re.sub(r"<str:[^>]+>", "nope", route)
        paths.append(prefix + route)
    return paths


PAGE_PATTERNS = [
    *structure_urls.page_urlpatterns,
    *timetable_urls.page_urlpatterns,
    *attendance_urls.page_urlpatterns,
]
API_PATTERNS = [
    *structure_urls.api_urlpatterns,
    *timetable_urls.api_urlpatterns,
    *attendance_urls.api_urlpatterns,
]


def _real_ids(school_a) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Ids of real objects of school A (a small school, its lesson, holiday, exceptional lesson…)."""
    import datetime

    from django_tenants.utils import schema_context

    from tenant_apps.structure.services import period_create, teaching_assignment_create
    from tenant_apps.timetable.services import exceptional_lesson_create, holiday_create
    from tests.timetable.helpers import make_school, t

    school = make_school(school_a, prefix="BAD")
    lesson = school.lesson()
    with schema_context(school_a.schema_name):
        teacher = school.m(school.teacher)
        period = period_create(
            actor=None,
            year=school.year,
            name="T1",
            kind="trimester",
            start=datetime.date(2026, 9, 1),
            end=datetime.date(2026, 11, 30),
        )
        assignment = teaching_assignment_create(
            actor=None, teacher=teacher, subject=school.math, school_class=school.school_class
        )
        holiday = holiday_create(
            actor=None, name="Noël", start=datetime.date(2026, 12, 19), end=datetime.date(2027, 1, 3)
        )
        exceptional = exceptional_lesson_create(
            actor=None,
            date=datetime.date(2026, 9, 16),
            start_time=t("14:00"),
            end_time=t("15:00"),
            subject=school.math,
            teacher=teacher,
            school_class=school.school_class,
        )
    return {
        "lesson_id": lesson.pk,
        "exceptional_id": exceptional.pk,
        "holiday_id": holiday.pk,
        "class_id": school.school_class.pk,
        "group_id": school.group.pk,
        "room_id": school.room.pk,
        "subject_id": school.math.pk,
        "year_id": school.year.pk,
        "period_id": period.pk,
        "assignment_id": assignment.pk,
        "user_id": school.students[0].pk,
    }


@pytest.mark.parametrize("role", [Role.ESTABLISHMENT_ADMIN, Role.SCHOOL_LIFE, Role.TEACHER, Role.GUARDIAN])
def test_no_page_answers_a_500_to_bad_input(school_a, role):
    client = client_for(member(school_a, role), school_a)
    real = _paths(PAGE_PATTERNS, "/", _real_ids(school_a), "2026-09-14")  # a Monday of its lesson
    for path in [*_paths(PAGE_PATTERNS, "/", {}, "2026-13-45"), *real]:
        assert client.get(path, GARBAGE).status_code < 500, path
        assert client.post(path, {}).status_code < 500, path
        assert client.post(path, GARBAGE).status_code < 500, path


@pytest.mark.parametrize("role", [Role.ESTABLISHMENT_ADMIN, Role.SCHOOL_LIFE])
def test_no_api_answers_a_500_to_bad_input(school_a, role):
    client = client_for(member(school_a, role), school_a, api=True)
    real = _paths(API_PATTERNS, "/api/v1/", _real_ids(school_a), "2026-09-14")
    for path in [*_paths(API_PATTERNS, "/api/v1/", {}, "2026-13-45"), *real]:
        assert client.get(path, GARBAGE).status_code < 500, path
        for method in (client.post, client.patch, client.put):
            assert method(path, GARBAGE, format="json").status_code < 500, path
            assert method(path, {"date": None, "name": ["x"]}, format="json").status_code < 500, path
