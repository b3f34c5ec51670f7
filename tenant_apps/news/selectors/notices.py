"""Reads of notices: a guardian's (per child, to acknowledge first), the notices a member of
staff follows with their counts, and one notice's tally per class and per student (a fixed
number of queries, whatever the number of students)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from tenant_apps.news.models import Notice, NoticeRecipient
from tenant_apps.news.permissions import NOTICE_OVERSEERS
from tenant_apps.school.models import Member


def notices_followed(*, member: Member) -> QuerySet[Notice]:
    """The notices a member of staff sees (theirs; every one for the overseers), with counts of
    guardians who have and have not acknowledged."""
    found = Notice.objects.all()
    if not set(member.roles or []) & NOTICE_OVERSEERS:
        found = found.filter(author=member)
    return found.select_related("author", "school_class").annotate(
        guardians=Count("recipients__guardian", distinct=True),
        acknowledged=Count(
            "recipients__guardian", filter=Q(recipients__acknowledged_at__isnull=False), distinct=True
        ),
    )


def notices_of_guardian(*, guardian: Member) -> QuerySet[NoticeRecipient]:
    """A guardian's rows (a notice for each child it concerns), to acknowledge first, newest first."""
    return (
        NoticeRecipient.objects.filter(guardian=guardian)
        .select_related("notice", "notice__author", "student", "student__school_class")
        .order_by(F("acknowledged_at").desc(nulls_first=True), "-notice__created_at", "student__display_name")
    )


@dataclass
class StudentTally:
    student: Member
    rows: list[NoticeRecipient] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        """Every guardian of the student has acknowledged."""
        return all(r.acknowledged_at for r in self.rows)


@dataclass
class ClassTally:
    name: str
    students: list[StudentTally] = field(default_factory=list)

    @property
    def guardians(self) -> int:
        return len({r.guardian_id for s in self.students for r in s.rows})

    @property
    def acknowledged(self) -> int:
        return len({r.guardian_id for s in self.students for r in s.rows if r.acknowledged_at})


def notice_tally(notice: Notice) -> list[ClassTally]:
    """Per class, per student: each guardian and whether they acknowledged (one query)."""
    rows = (
        NoticeRecipient.objects.filter(notice=notice)
        .select_related("student", "student__school_class", "guardian")
        .order_by("student__school_class__name", "student__display_name", "guardian__display_name")
    )
    classes: dict[str, ClassTally] = {}
    students: dict[int, StudentTally] = {}
    for row in rows:
        name = row.student.school_class.name if row.student.school_class else "—"
        tally = classes.setdefault(name, ClassTally(name))
        if row.student_id not in students:
            students[row.student_id] = StudentTally(row.student)
            tally.students.append(students[row.student_id])
        students[row.student_id].rows.append(row)
    return list(classes.values())
