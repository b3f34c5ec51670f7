"""Every endpoint of the structure, timetable and attendance, called across establishments: a
person of school A on school B's host is refused (not a member); school B's staff, with every
role, asking for school A's objects get 404 (no existence leak)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from shared_apps.identity.services import membership_grant
from tenant_apps.attendance.models import AttendanceMark, Justification
from tenant_apps.timetable.services import exceptional_lesson_create
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import WEEK_A, School


@pytest.fixture
def objects(school: School) -> dict[str, int]:
    lesson = school.lesson()
    client_for(school.teacher, school.establishment, api=True).post(
        f"/api/v1/attendance/registers/{lesson.pk}/{WEEK_A.isoformat()}/",
        {"marks": []},
        format="json",
    )
    client_for(school.guardian, school.establishment, api=True).post(
        "/api/v1/attendance/justifications/",
        {
            "child": school.students[0].pk,
            "start": "2026-09-14",
            "end": "2026-09-14",
            "reason": "illness",
            "attachment": SimpleUploadedFile("n.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        },
    )
    with schema_context(school.establishment.schema_name):
        exceptional = exceptional_lesson_create(
            actor=None,
            date=WEEK_A,
            start_time=datetime.time(15),
            end_time=datetime.time(16),
            subject=school.math,
            teacher=school.m(school.teacher),
            school_class=school.school_class,
        )
        return {
            "exceptional": exceptional.pk,
            "lesson": lesson.pk,
            "class": school.school_class.pk,
            "room": school.room.pk,
            "group": school.group.pk,
            "mark": AttendanceMark.objects.filter(register__lesson=lesson).first().pk,
            "justification": Justification.objects.get().pk,
            "student": school.students[0].pk,
            "year": school.year.pk,
        }


OBJECT_ENDPOINTS = [
    ("get", "/api/v1/timetable/classes/{class}/week/", None),
    ("get", "/api/v1/timetable/rooms/{room}/week/", None),
    ("post", "/api/v1/timetable/lessons/{lesson}/changes/", {"date": "2026-09-14", "cancelled": True}),
    ("get", "/api/v1/attendance/registers/{lesson}/2026-09-14/", None),
    ("post", "/api/v1/attendance/registers/{lesson}/2026-09-14/", {"marks": []}),
    ("patch", "/api/v1/attendance/marks/{mark}/", {"status": "present"}),
    ("post", "/api/v1/attendance/justifications/{justification}/decision/", {"accept": True}),
    ("get", "/api/v1/attendance/students/{student}/statistics/", None),
    ("get", "/api/v1/attendance/classes/{class}/statistics/", None),
    ("put", "/api/v1/structure/groups/{group}/members/", {"member_ids": []}),
    ("get", "/attendance/register/{lesson}/2026-09-14/", None),
    ("get", "/api/v1/attendance/registers/exceptional/{exceptional}/", None),
    ("post", "/api/v1/attendance/registers/exceptional/{exceptional}/", {"marks": []}),
    ("get", "/attendance/register/exceptional/{exceptional}/", None),
    ("get", "/attendance/justifications/{justification}/attachment/", None),
    ("get", "/attendance/students/{student}/", None),
    ("get", "/attendance/statistics/?class={class}", None),
    ("get", "/attendance/lateness/?class={class}", None),
    ("get", "/attendance/lateness/?class={class}&student={student}", None),
    ("post", "/api/v1/attendance/late-arrivals/", {"student": "{student}", "occurrence": "X1", "minutes": 5}),
    ("get", "/timetable/classes/{class}/", None),
    ("get", "/timetable/rooms/{room}/", None),
]


@pytest.mark.parametrize(("method", "path", "body"), OBJECT_ENDPOINTS)
def test_another_establishments_staff_get_404_for_these_objects(
    school: School, school_b, objects, method, path, body
):
    staff = member(school_b, Role.ESTABLISHMENT_ADMIN)
    for role in (Role.SCHOOL_LIFE, Role.TEACHER, Role.ADMIN_STAFF, Role.HEAD):
        membership_grant(actor=None, user=staff, establishment=school_b, role=role)
    with schema_context(school_b.schema_name):
        from tenant_apps.school.models import SchoolClass
        from tenant_apps.structure.models import Group, Room
        from tenant_apps.timetable.models import Lesson

        # The ids must not exist in B by chance (sequences are per schema).
        assert not Lesson.objects.filter(pk=objects["lesson"]).exists()
        assert not SchoolClass.objects.filter(pk=objects["class"]).exists()
        assert not Room.objects.filter(pk=objects["room"]).exists()
        assert not Group.objects.filter(pk=objects["group"]).exists()
        from tenant_apps.timetable.models import ExceptionalLesson

        assert not ExceptionalLesson.objects.filter(pk=objects["exceptional"]).exists()
        assert not Justification.objects.filter(pk=objects["justification"]).exists()
    api = not path.startswith(("/attendance/", "/timetable/"))
    client = client_for(staff, school_b, api=api)
    url = path.format(**objects)
    if isinstance(body, dict):
        body = {k: v.format(**objects) if isinstance(v, str) else v for k, v in body.items()}
    response = getattr(client, method)(url, body, format="json") if api else client.get(url)
    assert response.status_code == 404, (url, response.status_code)


ALL_ENDPOINTS = [
    *[(m, p) for m, p, _ in OBJECT_ENDPOINTS],
    ("get", "/api/v1/timetable/week/"),
    ("post", "/api/v1/timetable/calendar-token/"),
    ("get", "/api/v1/attendance/registers-not-taken/"),
    ("get", "/api/v1/attendance/notices/held/"),
    ("get", "/api/v1/attendance/justifications/"),
    ("post", "/api/v1/attendance/declarations/"),
    ("get", "/api/v1/structure/rooms/"),
    ("post", "/api/v1/structure/rollover/"),
    ("get", "/timetable/"),
    ("get", "/attendance/follow-up/"),
    ("get", "/attendance/family/"),
    ("get", "/attendance/statistics/"),
    ("get", "/attendance/me/"),
    ("get", "/attendance/lateness/"),
    ("post", "/attendance/lateness/"),
]


@pytest.mark.parametrize(("method", "path"), ALL_ENDPOINTS)
def test_a_person_of_school_a_is_refused_on_school_b(school: School, school_b, objects, method, path):
    api = path.startswith("/api/")
    client = client_for(school.admin, school_b, api=api)
    response = getattr(client, method)(path.format(**objects))
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "path"), ALL_ENDPOINTS)
def test_anonymous_callers_are_refused(school: School, objects, method, path):
    api = path.startswith("/api/")
    response = getattr(client_for(None, school.establishment, api=api), method)(path.format(**objects))
    assert response.status_code in ((401,) if api else (302, 401))
