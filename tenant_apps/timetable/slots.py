"""One slot validator and clash check for every kind of lesson: a recurring lesson's weekly slot
(``Lesson``) and a dated one (``ExceptionalLesson``).

A slot says who attends (a class or a group: exactly one), who teaches (a teacher here), where
(a room or none) and when: a weekday and weeks (A, B or every) between a school year's days, or
one date. ``slot_validate`` checks it and refuses a clash: the room or the teacher already in a
lesson then (for a weekly slot, the other recurring lessons of that weekday whose weeks and days
meet it; for a date, every lesson that takes place that day, one-off changes applied).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Room, SchoolYear
from tenant_apps.timetable.calendar import year_calendar
from tenant_apps.timetable.models import Lesson, LessonParticipant
from tenant_apps.timetable.occurrences import Occurrence, occurrences
from tenant_apps.timetable.selectors import scope_room, scope_teacher
from tenant_apps.timetable.weeks import EVERY, week_set_parse


@dataclass(frozen=True)
class Slot:
    """When, with whom and where a lesson takes place. Weekly: ``year`` and ``weekday`` (with
    ``week``, ``starts_on``, ``ends_on``); dated: ``date``. ``lesson_pk``/``exceptional_pk``: the
    lesson being edited (it does not clash with itself)."""

    start_time: datetime.time
    end_time: datetime.time
    teacher: Member
    school_class: SchoolClass | None = None
    group: Group | None = None
    room: Room | None = None
    year: SchoolYear | None = None
    weekday: int | None = None
    week: str = EVERY
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    date: datetime.date | None = None
    lesson_pk: int | None = None
    exceptional_pk: int | None = None
    co_teachers: tuple[Member, ...] = ()

    @property
    def teachers(self) -> tuple[Member, ...]:
        return (self.teacher, *self.co_teachers)


@dataclass(frozen=True)
class Booking:
    """A lesson that holds a teacher or a room during a slot."""

    subject: str
    audience: str
    start: datetime.time
    end: datetime.time
    teacher_ids: tuple[int, ...]
    room_id: int | None


def times_check(start: datetime.time, end: datetime.time, field: str = "end_time") -> None:
    if end <= start:
        raise ValidationFailed(fields={field: [str(_("The end must be after the start."))]})


def slot_validate(slot: Slot) -> None:
    """Check a slot (a ``ValidationFailed`` naming the field): one audience, its times, its
    weekday, weeks and days within the school year (weekly), a teacher here, no clash."""
    if (slot.school_class is None) == (slot.group is None):
        raise ValidationFailed(fields={"school_class": [str(_("Give a class or a group (one of them)."))]})
    times_check(slot.start_time, slot.end_time)
    if slot.year is not None:
        _weekly_checks(slot, slot.year)
    for teacher in slot.teachers:
        if not teacher.is_active or Role.TEACHER not in (teacher.roles or []):
            field = "teacher" if teacher is slot.teacher else "co_teachers"
            message = _("%(name)s is not a teacher here.") % {"name": teacher.display_name}
            raise ValidationFailed(fields={field: [str(message)]})
    if len({t.pk for t in slot.teachers}) != len(slot.teachers):
        raise ValidationFailed(fields={"co_teachers": [str(_("A teacher is given twice."))]})
    slot_clashes_check(slot)


def _weekly_checks(slot: Slot, year: SchoolYear) -> None:
    # One lesson write at a time per year, so that two bookings of a room cannot cross.
    SchoolYear.objects.select_for_update().filter(pk=year.pk).first()
    if slot.weekday not in range(7):
        raise ValidationFailed(fields={"weekday": [str(_("Unknown weekday."))]})
    try:
        week_set_parse(slot.week)
    except ValueError as error:
        raise ValidationFailed(fields={"week": [str(error)]}) from error
    for name, day in (("starts_on", slot.starts_on), ("ends_on", slot.ends_on)):
        if day is not None and not (year.start <= day <= year.end):
            raise ValidationFailed(fields={name: [str(_("Give a day of the school year."))]})
    if slot.starts_on is not None and slot.ends_on is not None and slot.ends_on < slot.starts_on:
        raise ValidationFailed(fields={"ends_on": [str(_("The last day must not be before the first."))]})


def slot_clashes_check(slot: Slot) -> None:
    """Refuse a slot whose room or teacher is already in a lesson then (one error per field,
    naming the lesson it clashes with)."""
    errors: dict[str, list[str]] = {}
    for other in _bookings(slot):
        what = {
            "subject": other.subject,
            "audience": other.audience,
            "time": f"{other.start:%H:%M}-{other.end:%H:%M}",
        }
        if slot.room is not None and other.room_id == slot.room.pk and "room" not in errors:
            errors["room"] = [
                str(_("This room is already booked then: %(subject)s, %(audience)s, %(time)s.") % what)
            ]
        if {t.pk for t in slot.teachers} & set(other.teacher_ids) and "teacher" not in errors:
            errors["teacher"] = [
                str(_("This teacher already teaches then: %(subject)s, %(audience)s, %(time)s.") % what)
            ]
    if errors:
        raise ValidationFailed(fields=errors)


def _bookings(slot: Slot) -> list[Booking]:
    """The lessons that overlap the slot and hold its teacher or its room."""
    if slot.date is not None:
        return _dated_bookings(slot, slot.date)
    return _weekly_bookings(slot)


def _weekly_bookings(slot: Slot) -> list[Booking]:
    """Recurring lessons of the same year and weekday, overlapping times, weeks that meet ("every
    week" meets A and B; chosen weeks meet what shares one of their school weeks) and
    overlapping first/last days."""
    assert slot.year is not None  # noqa: S101  (a weekly slot has its year)
    others = Lesson.objects.filter(
        year=slot.year, weekday=slot.weekday or 0, start_time__lt=slot.end_time, end_time__gt=slot.start_time
    ).select_related("subject", "school_class", "group")
    if slot.lesson_pk is not None:
        others = others.exclude(pk=slot.lesson_pk)
    if slot.ends_on is not None:
        others = others.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=slot.ends_on))
    if slot.starts_on is not None:
        others = others.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=slot.starts_on))
    teacher_ids = [t.pk for t in slot.teachers]
    co_teaching = LessonParticipant.objects.filter(teacher_id__in=teacher_ids).values("lesson_id")
    holding = Q(teacher_id__in=teacher_ids) | Q(pk__in=co_teaching)
    if slot.room is not None:
        holding |= Q(room=slot.room)
    found = list(others.filter(holding))
    if not found:
        return []
    calendar = year_calendar(slot.year)
    mine = week_set_parse(slot.week)
    co_teachers: dict[int, list[int]] = {}
    for lesson_id, teacher_id in LessonParticipant.objects.filter(
        lesson_id__in=[o.pk for o in found if o.has_participants], teacher__isnull=False
    ).values_list("lesson_id", "teacher_id"):
        co_teachers.setdefault(lesson_id, []).append(teacher_id)
    return [
        Booking(
            o.subject.name,
            o.audience_name,
            o.start_time,
            o.end_time,
            (o.teacher_id, *co_teachers.get(o.pk, [])),
            o.room_id,
        )
        for o in found
        if calendar.weeks_meet(mine, o.week_set)
    ]


def _dated_bookings(slot: Slot, day: datetime.date) -> list[Booking]:
    """Every lesson that takes place that day (recurring lessons with their changes, the other
    exceptional lessons) at overlapping times, in the slot's room or taught by its teacher."""
    found: list[Occurrence] = []
    scopes = [scope_teacher(t) for t in slot.teachers] + ([scope_room(slot.room)] if slot.room else [])
    for scope in scopes:
        found.extend(
            o
            for o in occurrences(scope=scope, start=day, end=day)
            if o.takes_place
            and o.date == day
            and o.start < slot.end_time
            and o.end > slot.start_time
            and (slot.exceptional_pk is None or o.exceptional_id != slot.exceptional_pk)
        )
    return [
        Booking(o.subject, o.audience, o.start, o.end, (o.teacher_id, *o.co_teacher_ids), o.room_id)
        for o in found
    ]
