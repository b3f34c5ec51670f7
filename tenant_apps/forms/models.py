"""The administrative desk (guichet unique), one copy per schema: forms the establishment
publishes (re-enrolment, canteen registration, trip authorisation, image rights, a school
certificate request…), built from simple questions, addressed to the guardians or the students
of chosen classes, with a deadline; the answers, one per child, saved as a draft then submitted;
a request's reply (a school certificate issued as a PDF)."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Member, SchoolClass


class FormKind(models.TextChoices):
    REENROLMENT = "reenrolment", _("Re-enrolment")
    CANTEEN = "canteen", _("Canteen registration")
    TRIP = "trip", _("Trip authorisation")
    IMAGE_RIGHTS = "image_rights", _("Image rights")
    CERTIFICATE = "certificate", _("School certificate request")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    GUARDIANS = "guardians", _("Guardians (one answer per child)")
    STUDENTS = "students", _("Students")


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Form(models.Model):
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=FormKind.choices, default=FormKind.OTHER)
    description = models.TextField(_("description"), blank=True, default="")
    audience = models.CharField(_("addressed to"), max_length=10, choices=Audience.choices)
    classes = models.ManyToManyField(SchoolClass, related_name="+", verbose_name=_("classes"))
    deadline = models.DateTimeField(_("deadline"))
    reminder_days = models.PositiveSmallIntegerField(_("reminder (days before the deadline)"), default=3)
    reminded_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FormStatus.choices, default=FormStatus.DRAFT
    )
    retention_days = models.PositiveIntegerField(_("answers kept (days after the deadline)"), default=365)
    reader_roles = ArrayField(
        models.CharField(max_length=32), default=list, verbose_name=_("who reads the answers")
    )
    created_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("form")
        ordering: ClassVar = ["-deadline", "-pk"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("Choice")
    DATE = "date", _("Date")
    ACKNOWLEDGEMENT = "acknowledgement", _("Signature by acknowledgement")
    FILE = "file", _("File")


class Question(models.Model):
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    label = models.CharField(_("question"), max_length=300)
    required = models.BooleanField(_("required"), default=True)
    choices = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    #: For a file question, the types accepted (``tenant_apps.forms.files.FILE_TYPES``).
    file_types = ArrayField(models.CharField(max_length=8), default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        ordering: ClassVar = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Answer(models.Model):
    """The answer to a form for one child (a student answers for themself), by its respondent."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="answers")
    child = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    respondent = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT)
    values = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    reply = models.TextField(_("reply"), blank=True, default="")
    document = models.FileField(_("document"), upload_to="forms/certificates/", blank=True, default="")
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        ordering: ClassVar = ["form", "child__display_name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["form", "child"], name="forms_answer_once_per_child"),
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.child_id} {self.status}"


class AnswerFile(models.Model):
    """The file given for a file question of an answer (one per question, replaced when sent
    again), stored under the establishment's prefix (``forms/answers/…``)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="files")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="forms/answers/%Y/%m/", max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("file of an answer")
        ordering: ClassVar = ["question__position", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["answer", "question"], name="forms_answerfile_once_per_question"),
        ]

    def __str__(self) -> str:
        return self.name
