"""The demo's school structure and timetable, through the structure and timetable services: the
current school year and its periods, the holidays of zone B, subjects, rooms (one per teacher, the
laboratories, the gym), language groups mixing classes, teaching assignments, every class's
weekly lessons (with an A/B slot), and a few changes this week (a cancelled lesson, a replacement
teacher, a room change)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from mbn_platform.demo.data import AB_BLOCK, TEACHERS, DemoSchool
from mbn_platform.demo.timetable_plan import PlannedLesson, language_group_names, weekly_plan
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.school.services import school_class_ensure
from tenant_apps.structure.models import Group, Room, SchoolYear, Subject, TeachingAssignment
from tenant_apps.structure.services import (
    group_create,
    period_create,
    room_create,
    school_year_create,
    subject_create,
    teaching_assignment_create,
)
from tenant_apps.timetable.models import Holiday, Lesson, LessonChange
from tenant_apps.timetable.services import holiday_create, lesson_change_set, lesson_create

if TYPE_CHECKING:
    from mbn_platform.demo.calendar import DemoYear
    from mbn_platform.demo.people import SchoolPeople

ROOMS = {"lab": ("Laboratoire", 28), "gym": ("Gymnase", 60)}


def _room_name(plan: PlannedLesson) -> str:
    if plan.room:
        return ROOMS[plan.room][0] + ("" if plan.room == "gym" else f" {plan.teacher}")
    return f"Salle {101 + plan.teacher}"


@transaction.atomic
def structure_seed(school: DemoSchool, people: SchoolPeople, demo: DemoYear) -> SchoolYear:
    """The year, periods, holidays, classes, subjects, rooms, groups and assignments (missing ones
    only). The caller selects the school's schema."""
    year = SchoolYear.objects.filter(name=demo.name).first() or school_year_create(
        actor=None,
        name=demo.name,
        start=demo.start,
        end=demo.end,
        week_a_monday=demo.week_a_monday,
        is_current=True,
    )
    existing_periods = set(year.periods.values_list("name", flat=True))
    for name, first, last in demo.periods(semesters=school.semesters):
        if name not in existing_periods:
            period_create(
                actor=None,
                year=year,
                name=name,
                kind="semester" if school.semesters else "trimester",
                start=first,
                end=last,
            )
    known = set(Holiday.objects.values_list("name", "start"))
    for name, first, last in demo.holidays:
        if (name, first) not in known:
            holiday_create(actor=None, name=name, start=first, end=last)
    for class_name, level in school.classes:
        school_class_ensure(name=class_name, level=level)
    plan = weekly_plan(school)
    subjects = {s.code for s in Subject.objects.all()}
    for code, name in sorted({(p.subject, p.subject_name) for p in plan}):
        if code not in subjects:
            subject_create(actor=None, code=code, name=name)
    rooms = set(Room.objects.values_list("name", flat=True))
    for name in sorted({_room_name(p) for p in plan}):
        if name not in rooms:
            capacity = next((c for n, c in ROOMS.values() if name.startswith(n)), 32)
            room_create(actor=None, name=name, capacity=capacity)
    _groups_seed(school, people)
    _assignments_seed(school, people, plan)
    return year


def _members(users: list) -> dict[int, Member]:
    return {m.user_id: m for m in Member.objects.filter(user_id__in=[u.pk for u in users])}


def _groups_seed(school: DemoSchool, people: SchoolPeople) -> None:
    """Each pair of classes shares its second-language groups: German or Spanish, one student in
    two each way."""
    existing = set(Group.objects.values_list("name", flat=True))
    for pair, groups in language_group_names(school):
        students = [s for class_name in pair for s in people.students.get(class_name, [])]
        members = _members(students)
        for index, (_code, _name, _teacher, group_name) in enumerate(groups):
            if group_name in existing:
                continue
            chosen = [
                members[s.pk].pk
                for i, s in enumerate(students)
                if i % len(groups) == index and s.pk in members
            ]
            group_create(actor=None, name=group_name, member_ids=chosen)


def _assignments_seed(school: DemoSchool, people: SchoolPeople, plan: list[PlannedLesson]) -> None:
    teachers = _members(people.teachers)
    subjects = {s.code: s for s in Subject.objects.all()}
    classes = {c.name: c for c in SchoolClass.objects.all()}
    groups = {g.name: g for g in Group.objects.all()}
    existing = set(
        TeachingAssignment.objects.values_list("teacher_id", "subject_id", "school_class_id", "group_id")
    )
    for teacher, code, class_name, group_name in sorted(
        {(p.teacher, p.subject, p.class_name, p.group) for p in plan}
    ):
        member = teachers[people.teachers[teacher].pk]
        school_class = classes.get(class_name) if class_name else None
        group = groups.get(group_name) if group_name else None
        key = (
            member.pk,
            subjects[code].pk,
            school_class.pk if school_class else None,
            group.pk if group else None,
        )
        if key not in existing:
            teaching_assignment_create(
                actor=None, teacher=member, subject=subjects[code], school_class=school_class, group=group
            )


@transaction.atomic
def lessons_seed(school: DemoSchool, people: SchoolPeople, year: SchoolYear) -> int:
    """Every planned lesson of the week, for the whole year (once: a year with lessons is kept as
    it is). Returns how many were made."""
    if Lesson.objects.filter(year=year).exists():
        return 0
    teachers = _members(people.teachers)
    subjects = {s.code: s for s in Subject.objects.all()}
    rooms = {r.name: r for r in Room.objects.all()}
    classes = {c.name: c for c in SchoolClass.objects.all()}
    groups = {g.name: g for g in Group.objects.all()}
    plan = weekly_plan(school)
    for p in plan:
        lesson_create(
            actor=None,
            year=year,
            weekday=p.weekday,
            start_time=p.start,
            end_time=p.end,
            subject=subjects[p.subject],
            teacher=teachers[people.teachers[p.teacher].pk],
            school_class=classes.get(p.class_name) if p.class_name else None,
            group=groups.get(p.group) if p.group else None,
            room=rooms[_room_name(p)],
            week="every" if p.week == "every" else p.week,
        )
    return len(plan)


def _free_teacher(plan: list[PlannedLesson], lesson: Lesson, exclude: set[int]) -> int | None:
    """A teacher (index) with no lesson at that weekday and slot, other than ``exclude``."""
    slot = next(p for p in plan if p.weekday == lesson.weekday and p.start == lesson.start_time)
    busy = {p.teacher for p in plan if p.weekday == slot.weekday and p.slot == slot.slot}
    ab_teachers = {teacher for _c, _n, teacher, _r in AB_BLOCK}
    return next(
        (t for t in range(len(TEACHERS)) if t not in busy | exclude | ab_teachers),
        None,
    )


@transaction.atomic
def changes_seed(
    school: DemoSchool, people: SchoolPeople, year: SchoolYear, days: list[datetime.date]
) -> int:
    """This week's changes on its coming school days (``days``: today or the next school day, then
    the day after): a lesson cancelled, one taught by a replacement teacher, one in another room.
    Changes already made are kept. Returns how many were made."""
    if not days:
        return 0
    plan = weekly_plan(school)
    teachers = _members(people.teachers)
    by_teacher = {m.pk: index for index, m in ((i, teachers[u.pk]) for i, u in enumerate(people.teachers))}
    made = 0
    first_class = school.classes[0][0]
    wanted = [("cancelled", days[0], 2), ("replaced", days[0], 4), ("room", days[-1], 1)]
    for kind, day, hint in wanted:
        lessons = list(
            Lesson.objects.filter(
                year=year, weekday=day.weekday(), school_class__name=first_class, week="every"
            )
            .select_related("teacher")
            .order_by("start_time")
        )
        if not lessons:
            continue
        lesson = lessons[min(hint, len(lessons) - 1)]
        if LessonChange.objects.filter(lesson=lesson, date=day).exists():
            continue
        if kind == "cancelled":
            lesson_change_set(
                actor=None, lesson=lesson, date=day, cancelled=True, note="Sortie pédagogique", notify=False
            )
        elif kind == "replaced":
            other = _free_teacher(plan, lesson, {by_teacher[lesson.teacher_id]})
            if other is None:
                continue
            lesson_change_set(
                actor=None,
                lesson=lesson,
                date=day,
                replacement_teacher=teachers[people.teachers[other].pk],
                note="Remplacement",
                notify=False,
            )
        else:
            room = Room.objects.filter(name="Salle 120").first() or room_create(
                actor=None, name="Salle 120", capacity=30
            )
            lesson_change_set(
                actor=None, lesson=lesson, date=day, new_room=room, note="Salle changée", notify=False
            )
        made += 1
    return made
