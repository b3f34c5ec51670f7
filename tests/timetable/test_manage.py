"""Managing the timetable: lessons (add, edit, end, delete), holidays, exceptional lessons, one-off
changes and their undoing, through the pages and the API; double bookings; who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.timetable.models import ExceptionalLesson, Holiday, Lesson, LessonChange
from tenant_apps.timetable.services import exceptional_lesson_create, holiday_create, lesson_change_set
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import WEEK_A, WEEK_B, School, t

API = "/api/v1/timetable"


def in_school(school: School):
    return schema_context(school.establishment.schema_name)


def member_pk(school: School, user) -> int:
    with in_school(school):
        return school.m(user).pk


def take_register(school: School, lesson: Lesson, day: datetime.date) -> None:
    """A register taken by the teacher for the occurrence of ``day`` (through the attendance service)."""
    from tenant_apps.attendance.services import register_save
    from tenant_apps.timetable.selectors import lesson_occurrence

    with in_school(school):
        occ = lesson_occurrence(lesson_id=lesson.pk, day=day)
        assert occ is not None
        register_save(actor=school.teacher, occurrence=occ, marks={})


def exceptional(school: School, **fields) -> ExceptionalLesson:
    with in_school(school):
        values = {
            "actor": None,
            "date": WEEK_A + datetime.timedelta(days=2),
            "start_time": t("14:00"),
            "end_time": t("16:00"),
            "subject": school.english,
            "teacher": school.m(school.teacher),
            "school_class": school.school_class,
            "room": school.other_room,
        }
        values.update(fields)
        return exceptional_lesson_create(**values)


@pytest.fixture
def run_notifications(school: School, monkeypatch):
    """Run the e-mail tasks at once, in the school's schema (as the tenant-aware worker does)."""
    from tenant_apps.timetable.tasks import lesson_change_notify_task, lesson_change_undone_notify_task

    for task in (lesson_change_notify_task, lesson_change_undone_notify_task):

        def run(args, task=task, **options):
            with in_school(school):
                return task.apply(args)

        monkeypatch.setattr(task, "apply_async", run)


# --- Pages -----------------------------------------------------------------------------------------


def test_a_manager_adds_edits_ends_and_deletes_a_lesson_through_the_pages(school: School, monkeypatch):
    admin = client_for(school.admin, school.establishment)
    teacher_pk = member_pk(school, school.teacher)
    form = {
        "action": "save",
        "weekday": "1",
        "start_time": "10:00",
        "end_time": "11:00",
        "week": "A",
        "subject": school.math.pk,
        "teacher": teacher_pk,
        "school_class": school.school_class.pk,
        "room": school.room.pk,
    }
    added = admin.post("/timetable/manage/lessons/new/", form)
    assert added.status_code == 302
    with in_school(school):
        lesson = Lesson.objects.get(weekday=1, start_time=t("10:00"))
    assert lesson.week == "A" and lesson.room_id == school.room.pk

    grid = admin.get("/timetable/manage/", {"school_class": school.school_class.pk})
    html = grid.content.decode()
    assert grid.status_code == 200 and "<caption" in html and "Mathématiques" in html
    assert f"/timetable/manage/lessons/{lesson.pk}/" in html
    listing = admin.get("/timetable/manage/", {"teacher": teacher_pk, "view": "list"})
    assert "Mathématiques" in listing.content.decode()
    assert (
        "Mathématiques"
        not in admin.get("/timetable/manage/", {"room": school.other_room.pk}).content.decode()
    )

    # Edit: a field's error comes back next to the field with a 400; a good edit is saved.
    bad = admin.post(f"/timetable/manage/lessons/{lesson.pk}/", {**form, "end_time": "09:00"})
    assert bad.status_code == 400
    assert 'id="id_end_time-error"' in bad.content.decode()
    edited = admin.post(f"/timetable/manage/lessons/{lesson.pk}/", {**form, "room": school.other_room.pk})
    assert edited.status_code == 302
    with in_school(school):
        lesson.refresh_from_db()
    assert lesson.room_id == school.other_room.pk

    # End it after the week of 14 September (a Tuesday of week A): gone from 29 September.
    ended = admin.post(
        f"/timetable/manage/lessons/{lesson.pk}/", {"action": "end", "end-last_day": "2026-09-20"}
    )
    assert ended.status_code == 302
    student = client_for(school.students[0], school.establishment, api=True)
    assert [o["date"] for o in student.get(f"{API}/week/", {"date": "2026-09-14"}).json()["occurrences"]] == [
        "2026-09-15"
    ]
    assert student.get(f"{API}/week/", {"date": "2026-09-28"}).json()["occurrences"] == []

    # No register: it can be deleted.
    deleted = admin.post(f"/timetable/manage/lessons/{lesson.pk}/", {"action": "delete"})
    assert deleted.status_code == 302
    with in_school(school):
        assert not Lesson.objects.filter(pk=lesson.pk).exists()
    page = admin.get(deleted["Location"])
    assert "The lesson was deleted." in page.content.decode()


def test_a_lesson_with_registers_is_ended_not_deleted(school: School):
    lesson = school.lesson()  # Mondays, every week
    take_register(school, lesson, WEEK_A)
    api = client_for(school.admin, school.establishment, api=True)

    refused = api.delete(f"{API}/lessons/{lesson.pk}/")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "lesson_has_registers"
    assert "End it instead" in refused.json()["error"]["message"]
    page = client_for(school.admin, school.establishment).post(
        f"/timetable/manage/lessons/{lesson.pk}/", {"action": "delete"}
    )
    assert page.status_code == 409 and "End it instead" in page.content.decode()

    with in_school(school):
        lesson_change_set(actor=None, lesson=lesson, date=WEEK_B, cancelled=True, notify=False)
        lesson_change_set(
            actor=None,
            lesson=lesson,
            date=WEEK_B + datetime.timedelta(days=7),
            new_date=WEEK_A + datetime.timedelta(days=4),
            notify=False,
        )
    # Ending it before the register's date is refused; after it, accepted.
    too_early = api.post(f"{API}/lessons/{lesson.pk}/end/", {"last_day": "2026-09-13"}, format="json")
    assert too_early.status_code == 400 and "ends_on" in too_early.json()["error"]["fields"]
    ended = api.post(f"{API}/lessons/{lesson.pk}/end/", {"last_day": "2026-09-18"}, format="json")
    assert ended.status_code == 200 and ended.json()["ends_on"] == "2026-09-18"
    student = client_for(school.students[0], school.establishment, api=True)
    assert len(student.get(f"{API}/week/", {"date": WEEK_A.isoformat()}).json()["occurrences"]) == 1
    assert student.get(f"{API}/week/", {"date": WEEK_B.isoformat()}).json()["occurrences"] == []
    with in_school(school):  # the changes of the occurrences it no longer has are gone
        assert not LessonChange.objects.filter(lesson=lesson).exists()

    # A new lesson from the next week replaces it (a timetable changed mid-year).
    with in_school(school):
        replacement = school.lesson(starts_on=WEEK_B, start_time=t("10:00"), end_time=t("11:00"))
        assert replacement.starts_on == WEEK_B
    assert [
        o["start"] for o in student.get(f"{API}/week/", {"date": WEEK_B.isoformat()}).json()["occurrences"]
    ] == ["10:00"]
    assert [
        o["start"] for o in student.get(f"{API}/week/", {"date": WEEK_A.isoformat()}).json()["occurrences"]
    ] == ["08:00"]


def test_an_exceptional_lesson_with_a_register_is_not_deleted(school: School):
    from tenant_apps.attendance.models import Register

    exc = exceptional(school)
    with in_school(school):
        Register.objects.create(
            exceptional_lesson=exc,
            occurrence_date=exc.date,
            date=exc.date,
            start_time=exc.start_time,
            end_time=exc.end_time,
            teacher=exc.teacher,
            taken_by_id=school.teacher.pk,
            taken_at=timezone.now(),
        )
    api = client_for(school.school_life, school.establishment, api=True)
    refused = api.delete(f"{API}/exceptional-lessons/{exc.pk}/")
    assert refused.status_code == 409
    page = client_for(school.school_life, school.establishment).post(
        f"/timetable/manage/exceptional/{exc.pk}/", {"action": "delete"}
    )
    assert page.status_code == 409 and "register was taken" in page.content.decode()
    with in_school(school):
        assert ExceptionalLesson.objects.filter(pk=exc.pk).exists()


def test_school_life_manages_exceptional_lessons_through_the_pages_and_the_api(school: School, monkeypatch):
    editor = client_for(school.school_life, school.establishment)
    teacher_pk = member_pk(school, school.teacher)
    form = {
        "date": "2026-09-16",
        "start_time": "14:00",
        "end_time": "16:00",
        "subject": school.english.pk,
        "teacher": teacher_pk,
        "group": school.group.pk,
        "note": "Devoir commun",
    }
    assert editor.post("/timetable/manage/exceptional/", form).status_code == 302
    with in_school(school):
        exc = ExceptionalLesson.objects.get(note="Devoir commun")
    # Upcoming ones only.
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 9, 10))
    assert "Devoir commun" in editor.get("/timetable/manage/exceptional/").content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 9, 17))
    assert "Devoir commun" not in editor.get("/timetable/manage/exceptional/").content.decode()
    api = client_for(school.school_life, school.establishment, api=True)
    found = api.get(f"{API}/exceptional-lessons/", {"from": "2026-09-14", "to": "2026-09-20"}).json()
    assert [r["id"] for r in found["results"]] == [exc.pk]
    assert api.get(f"{API}/exceptional-lessons/", {"from": "2026-09-17"}).json()["results"] == []

    # Both class and group: refused, next to the field.
    both = editor.post(
        f"/timetable/manage/exceptional/{exc.pk}/", {**form, "school_class": school.school_class.pk}
    )
    assert both.status_code == 400 and 'id="id_school_class-error"' in both.content.decode()
    moved = api.patch(f"{API}/exceptional-lessons/{exc.pk}/", {"date": "2026-09-17"}, format="json")
    assert moved.status_code == 200 and moved.json()["date"] == "2026-09-17"
    assert editor.post(f"/timetable/manage/exceptional/{exc.pk}/", {"action": "delete"}).status_code == 302
    with in_school(school):
        assert not ExceptionalLesson.objects.filter(pk=exc.pk).exists()


def test_holidays_are_managed_through_the_pages_and_the_api(school: School):
    admin = client_for(school.admin, school.establishment)
    assert (
        admin.post(
            "/timetable/manage/holidays/", {"name": "Toussaint", "start": "2026-10-17", "end": "2026-11-01"}
        ).status_code
        == 302
    )
    bad = admin.post(
        "/timetable/manage/holidays/", {"name": "Noël", "start": "2027-01-03", "end": "2026-12-19"}
    )
    assert bad.status_code == 400 and 'id="id_end-error"' in bad.content.decode()
    with in_school(school):
        holiday = Holiday.objects.get(name="Toussaint")
    page = admin.get("/timetable/manage/holidays/")
    assert "Toussaint" in page.content.decode() and "<caption>" in page.content.decode()
    api = client_for(school.admin, school.establishment, api=True)
    patched = api.patch(f"{API}/holidays/{holiday.pk}/", {"end": "2026-11-02"}, format="json")
    assert patched.status_code == 200 and patched.json()["end"] == "2026-11-02"
    assert [h["name"] for h in api.get(f"{API}/holidays/").json()["results"]] == ["Toussaint"]
    saved = admin.post(
        f"/timetable/manage/holidays/{holiday.pk}/",
        {"action": "save", "name": "Vacances de la Toussaint", "start": "2026-10-17", "end": "2026-11-01"},
    )
    assert saved.status_code == 302
    assert admin.post(f"/timetable/manage/holidays/{holiday.pk}/", {"action": "delete"}).status_code == 302
    assert api.delete(f"{API}/holidays/{holiday.pk}/").status_code == 404


# --- Changes of one occurrence ----------------------------------------------------------------------


def test_a_change_is_recorded_from_the_week_page_and_undoing_it_emails_the_people_concerned(
    school: School, run_notifications, django_capture_on_commit_callbacks
):
    from shared_apps.identity.models import User

    User.objects.filter(pk=school.other_teacher.pk).update(email="replacement@example.org")
    lesson = school.lesson()
    editor = client_for(school.school_life, school.establishment)
    week_page = editor.get("/timetable/", {"date": WEEK_A.isoformat()})
    assert week_page.status_code == 200
    admin_week = client_for(school.admin, school.establishment).get(
        f"/timetable/classes/{school.school_class.pk}/", {"date": WEEK_A.isoformat()}
    )
    change_url = f"/timetable/lessons/{lesson.pk}/{WEEK_A.isoformat()}/change/"
    assert change_url in admin_week.content.decode()
    assert "Week A" in admin_week.content.decode()
    # A student's week has no "Change" link.
    assert (
        change_url
        not in client_for(school.students[0], school.establishment)
        .get("/timetable/", {"date": WEEK_A.isoformat()})
        .content.decode()
    )

    assert editor.get(change_url).status_code == 200
    both = editor.post(change_url, {"action": "save", "cancelled": "on", "new_room": school.other_room.pk})
    assert both.status_code == 400 and 'id="id_cancelled-error"' in both.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        recorded = editor.post(
            change_url,
            {
                "action": "save",
                "new_room": school.other_room.pk,
                "replacement_teacher": member_pk(school, school.other_teacher),
                "note": "Salle info",
                "back": f"/timetable/classes/{school.school_class.pk}/?date=2026-09-14",
            },
        )
    assert recorded.status_code == 302 and recorded["Location"].startswith(
        f"/timetable/classes/{school.school_class.pk}/"
    )
    # Staff at once; the guardian's is kept for the daily digest (families' default).
    assert {a for m in mail.outbox for a in m.to} >= {"teacher@example.org"}
    assert "guardian@example.org" not in {a for m in mail.outbox for a in m.to}
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        undone = editor.post(change_url, {"action": "undo"})
    assert undone.status_code == 302
    with in_school(school):
        assert not LessonChange.objects.filter(lesson=lesson).exists()
    recipients = {a for m in mail.outbox for a in m.to}
    assert {"teacher@example.org", "replacement@example.org"} <= recipients
    # Each person is written to in their own language: French by default.
    assert all("a lieu comme prévu" in m.subject for m in mail.outbox)

    # The same through the API: record, then DELETE .../changes/<date>/.
    api = client_for(school.school_life, school.establishment, api=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            api.post(
                f"{API}/lessons/{lesson.pk}/changes/",
                {"date": "2026-09-21", "cancelled": True},
                format="json",
            ).status_code
            == 201
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"{API}/lessons/{lesson.pk}/changes/2026-09-21/").status_code == 204
    assert {"teacher@example.org"} <= {a for m in mail.outbox for a in m.to}
    assert api.delete(f"{API}/lessons/{lesson.pk}/changes/2026-09-21/").status_code == 404
    # Not an occurrence of the lesson: no change page.
    assert editor.get(f"/timetable/lessons/{lesson.pk}/2026-09-15/change/").status_code == 404


# --- Rules -------------------------------------------------------------------------------------------


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
