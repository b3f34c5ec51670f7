"""A small school for the timetable and attendance tests: a year with weeks A/B, a class, a
group mixing classes, subjects, rooms, teachers, students, a guardian."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django_tenants.utils import schema_context

from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.school.services import school_class_ensure
from tenant_apps.structure.models import Group, Room, SchoolYear, Subject
from tenant_apps.structure.services import group_create, room_create, school_year_create, subject_create
from tenant_apps.timetable.models import Lesson
from tenant_apps.timetable.services import lesson_create
from tenants.models import Establishment
from tests.factories import member

# 2026-2027: week A is the week of Monday 31 August 2026. France leaves summer time on Sunday
# 25 October 2026 (and enters it on 28 March 2027).
YEAR_START = datetime.date(2026, 8, 31)
YEAR_END = datetime.date(2027, 7, 3)
WEEK_A = datetime.date(2026, 9, 14)  # A (31/8 A, 7/9 B, 14/9 A)
WEEK_B = datetime.date(2026, 9, 21)


def t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


@dataclass
class School:
    establishment: Establishment
    year: SchoolYear
    school_class: SchoolClass
    other_class: SchoolClass
    group: Group
    math: Subject
    english: Subject
    room: Room
    other_room: Room
    teacher: User
    other_teacher: User
    admin: User
    school_life: User
    students: list[User]
    other_student: User
    guardian: User
    extra: dict[str, Any] = field(default_factory=dict)

    def m(self, user: User) -> Member:
        """The local member row of a person (call inside the schema)."""
        return Member.objects.get(user_id=user.pk)

    def lesson(self, **fields: Any) -> Lesson:
        with schema_context(self.establishment.schema_name):
            values: dict[str, Any] = {
                "actor": None,
                "year": self.year,
                "weekday": 0,
                "start_time": t("08:00"),
                "end_time": t("09:00"),
                "subject": self.math,
                "teacher": self.m(self.teacher),
                "school_class": self.school_class,
                "room": self.room,
            }
            if "teacher" in fields and isinstance(fields["teacher"], User):
                fields["teacher"] = self.m(fields["teacher"])
            values.update(fields)
            if values.get("group") is not None:
                values["school_class"] = None
            return lesson_create(**values)


def make_school(establishment: Establishment, *, students: int = 3, prefix: str = "T") -> School:
    with schema_context(establishment.schema_name):
        year = school_year_create(
            actor=None, name=f"{prefix}2026", start=YEAR_START, end=YEAR_END, is_current=True
        )
        school_class = school_class_ensure(name=f"6e {prefix}", level="6e")
        other_class = school_class_ensure(name=f"5e {prefix}", level="5e")
        math = subject_create(actor=None, code=f"{prefix}MATH", name="Mathématiques")
        english = subject_create(actor=None, code=f"{prefix}ANG", name="Anglais")
        room = room_create(actor=None, name=f"{prefix}101")
        other_room = room_create(actor=None, name=f"{prefix}202")
    kids = [member(establishment, Role.STUDENT, class_name=school_class.name) for _ in range(students)]
    other_student = member(establishment, Role.STUDENT, class_name=other_class.name)
    guardian = member(establishment, Role.GUARDIAN, email="guardian@example.org")
    guardian_link_create(actor=None, guardian=guardian, child=kids[0])
    school = School(
        establishment=establishment,
        year=year,
        school_class=school_class,
        other_class=other_class,
        group=None,  # type: ignore[arg-type]
        math=math,
        english=english,
        room=room,
        other_room=other_room,
        teacher=member(establishment, Role.TEACHER, email="teacher@example.org"),
        other_teacher=member(establishment, Role.TEACHER),
        admin=member(establishment, Role.ADMIN_STAFF),
        school_life=member(establishment, Role.SCHOOL_LIFE),
        students=kids,
        other_student=other_student,
        guardian=guardian,
    )
    with schema_context(establishment.schema_name):
        # English option: the first student of the class with the student of the other class.
        school.group = group_create(
            actor=None,
            name=f"Anglais LV2 {prefix}",
            member_ids=[school.m(kids[0]).pk, school.m(other_student).pk],
        )
    return school
