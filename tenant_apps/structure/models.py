"""The establishment's structure: school years and their periods, groups, subjects, rooms and who
teaches what to whom (one copy per tenant schema).

People are the local ``school.Member`` rows (design brief §3); classes are ``school.SchoolClass``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Member, SchoolClass


class SchoolYear(models.Model):
    """A school year, e.g. "2025-2026". Week A of the timetable's A/B alternation is the week of
    ``week_a_monday``; weeks alternate from there, holiday weeks not counted (the rule is the
    timetable's: ``tenant_apps.timetable.calendar.YearCalendar``)."""

    name = models.CharField(_("name"), max_length=20)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    week_a_monday = models.DateField(_("Monday of a week A"))
    is_current = models.BooleanField(_("current year"), default=False)

    class Meta:
        verbose_name = _("school year")
        ordering: ClassVar = ["-start"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["name"], name="structure_year_unique_name"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="structure_year_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PeriodKind(models.TextChoices):
    TRIMESTER = "trimester", _("Trimester")
    SEMESTER = "semester", _("Semester")


class Period(models.Model):
    """A trimester or semester of a school year (reporting periods)."""

    year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="periods")
    name = models.CharField(_("name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=16, choices=PeriodKind.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("period")
        ordering: ClassVar = ["start"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["year", "name"], name="structure_period_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year.name})"


class Subject(models.Model):
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("subject")
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["code"], name="structure_subject_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    name = models.CharField(_("name"), max_length=60)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        verbose_name = _("room")
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["name"], name="structure_room_unique_name")]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A teaching group that may mix students of several classes (a language option, a half-class)."""

    name = models.CharField(_("name"), max_length=60)
    members = models.ManyToManyField(Member, related_name="teaching_groups", blank=True)
    # Set by the directory import: its members then follow the imported students file. A group
    # made by hand (False) is never changed by an import.
    imported = models.BooleanField(_("imported"), default=False, db_default=False)

    class Meta:
        verbose_name = _("group")
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["name"], name="structure_group_unique_name")]

    def __str__(self) -> str:
        return self.name


class TeachingAssignment(models.Model):
    """A teacher teaches a subject to a class or to a group."""

    teacher = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="assignments")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="assignments")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    # Set by the directory import, which removes the imported assignments its files no longer
    # list; one made by hand (False) is never removed by an import.
    imported = models.BooleanField(_("imported"), default=False, db_default=False)

    class Meta:
        verbose_name = _("teaching assignment")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(school_class__isnull=False, group__isnull=True)
                | models.Q(school_class__isnull=True, group__isnull=False),
                name="structure_assignment_class_xor_group",
            ),
            models.UniqueConstraint(
                fields=["teacher", "subject", "school_class", "group"],
                name="structure_assignment_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.subject}"


class Enrolment(models.Model):
    """Which class a student was in during a school year, kept when the year rolls over (the
    member row only knows the current class), so last year's classes stay readable."""

    year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="enrolments")
    student = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="enrolments")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="enrolments")

    class Meta:
        verbose_name = _("enrolment")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["year", "student"], name="structure_enrolment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.school_class} {self.year}"
