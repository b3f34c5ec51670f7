"""Registers, attendance marks, guardians' declarations and justifications (one copy per schema)."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Member
from tenant_apps.timetable.models import ExceptionalLesson, Lesson


class AttendancePolicy(models.Model):
    """The establishment's attendance settings (one row; defaults when missing)."""

    half_day_split = models.TimeField(_("the afternoon starts at"), default=datetime.time(12, 0))

    class Meta:
        verbose_name = _("attendance policy")

    def __str__(self) -> str:
        return f"split {self.half_day_split:%H:%M}"


class Register(models.Model):
    """The register of one occurrence of a recurring lesson (``occurrence_date``: its planned date;
    ``date`` and times: when it took place, for a moved lesson), or of an exceptional lesson
    (exactly one of ``lesson`` and ``exceptional_lesson``)."""

    lesson = models.ForeignKey(
        Lesson, on_delete=models.PROTECT, null=True, blank=True, related_name="registers"
    )
    exceptional_lesson = models.ForeignKey(
        ExceptionalLesson, on_delete=models.PROTECT, null=True, blank=True, related_name="registers"
    )
    occurrence_date = models.DateField(_("planned date"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    teacher = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    taken_by_id = models.BigIntegerField(_("taken by (user id)"))
    taken_at = models.DateTimeField(_("taken at"))

    class Meta:
        verbose_name = _("register")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["lesson", "occurrence_date"], name="attendance_register_unique"),
            # Named explicitly: cloned schemas keep Django's names (tenants/schemas.py).
            models.UniqueConstraint(
                fields=["exceptional_lesson"], name="attendance_register_unique_exceptional"
            ),
            models.CheckConstraint(
                condition=models.Q(lesson__isnull=False, exceptional_lesson__isnull=True)
                | models.Q(lesson__isnull=True, exceptional_lesson__isnull=False),
                name="attendance_register_lesson_xor_exceptional",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["date"], name="attendance_register_date_idx")]

    def __str__(self) -> str:
        return f"{self.lesson_id or f'X{self.exceptional_lesson_id}'} {self.occurrence_date}"

    @property
    def subject_name(self) -> str:
        """The subject of its lesson (select_related ``lesson__subject`` and
        ``exceptional_lesson__subject`` to read it without a query)."""
        source = self.lesson if self.lesson_id else self.exceptional_lesson
        return source.subject.name if source is not None else ""


class MarkStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    LATE = "late", _("Late")


class NoticeState(models.TextChoices):
    """Where the same-day notice of an unjustified absence to guardians stands."""

    NONE = "none", _("Nothing to send")
    HELD = "held", _("Held for review")
    QUEUED = "queued", _("To send")
    SENT = "sent", _("Sent")
    DISMISSED = "dismissed", _("Not sent")


class AttendanceMark(models.Model):
    """One student in one register. Only absences and lateness need a row, but a taken register
    stores a row per student, so that "present" is recorded too."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="marks")
    student = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendance_marks")
    status = models.CharField(
        _("status"), max_length=8, choices=MarkStatus.choices, default=MarkStatus.PRESENT
    )
    late_minutes = models.PositiveSmallIntegerField(_("minutes late"), default=0)
    # Copied from the register: counting half-days reads marks alone.
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    notice = models.CharField(max_length=10, choices=NoticeState.choices, default=NoticeState.NONE)
    noticed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance mark")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["register", "student"], name="attendance_mark_unique"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["student", "date"], name="attendance_mark_student_idx"),
            models.Index(fields=["notice"], name="attendance_mark_notice_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.date} {self.status}"


class AbsenceReason(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    MEDICAL = "medical", _("Medical appointment")
    FAMILY = "family", _("Family reason")
    TRANSPORT = "transport", _("Transport problem")
    OTHER = "other", _("Other")


class AbsenceDeclaration(models.Model):
    """A guardian tells the school ahead that a child will be absent (dates, reason)."""

    student = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="absence_declarations")
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=16, choices=AbsenceReason.choices)
    comment = models.TextField(_("comment"), blank=True, default="")
    declared_by_id = models.BigIntegerField(_("declared by (user id)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("absence declaration")
        indexes: ClassVar = [models.Index(fields=["student", "start"], name="attendance_decl_student_idx")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.start}..{self.end}"


class JustificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class Justification(models.Model):
    """A reason given for a student's absences over some days (by a guardian, or from their
    declaration ahead); school-life staff accept or refuse it. The absences of these days are
    justified while an accepted justification covers them."""

    student = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="justifications")
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=16, choices=AbsenceReason.choices)
    comment = models.TextField(_("comment"), blank=True, default="")
    attachment = models.FileField(_("attachment"), upload_to="attendance/justifications/", blank=True)
    declaration = models.ForeignKey(
        AbsenceDeclaration, on_delete=models.SET_NULL, null=True, blank=True, related_name="justifications"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JustificationStatus.choices, default=JustificationStatus.PENDING
    )
    submitted_by_id = models.BigIntegerField(_("submitted by (user id)"))
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by_id = models.BigIntegerField(_("decided by (user id)"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.CharField(_("decision comment"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("justification")
        constraints: ClassVar = [
            # Named (not ``unique=True``): cloned schemas keep Django's names (tenants/schemas.py).
            models.UniqueConstraint(fields=["declaration"], name="attendance_just_unique_declaration"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["student", "start"], name="attendance_just_student_idx"),
            models.Index(fields=["status"], name="attendance_just_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.start}..{self.end} {self.status}"


class LateArrival(models.Model):
    """A late arrival recorded by school-life staff for one occurrence of a lesson (recurring or
    exceptional): the student came to the school-life office, then to the lesson. It sets the
    student's mark to late in that lesson's register: at once when the register is taken, or when
    the teacher takes it (``services.late_arrival_record``)."""

    student = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="late_arrivals")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    exceptional_lesson = models.ForeignKey(
        ExceptionalLesson, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    occurrence_date = models.DateField(_("planned date"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    minutes = models.PositiveSmallIntegerField(_("minutes late"))
    recorded_by_id = models.BigIntegerField(_("recorded by (user id)"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("late arrival")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["student", "lesson", "occurrence_date"], name="attendance_late_unique_lesson"
            ),
            models.UniqueConstraint(
                fields=["student", "exceptional_lesson"], name="attendance_late_unique_exceptional"
            ),
            models.CheckConstraint(
                condition=models.Q(lesson__isnull=False, exceptional_lesson__isnull=True)
                | models.Q(lesson__isnull=True, exceptional_lesson__isnull=False),
                name="attendance_late_lesson_xor_exceptional",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["date"], name="attendance_late_date_idx")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.date} +{self.minutes}"

    @property
    def subject_name(self) -> str:
        source = self.lesson if self.lesson_id else self.exceptional_lesson
        return source.subject.name if source is not None else ""


class Half(models.TextChoices):
    MORNING = "am", _("Morning")
    AFTERNOON = "pm", _("Afternoon")


class AbsencePeriod(models.Model):
    """A whole-day or multi-day absence that school-life staff record without a register (a
    hospital stay, a family event announced by phone): from the morning or the afternoon of its
    first day to the morning or the afternoon of its last. Its half-days (school days only)
    count in the statistics and the monthly threshold list; justified when the staff say so
    or an accepted justification covers them."""

    student = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="absence_periods")
    start = models.DateField(_("first day"))
    start_half = models.CharField(_("from"), max_length=2, choices=Half.choices, default=Half.MORNING)
    end = models.DateField(_("last day"))
    end_half = models.CharField(_("until"), max_length=2, choices=Half.choices, default=Half.AFTERNOON)
    reason = models.CharField(_("reason"), max_length=16, choices=AbsenceReason.choices)
    comment = models.TextField(_("comment"), blank=True, default="")
    justified = models.BooleanField(_("justified"), default=False)
    recorded_by_id = models.BigIntegerField(_("recorded by (user id)"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("absence period")
        ordering: ClassVar = ["-start", "-pk"]
        indexes: ClassVar = [models.Index(fields=["student", "start"], name="attendance_period_student_idx")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.start}..{self.end}"


class SportExemption(models.Model):
    """An exemption from EPS (sport), total or partial, between two days, with its medical
    certificate (PDF, PNG or JPEG, stored under the establishment's prefix)."""

    student = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="sport_exemptions")
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    partial = models.BooleanField(_("partial"), default=False)
    details = models.CharField(
        _("details (what the student may or may not do)"), max_length=300, blank=True, default=""
    )
    certificate = models.FileField(_("certificate"), upload_to="attendance/exemptions/", blank=True)
    recorded_by_id = models.BigIntegerField(_("recorded by (user id)"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("EPS exemption")
        ordering: ClassVar = ["-start", "-pk"]
        indexes: ClassVar = [models.Index(fields=["student", "start"], name="attendance_eps_student_idx")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.start}..{self.end}"


class InfirmaryOutcome(models.TextChoices):
    BACK_TO_CLASS = "back_to_class", _("Back to class")
    RESTED = "rested", _("Rested at the infirmary")
    SENT_HOME = "sent_home", _("Sent home (a guardian came)")
    EMERGENCY = "emergency", _("Emergency services called")


class InfirmaryVisit(models.Model):
    """A student's visit to the infirmary: when they came and left, why, and how it ended."""

    student = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="infirmary_visits")
    arrived_at = models.DateTimeField(_("arrived at"))
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    care = models.TextField(_("care given"), blank=True, default="")
    outcome = models.CharField(_("outcome"), max_length=16, choices=InfirmaryOutcome.choices)
    recorded_by_id = models.BigIntegerField(_("recorded by (user id)"))

    class Meta:
        verbose_name = _("infirmary visit")
        ordering: ClassVar = ["-arrived_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["arrived_at"], name="attendance_infirmary_when_idx")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.arrived_at:%Y-%m-%d %H:%M}"
