"""Writes of the school's structure (the caller selects the schema)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from mbn_platform.errors import Conflict, ValidationFailed
from shared_apps.identity.roles import Role
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import (
    Group,
    Period,
    PeriodKind,
    Room,
    SchoolYear,
    Subject,
    TeachingAssignment,
)


def _unique(create):  # type: ignore[no-untyped-def]
    try:
        with transaction.atomic():
            return create()
    except IntegrityError as exc:
        raise Conflict(_("This already exists."), code="already_exists") from exc


@transaction.atomic
def school_year_create(
    *,
    name: str,
    start: datetime.date,
    end: datetime.date,
    week_a_monday: datetime.date | None = None,
    is_current: bool = False,
) -> SchoolYear:
    if end <= start:
        raise ValidationFailed(fields={"end": [str(_("The last day must be after the first."))]})
    if is_current:
        SchoolYear.objects.filter(is_current=True).update(is_current=False)
    monday = week_a_monday or start
    monday -= datetime.timedelta(days=monday.weekday())
    return _unique(
        lambda: SchoolYear.objects.create(
            name=name, start=start, end=end, week_a_monday=monday, is_current=is_current
        )
    )


@transaction.atomic
def period_create(
    *, year: SchoolYear, name: str, kind: str, start: datetime.date, end: datetime.date
) -> Period:
    if kind not in PeriodKind.values:
        raise ValidationFailed(fields={"kind": [str(_("Unknown kind of period."))]})
    if end < start or start < year.start or end > year.end:
        raise ValidationFailed(fields={"end": [str(_("The period must lie within its school year."))]})
    overlapping = Period.objects.filter(year=year, start__lte=end, end__gte=start).exists()
    if overlapping:
        raise ValidationFailed(fields={"start": [str(_("Periods of a year must not overlap."))]})
    return _unique(lambda: Period.objects.create(year=year, name=name, kind=kind, start=start, end=end))


def subject_create(*, code: str, name: str) -> Subject:
    return _unique(lambda: Subject.objects.create(code=code.strip(), name=name.strip()))


def room_create(*, name: str, capacity: int | None = None) -> Room:
    return _unique(lambda: Room.objects.create(name=name.strip(), capacity=capacity))


@transaction.atomic
def group_create(*, name: str, member_ids: Iterable[int] = ()) -> Group:
    group: Group = _unique(lambda: Group.objects.create(name=name.strip()))
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
def teaching_assignment_create(
    *,
    teacher: Member,
    subject: Subject,
    school_class: SchoolClass | None = None,
    group: Group | None = None,
) -> TeachingAssignment:
    if (school_class is None) == (group is None):
        raise ValidationFailed(fields={"school_class": [str(_("Give a class or a group (one of them)."))]})
    if Role.TEACHER not in teacher.roles:
        raise ValidationFailed(fields={"teacher": [str(_("This person is not a teacher here."))]})
    return _unique(
        lambda: TeachingAssignment.objects.create(
            teacher=teacher, subject=subject, school_class=school_class, group=group
        )
    )
