"""The week view: A/B alternation, one-off changes (a moved lesson in both weeks), holidays,
exceptional lessons; who sees which week."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import ValidationFailed
from tenant_apps.timetable.services import exceptional_lesson_create, holiday_create, lesson_change_set
from tests.conftest import client_for
from tests.timetable.helpers import WEEK_A, WEEK_B, School, t


def week(client, date: datetime.date, path: str = "/api/v1/timetable/week/", **params) -> dict:
    response = client.get(path, {"date": date.isoformat(), **params})
    assert response.status_code == 200, response.content
    return response.json()


def slots(data: dict) -> list[tuple[str, str, str]]:
    return [(o["date"], o["start"], o["subject"]) for o in data["occurrences"]]


def test_week_a_and_week_b_alternate(school: School):
    school.lesson(week="A", subject=school.math)
    school.lesson(week="B", subject=school.english, start_time=t("09:00"), end_time=t("10:00"))
    school.lesson(weekday=1, subject=school.math)  # every Tuesday
    client = client_for(school.students[1], school.establishment, api=True)

    week_a = week(client, WEEK_A)
    assert week_a["week"] == "A"
    assert slots(week_a) == [
        ("2026-09-14", "08:00", "Mathématiques"),
        ("2026-09-15", "08:00", "Mathématiques"),
    ]
    week_b = week(client, WEEK_B + datetime.timedelta(days=3))  # any day of the week
    assert week_b["week"] == "B"
    assert slots(week_b) == [("2026-09-21", "09:00", "Anglais"), ("2026-09-22", "08:00", "Mathématiques")]
    assert week(client, WEEK_A + datetime.timedelta(days=14))["week"] == "A"

    # A week all of holidays does not count: the week after it continues the alternation.
    with schema_context(school.establishment.schema_name):
        holiday_create(
            actor=None, name="Pont", start=datetime.date(2026, 10, 3), end=datetime.date(2026, 10, 11)
        )
    assert week(client, datetime.date(2026, 10, 5))["week"] is None  # the holiday week
    after = week(client, datetime.date(2026, 10, 12))
    assert after["week"] == "B"  # 28/9 A, (5/10 holidays), 12/10 B: A by the calendar
    assert [o["subject"] for o in after["occurrences"] if o["date"] == "2026-10-12"] == ["Anglais"]


def test_a_holiday_fortnight_does_not_count_and_everything_agrees(school: School, monkeypatch):
    """Weeks: 12/10 A, holidays 17/10-1/11 (19/10 and 26/10 not counted), 2/11 B, 9/11 A; then a
    single holiday week 16/11 (odd: the calendar count and the school count now differ), 23/11 B."""
    a_lesson = school.lesson(week="A", subject=school.math)
    b_lesson = school.lesson(week="B", subject=school.english, start_time=t("09:00"), end_time=t("10:00"))
    with schema_context(school.establishment.schema_name):
        holiday_create(
            actor=None, name="Toussaint", start=datetime.date(2026, 10, 17), end=datetime.date(2026, 11, 1)
        )
        holiday_create(
            actor=None,
            name="Une semaine",
            start=datetime.date(2026, 11, 14),
            end=datetime.date(2026, 11, 22),
        )
        # A week with one holiday (Wednesday) still counts.
        holiday_create(
            actor=None, name="Un jour", start=datetime.date(2026, 12, 2), end=datetime.date(2026, 12, 2)
        )
    client = client_for(school.students[1], school.establishment, api=True)
    expected = {
        "2026-10-12": ("A", ["Mathématiques"]),
        "2026-10-19": (None, []),
        "2026-10-26": (None, []),
        "2026-11-02": ("B", ["Anglais"]),
        "2026-11-09": ("A", ["Mathématiques"]),
        "2026-11-16": (None, []),
        "2026-11-23": ("B", ["Anglais"]),
        "2026-11-30": ("A", ["Mathématiques"]),
        "2026-12-07": ("B", ["Anglais"]),
    }
    for monday, (parity, subjects) in expected.items():
        data = week(client, datetime.date.fromisoformat(monday))
        assert (data["week"], [o["subject"] for o in data["occurrences"]]) == (parity, subjects), monday

    page = client_for(school.students[1], school.establishment).get("/timetable/", {"date": "2026-10-19"})
    assert "Holidays" in page.content.decode() and "Week A" not in page.content.decode()

    from tenant_apps.timetable.calendar import year_calendar
    from tenant_apps.timetable.selectors import lesson_occurrence

    with schema_context(school.establishment.schema_name):
        monday = datetime.date(2026, 11, 23)
        assert lesson_occurrence(lesson_id=b_lesson.pk, day=monday) is not None
        assert lesson_occurrence(lesson_id=a_lesson.pk, day=monday) is None
        assert year_calendar(school.year).is_week_a(monday) is False
        # A change is accepted on the B lesson's real date, refused on the calendar's.
        lesson_change_set(actor=None, lesson=b_lesson, date=monday, cancelled=True, notify=False)
        with pytest.raises(ValidationFailed) as refused:
            lesson_change_set(actor=None, lesson=a_lesson, date=monday, cancelled=True, notify=False)
        assert "date" in refused.value.fields

    # The calendar feed agrees.
    import icalendar
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 20))
    url = client.post("/api/v1/timetable/calendar-token/").json()["url"].split("localhost", 1)[1]
    cal = icalendar.Calendar.from_ical(client_for(None, school.establishment).get(url).content)
    by_day = {e.decoded("dtstart").date(): str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert "Anglais" in by_day[datetime.date(2026, 11, 23)]
    assert "Mathématiques" in by_day[datetime.date(2026, 11, 30)]
    assert "Anglais" in by_day[datetime.date(2026, 11, 2)]
    assert datetime.date(2026, 11, 16) not in by_day


def test_a_moved_lesson_appears_in_both_weeks(school: School):
    lesson = school.lesson()
    with schema_context(school.establishment.schema_name):
        lesson_change_set(
            actor=None,
            lesson=lesson,
            date=WEEK_A,
            new_date=WEEK_B + datetime.timedelta(days=2),
            new_start_time=t("14:00"),
            new_end_time=t("15:00"),
            new_room=school.other_room,
            notify=False,
        )
    client = client_for(school.students[0], school.establishment, api=True)

    [left] = week(client, WEEK_A)["occurrences"]
    assert (left["date"], left["start"], left["moved_to"]) == ("2026-09-14", "08:00", "2026-09-23")
    assert left["changed"] and not left["cancelled"]
    moved_week = week(client, WEEK_B)["occurrences"]
    assert [(o["date"], o["start"], o["moved_from"], o["room"]) for o in moved_week] == [
        ("2026-09-21", "08:00", None, school.room.name),  # the usual lesson of week B
        ("2026-09-23", "14:00", "2026-09-14", school.other_room.name),
    ]
    assert moved_week[1]["occurrence_date"] == "2026-09-14" and moved_week[1]["room_changed"]


def test_cancelled_replaced_room_changed_holidays_and_exceptional_lessons(school: School):
    lesson = school.lesson(weekday=2)  # Wednesdays
    wednesday = WEEK_A + datetime.timedelta(days=2)
    with schema_context(school.establishment.schema_name):
        lesson_change_set(actor=None, lesson=lesson, date=wednesday, cancelled=True, notify=False)
        lesson_change_set(
            actor=None,
            lesson=lesson,
            date=wednesday + datetime.timedelta(days=7),
            replacement_teacher=school.m(school.other_teacher),
            new_room=school.other_room,
            notify=False,
        )
        holiday_create(
            actor=None, name="Toussaint", start=datetime.date(2026, 10, 17), end=datetime.date(2026, 11, 1)
        )
        exceptional_lesson_create(
            actor=None,
            date=datetime.date(2026, 10, 28),
            start_time=t("10:00"),
            end_time=t("12:00"),
            subject=school.english,
            teacher=school.m(school.teacher),
            school_class=school.school_class,
        )
    student = client_for(school.students[1], school.establishment, api=True)
    [cancelled] = week(student, WEEK_A)["occurrences"]
    assert cancelled["cancelled"] and cancelled["changed"]
    [replaced] = week(student, WEEK_B)["occurrences"]
    assert replaced["replaced"] and replaced["teacher"] == school.other_teacher.display_name
    assert replaced["room"] == school.other_room.name
    holidays = week(student, datetime.date(2026, 10, 26))["occurrences"]
    assert [(o["date"], o["exceptional"]) for o in holidays] == [("2026-10-28", True)]

    # The replacement teacher sees that one occurrence; the usual teacher sees it replaced.
    other = client_for(school.other_teacher, school.establishment, api=True)
    assert [o["date"] for o in week(other, WEEK_B)["occurrences"]] == ["2026-09-23"]
    assert week(other, WEEK_A + datetime.timedelta(days=14))["occurrences"] == []
    teacher = client_for(school.teacher, school.establishment, api=True)
    assert [o["replaced"] for o in week(teacher, WEEK_B)["occurrences"]] == [True]

    # The other room's week shows the lesson only where it moved in.
    admin = client_for(school.admin, school.establishment, api=True)
    path = f"/api/v1/timetable/rooms/{school.other_room.pk}/week/"
    assert [o["date"] for o in week(admin, WEEK_B, path)["occurrences"]] == ["2026-09-23"]
    assert week(admin, WEEK_A, path)["occurrences"] == []


def test_groups_mix_classes_and_a_class_week_shows_its_groups(school: School):
    school.lesson(group=school.group, subject=school.english, weekday=3)
    in_group = client_for(school.students[0], school.establishment, api=True)
    not_in_group = client_for(school.students[1], school.establishment, api=True)
    from_other_class = client_for(school.other_student, school.establishment, api=True)
    assert [o["subject"] for o in week(in_group, WEEK_A)["occurrences"]] == ["Anglais"]
    assert week(not_in_group, WEEK_A)["occurrences"] == []
    assert [o["audience"] for o in week(from_other_class, WEEK_A)["occurrences"]] == [school.group.name]
    path = f"/api/v1/timetable/classes/{school.other_class.pk}/week/"
    assert (
        len(week(client_for(school.admin, school.establishment, api=True), WEEK_A, path)["occurrences"]) == 1
    )


def test_who_sees_which_week(school: School, school_b):
    school.lesson()
    establishment = school.establishment
    student = client_for(school.students[0], establishment, api=True)
    own = f"/api/v1/timetable/classes/{school.school_class.pk}/week/"
    other = f"/api/v1/timetable/classes/{school.other_class.pk}/week/"
    assert student.get(own).status_code == 200
    assert student.get(other).status_code == 404
    assert student.get(f"/api/v1/timetable/rooms/{school.room.pk}/week/").status_code == 403

    guardian = client_for(school.guardian, establishment, api=True)
    child = school.students[0].pk
    assert len(week(guardian, WEEK_A, child=child)["occurrences"]) == 1
    assert guardian.get("/api/v1/timetable/week/", {"child": school.students[1].pk}).status_code == 404
    assert guardian.get(other).status_code == 404
    assert guardian.get(own).status_code == 200

    anonymous = client_for(None, establishment, api=True)
    assert anonymous.get("/api/v1/timetable/week/").status_code == 401
    # Another establishment: not a member there; its own staff do not see this school's rooms.
    assert (
        client_for(school.students[0], school_b, api=True).get("/api/v1/timetable/week/").status_code == 403
    )
    from tests.factories import member

    b_admin = client_for(member(school_b, "admin_staff"), school_b, api=True)
    with schema_context(school_b.schema_name):
        from tenant_apps.school.models import SchoolClass
        from tenant_apps.structure.models import Room

        assert not Room.objects.filter(pk=school.room.pk).exists()
        assert not SchoolClass.objects.filter(pk=school.school_class.pk).exists()
    assert b_admin.get(f"/api/v1/timetable/rooms/{school.room.pk}/week/").status_code == 404
    assert b_admin.get(own).status_code == 404


def test_week_pages_render_and_highlight_todays_changes(school: School, monkeypatch):
    lesson = school.lesson()
    with schema_context(school.establishment.schema_name):
        lesson_change_set(actor=None, lesson=lesson, date=WEEK_A, cancelled=True, notify=False)
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: WEEK_A)
    page = client_for(school.students[0], school.establishment).get(
        "/timetable/", {"date": WEEK_A.isoformat()}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "today-change" in html and "Mathématiques" in html
    assert (
        client_for(school.admin, school.establishment).get(f"/timetable/rooms/{school.room.pk}/").status_code
        == 200
    )
    cls = client_for(school.students[0], school.establishment).get(
        f"/timetable/classes/{school.other_class.pk}/"
    )
    assert cls.status_code == 404


def test_a_lesson_shows_its_change_and_the_editors_link_escaped(school: School):
    """A lesson moved (with a note) shows struck out on its day with "moved to", and on its new
    day with "moved from"; the note is escaped; the administrator has a link to change it, which
    comes back to this page."""
    lesson = school.lesson()  # Monday
    tuesday = WEEK_A + datetime.timedelta(days=1)
    with schema_context(school.establishment.schema_name):
        lesson_change_set(
            actor=None, lesson=lesson, date=WEEK_A, new_date=tuesday, note="<b>Salle 12</b>", notify=False
        )
    here = f"/timetable/?date={WEEK_A.isoformat()}"
    student = client_for(school.students[0], school.establishment).get(here, HTTP_ACCEPT_LANGUAGE="en")
    html = student.content.decode()
    assert "<del>Mathématiques" in html and "<em>Moved to " in html and "<em>Moved from " in html
    assert "&lt;b&gt;Salle 12&lt;/b&gt;" in html and "<b>Salle 12" not in html
    assert "/timetable/lessons/" not in html  # a student changes nothing
    admin = client_for(school.admin, school.establishment).get(
        f"/timetable/classes/{school.school_class.pk}/?date={WEEK_A.isoformat()}"
    )
    assert admin.status_code == 200
    back = f"?back=/timetable/classes/{school.school_class.pk}/%3Fdate%3D{WEEK_A.isoformat()}"
    assert f"/timetable/lessons/{lesson.pk}/{WEEK_A.isoformat()}/change/{back}" in admin.content.decode()


def test_a_students_week_runs_a_bounded_number_of_queries(school: School):
    for weekday in range(5):
        for hour in (8, 10, 14):
            school.lesson(weekday=weekday, start_time=t(f"{hour:02d}:00"), end_time=t(f"{hour + 1:02d}:00"))
    school.lesson(
        group=school.group, subject=school.english, weekday=4, start_time=t("16:00"), end_time=t("17:00")
    )
    client = client_for(school.students[0], school.establishment, api=True)
    week(client, WEEK_A)
    with CaptureQueriesContext(connection) as ctx:
        data = week(client, WEEK_A)
    assert len(data["occurrences"]) == 16
    assert len(ctx.captured_queries) <= 10


def test_only_administrative_staff_write_the_timetable(school: School):
    lesson = school.lesson()
    body = {
        "year_id": school.year.pk,
        "weekday": 1,
        "start_time": "10:00",
        "end_time": "11:00",
        "subject_id": school.math.pk,
        "teacher_id": 0,
        "school_class_id": school.school_class.pk,
    }
    with schema_context(school.establishment.schema_name):
        body["teacher_id"] = school.m(school.teacher).pk
    for user in (school.teacher, school.students[0], school.guardian, school.school_life):
        assert (
            client_for(user, school.establishment, api=True)
            .post("/api/v1/timetable/lessons/", body, format="json")
            .status_code
            == 403
        )
    admin = client_for(school.admin, school.establishment, api=True)
    assert admin.post("/api/v1/timetable/lessons/", body, format="json").status_code == 201
    bad = admin.post("/api/v1/timetable/lessons/", {**body, "end_time": "09:00"}, format="json")
    assert bad.status_code == 400 and "end_time" in bad.json()["error"]["fields"]

    change = {"date": WEEK_A.isoformat(), "cancelled": True}
    teacher = client_for(school.teacher, school.establishment, api=True)
    assert (
        teacher.post(f"/api/v1/timetable/lessons/{lesson.pk}/changes/", change, format="json").status_code
        == 403
    )
    school_life = client_for(school.school_life, school.establishment, api=True)
    url = f"/api/v1/timetable/lessons/{lesson.pk}/changes/"
    assert school_life.post(url, change, format="json").status_code == 201
    not_a_day = school_life.post(
        url, {"date": (WEEK_A + datetime.timedelta(days=1)).isoformat(), "cancelled": True}, format="json"
    )
    assert not_a_day.status_code == 400
    assert (
        school_life.post("/api/v1/timetable/lessons/999999/changes/", change, format="json").status_code
        == 404
    )
