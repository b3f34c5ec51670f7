"""Arbitrary week sets (weeks 1-7, 10-16 …; A/B a shortcut), co-teaching and lessons for several
classes or groups at once. Weeks are numbered from the week of the year's first day: 2026-2027
starts on Monday 31 August, so week n begins on 31/8 + 7 (n - 1) days."""

from __future__ import annotations

import datetime

import pytest
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import ValidationFailed
from tenant_apps.timetable.calendar import lesson_runs_on, year_calendar
from tenant_apps.timetable.models import Lesson
from tenant_apps.timetable.services import holiday_create, lesson_update
from tenant_apps.timetable.weeks import week_set_parse
from tests.conftest import client_for
from tests.timetable.helpers import School, t

API = "/api/v1/timetable"


def monday(n: int) -> datetime.date:
    return datetime.date(2026, 8, 31) + datetime.timedelta(days=7 * (n - 1))


def test_week_sets_are_written_canonically_and_refused_when_malformed():
    assert str(week_set_parse("10-16, 1-7,8")) == "1-8,10-16"
    assert str(week_set_parse("a")) == "A" and str(week_set_parse("")) == "every"
    assert week_set_parse("3,1,2").weeks == frozenset({1, 2, 3})
    for bad in ("1-", "x", "7-3", "0", "61", "1;2"):
        with pytest.raises(ValueError, match=r"[Ww]eek"):
            week_set_parse(bad)


def test_a_lesson_runs_on_its_chosen_weeks_only_and_never_on_holidays(school: School):
    lesson = school.lesson(week="2-3,5-6")
    with schema_context(school.establishment.schema_name):
        holiday_create(actor=None, name="Pont", start=monday(6), end=monday(6) + datetime.timedelta(days=6))
        calendar = year_calendar(school.year)
        runs = [n for n in range(1, 9) if lesson_runs_on(lesson, calendar, monday(n))]
        assert runs == [2, 3, 5]  # 6 is all holidays
        assert calendar.week_number(monday(3) + datetime.timedelta(days=4)) == 3
    client = client_for(school.students[0], school.establishment, api=True)
    dates = [
        o["date"]
        for n in (1, 2, 4, 5)
        for o in client.get(f"{API}/week/", {"date": monday(n).isoformat()}).json()["occurrences"]
    ]
    assert dates == [monday(2).isoformat(), monday(5).isoformat()]


def test_the_a_b_shortcut_and_chosen_weeks_meet_as_the_calendar_counts_them(school: School):
    """No holidays: weeks 1, 3, 5 … are A, 2, 4, 6 … B. With the week of 5/10 (week 6) all of
    holidays, week 7 continues from week 5 (A): it is B."""
    school.lesson(week="A")
    # Weeks 2 and 4 are B weeks: no clash with the A lesson, same teacher and room.
    school.lesson(week="2,4", subject=school.english)
    with pytest.raises(ValidationFailed) as clash:
        school.lesson(week="3", subject=school.english)  # an A week
    assert set(clash.value.fields) == {"room", "teacher"}
    with schema_context(school.establishment.schema_name):
        holiday_create(actor=None, name="Toussaint", start=monday(6), end=monday(6) + datetime.timedelta(6))
    school.lesson(week="7", subject=school.english)  # week 7 is B now
    with pytest.raises(ValidationFailed):
        school.lesson(week="8", subject=school.english)  # and week 8 is A


def test_a_row_of_the_previous_release_is_read_from_its_rule(school: School):
    lesson = school.lesson(week="B")
    with schema_context(school.establishment.schema_name):
        Lesson.objects.filter(pk=lesson.pk).update(weeks="")  # as the old code inserted it
        old = Lesson.objects.get(pk=lesson.pk)
        calendar = year_calendar(school.year)
        assert [n for n in range(1, 5) if lesson_runs_on(old, calendar, monday(n))] == [2, 4]
        assert str(old.week_set) == "B"


def test_lessons_are_added_and_edited_with_chosen_weeks_through_the_api_and_the_page(school: School):
    api = client_for(school.admin, school.establishment, api=True)
    with schema_context(school.establishment.schema_name):
        teacher_id = school.m(school.teacher).pk
    body = {
        "year_id": school.year.pk,
        "weekday": 2,
        "start_time": "10:00",
        "end_time": "11:00",
        "subject_id": school.math.pk,
        "teacher_id": teacher_id,
        "school_class_id": school.school_class.pk,
    }
    bad = api.post(f"{API}/lessons/", {**body, "week": "1-"}, format="json")
    assert bad.status_code == 400 and "week" in bad.json()["error"]["fields"]
    created = api.post(f"{API}/lessons/", {**body, "week": "10-16,1-7"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["week"] == "1-7,10-16"
    lesson_id = created.json()["id"]
    patched = api.patch(f"{API}/lessons/{lesson_id}/", {"start_time": "10:05"}, format="json")
    assert patched.json()["week"] == "1-7,10-16"  # kept when not sent

    admin = client_for(school.admin, school.establishment)
    page = admin.get(f"/timetable/manage/lessons/{lesson_id}/")
    assert 'value="1-7,10-16"' in page.content.decode()
    form = {
        "weekday": "2",
        "start_time": "10:05",
        "end_time": "11:00",
        "week": "chosen",
        "weeks": "",
        "subject": school.math.pk,
        "teacher": teacher_id,
        "school_class": school.school_class.pk,
    }
    assert admin.post(f"/timetable/manage/lessons/{lesson_id}/", form).status_code == 400
    saved = admin.post(f"/timetable/manage/lessons/{lesson_id}/", {**form, "weeks": "20-22"})
    assert saved.status_code == 302
    with schema_context(school.establishment.schema_name):
        assert Lesson.objects.get(pk=lesson_id).weeks == "20-22"


def test_a_co_taught_lesson_for_a_group_and_a_class_reaches_everyone_concerned(school: School):
    with schema_context(school.establishment.schema_name):
        co_teacher = school.m(school.other_teacher)
    lesson = school.lesson(
        group=school.group,
        co_teachers=(co_teacher,),
        more_classes=(school.other_class,),
        subject=school.english,
    )
    # The co-teacher sees it in their week, and may take its register.
    co = client_for(school.other_teacher, school.establishment, api=True)
    monday_a = monday(3)
    found = co.get(f"{API}/week/", {"date": monday_a.isoformat()}).json()["occurrences"]
    assert [o["subject"] for o in found] == ["Anglais"]
    register = client_for(school.other_teacher, school.establishment).get(
        f"/attendance/register/{lesson.pk}/{monday_a.isoformat()}/"
    )
    assert register.status_code == 200
    html = register.content.decode()
    # The group's members and the whole other class: the other student is in both, listed once.
    assert html.count('type="radio"') == 2 * 3
    with schema_context(school.establishment.schema_name):
        expected = {school.m(school.students[0]).pk, school.m(school.other_student).pk}
    for pk in expected:
        assert f'name="status-{pk}"' in html
    # A student of the other class who is not in the group sees it too (a class of the lesson).
    other_week = client_for(school.other_student, school.establishment, api=True)
    assert any(
        o["subject"] == "Anglais"
        for o in other_week.get(f"{API}/week/", {"date": monday_a.isoformat()}).json()["occurrences"]
    )
    # The co-teacher cannot be booked elsewhere at the same time.
    with pytest.raises(ValidationFailed) as busy:
        school.lesson(teacher=school.other_teacher, room=school.other_room, start_time=t("08:30"))
    assert "teacher" in busy.value.fields
    # Editing without naming them keeps them; naming none removes them.
    with schema_context(school.establishment.schema_name):
        lesson = Lesson.objects.get(pk=lesson.pk)
        lesson_update(
            actor=None,
            lesson=lesson,
            weekday=0,
            start_time=t("08:00"),
            end_time=t("09:00"),
            subject=school.english,
            teacher=school.m(school.teacher),
            group=school.group,
            room=school.room,
        )
        assert lesson.participants.count() == 2
        lesson_update(
            actor=None,
            lesson=lesson,
            weekday=0,
            start_time=t("08:00"),
            end_time=t("09:00"),
            subject=school.english,
            teacher=school.m(school.teacher),
            group=school.group,
            room=school.room,
            co_teachers=(),
            more_classes=(),
        )
        assert not Lesson.objects.get(pk=lesson.pk).has_participants
