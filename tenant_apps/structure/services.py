"""Writes of the school's structure (the caller selects the schema).

Updates take the whole new state of an object (the API's PATCH merges what it is sent with the
current values first). A delete never loses data: anything still referring to the object (lessons,
registers, enrolments, students, teaching assignments…) makes it a ``Conflict`` that says what.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from django.db import IntegrityError, connection, router, transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.error_codes import ErrorCode
from mbn_platform.kernel.errors import Conflict, ValidationFailed
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.school.services import class_level
from tenant_apps.structure.models import (
    Group,
    Period,
    PeriodKind,
    Room,
    SchoolYear,
    Subject,
    TeachingAssignment,
)


def _unique(create, field: str | None = None):  # type: ignore[no-untyped-def]
    """Run ``create`` (or an update); a uniqueness clash is a Conflict (named on ``field``)."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError as exc:
        message = _("This already exists.")
        raise Conflict(
            message, code=ErrorCode.ALREADY_EXISTS, fields={field: [message]} if field else None
        ) from exc


def _required(value: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(fields={field: [str(_("This field is required."))]})
    return text


def structure_audit(*, actor_id: int | None, action: str, target: Model, details: dict[str, Any]) -> None:
    from mbn_platform.kernel.audit import audit_record

    audit_record(
        actor=SimpleNamespace(pk=actor_id, is_authenticated=True) if actor_id else None,
        action=action,
        establishment=getattr(connection, "tenant", None),
        target=target,
        details=details,
    )


# What the rows that refer to an object are called in the message of a refused delete.
_USES = {
    "timetable.lesson": _("lessons"),
    "timetable.lessonchange": _("lesson changes"),
    "timetable.exceptionallesson": _("exceptional lessons"),
    "attendance.register": _("registers"),
    "attendance.attendancemark": _("attendance marks"),
    "structure.enrolment": _("enrolments (past years)"),
    "structure.teachingassignment": _("teaching assignments"),
    "structure.period": _("periods"),
    "school.member": _("students"),
}


def _uses(obj: Model, *, owned: Iterable[type[Model]] = ()) -> Counter[str]:
    """What would be deleted or changed with ``obj`` (rows of other kinds than ``owned``), by kind."""
    skip = {type(obj), *owned}
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    counts: Counter[str] = Counter()
    try:
        collector.collect([obj])
    except (ProtectedError, RestrictedError) as exc:  # raised once every relation was looked at
        blocking = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        for row in blocking:
            counts[row._meta.label_lower] += 1
    for model, rows in collector.data.items():
        if model not in skip and not model._meta.auto_created and rows:  # many-to-many rows are owned
            counts[model._meta.label_lower] += len(rows)
    for queryset in collector.fast_deletes:
        model = queryset.model
        if model not in skip and not model._meta.auto_created:
            found = queryset.count()
            if found:
                counts[model._meta.label_lower] += found
    updates: Any = collector.field_updates  # {(field, value): [queryset or list of rows, …]}
    for (field, _value), batches in updates.items():
        if field.model in skip:
            continue
        found = sum(len(b) if isinstance(b, list | set | tuple) else b.count() for b in batches)
        if found:
            counts[field.model._meta.label_lower] += found
    return counts


def _delete_unused(obj: Model, *, name: str, owned: Iterable[type[Model]] = ()) -> None:
    """Delete ``obj`` (and the rows it owns), or raise Conflict naming what still uses it."""
    counts = _uses(obj, owned=owned)
    if counts:
        uses = ", ".join(
            f"{_USES.get(label, label.split('.')[-1])} ({count})" for label, count in sorted(counts.items())
        )
        raise Conflict(
            gettext_now("“%(name)s” cannot be deleted: it is still used by %(uses)s.")
            % {"name": name, "uses": uses},
            code=ErrorCode.IN_USE,
        )
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:  # something new refers to it meanwhile
        raise Conflict(
            gettext_now("“%(name)s” cannot be deleted: it is still in use.") % {"name": name},
            code=ErrorCode.IN_USE,
        ) from exc


# School years and periods ---------------------------------------------------------------------


def _year_dates(
    *, start: datetime.date, end: datetime.date, week_a_monday: datetime.date | None
) -> datetime.date:
    if end <= start:
        raise ValidationFailed(fields={"end": [str(_("The last day must be after the first."))]})
    monday = week_a_monday or start
    return monday - datetime.timedelta(days=monday.weekday())


@transaction.atomic
def school_year_create(
    *,
    name: str,
    start: datetime.date,
    end: datetime.date,
    week_a_monday: datetime.date | None = None,
    is_current: bool = False,
) -> SchoolYear:
    monday = _year_dates(start=start, end=end, week_a_monday=week_a_monday)
    name = _required(name, "name")
    if is_current:
        SchoolYear.objects.filter(is_current=True).update(is_current=False)
    return _unique(
        lambda: SchoolYear.objects.create(
            name=name, start=start, end=end, week_a_monday=monday, is_current=is_current
        ),
        "name",
    )


@transaction.atomic
def school_year_update(
    *,
    actor_id: int | None,
    year: SchoolYear,
    name: str,
    start: datetime.date,
    end: datetime.date,
    week_a_monday: datetime.date | None = None,
    is_current: bool = False,
) -> SchoolYear:
    """Rename a year, change its dates (its periods must still fit in them), make it current."""
    monday = _year_dates(start=start, end=end, week_a_monday=week_a_monday)
    name = _required(name, "name")
    outside = year.periods.exclude(start__gte=start, end__lte=end).order_by("start").first()
    if outside is not None:
        raise ValidationFailed(
            fields={
                "start" if outside.start < start else "end": [
                    gettext_now("The period “%(name)s” would no longer lie within the year.")
                    % {"name": outside.name}
                ]
            }
        )
    if is_current:
        SchoolYear.objects.filter(is_current=True).exclude(pk=year.pk).update(is_current=False)
    year.name, year.start, year.end, year.week_a_monday, year.is_current = (
        name,
        start,
        end,
        monday,
        is_current,
    )
    _unique(lambda: year.save(), "name")
    return year


@transaction.atomic
def school_year_delete(*, actor_id: int | None, year: SchoolYear) -> None:
    """Delete a year and its periods; refused while lessons, enrolments or anything else use it."""
    details = {"name": year.name, "start": year.start.isoformat(), "end": year.end.isoformat()}
    target = SchoolYear(pk=year.pk)
    _delete_unused(year, name=year.name, owned=[Period])
    structure_audit(actor_id=actor_id, action="structure.year_deleted", target=target, details=details)


def _period_checks(
    *, year: SchoolYear, kind: str, start: datetime.date, end: datetime.date, exclude: int | None = None
) -> None:
    if kind not in PeriodKind.values:
        raise ValidationFailed(fields={"kind": [str(_("Unknown kind of period."))]})
    if end < start:
        raise ValidationFailed(fields={"end": [str(_("The last day must not be before the first."))]})
    if start < year.start or end > year.end:
        raise ValidationFailed(fields={"end": [str(_("The period must lie within its school year."))]})
    overlapping = Period.objects.filter(year=year, start__lte=end, end__gte=start)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    if overlapping.exists():
        raise ValidationFailed(fields={"start": [str(_("Periods of a year must not overlap."))]})


@transaction.atomic
def period_create(
    *, year: SchoolYear, name: str, kind: str, start: datetime.date, end: datetime.date
) -> Period:
    name = _required(name, "name")
    _period_checks(year=year, kind=kind, start=start, end=end)
    return _unique(
        lambda: Period.objects.create(year=year, name=name, kind=kind, start=start, end=end), "name"
    )


@transaction.atomic
def period_update(
    *, actor_id: int | None, period: Period, name: str, kind: str, start: datetime.date, end: datetime.date
) -> Period:
    """Change a period of its year (it stays in the same year, within it, without overlap)."""
    name = _required(name, "name")
    _period_checks(year=period.year, kind=kind, start=start, end=end, exclude=period.pk)
    period.name, period.kind, period.start, period.end = name, kind, start, end
    _unique(lambda: period.save(), "name")
    return period


@transaction.atomic
def period_delete(*, actor_id: int | None, period: Period) -> None:
    _delete_unused(period, name=period.name)


# Subjects and rooms ----------------------------------------------------------------------------


def subject_create(*, code: str, name: str) -> Subject:
    code, name = _required(code, "code"), _required(name, "name")
    return _unique(lambda: Subject.objects.create(code=code, name=name), "code")


@transaction.atomic
def subject_update(*, actor_id: int | None, subject: Subject, code: str, name: str) -> Subject:
    subject.code, subject.name = _required(code, "code"), _required(name, "name")
    _unique(lambda: subject.save(), "code")
    return subject


@transaction.atomic
def subject_delete(*, actor_id: int | None, subject: Subject) -> None:
    """Refused while lessons or teaching assignments use the subject."""
    _delete_unused(subject, name=subject.name)


def _capacity(capacity: int | None) -> int | None:
    if capacity is not None and capacity < 1:
        raise ValidationFailed(fields={"capacity": [str(_("The capacity must be at least 1."))]})
    return capacity


def room_create(*, name: str, capacity: int | None = None) -> Room:
    name = _required(name, "name")
    return _unique(lambda: Room.objects.create(name=name, capacity=_capacity(capacity)), "name")


@transaction.atomic
def room_update(*, actor_id: int | None, room: Room, name: str, capacity: int | None = None) -> Room:
    room.name, room.capacity = _required(name, "name"), _capacity(capacity)
    _unique(lambda: room.save(), "name")
    return room


@transaction.atomic
def room_delete(*, actor_id: int | None, room: Room) -> None:
    """Refused while lessons (or changes of lessons) take place in the room."""
    _delete_unused(room, name=room.name)


# Classes ---------------------------------------------------------------------------------------


def _level(name: str, level: str | None) -> str:
    text = (level or "").strip() or class_level(name)
    if len(text) > 40:
        raise ValidationFailed(fields={"level": [str(_("At most 40 characters."))]})
    return text


@transaction.atomic
def class_create(*, actor_id: int | None, name: str, level: str | None = None) -> SchoolClass:
    """A class; its level is told by its name ("4e B" is 4e) unless given."""
    name = _required(name, "name")
    return _unique(lambda: SchoolClass.objects.create(name=name, level=_level(name, level)), "name")


@transaction.atomic
def class_update(
    *, actor_id: int | None, school_class: SchoolClass, name: str, level: str | None = None
) -> SchoolClass:
    """Rename a class (its students, lessons and past enrolments follow it)."""
    name = _required(name, "name")
    school_class.name, school_class.level = name, _level(name, level)
    _unique(lambda: school_class.save(), "name")
    return school_class


@transaction.atomic
def class_delete(*, actor_id: int | None, school_class: SchoolClass) -> None:
    """Refused while the class has students, past enrolments, lessons or teaching assignments."""
    details = {"name": school_class.name, "level": school_class.level}
    target = SchoolClass(pk=school_class.pk)
    _delete_unused(school_class, name=school_class.name)
    structure_audit(actor_id=actor_id, action="structure.class_deleted", target=target, details=details)


# Groups ----------------------------------------------------------------------------------------


@transaction.atomic
def group_create(*, name: str, member_ids: Iterable[int] = ()) -> Group:
    name = _required(name, "name")
    group: Group = _unique(lambda: Group.objects.create(name=name), "name")
    group_members_set(group=group, member_ids=member_ids)
    return group


@transaction.atomic
def group_update(
    *, actor_id: int | None, group: Group, name: str, member_ids: Iterable[int] | None = None
) -> Group:
    """Rename a group and, when ``member_ids`` is given, set its students."""
    group.name = _required(name, "name")
    _unique(lambda: group.save(), "name")
    if member_ids is not None:
        group_members_set(group=group, member_ids=member_ids)
    return group


@transaction.atomic
def group_members_set(*, group: Group, member_ids: Iterable[int]) -> Group:
    """The group's students are exactly these members (students of this establishment)."""
    wanted = set(member_ids)
    students = list(
        Member.objects.filter(pk__in=wanted, is_active=True, roles__contains=[Role.STUDENT]).values_list(
            "pk", flat=True
        )
    )
    if len(students) != len(wanted):
        raise ValidationFailed(
            fields={"members": [str(_("Every member of a group must be a student here."))]}
        )
    group.members.set(students)
    return group


@transaction.atomic
def group_delete(*, actor_id: int | None, group: Group) -> None:
    """Delete a group and its list of members; refused while lessons or assignments use it."""
    _delete_unused(group, name=group.name)


# Teaching assignments --------------------------------------------------------------------------


def _assignment_checks(*, teacher: Member, school_class: SchoolClass | None, group: Group | None) -> None:
    if (school_class is None) == (group is None):
        raise ValidationFailed(fields={"school_class": [str(_("Give a class or a group (one of them)."))]})
    if Role.TEACHER not in teacher.roles or not teacher.is_active:
        raise ValidationFailed(fields={"teacher": [str(_("This person is not a teacher here."))]})


@transaction.atomic
def teaching_assignment_create(
    *,
    teacher: Member,
    subject: Subject,
    school_class: SchoolClass | None = None,
    group: Group | None = None,
) -> TeachingAssignment:
    _assignment_checks(teacher=teacher, school_class=school_class, group=group)
    return _unique(
        lambda: TeachingAssignment.objects.create(
            teacher=teacher, subject=subject, school_class=school_class, group=group
        ),
        "subject",
    )


@transaction.atomic
def teaching_assignment_update(
    *,
    actor_id: int | None,
    assignment: TeachingAssignment,
    teacher: Member,
    subject: Subject,
    school_class: SchoolClass | None = None,
    group: Group | None = None,
) -> TeachingAssignment:
    _assignment_checks(teacher=teacher, school_class=school_class, group=group)
    assignment.teacher, assignment.subject = teacher, subject
    assignment.school_class, assignment.group = school_class, group
    _unique(lambda: assignment.save(), "subject")
    return assignment


@transaction.atomic
def teaching_assignment_delete(*, actor_id: int | None, assignment: TeachingAssignment) -> None:
    _delete_unused(assignment, name=str(assignment))
