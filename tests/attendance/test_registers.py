"""Taking a register: one page, one submit, a bounded number of queries; who may take which."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.attendance.models import AttendanceMark, MarkStatus, Register
from tenant_apps.timetable.services import lesson_change_set
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import WEEK_A, School, make_school


def register_path(lesson, day=WEEK_A, api=False) -> str:
    prefix = "/api/v1/attendance/registers" if api else "/attendance/register"
    return f"{prefix}/{lesson.pk}/{day.isoformat()}/"


def test_a_register_of_35_students_is_one_page_and_one_submit_in_bounded_queries(school_b):
    school = make_school(school_b, students=35, prefix="R")
    lesson = school.lesson()
    client = client_for(school.teacher, school.establishment)
    client.get(register_path(lesson))  # warm the per-process caches

    with CaptureQueriesContext(connection) as page_queries:
        page = client.get(register_path(lesson))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('type="radio"') == 35 * 3
    assert html.count("checked") == 35  # everyone present by default
    with schema_context(school_b.schema_name):
        ids = [school.m(s).pk for s in school.students]
    form = {f"status-{pk}": "present" for pk in ids}
    form[f"status-{ids[0]}"] = "absent"
    form[f"status-{ids[1]}"] = "late"
    form[f"late-{ids[1]}"] = "7"
    with CaptureQueriesContext(connection) as post_queries:
        saved = client.post(register_path(lesson), form)
    assert saved.status_code == 302
    # Fixed costs (session, user, memberships for the header, lesson, change, holidays, students,
    # register and its marks, declarations, late arrivals recorded by school life), none per student.
    assert len(page_queries.captured_queries) <= 13, [q["sql"] for q in page_queries.captured_queries]
    assert len(post_queries.captured_queries) <= 19, [q["sql"] for q in post_queries.captured_queries]
    with schema_context(school_b.schema_name):
        register = Register.objects.get(lesson=lesson, occurrence_date=WEEK_A)
        statuses = dict(register.marks.values_list("student_id", "status"))
        assert len(statuses) == 35
        assert statuses[ids[0]] == MarkStatus.ABSENT and statuses[ids[2]] == MarkStatus.PRESENT
        assert register.marks.get(student_id=ids[1]).late_minutes == 7

    # Correcting it costs no more than taking it.
    form[f"status-{ids[0]}"] = "present"
    with CaptureQueriesContext(connection) as again:
        assert client.post(register_path(lesson), form).status_code == 302
    assert len(again.captured_queries) <= len(post_queries.captured_queries) + 2


def test_register_taken_with_nobody_absent(school: School):
    lesson = school.lesson()
    client = client_for(school.teacher, school.establishment, api=True)
    before = client.get(register_path(lesson, api=True)).json()
    assert before["taken"] is False and {m["status"] for m in before["marks"]} == {"present"}
    after = client.post(register_path(lesson, api=True), {"marks": []}, format="json")
    assert after.status_code == 200 and after.json()["taken"] is True
    with schema_context(school.establishment.schema_name):
        assert AttendanceMark.objects.filter(register__lesson=lesson, status="present").count() == 3


def test_who_may_take_which_register(school: School, school_b):
    lesson = school.lesson()
    path = register_path(lesson, api=True)
    assert client_for(school.teacher, school.establishment, api=True).get(path).status_code == 200
    assert client_for(school.other_teacher, school.establishment, api=True).get(path).status_code == 404
    assert client_for(school.school_life, school.establishment, api=True).get(path).status_code == 200
    for user in (school.students[0], school.guardian, school.admin):
        assert client_for(user, school.establishment, api=True).get(path).status_code == 403
    # Not a date of this lesson, an unknown lesson, another establishment.
    teacher = client_for(school.teacher, school.establishment, api=True)
    assert teacher.get(f"/api/v1/attendance/registers/{lesson.pk}/2026-09-15/").status_code == 404
    assert teacher.get("/api/v1/attendance/registers/999999/2026-09-14/").status_code == 404
    assert teacher.get(f"/api/v1/attendance/registers/{lesson.pk}/not-a-date/").status_code == 404
    assert client_for(school.teacher, school_b, api=True).get(path).status_code == 403
    b_life = client_for(member(school_b, Role.SCHOOL_LIFE), school_b, api=True)
    assert b_life.get(path).status_code == 404
    # A student of another class cannot be marked in this register.
    with schema_context(school.establishment.schema_name):
        stranger = school.m(school.other_student).pk
    bad = teacher.post(path, {"marks": [{"student_id": stranger, "status": "absent"}]}, format="json")
    assert bad.status_code == 400


def test_a_replacement_teacher_takes_the_register_of_the_lesson_they_replace(school: School):
    lesson = school.lesson()
    with schema_context(school.establishment.schema_name):
        lesson_change_set(
            actor=None,
            lesson=lesson,
            date=WEEK_A,
            replacement_teacher=school.m(school.other_teacher),
            notify=False,
        )
    path = register_path(lesson, api=True)
    assert client_for(school.other_teacher, school.establishment, api=True).get(path).status_code == 200
    assert client_for(school.teacher, school.establishment, api=True).get(path).status_code == 404
    with schema_context(school.establishment.schema_name):
        lesson_change_set(actor=None, lesson=lesson, date=WEEK_A, cancelled=True, notify=False)
    cancelled = client_for(school.school_life, school.establishment, api=True).post(
        path, {"marks": []}, format="json"
    )
    assert cancelled.status_code == 400


def test_school_life_sees_registers_not_taken_and_enters_lateness(school: School):
    taken, missing = (
        school.lesson(),
        school.lesson(
            weekday=0, start_time=__import__("datetime").time(10), end_time=__import__("datetime").time(11)
        ),
    )
    teacher = client_for(school.teacher, school.establishment, api=True)
    teacher.post(register_path(taken, api=True), {"marks": []}, format="json")
    life = client_for(school.school_life, school.establishment, api=True)
    response = life.get("/api/v1/attendance/registers-not-taken/", {"date": WEEK_A.isoformat()})
    assert response.status_code == 200
    assert [o["lesson_id"] for o in response.json()] == [missing.pk]
    assert teacher.get("/api/v1/attendance/registers-not-taken/").status_code == 403
    page = client_for(school.school_life, school.establishment).get(
        "/attendance/follow-up/", {"date": WEEK_A.isoformat()}
    )
    assert page.status_code == 200

    with schema_context(school.establishment.schema_name):
        mark = AttendanceMark.objects.get(register__lesson=taken, student=school.m(school.students[1]))
    late = life.patch(
        f"/api/v1/attendance/marks/{mark.pk}/", {"status": "late", "late_minutes": 12}, format="json"
    )
    assert late.status_code == 200 and late.json()["late_minutes"] == 12
    assert (
        teacher.patch(
            f"/api/v1/attendance/marks/{mark.pk}/", {"status": "late", "late_minutes": 1}, format="json"
        ).status_code
        == 403
    )
    assert (
        life.patch(f"/api/v1/attendance/marks/{mark.pk}/", {"status": "late"}, format="json").status_code
        == 400
    )
