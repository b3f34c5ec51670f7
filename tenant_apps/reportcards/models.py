"""Report cards (bulletins), one copy per schema: each class's head teacher (professeur
principal), the teachers' appraisals per subject, the class council's appraisal and decision
per student, the head's publication of a class's report cards for a period (generated in the
background, with progress), and each student's report card as a stored PDF, versioned (a
regeneration after a correction keeps the previous version)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Period, Subject


class HeadTeacher(models.Model):
    """The head teacher (professeur principal) of a class: prepares its class council."""

    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="head_teachers")
    teacher = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="head_of_classes")

    class Meta:
        verbose_name = _("head teacher")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["school_class"], name="reportcards_head_teacher_one_per_class")
        ]

    def __str__(self) -> str:
        return f"{self.school_class_id}: {self.teacher_id}"


class Appraisal(models.Model):
    """A teacher's appraisal of a student in a subject for a period."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="appraisals")
    student = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="appraisals")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="appraisals")
    teacher = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("appraisal"), max_length=600)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appraisal")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["period", "student", "subject"], name="reportcards_appraisal_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.student_id}/{self.subject_id}"


class Mention(models.TextChoices):
    NONE = "", _("None")
    ENCOURAGEMENTS = "encouragements", _("Encouragements")
    COMPLIMENTS = "compliments", _("Compliments")
    CONGRATULATIONS = "congratulations", _("Congratulations")
    WORK_WARNING = "work_warning", _("Warning (work)")
    CONDUCT_WARNING = "conduct_warning", _("Warning (conduct)")


class CouncilDecision(models.Model):
    """The class council's appraisal and decision for a student in a period."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="council_decisions")
    student = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="council_decisions")
    appraisal = models.TextField(_("council's appraisal"), max_length=800, blank=True, default="")
    mention = models.CharField(_("decision"), max_length=20, choices=Mention.choices, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("class council decision")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["period", "student"], name="reportcards_council_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.student_id}"


class PublicationStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Published")
    FAILED = "failed", _("Failed")


class Publication(models.Model):
    """The head's publication of a class's report cards for a period, generated in the
    background: ``done`` of ``total`` report cards so far. ``attempts`` counts the runs started
    and ``enqueued_at`` when its task was last sent (the reaper sends it again when it was lost)."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="publications")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="publications")
    published_on = models.DateField(_("published on"))
    status = models.CharField(
        max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    enqueued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report card publication")
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.school_class_id} {self.status}"


class ReportCard(models.Model):
    """A student's report card for a period: one stored PDF per version; the current version is
    the one families download, the earlier ones are kept."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="report_cards")
    student = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="report_cards")
    school_class_name = models.CharField(max_length=40)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    file = models.CharField(max_length=300)
    size = models.PositiveIntegerField(default=0)
    overall_average = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    publication = models.ForeignKey(
        Publication, on_delete=models.SET_NULL, null=True, blank=True, related_name="report_cards"
    )
    published_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report card")
        ordering: ClassVar = ["-published_on", "-version", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["period", "student", "version"], name="reportcards_card_version_unique"
            ),
            models.UniqueConstraint(
                fields=["period", "student"],
                condition=models.Q(is_current=True),
                name="reportcards_card_one_current",
            ),
            models.UniqueConstraint(
                fields=["publication", "student"],
                condition=models.Q(publication__isnull=False),
                name="reportcards_card_once_per_publication",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["student", "is_current"], name="reportcards_card_student_idx")
        ]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.student_id} v{self.version}"
