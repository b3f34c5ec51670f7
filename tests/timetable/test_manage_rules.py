"""Managing the timetable: double bookings and non-teachers refused, the lesson API, who may manage,
another school's ids, bounded queries. The pages' flows are in test_manage.py."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.timetable.models import ExceptionalLesson, Holiday, Lesson
from tenant_apps.timetable.services import holiday_create
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import WEEK_A, School, t
from tests.timetable.manage_helpers import API, exceptional, in_school, member_pk


def test_double_bookings_and_non_teachers_are_refused(school: School):
    school.lesson(week="A")  # Monday 08:00-09:00, room T101, the teacher
    api = client_for(school.admin, school.establishment, api=True)
    body = {
        "year_id": school.year.pk,
        "weekday": 0,
        "start_time": "08:30",
        "end_time": "09:30",
        "subject_id": school.english.pk,
        "teacher_id": member_pk(school, school.other_teacher),
        "school_class_id": school.other_class.pk,
        "room_id": school.room.pk,
    }
    room_taken = api.post(f"{API}/lessons/", body, format="json")
    assert room_taken.status_code == 400
    assert list(room_taken.json()["error"]["fields"]) == ["room"]
    teacher_busy = api.post(
        f"{API}/lessons/",
        {**body, "room_id": school.other_room.pk, "teacher_id": member_pk(school, school.teacher)},
        format="json",
    )
    assert list(teacher_busy.json()["error"]["fields"]) == ["teacher"]
    # Week B, or just after: no clash.
    assert api.post(f"{API}/lessons/", {**body, "week": "B"}, format="json").status_code == 201
    assert (
        api.post(
            f"{API}/lessons/", {**body, "start_time": "09:30", "end_time": "10:30"}, format="json"
        ).status_code
        == 201
    )
    # The student is not a teacher.
    not_teacher = api.post(
        f"{API}/lessons/",
        {**body, "weekday": 3, "teacher_id": member_pk(school, school.students[0])},
        format="json",
    )
    assert list(not_teacher.json()["error"]["fields"]) == ["teacher"]
    neither = api.post(f"{API}/lessons/", {**body, "weekday": 3, "school_class_id": None}, format="json")
    assert "school_class" in neither.json()["error"]["fields"]

    # The page shows the clash next to the room.
    page = client_for(school.admin, school.establishment).post(
        "/timetable/manage/lessons/new/",
        {
            "weekday": "0",
            "start_time": "08:00",
            "end_time": "09:00",
            "week": "every",
            "subject": school.english.pk,
            "teacher": member_pk(school, school.other_teacher),
            "group": school.group.pk,
            "room": school.room.pk,
        },
    )
    assert page.status_code == 400
    assert 'id="id_room-error"' in page.content.decode() and "already booked" in page.content.decode()

    # An exceptional lesson in a room taken by a recurring lesson that day.
    exc = api.post(
        f"{API}/exceptional-lessons/",
        {
            "date": WEEK_A.isoformat(),
            "start_time": "08:00",
            "end_time": "08:30",
            "subject_id": school.english.pk,
            "teacher_id": member_pk(school, school.other_teacher),
            "group_id": school.group.pk,
            "room_id": school.room.pk,
        },
        format="json",
    )
    assert exc.status_code == 400 and list(exc.json()["error"]["fields"]) == ["room"]


def test_the_lesson_api_lists_filters_edits_and_deletes(school: School):
    lesson = school.lesson()
    other = school.lesson(
        group=school.group,
        subject=school.english,
        weekday=2,
        teacher=school.other_teacher,
        room=school.other_room,
    )
    api = client_for(school.admin, school.establishment, api=True)
    assert [
        r["id"] for r in api.get(f"{API}/lessons/", {"class": school.school_class.pk}).json()["results"]
    ] == [lesson.pk]
    assert [r["id"] for r in api.get(f"{API}/lessons/", {"group": school.group.pk}).json()["results"]] == [
        other.pk
    ]
    assert [
        r["id"]
        for r in api.get(f"{API}/lessons/", {"teacher": member_pk(school, school.other_teacher)}).json()[
            "results"
        ]
    ] == [other.pk]
    assert [r["id"] for r in api.get(f"{API}/lessons/", {"room": school.room.pk}).json()["results"]] == [
        lesson.pk
    ]
    assert api.get(f"{API}/lessons/", {"room": "x"}).status_code == 400
    patched = api.patch(
        f"{API}/lessons/{lesson.pk}/",
        {"start_time": "10:00", "end_time": "11:00", "week": "B"},
        format="json",
    )
    assert patched.status_code == 200
    assert (patched.json()["start_time"], patched.json()["week"]) == ("10:00", "B")
    bad = api.patch(f"{API}/lessons/{lesson.pk}/", {"end_time": "09:00"}, format="json")
    assert bad.status_code == 400 and "end_time" in bad.json()["error"]["fields"]
    assert api.delete(f"{API}/lessons/{lesson.pk}/").status_code == 204
    assert api.get(f"{API}/lessons/{lesson.pk}/").status_code == 404


def test_who_may_manage(school: School):
    lesson = school.lesson()
    exc = exceptional(school)
    with in_school(school):
        holiday = holiday_create(
            actor=None, name="Noël", start=datetime.date(2026, 12, 19), end=datetime.date(2027, 1, 3)
        )
    change_url = f"/timetable/lessons/{lesson.pk}/{WEEK_A.isoformat()}/change/"
    manager_pages = [
        "/timetable/manage/lessons/new/",
        f"/timetable/manage/lessons/{lesson.pk}/",
        "/timetable/manage/holidays/",
        f"/timetable/manage/holidays/{holiday.pk}/",
    ]
    editor_pages = [
        "/timetable/manage/",
        "/timetable/manage/exceptional/",
        f"/timetable/manage/exceptional/{exc.pk}/",
        change_url,
    ]
    for user in (school.teacher, school.students[0], school.guardian):
        page = client_for(user, school.establishment)
        for path in manager_pages + editor_pages:
            assert page.get(path).status_code == 403, (user, path)
        assert page.post(f"/timetable/manage/lessons/{lesson.pk}/", {"action": "delete"}).status_code == 403
        api = client_for(user, school.establishment, api=True)
        assert api.delete(f"{API}/lessons/{lesson.pk}/").status_code == 403
        assert api.patch(f"{API}/holidays/{holiday.pk}/", {"name": "x"}, format="json").status_code == 403
        assert api.delete(f"{API}/exceptional-lessons/{exc.pk}/").status_code == 403
        assert api.delete(f"{API}/lessons/{lesson.pk}/changes/{WEEK_A.isoformat()}/").status_code == 403
    # School life: changes and exceptional lessons, not lessons nor holidays.
    school_life = client_for(school.school_life, school.establishment)
    for path in editor_pages:
        assert school_life.get(path).status_code == 200, path
    for path in manager_pages:
        assert school_life.get(path).status_code == 403, path
    api = client_for(school.school_life, school.establishment, api=True)
    assert api.patch(f"{API}/lessons/{lesson.pk}/", {"week": "A"}, format="json").status_code == 403
    assert (
        api.post(f"{API}/lessons/{lesson.pk}/end/", {"last_day": "2026-12-01"}, format="json").status_code
        == 403
    )
    assert api.delete(f"{API}/holidays/{holiday.pk}/").status_code == 403
    assert api.get(f"{API}/lessons/{lesson.pk}/").status_code == 200
    assert (
        api.patch(f"{API}/exceptional-lessons/{exc.pk}/", {"note": "Salle 12"}, format="json").status_code
        == 200
    )
    # The management page shows school life the lessons, without edit links.
    listing = school_life.get("/timetable/manage/", {"school_class": school.school_class.pk})
    assert "Mathématiques" in listing.content.decode()
    assert f"/timetable/manage/lessons/{lesson.pk}/" not in listing.content.decode()
    with in_school(school):
        assert Lesson.objects.filter(pk=lesson.pk).exists() and Holiday.objects.filter(pk=holiday.pk).exists()


def test_another_schools_ids_are_not_found(school: School, school_b):
    lesson = school.lesson()
    exc = exceptional(school)
    with in_school(school):
        holiday = holiday_create(
            actor=None, name="Noël", start=datetime.date(2026, 12, 19), end=datetime.date(2027, 1, 3)
        )
    b_admin = member(school_b, Role.ADMIN_STAFF)
    with schema_context(school_b.schema_name):
        for model, pk in ((Lesson, lesson.pk), (ExceptionalLesson, exc.pk), (Holiday, holiday.pk)):
            assert not model.objects.filter(pk=pk).exists()
    b_page = client_for(b_admin, school_b)
    b_api = client_for(b_admin, school_b, api=True)
    for path in (
        f"/timetable/manage/lessons/{lesson.pk}/",
        f"/timetable/manage/holidays/{holiday.pk}/",
        f"/timetable/manage/exceptional/{exc.pk}/",
        f"/timetable/lessons/{lesson.pk}/{WEEK_A.isoformat()}/change/",
    ):
        assert b_page.get(path).status_code == 404, path
        assert b_page.post(path, {"action": "delete"}).status_code == 404, path
    for path in (
        f"{API}/lessons/{lesson.pk}/",
        f"{API}/holidays/{holiday.pk}/",
        f"{API}/exceptional-lessons/{exc.pk}/",
    ):
        assert b_api.get(path).status_code == 404, path
        assert b_api.patch(path, {}, format="json").status_code == 404, path
        assert b_api.delete(path).status_code == 404, path
    assert (
        b_api.post(f"{API}/lessons/{lesson.pk}/end/", {"last_day": "2026-12-01"}, format="json").status_code
        == 404
    )
    assert b_api.delete(f"{API}/lessons/{lesson.pk}/changes/{WEEK_A.isoformat()}/").status_code == 404
    # A user of school A is not a member of school B.
    assert client_for(school.admin, school_b).get("/timetable/manage/").status_code == 403


def test_the_management_pages_run_a_bounded_number_of_queries(school: School):
    def add(count: int, offset: int) -> None:
        with in_school(school):
            for i in range(count):
                school.lesson(
                    weekday=(offset + i) % 5,
                    start_time=t(f"{8 + (offset + i) // 5:02d}:00"),
                    end_time=t(f"{9 + (offset + i) // 5:02d}:00"),
                    room=None,
                    teacher=school.teacher if i % 2 else school.other_teacher,
                )
                holiday_create(
                    actor=None,
                    name=f"H{offset + i}",
                    start=datetime.date(2027, 2, 1) + datetime.timedelta(days=offset + i),
                    end=datetime.date(2027, 2, 1) + datetime.timedelta(days=offset + i),
                )
                exceptional(
                    school,
                    date=timezone.localdate() + datetime.timedelta(days=offset + i + 1),
                    room=None,
                    teacher=school.m(school.other_teacher) if i % 2 else school.m(school.teacher),
                )

    admin = client_for(school.admin, school.establishment)
    pages = [
        ("/timetable/manage/", {"school_class": school.school_class.pk}),
        ("/timetable/manage/", {"school_class": school.school_class.pk, "view": "list"}),
        ("/timetable/manage/holidays/", {}),
        ("/timetable/manage/exceptional/", {}),
        (f"/timetable/classes/{school.school_class.pk}/", {"date": WEEK_A.isoformat()}),
    ]

    def counts() -> list[int]:
        found = []
        for path, params in pages:
            admin.get(path, params)
            with CaptureQueriesContext(connection) as ctx:
                response = admin.get(path, params)
            assert response.status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    add(2, 0)
    few = counts()
    add(12, 2)
    many = counts()
    assert many == few
    assert max(many) <= 20
