"""School-life staff record late arrivals: the class, the student, today's lesson, the minutes;
the register's mark follows (taken register: at once; not taken: when the teacher takes it)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from django_tenants.utils import schema_context

from tenant_apps.attendance.models import AttendanceMark, LateArrival, MarkStatus, NoticeState, Register
from tenant_apps.attendance.selectors import registers_not_taken
from tenant_apps.school.models import SchoolSettings
from tenant_apps.timetable.services import exceptional_lesson_create
from tests.conftest import client_for
from tests.timetable.helpers import School, t


def todays_lesson(school: School, start: str = "08:00", **fields):
    today = timezone.localdate()
    return school.lesson(weekday=today.weekday(), start_time=t(start), end_time=t("09:00"), **fields)


def record(school: School, user, *, student, key: str, minutes="12"):
    return client_for(user, school.establishment).post(
        "/attendance/lateness/",
        {"class": school.school_class.pk, "student": student.pk, "occurrence": key, "minutes": minutes},
    )


def test_the_desk_picks_a_class_then_a_student_then_todays_lesson(school: School):
    lesson = todays_lesson(school)
    today = timezone.localdate()
    life = client_for(school.school_life, school.establishment)
    start = life.get("/attendance/lateness/")
    assert start.status_code == 200 and school.school_class.name in start.content.decode()
    students = life.get("/attendance/lateness/", {"class": school.school_class.pk})
    assert students.status_code == 200
    assert {s.user_id for s in students.context["students"]} == {s.pk for s in school.students}
    chosen = life.get(
        "/attendance/lateness/", {"class": school.school_class.pk, "student": school.students[0].pk}
    )
    assert chosen.status_code == 200
    assert f'value="L{lesson.pk}-{today.isoformat()}"' in chosen.content.decode()
    # A student of another class under this class, an unknown class: 404.
    assert (
        life.get(
            "/attendance/lateness/", {"class": school.school_class.pk, "student": school.other_student.pk}
        ).status_code
        == 404
    )
    assert life.get("/attendance/lateness/", {"class": 999999}).status_code == 404
    for user in (school.teacher, school.students[0], school.guardian, school.admin):
        assert client_for(user, school.establishment).get("/attendance/lateness/").status_code == 403


def test_lateness_before_the_register_is_taken_waits_for_the_teacher(school: School):
    lesson = todays_lesson(school)
    today = timezone.localdate()
    child = school.students[0]
    response = record(school, school.school_life, student=child, key=f"L{lesson.pk}-{today.isoformat()}")
    assert response.status_code == 302
    with schema_context(school.establishment.schema_name):
        child_pk = school.m(child).pk
        assert LateArrival.objects.get(student_id=child_pk).minutes == 12
        # No register and no mark: the lesson still waits for its register.
        assert not Register.objects.filter(lesson=lesson).exists()
        assert [o.lesson_id for o in registers_not_taken(day=today)] == [lesson.pk]
    # The teacher's register shows the student late, 12 minutes.
    page = client_for(school.teacher, school.establishment).get(
        f"/attendance/register/{lesson.pk}/{today.isoformat()}/"
    )
    html = page.content.decode()
    assert f'name="status-{child_pk}" value="late" checked' in html
    assert f'name="late-{child_pk}" min="1" max="240" inputmode="numeric" size="3" value="12"' in html
    api = client_for(school.teacher, school.establishment, api=True)
    shown = api.get(f"/api/v1/attendance/registers/{lesson.pk}/{today.isoformat()}/").json()
    assert {m["student_id"]: (m["status"], m["late_minutes"]) for m in shown["marks"]}[child_pk] == (
        "late",
        12,
    )
    # Taken through the API with nobody given: the late arrival is recorded as lateness.
    api.post(f"/api/v1/attendance/registers/{lesson.pk}/{today.isoformat()}/", {"marks": []}, format="json")
    with schema_context(school.establishment.schema_name):
        mark = AttendanceMark.objects.get(register__lesson=lesson, student_id=child_pk)
        assert (mark.status, mark.late_minutes) == (MarkStatus.LATE, 12)
        assert registers_not_taken(day=today) == []


def test_lateness_after_the_register_is_taken_changes_the_mark(school: School):
    lesson = todays_lesson(school)
    today = timezone.localdate()
    child = school.students[0]
    with schema_context(school.establishment.schema_name):
        SchoolSettings.objects.update_or_create(
            pk=1, defaults={"display_name": "X", "absence_notification_review": True}
        )
        child_pk = school.m(child).pk
    client_for(school.teacher, school.establishment, api=True).post(
        f"/api/v1/attendance/registers/{lesson.pk}/{today.isoformat()}/",
        {"marks": [{"student_id": child_pk, "status": "absent"}]},
        format="json",
    )
    with schema_context(school.establishment.schema_name):
        assert AttendanceMark.objects.get(student_id=child_pk).notice == NoticeState.HELD
    response = record(
        school, school.school_life, student=child, key=f"L{lesson.pk}-{today.isoformat()}", minutes="7"
    )
    assert response.status_code == 302
    with schema_context(school.establishment.schema_name):
        mark = AttendanceMark.objects.get(student_id=child_pk)
        assert (mark.status, mark.late_minutes) == (MarkStatus.LATE, 7)
        assert mark.notice == NoticeState.DISMISSED  # no "absent" notice for a student who came
    # Recording it again changes the minutes, no second row.
    record(school, school.school_life, student=child, key=f"L{lesson.pk}-{today.isoformat()}", minutes="9")
    with schema_context(school.establishment.schema_name):
        assert LateArrival.objects.filter(student_id=child_pk).count() == 1
        assert AttendanceMark.objects.get(student_id=child_pk).late_minutes == 9
    listed = client_for(school.school_life, school.establishment).get("/attendance/lateness/")
    assert escape(child.display_name) in listed.content.decode()


def test_lateness_in_an_exceptional_lesson_of_today(school: School):
    today = timezone.localdate()
    with schema_context(school.establishment.schema_name):
        exc = exceptional_lesson_create(
            actor=None,
            date=today,
            start_time=t("09:00"),
            end_time=t("10:00"),
            subject=school.english,
            teacher=school.m(school.teacher),
            school_class=school.school_class,
        )
        child_pk = school.m(school.students[1]).pk
    assert record(school, school.school_life, student=school.students[1], key=f"X{exc.pk}").status_code == 302
    client_for(school.teacher, school.establishment, api=True).post(
        f"/api/v1/attendance/registers/exceptional/{exc.pk}/", {"marks": []}, format="json"
    )
    with schema_context(school.establishment.schema_name):
        mark = AttendanceMark.objects.get(register__exceptional_lesson=exc, student_id=child_pk)
        assert (mark.status, mark.late_minutes) == (MarkStatus.LATE, 12)


def test_bad_lateness_entries_are_shown_next_to_the_fields(school: School):
    lesson = todays_lesson(school)
    other_class_lesson = todays_lesson(
        school, teacher=school.other_teacher, room=school.other_room, school_class=school.other_class
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=7)
    key = f"L{lesson.pk}-{timezone.localdate().isoformat()}"
    no_minutes = record(school, school.school_life, student=school.students[0], key=key, minutes="0")
    assert no_minutes.status_code == 400
    assert 'aria-invalid="true"' in no_minutes.content.decode()
    for bad_key in (
        f"L{other_class_lesson.pk}-{timezone.localdate().isoformat()}",
        f"L{lesson.pk}-{yesterday}",
    ):
        wrong = record(school, school.school_life, student=school.students[0], key=bad_key)
        assert wrong.status_code == 400
    with schema_context(school.establishment.schema_name):
        assert not LateArrival.objects.exists()
    assert record(school, school.teacher, student=school.students[0], key=key).status_code == 403


def test_the_api_records_a_late_arrival_in_a_lesson_of_today(school: School):
    lesson = todays_lesson(school)
    today = timezone.localdate()
    child = school.students[2]
    life = client_for(school.school_life, school.establishment, api=True)
    body = {"student": child.pk, "occurrence": f"L{lesson.pk}-{today.isoformat()}", "minutes": 4}
    created = life.post("/api/v1/attendance/late-arrivals/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["minutes"] == 4 and created.json()["student_user_id"] == child.pk
    # Not a lesson of this student today; unknown student; minutes out of range; not school life.
    wrong = {**body, "occurrence": f"L{lesson.pk}-2026-09-14"}
    assert life.post("/api/v1/attendance/late-arrivals/", wrong, format="json").status_code == 400
    stranger = {**body, "student": school.other_student.pk}
    assert life.post("/api/v1/attendance/late-arrivals/", stranger, format="json").status_code == 400
    unknown = {**body, "student": 999999}
    assert life.post("/api/v1/attendance/late-arrivals/", unknown, format="json").status_code == 404
    assert (
        life.post("/api/v1/attendance/late-arrivals/", {**body, "minutes": 0}, format="json").status_code
        == 400
    )
    teacher = client_for(school.teacher, school.establishment, api=True)
    assert teacher.post("/api/v1/attendance/late-arrivals/", body, format="json").status_code == 403
    with schema_context(school.establishment.schema_name):
        assert LateArrival.objects.get(student__user_id=child.pk).minutes == 4


def test_the_desk_runs_a_bounded_number_of_queries(school: School):
    lesson = todays_lesson(school)
    key = f"L{lesson.pk}-{timezone.localdate().isoformat()}"
    life = client_for(school.school_life, school.establishment)
    params = {"class": school.school_class.pk, "student": school.students[0].pk}
    record(school, school.school_life, student=school.students[0], key=key)
    life.get("/attendance/lateness/", params)  # warm per-process caches

    def measured() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert life.get("/attendance/lateness/", params).status_code == 200
        return len(queries.captured_queries)

    one = measured()
    for student in school.students[1:]:
        record(school, school.school_life, student=student, key=key)
    # Each record() signs in again (a new session): the sign-in saves the account, whose cached
    # entries (mbn_platform/kernel/generations.py) are read again once.
    life.get("/attendance/lateness/", params)
    assert measured() == one
