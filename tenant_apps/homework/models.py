"""The homework notebook (cahier de textes), one copy per schema: what was done in each lesson
(``LessonEntry``: sanitised rich text, links, attachments), the homework set for a later date
(``Homework``: instructions, estimated time, optionally handed in online), who ticked it done
(``HomeworkDone``) and what was handed in (``Submission``, returned with a comment). Files are
``Attachment`` rows stored under the establishment's prefix."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Member
from tenant_apps.structure.models import Subject
from tenant_apps.timetable.models import AudienceMixin, Lesson

AUDIENCE_XOR = models.Q(school_class__isnull=False, group__isnull=True) | models.Q(
    school_class__isnull=True, group__isnull=False
)


class LessonEntry(AudienceMixin):
    """What was done in one lesson on one date, for its class or group."""

    lesson = models.ForeignKey(Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    date = models.DateField(_("date"))
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="notebook_entries")
    title = models.CharField(_("title"), max_length=200, blank=True, default="")
    #: Sanitised HTML (``content.py``): safe to serve as it is.
    content = models.TextField(_("what was done"), blank=True, default="")
    links = models.JSONField(_("links"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notebook entry")
        verbose_name_plural = _("notebook entries")
        ordering: ClassVar = ["-date", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=AUDIENCE_XOR, name="homework_entry_class_xor_group"),
            models.UniqueConstraint(
                fields=["lesson", "date", "school_class", "group"],
                name="homework_entry_unique_lesson_date",
                nulls_distinct=False,
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["school_class", "date"], name="homework_entry_class_idx"),
            models.Index(fields=["group", "date"], name="homework_entry_group_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.subject_id} {self.title[:40]}"


class Homework(AudienceMixin):
    """Work set in a lesson (``entry``) for a later date."""

    entry = models.ForeignKey(LessonEntry, on_delete=models.CASCADE, related_name="homework")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="homework_set")
    due_on = models.DateField(_("due on"))
    instructions = models.TextField(_("instructions"))
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"), null=True, blank=True)
    online_submission = models.BooleanField(_("handed in online"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("homework")
        verbose_name_plural = _("homework")
        ordering: ClassVar = ["due_on", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=AUDIENCE_XOR, name="homework_homework_class_xor_group"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["school_class", "due_on"], name="homework_due_class_idx"),
            models.Index(fields=["group", "due_on"], name="homework_due_group_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.due_on} {self.subject_id} {self.instructions[:40]}"


class HomeworkDone(models.Model):
    """A student ticked a homework done."""

    homework = models.ForeignKey(Homework, on_delete=models.CASCADE, related_name="done_marks")
    student = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("homework done")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["homework", "student"], name="homework_done_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.homework_id} {self.student_id}"


class Submission(models.Model):
    """What a student handed in online, then returned by the teacher with a comment."""

    homework = models.ForeignKey(Homework, on_delete=models.CASCADE, related_name="submissions")
    student = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("text"), blank=True, default="")
    submitted_at = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("teacher's comment"), blank=True, default="")

    class Meta:
        verbose_name = _("submission")
        ordering: ClassVar = ["submitted_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["homework", "student"], name="homework_submission_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.homework_id} {self.student_id}"


class Attachment(models.Model):
    """A file of an entry, a homework or a submission (exactly one), stored under the
    establishment's prefix (``homework/…``)."""

    entry = models.ForeignKey(
        LessonEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    homework = models.ForeignKey(
        Homework, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to="homework/%Y/%m/", max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    added_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(entry__isnull=False, homework__isnull=True, submission__isnull=True)
                | models.Q(entry__isnull=True, homework__isnull=False, submission__isnull=True)
                | models.Q(entry__isnull=True, homework__isnull=True, submission__isnull=False),
                name="homework_attachment_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name
