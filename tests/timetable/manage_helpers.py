"""Helpers of the timetable management tests: the school's schema, a member's row, a register taken,
an exceptional lesson."""

from __future__ import annotations

import datetime

from django_tenants.utils import schema_context

from tenant_apps.timetable.models import ExceptionalLesson, Lesson
from tenant_apps.timetable.services import exceptional_lesson_create
from tests.timetable.helpers import WEEK_A, School, t

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
