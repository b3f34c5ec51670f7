"""News and notices, one copy per schema.

``NewsItem``: what the establishment publishes (sanitised rich text, an optional image stored
under the establishment's prefix), for the public (the school's site and the region portal), for
every member, or for targeted groups (``NewsTarget``: messaging's recipient groups). Its state
goes draft → scheduled → published → expired. ``NewsEditor``: a member of staff the head allows
to publish. ``Notice``: a notice of the carnet de liaison, sent to the guardians of a class or of
chosen students; ``NoticeRecipient``: one row per (student, guardian) concerned, acknowledged
(once per guardian and notice) and reminded."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group


class NewsState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public (the school's site and the region portal)")
    MEMBERS = "members", _("Everyone in the establishment")
    TARGETED = "targeted", _("Chosen groups")


class NewsItem(models.Model):
    title = models.CharField(_("title"), max_length=200)
    #: Sanitised HTML (``mbn_platform.kernel.richtext``): safe to serve as it is.
    body = models.TextField(_("text"), blank=True, default="")
    visibility = models.CharField(_("who sees it"), max_length=16, choices=Visibility.choices)
    state = models.CharField(max_length=16, choices=NewsState.choices, default=NewsState.DRAFT)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    expire_at = models.DateTimeField(_("remove at"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    #: When its readers were told (once, whatever the number of ticks or publications).
    notified_at = models.DateTimeField(null=True, blank=True)
    image = models.FileField(upload_to="news/%Y/%m/", max_length=300, blank=True, default="")
    image_type = models.CharField(max_length=32, blank=True, default="")
    image_alt = models.CharField(_("image description"), max_length=200, blank=True, default="")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering: ClassVar = ["-published_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["state", "-published_at"], name="news_item_state_idx"),
            models.Index(fields=["state", "publish_at"], name="news_item_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class NewsTarget(models.Model):
    """One recipient group of a targeted item: one of messaging's audiences
    (``tenant_apps.messaging.audiences.Audience``: a class's students, guardians or teachers, all
    staff), or the students of a teaching group (``kind="group"``)."""

    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=16)  # one of messaging's audience KINDS, or "group"
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, null=True, blank=True)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, null=True, blank=True)

    class Meta:
        verbose_name = _("news target")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["item", "kind", "school_class", "group"],
                name="news_target_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind} {self.school_class_id or self.group_id}"


class NewsEditor(models.Model):
    """A member of staff the head (or the establishment's admin) allows to publish news."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    granted_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("news editor")
        # A named constraint (not a one-to-one field): cloned schemas keep Django's names.
        constraints: ClassVar = [models.UniqueConstraint(fields=["member"], name="news_editor_unique_member")]

    def __str__(self) -> str:
        return str(self.member_id)


class Notice(models.Model):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True, default="")  # sanitised HTML
    #: The class it was sent to (None: chosen students).
    school_class = models.ForeignKey(SchoolClass, on_delete=models.SET_NULL, null=True, blank=True)
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class NoticeRecipient(models.Model):
    """A guardian of a student concerned by a notice."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    student = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("notice recipient")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["notice", "student", "guardian"], name="news_notice_recipient_unique"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["guardian", "acknowledged_at"], name="news_notice_guardian_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.student_id} {self.guardian_id}"
