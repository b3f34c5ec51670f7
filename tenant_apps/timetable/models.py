"""The weekly timetable: recurring lessons (week A/B), one-off changes, exceptional lessons and
holidays; personal iCalendar feed tokens (one copy per tenant schema)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Room, SchoolYear, Subject


class WeekParity(models.TextChoices):
    EVERY = "every", _("Every week")
    A = "A", _("Week A")
    B = "B", _("Week B")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class AudienceMixin(models.Model):
    """Who attends: a class or a group (exactly one)."""

    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        abstract = True

    @property
    def audience_name(self) -> str:
        if self.school_class_id:
            return self.school_class.name  # type: ignore[union-attr]
        return self.group.name if self.group_id else ""  # type: ignore[union-attr]


class Lesson(AudienceMixin):
    """A lesson that recurs every week (or every other week) of a school year, from ``starts_on``
    to ``ends_on`` when given (a timetable changed mid-year: the old lesson ends, a new one
    starts, and the past keeps its lessons and registers)."""

    year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="lessons")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    week = models.CharField(_("weeks"), max_length=8, choices=WeekParity.choices, default=WeekParity.EVERY)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="lessons")
    teacher = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="lessons")
    room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons")
    starts_on = models.DateField(_("first day"), null=True, blank=True)
    ends_on = models.DateField(_("last day"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson")
        ordering: ClassVar = ["weekday", "start_time"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(school_class__isnull=False, group__isnull=True)
                | models.Q(school_class__isnull=True, group__isnull=False),
                name="timetable_lesson_class_xor_group",
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")), name="timetable_lesson_times"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["school_class", "weekday"], name="timetable_lesson_class_idx"),
            models.Index(fields=["teacher", "weekday"], name="timetable_lesson_teacher_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.get_weekday_display()} {self.start_time:%H:%M}"


class LessonChange(models.Model):
    """A one-off change to one occurrence (``date``) of a lesson: cancelled, moved to another
    date/time, another room, a replacement teacher (several may combine, except with cancelled)."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="changes")
    date = models.DateField(_("date of the occurrence"))
    cancelled = models.BooleanField(_("cancelled"), default=False)
    new_date = models.DateField(_("moved to (date)"), null=True, blank=True)
    new_start_time = models.TimeField(_("moved to (start)"), null=True, blank=True)
    new_end_time = models.TimeField(_("moved to (end)"), null=True, blank=True)
    new_room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    replacement_teacher = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="replacements"
    )
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lesson change")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["lesson", "date"], name="timetable_change_unique_occurrence"),
        ]
        indexes: ClassVar = [models.Index(fields=["new_date"], name="timetable_change_new_date_idx")]

    def __str__(self) -> str:
        return f"{self.lesson} {self.date}"


class ExceptionalLesson(AudienceMixin):
    """A lesson on one date only (a catch-up lesson, an exam)."""

    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="exceptional_lessons")
    room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("exceptional lesson")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(school_class__isnull=False, group__isnull=True)
                | models.Q(school_class__isnull=True, group__isnull=False),
                name="timetable_exceptional_class_xor_group",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["date"], name="timetable_exceptional_date_idx")]

    def __str__(self) -> str:
        return f"{self.subject} {self.date}"


class Holiday(models.Model):
    """School holidays (first and last day included): no recurring lesson takes place."""

    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("holiday")
        ordering: ClassVar = ["start"]

    def __str__(self) -> str:
        return self.name


class ICalToken(models.Model):
    """A person's secret calendar feed address. Only a hash of the token is stored: the address is
    shown once, when made; making a new one or revoking ends the previous one."""

    user_id = models.BigIntegerField(_("region-wide user id"))
    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["token_hash"], name="timetable_ical_unique_token"),
        ]
        indexes: ClassVar = [models.Index(fields=["user_id"], name="timetable_ical_user_idx")]

    def __str__(self) -> str:
        return f"ical:{self.user_id}"
