"""School life's daily desk: absences recorded without a register (whole or several days), EPS
exemptions with their certificate, infirmary visits. Each write leaves one audit entry."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.actors import Actor
from mbn_platform.kernel.audit import audit_record, audit_values
from mbn_platform.kernel.db import schema_establishment
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.identity.roles import Role
from tenant_apps.attendance.models import (
    AbsencePeriod,
    AbsenceReason,
    Half,
    InfirmaryOutcome,
    InfirmaryVisit,
    SportExemption,
)
from tenant_apps.attendance.services.justifications import attachment_extension
from tenant_apps.attendance.services.registers import person_id
from tenant_apps.school.models import Member

MAX_DAYS = 366


def _audit(actor: Actor | None, action: str, target: Any, details: dict[str, Any]) -> None:
    audit_record(
        actor=actor, action=action, establishment=schema_establishment(), target=target, details=details
    )


def _student(student: Member) -> None:
    if Role.STUDENT not in (student.roles or []):
        raise ValidationFailed(fields={"student": [str(_("Choose a student."))]})


def _days(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise ValidationFailed(fields={"end": [str(_("The last day must not be before the first."))]})
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed(fields={"end": [str(_("More than a year: check the dates."))]})


@transaction.atomic
def absence_period_record(
    *,
    actor: Actor | None,
    student: Member,
    start: datetime.date,
    end: datetime.date,
    reason: str,
    start_half: str = Half.MORNING,
    end_half: str = Half.AFTERNOON,
    justified: bool = False,
    comment: str = "",
) -> AbsencePeriod:
    """A whole-day or multi-day absence, without a register: the registers of those days show
    the student absent, no same-day notice goes out for it, and its half-days count."""
    recorder = person_id(actor)
    _student(student)
    _days(start, end)
    if reason not in AbsenceReason.values:
        raise ValidationFailed(fields={"reason": [str(_("Unknown reason."))]})
    if start_half not in Half.values or end_half not in Half.values:
        raise ValidationFailed(fields={"start_half": [str(_("Morning or afternoon."))]})
    if start == end and start_half == Half.AFTERNOON and end_half == Half.MORNING:
        raise ValidationFailed(fields={"end_half": [str(_("The absence ends before it starts."))]})
    period = AbsencePeriod.objects.create(
        student=student,
        start=start,
        end=end,
        start_half=start_half,
        end_half=end_half,
        reason=reason,
        justified=justified,
        comment=comment.strip(),
        recorded_by_id=recorder,
    )
    _audit(
        actor,
        "attendance.absence_period_recorded",
        period,
        {
            "student_id": student.user_id,
            **audit_values(
                {
                    "start": start,
                    "end": end,
                    "start_half": start_half,
                    "end_half": end_half,
                    "reason": reason,
                    "justified": justified,
                }
            ),
        },
    )
    return period


@transaction.atomic
def absence_period_delete(*, actor: Actor | None, period: AbsencePeriod) -> None:
    person_id(actor)
    details = {
        "student_id": period.student.user_id,
        **audit_values({"start": period.start, "end": period.end}),
    }
    target = AbsencePeriod(pk=period.pk)
    period.delete()
    _audit(actor, "attendance.absence_period_deleted", target, details)


@transaction.atomic
def sport_exemption_record(
    *,
    actor: Actor | None,
    student: Member,
    start: datetime.date,
    end: datetime.date,
    partial: bool = False,
    details: str = "",
    certificate: UploadedFile | None = None,
) -> SportExemption:
    """An EPS exemption between two days (total, or partial with what the student may do), with
    its medical certificate (PDF, PNG or JPEG, 5 MB at most)."""
    recorder = person_id(actor)
    _student(student)
    _days(start, end)
    if partial and not details.strip():
        raise ValidationFailed(fields={"details": [str(_("Say what the student may or may not do."))]})
    exemption = SportExemption(
        student=student,
        start=start,
        end=end,
        partial=partial,
        details=details.strip()[:300],
        recorded_by_id=recorder,
    )
    if certificate is not None:
        try:
            ext = attachment_extension(certificate)
        except ValidationFailed as error:
            raise ValidationFailed(fields={"certificate": error.fields.get("attachment", [])}) from error
        exemption.certificate.save(f"{student.pk}-{start.isoformat()}.{ext}", certificate, save=False)
    exemption.save()
    _audit(
        actor,
        "attendance.sport_exemption_recorded",
        exemption,
        {
            "student_id": student.user_id,
            **audit_values({"start": start, "end": end, "partial": partial}),
            "certificate": certificate is not None,
        },
    )
    return exemption


@transaction.atomic
def infirmary_visit_record(
    *,
    actor: Actor | None,
    student: Member,
    arrived_at: datetime.datetime,
    reason: str,
    outcome: str,
    left_at: datetime.datetime | None = None,
    care: str = "",
) -> InfirmaryVisit:
    recorder = person_id(actor)
    _student(student)
    if not reason.strip():
        raise ValidationFailed(fields={"reason": [str(_("Give the reason of the visit."))]})
    if outcome not in InfirmaryOutcome.values:
        raise ValidationFailed(fields={"outcome": [str(_("Unknown outcome."))]})
    if arrived_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationFailed(fields={"arrived_at": [str(_("A visit cannot be in the future."))]})
    if left_at is not None and left_at < arrived_at:
        raise ValidationFailed(fields={"left_at": [str(_("The student left before arriving?"))]})
    visit = InfirmaryVisit.objects.create(
        student=student,
        arrived_at=arrived_at,
        left_at=left_at,
        reason=reason.strip()[:200],
        care=care.strip(),
        outcome=outcome,
        recorded_by_id=recorder,
    )
    _audit(
        actor,
        "attendance.infirmary_visit_recorded",
        visit,
        {"student_id": student.user_id, "arrived_at": arrived_at.isoformat(), "outcome": outcome},
    )
    return visit
