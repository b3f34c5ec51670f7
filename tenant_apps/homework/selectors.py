"""Reads of the homework notebook, scoped to what the person may see: the overseers (leadership,
school life) everything; a teacher what they wrote and the notebook of the classes and groups they
teach; a student the entries and homework of their class and groups; a guardian their children's."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from shared_apps.identity.roles import Role
from tenant_apps.homework.models import Attachment, Homework, HomeworkDone, LessonEntry, Submission
from tenant_apps.homework.permissions import NOTEBOOK_OVERSEERS
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, TeachingAssignment
from tenant_apps.timetable.models import Lesson, LessonChange, LessonParticipant
from tenant_apps.timetable.selectors import children_here

NOTHING = Q(pk__in=[])
#: A page that has read the person's own member row passes it on (``member=``), None included.
NOT_READ: Any = object()


def me(user_id: int) -> Member | None:
    return Member.objects.filter(user_id=user_id, is_active=True).select_related("school_class").first()


def teaches(member: Member, lesson: Lesson, day: datetime.date) -> bool:
    """Whether a member teaches this lesson on this day (its teacher, a co-teacher, a replacement)."""
    return (
        lesson.teacher_id == member.pk
        or LessonParticipant.objects.filter(lesson=lesson, teacher=member).exists()
        or LessonChange.objects.filter(lesson=lesson, date=day, replacement_teacher=member).exists()
    )


def lessons_of(member: Member) -> Q:
    co = LessonParticipant.objects.filter(teacher=member).values("lesson_id")
    return Q(teacher=member) | Q(pk__in=co)


def audience_of_student(student: Member) -> Q:
    """The entries and homework of a student's class and groups."""
    groups = Group.members.through.objects.filter(member_id=student.pk).values("group_id")
    condition = Q(group_id__in=groups)
    if student.school_class_id:
        condition |= Q(school_class_id=student.school_class_id)
    return condition


def audience_taught(member: Member) -> Q:
    """The classes and groups a teacher teaches (an assignment, a lesson, a co-taught lesson)."""
    co = LessonParticipant.objects.filter(teacher=member).values("lesson_id")
    lessons = Lesson.objects.filter(Q(teacher=member) | Q(pk__in=co))
    assignments = TeachingAssignment.objects.filter(teacher=member)
    return (
        Q(school_class_id__in=lessons.filter(school_class__isnull=False).values("school_class_id"))
        | Q(group_id__in=lessons.filter(group__isnull=False).values("group_id"))
        | Q(school_class_id__in=assignments.filter(school_class__isnull=False).values("school_class_id"))
        | Q(group_id__in=assignments.filter(group__isnull=False).values("group_id"))
        | Q(teacher=member)
    )


def students_followed(*, user_id: int, roles: frozenset[str], member: Any = NOT_READ) -> list[Member]:
    """Whose homework a person follows: a student their own, a guardian their children here."""
    found: list[Member] = []
    if Role.STUDENT in roles:
        own = me(user_id) if member is NOT_READ else member
        if own is not None:
            found.append(own)
    if Role.GUARDIAN in roles:
        found.extend(children_here(guardian_user_id=user_id))
    return found


def visible_condition(*, user_id: int, roles: frozenset[str]) -> Q:
    """Which entries and homework a person may see (the same rule for both)."""
    if roles & NOTEBOOK_OVERSEERS:
        return Q()
    condition = NOTHING
    member = me(user_id)
    if member is not None and Role.TEACHER in roles:
        condition |= audience_taught(member)
    for student in students_followed(user_id=user_id, roles=roles):
        condition |= audience_of_student(student)
    return condition


def entries_visible(*, user_id: int, roles: frozenset[str]) -> QuerySet[LessonEntry]:
    return (
        LessonEntry.objects.filter(visible_condition(user_id=user_id, roles=roles))
        .select_related("subject", "teacher", "school_class", "group")
        .prefetch_related("attachments", "homework")
    )


def homework_visible(*, user_id: int, roles: frozenset[str]) -> QuerySet[Homework]:
    return (
        Homework.objects.filter(visible_condition(user_id=user_id, roles=roles))
        .select_related("subject", "teacher", "school_class", "group", "entry")
        .prefetch_related("attachments")
    )


def homework_of_student(
    *, student: Member, start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[Homework]:
    """A student's homework by due date, each with ``is_done`` (one query)."""
    found = (
        Homework.objects.filter(audience_of_student(student))
        .select_related("subject", "teacher", "school_class", "group", "entry")
        .annotate(is_done=Exists(HomeworkDone.objects.filter(homework=OuterRef("pk"), student=student)))
        .order_by("due_on", "subject__name", "pk")
    )
    if start is not None:
        found = found.filter(due_on__gte=start)
    if end is not None:
        found = found.filter(due_on__lte=end)
    return found


def student_for_viewer(
    *, user_id: int, roles: frozenset[str], student_user_id: int | None, followed: list[Member] | None = None
) -> Member | None:
    """The student whose homework a person asks for (``None``: their own, or their first child);
    None when they may not see it. ``followed``: ``students_followed`` when already read."""
    if followed is None:
        followed = students_followed(user_id=user_id, roles=roles)
    if student_user_id is None:
        return followed[0] if followed else None
    return next((s for s in followed if s.user_id == student_user_id), None)


def classes_for_notebook(
    *, user_id: int, roles: frozenset[str], member: Any = NOT_READ
) -> QuerySet[SchoolClass]:
    """The classes whose notebook a person may browse."""
    if roles & NOTEBOOK_OVERSEERS:
        return SchoolClass.objects.all()
    if member is NOT_READ:
        member = me(user_id)
    if member is None or Role.TEACHER not in roles:
        return SchoolClass.objects.none()
    co = LessonParticipant.objects.filter(teacher=member).values("lesson_id")
    lessons = Lesson.objects.filter(Q(teacher=member) | Q(pk__in=co))
    return SchoolClass.objects.filter(
        Q(pk__in=lessons.values("school_class_id"))
        | Q(pk__in=TeachingAssignment.objects.filter(teacher=member).values("school_class_id"))
    )


def class_notebook(
    *, school_class: SchoolClass, subject_id: int | None, start: datetime.date, end: datetime.date
) -> QuerySet[LessonEntry]:
    """A class's notebook between two dates (its own lessons and its students' groups'), by date."""
    groups = Group.members.through.objects.filter(
        member__school_class=school_class, member__is_active=True
    ).values("group_id")
    found = (
        LessonEntry.objects.filter(Q(school_class=school_class) | Q(group_id__in=groups))
        .filter(date__range=(start, end))
        .select_related("subject", "teacher", "school_class", "group")
        .prefetch_related("attachments", "homework")
        .order_by("-date", "subject__name", "pk")
    )
    if subject_id is not None:
        found = found.filter(subject_id=subject_id)
    return found


def submissions_of(homework: Homework) -> QuerySet[Submission]:
    return (
        homework.submissions.select_related("student")
        .prefetch_related("attachments")
        .order_by("student__display_name")
    )


def submission_of(*, homework: Homework, student: Member) -> Submission | None:
    return homework.submissions.filter(student=student).prefetch_related("attachments").first()


def attachment_visible(*, user_id: int, roles: frozenset[str], attachment_id: int) -> Attachment | None:
    """An attachment a person may download: of an entry or a homework they see; of a submission,
    its student, their guardians and the homework's teacher (and the overseers)."""
    attachment = (
        Attachment.objects.select_related("submission__homework", "submission__student")
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None:
        return None
    if attachment.entry_id is not None:
        seen = entries_visible(user_id=user_id, roles=roles).filter(pk=attachment.entry_id).exists()
        return attachment if seen else None
    if attachment.homework_id is not None:
        seen = homework_visible(user_id=user_id, roles=roles).filter(pk=attachment.homework_id).exists()
        return attachment if seen else None
    submission = attachment.submission
    if submission is None:
        return None
    if roles & NOTEBOOK_OVERSEERS:
        return attachment
    followed = {s.pk for s in students_followed(user_id=user_id, roles=roles)}
    member = me(user_id)
    teacher = member is not None and submission.homework.teacher_id == member.pk
    return attachment if submission.student_id in followed or teacher else None
