"""Importing a lycée's timetable: 1,000 weekly lessons (30 classes, 40 teachers, 30 rooms) from
the documented CSV, previewed then applied; then the same file with 10 lessons changed
(previewed and applied); against creating the same 1,000 lessons one by one through
``lesson_create`` (each checked for clashes and audited) in the other school, in the same run.
Prints the times; not a timed test."""

from __future__ import annotations

import time

import pytest
from django_tenants.utils import schema_context

from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member
from tenant_apps.school.services import school_class_ensure
from tenant_apps.structure.services import room_create, school_year_create, subject_create
from tenant_apps.timetable.models import Lesson
from tenant_apps.timetable.services import lesson_create, timetable_import_apply, timetable_import_preview
from tests.factories import member
from tests.timetable.helpers import YEAR_END, YEAR_START, t

pytestmark = pytest.mark.perf

CLASSES, TEACHERS, SLOTS, LESSONS = 30, 40, ("08", "09", "10", "11", "13", "14", "15"), 1000


def _school(establishment, prefix: str):
    teachers = [
        member(establishment, Role.TEACHER, first_name=f"Prof{prefix}", last_name=f"N{i:02d}")
        for i in range(TEACHERS)
    ]
    with schema_context(establishment.schema_name):
        year = school_year_create(
            actor=None, name=f"{prefix}2026", start=YEAR_START, end=YEAR_END, is_current=True
        )
        classes = [school_class_ensure(name=f"2de {prefix}{c}", level="2de") for c in range(CLASSES)]
        rooms = [room_create(actor=None, name=f"{prefix}R{c}") for c in range(CLASSES)]
        subject = subject_create(actor=None, code=f"{prefix}MATH", name="Mathématiques")
    slots = [(day, hour, c) for day in range(5) for hour in SLOTS for c in range(CLASSES)][:LESSONS]
    return teachers, year, classes, rooms, subject, slots


def _csv(teachers, classes, rooms, subject, slots, changed: int = 0) -> bytes:
    lines = ["day;start;end;subject;teacher;co_teachers;classes;groups;room;weeks"]
    for n, (day, hour, c) in enumerate(slots):
        teacher = teachers[(c + day + SLOTS.index(hour)) % TEACHERS]
        room = rooms[c].name if n >= changed else ""  # the first ``changed`` lessons lose their room
        when = f"{day + 1};{hour}:00;{hour}:55"
        lines.append(f"{when};{subject.code};{teacher.display_name};;{classes[c].name};;{room};every")
    return ("\n".join(lines) + "\n").encode()


def test_import_of_1000_lessons_vs_one_by_one(school_a, school_b, bench_report):
    teachers, year, classes, rooms, subject, slots = _school(school_a, "I")
    data = _csv(teachers, classes, rooms, subject, slots)
    with schema_context(school_a.schema_name):
        start = time.perf_counter()
        imp = timetable_import_preview(actor=None, year=year, name="edt.csv", data=data, from_day=YEAR_START)
        preview_s = time.perf_counter() - start
        assert imp.plan["counts"]["created"] == LESSONS, (imp.errors, imp.plan.get("conflicts", [])[:3])
        start = time.perf_counter()
        timetable_import_apply(actor=None, imp=imp)
        apply_s = time.perf_counter() - start
        assert Lesson.objects.filter(year=year).count() == LESSONS

        changed = _csv(teachers, classes, rooms, subject, slots, changed=10)
        start = time.perf_counter()
        again = timetable_import_preview(
            actor=None, year=year, name="edt.csv", data=changed, from_day=YEAR_START
        )
        timetable_import_apply(actor=None, imp=again)
        reimport_s = time.perf_counter() - start
        assert again.plan["counts"]["changed"] == 10 and again.plan["counts"]["unchanged"] == LESSONS - 10

    teachers_b, year_b, classes_b, rooms_b, subject_b, slots_b = _school(school_b, "J")
    with schema_context(school_b.schema_name):
        by_user = {m.user_id: m for m in Member.objects.all()}
        start = time.perf_counter()
        for day, hour, c in slots_b:
            lesson_create(
                actor=None,
                year=year_b,
                weekday=day,
                start_time=t(f"{hour}:00"),
                end_time=t(f"{hour}:55"),
                subject=subject_b,
                teacher=by_user[teachers_b[(c + day + SLOTS.index(hour)) % TEACHERS].pk],
                school_class=classes_b[c],
                room=rooms_b[c],
            )
        one_by_one_s = time.perf_counter() - start
    bench_report(
        f"timetable import of {LESSONS} lessons (CSV): preview {preview_s:.2f} s + apply {apply_s:.2f} s = "
        f"{preview_s + apply_s:.2f} s; re-import with 10 changes (preview + apply) {reimport_s:.2f} s; "
        f"the same {LESSONS} lessons one by one through lesson_create: {one_by_one_s:.2f} s "
        f"({one_by_one_s / (preview_s + apply_s):.1f}x the import)"
    )
