"""Reads of the timetable: whose timetable a person may see (scopes), a week of occurrences for a
person, a class or a room, one lesson's occurrence, and the management lists. The occurrences
themselves are expanded by ``occurrences.py`` in a fixed number of queries (six, whatever the
range), on the school calendar of ``calendar.py``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from shared_apps.identity.roles import STAFF_ROLES, Role
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Room, SchoolYear
from tenant_apps.timetable.calendar import (
    DayOff,
    calendars_between,
    days_between,
    holidays_around,
    lesson_runs_on,
    week_start,
    year_calendar,
)
from tenant_apps.timetable.models import (
    ExceptionalLesson,
    Holiday,
    Lesson,
    LessonChange,
    LessonParticipant,
    TeacherAbsence,
    TimetableImport,
)
from tenant_apps.timetable.occurrences import (
    NO_PARTICIPANTS,
    Occurrence,
    Scope,
    occurrence_apply_change,
    occurrence_of_lesson,
    occurrences,
    participants_of,
)


def _groups_of(members: Q) -> QuerySet[Group.members.through]:  # type: ignore[name-defined]
    return Group.members.through.objects.filter(members).values("group_id")


def _shared_with(audience: Q) -> Q:
    """Lessons that also have these classes or groups (``LessonParticipant``)."""
    return Q(pk__in=LessonParticipant.objects.filter(audience).values("lesson_id"))


def scope_student(member: Member) -> Scope:
    groups = _groups_of(Q(member=member))
    audience = Q(group_id__in=groups)
    if member.school_class_id:
        audience |= Q(school_class_id=member.school_class_id)
    return Scope(lessons=audience | _shared_with(audience), exceptional=audience)


def scope_teacher(member: Member) -> Scope:
    replacing = LessonChange.objects.filter(replacement_teacher=member).values("lesson_id")
    co_teaching = LessonParticipant.objects.filter(teacher=member).values("lesson_id")
    return Scope(
        lessons=Q(teacher=member) | Q(pk__in=replacing) | Q(pk__in=co_teaching),
        exceptional=Q(teacher=member),
        teacher_id=member.pk,
    )


def scope_class(school_class: SchoolClass) -> Scope:
    groups = _groups_of(Q(member__school_class=school_class, member__is_active=True))
    audience = Q(school_class=school_class) | Q(group_id__in=groups)
    return Scope(lessons=audience | _shared_with(audience), exceptional=audience)


def scope_room(room: Room) -> Scope:
    moved_in = LessonChange.objects.filter(new_room=room).values("lesson_id")
    return Scope(lessons=Q(room=room) | Q(pk__in=moved_in), exceptional=Q(room=room), room_id=room.pk)


def scope_all() -> Scope:
    return Scope(lessons=Q(), exceptional=Q())


def scope_none() -> Scope:
    """No one's timetable (a person with no timetable of their own here)."""
    return Scope(lessons=Q(pk__in=[]), exceptional=Q(pk__in=[]))


@dataclass(frozen=True)
class Week:
    monday: datetime.date
    is_week_a: bool | None
    days: list[tuple[datetime.date, list[Occurrence]]]
    holidays: bool = False  # every weekday is a holiday (no week A/B)

    @property
    def previous(self) -> datetime.date:
        return self.monday - datetime.timedelta(days=7)

    @property
    def next(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=7)


def week_view(*, scope: Scope, day: datetime.date, include_weekend: bool = False) -> Week:
    """The week of ``day`` (Monday to Friday, or Sunday), day by day; week A/B (None in a
    holiday week or out of any school year)."""
    monday = week_start(day)
    last = monday + datetime.timedelta(days=6 if include_weekend else 5)
    calendars = calendars_between(monday, last)
    found = occurrences(scope=scope, start=monday, end=last, calendars=calendars)
    days = [(d, [o for o in found if o.date == d]) for d in days_between(monday, last)]
    if not include_weekend and not days[-1][1]:
        days = days[:-1]  # Saturday only when something happens on it
    friday = monday + datetime.timedelta(days=4)
    calendar = next((c for c in calendars.values() if c.year.start <= friday and monday <= c.year.end), None)
    holidays = calendar is not None and calendar.is_holiday_week(monday)
    is_week_a = calendar.is_week_a(monday) if calendar is not None and not holidays else None
    return Week(monday=monday, is_week_a=is_week_a, days=days, holidays=holidays)


def lesson_occurrence(*, lesson_id: int, day: datetime.date) -> Occurrence | None:
    """The occurrence of a lesson planned on ``day`` as it takes place (moved: at its new place;
    cancelled: flagged), or None when the lesson is not planned that day."""
    lesson = (
        Lesson.objects.select_related("subject", "teacher", "room", "school_class", "group", "year")
        .filter(pk=lesson_id)
        .first()
    )
    if lesson is None or not lesson_runs_on(lesson, year_calendar(lesson.year), day):
        return None
    occ = occurrence_of_lesson(lesson, day, participants_of([lesson]).get(lesson.pk, NO_PARTICIPANTS))
    change = (
        LessonChange.objects.select_related("new_room", "replacement_teacher")
        .filter(lesson=lesson, date=day)
        .first()
    )
    return occurrence_apply_change(occ, change) if change is not None else occ


# --- Who may see whose timetable ----------------------------------------------------------------


def children_here(*, guardian_user_id: int) -> list[Member]:
    """A guardian's children who are members of this establishment (GuardianLink is a small
    public table, read by user id; the rows are the local ``Member``s)."""
    from shared_apps.identity.models import GuardianLink

    child_ids = list(
        GuardianLink.objects.filter(guardian_id=guardian_user_id).values_list("child_id", flat=True)
    )
    if not child_ids:
        return []
    return list(Member.objects.filter(user_id__in=child_ids, is_active=True).select_related("school_class"))


def personal_scopes(*, user_id: int, roles: frozenset[str], child_user_id: int | None = None) -> list[Scope]:
    """The scopes of a person's own timetable: as a student, as a teacher; a guardian sees one
    child (``child_user_id``, which must be theirs: else nothing)."""
    if child_user_id is not None:
        if Role.GUARDIAN not in roles:
            return []
        child = next((c for c in children_here(guardian_user_id=user_id) if c.user_id == child_user_id), None)
        return [scope_student(child)] if child is not None else []
    me = Member.objects.filter(user_id=user_id, is_active=True).first()
    if me is None:
        return []
    scopes: list[Scope] = []
    if Role.STUDENT in roles:
        scopes.append(scope_student(me))
    if Role.TEACHER in roles:
        scopes.append(scope_teacher(me))
    return scopes


def merged_scope(scopes: list[Scope]) -> Scope | None:
    """One scope for several (a person both student and teacher is rare; per-occurrence rules are
    kept only when there is a single scope)."""
    if not scopes:
        return None
    if len(scopes) == 1:
        return scopes[0]
    lessons, exceptional = Q(pk__in=[]), Q(pk__in=[])
    for scope in scopes:
        lessons |= scope.lessons
        exceptional |= scope.exceptional
    return Scope(lessons=lessons, exceptional=exceptional)


def class_for_timetable(*, user_id: int, roles: frozenset[str], class_id: int) -> SchoolClass | None:
    from tenant_apps.school.selectors import classes_visible

    return classes_visible(user_id=user_id, roles=roles).filter(pk=class_id).first()


def room_for_timetable(*, roles: frozenset[str], room_id: int) -> Room | None:
    if not roles & STAFF_ROLES:
        return None
    return Room.objects.filter(pk=room_id).first()


# --- Management (structure managers, timetable editors) -----------------------------------------

LESSON_RELATED = ("subject", "teacher", "room", "school_class", "group", "year")


def lessons_managed() -> QuerySet[Lesson]:
    """Every lesson with what its pages show (look one up with ``kernel.lookups.get_or_404``)."""
    return Lesson.objects.select_related(*LESSON_RELATED).prefetch_related("participants")


def lesson_participant_ids(lesson: Lesson) -> dict[str, list[int]]:
    """A lesson's co-teachers and more classes and groups, as ids (prefetched ``participants``)."""
    rows = list(lesson.participants.all()) if lesson.has_participants else []
    return {
        "co_teachers": [p.teacher_id for p in rows if p.teacher_id],
        "more_classes": [p.school_class_id for p in rows if p.school_class_id],
        "more_groups": [p.group_id for p in rows if p.group_id],
    }


def lessons_for_management(
    *,
    year: SchoolYear | None = None,
    school_class_id: int | None = None,
    group_id: int | None = None,
    teacher_id: int | None = None,
    room_id: int | None = None,
) -> QuerySet[Lesson]:
    """Lessons (ended ones included) filtered by year, class, group, teacher (Member pk), room."""
    lessons = lessons_managed().order_by("weekday", "start_time", "week", "pk")
    if year is not None:
        lessons = lessons.filter(year=year)
    if school_class_id is not None:
        lessons = lessons.filter(school_class_id=school_class_id)
    if group_id is not None:
        lessons = lessons.filter(group_id=group_id)
    if teacher_id is not None:
        lessons = lessons.filter(teacher_id=teacher_id)
    if room_id is not None:
        lessons = lessons.filter(room_id=room_id)
    return lessons


def exceptional_lessons_between(
    *, start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[ExceptionalLesson]:
    found = ExceptionalLesson.objects.select_related(
        "subject", "teacher", "room", "school_class", "group"
    ).order_by("date", "start_time", "pk")
    if start is not None:
        found = found.filter(date__gte=start)
    if end is not None:
        found = found.filter(date__lte=end)
    return found


def holidays_list(*, year: SchoolYear | None = None) -> QuerySet[Holiday]:
    found = Holiday.objects.order_by("start", "pk")
    if year is not None:
        found = found.filter(end__gte=year.start, start__lte=year.end)
    return found


def region_days_of_year(*, year: SchoolYear | None) -> list[DayOff]:
    """The region's days off that the establishment follows (its zone's holidays, the bank
    holidays) during a school year (none without a year)."""
    if year is None:
        return []
    return [d for d in holidays_around([year], year.start, year.end) if d.source == "region"]


def days_off_of_year(*, year: SchoolYear) -> list[DayOff]:
    """Every day off of a school year, the region's and the school's own, by date."""
    return sorted(holidays_around([year], year.start, year.end), key=lambda d: (d.start, d.source, d.name))


def teacher_absences() -> QuerySet[TeacherAbsence]:
    """Teachers' absences, latest first (look one up with ``kernel.lookups.get_or_404``)."""
    return TeacherAbsence.objects.select_related("teacher").order_by("-start", "-pk")


def absence_changes(*, absence: TeacherAbsence) -> QuerySet[LessonChange]:
    """The changes made for an absence, by date and time, with what their pages show."""
    return (
        absence.changes.select_related(
            "lesson__subject", "lesson__school_class", "lesson__group", "lesson__room"
        )
        .select_related("lesson__teacher", "replacement_teacher", "absent_teacher")
        .order_by("date", "lesson__start_time", "pk")
    )


def timetable_imports() -> QuerySet[TimetableImport]:
    """The timetable imports, newest first (look one up with ``kernel.lookups.get_or_404``)."""
    return TimetableImport.objects.order_by("-created_at", "-pk")


def teachers_here() -> QuerySet[Member]:
    return Member.objects.filter(is_active=True, roles__contains=[Role.TEACHER]).order_by(
        "display_name", "pk"
    )


def lesson_change_of(*, lesson_id: int, day: datetime.date) -> LessonChange | None:
    return (
        LessonChange.objects.select_related("new_room", "replacement_teacher")
        .filter(lesson_id=lesson_id, date=day)
        .first()
    )


def lesson_grid(lessons: Iterable[Lesson]) -> list[tuple[datetime.time, datetime.time, list[list[Lesson]]]]:
    """Lessons as a week grid: one row per (start, end) slot, one cell (a list) per weekday
    Monday to Saturday."""
    rows: dict[tuple[datetime.time, datetime.time], list[list[Lesson]]] = {}
    for lesson in lessons:
        cells = rows.setdefault((lesson.start_time, lesson.end_time), [[] for _ in range(6)])
        if lesson.weekday < 6:
            cells[lesson.weekday].append(lesson)
    return [(start, end, cells) for (start, end), cells in sorted(rows.items())]
