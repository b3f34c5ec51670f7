"""The communication rules: who may write to whom, per establishment.

For each role of sender and role of recipient, a reach: no one, only those related to them, or
everyone. The defaults below apply until the establishment changes a cell (``CommunicationRule``
rows, changed on the rules page, audited). Related means: a student's teachers (of their class and
groups) and guardians; a guardian's children and their teachers; a teacher's students and those
students' guardians. A person with several roles may write to whom any of their roles allows.
Staff write to anyone by default; students to their teachers and school life, not to other
students' guardians; guardians to their children's teachers, school life and the leadership.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from shared_apps.identity.roles import STAFF_ROLES, Role
from tenant_apps.messaging.models import CommunicationRule, Reach
from tenant_apps.school.models import Member
from tenant_apps.structure.models import Group, TeachingAssignment
from tenant_apps.timetable.models import Lesson, LessonParticipant

ROLES: tuple[str, ...] = tuple(Role.values)
NOTHING = Q(pk__in=[])


def default_reach(sender_role: str, recipient_role: str) -> str:
    if sender_role in STAFF_ROLES:
        return Reach.ALL
    if sender_role == Role.STUDENT:
        return {
            Role.TEACHER: Reach.RELATED,
            Role.SCHOOL_LIFE: Reach.ALL,
            Role.GUARDIAN: Reach.RELATED,  # their own guardians only
        }.get(recipient_role, Reach.NONE)  # type: ignore[call-overload]
    if sender_role == Role.GUARDIAN:
        return {
            Role.TEACHER: Reach.RELATED,
            Role.SCHOOL_LIFE: Reach.ALL,
            Role.HEAD: Reach.ALL,
            Role.ADMIN_STAFF: Reach.ALL,
            Role.STUDENT: Reach.RELATED,  # their own children
        }.get(recipient_role, Reach.NONE)  # type: ignore[call-overload]
    return Reach.NONE


def rules_matrix() -> dict[tuple[str, str], str]:
    """Every (sender role, recipient role) → reach, the establishment's changes over the defaults
    (one query)."""
    matrix = {(s, r): default_reach(s, r) for s in ROLES for r in ROLES}
    for rule in CommunicationRule.objects.all():
        if (rule.sender_role, rule.recipient_role) in matrix:
            matrix[(rule.sender_role, rule.recipient_role)] = rule.reach
    return matrix


def _students_audience(students: QuerySet[Member]) -> tuple[Q, Q]:
    """(lessons, assignments) conditions for the classes and groups of these students."""
    groups = Group.members.through.objects.filter(member__in=students).values("group_id")
    classes = students.filter(school_class__isnull=False).values("school_class_id")
    return (
        Q(school_class_id__in=classes) | Q(group_id__in=groups),
        Q(school_class_id__in=classes) | Q(group_id__in=groups),
    )


def teachers_of(students: QuerySet[Member]) -> Q:
    """Members who teach these students (a lesson, a co-taught lesson, a teaching assignment)."""
    audience, assigned = _students_audience(students)
    lessons = Lesson.objects.filter(
        audience | Q(pk__in=LessonParticipant.objects.filter(audience).values("lesson_id"))
    )
    return (
        Q(pk__in=lessons.values("teacher_id"))
        | Q(
            pk__in=LessonParticipant.objects.filter(lesson__in=lessons, teacher__isnull=False).values(
                "teacher_id"
            )
        )
        | Q(pk__in=TeachingAssignment.objects.filter(assigned).values("teacher_id"))
    )


def students_of_teacher(teacher: Member) -> QuerySet[Member]:
    co = LessonParticipant.objects.filter(teacher=teacher).values("lesson_id")
    lessons = Lesson.objects.filter(Q(teacher=teacher) | Q(pk__in=co))
    assignments = TeachingAssignment.objects.filter(teacher=teacher)
    classes = Q(school_class_id__in=lessons.values("school_class_id")) | Q(
        school_class_id__in=assignments.values("school_class_id")
    )
    groups = Group.members.through.objects.filter(
        Q(group_id__in=lessons.values("group_id")) | Q(group_id__in=assignments.values("group_id"))
    ).values("member_id")
    return Member.objects.filter(roles__contains=[Role.STUDENT]).filter(classes | Q(pk__in=groups))


def _guardian_ids_of(student_user_ids: list[int] | QuerySet[Member]) -> list[int]:
    from shared_apps.identity.models import GuardianLink

    ids = (
        list(student_user_ids.values_list("user_id", flat=True))
        if isinstance(student_user_ids, QuerySet)
        else student_user_ids
    )
    return list(GuardianLink.objects.filter(child_id__in=ids).values_list("guardian_id", flat=True))


def _children_user_ids(guardian: Member) -> list[int]:
    from shared_apps.identity.models import GuardianLink

    return list(GuardianLink.objects.filter(guardian_id=guardian.user_id).values_list("child_id", flat=True))


def related(sender: Member, sender_role: str, recipient_role: str) -> Q:
    """The members of ``recipient_role`` related to the sender (as ``sender_role``)."""
    if sender_role == Role.STUDENT and recipient_role == Role.TEACHER:
        return teachers_of(Member.objects.filter(pk=sender.pk))
    if sender_role == Role.STUDENT and recipient_role == Role.GUARDIAN:
        return Q(user_id__in=_guardian_ids_of([sender.user_id]))
    if sender_role == Role.GUARDIAN:
        children = _children_user_ids(sender)
        if recipient_role == Role.STUDENT:
            return Q(user_id__in=children)
        if recipient_role == Role.TEACHER:
            return teachers_of(Member.objects.filter(user_id__in=children))
    if sender_role == Role.TEACHER and recipient_role == Role.STUDENT:
        return Q(pk__in=students_of_teacher(sender).values("pk"))
    if sender_role == Role.TEACHER and recipient_role == Role.GUARDIAN:
        return Q(user_id__in=_guardian_ids_of(students_of_teacher(sender)))
    if sender_role in STAFF_ROLES and recipient_role in STAFF_ROLES:
        return Q()
    return NOTHING


def may_write_to(sender: Member, matrix: dict[tuple[str, str], str] | None = None) -> Q:
    """The members this sender may write to (a condition on ``Member``), by the rules."""
    matrix = matrix if matrix is not None else rules_matrix()
    allowed = NOTHING
    for sender_role in sender.roles or []:
        for recipient_role in ROLES:
            reach = matrix.get((sender_role, recipient_role), Reach.NONE)
            if reach == Reach.ALL:
                allowed |= Q(roles__contains=[recipient_role])
            elif reach == Reach.RELATED:
                allowed |= Q(roles__contains=[recipient_role]) & related(sender, sender_role, recipient_role)
    return allowed & Q(is_active=True) & ~Q(pk=sender.pk)
