"""Reads of the timetable: the occurrences of a week (or any date range) for a person, a class or a
room, with the one-off changes applied, in a fixed number of queries (six, whatever the range)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from shared_apps.identity.roles import STAFF_ROLES, Role
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Room, SchoolYear
from tenant_apps.timetable.models import ExceptionalLesson, Holiday, Lesson, LessonChange, WeekParity


@dataclass(frozen=True)
class Occurrence:
    """One lesson on one date, as it will (or did) take place."""

    key: str
    lesson_id: int | None
    exceptional_id: int | None
    occurrence_date: datetime.date  # the planned date (what a register and a change refer to)
    date: datetime.date  # the date it takes place
    start: datetime.time
    end: datetime.time
    subject: str
    teacher: str
    teacher_id: int  # Member pk of whoever teaches it
    planned_teacher_id: int
    room: str
    room_id: int | None
    planned_room_id: int | None
    audience: str
    school_class_id: int | None
    group_id: int | None
    cancelled: bool = False
    moved_to: datetime.date | None = None  # the planned slot of a lesson moved elsewhere
    moved_from: datetime.date | None = None  # a moved lesson, at its new place
    room_changed: bool = False
    replaced: bool = False
    exceptional: bool = False
    note: str = ""

    @property
    def changed(self) -> bool:
        return (
            bool(self.cancelled or self.moved_to or self.moved_from or self.room_changed or self.replaced)
            or self.exceptional
        )

    @property
    def takes_place(self) -> bool:
        return not self.cancelled and self.moved_to is None

    @property
    def is_today(self) -> bool:
        return self.date == timezone.localdate()

    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.start, tzinfo=ZoneInfo(settings.TIME_ZONE))

    def ends_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.end, tzinfo=ZoneInfo(settings.TIME_ZONE))


@dataclass(frozen=True)
class Scope:
    """Whose timetable: filters on lessons and exceptional lessons, plus a rule applied to each
    occurrence (a replacement teacher sees only the occurrences they teach; a room only what
    takes place or was planned in it)."""

    lessons: Q
    exceptional: Q
    teacher_id: int | None = None
    room_id: int | None = None
    labels: dict[str, str] = field(default_factory=dict)

    def keeps(self, occ: Occurrence) -> bool:
        if self.teacher_id is not None and self.teacher_id not in (occ.teacher_id, occ.planned_teacher_id):
            return False
        return not (self.room_id is not None and self.room_id not in (occ.room_id, occ.planned_room_id))


def _groups_of(members: Q) -> QuerySet[Group.members.through]:  # type: ignore[name-defined]
    return Group.members.through.objects.filter(members).values("group_id")


def scope_student(member: Member) -> Scope:
    groups = _groups_of(Q(member=member))
    audience = Q(group_id__in=groups)
    if member.school_class_id:
        audience |= Q(school_class_id=member.school_class_id)
    return Scope(lessons=audience, exceptional=audience)


def scope_teacher(member: Member) -> Scope:
    replacing = LessonChange.objects.filter(replacement_teacher=member).values("lesson_id")
    return Scope(
        lessons=Q(teacher=member) | Q(pk__in=replacing), exceptional=Q(teacher=member), teacher_id=member.pk
    )


def scope_class(school_class: SchoolClass) -> Scope:
    groups = _groups_of(Q(member__school_class=school_class, member__is_active=True))
    audience = Q(school_class=school_class) | Q(group_id__in=groups)
    return Scope(lessons=audience, exceptional=audience)


def scope_room(room: Room) -> Scope:
    moved_in = LessonChange.objects.filter(new_room=room).values("lesson_id")
    return Scope(lessons=Q(room=room) | Q(pk__in=moved_in), exceptional=Q(room=room), room_id=room.pk)


def scope_all() -> Scope:
    return Scope(lessons=Q(), exceptional=Q())


def _dates(start: datetime.date, end: datetime.date) -> Iterable[datetime.date]:
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def occurrence_of_lesson(lesson: Lesson, day: datetime.date) -> Occurrence:
    return Occurrence(
        key=f"L{lesson.pk}-{day.isoformat()}",
        lesson_id=lesson.pk,
        exceptional_id=None,
        occurrence_date=day,
        date=day,
        start=lesson.start_time,
        end=lesson.end_time,
        subject=lesson.subject.name,
        teacher=lesson.teacher.display_name,
        teacher_id=lesson.teacher_id,
        planned_teacher_id=lesson.teacher_id,
        room=lesson.room.name if lesson.room else "",
        room_id=lesson.room_id,
        planned_room_id=lesson.room_id,
        audience=lesson.audience_name,
        school_class_id=lesson.school_class_id,
        group_id=lesson.group_id,
    )


def occurrence_apply_change(occ: Occurrence, change: LessonChange) -> Occurrence:
    """The occurrence as it takes place after ``change`` (moved: at its new place)."""
    updates: dict[str, Any] = {"note": change.note}
    if change.cancelled:
        return replace(occ, cancelled=True, **updates)
    if change.new_room_id and change.new_room_id != occ.room_id:
        updates.update(room=change.new_room.name, room_id=change.new_room_id, room_changed=True)  # type: ignore[union-attr]
    if change.replacement_teacher_id and change.replacement_teacher_id != occ.teacher_id:
        teacher = change.replacement_teacher
        updates.update(teacher=teacher.display_name, teacher_id=teacher.pk, replaced=True)  # type: ignore[union-attr]
    if change_is_move(change):
        updates.update(
            date=change.new_date or occ.date,
            start=change.new_start_time or occ.start,
            end=change.new_end_time or occ.end,
            moved_from=occ.occurrence_date,
        )
    return replace(occ, **updates)


def change_is_move(change: LessonChange) -> bool:
    return change.new_date is not None or change.new_start_time is not None


@dataclass
class YearCalendar:
    """A school year with its holidays: which days are holidays, and week A or B.

    The A/B alternation starts with week A in the week of ``year.week_a_monday`` and advances
    only over weeks that have at least one school day: a week whose every weekday (Monday to
    Friday) is within holidays does not count, so the week after the autumn holidays continues
    the alternation from the week before them (as French schools count it)."""

    year: SchoolYear
    holidays: list[Holiday]
    _holiday_mondays: list[datetime.date] | None = field(default=None, repr=False)

    def is_holiday(self, day: datetime.date) -> bool:
        return any(h.start <= day <= h.end for h in self.holidays)

    def is_holiday_week(self, day: datetime.date) -> bool:
        """Whether every weekday (Monday to Friday) of the week of ``day`` is a holiday."""
        monday = week_start(day)
        return all(self.is_holiday(monday + datetime.timedelta(days=i)) for i in range(5))

    def holiday_mondays(self) -> list[datetime.date]:
        if self._holiday_mondays is None:
            found: set[datetime.date] = set()
            for holiday in self.holidays:
                monday = week_start(holiday.start)
                while monday <= holiday.end:
                    if self.is_holiday_week(monday):
                        found.add(monday)
                    monday += datetime.timedelta(days=7)
            self._holiday_mondays = sorted(found)
        return self._holiday_mondays

    def is_week_a(self, day: datetime.date) -> bool:
        """Week A or B (a holiday week has the parity of the school week before it)."""
        reference, target = week_start(self.year.week_a_monday), week_start(day)
        if target >= reference:
            skipped = sum(1 for m in self.holiday_mondays() if reference < m <= target)
            weeks = (target - reference).days // 7
        else:
            skipped = sum(1 for m in self.holiday_mondays() if target <= m < reference)
            weeks = (reference - target).days // 7
        return (weeks - skipped) % 2 == 0


def holidays_around(years: Iterable[SchoolYear], start: datetime.date, end: datetime.date) -> list[Holiday]:
    """The holidays of these years and of [start, end] (one query)."""
    first, last = start, end
    for year in years:
        first = min(first, year.start, week_start(year.week_a_monday))
        last = max(last, year.end)
    return list(Holiday.objects.filter(start__lte=last, end__gte=first))


def year_calendar(year: SchoolYear) -> YearCalendar:
    """One year's calendar (one query: its holidays)."""
    return YearCalendar(year=year, holidays=holidays_around([year], year.start, year.end))


def lesson_runs_on(lesson: Lesson, calendar: YearCalendar, day: datetime.date) -> bool:
    """Whether a recurring lesson is planned on ``day``: its weekday, within its year and its own
    first/last days, not a holiday, and its week (A/B) as the calendar counts them."""
    year = calendar.year
    if lesson.weekday != day.weekday() or not (year.start <= day <= year.end):
        return False
    if (lesson.starts_on and day < lesson.starts_on) or (lesson.ends_on and day > lesson.ends_on):
        return False
    if calendar.is_holiday(day):
        return False
    if lesson.week == WeekParity.EVERY:
        return True
    return (lesson.week == WeekParity.A) == calendar.is_week_a(day)


def school_years_between(start: datetime.date, end: datetime.date) -> dict[int, SchoolYear]:
    return {y.pk: y for y in SchoolYear.objects.filter(start__lte=end, end__gte=start)}


def calendars_between(
    start: datetime.date, end: datetime.date, years: dict[int, SchoolYear] | None = None
) -> dict[int, YearCalendar]:
    """The calendars of the school years overlapping [start, end] (two queries)."""
    if years is None:
        years = school_years_between(start, end)
    holidays = holidays_around(years.values(), start, end)
    return {pk: YearCalendar(year=year, holidays=holidays) for pk, year in years.items()}


def occurrences(
    *,
    scope: Scope,
    start: datetime.date,
    end: datetime.date,
    years: dict[int, SchoolYear] | None = None,
    calendars: dict[int, YearCalendar] | None = None,
) -> list[Occurrence]:
    """Every occurrence in [start, end] for the scope, sorted by date and time."""
    if calendars is None:
        calendars = calendars_between(start, end, years)
    years = {pk: c.year for pk, c in calendars.items()}
    holidays = next(iter(calendars.values())).holidays if calendars else holidays_around([], start, end)
    lessons = (
        {
            lesson.pk: lesson
            for lesson in Lesson.objects.filter(scope.lessons, year_id__in=list(years)).select_related(
                "subject", "teacher", "room", "school_class", "group"
            )
        }
        if years
        else {}
    )
    changes = (
        list(
            LessonChange.objects.filter(lesson_id__in=list(lessons))
            .filter(Q(date__range=(start, end)) | Q(new_date__range=(start, end)))
            .select_related("new_room", "replacement_teacher")
        )
        if lessons
        else []
    )
    by_occurrence = {(c.lesson_id, c.date): c for c in changes}
    result: list[Occurrence] = []
    for day in _dates(start, end):
        if any(h.start <= day <= h.end for h in holidays):
            continue
        for lesson in lessons.values():
            if not lesson_runs_on(lesson, calendars[lesson.year_id], day):
                continue
            occ = occurrence_of_lesson(lesson, day)
            change = by_occurrence.get((lesson.pk, day))
            if change is not None and change_is_move(change) and not change.cancelled:
                new_date = change.new_date or day
                result.append(replace(occ, moved_to=new_date, note=change.note))
            elif change is not None:
                result.append(occurrence_apply_change(occ, change))
            else:
                result.append(occ)
    for change in changes:  # moved lessons, at their new place
        if change.cancelled or not change_is_move(change):
            continue
        lesson = lessons[change.lesson_id]
        if not lesson_runs_on(lesson, calendars[lesson.year_id], change.date):
            continue  # no longer an occurrence of the lesson (holidays added, lesson ended)
        moved = occurrence_apply_change(occurrence_of_lesson(lesson, change.date), change)
        if start <= moved.date <= end:
            result.append(moved)
    for exc in ExceptionalLesson.objects.filter(scope.exceptional, date__range=(start, end)).select_related(
        "subject", "teacher", "room", "school_class", "group"
    ):
        result.append(occurrence_of_exceptional(exc))
    result = [occ for occ in result if scope.keeps(occ)]
    result.sort(key=lambda o: (o.date, o.start, o.audience, o.key))
    return result


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


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
    days = [(d, [o for o in found if o.date == d]) for d in _dates(monday, last)]
    if not include_weekend and not days[-1][1]:
        days = days[:-1]  # Saturday only when something happens on it
    friday = monday + datetime.timedelta(days=4)
    calendar = next((c for c in calendars.values() if c.year.start <= friday and monday <= c.year.end), None)
    holidays = calendar is not None and calendar.is_holiday_week(monday)
    is_week_a = calendar.is_week_a(monday) if calendar is not None and not holidays else None
    return Week(monday=monday, is_week_a=is_week_a, days=days, holidays=holidays)


def occurrence_of_exceptional(exc: ExceptionalLesson) -> Occurrence:
    """The occurrence of an exceptional lesson (select_related subject, teacher, room, class, group)."""
    return Occurrence(
        key=f"X{exc.pk}",
        lesson_id=None,
        exceptional_id=exc.pk,
        occurrence_date=exc.date,
        date=exc.date,
        start=exc.start_time,
        end=exc.end_time,
        subject=exc.subject.name,
        teacher=exc.teacher.display_name,
        teacher_id=exc.teacher_id,
        planned_teacher_id=exc.teacher_id,
        room=exc.room.name if exc.room else "",
        room_id=exc.room_id,
        planned_room_id=exc.room_id,
        audience=exc.audience_name,
        school_class_id=exc.school_class_id,
        group_id=exc.group_id,
        exceptional=True,
        note=exc.note,
    )


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
    occ = occurrence_of_lesson(lesson, day)
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


def current_year() -> SchoolYear | None:
    """The current school year (else the one that contains today, else the latest)."""
    years = list(SchoolYear.objects.all())
    today = timezone.localdate()
    return (
        next((y for y in years if y.is_current), None)
        or next((y for y in years if y.start <= today <= y.end), None)
        or (years[0] if years else None)
    )


def lessons_for_management(
    *,
    year: SchoolYear | None = None,
    school_class_id: int | None = None,
    group_id: int | None = None,
    teacher_id: int | None = None,
    room_id: int | None = None,
) -> QuerySet[Lesson]:
    """Lessons (ended ones included) filtered by year, class, group, teacher (Member pk), room."""
    lessons = Lesson.objects.select_related(*LESSON_RELATED).order_by("weekday", "start_time", "week", "pk")
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
