"""Writes in an establishment are audited through the kernel's one function: a timetable edit, a
structure update and a mark correction each leave exactly one entry, saying who did it, where,
and what changed (before → after)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from tenant_apps.attendance.models import AttendanceMark
from tests.conftest import client_for
from tests.timetable.helpers import WEEK_A, School, make_school


@pytest.fixture
def school(school_a) -> School:
    return make_school(school_a)


def entries_after(marker: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(pk__gt=marker).order_by("pk"))


def last_entry() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_a_timetable_edit_leaves_one_entry_with_before_and_after(school: School):
    lesson = school.lesson()
    admin = client_for(school.admin, school.establishment, api=True)
    marker = last_entry()

    edited = admin.patch(
        f"/api/v1/timetable/lessons/{lesson.pk}/",
        {"start_time": "10:00", "end_time": "11:00", "room_id": school.other_room.pk},
        format="json",
    )

    assert edited.status_code == 200, edited.content
    [entry] = entries_after(marker)
    assert (entry.action, entry.target_type, entry.target_id) == (
        "timetable.lesson_updated",
        "timetable.lesson",
        str(lesson.pk),
    )
    assert entry.actor_id == school.admin.pk and entry.establishment_id == school.establishment.pk
    assert entry.details["changes"] == {
        "start_time": {"from": "08:00:00", "to": "10:00:00"},
        "end_time": {"from": "09:00:00", "to": "11:00:00"},
        "room_id": {"from": school.room.pk, "to": school.other_room.pk},
    }


def test_a_structure_update_leaves_one_entry_with_before_and_after(school: School):
    admin = client_for(school.admin, school.establishment, api=True)
    marker = last_entry()

    renamed = admin.patch(
        f"/api/v1/structure/rooms/{school.room.pk}/", {"name": "Salle Curie", "capacity": 30}, format="json"
    )

    assert renamed.status_code == 200, renamed.content
    [entry] = entries_after(marker)
    assert (entry.action, entry.target_type, entry.target_id) == (
        "structure.room_updated",
        "structure.room",
        str(school.room.pk),
    )
    assert entry.actor_id == school.admin.pk and entry.establishment_id == school.establishment.pk
    assert entry.details["changes"] == {
        "name": {"from": school.room.name, "to": "Salle Curie"},
        "capacity": {"from": None, "to": 30},
    }


def test_a_mark_correction_leaves_one_entry_with_before_and_after(school: School):
    lesson = school.lesson()
    child = school.students[0]
    with schema_context(school.establishment.schema_name):
        child_pk = school.m(child).pk
    register = f"/api/v1/attendance/registers/{lesson.pk}/{WEEK_A.isoformat()}/"
    taken = client_for(school.teacher, school.establishment, api=True).post(
        register, {"marks": [{"student_id": child_pk, "status": "absent"}]}, format="json"
    )
    assert taken.status_code == 200, taken.content
    with schema_context(school.establishment.schema_name):
        mark = AttendanceMark.objects.get(student_id=child_pk, register__lesson=lesson)
    marker = last_entry()

    corrected = client_for(school.school_life, school.establishment, api=True).patch(
        f"/api/v1/attendance/marks/{mark.pk}/", {"status": "late", "late_minutes": 12}, format="json"
    )

    assert corrected.status_code == 200, corrected.content
    [entry] = entries_after(marker)
    assert (entry.action, entry.target_type, entry.target_id) == (
        "attendance.mark_corrected",
        "attendance.attendancemark",
        str(mark.pk),
    )
    assert entry.actor_id == school.school_life.pk and entry.establishment_id == school.establishment.pk
    assert entry.details["student_id"] == child.pk
    assert entry.details["changes"] == {
        "status": {"from": "absent", "to": "late"},
        "late_minutes": {"from": 0, "to": 12},
    }


def test_taking_then_correcting_a_register_leaves_one_entry_each(school: School):
    lesson = school.lesson()
    child = school.students[0]
    with schema_context(school.establishment.schema_name):
        child_pk = school.m(child).pk
    teacher = client_for(school.teacher, school.establishment, api=True)
    register = f"/api/v1/attendance/registers/{lesson.pk}/{WEEK_A.isoformat()}/"
    marker = last_entry()

    teacher.post(register, {"marks": [{"student_id": child_pk, "status": "absent"}]}, format="json")
    teacher.post(register, {"marks": []}, format="json")  # everyone present after all

    taken, corrected = entries_after(marker)
    assert [taken.action, corrected.action] == ["attendance.register_taken", "attendance.register_corrected"]
    assert taken.details["counts"]["absent"] == 1 and taken.details["changes"] == {}
    assert corrected.details["counts"]["absent"] == 0
    assert corrected.details["changes"] == {str(child.pk): {"status": {"from": "absent", "to": "present"}}}
    assert {taken.actor_id, corrected.actor_id} == {school.teacher.pk}
