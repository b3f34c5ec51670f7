"""Grades (one copy per schema): assessments a teacher sets for a class or a group in a subject
and a period (title, date, scale /N, coefficient, normal, optional or bonus), each student's
grade (a value on the scale, or a special mark) and the establishment's grading policy (the
rounding of averages, the subjects' coefficients). The arithmetic is in ``averages.py``."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Period, Subject


class AssessmentKind(models.TextChoices):
    NORMAL = "normal", _("Counted")
    OPTIONAL = "optional", _("Optional (counted only if it raises the average)")
    BONUS = "bonus", _("Bonus (only the points above 10/20 count)")


class Assessment(models.Model):
    """An assessment of a class or of a group, in a subject and a period, set by a teacher.
    Students and guardians see it (and its grades) from ``published_on``; never before, never
    without it."""

    title = models.CharField(_("title"), max_length=120)
    date = models.DateField(_("date"))
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="assessments")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="assessments")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    teacher = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="assessments_set")
    scale = models.DecimalField(
        _("out of"), max_digits=5, decimal_places=2, default=Decimal(20), validators=[MinValueValidator(1)]
    )
    coefficient = models.DecimalField(_("coefficient"), max_digits=5, decimal_places=2, default=Decimal(1))
    kind = models.CharField(_("kind"), max_length=10, choices=AssessmentKind.choices, default="normal")
    published_on = models.DateField(_("visible to families from"), null=True, blank=True)
    #: The skills of the common base (``SkillDomain``) it also rates, when the establishment uses them.
    skill_domains = ArrayField(models.CharField(max_length=8), default=list, blank=True, db_default=[])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        ordering: ClassVar = ["-date", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(school_class__isnull=False, group__isnull=True)
                | models.Q(school_class__isnull=True, group__isnull=False),
                name="grades_assessment_class_xor_group",
            ),
            models.CheckConstraint(condition=models.Q(scale__gt=0), name="grades_assessment_scale_positive"),
            models.CheckConstraint(
                condition=models.Q(coefficient__gt=0), name="grades_assessment_coefficient_positive"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["period", "subject"], name="grades_assessment_period_idx"),
            models.Index(fields=["teacher", "date"], name="grades_assessment_teacher_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class SpecialMark(models.TextChoices):
    """What a cell holds instead of a value. Only "not handed in" counts, as a zero; the others
    leave the assessment out of the student's average."""

    ABSENT = "absent", _("Absent")
    EXEMPT = "exempt", _("Exempt")
    NOT_GRADED = "not_graded", _("Not graded")
    NOT_HANDED_IN = "not_handed_in", _("Not handed in")


#: The short codes a teacher types in the grid (French first, then English), and shows back.
MARK_CODES: dict[str, str] = {
    "abs": SpecialMark.ABSENT,
    "disp": SpecialMark.EXEMPT,
    "nn": SpecialMark.NOT_GRADED,
    "nr": SpecialMark.NOT_HANDED_IN,
    "absent": SpecialMark.ABSENT,
    "ex": SpecialMark.EXEMPT,
    "ng": SpecialMark.NOT_GRADED,
    "nhi": SpecialMark.NOT_HANDED_IN,
}
MARK_SHORT: dict[str, str] = {"absent": "Abs", "exempt": "Disp", "not_graded": "NN", "not_handed_in": "NR"}


class Grade(models.Model):
    """A student's grade in an assessment: a value on its scale (two decimals at most) or a
    special mark, never both."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="grades")
    student = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="grades")
    value = models.DecimalField(_("grade"), max_digits=5, decimal_places=2, null=True, blank=True)
    mark = models.CharField(
        _("special mark"), max_length=16, choices=SpecialMark.choices, blank=True, default=""
    )
    comment = models.CharField(_("comment"), max_length=300, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grade")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["assessment", "student"], name="grades_grade_unique"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False, mark="")
                | models.Q(value__isnull=True) & ~models.Q(mark=""),
                name="grades_grade_value_xor_mark",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["student", "assessment"], name="grades_grade_student_idx")]

    def __str__(self) -> str:
        return f"{self.student_id}: {self.value if self.value is not None else self.mark}"


class Rounding(models.TextChoices):
    HUNDREDTH = "0.01", _("To the hundredth (12.35)")
    TENTH = "0.1", _("To the tenth (12.4)")
    HALF = "0.5", _("To the half point (12.5)")
    UNIT = "1", _("To the point (12)")


class GradingPolicy(models.Model):
    """The establishment's choices (one row): how averages are rounded (half up, to the
    hundredth by default)."""

    rounding = models.CharField(
        _("rounding of averages"), max_length=4, choices=Rounding.choices, default="0.01"
    )
    skills_enabled = models.BooleanField(_("rate skills of the common base"), default=False, db_default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grading policy")

    def __str__(self) -> str:
        return f"rounding {self.rounding}"


class SubjectCoefficient(models.Model):
    """A subject's weight in the overall average (1 when the establishment sets none)."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="grade_coefficients")
    coefficient = models.DecimalField(
        _("coefficient"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("subject coefficient")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["subject"], name="grades_subject_coefficient_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject_id} x {self.coefficient}"


class SkillDomain(models.TextChoices):
    """The eight components of the five domains of the common base (socle commun de
    connaissances, de compétences et de culture), as the national report card (LSU) lists them."""

    D11 = "D1.1", _("D1.1 Understanding and expressing oneself in French")
    D12 = "D1.2", _("D1.2 Understanding and expressing oneself in a foreign or regional language")
    D13 = "D1.3", _("D1.3 Mathematical, scientific and computer languages")
    D14 = "D1.4", _("D1.4 The languages of the arts and of the body")
    D2 = "D2", _("D2 Methods and tools for learning")
    D3 = "D3", _("D3 The shaping of the person and the citizen")
    D4 = "D4", _("D4 Natural and technical systems")
    D5 = "D5", _("D5 Representations of the world and human activity")


class SkillLevel(models.IntegerChoices):
    """The four levels of mastery."""

    INSUFFICIENT = 1, _("Insufficient mastery")
    FRAGILE = 2, _("Fragile mastery")
    SATISFACTORY = 3, _("Satisfactory mastery")
    VERY_GOOD = 4, _("Very good mastery")


class SkillRating(models.Model):
    """A student's level in a skill domain, rated in an assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="skill_ratings")
    student = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="skill_ratings")
    domain = models.CharField(_("domain"), max_length=8, choices=SkillDomain.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=SkillLevel.choices)

    class Meta:
        verbose_name = _("skill rating")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["assessment", "student", "domain"], name="grades_skill_rating_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="grades_skill_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.domain}: {self.level}"
