"""When a register may be taken (from the lesson's day on), and how its page lists the students:
French alphabetical order, an "everyone present" shortcut (issue 12)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tenants.utils import schema_context

from mbn_platform.kernel.collation import sorted_french
from shared_apps.identity.roles import Role
from tenant_apps.attendance.models import AttendanceMark, Register
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import WEEK_A, School


def path(lesson, day: datetime.date, api: bool = False) -> str:
    prefix = "/api/v1/attendance/registers" if api else "/attendance/register"
    return f"{prefix}/{lesson.pk}/{day.isoformat()}/"


def test_a_register_opens_on_the_day_of_its_lesson_not_before(school: School, monkeypatch):
    lesson = school.lesson(weekday=WEEK_A.weekday())
    next_week = WEEK_A + datetime.timedelta(days=7)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: WEEK_A)
    with schema_context(school.establishment.schema_name):
        absent = school.m(school.students[0]).pk
    api = client_for(school.teacher, school.establishment, api=True)

    # A lesson of next week: its register is refused, and no guardian hears of an absence.
    refused = api.post(
        path(lesson, next_week, api=True),
        {"marks": [{"student_id": absent, "status": "absent"}]},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "register_not_open"
    page = client_for(school.teacher, school.establishment)
    shown = page.get(path(lesson, next_week))
    assert shown.status_code == 200
    assert "opens on the day of the lesson" in shown.content.decode()
    assert 'type="submit" class="primary"' not in shown.content.decode()
    assert page.post(path(lesson, next_week), {f"status-{absent}": "absent"}).status_code == 400
    with schema_context(school.establishment.schema_name):
        assert not Register.objects.filter(lesson=lesson).exists()
        assert not AttendanceMark.objects.exists()
    # The week page links to today's register, not to next week's.
    week = page.get(f"/timetable/?date={next_week.isoformat()}").content.decode()
    assert path(lesson, next_week) not in week
    assert path(lesson, WEEK_A) in page.get("/timetable/").content.decode()

    # On the day itself (and after), it is taken.
    taken = api.post(
        path(lesson, WEEK_A, api=True), {"marks": [{"student_id": absent, "status": "absent"}]}, format="json"
    )
    assert taken.status_code == 200, taken.content
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: next_week + datetime.timedelta(days=3))
    later = api.post(path(lesson, next_week, api=True), {"marks": []}, format="json")
    assert later.status_code == 200


def test_the_register_lists_students_in_french_order_with_an_everyone_present_button(school: School):
    for first in ("Louise", "Léa", "Émile", "Zoé", "Eva"):
        member(school.establishment, Role.STUDENT, class_name=school.school_class.name, first_name=first)
    lesson = school.lesson()
    html = client_for(school.teacher, school.establishment).get(path(lesson, WEEK_A)).content.decode()
    with schema_context(school.establishment.schema_name):
        names = [m.display_name for m in school.school_class.students.all()]
    positions = {name: html.index(name) for name in names}
    assert sorted(names, key=positions.__getitem__) == sorted_french(names, key=str)
    lea = next(n for n in names if n.startswith("Léa"))
    louise = next(n for n in names if n.startswith("Louise"))
    assert positions[lea] < positions[louise]
    assert "data-all-present" in html and "mbn/js/register.js" in html


def test_french_order_ignores_accents_and_case_first():
    names = ["Louise", "Zoé", "léa", "Léa", "Lea", "Émile", "Eric", "Œdipe", "Oscar"]
    assert sorted_french(names, key=str) == [
        "Émile",
        "Eric",
        "Lea",
        "léa",
        "Léa",
        "Louise",
        "Œdipe",
        "Oscar",
        "Zoé",
    ]
