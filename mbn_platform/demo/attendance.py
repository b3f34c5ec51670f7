"""The demo's attendance: registers taken for every lesson of the last weeks before today (never
today's: those are the teachers' to take, nor a later day's), with a sprinkle of absences and
lateness; absences declared ahead by guardians, some justified and accepted by school life, some
waiting for its decision, some still to justify. Through the attendance services (the registers in
bulk). Deterministic: a day's marks depend only on the school, the day and the lesson.

The Martin children always have their story: Léa (collège) an absence to justify and one
justified and accepted, an absence declared ahead for next week; Tom (lycée) a justification
waiting for school life, and a late arrival."""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from mbn_platform.demo.data import DemoSchool
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from tenant_apps.attendance.models import AbsenceDeclaration, AttendanceMark, Justification, MarkStatus
from tenant_apps.attendance.services import (
    MarkIn,
    PastRegister,
    absence_declare,
    attendance_settings,
    attendance_settings_update,
    justification_decide,
    justification_submit,
    registers_bulk_take,
)
from tenant_apps.school.models import Member
from tenant_apps.structure.models import Group
from tenant_apps.timetable.occurrences import occurrences
from tenant_apps.timetable.selectors import scope_all

if TYPE_CHECKING:
    from mbn_platform.demo.calendar import DemoYear
    from mbn_platform.demo.people import SchoolPeople

#: How far back registers are taken.
HISTORY_DAYS = 21
ABSENT_DAY, ABSENT_LESSON, LATE = 0.015, 0.01, 0.02
CERTIFICATE = b"%PDF-1.4\n% demo medical certificate\n"


def _past_days(demo: DemoYear, today: datetime.date) -> list[datetime.date]:
    first = max(demo.start, today - datetime.timedelta(days=HISTORY_DAYS))
    return demo.school_days_between(first, today - datetime.timedelta(days=1))


@transaction.atomic
def settings_seed(school: DemoSchool) -> None:
    current = attendance_settings()
    if current.absence_notification_review != school.review_notices:
        attendance_settings_update(
            actor=None,
            absence_notification_review=school.review_notices,
            half_day_split=current.half_day_split,
        )


def _marks(
    rng: random.Random, students: list[int], away: set[int], scripted: dict[int, MarkIn]
) -> dict[int, MarkIn]:
    marks: dict[int, MarkIn] = {}
    for pk in students:
        draw = rng.random()
        if pk in scripted:
            marks[pk] = scripted[pk]
        elif pk in away or draw < ABSENT_LESSON:
            marks[pk] = MarkIn(status=MarkStatus.ABSENT)
        elif draw < ABSENT_LESSON + LATE:
            marks[pk] = MarkIn(status=MarkStatus.LATE, late_minutes=rng.choice((5, 5, 10, 15)))
    return marks


@transaction.atomic
def registers_seed(
    school: DemoSchool, people: SchoolPeople, demo: DemoYear, today: datetime.date, scripted: dict
) -> int:
    """Registers of the past school days of the last weeks that have none yet."""
    days = _past_days(demo, today)
    if not days:
        return 0
    members = {m.user_id: m for m in Member.objects.filter(roles__contains=[Role.STUDENT], is_active=True)}
    by_class: dict[int, list[int]] = {}
    for member in members.values():
        if member.school_class_id:
            by_class.setdefault(member.school_class_id, []).append(member.pk)
    by_group: dict[int, list[int]] = {}
    for group_id, member_id in Group.members.through.objects.values_list("group_id", "member_id"):
        by_group.setdefault(group_id, []).append(member_id)
    teachers = {m.pk: m.user_id for m in Member.objects.filter(roles__contains=[Role.TEACHER])}
    by_day: dict[datetime.date, list] = {}
    for occ in occurrences(scope=scope_all(), start=days[0], end=days[-1]):
        if occ.lesson_id is not None and occ.takes_place and occ.date in days:
            by_day.setdefault(occ.date, []).append(occ)
    registers = []
    for day in days:
        day_rng = random.Random(f"{school.subdomain}-{day.isoformat()}")  # noqa: S311  (deterministic demo data)
        away = {pk for pk in sorted(m.pk for m in members.values()) if day_rng.random() < ABSENT_DAY}
        for occ in by_day.get(day, []):
            students = (
                by_class.get(occ.school_class_id, [])
                if occ.school_class_id
                else by_group.get(occ.group_id or 0, [])
            )
            rng = random.Random(f"{school.subdomain}-{occ.key}")  # noqa: S311
            script = {
                pk: mark for (pk, when), mark in scripted.items() if when in ((day, occ.start), (day, None))
            }
            registers.append(
                PastRegister(
                    occurrence=occ,
                    taken_by_id=teachers[occ.teacher_id],
                    marks=_marks(rng, sorted(students), away, script),
                )
            )
    return registers_bulk_take(actor=None, registers=registers)


def _member(user: User) -> Member:
    return Member.objects.get(user_id=user.pk)


def family_story(
    school: DemoSchool, people: SchoolPeople, demo: DemoYear, today: datetime.date
) -> tuple[dict, list]:
    """The Martin child's scripted marks ((member pk, (day, start or None for the whole day)) ->
    mark) and what their guardian sends afterwards."""
    days = _past_days(demo, today)
    child = next(
        (u for users in people.students.values() for u in users if u.login.startswith("eleve.martin.")), None
    )
    if child is None or len(days) < 9:
        return {}, []
    pk = _member(child).pk
    if school.subdomain == "pasteur":
        return (
            {
                (pk, (days[-3], None)): MarkIn(status=MarkStatus.ABSENT),
                (pk, (days[-8], None)): MarkIn(status=MarkStatus.ABSENT),
            },
            [("justify-accepted", child, days[-8], "illness")],
        )
    first = min(
        o.start for o in occurrences(scope=scope_all(), start=days[-1], end=days[-1]) if o.takes_place
    )
    return (
        {
            (pk, (days[-5], None)): MarkIn(status=MarkStatus.ABSENT),
            (pk, (days[-1], first)): MarkIn(MarkStatus.LATE, 10),
        },
        [("justify-pending", child, days[-5], "medical")],
    )


@transaction.atomic
def justifications_seed(
    school: DemoSchool, people: SchoolPeople, demo: DemoYear, today: datetime.date, story: list
) -> int:
    """Guardians justify some of the absences (school life accepts most of them), and declare a
    few ahead; the rest stay to justify. Adds nothing that exists."""
    school_life = people.staff[Role.SCHOOL_LIFE]
    made = 0
    absent_days = (
        AttendanceMark.objects.filter(status=MarkStatus.ABSENT, date__lt=today)
        .values_list("student_id", "date")
        .distinct()
        .order_by("date", "student_id")
    )
    users = {u.pk: u for users in people.students.values() for u in users}
    members = {m.pk: m for m in Member.objects.filter(user_id__in=users)}
    scripted_children = {_member(child).pk for _kind, child, _day, _reason in story}
    plan: list[tuple[str, User, datetime.date, str]] = list(story)
    for index, (student_id, day) in enumerate(absent_days):
        member = members.get(student_id)
        if member is None or student_id in scripted_children:
            continue
        kind = ("justify-accepted", "justify-pending", "none", "justify-accepted")[index % 4]
        if kind != "none":
            plan.append((kind, users[member.user_id], day, ("illness", "family", "transport")[index % 3]))
    for kind, child, day, reason in plan:
        member = _member(child)
        if Justification.objects.filter(student=member, start=day).exists():
            continue
        guardian = people.guardians[child.pk]
        justification = justification_submit(
            actor=guardian,
            student=member,
            start=day,
            end=day,
            reason=reason,
            comment="",
            attachment=SimpleUploadedFile("certificat.pdf", CERTIFICATE, "application/pdf")
            if reason in ("illness", "medical")
            else None,
        )
        if kind == "justify-accepted":
            justification_decide(actor=school_life, justification=justification, accept=True)
        made += 1
    ahead = demo.school_day_on_or_after(today + datetime.timedelta(days=4))
    classes = [name for name, _level in school.classes]
    for child in (people.students[classes[0]][1], people.students[classes[-1]][2]):
        member = _member(child)
        if ahead > today and not AbsenceDeclaration.objects.filter(student=member, start=ahead).exists():
            absence_declare(
                actor=people.guardians[child.pk],
                student=member,
                start=ahead,
                end=ahead,
                reason="medical",
                comment="Rendez-vous chez l'orthodontiste",
            )
            made += 1
    return made


def attendance_seed(school: DemoSchool, people: SchoolPeople, demo: DemoYear, today: datetime.date) -> int:
    """The school's attendance settings, its registers of the last weeks, then the guardians'
    justifications and school life's decisions. The caller selects the schema."""
    settings_seed(school)
    scripted, story = family_story(school, people, demo, today)
    taken = registers_seed(school, people, demo, today, scripted)
    justifications_seed(school, people, demo, today, story)
    return taken
