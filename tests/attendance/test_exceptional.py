"""Registers of exceptional lessons: same page, same API, same rules as a recurring lesson's."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django_tenants.utils import schema_context

from tenant_apps.attendance.models import AttendanceMark, MarkStatus, NoticeState, Register
from tenant_apps.attendance.notices import absence_notices_send
from tenant_apps.attendance.selectors import registers_not_taken
from tenant_apps.structure.services import period_create
from tenant_apps.timetable.models import ExceptionalLesson
from tenant_apps.timetable.services import exceptional_lesson_create
from tests.conftest import client_for
from tests.timetable.helpers import WEEK_A, School, t

TUESDAY = WEEK_A + datetime.timedelta(days=1)


def exceptional(school: School, *, day: datetime.date = TUESDAY, start: str = "10:00") -> ExceptionalLesson:
    with schema_context(school.establishment.schema_name):
        return exceptional_lesson_create(
            actor=None,
            date=day,
            start_time=t(start),
            end_time=t("11:00") if start < "11:00" else t("17:00"),
            subject=school.math,
            teacher=school.m(school.teacher),
            school_class=school.school_class,
            note="Rattrapage",
        )


def api_path(exc: ExceptionalLesson) -> str:
    return f"/api/v1/attendance/registers/exceptional/{exc.pk}/"


def page_path(exc: ExceptionalLesson) -> str:
    return f"/attendance/register/exceptional/{exc.pk}/"


def test_the_teacher_takes_the_register_of_an_exceptional_lesson_on_one_page(school: School):
    exc = exceptional(school)
    client = client_for(school.teacher, school.establishment)
    page = client.get(page_path(exc))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('type="radio"') == 3 * 3 and html.count("checked") == 3
    with schema_context(school.establishment.schema_name):
        absent = school.m(school.students[0]).pk
        late = school.m(school.students[1]).pk
    saved = client.post(
        page_path(exc), {f"status-{absent}": "absent", f"status-{late}": "late", f"late-{late}": "5"}
    )
    assert saved.status_code == 302
    with schema_context(school.establishment.schema_name):
        register = Register.objects.get(exceptional_lesson=exc)
        assert register.lesson_id is None and register.date == TUESDAY and register.start_time == t("10:00")
        statuses = dict(register.marks.values_list("student_id", "status"))
        assert statuses[absent] == MarkStatus.ABSENT and statuses[late] == MarkStatus.LATE
        assert len(statuses) == 3
    # The API reads it back as taken; posting again corrects the same register.
    api = client_for(school.teacher, school.establishment, api=True)
    again = api.post(api_path(exc), {"marks": [{"student_id": absent, "status": "present"}]}, format="json")
    assert again.status_code == 200 and again.json()["taken"] is True
    assert {m["status"] for m in again.json()["marks"]} == {"present"}  # not given: present
    with schema_context(school.establishment.schema_name):
        assert Register.objects.filter(exceptional_lesson=exc).count() == 1


def test_who_may_take_the_register_of_an_exceptional_lesson(school: School):
    exc = exceptional(school)
    path = api_path(exc)
    assert client_for(school.teacher, school.establishment, api=True).get(path).status_code == 200
    assert client_for(school.school_life, school.establishment, api=True).get(path).status_code == 200
    assert client_for(school.other_teacher, school.establishment, api=True).get(path).status_code == 404
    assert client_for(school.other_teacher, school.establishment).get(page_path(exc)).status_code == 404
    for user in (school.students[0], school.guardian, school.admin):
        assert client_for(user, school.establishment, api=True).get(path).status_code == 403
    teacher = client_for(school.teacher, school.establishment, api=True)
    assert teacher.get("/api/v1/attendance/registers/exceptional/999999/").status_code == 404
    with schema_context(school.establishment.schema_name):
        stranger = school.m(school.other_student).pk
    bad = teacher.post(path, {"marks": [{"student_id": stranger, "status": "absent"}]}, format="json")
    assert bad.status_code == 400


def test_a_cancelled_exceptional_lesson_has_no_register_and_a_taken_one_cannot_be_deleted(school: School):
    cancelled, held = exceptional(school), exceptional(school, start="14:00")
    with schema_context(school.establishment.schema_name):
        cancelled_id = cancelled.pk
        cancelled.delete()  # an exceptional lesson is cancelled by removing it
    life = client_for(school.school_life, school.establishment, api=True)
    gone = f"/api/v1/attendance/registers/exceptional/{cancelled_id}/"
    assert life.get(gone).status_code == 404
    assert life.post(gone, {"marks": []}, format="json").status_code == 404
    assert life.post(api_path(held), {"marks": []}, format="json").status_code == 200
    with schema_context(school.establishment.schema_name):
        with pytest.raises(ProtectedError), transaction.atomic():
            ExceptionalLesson.objects.get(pk=held.pk).delete()
        # Exactly one of lesson / exceptional lesson; one register per exceptional lesson.
        register = Register.objects.get(exceptional_lesson=held)
        with pytest.raises(IntegrityError), transaction.atomic():
            Register.objects.filter(pk=register.pk).update(lesson=school.lesson())
        with pytest.raises(IntegrityError), transaction.atomic():
            Register.objects.filter(pk=register.pk).update(exceptional_lesson=None)
        with pytest.raises(IntegrityError), transaction.atomic():
            Register.objects.create(
                exceptional_lesson=held,
                occurrence_date=held.date,
                date=held.date,
                start_time=held.start_time,
                end_time=held.end_time,
                teacher=school.m(school.teacher),
                taken_by_id=1,
                taken_at=register.taken_at,
            )


def test_a_recurring_lesson_cancelled_that_day_still_refuses_its_register(school: School):
    from tenant_apps.timetable.services import lesson_change_set

    lesson = school.lesson()
    with schema_context(school.establishment.schema_name):
        lesson_change_set(actor=None, lesson=lesson, date=WEEK_A, cancelled=True, notify=False)
    response = client_for(school.school_life, school.establishment, api=True).post(
        f"/api/v1/attendance/registers/{lesson.pk}/{WEEK_A.isoformat()}/", {"marks": []}, format="json"
    )
    assert response.status_code == 400


def test_exceptional_lessons_are_listed_until_their_register_is_taken(school: School):
    exc = exceptional(school)
    life = client_for(school.school_life, school.establishment, api=True)
    listed = life.get("/api/v1/attendance/registers-not-taken/", {"date": TUESDAY.isoformat()}).json()
    assert [o["exceptional_id"] for o in listed] == [exc.pk]
    page = client_for(school.school_life, school.establishment).get(
        "/attendance/follow-up/", {"date": TUESDAY.isoformat()}
    )
    assert page_path(exc) in page.content.decode()
    client_for(school.teacher, school.establishment, api=True).post(
        api_path(exc), {"marks": []}, format="json"
    )
    assert life.get("/api/v1/attendance/registers-not-taken/", {"date": TUESDAY.isoformat()}).json() == []
    with schema_context(school.establishment.schema_name):
        assert registers_not_taken(day=TUESDAY) == []


def test_the_week_page_links_to_the_register_of_an_exceptional_lesson(school: School):
    exc = exceptional(school)
    page = client_for(school.teacher, school.establishment).get("/timetable/", {"date": TUESDAY.isoformat()})
    assert page.status_code == 200
    assert page_path(exc) in page.content.decode()
    student_page = client_for(school.students[0], school.establishment).get(
        "/timetable/", {"date": TUESDAY.isoformat()}
    )
    assert page_path(exc) not in student_page.content.decode()


def test_absences_in_exceptional_lessons_count_in_statistics_and_are_notified(
    school: School, django_capture_on_commit_callbacks
):
    morning, afternoon = exceptional(school, start="08:00"), exceptional(school, start="14:00")
    lesson_same_morning = school.lesson(weekday=1, start_time=t("10:00"), end_time=t("11:00"))
    child = school.students[0]
    with schema_context(school.establishment.schema_name):
        child_pk = school.m(child).pk
        period = period_create(
            actor=None,
            year=school.year,
            name="T1",
            kind="trimester",
            start=datetime.date(2026, 9, 1),
            end=datetime.date(2026, 11, 30),
        )
    teacher = client_for(school.teacher, school.establishment, api=True)
    for path in (api_path(morning), api_path(afternoon)):
        body = {"marks": [{"student_id": child_pk, "status": "absent"}]}
        assert teacher.post(path, body, format="json").status_code == 200
    regular = teacher.post(
        f"/api/v1/attendance/registers/{lesson_same_morning.pk}/{TUESDAY.isoformat()}/",
        {"marks": [{"student_id": child_pk, "status": "absent"}]},
        format="json",
    )
    assert regular.status_code == 200
    stats = client_for(school.guardian, school.establishment, api=True).get(
        f"/api/v1/attendance/students/{child.pk}/statistics/", {"period": period.pk}
    )
    # Morning (exceptional 08:00 + lesson 10:00: one half-day) and afternoon (exceptional 14:00).
    assert stats.json() == {"half_days": 2, "justified": 0, "unjustified": 2, "late": 0, "late_minutes": 0}

    with schema_context(school.establishment.schema_name):
        register = Register.objects.get(exceptional_lesson=morning)
        assert AttendanceMark.objects.get(register=register, student_id=child_pk).notice == NoticeState.QUEUED
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):  # delivered once committed
            assert absence_notices_send(register_ids=[register.pk]) == 1
    assert "Mathématiques" in mail.outbox[0].body
