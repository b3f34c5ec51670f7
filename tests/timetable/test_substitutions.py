"""Substitutions: a teacher absent for a week changes every lesson they teach at once (cancelled
until replaced; a co-taught lesson is held by the other teacher), replacements are checked for
clashes, and each person concerned gets one notice listing their lessons, not one per lesson."""

from __future__ import annotations

import datetime

import pytest
from django_tenants.utils import schema_context

from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.audit.models import AuditEntry
from shared_apps.identity.roles import Role
from tenant_apps.timetable.models import LessonChange, TeacherAbsence
from tenant_apps.timetable.selectors import lesson_occurrence
from tenant_apps.timetable.services import (
    Assignment,
    teacher_absence_assign,
    teacher_absence_delete,
    teacher_absence_record,
)
from tenant_apps.timetable.substitution_notices import absence_notices, teacher_absence_notification_send
from tests.conftest import client_for
from tests.factories import member
from tests.timetable.helpers import WEEK_A, School, t

MONDAY = WEEK_A  # 14/9/2026, week A
FRIDAY = MONDAY + datetime.timedelta(days=4)


@pytest.fixture
def week(school: School) -> dict:
    """The teacher: maths with 6e T on Monday, Tuesday and Thursday 08:00; English with the group
    on Wednesday 10:00, co-taught with the other teacher; a week-B lesson (not this week)."""
    lessons = {
        "mon": school.lesson(weekday=0),
        "tue": school.lesson(weekday=1),
        "thu": school.lesson(weekday=3),
        "b_week": school.lesson(weekday=4, week="B"),
    }
    with schema_context(school.establishment.schema_name):
        other = school.m(school.other_teacher)
    lessons["wed"] = school.lesson(
        weekday=2,
        start_time=t("10:00"),
        end_time=t("11:00"),
        group=school.group,
        subject=school.english,
        co_teachers=(other,),
    )
    return lessons


def test_a_week_of_absence_changes_every_lesson_at_once_and_tells_each_person_once(
    school: School, week: dict
):
    with schema_context(school.establishment.schema_name):
        absence = teacher_absence_record(
            actor=school.school_life, teacher=school.m(school.teacher), start=MONDAY, end=FRIDAY
        )
        changes = {c.lesson_id: c for c in absence.changes.all()}
        assert set(changes) == {week[k].pk for k in ("mon", "tue", "wed", "thu")}  # not the week-B lesson
        assert all(changes[week[k].pk].cancelled for k in ("mon", "tue", "thu"))
        assert not changes[week["wed"].pk].cancelled  # the co-teacher still teaches it
        wed = lesson_occurrence(lesson_id=week["wed"].pk, day=MONDAY + datetime.timedelta(days=2))
        assert (
            wed.takes_place and wed.co_teacher_ids == () and wed.teacher == school.other_teacher.display_name
        )
        # A replacement for Tuesday; the other teacher cannot take Wednesday's slot twice.
        replacement = school.m(member(school.establishment, Role.TEACHER))
        teacher_absence_assign(
            actor=school.school_life,
            absence=absence,
            assignments=[Assignment(changes[week["tue"].pk], replacement)],
        )
        tuesday = lesson_occurrence(lesson_id=week["tue"].pk, day=MONDAY + datetime.timedelta(days=1))
        assert tuesday.takes_place and tuesday.teacher_id == replacement.pk
        busy = school.lesson(
            weekday=3,
            teacher=school.other_teacher,
            room=school.other_room,
            start_time=t("08:30"),
        )
        assert busy.pk
        with pytest.raises(ValidationFailed):
            teacher_absence_assign(
                actor=school.school_life,
                absence=absence,
                assignments=[Assignment(changes[week["thu"].pk], school.m(school.other_teacher))],
            )

        notices = absence_notices(absence=absence)
        # One notice per person: the class's students (3 maths lessons), the group's members, the
        # guardian, the absent teacher, the co-teacher, the replacement.
        students = {s.pk for s in school.students}
        assert students <= set(notices)
        assert len(notices[school.students[0].pk].lines) == 4  # in the class and in the group
        assert len(notices[school.students[1].pk].lines) == 3
        assert len(notices[school.other_student.pk].lines) == 1  # the group only
        assert len(notices[school.guardian.pk].lines) == 4
        assert len(notices[school.teacher.pk].lines) == 4
        assert (
            len(notices[replacement.user_id].lines) == 1 and "taught by" in notices[replacement.user_id].text
        )
        assert "cancelled" in notices[school.students[1].pk].text
        assert len(notices) == len(set(notices))
        told = teacher_absence_notification_send(absence_id=absence.pk)
        assert told == len(notices)
        assert teacher_absence_notification_send(absence_id=absence.pk) == 0  # once per version
        assert not LessonChange.objects.filter(absence=absence, notified_at__isnull=True).exists()
        teacher_absence_delete(actor=school.school_life, absence=absence)
        assert not LessonChange.objects.filter(lesson_id__in=[week[k].pk for k in week]).exists()
        actions = set(
            AuditEntry.objects.filter(action__startswith="timetable.teacher_absence").values_list(
                "action", flat=True
            )
        )
    assert actions == {
        "timetable.teacher_absence_recorded",
        "timetable.teacher_absence_assigned",
        "timetable.teacher_absence_deleted",
    }


def test_the_pages_and_api_record_assign_and_notify(school: School, week: dict):
    with schema_context(school.establishment.schema_name):
        teacher_id = school.m(school.teacher).pk
        other_id = school.m(school.other_teacher).pk
    life = client_for(school.school_life, school.establishment)
    assert (
        life.post(
            "/timetable/substitutions/", {"teacher": teacher_id, "start": "2026-09-18", "end": "2026-09-14"}
        ).status_code
        == 400
    )
    created = life.post(
        "/timetable/substitutions/", {"teacher": teacher_id, "start": "2026-09-14", "end": "2026-09-15"}
    )
    assert created.status_code == 302
    page = life.get(created["Location"]).content.decode()
    assert "Save the replacements" in page and "Mathématiques" in page
    with schema_context(school.establishment.schema_name):
        absence = TeacherAbsence.objects.get()
        monday = absence.changes.get(lesson=week["mon"])
    assert (
        life.post(
            created["Location"], {"action": "assign", f"replacement-{monday.pk}": str(other_id)}
        ).status_code
        == 302
    )
    with schema_context(school.establishment.schema_name):
        monday.refresh_from_db()
        assert monday.replacement_teacher_id == other_id and not monday.cancelled
    assert life.post(created["Location"], {"action": "notify"}).status_code == 302
    api = client_for(school.school_life, school.establishment, api=True)
    body = api.get(f"/api/v1/timetable/substitutions/{absence.pk}/").json()
    assert len(body["changes"]) == 2
    assigned = api.post(
        f"/api/v1/timetable/substitutions/{absence.pk}/assignments/",
        {"assignments": [{"change_id": monday.pk, "replacement_teacher_id": None}]},
        format="json",
    )
    assert assigned.status_code == 200 and assigned.json()["changes"][0]["cancelled"] is True
    assert api.post(f"/api/v1/timetable/substitutions/{absence.pk}/notify/").status_code == 202
    again = api.post(
        "/api/v1/timetable/substitutions/",
        {"teacher_id": teacher_id, "start": "2026-09-21", "end": "2026-09-25"},
        format="json",
    )
    assert again.status_code == 201 and len(again.json()["changes"]) == 5  # week B: with Friday's
    assert api.delete(f"/api/v1/timetable/substitutions/{absence.pk}/").status_code == 204
    for user in (school.teacher, school.students[0], school.guardian):
        assert client_for(user, school.establishment).get("/timetable/substitutions/").status_code == 403
        assert (
            client_for(user, school.establishment, api=True)
            .get("/api/v1/timetable/substitutions/")
            .status_code
            == 403
        )


def test_another_schools_absences_are_404(school: School, week: dict, school_b):
    with schema_context(school.establishment.schema_name):
        absence = teacher_absence_record(
            actor=school.school_life, teacher=school.m(school.teacher), start=MONDAY, end=MONDAY
        )
    with schema_context(school_b.schema_name):
        assert not TeacherAbsence.objects.filter(pk=absence.pk).exists()
    staff = member(school_b, Role.SCHOOL_LIFE)
    page, api = client_for(staff, school_b), client_for(staff, school_b, api=True)
    assert page.get(f"/timetable/substitutions/{absence.pk}/").status_code == 404
    assert page.post(f"/timetable/substitutions/{absence.pk}/", {"action": "delete"}).status_code == 404
    assert api.get(f"/api/v1/timetable/substitutions/{absence.pk}/").status_code == 404
    assert api.post(f"/api/v1/timetable/substitutions/{absence.pk}/notify/").status_code == 404
    assert client_for(school.school_life, school_b).get("/timetable/substitutions/").status_code == 403
