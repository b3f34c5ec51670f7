"""The weekly timetable: recurring lessons (week A/B), one-off changes, exceptional lessons and
holidays; personal iCalendar feed tokens (one copy per tenant schema)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group, Room, SchoolYear, Subject
from tenant_apps.timetable.weeks import WeekSet, week_set_parse


class WeekParity(models.TextChoices):
    """The rule column ``Lesson.week``, kept while schemas migrate (expand/contract): the lesson's
    weeks are read from ``Lesson.weeks`` (``weeks.py``); ``chosen`` marks a set of weeks."""

    EVERY = "every", _("Every week")
    A = "A", _("Week A")
    B = "B", _("Week B")
    CHOSEN = "chosen", _("Chosen weeks")


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
    #: The weeks it runs, as ``weeks.py`` writes them ("every", "A", "B" or "1-7,10-16"): what
    #: every reader uses. "" only on a row written by a release before it (read from ``week``).
    weeks = models.CharField(_("weeks"), max_length=400, blank=True, default="", db_default="")
    #: Co-teachers or more classes and groups (``LessonParticipant`` rows): read only when set.
    has_participants = models.BooleanField(default=False, db_default=False)
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

    @property
    def week_set(self) -> WeekSet:
        return week_set_parse(self.weeks or self.week)

    @property
    def week_text(self) -> str:
        """The week set as written ("every", "A", "B", "1-7,10-16")."""
        return str(self.week_set)

    @property
    def week_label(self) -> str:
        return self.week_set.label()


class LessonParticipant(models.Model):
    """One more teacher (co-teaching) or one more class or group of a recurring lesson (a lesson
    for several groups at once): exactly one of the three. The lesson's own ``teacher`` and
    class or group stay its first ones."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="participants")
    teacher = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="co_taught"
    )
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("lesson participant")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(teacher__isnull=False, school_class__isnull=True, group__isnull=True)
                | models.Q(teacher__isnull=True, school_class__isnull=False, group__isnull=True)
                | models.Q(teacher__isnull=True, school_class__isnull=True, group__isnull=False),
                name="timetable_participant_one_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id}: {self.teacher_id or self.school_class_id or self.group_id}"


class TeacherAbsence(models.Model):
    """A teacher absent from one day to another: the changes of every lesson they teach then are
    made at once (``LessonChange.absence``), each then given a replacement or left cancelled, and
    the people concerned are told once each (``notified_at``)."""

    teacher = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="absences")
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("teacher absence")
        ordering: ClassVar = ["-start", "-pk"]

    def __str__(self) -> str:
        return f"{self.teacher_id} {self.start}..{self.end}"


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
    #: The absence this change was made for (a substitution), and who is absent: the lesson's
    #: teacher, or one of its co-teachers (then the others still teach it).
    absence = models.ForeignKey(
        TeacherAbsence, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    absent_teacher = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

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


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    REFUSED = "refused", _("Refused (errors)")
    APPLIED = "applied", _("Applied")


class TimetableImport(models.Model):
    """A timetable file read (EDT, UDT, STS-web's EDT_STS or CSV: ``imports/``), previewed, then
    applied once. ``rows`` holds the file's lessons as read (so applying needs no upload), ``plan``
    what applying would change (or changed), ``errors`` the file's errors by line."""

    year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="timetable_imports")
    source_name = models.CharField(_("file"), max_length=200)
    source_format = models.CharField(_("format"), max_length=16)
    digest = models.CharField(max_length=64)
    from_day = models.DateField(_("changes apply from"))
    status = models.CharField(max_length=12, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    rows = models.JSONField(default=list)
    plan = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("timetable import")
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.status})"
