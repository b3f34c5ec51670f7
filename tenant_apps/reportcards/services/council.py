"""Preparing the class council: the head teacher of each class, the teachers' appraisals per
subject, the council's appraisal and decision per student."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from shared_apps.identity.roles import Role
from tenant_apps.grades.selectors import teaches
from tenant_apps.grades.services.common import acting_member, audit
from tenant_apps.reportcards.models import Appraisal, CouncilDecision, HeadTeacher, Mention
from tenant_apps.reportcards.permissions import REPORT_CARD_PUBLISHERS, REPORT_CARD_WRITERS
from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Period, Subject

MAX_APPRAISAL = 600
MAX_COUNCIL = 800


@transaction.atomic
def head_teacher_set(
    *, actor: Actor | None, school_class: SchoolClass, teacher: Member | None
) -> HeadTeacher | None:
    """The leadership names (or, with None, removes) a class's head teacher."""
    acting_member(actor, REPORT_CARD_PUBLISHERS)
    before = HeadTeacher.objects.filter(school_class=school_class).select_related("teacher").first()
    if teacher is not None and Role.TEACHER not in (teacher.roles or []):
        raise ValidationFailed(fields={"teacher_id": [_("A head teacher is a teacher here.")]})
    row = None
    if teacher is None:
        HeadTeacher.objects.filter(school_class=school_class).delete()
    else:
        row, _created = HeadTeacher.objects.update_or_create(
            school_class=school_class, defaults={"teacher": teacher}
        )
    audit(
        actor,
        "reportcards.head_teacher_set",
        school_class,
        {"from": before.teacher.user_id if before else None, "to": teacher.user_id if teacher else None},
    )
    return row


def _teaches_student(teacher: Member, subject: Subject, student: Member) -> bool:
    groups = list(Group.objects.filter(members=student).values_list("pk", flat=True))
    if student.school_class_id and teaches(
        teacher=teacher, subject_id=subject.pk, class_id=student.school_class_id, group_id=None
    ):
        return True
    return any(teaches(teacher=teacher, subject_id=subject.pk, class_id=None, group_id=g) for g in groups)


@transaction.atomic
def appraisal_write(
    *, actor: Actor | None, period: Period, student: Member, subject: Subject, text: str
) -> Appraisal | None:
    """A teacher writes (or, empty, removes) their appraisal of a student they teach in a subject."""
    teacher = acting_member(actor, frozenset({Role.TEACHER}))
    if not _teaches_student(teacher, subject, student):
        raise NotFound()
    text = text.strip()
    if len(text) > MAX_APPRAISAL:
        raise ValidationFailed(fields={"text": [_("At most %(n)d characters.") % {"n": MAX_APPRAISAL}]})
    before = Appraisal.objects.filter(period=period, student=student, subject=subject).first()
    row = None
    if not text:
        Appraisal.objects.filter(period=period, student=student, subject=subject).delete()
    else:
        row, _created = Appraisal.objects.update_or_create(
            period=period, student=student, subject=subject, defaults={"text": text, "teacher": teacher}
        )
    audit(
        actor,
        "reportcards.appraisal_written",
        student,
        {"period": period.pk, "subject": subject.pk, "from": before.text if before else "", "to": text},
    )
    return row


def may_lead_council(member: Member, school_class: SchoolClass | None) -> bool:
    if set(member.roles or []) & REPORT_CARD_PUBLISHERS:
        return True
    return (
        school_class is not None
        and HeadTeacher.objects.filter(school_class=school_class, teacher=member).exists()
    )


@transaction.atomic
def council_decision_set(
    *, actor: Actor | None, period: Period, student: Member, appraisal: str, mention: str
) -> CouncilDecision:
    """The class's head teacher (or the leadership) records the council's appraisal and decision."""
    member = acting_member(actor, REPORT_CARD_WRITERS)
    if not may_lead_council(member, student.school_class):
        raise NotFound()
    errors: dict[str, list[str]] = {}
    if mention not in Mention.values:
        errors["mention"] = [_("Unknown decision.")]
    if len(appraisal.strip()) > MAX_COUNCIL:
        errors["appraisal"] = [_("At most %(n)d characters.") % {"n": MAX_COUNCIL}]
    if errors:
        raise ValidationFailed(fields=errors)
    before = CouncilDecision.objects.filter(period=period, student=student).first()
    row, _created = CouncilDecision.objects.update_or_create(
        period=period, student=student, defaults={"appraisal": appraisal.strip(), "mention": mention}
    )
    audit(
        actor,
        "reportcards.council_decision_set",
        student,
        {
            "period": period.pk,
            "appraisal": {"from": before.appraisal if before else "", "to": row.appraisal},
            "mention": {"from": before.mention if before else "", "to": mention},
        },
    )
    return row
