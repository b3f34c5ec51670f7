"""Reads of discipline, scoped to what the person may see: school-life staff and the leadership
everything; a teacher the incidents, punishments and sanctions of the students they teach (a
class they teach, by assignment or lesson, or a group they teach) and what they reported or
gave themselves; a guardian their children's punishments and pronounced sanctions; a student
their own. Incidents (which name other students) are staff's only."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from shared_apps.identity.roles import Role
from tenant_apps.discipline.models import Incident, Punishment, PunishmentKind, Sanction, SanctionStatus
from tenant_apps.discipline.permissions import DISCIPLINE_STAFF
from tenant_apps.school.models import Member
from tenant_apps.structure.models import Group, TeachingAssignment
from tenant_apps.timetable.models import Lesson, LessonParticipant
from tenant_apps.timetable.selectors import children_here

NOTHING = Q(pk__in=[])


def me(user_id: int) -> Member | None:
    return Member.objects.filter(user_id=user_id, is_active=True).first()


def students_taught(*, user_id: int) -> QuerySet[Member]:
    """The students a teacher teaches: of the classes they teach (a teaching assignment, a
    recurring lesson, a lesson they co-teach) and the members of the groups they teach."""
    mine = Q(teacher__user_id=user_id)
    co = LessonParticipant.objects.filter(teacher__user_id=user_id).values("lesson_id")
    lessons = Lesson.objects.filter(mine | Q(pk__in=co))
    classes = (
        set(
            TeachingAssignment.objects.filter(mine, school_class__isnull=False).values_list(
                "school_class_id", flat=True
            )
        )
        | set(lessons.filter(school_class__isnull=False).values_list("school_class_id", flat=True))
        | set(
            LessonParticipant.objects.filter(lesson__in=lessons, school_class__isnull=False).values_list(
                "school_class_id", flat=True
            )
        )
    )
    groups = (
        set(TeachingAssignment.objects.filter(mine, group__isnull=False).values_list("group_id", flat=True))
        | set(lessons.filter(group__isnull=False).values_list("group_id", flat=True))
        | set(
            LessonParticipant.objects.filter(lesson__in=lessons, group__isnull=False).values_list(
                "group_id", flat=True
            )
        )
    )
    in_groups = Group.members.through.objects.filter(group_id__in=groups).values("member_id")
    return Member.objects.filter(roles__contains=[Role.STUDENT]).filter(
        Q(school_class_id__in=classes) | Q(pk__in=in_groups)
    )


def students_visible(*, user_id: int, roles: frozenset[str]) -> QuerySet[Member]:
    """Whose discipline record a person may read."""
    students = Member.objects.filter(roles__contains=[Role.STUDENT]).select_related("school_class")
    if roles & DISCIPLINE_STAFF:
        return students
    condition = NOTHING
    if Role.TEACHER in roles:
        condition |= Q(pk__in=students_taught(user_id=user_id).values("pk"))
    if Role.GUARDIAN in roles:
        condition |= Q(pk__in=[c.pk for c in children_here(guardian_user_id=user_id)])
    if Role.STUDENT in roles:
        condition |= Q(user_id=user_id)
    return students.filter(condition)


def active_students() -> QuerySet[Member]:
    return Member.objects.filter(roles__contains=[Role.STUDENT], is_active=True).select_related(
        "school_class"
    )


def students_for_writing(*, user_id: int, roles: frozenset[str]) -> QuerySet[Member]:
    """The students a member of staff may punish or propose a sanction for (staff: any active
    student; a teacher: theirs)."""
    students = Member.objects.filter(roles__contains=[Role.STUDENT], is_active=True).select_related(
        "school_class"
    )
    if roles & DISCIPLINE_STAFF:
        return students.order_by("school_class__name", "display_name")
    if Role.TEACHER in roles:
        return students.filter(pk__in=students_taught(user_id=user_id).values("pk")).order_by(
            "school_class__name", "display_name"
        )
    return students.none()


def incidents_visible(*, user_id: int, roles: frozenset[str]) -> QuerySet[Incident]:
    found = Incident.objects.select_related("reported_by").prefetch_related("students", "witnesses")
    if roles & DISCIPLINE_STAFF:
        return found
    if Role.TEACHER in roles:
        taught = students_taught(user_id=user_id).values("pk")
        return found.filter(Q(students__in=taught) | Q(reported_by__user_id=user_id)).distinct()
    return found.none()


def punishments_visible(*, user_id: int, roles: frozenset[str]) -> QuerySet[Punishment]:
    found = Punishment.objects.select_related("student__school_class", "given_by", "supervisor", "incident")
    if roles & DISCIPLINE_STAFF:
        return found
    condition = Q(student__in=students_visible(user_id=user_id, roles=roles).values("pk"))
    if Role.TEACHER in roles:
        condition |= Q(given_by__user_id=user_id) | Q(supervisor__user_id=user_id)
    return found.filter(condition)


def sanctions_visible(*, user_id: int, roles: frozenset[str]) -> QuerySet[Sanction]:
    found = Sanction.objects.select_related("student__school_class", "proposed_by", "incident")
    if roles & DISCIPLINE_STAFF:
        return found
    condition = NOTHING
    if Role.TEACHER in roles:
        condition |= Q(student__in=students_taught(user_id=user_id).values("pk")) | Q(
            proposed_by__user_id=user_id
        )
    families = Q(
        student__in=students_visible(user_id=user_id, roles=roles & {Role.GUARDIAN, Role.STUDENT}).values(
            "pk"
        )
    )
    if roles & {Role.GUARDIAN, Role.STUDENT}:
        condition |= families & Q(status=SanctionStatus.PRONOUNCED)
    return found.filter(condition)


def detentions_between(*, start: datetime.date, end: datetime.date) -> QuerySet[Punishment]:
    """The detentions of [start, end] (cancelled ones left out), by date and time."""
    return (
        Punishment.objects.filter(kind=PunishmentKind.DETENTION, date__range=(start, end))
        .exclude(status="cancelled")
        .select_related("student__school_class", "supervisor", "given_by")
        .order_by("date", "start_time", "student__display_name", "pk")
    )


def staff_members() -> QuerySet[Member]:
    from shared_apps.identity.roles import STAFF_ROLES

    return Member.objects.filter(is_active=True, roles__overlap=list(STAFF_ROLES)).order_by("display_name")
