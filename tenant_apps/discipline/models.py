"""Discipline (one copy per schema): incidents (what, when, where, who, witnesses), the
punishments given for them (a detention with its date and supervisor, extra work, an exclusion
from a lesson) and the sanctions the head or the disciplinary council decide (a warning, a
reprimand, a temporary exclusion), as French schools distinguish them."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Member


class Incident(models.Model):
    occurred_at = models.DateTimeField(_("when"))
    place = models.CharField(_("where"), max_length=120, blank=True, default="")
    description = models.TextField(_("what happened"))
    students = models.ManyToManyField(Member, related_name="incidents", verbose_name=_("students involved"))
    witnesses = models.ManyToManyField(
        Member, related_name="witnessed_incidents", blank=True, verbose_name=_("witnesses")
    )
    other_witnesses = models.CharField(_("other witnesses"), max_length=300, blank=True, default="")
    reported_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incident")
        ordering: ClassVar = ["-occurred_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["occurred_at"], name="discipline_incident_when_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.description[:40]}"


class PunishmentKind(models.TextChoices):
    DETENTION = "detention", _("Detention")
    EXTRA_WORK = "extra_work", _("Extra work")
    LESSON_EXCLUSION = "lesson_exclusion", _("Exclusion from a lesson")


class PunishmentStatus(models.TextChoices):
    GIVEN = "given", _("To do")
    DONE = "done", _("Done")
    MISSED = "missed", _("Not done")
    CANCELLED = "cancelled", _("Cancelled")


class Punishment(models.Model):
    """A punishment given to a student by a member of staff. A detention has its date, times,
    place and supervisor; extra work its work and the day it is due; an exclusion from a lesson
    its date."""

    kind = models.CharField(_("kind"), max_length=20, choices=PunishmentKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=PunishmentStatus.choices, default=PunishmentStatus.GIVEN
    )
    student = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="punishments")
    incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="punishments"
    )
    reason = models.TextField(_("reason"))
    given_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    given_on = models.DateField(_("given on"))
    date = models.DateField(_("date"), null=True, blank=True)
    start_time = models.TimeField(_("start"), null=True, blank=True)
    end_time = models.TimeField(_("end"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True, default="")
    supervisor = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="supervised_detentions"
    )
    work = models.TextField(_("work to do"), blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("punishment")
        ordering: ClassVar = ["-given_on", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["kind", "date"], name="discipline_punish_date_idx"),
            models.Index(fields=["student", "given_on"], name="discipline_punish_student_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.student_id} {self.given_on}"


class SanctionKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    REPRIMAND = "reprimand", _("Reprimand")
    CLASS_EXCLUSION = "class_exclusion", _("Temporary exclusion from class")
    TEMPORARY_EXCLUSION = "temporary_exclusion", _("Temporary exclusion from the establishment")


class SanctionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PRONOUNCED = "pronounced", _("Pronounced")
    DISMISSED = "dismissed", _("Not pronounced")


class DecisionBody(models.TextChoices):
    HEAD = "head", _("Head of establishment")
    COUNCIL = "council", _("Disciplinary council")


class Sanction(models.Model):
    """A sanction proposed for a student, then decided by the head of establishment or the
    disciplinary council (pronounced, possibly suspended, or not)."""

    kind = models.CharField(_("kind"), max_length=24, choices=SanctionKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=SanctionStatus.choices, default=SanctionStatus.PROPOSED
    )
    student = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="sanctions")
    incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="sanctions"
    )
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    proposed_on = models.DateField(_("proposed on"))
    exclusion_start = models.DateField(_("exclusion from"), null=True, blank=True)
    exclusion_end = models.DateField(_("exclusion until"), null=True, blank=True)
    body = models.CharField(
        _("decided by"), max_length=8, choices=DecisionBody.choices, blank=True, default=""
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True, default="")
    suspended = models.BooleanField(_("suspended (sursis)"), default=False)
    decided_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("sanction")
        ordering: ClassVar = ["-proposed_on", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["student", "proposed_on"], name="discipline_sanction_std_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.student_id} {self.status}"
